"""Web pages: the article in a saved or fetched HTML page, without the page around it.

This module decides how the bytes are decoded and what is one line of error. Finding the
main content is trafilatura's and readability-lxml's job, compared page by page
(`html_extract`); their trees become the article's blocks — headings, lists, quotes, code,
tables — with their emphasis and links (`html_blocks`), lose the chrome both leave in
(`html_clean`), and the metadata is read and cleaned by the clip rules (`html_meta`).
Those modules import trafilatura and lxml inside their functions, so importing this one
costs nothing at start-up.
"""

from __future__ import annotations

import codecs
import logging
import re

from reader.article import Article, InputError, clean_text, decode_bytes
from reader.article import inputs as _inputs
from reader.sources.base import Locator

__all__ = ["HtmlSource", "read_html"]

NO_ARTICLE = "no article text found in this page"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(
    rb"<meta\b[^>]{0,512}?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I
)
_SNIFF = re.compile(
    rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
# What a browser reads a page labelled with these as (WHATWG Encoding): Latin-1 is cp1252,
# and a UTF-16 label on bytes that decoded as ASCII-compatible is a lie.
_LABELS = {
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "iso8859-1": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
    "utf-16be": "utf-8", "utf-32": "utf-8",
}  # fmt: skip
_QUIET = ("trafilatura", "htmldate", "courlan", "readability", "justext")


class HtmlSource:
    """The `Source` for .html/.htm/.xhtml files and text/html responses."""

    name = "html"
    suffixes = frozenset({".html", ".htm", ".xhtml"})
    media_types = frozenset({"text/html", "application/xhtml+xml"})

    def sniff(self, head: bytes) -> bool:
        """A page opens with a doctype or <html>/<head>/<body>, after a BOM or comments; a
        text file that merely mentions "<html>" later on is not one."""
        head = head[:4096]
        for bom, _ in _BOMS:
            if head.startswith(bom):
                head = head[len(bom) :]
                break
        if b"\x00" in head[:64]:  # UTF-16: look at it as ASCII
            head = head.replace(b"\x00", b"")
        return _SNIFF.match(head) is not None

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        return [read_html(data, url=locator.url, charset=locator.charset, name=locator.name)]


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").casefold()
    label = _LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, *, charset: str | None = None, name: str = "<html>") -> str:
    """The page's text: a BOM wins, then the server's charset, then the page's own <meta>,
    then the project's guess (`decode_bytes`, which knows legacy encodings and binary files).

    A declared encoding the bytes do not fit is skipped rather than trusted with
    replacement characters: servers and templates lie about it often enough.
    """
    if not data or len(data) > _inputs.MAX_BYTES or b"\x00" in data[:4096]:
        # Empty, too large, binary or BOM-less UTF-16: its own messages and readings.
        return decode_bytes(data, name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return clean_text(data.decode(codec))
            except UnicodeDecodeError:
                raise InputError(name, f"damaged text: invalid {codec.upper()}") from None
    meta = _META_CHARSET.search(data[:4096])
    for label in (charset, meta[1].decode("ascii") if meta else None):
        declared = _codec(label)
        if declared is None:
            continue
        try:
            return clean_text(data.decode(declared))
        except UnicodeDecodeError:
            continue
    return decode_bytes(data, name)


def _quiet() -> None:
    """The extractors log a warning for every page they give up on; the CLI says it once."""
    for logger in _QUIET:
        log = logging.getLogger(logger)
        if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
            log.addHandler(logging.NullHandler())
        log.propagate = False


def read_html(
    data: bytes, *, url: str | None = None, charset: str | None = None, name: str | None = None
) -> Article:
    """The article in an HTML page, or `InputError` with one line naming `name` (else the URL).

    `url` is where the page came from: relative links and the canonical URL resolve
    against it, and it is the article's URL when the page names none.
    """
    from reader.sources.html_extract import extract

    label = name or url or "<html>"
    text = decode_html(data, charset=charset, name=label)
    if "<" not in text:
        raise InputError(label, NO_ARTICLE + " (no HTML markup)")
    _quiet()
    article = extract(text, url=url)
    if article is None or not article.paragraphs:
        raise InputError(label, NO_ARTICLE)
    return article
