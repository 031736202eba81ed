"""Kindle's "My Clippings.txt": each book's highlights and notes, as one book of passages.

The file is a log, not a list: every highlight, note and bookmark is appended as it is made,
so one passage can appear several times (highlighted twice, or highlighted and then extended
to a longer passage) and a note is an entry of its own, tied to its highlight only by
location. Reading it therefore means merging: exact repeats become one, a highlight and a
later longer one over the same locations become the longer one (the text of one contains
the other's), notes join the highlight whose locations hold theirs (preferring the one that
ends there, where Kindle puts a note), and bookmarks, which carry no text, are dropped.

A Kindle book's own text never leaves the device, so its article is the passages alone, in
location order: `book_article` builds it, with the span of each passage so the caller can
keep them as highlights (with their notes) ready for review.

A file that is no clippings file at all raises `InputError`; an entry that cannot be read
(no metadata line, an unknown kind, a highlight with no text) is skipped and its reason kept
in `Clippings.skipped`, entries numbered from 1 in file order.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from reader.article.document import DocumentBuilder
from reader.article.inputs import InputError, decode_bytes
from reader.article.model import Article
from reader.sources.kindle_header import Header, read_header

__all__ = [
    "BookOfPassages",
    "Clippings",
    "KindleBook",
    "Passage",
    "book_article",
    "read_clippings",
    "scan_clippings",
]

_SEPARATOR = re.compile(r"^\s*={10,}\s*$", re.MULTILINE)
_SPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
# What Kindle writes instead of the text once a publisher's clipping limit is reached.
_LIMIT = re.compile(r"^<.*(?:clipping limit|limite maximale|Markierungslimit).*>$", re.I)


@dataclass(frozen=True, slots=True)
class Passage:
    """A highlighted passage, or (`kind` "note") a note that no highlight holds, whose
    `text` is the note itself. `location` is a (first, last) pair; `added` is ISO 8601 in
    the Kindle's local time; `note` the notes attached, one per line."""

    text: str
    location: tuple[int, int] | None
    page: int | None
    added: str | None
    note: str | None = None
    kind: Literal["highlight", "note"] = "highlight"


@dataclass(frozen=True, slots=True)
class KindleBook:
    title: str
    author: str | None
    passages: list[Passage]


@dataclass(frozen=True, slots=True)
class Clippings:
    books: list[KindleBook] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BookOfPassages:
    """A book as an article, and each passage's [start, end) in its text with the note
    text ("" for none): one entry per passage, in order."""

    article: Article
    highlights: list[tuple[int, int, str]]


@dataclass(frozen=True, slots=True)
class _Entry:
    number: int
    header: Header
    text: str


def read_clippings(data: bytes, name: str = "My Clippings.txt") -> list[KindleBook]:
    return scan_clippings(data, name).books


def scan_clippings(data: bytes, name: str = "My Clippings.txt") -> Clippings:
    """The books in a clippings file, in the order they first appear, and what was skipped."""
    text = decode_bytes(data, name)
    books: dict[tuple[str, str | None], list[_Entry]] = {}
    skipped: list[str] = []
    recognised = 0
    for number, lines in enumerate(_chunks(text), start=1):
        title_line = lines[0]
        header = read_header(lines[1]) if len(lines) > 1 else None
        if header is None:
            shown = lines[1] if len(lines) > 1 and lines[1].strip() else title_line
            shown = shown.strip()[:60]
            skipped.append(f"entry {number}: no Kindle metadata line ({shown!r})")
            continue
        recognised += 1
        if header.kind == "bookmark":
            continue
        body = "\n".join(lines[2:]).strip()
        if not body or _LIMIT.match(body):
            what = "highlight" if header.kind == "highlight" else "note"
            skipped.append(f"entry {number}: a {what} with no text")
            continue
        books.setdefault(_title_author(title_line), []).append(_Entry(number, header, body))
    if not recognised:
        raise InputError(
            name, "not a Kindle clippings file (expected entries separated by ========== lines)"
        )
    out = [
        KindleBook(title, author, _passages(entries)) for (title, author), entries in books.items()
    ]
    return Clippings([book for book in out if book.passages], skipped)


def _chunks(text: str) -> Iterator[list[str]]:
    """Each entry's lines, from its title line on; empty entries (a file that starts or
    ends with a separator, two separators in a row) are not entries."""
    for chunk in _SEPARATOR.split(text):
        lines = chunk.split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines:
            yield lines


