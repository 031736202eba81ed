"""What subscribers of a Library hear: (event, article id, note/highlight id or None).

Names live apart from the Library so the search index and the stores of notes and
highlights can refer to them without importing the whole facade.
"""

from __future__ import annotations

from collections.abc import Callable

ARTICLE_ADDED = "article-added"
ARTICLE_DELETED = "article-deleted"
NOTE_CHANGED = "note-changed"
NOTE_DELETED = "note-deleted"
HIGHLIGHT_CHANGED = "highlight-changed"
HIGHLIGHT_DELETED = "highlight-deleted"
Listener = Callable[[str, str, "int | None"], None]
