"""A book's content document (XHTML) as blocks, read by the HTML source's walker.

A chapter is all content, so no extractor decides what to keep: the body is walked as it
is, after three changes a text reader needs. Images become their alt text (a caption when
the image stands alone, words in the sentence when it sits in one); ruby annotations,
page-break markers and the fallbacks of media a reading system cannot play are dropped,
since they are read beside the text or not at all; and every link
inside the book is rewritten to the zip name it leads to ("OEBPS/Text/ch2.xhtml#fn3"), so
footnote calls and cross references can be given the offset of what they point to.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.entities import html5
from typing import Any

from reader.article.document import Run
from reader.sources.epub_package import EpubError, parse_xml, resolve
from reader.sources.html_blocks import Piece, html_pieces_anchored

__all__ = ["content_pieces", "internal_href", "local", "parse_xhtml"]

_Element = Any
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_OPS = "{http://www.idpf.org/2007/ops}type"
# Read beside the text (ruby), or said to readers that cannot play or draw what the book
# has there ("Your Reading System does not support canvas."); an epub:switch's cases are
# markup (MathML) whose <epub:default> holds the text.
_NOT_READ = frozenset({"rt", "rp", "canvas", "video", "audio", "case"})
_NOT_READ_TYPES = frozenset({"pagebreak"})


def local(elem: _Element) -> str:
    tag = elem.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _numeric(match: re.Match[bytes]) -> bytes:
    """HTML's named entities (&nbsp;, &mdash;), which XHTML 1.1 books use through a DTD
    that is never loaded, as character references XML knows without one."""
    name = match[1]
    if name in _XML_ENTITIES:
        return match[0]
    char = html5.get(name.decode("ascii") + ";")
    return "".join(f"&#{ord(c)};" for c in char).encode("ascii") if char else match[0]


def parse_xhtml(data: bytes, what: str) -> _Element:
    """The document's root: as XML (XHTML is), else through the HTML parser, which copes
    with the tag soup some books are made of."""
    if b"&" in data:
        data = _ENTITY.sub(_numeric, data)
    try:
        root = parse_xml(data, what)
    except EpubError:
        root = None
    if root is not None and any(local(e) == "body" for e in root.iter()):
        return root
    import lxml.html  # type: ignore[import-untyped, unused-ignore]
    from lxml import etree  # type: ignore[import-untyped, unused-ignore]

    try:
        return lxml.html.document_fromstring(data, lxml.html.HTMLParser(no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise EpubError(f"{what} cannot be read as XHTML") from None


def _blank(elem: _Element) -> None:
    elem.text = None
    for child in list(elem):
        elem.remove(child)


def _prepare(body: _Element, path: str, cover: str | None) -> None:
    images, blanks = [], []
    for elem in [e for e in body.iter() if isinstance(e.tag, str)]:
        kind = elem.get(_OPS) or elem.get("epub:type") or ""
        elem.tag = local(elem)
        if elem.tag in _NOT_READ or _NOT_READ_TYPES.intersection(kind.split()):
            blanks.append(elem)
        elif elem.tag == "img":
            images.append(elem)
    for elem in blanks:
        _blank(elem)
    for image in images:
        found = resolve(path, image.get("src") or "")
        if cover is None or found is None or found[0] != cover:
            _image(image)


def _image(image: _Element) -> None:
    alt = " ".join((image.get("alt") or "").split())
    figure = next((a for a in image.iterancestors() if a.tag == "figure"), None)
    if not alt or (figure is not None and any(True for _ in figure.iter("figcaption"))):
        return
    parent = image.getparent()
    alone = parent is None or not "".join(parent.itertext()).strip()
    image.tag = "figcaption" if alone else "span"
    image.text = alt if alone else f" {alt} "


def internal_href(path: str, href: str) -> str | None:
    """Where a link in the document `path` leads inside the book ("dir/ch2.xhtml#fn3"),
    or None for one that leaves it."""
    found = resolve(path, href)
    if found is None:
        return None
    target, fragment = found
    return f"{target}#{fragment}" if fragment else target


def content_pieces(
    data: bytes, path: str, *, cover: str | None = None
) -> tuple[list[Piece], dict[str, int]]:
    """The document's blocks, in-book links rewritten, and the piece each id falls in.
    `cover` is the book's cover image, whose alt text is not read."""
    root = parse_xhtml(data, path)
    body = next((e for e in root.iter() if local(e) == "body"), root)
    _prepare(body, path, cover)
    pieces, anchors = html_pieces_anchored(body)
    return _relinked(pieces, path), anchors


def _relinked(pieces: list[Piece], path: str) -> list[Piece]:
    seen: dict[str, str] = {}

    def fix(run: Run) -> Run:
        if run.href is None:
            return run
        if run.href not in seen:
            seen[run.href] = internal_href(path, run.href) or run.href
        new = seen[run.href]
        return run if new == run.href else Run(run.text, run.marks, new)

    out = []
    for piece in pieces:
        if piece.rows:
            rows = tuple(tuple(tuple(fix(r) for r in cell) for cell in row) for row in piece.rows)
            piece = replace(piece, rows=rows)
        elif any(r.href for r in piece.runs):
            piece = replace(piece, runs=tuple(fix(r) for r in piece.runs))
        out.append(piece)
    return out
