"""The store: the one owner of the library's files (TinyDB, article texts, analysis cache).

Importing this package stays cheap (no TinyDB): the analyzer's cache (reader.nlp.cache)
imports reader.store.home and reader.store.fileio on every run, and `reader --help` must
stay fast. `Library` is loaded on first use. The layout on disk is described in reader.store.home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.store.errors import (
    DamagedFile,
    DiskError,
    HomeError,
    NotFound,
    ReadOnlyError,
    StoreError,
)
from reader.store.home import resolve_home
from reader.store.ids import article_id
from reader.store.records import AddResult, ArticleRecord, NoteRecord, filter_articles

if TYPE_CHECKING:
    from reader.store.library import Library

__all__ = [
    "AddResult",
    "ArticleRecord",
    "DamagedFile",
    "DiskError",
    "HomeError",
    "Library",
    "NotFound",
    "NoteRecord",
    "ReadOnlyError",
    "StoreError",
    "article_id",
    "filter_articles",
    "resolve_home",
]


def __getattr__(name: str) -> Any:
    if name == "Library":
        from reader.store.library import Library

        return Library
    raise AttributeError(f"module 'reader.store' has no attribute {name!r}")
