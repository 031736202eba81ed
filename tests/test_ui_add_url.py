"""The add dialog takes a web page's URL: fetched in a worker, stored once with its URL, and a
page that will not load is said inside the dialog with the URL kept for fixing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.widgets import DataTable, Input, Static

from reader.store import Library
from reader.ui.dialogs.add_article import AddArticleDialog
from reader.ui.screens.library import LibraryScreen
from tests.ui_helpers import burst, keys_handled, make_app, settle, wait_until

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]

PAGE = """<!DOCTYPE html><html><head><title>Ferry timetable changes</title></head><body>
<article><h1>Ferry timetable changes</h1>
<p>The ferry to the islands will leave an hour earlier from Monday, the harbour office said
on Friday, after a winter of complaints from commuters about the late crossings.</p>
<p>Crews expect the change to last until spring, when the summer timetable returns and the
second boat is back from its repairs at the yard in Port Ellery.</p>
</article></body></html>"""


def titles_shown(app: Any) -> list[str]:
    screen = app.screen
    assert isinstance(screen, LibraryScreen), screen
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_a_url_is_fetched_and_added_once(
    home: Path, local_server: LocalServer, wait_for_workers: Any
) -> None:
    url = local_server.page("/ferry.html", PAGE)
    missing = local_server.not_found("/gone.html")
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await keys_handled(pilot)
        burst(app, "a", *missing, "enter")
        await settle(pilot, wait_for_workers)
        dialog = app.screen
        assert isinstance(dialog, AddArticleDialog)
        error = dialog.query_one("#path-error", Static)
        await wait_until(pilot, lambda: error.has_class("-shown"))
        assert "404" in str(error.render()) and missing in str(error.render())
        assert dialog.query_one(Input).value == missing  # kept for fixing
        burst(app, "escape", "y")
        await keys_handled(pilot)
        assert titles_shown(app) == []

        burst(app, "a", *url, "enter")
        await settle(pilot, wait_for_workers)
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert titles_shown(app) == ["Ferry timetable changes"]
        assert any("Added “Ferry timetable changes”" in n.message for n in app._notifications)

        burst(app, "a", *url, "enter")  # again: the same article, and it says so
        await settle(pilot, wait_for_workers)
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert any("already in the library" in n.message for n in app._notifications)
        assert titles_shown(app) == ["Ferry timetable changes"]
    with Library.open(home, read_only=True) as lib:
        [record] = lib.articles()
        assert record.origin == url
        assert lib.load_article(record.id).url == url


async def test_an_unsupported_page_is_said_in_the_dialog(
    home: Path, local_server: LocalServer, wait_for_workers: Any
) -> None:
    url = local_server.page("/photo", b"\x89PNG\r\n", content_type="image/png", charset=None)
    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await keys_handled(pilot)
        burst(app, "a", *url, "enter")
        await settle(pilot, wait_for_workers)
        dialog = app.screen
        assert isinstance(dialog, AddArticleDialog)
        error = dialog.query_one("#path-error", Static)
        await wait_until(pilot, lambda: error.has_class("-shown"))
        assert "an image, not an article" in str(error.render())
    with Library.open(home, read_only=True) as lib:
        assert lib.articles() == []
