"""A damaged or missing article text costs only that article in the app too: review and
export go on with the rest and name the one left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from reader.store import Library
from reader.ui.dialogs.export import ExportDialog
from reader.ui.screens.review import ReviewScreen
from tests.conftest import barrier_article, make_article
from tests.ui_helpers import make_app, settle


def _home_with_one_lost_text(home: Path) -> tuple[str, str]:
    with Library.open(home) as lib:
        good = lib.add_article(barrier_article()).article.id
        lost = lib.add_article(make_article("Lost piece", 80)).article.id
        lib.add_highlight(good, 0, 20, "kept")
        lib.add_highlight(lost, 0, 20, "gone with its text")
    (home / "articles" / f"{lost}.json.gz").unlink()
    return good, lost


def _messages(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_review_shows_the_other_cards_and_names_the_lost_article(
    home: Path, wait_for_workers: Any
) -> None:
    good, lost = _home_with_one_lost_text(home)
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert [c.article_id for c in screen.cards] == [good]
        assert any("Lost piece" in m and lost in m for m in _messages(app))


async def test_export_all_writes_the_rest_and_names_the_lost_article(
    home: Path, tmp_path: Path, wait_for_workers: Any
) -> None:
    _good, lost = _home_with_one_lost_text(home)
    out = tmp_path / "export"
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        messages = _messages(app)
    assert [p.name for p in out.glob("*.md")] == ["brackenmouth-tide-barrier-closes.md"]
    assert any("Lost piece" in m and lost in m for m in messages)
    assert any(m.startswith("Exported 1 article") for m in messages)
