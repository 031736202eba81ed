"""An SVG snapshot of the contents dialog (`c`) over a book, at 100×30.

Deterministic as tests/test_snapshots.py is: a fixed "now", an instant fake analyzer and
`run_before` waiting for it. The reader is in chapter 2 (`}` once), so the mark and the
highlight are on a chapter other than the first. Update with
`pytest tests/test_snapshots_chapters.py --snapshot-update` and look at the SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_ui_chapters import add, book, open_app


def test_contents_dialog(snap_compare: Any, home: Path) -> None:
    app = open_app(home, add(home, book()))

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("right_curly_bracket", "c")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
