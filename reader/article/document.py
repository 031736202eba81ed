"""The shape of a document, as ranges over its one text string.

Every offset the app keeps (sentences, entities, notes, highlights, search hits, the
bookmark) indexes `Article.text`, so structure is layered on top of that string rather than
replacing it: `blocks` cut the text into headings, paragraphs, list items, code and so on,
and `marks` and `links` style or point from ranges inside them. A source builds all of this
with a `DocumentBuilder`, which alone decides how blocks are joined, so every format lays its
text out the same way:

* blocks follow each other in reading order, separated by exactly one blank line ("\\n\\n");
* prose blocks (heading, paragraph, quote, list item, caption) are single-spaced: no line
  breaks inside, so no sentence can reach from one block into the next;
* a code block is verbatim: its spaces, tabs, line breaks and blank lines are the author's;
* a table's text is its rows, one per line, cells separated by a tab, and each cell's range
  is kept, so the view can align the columns and search still finds a cell's words;
* a rule (a section break) reads as "* * *".
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeGuard, TypeVar, get_args

__all__ = [
    "BLOCK_KINDS",
    "MARK_KINDS",
    "PROSE_KINDS",
    "RULE_TEXT",
    "Block",
    "BlockKind",
    "Chapter",
    "DocumentBuilder",
    "Link",
    "Mark",
    "MarkKind",
    "Run",
    "blocks_from_json",
    "by_chapter",
    "chapter_at",
    "chapter_bounds",
    "chapters_from_json",
    "links_from_json",
    "marks_from_json",
]

BlockKind = Literal[
    "heading", "paragraph", "quote", "list_item", "code", "table", "rule", "caption"
]
MarkKind = Literal["emphasis", "strong", "code"]
BLOCK_KINDS: Final[frozenset[str]] = frozenset(get_args(BlockKind))
MARK_KINDS: Final[frozenset[str]] = frozenset(get_args(MarkKind))
PROSE_KINDS: Final[frozenset[str]] = frozenset(
    {"heading", "paragraph", "quote", "list_item", "caption"}
)
"""The blocks the NLP reads: sentences, names and key sentences come from these only."""

RULE_TEXT: Final = "* * *"
SEPARATOR: Final = "\n\n"

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the text, [start, end) into `Article.text`.

    `level` is a heading's level (1-6), a list item's depth (1 for the outermost list), a
    quote's depth, or for a paragraph the depth of the list item it continues (its second
    paragraph, drawn indented under the item without a marker); 0 for the rest. `number` is
    an ordered list item's number (None: a bullet). `rows` holds a table's cells as
    [start, end) ranges, row by row.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    number: int | None = None
    language: str | None = None
    rows: tuple[tuple[tuple[int, int], ...], ...] = ()

    @property
    def is_prose(self) -> bool:
        return self.kind in PROSE_KINDS

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "start": self.start, "end": self.end}
        if self.level:
            data["level"] = self.level
        if self.number is not None:
            data["number"] = self.number
        if self.language:
            data["language"] = self.language
        if self.rows:
            data["rows"] = [[list(cell) for cell in row] for row in self.rows]
        return data


@dataclass(frozen=True, slots=True)
class Mark:
    kind: MarkKind
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Link:
    """Linked words. `target` is set for a link within the document (a footnote call, a
    cross reference in a book): the offset it leads to, so the reader can follow it."""

    start: int
    end: int
    href: str
    target: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"start": self.start, "end": self.end, "href": self.href}
        if self.target is not None:
            data["target"] = self.target
        return data


@dataclass(frozen=True, slots=True)
class Chapter:
    """A chapter of a book or paper: where it starts in the text, and its title. `level` is
    its depth in the table of contents (1 for a top-level chapter, 2 for its sections)."""

    title: str
    start: int
    level: int = 1

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title, "start": self.start}
        if self.level != 1:
            data["level"] = self.level
        return data


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text with its styling, as a source reads it from its markup.

    Whitespace inside and between runs is collapsed by the builder, so a source can hand
    over its text nodes as they come.
    """

    text: str
    marks: frozenset[MarkKind] = frozenset()
    href: str | None = None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _range(item: Mapping[str, Any], limit: int) -> tuple[int, int]:
    start, end = item.get("start"), item.get("end")
    # `type(...) is int`, not `_is_int`: a book has tens of thousands of ranges to check.
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= limit:
        raise ValueError("a range must be two offsets inside the text")
    return start, end


def _items(value: object, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(i, dict) for i in value):
        raise ValueError(f"article field {what!r} must be a list of objects")
    return value


