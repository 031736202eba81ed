"""One writer per home: an OS file lock on ``<home>/.lock``.

The lock is an OS-level lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) held on an
open file descriptor, so the kernel releases it when the holder exits for any reason,
including ``kill -9``: a crashed reader never leaves a home locked. The file's contents
(pid, host, start time) only serve to tell the other window who holds it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path

_WINDOWS_LOCK_OFFSET = 1 << 20  # lock a byte past the holder info so others can still read it


class LockBusy(Exception):
    """Another live process holds the lock."""


class HomeLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock without waiting; raises LockBusy, or OSError if it cannot be made."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with contextlib.suppress(OSError):  # the info is a courtesy; the lock is what counts
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(info).encode("ascii"))

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    def describe_holder(self) -> str:
        """Who holds the lock, in words, e.g. "process 4242 on laptop, since 09:14 UTC"."""
        try:
            info = json.loads(self.path.read_text(encoding="ascii")[:4096])
            pid = int(info["pid"])
            host = str(info["host"])
            since = datetime.fromisoformat(str(info["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return "another process"
        when = since.strftime("%H:%M UTC")
        if since.date() != datetime.now(UTC).date():
            when = since.strftime("%Y-%m-%d %H:%M UTC")
        return f"process {pid} on {host}, since {when}"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise LockBusy(str(exc)) from exc

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import errno
    import fcntl

    def _lock(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise LockBusy(str(exc)) from exc
            raise

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
