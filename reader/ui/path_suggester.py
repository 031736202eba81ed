"""Complete a path from the filesystem, as a shell's Tab does: the add and export dialogs.

The completion is the longest name every match shares (a folder gets its "/"), so one Tab
never guesses between two files. It is written onto the text as typed ("~/Do" becomes
"~/Documents/"), since the Input shows the part after the typed text as its suggestion.

`complete` is synchronous for Tab, which must act on the text as it is when the key
arrives (a key typed in a burst cannot wait for a worker); the Input's live suggestion
calls it in a thread, so a slow disk never holds the next key.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

from textual.suggester import Suggester

CHOICES_SHOWN = 8
"""Names listed when Tab finds several: enough to choose from, few enough for one line."""


class PathSuggester(Suggester):
    """Suggests folders, and files with one of `suffixes` (all files when None)."""

    def __init__(self, *, suffixes: Sequence[str] | None = None, folders_only: bool = False):
        # No cache: the filesystem changes under the dialog (a file saved meanwhile).
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = None if suffixes is None else tuple(s.lower() for s in suffixes)
        self.folders_only = folders_only

    async def get_suggestion(self, value: str) -> str | None:
        completed, _choices = await asyncio.to_thread(self.complete, value)
        return completed if completed != value else None

    def complete(self, value: str) -> tuple[str, list[str]]:
        """`value` completed as far as it is unambiguous, and the names it could go on to."""
        if "://" in value:
            return value, []  # a URL (the add dialog takes those): nothing on disk to complete
        head, _, prefix = value.rpartition(os.sep)
        if value == "~":
            return value + os.sep, []
        if not value or prefix in (".", "..") or (value[0] == "~" and not head):
            return value, []
        folder = Path(head + os.sep if head or value.startswith(os.sep) else ".").expanduser()
        names = self._matches(folder, prefix)
        if not names:
            return value, []
        shared = _shared_start(names)
        choices = [] if len(names) == 1 else names[:CHOICES_SHOWN]
        return value + shared[len(prefix) :], choices

    def _matches(self, folder: Path, prefix: str) -> list[str]:
        """Names in `folder` starting with `prefix`; a folder's name ends with the separator."""
        found: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    if not name.startswith(prefix) or (name[0] == "." and prefix[:1] != "."):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        continue
                    if is_dir:
                        found.append(name + os.sep)
                    elif not self.folders_only and self._wanted(name):
                        found.append(name)
        except OSError:  # missing, unreadable, not a folder: nothing to complete
            return []
        return sorted(found)

    def _wanted(self, name: str) -> bool:
        return self.suffixes is None or os.path.splitext(name)[1].lower() in self.suffixes


def _shared_start(names: Sequence[str]) -> str:
    """The longest start every name has, character by character (names, not paths)."""
    first, last = min(names), max(names)
    end = 0
    while end < len(first) and end < len(last) and first[end] == last[end]:
        end += 1
    return first[:end]
