"""markdown-it tokens as the blocks and inline runs of a structured document.

Markdown says what most of the document model holds, so it is kept rather than reduced to
text: headings with their level, quotes with their depth, list items with their depth and
number, code verbatim with its language, tables cell by cell, section breaks, and emphasis,
strong, inline code and links inside prose. The few places where Markdown nests more than
the model does are decided here, once:

* the innermost container wins: a paragraph directly in a quote is a quote block (its level
  the quote depth), one directly in a list item is that item; a list inside a quote is list
  items (the list structure is what the reader scans), and a heading inside a quote is a
  quote block, as it is part of the quotation and must not become the article's title;
* a list item's first paragraph is the item; its later paragraphs are paragraph blocks
  with the item's depth as their level, so they can sit indented under it without drawing
  another bullet; an item that opens with no paragraph (a code block, a nested list) has
  no text of its own, so its number is not shown;
* a paragraph made only of images is their alt texts, one caption each (an image without
  alt text leaves nothing); an image inside running text reads as its alt text, so the
  sentence around it stays whole; a linked image's caption keeps the link;
* raw HTML is dropped (its tags; text between inline tags stays), as a terminal cannot
  show it, and `<br>` reads as a space.

Nothing the author wrote is lost to markdown-it's own limits: below its nesting limit the
text is read line by line (`_too_deep`), and a paragraph dense with markup is kept as
written rather than parsed for seconds (`_parse_inlines`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from reader.article.document import BlockKind, MarkKind, Run

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

__all__ = ["MAX_LEVEL", "Piece", "read_pieces"]

# The store accepts levels up to 64; markdown-it nests at most 20 deep, so only text below
# its limit (read by `_too_deep`) could come near, and it is kept at the limit's depth.
MAX_LEVEL: Final = 64

_OPENS: Final[dict[str, MarkKind]] = {"em_open": "emphasis", "strong_open": "strong"}
_CLOSES: Final[dict[str, MarkKind]] = {"em_close": "emphasis", "strong_close": "strong"}


@dataclass(slots=True)
class Piece:
    """One block as read, before the title and byline are taken from the top."""

    kind: BlockKind
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    number: int | None = None
    code: str = ""
    language: str | None = None
    rows: list[list[list[Run]]] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return " ".join("".join(run.text for run in self.runs).split())


def _runs(children: Sequence[Token] | None) -> tuple[list[Run], bool]:
    """Inline tokens as styled runs, and whether any of them is text (not only images)."""
    runs: list[Run] = []
    has_text = False
    depth: dict[MarkKind, int] = {}
    marks: frozenset[MarkKind] = frozenset()
    href: str | None = None
    for child in children or ():
        kind = child.type
        if kind == "text":
            runs.append(Run(child.content, marks, href))
            has_text = has_text or bool(child.content.strip())
        elif kind == "code_inline":
            runs.append(Run(child.content, marks | {"code"}, href))
            has_text = has_text or bool(child.content.strip())
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" "))
        elif kind in _OPENS or kind in _CLOSES:
            mark = _OPENS.get(kind) or _CLOSES[kind]
            depth[mark] = depth.get(mark, 0) + (1 if kind in _OPENS else -1)
            marks = frozenset(k for k, count in depth.items() if count > 0)
        elif kind == "link_open":
            value = child.attrs.get("href")
            href = value if isinstance(value, str) and value else None
        elif kind == "link_close":
            href = None
        elif kind == "image":
            runs.append(Run(child.content, marks, href))
        elif kind == "html_inline" and re.match(r"<br\b", child.content, re.I):
            runs.append(Run(" "))
    return runs, has_text


def _captions(children: Sequence[Token] | None) -> list[Piece]:
    """The alt texts of a paragraph that holds nothing but images."""
    out: list[Piece] = []
    href: str | None = None
    for child in children or ():
        if child.type == "link_open":
            value = child.attrs.get("href")
            href = value if isinstance(value, str) and value else None
        elif child.type == "link_close":
            href = None
        elif child.type == "image" and child.content.strip():
            out.append(Piece("caption", [Run(child.content, href=href)]))
    return out


# A list marker, once quote markers and indentation are gone: "-", "*", "+", "1.", "1)".
_LIST_MARKER = re.compile(r"(?:[-*+]|(\d{1,9})[.)])(?=[ \t]|$)")


def _unnest(line: str) -> tuple[str, bool, int | None]:
    """A line without its quote markers, indentation and list markers; whether it opened a
    list item, and the item's number if that list is ordered. Each step of the scan consumes
    a character, so a line of 500,000 "> " costs one pass."""
    pos, item, number = 0, False, None
    while pos < len(line):
        if line[pos] in " \t>":
            pos += 1
        elif marker := _LIST_MARKER.match(line, pos):
            pos, item = marker.end(), True
            number = int(marker[1]) if marker[1] else None
        else:
            break
    return line[pos:], item, number


def _too_deep(
    md: MarkdownIt, lines: list[str], prose: BlockKind, level: int, list_level: int
) -> list[Piece]:
    """Blocks of what markdown-it dropped below its nesting limit, flattened.

    markdown-it stops descending at `maxNesting` (20) levels of quotes and lists, so as not to
    recurse without bound, and silently leaves out everything deeper. The text is the reader's,
    so it is kept: each list item as an item at the depth where the limit was reached, other
    lines run together up to a blank line as a `prose` block, and inline markup read as
    everywhere else (inline parsing loses nothing at the limit; it only stops interpreting
    markup).
    """
    out: list[Piece] = []
    current: list[str] = []
    in_item, number = False, None

    def flush() -> None:
        if current:
            runs, has_text = _runs(md.parseInline(" ".join(current))[0].children)
            if not has_text:
                return
            if in_item:
                out.append(Piece("list_item", runs, min(list_level, MAX_LEVEL), number))
            else:
                out.append(Piece(prose, runs, min(level, MAX_LEVEL)))

    for line in lines:
        text, opens, marker_number = _unnest(line)
        if opens or not text.strip():
            flush()
            current, in_item, number = [], opens, marker_number
        if text.strip():
            current.append(text)
    flush()
    return out


# Inline markup characters, as markdown-it's text rule stops at them.
_MARKUP = "!#$%&*+-:<=>@[\\]^_`{}~"
# A paragraph with more markup characters than this is not parsed for inline markup: at
# about 12 µs each it would take a quarter of a second, and prose never has so many.
_DENSE_MARKS = 20_000


def _mostly_markup(content: str) -> bool:
    if len(content) < _DENSE_MARKS:
        return False
    return sum(content.count(ch) for ch in _MARKUP) > _DENSE_MARKS


def _parse_inlines(state: StateCore) -> None:
    """markdown-it's core "inline" rule, except for paragraphs dense with markup.

    markdown-it-py runs every inline rule on every markup character, about 12 µs each: a
    1 MB paragraph of "[[[[…", "*_*_…" or "a-b-c-…" took seconds to parse, and no article
    has one. Such a paragraph is kept as written, one text token, rather than lost or
    waited for.
    """
    from markdown_it.token import Token

    for token in state.tokens:
        if token.type != "inline":
            continue
        if _mostly_markup(token.content):
            token.children = [Token("text", "", 0, content=token.content)]
            continue
        if token.children is None:
            token.children = []
        state.md.inline.parse(token.content, state.md, state.env, token.children)


@dataclass(slots=True)
class _Item:
    """An open list item: its depth, its number, and whether its first paragraph is read."""

    level: int
    number: int | None
    started: bool = False


@dataclass(slots=True)
class _List:
    ordered: bool
    next_number: int


class _Reader:
    """One pass over the block tokens, keeping the containers open at each point."""

    def __init__(self, md: MarkdownIt, source: list[str]) -> None:
        self.md = md
        self.source = source
        self.out: list[Piece] = []
        self.containers: list[_Item | None] = []  # None: a quote
        self.lists: list[_List] = []
        self.quotes = 0
        self.heading: int | None = None
        self.rows: list[list[list[Run]]] | None = None

    def block(self, tok: Token, parent: str) -> None:
        kind = tok.type
        if kind == "blockquote_open":
            self.quotes += 1
            self.containers.append(None)
        elif kind == "blockquote_close":
            self.quotes -= 1
            self.containers.pop()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = tok.attrs.get("start", 1)
            self.lists.append(_List(kind == "ordered_list_open", int(start)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            current = self.lists[-1] if self.lists else _List(False, 1)
            number = current.next_number if current.ordered else None
            current.next_number += 1
            self.containers.append(_Item(len(self.lists), number))
        elif kind == "list_item_close":
            self.containers.pop()
        elif kind == "heading_open":
            self.heading = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif kind == "heading_close":
            self.heading = None
        elif kind == "table_open":
            self.rows = []
            self._start_item()
        elif kind == "table_close":
            if self.rows is not None:
                self.out.append(Piece("table", rows=self.rows))
            self.rows = None
        elif kind == "tr_open" and self.rows is not None:
            self.rows.append([])
        elif kind == "inline":
            self.inline(tok, parent)
        elif kind in ("fence", "code_block"):
            words = tok.info.split() if kind == "fence" else []
            self.out.append(Piece("code", code=tok.content, language=words[0] if words else None))
            self._start_item()
        elif kind == "hr":
            self.out.append(Piece("rule"))

    def _start_item(self) -> _Item | None:
        """The innermost open list item if this block is its first, marking it started."""
        inner = self.containers[-1] if self.containers else None
        if inner is None or inner.started:
            return None
        inner.started = True
        return inner

    def inline(self, tok: Token, parent: str) -> None:
        runs, has_text = _runs(tok.children)
        if parent in ("th_open", "td_open"):
            if self.rows:
                self.rows[-1].append(runs)
            return
        inner = self.containers[-1] if self.containers else None
        if self.heading is not None:
            self._start_item()
            if inner is None and self.quotes:
                self.out.append(Piece("quote", runs, self.quotes))
            else:
                self.out.append(Piece("heading", runs, self.heading))
        elif not has_text:
            self._start_item()
            self.out += _captions(tok.children)
        elif inner is None:
            kind: BlockKind = "quote" if self.quotes else "paragraph"
            self.out.append(Piece(kind, runs, self.quotes))
        elif item := self._start_item():
            self.out.append(Piece("list_item", runs, item.level, item.number))
        else:
            self.out.append(Piece("paragraph", runs, inner.level))

    def too_deep(self, tok: Token) -> None:
        """What lies under `tok` when markdown-it would drop it at its nesting limit."""
        if tok.map is None:
            return
        lines = self.source[tok.map[0] : tok.map[1]]
        if tok.type == "blockquote_open":
            prose: BlockKind = "quote"
            level = self.quotes + 1
        else:
            prose, level = ("quote", self.quotes) if self.quotes else ("paragraph", 0)
        list_level = max(len(self.lists), 1)
        self.out += _too_deep(self.md, lines, prose, level, list_level)


def read_pieces(body: str) -> list[Piece]:
    """The blocks of a Markdown body, in document order."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.at("inline", _parse_inlines)
    max_nesting = md.options["maxNesting"]
    tokens = md.parse(body)
    reader = _Reader(md, body.split("\n"))
    parent = ""
    for tok in tokens:
        if tok.type in ("blockquote_open", "list_item_open") and tok.level + 1 >= max_nesting:
            # Its content would sit at the nesting limit, where markdown-it drops it.
            reader.too_deep(tok)
        reader.block(tok, parent)
        parent = tok.type
    return reader.out
