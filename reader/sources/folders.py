"""Which files under a folder are articles: the one walk `reader add DIR` and the app's add
dialog share, so a folder imports the same articles from the shell and from the app.

A file counts when some source reads its suffix (the registry's list): a folder of
downloads holds images and archives too, and those are left alone, not reported.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reader.sources.registry import supported_suffixes

__all__ = ["article_files", "refusal_reason"]


def article_files(folder: Path) -> tuple[list[str], OSError | None]:
    """The article files under `folder`, sorted, and the first refusal met listing it.

    A refusal is returned rather than skipped: a folder that cannot be read must be
    reported as such, or its articles would be silently lost.
    """
    suffixes = frozenset(supported_suffixes())
    refusals: list[OSError] = []
    found: list[str] = []
    for where, _folders, files in os.walk(folder, onerror=refusals.append):
        for file in files:
            if Path(file).suffix.lower() not in suffixes:
                continue
            full = Path(where) / file
            try:
                mode = full.stat().st_mode
            except FileNotFoundError:
                continue  # a dangling link: nothing there to import
            except OSError as exc:  # a folder that can be listed but not entered
                refusals.append(exc)
                continue
            if stat.S_ISREG(mode):
                found.append(str(full))
    return sorted(found), (refusals[0] if refusals else None)


def refusal_reason(exc: OSError) -> str:
    """What the disk said, in the words a message about a folder uses."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or str(exc)
