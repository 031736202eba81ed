"""The Feeds dialog in a small harness app: feeds listed with their unread counts, an
update with progress in a worker, and a feed chosen to see its articles."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.widgets import OptionList, Static

from reader.store import Library
from reader.ui.dialogs.feeds import FeedsDialog
from tests.feed_samples import body, rss2
from tests.ui_helpers import burst, store_threads, wait_until

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]

Wait = Callable[[Any], Awaitable[None]]


class Harness(App[None]):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.chosen: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(FeedsDialog(self.library), self.chosen.append)


def posts(server: LocalServer, prefix: str, n: int) -> list[dict[str, str]]:
    return [
        {
            "title": f"{prefix} post {i}",
            "link": server.url(f"/{prefix}/{i}"),
            "guid": f"{prefix}-{i}",
            "content": body(f"{prefix} post {i}"),
        }
        for i in range(n)
    ]


def status(app: App[Any]) -> str:
    return str(app.screen.query_one("#feeds-status", Static).render())


def rows(app: App[Any]) -> list[str]:
    box = app.screen.query_one("#feeds", OptionList)
    return [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]


async def test_u_updates_every_feed_in_a_worker_and_enter_shows_one(
    tmp_path: Path, local_server: LocalServer, wait_for_workers: Wait, monkeypatch: Any
) -> None:
    server = local_server
    server.page(
        "/tide.xml",
        rss2("Tide Daily", posts(server, "tide", 3)),
        content_type="application/rss+xml",
    )
    server.page("/gone.xml", b"missing", status=404)
    with Library.open(tmp_path / "home") as library:
        library.add_feeds(
            [(server.url("/tide.xml"), None, None, ()), (server.url("/gone.xml"), "Gone", None, ())]
        )
        app = Harness(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, FeedsDialog)
            assert status(app) == "2 feeds. u updates them all."
            threads = store_threads(monkeypatch)
            burst(app, "u", "u")  # a second u while updating starts nothing more
            await wait_until(pilot, lambda: dialog.report is not None, timeout=20)
            await wait_for_workers(app)
            assert threads == {threading.get_ident()}  # the worker's store calls: on this one
            await pilot.pause()
            said = status(app)
            assert said.startswith("3 new articles. 1 feed failed: Gone:") and "404" in said
            assert any(row.startswith("Tide Daily  3 unread of 3") for row in rows(app))
            await pilot.press("enter")  # the first feed listed
            await pilot.pause()
        assert app.chosen == ["Tide Daily"]
        assert sorted(r.title for r in library.articles()) == [
            "tide post 0",
            "tide post 1",
            "tide post 2",
        ]
        assert all(not r.finished and r.progress == 0 for r in library.articles())


async def test_without_feeds_the_dialog_says_how_to_follow_one(tmp_path: Path) -> None:
    with Library.open(tmp_path / "home") as library:
        app = Harness(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert status(app) == "No feeds yet: `reader feed add URL` follows one."
            await pilot.press("u", "escape")
            await pilot.pause()
        assert app.chosen == [None]


async def test_the_library_updates_feeds_and_shows_one_feeds_articles(
    seeded_home: Path, local_server: LocalServer, wait_for_workers: Wait
) -> None:
    from reader.ui.screens.library import LibraryScreen
    from tests.ui_helpers import keys_handled, make_app, settle

    server = local_server
    server.page(
        "/tide.xml",
        rss2("Tide Daily", posts(server, "tide", 2)),
        content_type="application/rss+xml",
    )
    with Library.open(seeded_home) as library:
        library.add_feeds([(server.url("/tide.xml"), None, None, ())])
        before = len(library.articles())
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        burst(app, "F", "u")
        await keys_handled(pilot)
        dialog = app.screen
        assert isinstance(dialog, FeedsDialog)
        await wait_until(pilot, lambda: dialog.report is not None, timeout=20)
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.query_text == 'feed:"Tide Daily"'
        assert sorted(r.title for r in screen.shown) == ["tide post 0", "tide post 1"]
    with Library.open(seeded_home, read_only=True) as library:
        assert len(library.articles()) == before + 2
