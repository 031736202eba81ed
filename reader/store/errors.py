"""What can go wrong in the store, in words a reader can be shown as they are.

Every message is one line that says what happened and what the reader can do; the UI and
the CLI print ``str(error)`` without decoration.
"""

from __future__ import annotations


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