def blocks_from_json(value: object, text: str) -> list[Block]:
    """Blocks read back from the store; ValueError unless they are ordered ranges of `text`."""
    blocks: list[Block] = []
    previous = 0
    for item in _items(value, "blocks"):
        kind = item.get("kind")
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        start, end = _range(item, len(text))
        if start < previous:
            raise ValueError("blocks must be in order and must not overlap")
        previous = end
        level, number, language = item.get("level", 0), item.get("number"), item.get("language")
        if not _is_int(level) or not 0 <= level <= 64:
            raise ValueError("a block's level must be a small whole number")
        if number is not None and not _is_int(number):
            raise ValueError("a list item's number must be a whole number")
        if language is not None and not isinstance(language, str):
            raise ValueError("a code block's language must be text")
        rows_value = item.get("rows", [])
        if not isinstance(rows_value, list):
            raise ValueError("a table's rows must be a list")
        rows = []
        for row in rows_value:
            if not isinstance(row, list):
                raise ValueError("a table row must be a list of cells")
            cells = []
            for cell in row:
                if not isinstance(cell, list) or len(cell) != 2:
                    raise ValueError("a table cell must be a [start, end] pair")
                cells.append(_range({"start": cell[0], "end": cell[1]}, len(text)))
            rows.append(tuple(cells))
        blocks.append(Block(kind, start, end, level, number, language or None, tuple(rows)))
    return blocks


def chapters_from_json(value: object, text: str) -> list[Chapter]:
    chapters = []
    for item in _items(value, "chapters"):
        title, start, level = item.get("title"), item.get("start"), item.get("level", 1)
        if not isinstance(title, str) or not _is_int(start) or not 0 <= start <= len(text):
            raise ValueError("a chapter needs a title and a start inside the text")
        if not _is_int(level) or not 1 <= level <= 64:
            raise ValueError("a chapter's level must be a small whole number")
        chapters.append(Chapter(title, start, level))
    return chapters


def marks_from_json(value: object, text: str) -> list[Mark]:
    marks = []
    for item in _items(value, "marks"):
        kind = item.get("kind")
        if kind not in MARK_KINDS:
            raise ValueError(f"unknown mark kind {kind!r}")
        marks.append(Mark(kind, *_range(item, len(text))))
    return marks


def links_from_json(value: object, text: str) -> list[Link]:
    links = []
    for item in _items(value, "links"):
        href, target = item.get("href"), item.get("target")
        if not isinstance(href, str) or not href:
            raise ValueError("a link needs its href")
        if target is not None and not (_is_int(target) and 0 <= target <= len(text)):
            raise ValueError("a link's target must be an offset inside the text")
        links.append(Link(*_range(item, len(text)), href, target))
    return links


