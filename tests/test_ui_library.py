"""The library screen: table, sorting, filtering, adding, deleting, empty state, notices."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.dialogs.add_article import AddArticleDialog
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.reading import ReadingScreen
from tests.conftest import barrier_article
from tests.ui_helpers import burst, keys_handled, make_app, reading, wait_until


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
            "Author",
            "Source",
            "Words",
            "Time",
            "Read",
            "Last read ↓",
        ]
        assert str(table.get_row_at(0)[1]) in {"Helen Marsh", "Test Author"}
        screen.sort_by("title", toggle=False)
        await pilot.pause()
        assert titles(app) == sorted(titles(app), key=str.casefold)
        await pilot.press("R")  # reverse (r is review)
        assert titles(app) == sorted(titles(app), key=str.casefold, reverse=True)
        await pilot.press("o")  # next column: author
        assert screen.sort_column == "author"
        await pilot.click(DataTable, offset=(2, 0))  # click the Title header
        await pilot.pause()
        assert screen.sort_column == "title"
        assert str(table.columns[ColumnKey("title")].label) == "Title ↑"
        row = table.get_row_at(0)
        assert str(row[6]) == "never"


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
            "Delete “Brackenmouth tide barrier closes” and its 3 notes?\n\n"
            "It stays in the trash for 30 days: u in the library undoes it."
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


async def test_add_dialog_keeps_a_bad_path_to_mend_then_imports(home: Path, tmp_path: Path) -> None:
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
        # The dialog stays, says what is wrong, and keeps the path to be mended.
        assert isinstance(app.screen, AddArticleDialog)
        assert "missing.txt" in str(app.screen.query_one("#path-error", Static).render())
        assert app.screen.query_one(Input).value.endswith("missing.txt")
        app.screen.query_one(Input).value = str(good)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
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
        screen.library.save_progress(barrier_id, position=0, progress=1.0, finished=True)
        screen.reload()  # new records: new cells
        await pilot.pause()
        assert str(table.get_cell(barrier_id, read)) == "done"


def library_screen(app: ReaderApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen), app.screen
    return app.screen


def status(app: ReaderApp) -> str:
    return str(app.screen.query_one("#library-status", Static).render())


async def test_vi_keys_move_through_the_list(home: Path) -> None:
    from tests.conftest import make_article

    total = 60
    with Library.open(home) as lib:
        lib.add_articles([(make_article(f"Article {i:02d}", 30), None) for i in range(total)])
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = library_screen(app)
        table = screen.query_one(DataTable)
        screen.sort_by("title", toggle=False)
        await wait_until(pilot, lambda: table.row_count == total)
        visible = table.scrollable_content_region.height - table.header_height
        assert visible == 20  # 24 lines less the title, the status line and the footer
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("G")
        assert table.cursor_row == total - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("ctrl+d")
        assert table.cursor_row == visible // 2
        await pilot.press("ctrl+d", "ctrl+u")
        assert table.cursor_row == visible // 2
        await pilot.press("ctrl+u", "k")
        assert table.cursor_row == 0  # and no further
        burst(app, "G", "k", "k", "enter")  # as fast as a key repeat
        await keys_handled(pilot)
        assert reading(app).record.title == f"Article {total - 3:02d}"
    with Library.open(home, read_only=True) as lib:
        opened = next(r for r in lib.articles() if r.title == f"Article {total - 3:02d}")
        assert opened.last_read is not None


async def test_counts_say_article_and_articles(seeded_home: Path, barrier_id: str) -> None:
    with Library.open(seeded_home) as lib:
        only = lib.add_article(barrier_article(title="Solo", paragraphs=["One line."]))
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert status(app).startswith(" 4 articles")
        await pilot.press("slash", *"solo")
        await pilot.pause()
        assert status(app).startswith(" 1 of 4 articles")
    with Library.open(seeded_home) as lib:
        for record in lib.articles():
            if record.id != only.article.id:
                lib.delete(record.id)
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert status(app).startswith(" 1 article ·")


def shown(widget: Widget) -> bool:
    """`widget.display`, read afresh (mypy would keep the value an earlier assert saw)."""
    return widget.display


async def test_a_filter_that_matches_nothing_says_so(seeded_home: Path) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = library_screen(app)
        table = screen.query_one(DataTable)
        hint = screen.query_one("#no-match", Static)
        assert not shown(hint)
        await pilot.press("slash", *"zebra", "enter")
        await pilot.pause()
        assert shown(hint) and not shown(table)
        assert "No article matches “zebra”" in str(hint.render())
        assert status(app).startswith(" 0 of 3 articles")
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"quiet", "enter")  # the box kept the keys: mended in place
        await pilot.pause()
        assert not shown(hint) and shown(table) and table.has_focus
        assert titles(app) == ["A quiet week in parliament"]
        await pilot.press("slash", *"zz", "escape")
        await pilot.pause()
        assert not shown(hint) and table.has_focus and len(titles(app)) == 3


async def test_the_cursor_stays_on_the_article_read(seeded_home: Path, barrier_id: str) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = library_screen(app)
        table = screen.query_one(DataTable)
        screen.sort_by("title", toggle=False)  # barrier sorts second
        await pilot.pause()
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("enter")
        await pilot.pause()
        assert reading(app).record.id == barrier_id
        await pilot.press("j", "escape")
        await pilot.pause()
        assert screen.current_id() == barrier_id
        await pilot.press("o", "R")  # sorted again, twice
        assert screen.current_id() == barrier_id
        await pilot.press("slash", *"tide", "enter", "escape")  # filtered and back
        assert screen.current_id() == barrier_id
        screen.sort_by("last_read", toggle=False)  # the one just read moves to the top
        assert table.cursor_row == 0 and screen.current_id() == barrier_id
        await pilot.press("enter")
        await pilot.pause()
        assert reading(app).record.id == barrier_id  # enter opens the same one again
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.get(barrier_id).last_read is not None


async def test_a_tag_with_a_space_can_be_filtered(seeded_home: Path, barrier_id: str) -> None:
    with Library.open(seeded_home) as lib:
        lib.set_tags(barrier_id, ["UK Local", "coast"])
        other = next(r.id for r in lib.articles() if r.id != barrier_id)
        lib.set_tags(other, ["UK"])
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        burst(app, "slash", *'tag:"uk local"')
        await keys_handled(pilot)
        assert titles(app) == ["Brackenmouth tide barrier closes"]
        assert library_screen(app).query_text == 'tag:"uk local"'
        await pilot.press("escape", "slash", *"tag:uk")
        assert titles(app) == [library_screen(app).library.get(other).title]


async def test_tags_dialog_completes_known_tags(seeded_home: Path, barrier_id: str) -> None:
    from reader.ui.dialogs.tags import TagsDialog

    with Library.open(seeded_home) as lib:
        lib.set_tags(barrier_id, ["UK Local", "coast"])
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = library_screen(app)
        quiet = next(r.id for r in screen.records if r.title.startswith("A quiet"))
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(quiet))
        burst(app, "T", *"uk", "right", *", c", "tab", *", c", "tab")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, TagsDialog)
        box = dialog.query_one(Input)
        # "coast" is on the line already: the second ", c" has nothing to complete, and tab
        # then only moves focus.
        assert box.value == "UK Local, coast, c"
        box.focus()
        await pilot.press("backspace", "backspace", "backspace", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    with Library.open(seeded_home, read_only=True) as lib:
        assert sorted(lib.get(quiet).tags) == ["UK Local", "coast"]


async def test_a_completion_shows_while_typing(seeded_home: Path, barrier_id: str) -> None:
    from reader.ui.dialogs.tags import TagsDialog

    with Library.open(seeded_home) as lib:
        lib.set_tags(barrier_id, ["floods"])
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)
        box = app.screen.query_one(Input)
        box.value = ""
        await pilot.press(*"fl")
        await wait_until(pilot, lambda: "floods" in str(box.render_line(0).text))
        assert box.value == "fl"  # shown, not yet taken


def test_completion_of_the_last_tag() -> None:
    from reader.ui.dialogs.tags import complete_tag

    known = ["coast", "floods", "UK", "UK Local"]
    assert complete_tag("fl", known) == "floods"
    assert complete_tag("coast, FL", known) == "coast, floods"  # the known spelling
    assert complete_tag("coast,  uk l", known) == "coast,  UK Local"
    assert complete_tag("uk", known) == "UK Local"  # "UK" is already whole
    assert complete_tag("coast, c", known) is None  # already on the line
    assert complete_tag("coast, ", known) is None
    assert complete_tag("", known) is None
    assert complete_tag("zz", known) is None


async def test_the_read_column_shows_read_fraction(
    seeded_home: Path, barrier_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui import library_rows

    monkeypatch.setattr(library_rows, "read_fraction", lambda record: 0.25)
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = library_screen(app).query_one(DataTable)
        assert str(table.get_cell(barrier_id, ColumnKey("progress"))) == "25%"
