"""The plain values the store hands out; they never reach back into the database.

Frozen so a record the UI holds cannot drift from what was saved: to change something,
call the Library and take the fresh record it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reader.store.plain_json import mend


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
    furthest: float = 0.0
    """The furthest point read, as a fraction of the words; `progress` is the bookmark's."""
    anchor: int | None = None
    """Offset of the first sentence on screen at the bookmark, so reopening looks the same."""
    feed: int | None = None
    """The feed it came from (reader.store.feeds), None for anything added otherwise."""


@dataclass(frozen=True, slots=True)
class NoteRecord:
    id: int
    article_id: str
    start: int
    end: int
    text: str
    created_at: str
    updated_at: str
    detached: bool = False
    """Its passage was not found when the article's text changed: `quote` says what it was."""
    quote: str = ""

    def passage(self, text: str) -> str:
        """What it marks in `text` (the article's): a detached one's saved quote instead."""
        return self.quote if self.detached else text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class HighlightRecord:
    """A highlighted passage: one sentence or a run of consecutive ones.

    `start` is the first sentence's start and `end` the last one's end, offsets into the
    article text (which never changes under an id: the id is its content hash), so they
    stay valid across sessions; a new text of the article re-anchors them by their quote
    (reader.store.retext). `note` is the reader's note on the passage ("" for none).
    Ids are never reused within a home.
    """

    id: int
    article_id: str
    start: int
    end: int
    note: str
    created_at: str
    updated_at: str
    detached: bool = False
    """Its passage was not found when the article's text changed: `quote` says what it was."""
    quote: str = ""

    def passage(self, text: str) -> str:
        """What it marks in `text` (the article's): a detached one's saved quote instead."""
        return self.quote if self.detached else text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class ReviewState:
    """A review card's saved schedule: `state` is fsrs's Card.to_dict(), `due` POSIX seconds."""

    card_id: str
    article_id: str
    due: float
    state: dict[str, Any] = field(hash=False, compare=True)


def highlight_card_id(highlight_id: int) -> str:
    """Review-card ids name their source, so a card vanishes with the passage it came from."""
    return f"h{highlight_id}"


def note_card_id(note_id: int) -> str:
    return f"n{note_id}"


def key_card_id(article_id: str, start: int, end: int) -> str:
    """A key sentence of a finished article, by its span (texts never change under an id)."""
    return f"k{article_id}:{start}-{end}"


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Stripped, without empties or duplicates, sorted: the one form tags are stored in."""
    return sorted({mend(tag.strip()) for tag in tags if isinstance(tag, str) and tag.strip()})


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
