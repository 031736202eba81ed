"""j/k/g/G/ctrl+d/ctrl+u in every list: a harness app for the list itself (as Textual's own
tests do), then the lists of the real screens, where the same keys also move the text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets.option_list import Option

from reader.ui.panes.entities import EntitiesPane
from reader.ui.panes.notes import NotesPane
from reader.ui.screens.search import SearchScreen
from reader.ui.screens.summary import SummaryScreen
from reader.ui.widgets.vim_list import VimOptionList
from tests.ui_helpers import burst, keys_handled, make_app, reading, settle


def first_enabled(options: VimOptionList) -> int:
    return next(i for i, option in enumerate(options.options) if not option.disabled)


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VimOptionList(*[Option(f"line {i}") for i in range(100)])


async def test_vim_keys_move_the_list() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 22)) as pilot:
        options = app.query_one(VimOptionList)
        options.focus()
        options.highlighted = 0
        await pilot.press("j", "j", "k")
        assert options.highlighted == 1
        await pilot.press("G")
        assert options.highlighted == 99
        await pilot.press("g")
        assert options.highlighted == 0
        half = options.scrollable_content_region.height // 2
        await pilot.press("ctrl+d")
        assert options.highlighted == half
        await pilot.press("ctrl+d", "ctrl+u")
        assert options.highlighted == half
        await pilot.press("ctrl+u", "ctrl+u")
        assert options.highlighted == 0
        burst(app, "G", "k", "k", "ctrl+u")
        await pilot.pause()
        await pilot.pause()
        assert options.highlighted == 97 - half


async def test_a_focused_pane_takes_j_and_k_not_the_text(
    studied_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(studied_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("j")
        assert screen.view.cursor == 1
        for key, pane_type in (("1", EntitiesPane), ("3", NotesPane)):
            await pilot.press(key)
            pane = screen.query_one(pane_type)
            assert pane.has_focus
            await pilot.press("G")
            last = pane.highlighted
            assert last is not None and last == pane.option_count - 1
            await pilot.press("g")
            assert pane.highlighted == first_enabled(pane)
            await pilot.press("j")
            assert screen.view.cursor == 1, "j moved the text while a pane had the focus"
        await pilot.press("0", "j")
        assert screen.view.cursor == 2


async def test_summary_and_search_hits_take_vim_keys(
    studied_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(studied_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("S")
        await settle(pilot, wait_for_workers)
        assert isinstance(app.screen, SummaryScreen)
        lines = app.screen.query_one(VimOptionList)
        assert lines.option_count > 2
        start = first_enabled(lines)
        lines.highlighted = start
        await pilot.press("j")
        assert lines.highlighted == start + 1
        await pilot.press("G")
        last = lines.highlighted
        await pilot.press("k")
        assert lines.highlighted is not None and last is not None
        assert lines.highlighted < last
        await pilot.press("g")
        assert lines.highlighted == start
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        burst(app, *"barrier", "enter")
        await keys_handled(pilot)
        await settle(pilot, wait_for_workers)
        hits = app.screen.query_one("#hits", VimOptionList)
        assert hits.option_count >= 2
        hits.focus()
        hits.highlighted = 0
        await pilot.press("j")
        assert hits.highlighted == 1
        await pilot.press("k")
        assert hits.highlighted == 0
        await pilot.press("G")
        assert hits.highlighted == hits.option_count - 1
