"""The plain values the store hands out; they never reach back into the database.

Frozen so a record the UI holds cannot drift from what was saved: to change something,
call the Library and take the fresh record it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    id: str
    title: str
    author: str | None
    published: str | None
    source: str | None
    words: int
    added_at: str
    origin: str | None
    progress: float
    position: int
    last_read: str | None
    finished: bool
    seconds_read: float
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteRecord:
    id: int
    article_id: str
    start: int
    end: int
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class AddResult:
    article: ArticleRecord
    added: bool


def filter_articles(records: Iterable[ArticleRecord], query: str) -> list[ArticleRecord]:
    """Records whose title, source or author contains every word of `query`, ignoring case.

    Words rather than the whole query so "times harbour" finds a Times piece about a harbour;
    an empty query keeps everything.
    """
    words = query.casefold().split()
    if not words:
        return list(records)
    kept: list[ArticleRecord] = []
    for record in records:
        haystack = f"{record.title}\n{record.source or ''}\n{record.author or ''}".casefold()
        if all(word in haystack for word in words):
            kept.append(record)
    return kept
