"""What the library had to say on opening reaches the reader inside the app.

The CLI opens the library first (to seed it, or to import a file) and hands its notices
on: printed to stderr they would vanish behind the app's screen, and the app's own open
then finds the library already mended and says nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.store import Library
from reader.ui import app as ui_app
from tests.ui_helpers import make_app, settle

MENDED = "library.json was damaged; it was kept as library.json.corrupt-x and rebuilt."


def library_warnings(app: Any) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Library"]


async def test_the_cli_notices_are_shown_once_with_the_librarys_own(
    seeded_home: Path, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home):  # another window: the app's own open has a notice too
        app = make_app(seeded_home, notices=[MENDED, MENDED])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, wait_for_workers)
            shown = library_warnings(app)
            assert shown[0] == MENDED
            assert shown.count(MENDED) == 1
            assert len(shown) == 2 and shown[1].startswith("Another reader is open")
            assert all(n.severity == "warning" for n in app._notifications)
            await pilot.press("enter", "q")  # into an article and back: nothing said again
            await settle(pilot, wait_for_workers)
            assert library_warnings(app) == shown


def test_run_app_hands_the_notices_to_the_app(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str | None, list[str]]] = []

    def run(self: ui_app.ReaderApp) -> int:
        started.append((self.open_article, self.notices))
        return 0

    monkeypatch.setattr(ui_app.ReaderApp, "run", run)
    assert ui_app.run_app(home, "abc", notices=[MENDED]) == 0
    assert started == [("abc", [MENDED])]