class DocumentBuilder:
    """Text, blocks, marks and links built block by block, laid out as the module says.

    Empty blocks are dropped (an empty paragraph, a heading of only spaces), so a source
    never has to check; `build` returns the pieces for `Article`.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self.marks: list[Mark] = []
        self.links: list[Link] = []

    def __len__(self) -> int:
        return len(self.blocks)

    @property
    def next_start(self) -> int:
        """Where the next block will start in the text: a chapter or a footnote that begins
        there can be given its offset before its first block is written."""
        return self._length + (len(SEPARATOR) if self._parts else 0)

    def retarget(self, targets: dict[str, int]) -> None:
        """Give each link whose href names one of `targets` (an anchor id, a file#id) the
        offset it leads to; called once the whole document, and so every anchor, is built."""
        self.links = [
            Link(link.start, link.end, link.href, targets.get(link.href, link.target))
            for link in self.links
        ]

    def _open(self) -> int:
        if self._parts:
            self._parts.append(SEPARATOR)
            self._length += len(SEPARATOR)
        return self._length

    def _write(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def _unopen(self) -> None:
        if self._parts and self._parts[-1] == SEPARATOR:
            self._parts.pop()
            self._length -= len(SEPARATOR)

    def prose(
        self,
        kind: BlockKind,
        runs: Iterable[Run | str],
        *,
        level: int = 0,
        number: int | None = None,
    ) -> Block | None:
        """A prose block from inline runs: whitespace collapsed, marks and links kept.

        Each run's words are written at once (a book is millions of them)."""
        start = self._open()
        pending_space = False
        for run in runs:
            if isinstance(run, str):
                run = Run(run)
            if not run.text:
                continue
            pieces = _SPACE.split(run.text)
            words = [piece for piece in pieces if piece]
            if not words:
                pending_space = True
                continue
            if (pending_space or not pieces[0]) and self._length > start:
                self._write(" ")
            run_start = self._length
            self._write(" ".join(words))
            pending_space = not pieces[-1]
            for mark in sorted(run.marks):
                self.marks.append(Mark(mark, run_start, self._length))
            if run.href:
                self.links.append(Link(run_start, self._length, run.href))
        if self._length == start:
            self._unopen()
            return None
        block = Block(kind, start, self._length, level, number)
        self.blocks.append(block)
        return block

    def paragraph(self, text: str) -> Block | None:
        return self.prose("paragraph", [text])

    def code(self, text: str, language: str | None = None) -> Block | None:
        """A verbatim block: only trailing line breaks and trailing spaces of lines go."""
        lines = [line.rstrip() for line in text.expandtabs(4).split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if not lines:
            return None
        start = self._open()
        self._write("\n".join(lines))
        block = Block("code", start, self._length, language=(language or None))
        self.blocks.append(block)
        return block

    def table(self, rows: Sequence[Sequence[Iterable[Run | str]]]) -> Block | None:
        """A table from rows of cells of inline runs; rows with no text in any cell go."""
        start = self._open()
        cell_rows: list[tuple[tuple[int, int], ...]] = []
        for row in rows:
            texts = [_cell_runs(cell) for cell in row]
            if not any(text for text, _ in texts):
                continue
            if cell_rows:
                self._write("\n")
            cells = []
            for index, (_, runs) in enumerate(texts):
                if index:
                    self._write("\t")
                cell_start = self._length
                for run_text, run in runs:
                    run_start = self._length
                    self._write(run_text)
                    for mark in sorted(run.marks):
                        self.marks.append(Mark(mark, run_start, self._length))
                    if run.href:
                        self.links.append(Link(run_start, self._length, run.href))
                cells.append((cell_start, self._length))
            cell_rows.append(tuple(cells))
        if not cell_rows:
            self._unopen()
            return None
        block = Block("table", start, self._length, rows=tuple(cell_rows))
        self.blocks.append(block)
        return block

    def rule(self) -> Block | None:
        if self.blocks and self.blocks[-1].kind == "rule":
            return None  # two breaks in a row say nothing more than one
        start = self._open()
        self._write(RULE_TEXT)
        block = Block("rule", start, self._length)
        self.blocks.append(block)
        return block

    def build(self) -> tuple[str, list[Block], list[Mark], list[Link]]:
        while self.blocks and self.blocks[-1].kind == "rule":
            self._drop_last()
        return "".join(self._parts), self.blocks, _merged(self.marks), self.links

    def _drop_last(self) -> None:
        block = self.blocks.pop()
        text = "".join(self._parts)[: block.start]
        text = text.removesuffix(SEPARATOR)
        self._parts = [text] if text else []
        self._length = len(text)


def _cell_runs(cell: Iterable[Run | str]) -> tuple[str, list[tuple[str, Run]]]:
    """A cell's runs with whitespace collapsed, as (text, run) pieces, and its whole text."""
    out: list[tuple[str, Run]] = []
    pending = False
    for run in cell:
        if isinstance(run, str):
            run = Run(run)
        text = _SPACE.sub(" ", run.text)
        if not text.strip():
            pending = pending or bool(text)
            continue
        lead = text[0] == " "
        text = text.strip()
        if out and (pending or lead):
            out.append((" ", Run(" ")))
        out.append((text, run))
        pending = run.text[-1:].isspace()
    return "".join(t for t, _ in out), out


def _merged(marks: list[Mark]) -> list[Mark]:
    """Marks in text order, with touching or overlapping ones of a kind made one."""
    out: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.kind, m.start, m.end)):
        last = out[-1] if out else None
        if last is not None and last.kind == mark.kind and mark.start <= last.end:
            out[-1] = Mark(last.kind, last.start, max(last.end, mark.end))
        else:
            out.append(mark)
    return sorted(out, key=lambda m: (m.start, m.end, m.kind))


def chapter_bounds(starts: Sequence[int], length: int) -> list[tuple[int, int]]:
    """[start, end) of each chapter; the first also holds what comes before it (a preface,
    a title page), so the chapters cover the whole text."""
    ordered = sorted(set(starts))
    if not ordered:
        return [(0, length)]
    edges = [0, *ordered[1:], length]
    return list(itertools.pairwise(edges))


def chapter_at(starts: Sequence[int], offset: int) -> int:
    """The index of the chapter holding `offset` (0 before the first chapter starts)."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


BEFORE_FIRST_CHAPTER: Final = "Before the first chapter"

T = TypeVar("T")


def by_chapter(
    items: Iterable[T],
    start_of: Callable[[T], int | None],
    chapters: Sequence[Chapter],
    *,
    placeless: str,
) -> Iterator[tuple[str | None, T]]:
    """Each item, in the order given, with the heading to show before it: its chapter's
    title when it is the first of that chapter, else None. An item with no place in the
    text (`start_of` gives None: a detached note) comes under `placeless`. A document of
    fewer than two chapters gets no headings at all. The export and the summary page
    both group by it, so a book's notes read in the same sections in either."""
    if len(chapters) < 2:
        yield from ((None, item) for item in items)
        return
    starts = [c.start for c in chapters]
    shown: int | str | None = "nothing yet"
    for item in items:
        start = start_of(item)
        index = None if start is None else bisect.bisect_right(starts, start) - 1
        heading = None
        if index != shown:
            shown = index
            if index is None:
                heading = placeless
            elif index >= 0:
                heading = chapters[index].title
            else:
                heading = BEFORE_FIRST_CHAPTER
        yield heading, item
