"""Light themes: every cell on every main screen has the theme's colours (no hole where the
terminal's own background shows through), and stripes, borders and text stay legible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.color import Color as RichColor
from textual.app import App
from textual.widgets import DataTable

from reader.store import Library
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.search import SearchScreen
from reader.ui.screens.summary import SummaryScreen
from tests.ui_helpers import make_app, reading, settle

LIGHT_THEMES = ("textual-light", "solarized-light", "catppuccin-latte")
CORNERS = set("╭╮╰╯")


def luminance(color: RichColor) -> float:
    triplet = color.get_truecolor()

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in triplet)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RichColor, b: RichColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def showing(app: App[Any], kind: type) -> bool:
    return isinstance(app.screen, kind)


def check_screen(app: App[Any], where: str) -> None:
    """No terminal-coloured cell, no transparent widget over a transparent screen, and
    round borders that can be seen against what is behind them."""
    screen = app.screen
    assert screen.styles.background.a > 0, where
    for widget in screen.walk_children():
        if not widget.display or not widget.visible:
            continue
        chain = [widget, *widget.ancestors_with_self[1:]]
        painted = [n for n in chain if getattr(n, "styles", None) and n.styles.background.a > 0]
        assert painted, f"{where}: {widget!r} has nothing painted behind it"
        assert widget.styles.background.ansi is None, f"{where}: {widget!r} uses ANSI colours"
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            style = segment.style
            bg = style.bgcolor if style is not None else None
            assert bg is not None and not bg.is_default, f"{where}: hole at {x},{y}"
            assert bg.triplet is not None, f"{where}: terminal colour at {x},{y}"
            if style is not None and style.color is not None and CORNERS & set(segment.text):
                seen = contrast(style.color, bg)
                assert seen >= 1.5, f"{where}: border at {x},{y} barely visible ({seen:.2f})"
            x += segment.cell_length


def check_zebra(app: App[Any], where: str) -> None:
    """Both stripes differ, and cost the text at most 15% of the contrast it has on the
    theme's own surface (some themes, solarized-light, are below 4.5:1 there already)."""
    table = app.screen.query_one(DataTable)
    text = table.rich_style.color
    assert text is not None
    odd = table.get_component_rich_style("datatable--odd-row").bgcolor
    even = table.get_component_rich_style("datatable--even-row").bgcolor
    assert odd is not None and even is not None
    assert odd != even, where
    surface = RichColor.parse(app.theme_variables["surface"])
    wanted = max(3.0, 0.85 * contrast(text, surface))
    for stripe in (odd, even):
        assert contrast(text, stripe) >= wanted, f"{where}: {stripe} under {text}"


@pytest.mark.parametrize("theme", LIGHT_THEMES)
async def test_light_themes_paint_every_cell_on_every_main_screen(
    studied_home: Path, barrier_id: str, wait_for_workers: Any, theme: str
) -> None:
    app = make_app(studied_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        app.theme = theme
        await pilot.pause()
        assert showing(app, LibraryScreen)
        check_screen(app, "library")
        check_zebra(app, "library")
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        check_screen(app, "reading")
        await pilot.press("slash", *"gates", "enter")
        check_screen(app, "reading, find")
        await pilot.press("escape")
        await pilot.resize_terminal(80, 24)
        await pilot.press("s")
        await pilot.pause()
        check_screen(app, "reading, narrow sidebar")
        await pilot.resize_terminal(120, 40)
        await pilot.press("S")
        await settle(pilot, wait_for_workers)
        assert showing(app, SummaryScreen)
        check_screen(app, "summary")
        await pilot.press("escape", "ctrl+f")
        await settle(pilot, wait_for_workers)
        await pilot.press(*"barrier")
        await pilot.pause()
        assert showing(app, SearchScreen)
        check_screen(app, "search")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape", "r")
        await settle(pilot, wait_for_workers)
        assert showing(app, ReviewScreen)
        check_screen(app, "review")
    with Library.open(studied_home, read_only=True) as lib:
        assert lib.get_setting("theme", None) == theme  # the choice is kept
