"""The store across processes: one writer per home, and kill -9 never loses a finished write.

Locks are per process, so every second opener here is a real subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reader.article import Article
from reader.store import Library

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _article() -> Article:
    return Article.from_paragraphs(
        "Kill test", None, None, None, ["One sentence. Another sentence."]
    )


SECOND_OPENER = """
    import json, sys
    from pathlib import Path
    from reader.store import Library, ReadOnlyError
    lib = Library.open(Path(sys.argv[1]))
    result = {"read_only": lib.read_only, "notices": lib.notices,
              "titles": [r.title for r in lib.articles()]}
    try:
        lib.add_note(sys.argv[2], 0, 1, "from the second window")
        result["write"] = "saved"
    except ReadOnlyError as exc:
        result["write"] = "ReadOnlyError: " + str(exc)
    lib.close()
    print(json.dumps(result))
"""


def test_second_process_is_read_only_while_the_first_is_open(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as first:
        aid = first.add_article(_article()).article.id
        proc = _python(SECOND_OPENER, str(home), aid)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        result = json.loads(out)
        assert result["read_only"] is True
        assert result["titles"] == ["Kill test"]
        assert result["write"].startswith("ReadOnlyError: ")
        (notice,) = result["notices"]
        assert notice.startswith("Another reader is open on this library (process ")
        assert notice.endswith("this window is read-only until it closes.")
        assert str(os.getpid()) in notice
        assert first.notes(aid) == []
    proc = _python(SECOND_OPENER, str(home), aid)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert json.loads(out) == {
        "read_only": False,
        "notices": [],
        "titles": ["Kill test"],
        "write": "saved",
    }


NOTE_WRITER = """
    import sys
    from pathlib import Path
    from reader.store import Library
    lib = Library.open(Path(sys.argv[1]))
    print("ready", lib.read_only, flush=True)
    i = 0
    while True:
        note = lib.add_note(sys.argv[2], i, i + 1, "note %d " % i + "x" * (i % 300))
        lib.save_progress(sys.argv[2], position=i, progress=0.5, seconds_read=1)
        print(note.id, flush=True)
        i += 1
"""


@pytest.mark.parametrize("delay", [0.0, 0.0137])
def test_kill_9_mid_writes_keeps_every_completed_note(tmp_path: Path, delay: float) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        aid = library.add_article(_article()).article.id
    proc = _python(NOTE_WRITER, str(home), aid)
    assert proc.stdout is not None
    assert proc.stdout.readline().split() == ["ready", "False"]
    reported: list[int] = []
    deadline = time.monotonic() + 60
    while len(reported) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        reported.append(int(line))
    # Kill at an arbitrary point inside the next writes, not between them.
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate(timeout=30)
    reported += [int(line) for line in rest.split()]
    assert proc.returncode == -signal.SIGKILL
    assert len(reported) >= 40

    with Library.open(home) as library:  # the dead writer's lock is gone
        assert not library.read_only
        assert library.notices == []
        ids = {note.id for note in library.notes(aid)}
        assert set(reported) <= ids
        assert len(ids) - len(reported) <= 1  # at most the write in flight completed
        assert library.get(aid).seconds_read >= len(reported) - 1
        assert not [p for p in (home / "notes").iterdir() if p.name.endswith(".tmp")]


HOLDER = """
    import sys, time
    from pathlib import Path
    from reader.store import Library
    lib = Library.open(Path(sys.argv[1]))
    print("holding", lib.read_only, flush=True)
    time.sleep(120)
"""


def test_lock_of_a_killed_process_is_released(tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc = _python(HOLDER, str(home))
    assert proc.stdout is not None
    assert proc.stdout.readline().split() == ["holding", "False"]
    with Library.open(home) as blocked:
        assert blocked.read_only
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert blocked.try_become_writable()
        assert blocked.add_article(_article()).added
    with Library.open(home) as library:
        assert not library.read_only and len(library.articles()) == 1
