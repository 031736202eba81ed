"""The reading view's scrolling: `g` shows the title and byline, the cursor keeps a margin
from the edges, and `view_anchor`/`restore` bring back the screen as it was left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult

from reader.article import Article
from reader.store import Library
from reader.ui.text import provisional_sentences
from reader.ui.widgets.article_view import SCROLL_MARGIN, ArticleDoc, ArticleView
from tests.conftest import make_article
from tests.ui_helpers import make_app, reading, settle


def cursor_rows(view: ArticleView) -> tuple[int, int]:
    """The cursor sentence's first and last rows, counted from the top of the view."""
    first, last = view.rows_of(view.cursor_span)
    top = round(view.scroll_offset.y)
    return first - top, last - top


def add(home: Path, article: Article) -> str:
    with Library.open(home) as lib:
        return lib.add_article(article).article.id


async def test_g_shows_the_title_and_byline_again(home: Path, wait_for_workers: Any) -> None:
    article_id = add(home, make_article("Long enough to scroll", 1500))
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        for keys in (("G",), ("space", "space", "space", "k", "k")):
            await pilot.press(*keys)
            assert "Long enough to scroll" not in view.visible_text()
            await pilot.press("g")
            assert view.cursor == 0
            assert view.scroll_offset.y == 0
            shown = view.visible_text()
            assert "Long enough to scroll" in shown
            assert "By Test Author" in shown


async def test_the_cursor_keeps_three_lines_from_either_edge(
    home: Path, wait_for_workers: Any
) -> None:
    article_id = add(home, make_article("Long enough to scroll", 1500))
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        height = view.scrollable_content_region.height
        scrolled = False
        for _ in range(25):
            await pilot.press("j")
            first, last = cursor_rows(view)
            assert last <= height - 1 - SCROLL_MARGIN, (first, last)
            scrolled = scrolled or view.scroll_offset.y > 0
        assert scrolled
        for _ in range(12):
            await pilot.press("k")
            first, last = cursor_rows(view)
            assert first >= SCROLL_MARGIN or view.scroll_offset.y == 0, (first, last)


async def test_on_a_small_height_the_cursor_stays_centred(
    home: Path, wait_for_workers: Any
) -> None:
    short = [" ".join(f"Line {n * 4 + i} is short." for i in range(4)) for n in range(40)]
    article_id = add(home, Article.from_paragraphs("Short lines", None, None, None, short))
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(80, 9)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        height = view.scrollable_content_region.height
        assert height <= 2 * SCROLL_MARGIN + 1
        for _ in range(20):
            await pilot.press("j")
        first, last = cursor_rows(view)
        assert first == last
        assert abs(first - (height - 1) / 2) <= 0.5  # the middle row (either, when even)


async def test_restore_brings_back_the_screen_offset_not_just_the_sentence(
    home: Path, wait_for_workers: Any
) -> None:
    article_id = add(home, make_article("Long enough to scroll", 1500))
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        await pilot.press("space", "space", "j", "j")  # the cursor mid-screen
        cursor, anchor = view.cursor_span[0], view.view_anchor()
        shown = view.visible_text()
        assert cursor_rows(view)[0] > 2  # not simply "the cursor at the top"
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        view.restore(cursor, anchor)
        await pilot.pause()
        assert view.cursor_span[0] == cursor
        assert view.visible_text() == shown
        # on a shorter terminal the anchor would hide the cursor: the cursor wins
        view.restore(cursor, 0)
        await pilot.pause()
        assert view.cursor_visible()


async def test_restore_before_the_first_layout_applies_on_it(home: Path) -> None:
    article = make_article("Long enough to scroll", 1500)
    text = article.text
    doc = ArticleDoc.build(text, article.title, article.author, article.published, None)

    class One(App[None]):
        def compose(self) -> ComposeResult:
            self.view = ArticleView(doc, provisional_sentences(text))
            yield self.view

    first = One()
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first.view.page(1)
        first.view.page(1)
        first.view.move_cursor(first.view.cursor + 2)
        await pilot.pause()
        cursor, anchor = first.view.cursor_span[0], first.view.view_anchor()
        shown = first.view.visible_text()

    second = One()
    async with second.run_test(size=(80, 24)) as pilot:
        second.view.restore(cursor, anchor)  # may run before the first layout
        await pilot.pause()
        await pilot.pause()
        assert second.view.visible_text() == shown
