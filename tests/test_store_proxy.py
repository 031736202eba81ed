"""The stand-in a thread worker holds: each store call runs on the UI thread, answers and
failures come back to the worker as if it had made the call itself."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

from reader.store import Library, StoreError
from reader.ui.store_proxy import library_for_worker
from tests.ui_helpers import wait_until


class WorkerApp(App[None]):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.outcome: dict[str, Any] = {}

    def on_mount(self) -> None:
        self.run_worker(self._work, thread=True, exit_on_error=False)

    def _work(self) -> None:
        library = library_for_worker(self, self.library)
        library.set_setting("wpm", 310)
        self.outcome["wpm"] = library.get_setting("wpm", 0)
        self.outcome["read_only"] = library.read_only
        try:
            library.load_article("no-such-article")
        except StoreError as error:
            self.outcome["error"] = error
        self.outcome["done"] = True


async def test_a_workers_store_calls_run_on_the_ui_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    called_on: set[int] = set()
    real = Library.set_setting

    def set_setting(self: Library, key: str, value: Any) -> None:
        called_on.add(threading.get_ident())
        real(self, key, value)

    monkeypatch.setattr(Library, "set_setting", set_setting)
    with Library.open(tmp_path / "home") as library:
        app = WorkerApp(library)
        async with app.run_test() as pilot:
            await wait_until(pilot, lambda: app.outcome.get("done", False))
        assert called_on == {threading.get_ident()}
        assert app.outcome["wpm"] == 310 and app.outcome["read_only"] is False
        assert isinstance(app.outcome["error"], StoreError)
        assert library.get_setting("wpm", 0) == 310


async def test_called_from_the_ui_thread_it_refuses_rather_than_waits_for_itself(
    tmp_path: Path,
) -> None:
    with Library.open(tmp_path / "home") as library:
        app = App[None]()
        async with app.run_test():
            with pytest.raises(RuntimeError):
                library_for_worker(app, library).get_setting("wpm", 0)
