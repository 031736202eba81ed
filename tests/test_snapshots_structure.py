"""SVG snapshots of the reading view drawing every kind of block (80×24 and 120×40).

Deterministic as tests/test_snapshots.py is: a fixed "now", an instant fake analyzer and
`run_before` waiting for it. The cursor is moved onto the code's section so the code box,
its syntax colours and the table are on screen. Update with
`pytest tests/test_snapshots_structure.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_ui_structure import structure_app

# Down to the paragraph after the code; at 80 columns the code is scrolled right once too.
CASES = [
    pytest.param((80, 24), ["j"] * 13 + ["right"], id="80x24"),
    pytest.param((120, 40), ["j"] * 13, id="120x40"),
]


async def settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(("size", "keys"), CASES)
def test_reading_every_block_kind(
    snap_compare: Any, home: Path, size: tuple[int, int], keys: list[str]
) -> None:
    app = structure_app(home)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
