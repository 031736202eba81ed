"""Find in the article: `/` and ctrl+r, smartcase, n/N only while a search is shown, the
marks in the text, and a library search hit's words marked in the article it opens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.widgets import TextArea

from reader.store import Library
from reader.ui.dialogs.note import NoteDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.find_bar import FindBar, FindState, query_terms
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle


def spans_of(text: str, word: str, flags: int = re.IGNORECASE) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(re.escape(word), text, flags)]


def bar_text(app: Any) -> str:
    bar = app.screen.query_one(FindBar)
    return " ".join(str(w.render()) for w in bar.query("Static")) if bar.display else ""


def styles_of(view: ArticleView, offset: int) -> str:
    """The rich style the view draws the character at `offset` with (it must be on screen)."""
    row = view.row_of(offset) - round(view.scroll_offset.y)
    assert 0 <= row < view.scrollable_content_region.height, "not on screen"
    strip = view.render_line(row)
    _kind, start, _end = view._layout_rows[view.row_of(offset)]
    column = view._margin + (offset - start)
    x = 0
    for segment in strip:
        if x <= column < x + segment.cell_length:
            return str(segment.style)
        x += segment.cell_length
    raise AssertionError("offset not drawn")


async def test_slash_marks_every_match_and_n_walks_them_then_escape_gives_n_back(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        view = screen.view
        wanted = spans_of(screen.text, "brackenmouth")
        assert len(wanted) >= 3
        # typed in a burst: every key reaches the box, none runs as a reading key
        burst(app, "slash", *"brackenmouth", "enter")
        await keys_handled(pilot)
        assert view.matches == wanted
        assert view.current_match == wanted[0]
        assert app.focused is view
        assert f"match 1 of {len(wanted)}" in bar_text(app)
        # all marked, the current one distinct from the others and from plain text
        current, other = styles_of(view, wanted[0][0]), styles_of(view, wanted[0][1] + 2)
        await pilot.press("n")
        assert view.current_match == wanted[1]
        start, end = view.cursor_span
        assert start <= wanted[1][0] < end  # the cursor is on the match's sentence
        assert f"match 2 of {len(wanted)}" in bar_text(app)
        marked = styles_of(view, wanted[0][0])  # no longer current, still marked
        assert marked != current and marked != other
        assert styles_of(view, wanted[1][0]) == current
        await pilot.press("N", "N")  # back past the first: wraps to the last
        assert view.current_match == wanted[-1]
        assert f"match {len(wanted)} of {len(wanted)}" in bar_text(app)
        footer = {b.binding.description for b in screen.active_bindings.values()}
        assert "Next match" in footer and "Note" not in footer
        await pilot.press("escape")  # clears the search; the screen stays
        assert app.screen is screen
        assert view.matches == [] and not screen.query_one(FindBar).display
        footer = {b.binding.description for b in screen.active_bindings.values()}
        assert "Note" in footer and "Next match" not in footer
        await pilot.press("n")  # the note again
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        dialog.query_one(TextArea).insert("after the search")
        await pilot.press("ctrl+s")
        await pilot.pause()
        sentence = view.cursor_span
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        # only the note typed after escape: n while searching added none
        assert [(n.start, n.end, n.text) for n in lib.notes(barrier_id)] == [
            (*sentence, "after the search")
        ]


async def test_smartcase_backward_search_and_keys_typed_into_the_box(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        view = screen.view
        text = screen.text
        await pilot.press("G")
        last = view.cursor
        # lower case: any case ("The" and "the"); a capital: exactly that case
        burst(app, "slash", *"the", "enter")
        await keys_handled(pilot)
        assert view.matches == spans_of(text, "the")
        burst(app, "slash", *"The", "enter")
        await keys_handled(pilot)
        assert view.matches == spans_of(text, "The", 0)
        assert view.matches != spans_of(text, "the")
        burst(app, "escape", "G")
        await keys_handled(pilot)
        # ctrl+r searches backward from the cursor: the last "Tom Reyes" before it
        burst(app, "ctrl+r", *"tom reyes", "enter")
        await keys_handled(pilot)
        toms = spans_of(text, "tom reyes")
        before = [s for s in toms if s[0] < view.sentences[last][0]]
        assert view.current_match == before[-1]
        await pilot.press("n")  # n keeps going backward
        assert view.current_match == before[-2]
        await pilot.press("N")
        assert view.current_match == before[-1]
        # q, n and escape typed into the box are text, not quit/note/back: then escape
        # in the box cancels the search and leaves the cursor where it was
        cursor = view.cursor
        burst(app, "slash", *"qn")
        await keys_handled(pilot)
        assert screen.query_one(FindBar).input.value == "qn"
        assert app.screen is screen
        burst(app, "escape")
        await keys_handled(pilot)
        assert app.screen is screen and view.matches == [] and view.cursor == cursor
        # a query with no match says so and moves nothing
        burst(app, "slash", *"zeppelin", "enter")
        await keys_handled(pilot)
        assert "no match" in bar_text(app)
        assert view.cursor == cursor


async def test_a_library_search_hit_marks_its_words_in_the_article(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await settle(pilot, wait_for_workers)  # the index is built in a worker
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"harbour")
        await pilot.pause()
        hit = search.hits[0]
        assert hit.article_id == barrier_id
        await pilot.press("enter", "enter")  # to the hits, then open the first
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        view = screen.view
        wanted = spans_of(screen.text, "harbour")
        assert len(wanted) == 2
        assert view.matches == wanted
        assert view.current_match == (hit.start, hit.end)
        number = wanted.index((hit.start, hit.end))
        assert f"match {number + 1} of 2" in bar_text(app)
        await pilot.press("n")
        following = wanted[(number + 1) % 2]
        assert view.current_match == following
        assert view.cursor_span[0] <= following[0] < view.cursor_span[1]
        await pilot.press("escape")  # from a hit, escape still goes back, as it did
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


def test_find_state_wraps_both_ways_and_query_terms_keep_phrases() -> None:
    state = FindState("x", [(1, 2), (5, 6), (9, 10)])
    assert state.aim(5) == (5, 6)
    assert state.aim(11) == (1, 2)  # past the last: wraps to the first
    assert state.aim(5, -1) == (1, 2)
    assert state.step(-1) == (9, 10)
    assert state.counted() == "match 3 of 3"
    back = FindState("x", [(1, 2), (5, 6)], direction=-1)
    back.aim(3)
    assert back.step(1) == (5, 6)  # n goes the search's way: backward, wrapping
    assert FindState("x", []).counted() == "no match"
    assert query_terms('"tide barrier" gate* AND', "the \x02gates\x03 held") == (
        "tide barrier",
        "gate",
        "AND",
        "gates",
    )
