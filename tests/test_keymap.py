"""The keys help lists this app's keys by screen, and the README's table is that list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from textual.binding import Binding

from reader.ui.dialogs.keys import KeysDialog
from reader.ui.keymap import groups, markdown_table
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.screens.summary import SummaryScreen
from tests.ui_helpers import make_app, settle

README = Path(__file__).resolve().parents[1] / "README.md"
INHERITED = ("Scroll Left", "Scroll Right", "Copy selected text", "Page Left", "Page Right")


def test_readme_keys_table_is_the_apps() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- keys:start -->\n(.*?)<!-- keys:end -->", text, re.S)
    assert found, "README.md lost its keys markers"
    assert found.group(1) == markdown_table(), (
        "README's keys table differs from the app: paste reader.ui.keymap.markdown_table()"
    )


def test_every_screen_has_a_group_and_says_question_mark_for_keys() -> None:
    titles = [group.title for group in groups()]
    for title in ("Library", "Reading", "Summary", "Search", "Review", "Everywhere"):
        assert title in titles
    for screen in (LibraryScreen, ReadingScreen, SummaryScreen, SearchScreen, ReviewScreen):
        shown = [b for b in screen.BINDINGS if isinstance(b, Binding) and b.action == "keys"]
        assert shown and all(b.show for b in shown), screen
        assert shown[0].key.split(",")[0] == "question_mark", screen  # the footer's key


async def test_question_mark_shows_the_apps_keys_grouped_this_screen_first(
    studied_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(studied_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("3")  # a focused pane must not turn the help into its bindings
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysDialog)
        cells = [str(cell) for column in app.screen.table.columns for cell in column._cells]
        plain = " ".join(cells)
        for description in ("Next sentence", "Page down", "Next mention", "Note", "Sidebar"):
            assert description in plain
        for inherited in INHERITED:
            assert inherited not in plain
        headings = [
            c for c in app.screen.table.columns[0]._cells if str(c) in {g.title for g in groups()}
        ]
        assert str(headings[0]) == "Reading"
        assert "Library" in [str(h) for h in headings]


async def test_the_keys_help_scrolls_with_vim_keys(seeded_home: Path) -> None:
    from textual.containers import VerticalScroll

    app = make_app(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        box = app.screen.query_one("#keys", VerticalScroll)
        assert box.max_scroll_y > 0
        await pilot.press("j", "j")
        assert box.scroll_y == 2
        await pilot.press("k")
        assert box.scroll_y == 1
        await pilot.press("G")
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("ctrl+u")
        assert 0 < box.scroll_y < box.max_scroll_y
        await pilot.press("g")
        assert box.scroll_y == 0
