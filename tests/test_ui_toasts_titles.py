"""Toasts leave the status line readable (styles/app.tcss), and dialogs never cut a long
title mid-word without an ellipsis (styles/dialogs.tcss `.subject`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets._toast import Toast

from reader.store import Library
from reader.ui.dialogs.export import ExportDialog
from reader.ui.dialogs.tags import TagsDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen, StatusLine
from tests.conftest import make_article
from tests.ui_helpers import burst, keys_handled, make_app, settle, wait_until

LONG_TITLE = " ".join(f"Harbour{i:02d}" for i in range(23))[:200].strip()


def status_region(screen: Screen[Any]) -> Region:
    if isinstance(screen, ReadingScreen):
        return screen.query_one(StatusLine).region
    return screen.query_one("#library-status").region


def toast_regions(app: Any) -> list[Region]:
    """Where each toast shows: its region clipped by the rack (which scrolls when full)."""
    shown = app.screen._compositor.visible_widgets
    regions = [
        region.intersection(clip) for w, (region, clip) in shown.items() if isinstance(w, Toast)
    ]
    return [region for region in regions if region.area]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("where", ["library", "reading"])
async def test_toasts_do_not_cover_the_status_line(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any, size: tuple[int, int], where: str
) -> None:
    opened = {"open_article": barrier_id} if where == "reading" else {}
    app = make_app(seeded_home, **opened)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot, wait_for_workers)
        for n in range(4):  # several at once, one of them long: the rack grows
            app.notify("Saved." if n else "A long notice. " * 12, title=f"Notice {n}")
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 4)
        await pilot.pause()
        status = status_region(app.screen)
        assert status.area and toast_regions(app)
        for region in toast_regions(app):
            assert not region.overlaps(status), (region, status)
        row = screen_rows(app, status)[0]
        assert row.startswith(("0% read", "3 of 3 articles", "3 articles")), row


def screen_rows(app: Any, region: Region) -> list[str]:
    strips = app.screen._compositor.render_strips()
    rows = []
    for y in range(region.y, region.bottom):
        text = "".join(segment.text for segment in strips[y].crop(region.x, region.right))
        rows.append(text.strip(" █▀▄▌▐"))
    return rows


def title_is_whole_or_ellipsised(rows: list[str]) -> bool:
    words = " ".join(" ".join(rows).split())
    if LONG_TITLE in words:
        return True
    for row in rows:
        shown = row.strip().strip("“”")
        if shown.startswith(LONG_TITLE[:12]) and shown.endswith("…"):
            return LONG_TITLE.startswith(shown[:-1].rstrip())
    return False


@pytest.fixture
def long_title_home(home: Path) -> tuple[Path, str]:
    with Library.open(home) as lib:
        article_id = lib.add_article(make_article(LONG_TITLE, 200)).article.id
    return home, article_id


@pytest.mark.parametrize(
    ("keys", "kind"),
    [(("e",), ExportDialog), (("T",), TagsDialog), (("d",), Screen)],
    ids=["export", "tags", "delete"],
)
async def test_library_dialogs_show_a_long_title_whole_or_with_an_ellipsis(
    long_title_home: tuple[Path, str], keys: tuple[str, ...], kind: type[Screen[Any]]
) -> None:
    home, _ = long_title_home
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys_handled(pilot)
        burst(app, *keys)
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, kind) and not isinstance(dialog, LibraryScreen)
        rows = screen_rows(app, dialog.query_one("#dialog-box").region)
        assert any(LONG_TITLE[:12] in row for row in rows), rows
        assert title_is_whole_or_ellipsised(rows), rows


async def test_the_reading_screens_tags_dialog_too(
    long_title_home: tuple[Path, str], wait_for_workers: Any
) -> None:
    home, article_id = long_title_home
    app = make_app(home, open_article=article_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "T")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, TagsDialog)
        rows = screen_rows(app, dialog.query_one("#dialog-box").region)
        subject = [row for row in rows if LONG_TITLE[:12] in row]
        assert len(subject) == 1 and subject[0].endswith("…"), rows  # one line, cut visibly
        assert title_is_whole_or_ellipsised(rows), rows


async def test_summary_and_review_lines_end_in_an_ellipsis_when_cut(
    home: Path, wait_for_workers: Any
) -> None:
    from reader.ui.screens.summary import SummaryScreen

    with Library.open(home) as lib:
        aid = lib.add_article(make_article("A " + "very long title " * 12, 200)).article.id
    app = make_app(home, open_article=aid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("S")
        await settle(pilot, wait_for_workers)
        assert isinstance(app.screen, SummaryScreen)
        for name in ("#summary-title", "#summary-status"):
            line = app.screen.query_one(name)
            shown = "".join(segment.text for segment in line.render_line(0)).rstrip()
            assert shown.endswith("…"), (name, shown)
