"""SIGTERM/SIGHUP save the reader's place and exit cleanly (a real process, headless)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reader.store import Library

SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
import reader.ui.screens.reading as reading
reading.SAVE_INTERVAL = 3600.0  # only the signal handler may save in this test
from tests.conftest import fake_analyze
from reader.ui.app import ReaderApp

class App(ReaderApp):
    def on_ready(self) -> None:
        self.set_timer(0.2, self.move)

    def move(self) -> None:
        screen = self.screen
        screen._move_to(5)
        print("READY", screen.view.cursor_span[0], flush=True)

app = App(Path({home!r}), open_article={article!r}, analyzer=fake_analyze, handle_signals=True)
app.run(headless=True)
print("EXIT", app.return_code, flush=True)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_saves_progress_and_exits_cleanly(
    seeded_home: Path, barrier_id: str, signum: int
) -> None:
    code = SCRIPT.format(
        root=str(Path(__file__).resolve().parent.parent), home=str(seeded_home), article=barrier_id
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("READY"), proc.stderr.read() if proc.stderr else line
        position = int(line.split()[1])
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "EXIT 0" in out
    with Library.open(seeded_home, read_only=True) as lib:
        record = lib.get(barrier_id)
    assert position > 0
    assert record.position == position
    assert record.progress > 0


HANGING_SHUTDOWN = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
import reader.ui.app as ui
ui.EXIT_GRACE = 0.5
from tests.conftest import fake_analyze
from reader.ui.app import ReaderApp

class App(ReaderApp):
    def on_ready(self) -> None:
        self.set_timer(0.2, self.leave)

    async def leave(self) -> None:
        await self.action_quit()

    def on_unmount(self) -> None:
        super().on_unmount()
        time.sleep(3600)  # as when Textual's output thread blocks on a vanished terminal

app = App(Path({home!r}), open_article={article!r}, analyzer=fake_analyze, handle_signals=True)
app.run(headless=True)
"""


def test_a_shutdown_that_hangs_still_ends_the_process(seeded_home: Path, barrier_id: str) -> None:
    root = str(Path(__file__).resolve().parent.parent)
    script = HANGING_SHUTDOWN.format(root=root, home=str(seeded_home), article=barrier_id)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    with Library.open(seeded_home) as library:
        assert not library.read_only  # the lock died with the process
        assert library.get(barrier_id).last_read is not None  # quitting saved the place first
