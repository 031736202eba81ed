"""The extractors' trees as blocks: trafilatura's XML and readability's HTML read alike.

Both walkers produce `Piece`s, blocks that do not yet have a place in the text, because
the page's body is decided block by block afterwards (`html_extract._choose` compares
the two extractors' blocks, `html_clean` drops chrome) before `add_pieces` lays the
survivors out with the `DocumentBuilder`. A walker keeps one buffer of inline runs, with
the marks and link of the elements around each piece of text, and writes it out as a
block whenever a block element starts or ends, so text between two blocks is never lost
or glued onto either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from reader.article.document import RULE_TEXT, BlockKind, DocumentBuilder, MarkKind, Run

_Element = Any  # lxml.etree._Element: lxml ships no type information
Cells = tuple[tuple[tuple[Run, ...], ...], ...]

__all__ = [
    "Hints",
    "Piece",
    "add_pieces",
    "html_pieces",
    "html_pieces_anchored",
    "list_key",
    "page_hints",
    "xml_pieces",
]

_WORD = re.compile(r"\w+")
_LANGUAGE = re.compile(r"\b(?:language|lang|highlight-source)-([\w+#.-]+)")
_BR = Run("\n")  # a line break in HTML: one is a space, two split the paragraph
_LAYOUT_WORDS = 80  # a cell holding more than this is a column of the page, not data
_INLINE_HTML = ("em", "i", "b", "strong", "code", "kbd", "samp", "tt", "var", "u")


@dataclass(frozen=True, slots=True)
class Piece:
    """One block as a walker read it. `verbatim` is a code block's text."""

    kind: BlockKind
    runs: tuple[Run, ...] = ()
    level: int = 0
    number: int | None = None
    verbatim: str = ""
    language: str | None = None
    rows: Cells = ()

    @property
    def text(self) -> str:
        if self.kind == "code":
            return self.verbatim
        if self.kind == "rule":
            return RULE_TEXT
        if self.kind == "table":
            return "\n".join("\t".join(_joined(c) for c in row) for row in self.rows)
        return _joined(self.runs)

    @property
    def is_prose(self) -> bool:
        return self.kind not in ("code", "table", "rule")


def _joined(runs: tuple[Run, ...]) -> str:
    return " ".join("".join(r.text for r in runs).split())


def add_pieces(builder: DocumentBuilder, pieces: list[Piece]) -> None:
    for p in pieces:
        if p.kind == "code":
            builder.code(p.verbatim, p.language)
        elif p.kind == "table":
            builder.table(p.rows)
        elif p.kind == "rule":
            builder.rule()
        else:
            builder.prose(p.kind, p.runs, level=p.level, number=p.number)


def list_key(text: str) -> str:
    """An ordered list's first words, to find it again in another extractor's tree."""
    return " ".join(_WORD.findall(text.casefold())[:12])


@dataclass(frozen=True, slots=True)
class Hints:
    """What trafilatura's XML forgets of the page, read from the page itself: where each
    ordered list starts (by its first words), and the inline elements (by their text)
    the page follows with a space, which trafilatura sometimes trims."""

    starts: dict[str, int] = field(default_factory=dict)
    spaced: frozenset[str] = frozenset()


def page_hints(tree: _Element) -> Hints:
    starts: dict[str, int] = {}
    for ol in tree.iter("ol"):
        start = _int(ol.get("start"))
        if start is not None and start != 1:
            starts.setdefault(list_key(" ".join(ol.itertext())), start)
    spaced: set[str] = set()
    glued: set[str] = set()
    for elem in tree.iter("a", *_INLINE_HTML):
        tail = elem.tail or ""
        if tail[:1].isspace() or tail[:1].isalnum():
            key = " ".join(" ".join(elem.itertext()).split())
            (spaced if tail[:1].isspace() else glued).add(key)
    return Hints(starts, frozenset(spaced - glued))


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value else None
    except ValueError:
        return None


