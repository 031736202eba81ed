"""What can go wrong in the store, in words a reader can be shown as they are.

Every message is one line that says what happened and what the reader can do; the UI and
the CLI print ``str(error)`` without decoration.
"""

from __future__ import annotations

import errno


class StoreError(Exception):
    """Base of every store failure the UI is expected to show rather than crash on."""


class ReadOnlyError(StoreError):
    """A change was asked of a library opened read-only (usually: another window owns it)."""


class NotFound(StoreError):
    """The article or note is not (or no longer) in the library."""


class DamagedFile(StoreError):
    """A saved file could not be read; it has been kept aside, never deleted."""


class HomeError(StoreError, OSError):
    """The data home cannot be used as a folder.

    Also an OSError, so callers that only want "no home, carry on without a cache" can catch
    the same exception they would get from the file system.
    """


class DiskError(StoreError):
    """The disk refused a read or a write (full, read-only, no permission).

    Raised instead of the bare OSError by every Library call, so the CLI prints one line
    and the app keeps what the reader typed and says what failed. A call that raises it
    has changed nothing on disk: every file is replaced whole or not at all.
    """


_ADVICE = {
    errno.ENOSPC: ("the disk is full", "free some space and try again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and try again"),
    errno.EROFS: ("the disk is read-only", "choose a writable folder with --home"),
    errno.EACCES: ("permission denied", "check that you may write to that folder"),
    errno.EPERM: ("permission denied", "check that you may write to that folder"),
    errno.EIO: ("the disk reported an input/output error", "check the disk"),
}


def what_the_disk_said(exc: OSError) -> tuple[str, str]:
    """(what happened, what to do) in words, for an OSError from the file system."""
    return _ADVICE.get(exc.errno or 0, (exc.strerror or str(exc), "try again"))


def disk_error(exc: OSError, fallback: str) -> DiskError:
    """One line naming the file, what the disk said and what to do about it."""
    what, advice = what_the_disk_said(exc)
    where = exc.filename if exc.filename is not None else fallback
    return DiskError(f"Could not use {printable(where)}: {what}; {advice}. Nothing was changed.")


def printable(name: object) -> str:
    """A path or name fit for a one-line message: undecodable bytes and line breaks shown
    as escapes (a file may be called b'bad\\xffname.txt' or hold a newline)."""
    if isinstance(name, bytes):
        text = name.decode("utf-8", "backslashreplace")
    else:
        text = str(name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
