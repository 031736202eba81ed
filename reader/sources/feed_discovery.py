"""Finding a site's feed: `reader feed add` takes the address people know, the site's.

A page names its feeds in `<link rel="alternate" type="application/rss+xml">` (or atom+xml);
`looks_like_feed` decides whether fetched bytes are already a feed, so the caller knows
whether to parse them or to look for those links. JSON Feed links are left out: feedparser
reads RSS and Atom only, and offering a feed that cannot be read helps nobody.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin, urlsplit

__all__ = ["FEED_TYPES", "feed_links", "looks_like_feed"]

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
_ROOT = re.compile(
    rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype[^>\[]*(?:\[.*?\])?\s*>)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|rdf|channel)\b",
    re.IGNORECASE | re.DOTALL,
)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def feed_links(html: bytes, base_url: str) -> list[str]:
    """The RSS and Atom feeds the page links to, absolute, in page order, each once.

    Relative addresses resolve against the page's `<base href>` when it has one, as a
    browser's would; `feed:` addresses become the http(s) ones they stand for.
    """
    import lxml.html  # type: ignore[import-untyped]
    from lxml import etree  # type: ignore[import-untyped, unused-ignore]

    if not html.strip():
        return []
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for href in root.xpath("//base/@href"):
        base = urljoin(base_url, str(href).strip())
        break
    found: list[str] = []
    for link in root.iter("link"):
        rel = {token.lower() for token in (link.get("rel") or "").split()}
        media = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or media not in FEED_TYPES or not href:
            continue
        url = _absolute(href, base)
        if url is not None and url not in found:
            found.append(url)
    return found


def looks_like_feed(head: bytes, media_type: str | None) -> bool:
    """A feed by its media type, else by its root element (<rss>, <feed>, <rdf:RDF> of RSS
    1.0, <channel>): servers label feeds text/xml, text/plain, even text/html, and a page's
    root is <html> whatever it is labelled."""
    if (media_type or "").split(";")[0].strip().lower() in FEED_TYPES:
        return True
    head = head[:4096]
    for bom in _UTF16_BOMS:
        if head.startswith(bom):
            head = head[2:].replace(b"\x00", b"")
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
    if b"\x00" in head[:64]:  # UTF-16 or UTF-32 without a BOM: look at it as ASCII
        head = head.replace(b"\x00", b"")
    m = _ROOT.match(head)
    if m is None:
        return False
    if m[1].lower() == b"rdf":
        return b"purl.org/rss/" in head or b"netscape.com/publish/formats/rss" in head
    return True


def _absolute(href: str, base: str) -> str | None:
    if href.lower().startswith("feed:"):
        rest = href[5:]
        href = rest if rest.lower().startswith("http") else "http:" + rest
    url = urljoin(base, href)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None
