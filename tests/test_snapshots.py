"""SVG snapshots of the main screens, grouped by feature (120×40, 80×24 and 200×60).

Deterministic: a fixed "now", the fake analyzer (fixed results), no cursor blink (no
input is focused), and `run_before` waits for the analysis worker to finish.
Update with `pytest tests/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui_helpers import make_app

SIZES = [(120, 40), (80, 24), (200, 60)]


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library(snap_compare: Any, seeded_home: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(seeded_home), terminal_size=size, run_before=settle)


def test_library_empty(snap_compare: Any, home: Path) -> None:
    assert snap_compare(make_app(home), terminal_size=(80, 24), run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reading(
    snap_compare: Any, seeded_home: Path, barrier_id: str, size: tuple[int, int]
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "j")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_reading_narrow_with_sidebar(snap_compare: Any, seeded_home: Path, barrier_id: str) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle, press=["s", "1", "down"])


def test_reading_light_theme_with_entity(
    snap_compare: Any, seeded_home: Path, barrier_id: str
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)

    async def run_before(pilot: Any) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("1", "down", "enter", "0")

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_summary_page(snap_compare: Any, studied_home: Path, barrier_id: str) -> None:
    app = make_app(studied_home, open_article=barrier_id)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(
    snap_compare: Any, studied_home: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # fsrs spreads intervals of days at random; the rating keys preview them.
    monkeypatch.setattr("fsrs.scheduler.random", lambda: 0.5)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("space")  # the first card is the highlight with a note
        await pilot.pause()

    assert snap_compare(make_app(studied_home), terminal_size=size, run_before=run_before)


def test_reading_with_highlights_light_theme(
    snap_compare: Any, studied_home: Path, barrier_id: str
) -> None:
    app = make_app(studied_home, open_article=barrier_id)

    async def run_before(pilot: Any) -> None:
        pilot.app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("j", "v", "j")  # a selection in progress, over a highlight

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_reading_find(snap_compare: Any, seeded_home: Path, barrier_id: str) -> None:
    """Every match marked, the current one apart, the find bar saying which."""
    app = make_app(seeded_home, open_article=barrier_id)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("slash", *"barrier", "enter", "n")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_keys_help(snap_compare: Any, seeded_home: Path) -> None:
    """`?` on the library: this screen's keys first, grouped by screen."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(seeded_home), terminal_size=(120, 40), run_before=run_before)
