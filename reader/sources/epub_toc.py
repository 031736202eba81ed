"""A book's own table of contents: EPUB 3's navigation document, else EPUB 2's toc.ncx.

Each entry is its title, where it leads inside the book (a zip name with an optional
fragment, as `epub_xhtml.internal_href` writes links) and its depth; `epub` turns those
into offsets once the text is laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reader.sources.epub_package import parse_xml
from reader.sources.epub_xhtml import internal_href, local, parse_xhtml

__all__ = ["Entry", "nav_entries", "ncx_entries"]

_Element = Any
_OPS = "{http://www.idpf.org/2007/ops}type"
_MAX_LEVEL = 64


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    target: str
    level: int


def _text(elem: _Element) -> str:
    return " ".join("".join(elem.itertext()).split())


def nav_entries(data: bytes, path: str) -> list[Entry]:
    """The entries of the nav whose epub:type is "toc" (else the first nav), nested ol/li."""
    root = parse_xhtml(data, path)
    navs = [e for e in root.iter() if local(e) == "nav"]
    tocs = [n for n in navs if "toc" in (n.get(_OPS) or n.get("epub:type") or "").split()]
    chosen = (tocs or navs or [None])[0]
    if chosen is None:
        return []
    entries: list[Entry] = []
    top = next((e for e in chosen.iter() if local(e) == "ol"), None)
    if top is not None:
        _nav_list(top, path, 1, entries)
    return entries


def _nav_list(ol: _Element, path: str, level: int, out: list[Entry]) -> None:
    for li in ol:
        if local(li) != "li":
            continue
        for child in li:
            name = local(child)
            if name == "a" and child.get("href"):
                target = internal_href(path, child.get("href"))
                title = _text(child)
                if target is not None and title:
                    out.append(Entry(title, target, min(level, _MAX_LEVEL)))
            elif name == "ol":
                _nav_list(child, path, level + 1, out)


def ncx_entries(data: bytes, path: str) -> list[Entry]:
    root = parse_xml(data, path)
    nav_map = next((e for e in root.iter() if local(e) == "navmap"), None)
    entries: list[Entry] = []
    if nav_map is not None:
        _nav_points(nav_map, path, 1, entries)
    return entries


def _nav_points(parent: _Element, path: str, level: int, out: list[Entry]) -> None:
    for point in parent:
        if local(point) != "navpoint":
            continue
        label = next((e for e in point if local(e) == "navlabel"), None)
        content = next((e for e in point if local(e) == "content"), None)
        title = _text(label) if label is not None else ""
        target = internal_href(path, content.get("src") or "") if content is not None else None
        if title and target is not None:
            out.append(Entry(title, target, min(level, _MAX_LEVEL)))
        _nav_points(point, path, level + 1, out)