def _language(elem: _Element) -> str | None:
    for e in elem.iter():
        if not isinstance(e.tag, str):
            continue
        if e.get("lang") and e.tag in ("pre", "code"):
            return str(e.get("lang")).strip() or None
        found = _LANGUAGE.search(e.get("class") or "")
        if found:
            return found[1]
    return None


def _verbatim(elem: _Element, breaks: tuple[str, ...]) -> str:
    """Text as written, a line break element a newline."""
    parts: list[str] = []

    def walk(e: _Element) -> None:
        if isinstance(e.tag, str):
            if e.tag in breaks:
                parts.append("\n")
            elif e.text:
                parts.append(e.text)
            for child in e:
                walk(child)
        if e is not elem and e.tail:
            parts.append(e.tail)

    walk(elem)
    return "".join(parts)


class _Walker:
    """The buffer and the context shared by both walkers; subclasses say what each tag is."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.out: list[Piece] = []
        self.buf: list[Run] = []
        self.kind: BlockKind = "paragraph"
        self.level = 0
        self.number: int | None = None
        self.quotes = 0
        self.lists = 0
        self.anchors: dict[str, int] = {}  # element id -> index in `out` of its first piece

    # What the subclass decides.
    def block(self, elem: _Element) -> Callable[[_Element], None] | None:
        raise NotImplementedError

    def style(self, elem: _Element) -> tuple[MarkKind | None, str | None, bool]:
        """The mark, the link target and whether the element's text is skipped."""
        raise NotImplementedError

    def anchor(self, elem: _Element) -> None:
        """Note which piece an element's id lands in, so links to it (a footnote call, a
        book's table of contents) can be given an offset once the pieces are laid out."""
        key = elem.get("id") or (elem.get("name") if elem.tag == "a" else None)
        if key:
            self.anchors.setdefault(key, len(self.out))

    # The buffer.
    def add(self, text: str | None, marks: frozenset[MarkKind], href: str | None) -> None:
        if text:
            self.buf.append(Run(text, marks, href))

    def flush(self) -> None:
        chunks: list[list[Run]] = [[]]
        breaks = 0
        for run in self.buf:
            if run is _BR:
                breaks += 1
            elif run.text.strip():
                if breaks >= 2 and chunks[-1]:
                    chunks.append([])
                elif breaks and chunks[-1]:
                    chunks[-1].append(Run(" "))
                breaks = 0
                chunks[-1].append(run)
            elif chunks[-1]:
                chunks[-1].append(run)
        self.buf = []
        for chunk in chunks:
            if self.keep(chunk):
                self.out.append(Piece(self.kind, tuple(chunk), self.level, self.number))
                if self.kind == "list_item":  # more text in the item is its own paragraph
                    self.kind, self.level, self.number = "paragraph", 0, None

    def keep(self, runs: list[Run]) -> bool:
        return any(ch.isalnum() for run in runs for ch in run.text)

    @contextmanager
    def context(self, kind: BlockKind, level: int = 0, number: int | None = None) -> Iterator[None]:
        self.flush()
        saved = self.kind, self.level, self.number
        self.kind, self.level, self.number = kind, level, number
        try:
            yield
        finally:
            self.flush()
            self.kind, self.level, self.number = saved

    def href(self, raw: str | None) -> str | None:
        raw = (raw or "").strip()
        if not raw or raw.casefold().startswith(("javascript:", "data:")):
            return None
        if self.base:
            try:
                return urljoin(self.base, raw)
            except ValueError:
                return raw
        return raw

    # The walk.
    def content(
        self, elem: _Element, marks: frozenset[MarkKind] = frozenset(), href: str | None = None
    ) -> None:
        self.anchor(elem)
        self.add(elem.text, marks, href)
        for child in elem:
            if isinstance(child.tag, str):
                handler = self.block(child)
                if handler is not None:
                    self.flush()
                    self.anchor(child)
                    handler(child)
                    self.flush()
                else:
                    self.inline(child, marks, href)
            self.tail(child, marks, href)

    def tail(self, elem: _Element, marks: frozenset[MarkKind], href: str | None) -> None:
        self.add(elem.tail, marks, href)

    def inline(self, elem: _Element, marks: frozenset[MarkKind], href: str | None) -> None:
        mark, target, skip = self.style(elem)
        if skip:
            return
        if mark is not None:
            marks = marks | {mark}
        self.content(elem, marks, target or href)

    def container(self, elem: _Element) -> None:
        """A block that is only a wrapper: its text is whatever the block around it is
        (a paragraph, a quote, a list item, a caption)."""
        self.flush()
        self.content(elem)
        self.flush()

    def heading(self, elem: _Element, level: int) -> None:
        with self.context("heading", min(max(level, 1), 6)):
            self.content(elem)

    def quote(self, elem: _Element) -> None:
        self.quotes += 1
        try:
            with self.context("quote", self.quotes):
                self.content(elem)
        finally:
            self.quotes -= 1

    def items(
        self, elem: _Element, item: str, number: int | None, value: Callable[[_Element], int | None]
    ) -> None:
        """A list's items at one level deeper. What else a list holds is read as it comes:
        a list put directly in a list is nested, stray text is an item of its own."""
        self.lists += 1
        with self.context("list_item", self.lists):
            self.add(elem.text, frozenset(), None)
            for child in elem:
                if isinstance(child.tag, str) and child.tag == item:
                    if number is not None:
                        number = value(child) or number
                    with self.context("list_item", self.lists, number):
                        self.content(child)
                    if number is not None:
                        number += 1
                elif isinstance(child.tag, str):
                    handler = self.block(child)
                    if handler is not None:
                        self.flush()
                        handler(child)
                        self.flush()
                    else:
                        self.inline(child, frozenset(), None)
                if not self.buf:  # stray text after an item starts a bullet of its own
                    self.kind, self.level, self.number = "list_item", self.lists, None
                self.add(child.tail, frozenset(), None)
        self.lists -= 1

    def caption(self, elem: _Element) -> None:
        with self.context("caption"):
            self.content(elem)

    def cell(self, elem: _Element) -> tuple[Run, ...]:
        saved, self.buf = self.buf, []
        self.content(elem)
        runs = tuple(Run(" ") if r is _BR else r for r in self.buf)
        self.buf = saved
        return runs

    def table_rows(self, rows: list[list[_Element]], layout: Callable[[_Element], bool]) -> None:
        """Data rows as one table; a row laid out as page columns is read as its blocks."""
        pending: list[tuple[tuple[Run, ...], ...]] = []

        def emit() -> None:
            table = Piece("table", rows=tuple(pending))
            if any(ch.isalnum() for ch in table.text):
                self.out.append(table)
            pending.clear()

        for cells in rows:
            if any(layout(c) for c in cells):
                emit()
                for c in cells:
                    self.container(c)
            else:
                pending.append(tuple(self.cell(c) for c in cells))
        emit()


