"""The library at 80 and 200 columns: no sideways scrolling, the title gets the space."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from reader.store import Library
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from tests.conftest import barrier_article, make_article
from tests.ui_helpers import make_app

SOURCE = "Brackenmouth Evening Chronicle and Gazette"


def width_home(home: Path) -> dict[str, str]:
    """Titles up to 44 characters, a long source, tags (one with a space). Title -> id."""
    ids: dict[str, str] = {}
    with Library.open(home) as lib:
        barrier = lib.add_article(barrier_article(source=SOURCE)).article.id
        lib.set_tags(barrier, ["coast", "UK Local"])
        ids["Brackenmouth tide barrier closes"] = barrier
        for title in (
            "Orbital freight startup raises funds again",
            "A quiet week in parliament, for once at last",
            "Ferry timetable",
        ):
            ids[title] = lib.add_article(make_article(title, 400, source="Wire")).article.id
    return ids


def library_screen(app: ReaderApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen), app.screen
    return app.screen


def title_line(cell: Text) -> str:
    return cell.plain.split("\n")[0]


def assert_fits(table: DataTable[Text]) -> None:
    assert table.max_scroll_x == 0
    assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_at_80_columns_titles_are_whole_and_nothing_scrolls_sideways(home: Path) -> None:
    ids = width_home(home)
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = library_screen(app).query_one(DataTable)
        assert_fits(table)
        keys = [str(k.value) for k in table.columns]
        assert keys[0] == "title" and len(keys) > 1  # other columns still show...
        for title, article_id in ids.items():  # ...and not at the cost of a title
            assert title_line(table.get_cell(article_id, "title")) == title
        assert "author" not in keys and "words" not in keys  # these went first
        source = str(table.get_cell(ids["Brackenmouth tide barrier closes"], "source"))
        assert source.endswith("…") and len(source) < len(SOURCE)  # shrunk, marked as cut
        await pilot.press("end")
        assert table.scroll_x == 0
        await pilot.press("right", "right")
        assert table.scroll_x == 0


async def test_at_80_columns_tags_go_under_the_title(home: Path) -> None:
    ids = width_home(home)
    app = make_app(home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = library_screen(app).query_one(DataTable)
        barrier = ids["Brackenmouth tide barrier closes"]
        assert "tags" not in [k.value for k in table.columns]
        lines = table.get_cell(barrier, "title").plain.split("\n")
        assert lines == ["Brackenmouth tide barrier closes", "#UK Local #coast"]
        assert table.rows[RowKey(barrier)].height == 2
        ferry = ids["Ferry timetable"]
        assert table.rows[RowKey(ferry)].height == 1  # no tags, no second line


async def test_at_200_columns_every_column_shows_and_titles_use_the_width(home: Path) -> None:
    ids = width_home(home)
    app = make_app(home)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        table = library_screen(app).query_one(DataTable)
        assert_fits(table)
        assert [str(c.label) for c in table.columns.values()] == [
            "Title",
            "Author",
            "Source",
            "Tags",
            "Words",
            "Time",
            "Read",
            "Last read ↓",
        ]
        barrier = ids["Brackenmouth tide barrier closes"]
        assert str(table.get_cell(barrier, "author")) == "Helen Marsh"
        assert str(table.get_cell(barrier, "source")).startswith("Brackenmouth Evening")
        assert str(table.get_cell(barrier, "tags")) == "#UK Local #coast"
        title = next(c for c in table.columns.values() if c.key.value == "title")
        assert title.width > 80  # the spare width went to the titles
        await pilot.press("end")
        assert table.scroll_x == 0


async def test_resizing_rebuilds_the_columns_and_keeps_the_cursor(home: Path) -> None:
    ids = width_home(home)
    app = make_app(home)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        screen = library_screen(app)
        table = screen.query_one(DataTable)
        ferry = ids["Ferry timetable"]
        table.move_cursor(row=table.get_row_index(ferry))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "author" not in [k.value for k in table.columns]
        assert_fits(table)
        assert screen.current_id() == ferry
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert "author" in [k.value for k in table.columns]
        assert_fits(table)
        assert screen.current_id() == ferry
