"""OPML, the list of feeds every other reader exports: in with its folders, out as OPML 2.0.

Folders are outlines without an `xmlUrl` that hold others; the path of folders a feed sits in
becomes its tags. The file comes from elsewhere, so the XML parser expands no entities and
loads nothing: a document declaring entities (the billion-laughs bomb, an external file) is
refused outright, since no exporter writes one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from reader.article import InputError

__all__ = ["OpmlFeed", "read_opml", "write_opml"]

NOT_OPML = "not an OPML file"
_SPACE = re.compile(r"\s+")
# Characters XML 1.0 cannot carry: a title holding one would make the export unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str | None
    folders: tuple[str, ...] = ()  # outermost first


def read_opml(data: bytes, *, name: str = "<opml>") -> list[OpmlFeed]:
    """The feeds in an OPML file, in document order; one line of `InputError` if it is not one.

    A feed listed in two folders comes twice, once with each path; the same URL in the same
    folder once. Outlines whose address is not http(s) (or feed:) are not feeds and are left out.
    """
    root = _parse(data, name)
    if _local(root.tag) != "opml":
        raise InputError(name, f"{NOT_OPML} (its root element is <{_local(root.tag)}>)")
    body = next((c for c in root if _local(c.tag) == "body"), None)
    if body is None:
        raise InputError(name, f"{NOT_OPML} (it has no <body>)")
    feeds: list[OpmlFeed] = []
    _walk(body, (), feeds, set())
    return feeds


def write_opml(
    feeds: Iterable[tuple[str, str | None, tuple[str, ...]]], title: str = "reader feeds"
) -> str:
    """OPML 2.0 of (url, title, folders): each folder path becomes nested outlines, in the order
    the feeds first name it, so `read_opml` gives the same feeds back."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = _clean(title)
    body = ET.SubElement(opml, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}
    for url, feed_title, path in feeds:
        parent = body
        clean_path = tuple(p for p in (_clean(f) for f in path) if p)
        for depth in range(1, len(clean_path) + 1):
            key = clean_path[:depth]
            if key not in folders:
                folders[key] = ET.SubElement(parent, "outline", text=key[-1], title=key[-1])
            parent = folders[key]
        text = _clean(feed_title or "") or url
        ET.SubElement(parent, "outline", type="rss", text=text, title=text, xmlUrl=_clean(url))
    ET.indent(opml, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, "unicode") + "\n"


def _parse(data: bytes, name: str) -> Any:
    from lxml import etree  # type: ignore[import-untyped, unused-ignore]

    if not data.strip():
        raise InputError(name, "empty file")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problem = str(exc.msg or exc).splitlines()[0] if str(exc.msg or exc) else "broken XML"
        line = f" at line {exc.lineno}" if exc.lineno else ""
        raise InputError(name, f"{NOT_OPML} (broken XML{line}: {problem})") from None
    except ValueError as exc:
        raise InputError(name, f"{NOT_OPML} ({exc})") from None
    if root is None:
        raise InputError(name, f"{NOT_OPML} (no XML in it)")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError(name, f"{NOT_OPML} (it declares XML entities, which OPML never needs)")
    return root


def _walk(
    node: Any, path: tuple[str, ...], out: list[OpmlFeed], seen: set[tuple[str, tuple[str, ...]]]
) -> None:
    for child in node:
        if not isinstance(child.tag, str) or _local(child.tag) != "outline":
            continue
        attrs = {k.lower(): v for k, v in child.attrib.items()}
        label = _clean(attrs.get("title") or "") or _clean(attrs.get("text") or "")
        url = _feed_url(attrs.get("xmlurl"))
        if url is not None:
            if (url, path) not in seen:
                seen.add((url, path))
                out.append(OpmlFeed(url, label or None, path))
            _walk(child, path, out, seen)
        else:
            _walk(child, (*path, label) if label else path, out, seen)


def _feed_url(raw: str | None) -> str | None:
    from urllib.parse import urlsplit

    url = (raw or "").strip()
    if url.lower().startswith("feed:"):
        rest = url[5:]
        url = rest if rest.lower().startswith("http") else "http:" + rest
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _NOT_XML.sub("", text)).strip()
