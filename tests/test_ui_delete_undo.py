"""`d` names what a delete takes and says how to undo it; `u` and the trash (`U`) undo it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.trash import TrashDialog
from reader.ui.screens.library import LibraryScreen
from tests.ui_helpers import burst, keys_handled, make_app, settle

Wait = Callable[[Any], Awaitable[None]]


def messages(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def library_screen(app: ReaderApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen), app.screen
    return app.screen


def snapshot(home: Path, aid: str) -> tuple[object, ...]:
    with Library.open(home, read_only=True) as lib:
        return (
            lib.notes(aid),
            lib.highlights(aid),
            [s for s in lib.review_states() if s.article_id == aid],
            lib.get(aid).tags,
        )


def study(home: Path, aid: str) -> None:
    with Library.open(home) as lib:
        for highlight in lib.highlights(aid):
            lib.save_review_state(f"h{highlight.id}", aid, {"state": 2}, 1.7e9)
        lib.set_tags(aid, ["coast"])


async def select(app: ReaderApp, pilot: Any, aid: str) -> LibraryScreen:
    screen = library_screen(app)
    table = screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(aid))
    await pilot.pause()
    return screen


async def test_d_names_everything_then_u_puts_it_all_back(
    studied_home: Path, barrier_id: str, wait_for_workers: Wait
) -> None:
    study(studied_home, barrier_id)
    before = snapshot(studied_home, barrier_id)
    app = make_app(studied_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = await select(app, pilot, barrier_id)
        await pilot.press("d")
        await keys_handled(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.plain == (
            "Delete “Brackenmouth tide barrier closes” and its 1 note, 2 highlights, "
            "2 review cards?\n\nIt stays in the trash for 30 days: u in the library undoes it."
        )
        await pilot.press("y")
        await keys_handled(pilot)
        screen = library_screen(app)
        assert barrier_id not in {r.id for r in screen.records}
        assert screen.query_one(DataTable).row_count == 2
        assert any("Press u to undo" in m for m in messages(app))
        with Library.open(studied_home, read_only=True) as lib:
            assert barrier_id not in {r.id for r in lib.articles()}
            assert [e.article_id for e in lib.trash()] == [barrier_id]

        await pilot.press("u")
        await keys_handled(pilot)

        assert screen.query_one(DataTable).row_count == 3
        assert screen.current_id() == barrier_id  # the cursor is on it
        assert any(m.startswith("Restored “Brackenmouth") for m in messages(app))
    assert snapshot(studied_home, barrier_id) == before
    with Library.open(studied_home, read_only=True) as lib:
        assert lib.trash() == []


async def test_an_article_without_work_is_asked_about_plainly(
    seeded_home: Path, barrier_id: str, wait_for_workers: Wait
) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await select(app, pilot, barrier_id)
        await pilot.press("d")
        await keys_handled(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.plain.startswith(
            "Delete “Brackenmouth tide barrier closes”?\n\nIt stays in the trash"
        )
        await pilot.press("escape")
        await keys_handled(pilot)
        await pilot.press("u")  # nothing was deleted: nothing to undo
        await keys_handled(pilot)
        assert "Nothing to undo: the trash is empty." in messages(app)
        assert library_screen(app).query_one(DataTable).row_count == 3


async def test_keys_in_a_burst_delete_and_undo_as_typed_slowly(
    studied_home: Path, barrier_id: str, wait_for_workers: Wait
) -> None:
    before = snapshot(studied_home, barrier_id)
    app = make_app(studied_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = await select(app, pilot, barrier_id)
        burst(app, "d", "y", "u")
        await keys_handled(pilot)
        assert screen.current_id() == barrier_id and screen.query_one(DataTable).row_count == 3
    assert snapshot(studied_home, barrier_id) == before


async def test_the_trash_lists_older_deletes_and_restores_the_chosen_one(
    studied_home: Path, barrier_id: str, wait_for_workers: Wait
) -> None:
    app = make_app(studied_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = await select(app, pilot, barrier_id)
        await pilot.press("d", "y")
        await keys_handled(pilot)
        other = screen.current_id()
        assert other is not None and other != barrier_id
        await pilot.press("d", "y")  # the barrier article is now the older delete
        await keys_handled(pilot)
        await pilot.press("U")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, TrashDialog)
        table = dialog.query_one(DataTable)
        rows = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert rows[1] == "Brackenmouth tide barrier closes" and len(rows) == 2
        assert str(table.get_row_at(1)[2]) == "1 note, 2 highlights"
        await pilot.press("down", "enter")
        await keys_handled(pilot)
        screen = library_screen(app)
        assert screen.current_id() == barrier_id
        assert len(screen.records) == 2 and other not in {r.id for r in screen.records}
    with Library.open(studied_home, read_only=True) as lib:
        assert len(lib.highlights(barrier_id)) == 2 and len(lib.notes(barrier_id)) == 1
        assert [e.article_id for e in lib.trash()] == [other]
