"""Below 110 columns the sidebar shows one pane at a time across its whole width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.content import Content

from reader.store import Library
from reader.ui.widgets.sidebar import Sidebar
from tests.conftest import barrier_sentences
from tests.ui_helpers import make_app, reading, settle

PANES = ("entities", "key-sentences", "notes")


def title(screen: Any, pane: str) -> str:
    """The pane's border title as shown (plain text, without its styling)."""
    return Content.from_markup(screen.query_one(f"#{pane}").border_title or "").plain


def is_displayed(widget: Any) -> bool:
    return bool(widget.display)


def shown_panes(screen: Any) -> list[str]:
    return [pane for pane in PANES if screen.query_one(f"#{pane}").display]


async def test_one_pane_at_a_time_at_full_width_switched_by_1_2_3_and_tab(
    studied_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(studied_home, open_article=barrier_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        sidebar = screen.query_one(Sidebar)
        assert not is_displayed(sidebar)  # folded away until asked for
        await pilot.press("s")
        assert is_displayed(sidebar)
        assert shown_panes(screen) == ["entities"]
        pane = screen.query_one("#entities")
        assert pane.outer_size.width == sidebar.content_region.width == 80
        shown = title(screen, "entities")
        assert "1 Entities" in shown and "2 Key sentences" in shown and "3 Notes" in shown
        for key, wanted in (("2", "key-sentences"), ("3", "notes"), ("1", "entities")):
            await pilot.press(key)
            assert shown_panes(screen) == [wanted]
            assert app.focused is not None and app.focused.id == wanted
            assert title(screen, wanted).startswith(key)
        await pilot.press("tab")
        assert shown_panes(screen) == ["key-sentences"]
        assert app.focused is not None and app.focused.id == "key-sentences"
        await pilot.press("tab", "tab")  # past the last pane: on to the text
        assert app.focused is screen.view
        assert shown_panes(screen) == ["notes"]
        # the pane works as a pane: enter on the first note/highlight moves the cursor
        await pilot.press("3", "down", "enter")
        assert screen.view.cursor_span == barrier_sentences()[2]
        # the text keeps room to read: the cursor is still on screen above the sidebar
        assert screen.view.cursor_visible()
        assert screen.view.size.height >= 8


async def test_wide_shows_all_three_and_narrowing_keeps_the_focused_pane(
    studied_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(studied_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert shown_panes(screen) == list(PANES)
        assert title(screen, "notes") == "3 Notes & highlights"
        await pilot.press("3")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert shown_panes(screen) == ["notes"]
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert shown_panes(screen) == list(PANES)
        assert title(screen, "entities") == "1 Entities"
        await pilot.press("ctrl+q")
    with Library.open(studied_home, read_only=True) as lib:
        assert len(lib.notes(barrier_id)) == 1  # looking around changed nothing stored
