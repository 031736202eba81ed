"""The library screen: table, sorting, filtering, adding, deleting, empty state, notices."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.dialogs.add_article import AddArticleDialog
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from tests.ui_helpers import make_app


def titles(app: ReaderApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_table_lists_articles_and_sorts(seeded_home: Path) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        assert [str(c.label) for c in table.columns.values()] == [
            "Title",
            "Source",
            "Words",
            "Time",
            "Read",
            "Last read ↓",
        ]
        screen.sort_by("title", toggle=False)
        await pilot.pause()
        assert titles(app) == sorted(titles(app), key=str.casefold)
        await pilot.press("R")  # reverse (r is review)
        assert titles(app) == sorted(titles(app), key=str.casefold, reverse=True)
        await pilot.press("o")  # next column: source
        assert screen.sort_column == "source"
        await pilot.click(DataTable, offset=(2, 0))  # click the Title header
        await pilot.pause()
        assert screen.sort_column == "title"
        assert str(table.columns[ColumnKey("title")].label) == "Title ↑"
        row = table.get_row_at(0)
        assert str(row[5]) == "never"


async def test_slash_filter_narrows_the_table(seeded_home: Path) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"quiet")
        await pilot.pause()
        assert titles(app) == ["A quiet week in parliament"]
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert len(titles(app)) == 3
        await pilot.press("slash", *"coast news")  # by source
        await pilot.pause()
        assert titles(app) == ["Brackenmouth tide barrier closes"]
        await pilot.press("enter", "enter")  # leave the filter, then open the row
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)


async def test_empty_library_shows_a_hint(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#empty-hint")
        assert hint.display
        assert "Press a to add" in str(hint.render())
        assert not app.screen.query_one(DataTable).display


async def test_delete_asks_first_with_the_note_count(seeded_home: Path, barrier_id: str) -> None:
    with Library.open(seeded_home) as lib:
        for i in range(3):
            lib.add_note(barrier_id, 0, 10, f"note {i}")
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question.plain == (
            "Delete “Brackenmouth tide barrier closes” and its 3 notes?"
        )
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 3
        await pilot.press("d", "y")
        await pilot.pause()
        assert len(titles(app)) == 2
    with Library.open(seeded_home, read_only=True) as lib:
        assert barrier_id not in {r.id for r in lib.articles()}
        assert lib.notes(barrier_id) == []


async def test_add_dialog_imports_a_file_and_reports_a_bad_path(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "piece.txt"
    good.write_text(
        "A harbour story\n\nThe harbour opened today after a long winter. "
        "Boats returned to the quay by noon.\n",
        encoding="utf-8",
    )
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddArticleDialog)
        app.screen.query_one(Input).value = str(tmp_path / "missing.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "missing.txt" in errors[0].message
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one(Input).value = str(good)
        await pilot.press("enter")
        await pilot.pause()
        assert len(titles(app)) == 1
    with Library.open(home, read_only=True) as lib:
        assert len(lib.articles()) == 1


async def test_store_notices_are_shown_once(home: Path) -> None:
    (home / "library.json").write_text("{not json", encoding="utf-8")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert messages, "a corrupt database must be reported"


async def test_theme_is_remembered(home: Path) -> None:
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_command_palette_offers_reader_commands(seeded_home: Path) -> None:
    from reader.ui.commands import ReaderCommands

    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        provider = ReaderCommands(app.screen)
        hits = [hit async for hit in provider.search("quiet week")]
        assert any("A quiet week in parliament" in str(hit.text) for hit in hits)
        hit = next(h for h in hits if "A quiet week" in str(h.text))
        hit.command()
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        provider = ReaderCommands(app.screen)
        names = [hit.text async for hit in provider.discover()]
        assert "Add a note on the current sentence" in names


async def test_a_big_library_streams_its_rows(home: Path) -> None:
    from reader.ui.screens.library import FIRST_ROWS
    from tests.conftest import make_article

    total = FIRST_ROWS + 260
    with Library.open(home) as lib:
        lib.add_articles([(make_article(f"Article {i:04d}", 30), None) for i in range(total)])
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        for _ in range(100):
            if table.row_count == total:
                break
            await pilot.pause(0.02)
        assert table.row_count == total
        await pilot.press("slash", *"0042")
        await pilot.pause()
        assert titles(app) == ["Article 0042"]


async def test_typing_a_filter_answers_with_a_screenful_and_the_rest_follows(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui.screens import library
    from reader.ui.screens.library import FIRST_ROWS
    from tests.conftest import make_article

    monkeypatch.setattr(library, "FILL_DELAY", 0.8)  # room for a slow machine

    total = FIRST_ROWS + 400
    with Library.open(home) as lib:
        lib.add_articles([(make_article(f"Article {i:04d}", 30), None) for i in range(total)])
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        for _ in range(200):
            if table.row_count == total:
                break
            await pilot.pause(0.02)
        await pilot.press("slash")
        box = screen.query_one("#filter", Input)
        box.value = "article"  # as one keystroke: every row still matches
        await pilot.pause(0)
        assert 40 <= table.row_count <= max(FIRST_ROWS, 40) < total  # the screenful only
        assert titles(app)[:3] == ["Article 0000", "Article 0001", "Article 0002"]
        box.value = "article 01"  # a newer query before the rest came: it must not land
        await pilot.pause(0.9)
        for _ in range(200):
            if table.row_count == len(screen.shown):
                break
            await pilot.pause(0.02)
        expected = [f"Article {i:04d}" for i in range(total) if "01" in f"{i:04d}"]
        assert len(expected) > FIRST_ROWS  # so the rest had to stream in too
        assert titles(app) == expected == [r.title for r in screen.shown]
        await pilot.press("escape")
        for _ in range(200):
            if table.row_count == total:
                break
            await pilot.pause(0.02)
        assert titles(app) == [f"Article {i:04d}" for i in range(total)]


async def test_rows_show_the_records_after_a_reload(seeded_home: Path, barrier_id: str) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        read = ColumnKey("progress")
        assert str(table.get_cell(barrier_id, read)) != "done"
        screen.query_text = "x"
        screen.refresh_rows()
        screen.query_text = ""
        screen.refresh_rows()  # same records: the kept cells come back
        assert str(table.get_cell(barrier_id, read)) != "done"
        screen.library.save_progress(barrier_id, position=0, progress=1.0)
        screen.reload()  # new records: new cells
        await pilot.pause()
        assert str(table.get_cell(barrier_id, read)) == "done"