def _words(elem: _Element) -> int:
    return len(_WORD.findall(" ".join(elem.itertext())))


# trafilatura's XML: https://trafilatura.readthedocs.io/en/latest/ (TEI-like element names).
_XML_MARKS: dict[str, MarkKind] = {"#b": "strong", "#i": "emphasis", "#t": "code"}
_XML_SKIP = {"graphic", "fw", "note", "done"}
_XML_CONTAINERS = {"body", "div", "doc", "main", "text", "section", "figure"}
_XML_BLOCKISH = {"p", "list", "quote", "head", "table", "code"}
_XML_INLINE = {"hi", "ref", "code", "del"}
_XML_SCRIPTS = {"#sub", "#sup"}  # x<sup>2</sup>, H<sub>2</sub>O: no space on either side
_LINK_ROW = 3


class _XmlWalker(_Walker):
    def __init__(self, base: str | None, hints: Hints) -> None:
        super().__init__(base)
        self.hints = hints

    def block(self, elem: _Element) -> Callable[[_Element], None] | None:
        tag = elem.tag
        if tag == "head":
            return lambda e: self.heading(e, _int((e.get("rend") or "h3")[1:]) or 3)
        if tag in ("p", "item", "cell", "row") or tag in _XML_CONTAINERS:
            return self.container
        if tag == "quote":
            return self.quote
        if tag == "list":
            return self.xml_list
        if tag == "table":
            return self.xml_table
        if tag == "code" and self.is_code_block(elem):
            return self.code
        if tag == "lb" and elem.getparent() is not None and elem.getparent().tag in _XML_CONTAINERS:
            return lambda e: None  # a break between two runs of body text: two paragraphs
        return None

    def keep(self, runs: list[Run]) -> bool:
        """Not a row of links with nothing between them: what trafilatura leaves of a
        table or menu it could not read ("4.2.34.1.6", each number a link)."""
        worded = [r for r in runs if any(ch.isalnum() for ch in r.text)]
        linked = [r for r in worded if r.href]
        row = len(linked) >= _LINK_ROW and len(linked) == len(worded)
        return super().keep(runs) and not row

    def inline(self, elem: _Element, marks: frozenset[MarkKind], href: str | None) -> None:
        """trafilatura drops the space between two inline elements, or before the text
        after one, in some nestings ("Netflix</hi><hi>and", "product</ref>operation"):
        two words that touch across such a seam get it back."""
        before = elem.getprevious()
        if before is not None and not before.tail:
            self.seam(before, "".join(elem.itertext()), elem)
        super().inline(elem, marks, href)

    def tail(self, elem: _Element, marks: frozenset[MarkKind], href: str | None) -> None:
        """After an element, only where the page has the space: "famishing</a>for" is
        how some pages are written."""
        if " ".join(" ".join(elem.itertext()).split()) in self.hints.spaced:
            self.seam(elem, elem.tail or "", None)
        super().tail(elem, marks, href)

    def seam(self, before: _Element, text: str, after: _Element | None) -> None:
        if (
            before.tag in _XML_INLINE
            and before.get("rend") not in _XML_SCRIPTS
            and (after is None or after.get("rend") not in _XML_SCRIPTS)
            and text[:1].isalnum()
            and self.buf
            and self.buf[-1].text[-1:].isalnum()
        ):
            self.buf.append(Run(" "))

    def is_code_block(self, elem: _Element) -> bool:
        parent = elem.getparent()
        inline_parent = parent is not None and parent.tag in ("p", "hi", "ref", "head", "cell")
        return not inline_parent or "\n" in _verbatim(elem, ("lb",))

    def style(self, elem: _Element) -> tuple[MarkKind | None, str | None, bool]:
        tag = elem.tag
        if tag in _XML_SKIP:
            return None, None, True
        if tag == "lb":
            self.buf.append(Run(" "))
            return None, None, True
        if tag == "hi":
            return _XML_MARKS.get(elem.get("rend") or ""), None, False
        if tag == "code":
            return "code", None, False
        if tag == "ref":
            return None, self.href(elem.get("target")), False
        return None, None, False

    def code(self, elem: _Element) -> None:
        text = _verbatim(elem, ("lb",))
        if text.strip():
            self.out.append(Piece("code", verbatim=text, language=_language(elem)))

    def xml_list(self, elem: _Element) -> None:
        if elem.get("rend") == "dl":  # terms and their definitions: paragraphs
            for item in elem:
                self.container(item)
            return
        number = None
        if elem.get("rend") == "ol":
            number = self.hints.starts.get(list_key(" ".join(elem.itertext())), 1)
        self.items(elem, "item", number, lambda e: None)

    def xml_table(self, elem: _Element) -> None:
        rows = [[c for c in row if c.tag == "cell"] for row in elem.iter("row")]

        def layout(cell: _Element) -> bool:
            return any(c.tag in _XML_BLOCKISH for c in cell) or _words(cell) > _LAYOUT_WORDS

        self.table_rows([r for r in rows if r], layout)


