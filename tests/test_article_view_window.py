"""A long text is painted from a window of its layout, and the whole swapped in unseen.

A harness app holds one ArticleView (no library, no analysis). Each test holds back the
thread's whole layout where it needs the window to stay, and compares the view with one
laid out whole from the start: the same lines on screen, the same cursor, for the
same moves.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult

from reader.ui.text import provisional_sentences
from reader.ui.widgets import article_view
from reader.ui.widgets.article_view import ArticleDoc, ArticleView
from tests.ui_helpers import wait_until

SIZE = (100, 30)


def _long_text(paragraphs: int = 500) -> str:
    """About 450,000 characters: each paragraph names itself, so a screen says where it is."""
    return "\n\n".join(
        f"Paragraph {n} begins here. "
        + " ".join(f"Sentence {n}.{s} has a few plain words in it." for s in range(20))
        for n in range(paragraphs)
    )


TEXT = _long_text()
SENTENCES = provisional_sentences(TEXT)
MIDDLE = TEXT.index("Paragraph 250 ")


class ViewApp(App[None]):
    def __init__(self, view: ArticleView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


def _view(place: int = MIDDLE) -> ArticleView:
    view = ArticleView(ArticleDoc.build(TEXT, "A long text", None, None, None), SENTENCES)
    view.restore(place, place)
    return view


class Held:
    """The windows whose whole layout came due: none starts until `release`."""

    def __init__(self) -> None:
        self.start = ArticleView._start_whole
        self.due: list[tuple[ArticleView, Any]] = []

    def release(self) -> None:
        for view, part in self.due:
            self.start(view, part)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Held:
    gate = Held()
    monkeypatch.setattr(
        ArticleView, "_start_whole", lambda view, part: gate.due.append((view, part))
    )
    return gate


def test_the_text_is_long_enough_to_be_laid_out_from_a_window() -> None:
    assert len(TEXT) > article_view.LAZY_CHARS > 2 * article_view.WINDOW


async def test_the_window_is_painted_then_the_whole_swapped_in_without_a_line_moving(
    held: Held,
) -> None:
    whole_view = _view()
    async with ViewApp(whole_view).run_test(size=SIZE) as pilot:
        whole_view.lay_out_whole()  # the reference: the whole layout, at the same place
        await pilot.pause()
        reference = whole_view.visible_text()
        total = whole_view.rows()
    view = _view()
    async with ViewApp(view).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert held.due, "a window was laid out"
        assert not view.laid_out_whole()
        assert view.rows() < total / 5
        assert "Paragraph 250 begins here." in view.visible_text()
        assert view.visible_text() == reference
        cursor = view.cursor
        held.release()  # the thread's whole layout runs now
        await wait_until(pilot, lambda: view.laid_out_whole())
        await pilot.pause()
        assert view.rows() == total
        assert view.visible_text() == reference
        assert view.cursor == cursor


async def test_a_jump_past_the_window_lays_out_the_whole_at_once(held: Held) -> None:
    view = _view()
    async with ViewApp(view).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not view.laid_out_whole()
        view.move_cursor(len(view.sentences) - 1)
        await pilot.pause()
        assert view.laid_out_whole()
        assert "Sentence 499.19 has a few plain words in it." in view.visible_text()
        view.move_cursor(0)
        await pilot.pause()
        assert "A long text" in view.visible_text()


async def _paged(view: ArticleView, pages: int, direction: int) -> list[tuple[int, str]]:
    seen = []
    for _ in range(pages):
        view.page(direction)
        seen.append((view.cursor, view.visible_text()))
    return seen


@pytest.mark.parametrize("direction", [1, -1])
async def test_paging_past_the_window_goes_as_it_does_over_the_whole(
    held: Held, direction: int
) -> None:
    """Forty screens either way: well past the window's edge, with no whole layout due."""
    whole_view = _view()
    async with ViewApp(whole_view).run_test(size=SIZE) as pilot:
        whole_view.lay_out_whole()
        await pilot.pause()
        expected = await _paged(whole_view, 40, direction)
    view = _view()
    async with ViewApp(view).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not view.laid_out_whole()
        assert await _paged(view, 40, direction) == expected
        assert view.laid_out_whole()


async def test_a_resize_lays_out_a_new_window_around_the_same_first_line(
    held: Held,
) -> None:
    view = _view()
    async with ViewApp(view).run_test(size=SIZE) as pilot:
        await pilot.pause()
        anchor = view.view_anchor()
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert not view.laid_out_whole()
        assert len(held.due) == 2
        assert view.view_anchor() <= anchor
        assert TEXT[view.view_anchor() : anchor].count(" ") < 12  # the line holding it


@pytest.mark.parametrize("direction", [1, -1])
async def test_the_wheel_goes_on_past_the_window(held: Held, direction: int) -> None:
    """Three hundred wheel steps from the middle, no whole layout due from the thread:
    the view scrolls on past the window's edge as over the whole text."""
    view = _view()
    async with ViewApp(view).run_test(size=SIZE) as pilot:
        await pilot.pause()
        window_rows = view.rows()
        start = view.view_anchor()
        wheel = events.MouseScrollDown if direction > 0 else events.MouseScrollUp
        for _ in range(300):
            view.post_message(wheel(view, 1, 1, 0, direction, 0, False, False, False))
        await pilot.pause()
        assert view.laid_out_whole()
        assert view.rows() > window_rows
        moved = view.view_anchor() - start
        assert moved * direction > article_view.WINDOW  # past where the window ended


def test_every_window_is_the_whole_layouts_rows_shifted() -> None:
    """What the swap relies on, for every block a window can start at: a guide with every
    block kind, and an empty list item right after another (a block with no rows)."""
    from pathlib import Path

    from reader.article import parse_article
    from reader.article.document import Block
    from reader.ui.widgets.block_layout import lay_out

    path = Path(__file__).resolve().parent.parent / "sample_articles" / "reading-a-tide-table.md"
    article = parse_article(path.read_text(encoding="utf-8"), suffix=".md")
    blocks = list(article.blocks)
    item = next(i for i, b in enumerate(blocks) if b.kind == "list_item")
    blocks.insert(item + 1, Block("list_item", blocks[item].end, blocks[item].end))
    doc = ArticleDoc.build(article.text, article.title, None, None, None, blocks=blocks)
    whole = lay_out(doc.text, doc.title, doc.meta, doc.blocks, 60)
    assert item + 1 not in whole.block_of_row  # the empty item has no row of its own
    for first in range(len(blocks)):
        for last in (first + 1, first + 3, len(blocks)):
            part = lay_out(doc.text, doc.title, doc.meta, doc.blocks, 60, first=first, last=last)
            shift = whole.first_row(first) if first else 0
            rows = slice(shift, shift + len(part.rows))
            assert part.rows == whole.rows[rows], (first, last)
            assert part.block_of_row == whole.block_of_row[rows], (first, last)
            assert part.whole == (first == 0 and last == len(blocks))