def _title_author(line: str) -> tuple[str, str | None]:
    """ "Title (Author)": the author is the last parenthesised group, which may itself hold
    parentheses ("飘 (丛书) ((美)米切尔)", "--authors (Inconnu(e))")."""
    line = _SPACE.sub(" ", line).strip()
    if line.endswith(")"):
        depth = 0
        for index in range(len(line) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(line[index], 0)
            if depth == 0:
                title, author = line[:index].strip(), line[index + 1 : -1].strip()
                if title:
                    return title, author or None
                break
    return line, None


def _passages(entries: list[_Entry]) -> list[Passage]:
    shelf = _Shelf()
    for entry in entries:
        if entry.header.kind == "highlight":
            shelf.add_highlight(_passage(entry, _SPACE.sub(" ", entry.text)))
    loose: list[Passage] = []
    for entry in entries:
        if entry.header.kind == "note":
            note = _BLANK_LINES.sub("\n", entry.text)
            if not shelf.attach(entry.header, note):
                _add_loose(loose, replace(_passage(entry, note), kind="note"))
    return sorted(shelf.in_file_order() + loose, key=_order)


def _passage(entry: _Entry, text: str) -> Passage:
    header = entry.header
    return Passage(text, header.location, header.page, header.added)


def _key(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


class _Shelf:
    """A book's highlights so far, found by where they are, so that merging a file of
    thousands stays quick: located ones by a sorted list of their first locations (a lookup
    reads only those that can overlap), the rest by page, or all the unplaced ones. Ids
    keep file order; a highlight that replaces shorter ones takes the first one's id."""

    def __init__(self) -> None:
        self.passages: dict[int, Passage] = {}
        self._keys: dict[int, str] = {}
        self._spans: dict[int, tuple[int, int]] = {}
        self._starts: list[tuple[int, int]] = []  # (first location, id), sorted
        self._longest = 0
        self._pages: dict[int, list[int]] = {}
        self._unplaced: list[int] = []
        self._next = 0

    def add_highlight(self, new: Passage) -> None:
        """A repeat or a shorter form of a highlight already here (over the same locations,
        or on the same page) goes; one that extends earlier ones replaces them."""
        key = _key(new.text)
        covered = []
        for ident in self._near(new):
            if key in self._keys[ident]:
                return
            if self._keys[ident] in key:
                covered.append(ident)
        for ident in covered:
            self._drop(ident)
        if covered:
            self._put(covered[0], new)
        else:
            self._put(self._next, new)
            self._next += 1

    def attach(self, header: Header, note: str) -> bool:
        """Attach a note to the highlight whose locations hold the note's: the one ending
        there first (Kindle places a note at the end of its highlight), then the narrowest,
        then the latest; in a book without locations, the latest on its page. False when no
        highlight holds it."""
        if header.location is not None:
            where = header.location[1]
            ids = self._holding(where, where)
            spans = self._spans
            ids.sort(key=lambda i: (spans[i][1] != where, spans[i][1] - spans[i][0], -i))
        elif header.page is not None:
            ids = sorted(self._pages.get(header.page, ()), reverse=True)
        else:
            ids = []
        if not ids:
            return False
        passage = self.passages[ids[0]]
        if passage.note is None:
            self.passages[ids[0]] = replace(passage, note=note)
        elif note not in passage.note.split("\n"):
            self.passages[ids[0]] = replace(passage, note=f"{passage.note}\n{note}")
        return True

    def in_file_order(self) -> list[Passage]:
        return [self.passages[ident] for ident in sorted(self.passages)]

    def _near(self, passage: Passage) -> list[int]:
        if passage.location is not None:
            return self._holding(*passage.location)
        if passage.page is not None:
            return list(self._pages.get(passage.page, ()))
        return list(self._unplaced)

    def _holding(self, first: int, last: int) -> list[int]:
        """The located highlights overlapping [first, last]."""
        low = bisect_left(self._starts, (first - self._longest, -1))
        high = bisect_right(self._starts, (last, sys.maxsize))
        return [i for _, i in self._starts[low:high] if self._spans[i][1] >= first]

    def _put(self, ident: int, passage: Passage) -> None:
        self.passages[ident] = passage
        self._keys[ident] = _key(passage.text)
        if passage.location is not None:
            self._spans[ident] = passage.location
            insort(self._starts, (passage.location[0], ident))
            self._longest = max(self._longest, passage.location[1] - passage.location[0])
        elif passage.page is not None:
            self._pages.setdefault(passage.page, []).append(ident)
        else:
            self._unplaced.append(ident)

    def _drop(self, ident: int) -> None:
        passage = self.passages.pop(ident)
        del self._keys[ident]
        if passage.location is not None:
            del self._spans[ident]
            self._starts.remove((passage.location[0], ident))
        elif passage.page is not None:
            self._pages[passage.page].remove(ident)
        else:
            self._unplaced.remove(ident)


def _add_loose(loose: list[Passage], note: Passage) -> None:
    if not any(p.text == note.text and p.location == note.location for p in loose):
        loose.append(note)


def _order(passage: Passage) -> tuple[int, int, int]:
    """Location order; page order for books without locations; file order for the rest
    (the sort is stable)."""
    if passage.location is not None:
        return 0, passage.location[0], passage.location[1]
    if passage.page is not None:
        return 1, passage.page, passage.page
    return 2, 0, 0


def book_article(book: KindleBook) -> BookOfPassages:
    """The book as an article: each highlight a quote, each loose note a paragraph of the
    reader's own words, each followed by a caption saying where it is in the book
    ("Location 170–172 · page 12") when the Kindle said. The captions are the article's own
    text, so a passage's span never includes them."""
    builder = DocumentBuilder()
    spans: list[tuple[int, int, str]] = []
    for passage in book.passages:
        if passage.kind == "highlight":
            block = builder.prose("quote", [passage.text], level=1)
        else:
            block = builder.paragraph(passage.text)
        if block is None:
            continue
        spans.append((block.start, block.end, passage.note or ""))
        caption = _where(passage)
        if caption:
            builder.prose("caption", [caption])
    article = Article.from_builder(builder, title=book.title, author=book.author)
    return BookOfPassages(article, spans)


def _where(passage: Passage) -> str:
    parts = []
    if passage.location is not None:
        first, last = passage.location
        parts.append(f"Location {first}" if first == last else f"Location {first}–{last}")
    if passage.page is not None:
        parts.append(f"page {passage.page}")
    where = " · ".join(parts)
    if passage.kind == "note":
        return f"Your note · {where}" if where else "Your note"
    return where[0].upper() + where[1:] if where else ""