def xml_pieces(
    body: _Element, *, base: str | None = None, hints: Hints | None = None
) -> list[Piece]:
    """trafilatura's XML body (`include_formatting`, `include_links`, `include_tables`)."""
    walker = _XmlWalker(base, hints or Hints())
    walker.container(body)
    return walker.out


_HTML_SKIP = {"script", "style", "noscript", "template", "head", "svg", "button"}
_HTML_CONTAINERS = {
    "address", "article", "aside", "body", "center", "details", "dialog", "div", "dl",
    "fieldset", "figure", "footer", "form", "header", "hgroup", "html", "main", "nav",
    "section", "summary", "dt", "dd", "p", "tbody", "thead", "tfoot", "tr", "td", "th",
    "legend", "picture",
}  # fmt: skip
_HTML_MARKS: dict[str, MarkKind] = {
    "em": "emphasis", "i": "emphasis", "strong": "strong", "b": "strong", "code": "code",
    "kbd": "code", "samp": "code", "tt": "code", "var": "code",
}  # fmt: skip
_HTML_LAYOUT = {
    "p", "div", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "figure", "section", "article",
}  # fmt: skip


class _HtmlWalker(_Walker):
    def block(self, elem: _Element) -> Callable[[_Element], None] | None:
        tag = elem.tag.lower()
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            return lambda e: self.heading(e, int(e.tag[1]))
        if tag in _HTML_CONTAINERS:
            return self.container
        handlers: dict[str, Callable[[_Element], None]] = {
            "blockquote": self.quote,
            "ul": self.html_list,
            "ol": self.html_list,
            "menu": self.html_list,
            "li": self.stray_item,
            "pre": self.code,
            "table": self.html_table,
            "hr": lambda e: self.out.append(Piece("rule")),
            "figcaption": self.caption,
            "caption": self.caption,
        }
        return handlers.get(tag)

    def style(self, elem: _Element) -> tuple[MarkKind | None, str | None, bool]:
        tag = elem.tag.lower()
        if tag in _HTML_SKIP:
            return None, None, True
        if tag == "br":
            self.buf.append(_BR)
            return None, None, True
        if tag == "a":
            return None, self.href(elem.get("href")), False
        return _HTML_MARKS.get(tag), None, False

    def code(self, elem: _Element) -> None:
        text = _verbatim(elem, ("br",))
        if text.strip():
            self.out.append(Piece("code", verbatim=text, language=_language(elem)))

    def html_list(self, elem: _Element) -> None:
        if elem.tag != "ol":
            self.items(elem, "li", None, lambda e: None)
            return
        start = _int(elem.get("start"))
        self.items(elem, "li", 1 if start is None else start, lambda e: _int(e.get("value")))

    def stray_item(self, elem: _Element) -> None:
        with self.context("list_item", max(self.lists, 1)):
            self.content(elem)

    def html_table(self, elem: _Element) -> None:
        rows: list[list[_Element]] = []
        for tr in elem.iter("tr"):
            if next(tr.iterancestors("table")) is elem:
                rows.append([c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")])
        for caption in elem.iterchildren("caption"):
            self.caption(caption)
        presentation = elem.get("role") in ("presentation", "none")

        def layout(cell: _Element) -> bool:
            blocks = (d for d in cell.iterdescendants() if isinstance(d.tag, str))
            return (
                presentation
                or any(d.tag in _HTML_LAYOUT for d in blocks)
                or _words(cell) > _LAYOUT_WORDS
            )

        self.table_rows([r for r in rows if r], layout)


def html_pieces(root: _Element, *, base: str | None = None) -> list[Piece]:
    """An HTML tree's blocks (readability's summary, or any page body)."""
    walker = _HtmlWalker(base)
    walker.container(root)
    return walker.out


def html_pieces_anchored(
    root: _Element, *, base: str | None = None
) -> tuple[list[Piece], dict[str, int]]:
    """`html_pieces`, with where each element id lands: the index of the piece holding
    its first text (len(pieces) when nothing follows it), as a book's links need."""
    walker = _HtmlWalker(base)
    walker.container(root)
    return walker.out, walker.anchors
