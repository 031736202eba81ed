"""trafilatura's XML body as today's paragraphs, with what it is known to leave in taken out.

Each block (heading, paragraph, list item, quote paragraph, table row, code block) becomes a
paragraph of its own, in page order. A structured document model comes later; until then
code loses its indentation here (the model allows no blank lines inside a paragraph), which
is the one thing this flattening throws away.
"""

from __future__ import annotations

import re
from typing import Any

_Element = Any  # lxml.etree._Element: lxml ships no type information

__all__ = ["html_paragraphs", "paragraphs_of"]

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Blocks of trafilatura's XML whose children are blocks too.
_CONTAINERS = {"body", "div", "list", "quote", "table", "doc", "main", "text"}
_BLOCKISH = {"p", "list", "quote", "head", "table", "code"}
_SKIP = {"graphic", "fw", "note"}


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _text(elem: _Element, *, skip_lists: bool = False) -> str:
    """The element's text, word breaks kept at <lb/> and between cells."""
    parts: list[str] = []

    def walk(e: _Element) -> None:
        if e.tag in _SKIP or (skip_lists and e.tag == "list" and e is not elem):
            if e is not elem and e.tail:
                parts.append(e.tail)
            return
        if e.tag in ("p", "head", "item", "cell") and e is not elem:
            parts.append(" ")
        if e.text:
            parts.append(e.text)
        for child in e:
            walk(child)
        if e.tag in ("lb", "cell", "item", "p", "head"):
            parts.append(" ")
        if e is not elem and e.tail:
            parts.append(e.tail)

    walk(elem)
    return _flat("".join(parts))


def paragraphs_of(body: _Element) -> list[str]:
    """Blocks in document order, one paragraph each; empty ones dropped."""
    out: list[str] = []

    def emit(text: str) -> None:
        if text and any(ch.isalnum() for ch in text):
            out.append(text)

    def walk(elem: _Element) -> None:
        tag = elem.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "row" and any(c.tag in _BLOCKISH for cell in elem for c in cell):
            for cell in elem:  # a layout table: its cells hold the blocks
                walk_container(cell)
            return
        if tag == "row":
            cells = [_text(c) for c in elem if c.tag == "cell"]
            emit(" | ".join(c for c in cells if c) or _text(elem))
            return
        if tag == "item":
            emit(_text(elem, skip_lists=True))
            for child in elem:
                if child.tag == "list":
                    walk(child)
            return
        if tag in _CONTAINERS or (
            tag == "p" and any(c.tag in ("p", "list", "quote") for c in elem)
        ):
            walk_container(elem)
            return
        emit(_text(elem))

    def walk_container(elem: _Element) -> None:
        if elem.text and elem.text.strip() and elem.tag != "body":
            emit(_flat(elem.text))
        for child in elem:
            if child.tag == "lb":
                pass
            elif child.tag in ("hi", "ref", "del") and elem.tag == "cell":
                emit(_text(child))
            else:
                walk(child)
            if child.tail and child.tail.strip():
                emit(_flat(child.tail))

    walk(body)
    return out


# HTML elements that end a paragraph (for readability's HTML output and pages generally).
_HTML_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "section",
    "summary", "table", "tbody", "thead", "tfoot", "ul", "caption", "center",
}  # fmt: skip
_HTML_SKIP = {"script", "style", "noscript", "template", "head", "svg", "button"}
_BREAKS = re.compile(r"\n[ \t]*\n")


def html_paragraphs(root: _Element) -> list[str]:
    """An HTML tree's blocks as paragraphs: <br><br> splits one, <pre> and each table row
    are one each."""
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        for piece in _BREAKS.split("".join(buf)):
            text = _flat(piece)
            if text and any(ch.isalnum() for ch in text):
                out.append(text)
        buf.clear()

    def inline(text: str | None) -> None:
        if text:
            buf.append(_SPACE.sub(" ", text))

    def walk(e: _Element) -> None:
        tag = e.tag.lower() if isinstance(e.tag, str) else None
        if tag is None or tag in _HTML_SKIP:
            inline(e.tail)
            return
        if tag == "br":
            buf.append("\n")
            inline(e.tail)
            return
        if tag in ("pre", "tr"):
            flush()
            if tag == "tr":
                cells = [_flat(" ".join(c.itertext())) for c in e if c.tag in ("td", "th")]
                buf.append(" | ".join(c for c in cells if c))
            else:
                buf.append(" ".join(e.itertext()))
            flush()
            inline(e.tail)
            return
        block = tag in _HTML_BLOCKS
        if block:
            flush()
        inline(e.text)
        for child in e:
            walk(child)
        if block:
            flush()
        inline(e.tail)

    walk(root)
    flush()
    return out
