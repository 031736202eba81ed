"""Crash-safe file replacement, and keeping damaged files aside.

A file is never written in place: the new bytes go to a temporary file in the same folder
(same file system, so the rename is atomic), are flushed and fsynced, renamed over the old
file, and the folder itself is fsynced so the rename survives a power cut. A reader of the
file, or a process killed at any instant, sees either the old or the new contents.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_aside_counter = itertools.count()


def fsync_dir(directory: Path) -> None:
    """Make a rename inside `directory` durable; a no-op where folders cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows: directories cannot be opened, and renames are journaled
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_temp(path: Path, data: bytes, *, sync: bool = True) -> Path:
    """Write `data` to a new temporary file beside `path`; return its path.

    Split out from `write_atomic` so a batch can write every file, sync once, then rename.
    Every write of the store passes through here (callers look it up on this module), so
    the tests inject a full disk in this one place.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def commit_temp(tmp: Path, path: Path) -> None:
    """Rename a temporary file written by `write_temp` over `path` (atomic on one volume)."""
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves the old or new file."""
    commit_temp(write_temp(path, data), path)
    fsync_dir(path.parent)


def remove_stale_temps(directory: Path) -> int:
    """Delete temporary files left by a process killed mid-write; return how many.

    Only the process holding the home lock calls this, so no live writer owns them.
    """
    removed = 0
    with contextlib.suppress(OSError):
        for tmp in directory.glob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed += 1
    return removed


def rename_aside(path: Path) -> Path:
    """Move a damaged file to `<name>.corrupt-<UTC stamp>` without overwriting anything.

    The damaged bytes are the reader's data: they are kept for recovery by hand, never
    deleted, and a second damaged file in the same second gets its own name.
    """
    target = _aside_name(path)
    os.rename(path, target)
    fsync_dir(path.parent)
    return target


def _aside_name(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{path.name}.corrupt-{stamp}"
    target = path.with_name(base)
    counter = 1
    while target.exists():
        target = path.with_name(f"{base}-{counter}")
        counter += 1
    return target


def copy_aside(path: Path) -> Path:
    """Keep a copy of a partly damaged file as `<name>.corrupt-<UTC stamp>`, atomically.

    For a file still in use whose bad records are about to be dropped from it: the copy
    is what the reader can recover them from.
    """
    target = _aside_name(path)
    write_atomic(target, path.read_bytes())
    return target


def link_old_version(path: Path) -> Path | None:
    """Give the file about to be replaced a second (temporary) name; None if impossible.

    Replacing a file frees the old version's blocks inside the rename, and on some file
    systems that waits for the disk (about 4 ms per replace on an ext4 mounted with
    `discard`, a third of a progress save). With a second link the rename only drops a
    name; the blocks are freed later by `unlink_later`, off the caller's thread.
    """
    aside = path.with_name(f".{path.name}.old-{os.getpid()}-{next(_aside_counter)}{TEMP_SUFFIX}")
    try:
        os.link(path, aside)
    except OSError:  # no hard links here (FAT, some network shares): replace directly
        return None
    return aside


class _Reaper:
    """One daemon thread unlinking old versions; pending ones are also swept at next open."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Path] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def put(self, path: Path) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="reader-store-reaper", daemon=True
                )
                self._thread.start()
        self._queue.put(path)

    def _run(self) -> None:
        while True:
            path = self._queue.get()
            with contextlib.suppress(OSError):
                path.unlink()
            self._queue.task_done()

    def drain(self) -> None:
        self._queue.join()


_reaper = _Reaper()


def unlink_later(path: Path) -> None:
    _reaper.put(path)


def drain_unlinks() -> None:
    """Wait until every `unlink_later` file is gone (on close, so a home is left tidy)."""
    _reaper.drain()
