"""Which source reads what: the one list the CLI, the app's add dialog, the folder walk and
the sample seeding all ask, so a format added here is accepted everywhere at once.

A file is matched by its suffix, then by its first bytes; a fetched page by its media type,
then its URL's suffix, then its bytes. Images and other binary formats people will try get
a line saying what they are instead of a decoder's "binary data".
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reader.sources.base import HEAD_BYTES, Locator, Source, read_file
from reader.sources.markdown import MarkdownSource
from reader.sources.text import TextSource

if TYPE_CHECKING:
    from reader.article import Article, InputError
    from reader.sources.url import Fetched

__all__ = [
    "NO_TEXT",
    "SOURCES",
    "choose",
    "for_media_type",
    "for_path",
    "formats_named",
    "read_data",
    "read_fetched",
    "read_path",
    "supported_suffixes",
]

NO_TEXT = "no article text left after removing page boilerplate"
READS = "reader reads text, Markdown, HTML, PDF and EPUB"


class _LazyHtml:
    """reader.sources.html.HtmlSource, imported on first use.

    Its names and media types are known here so listing the formats (the folder walk, the
    dialog's completion) never imports the HTML module: a broken or half-written parser
    fails only when an HTML page is actually read.
    """

    name = "html"
    suffixes = frozenset({".html", ".htm", ".xhtml"})
    media_types = frozenset({"text/html", "application/xhtml+xml"})

    def _real(self) -> Source:
        from reader.sources.html import HtmlSource

        return HtmlSource()

    def sniff(self, head: bytes) -> bool:
        return self._real().sniff(head)

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        return self._real().read(data, locator)


class _LazyPdf:
    """reader.sources.pdf.PdfSource, imported on first use, as `_LazyHtml` is; its sniff
    needs no import at all."""

    name = "pdf"
    suffixes = frozenset({".pdf"})
    media_types = frozenset({"application/pdf", "application/x-pdf"})

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        from reader.sources.pdf import PdfSource

        return PdfSource().read(data, locator)


class _LazyEpub:
    """reader.sources.epub.EpubSource, imported on first use, as `_LazyHtml` is; its sniff
    (the "mimetype" entry an EPUB's zip starts with) needs no import at all."""

    name = "epub"
    suffixes = frozenset({".epub"})
    media_types = frozenset({"application/epub+zip"})

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"application/epub+zip" in head[:100]

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        from reader.sources.epub import EpubSource

        return EpubSource().read(data, locator)


_TEXT = TextSource()

SOURCES: tuple[Source, ...] = (_LazyHtml(), _LazyPdf(), _LazyEpub(), MarkdownSource(), _TEXT)
"""In the order sniffing asks them; text last, since any text at all passes for a clip."""

# Kinds people will hand over, with the words that name them: suffixes and media types.
_NOT_YET: dict[str, str] = {}
_IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg", ".heic", ".avif"}
)
_IMAGE = f"an image, not an article ({READS})"
# Magic numbers of what is not yet read, for inputs whose name says nothing (stdin, a URL
# without a suffix served as octet-stream).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", _IMAGE),
    (b"\xff\xd8\xff", _IMAGE),
    (b"GIF8", _IMAGE),
)
# Media types that say nothing about the content: the URL's suffix and the bytes decide.
_GENERIC = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/xml"})


def supported_suffixes() -> tuple[str, ...]:
    """Every suffix some source reads, sorted: what the folder walk and completion accept."""
    return tuple(sorted({suffix for source in SOURCES for suffix in source.suffixes}))


def formats_named() -> str:
    """The main suffix of each format, for messages: ".txt, .md, .html"."""
    main = {"text": ".txt", "markdown": ".md", "html": ".html"}
    names = [main.get(source.name, min(source.suffixes)) for source in reversed(SOURCES)]
    return ", ".join(names)


def _by_suffix(suffix: str) -> Source | None:
    suffix = suffix.lower()
    for source in SOURCES:
        if suffix in source.suffixes:
            return source
    return None


def for_media_type(media_type: str) -> Source | None:
    """The source of a Content-Type ("text/html; charset=utf-8" works too)."""
    media_type = media_type.split(";", 1)[0].strip().lower()
    for source in SOURCES:
        if media_type in source.media_types:
            return source
    return None


def _by_sniff(head: bytes) -> Source | None:
    for source in SOURCES:
        if source is not _TEXT and source.sniff(head):
            return source
    return None


def for_path(path: Path | str) -> Source | None:
    """The source for a file: by suffix, else by its first 4 KB; None if nothing fits."""
    source = _by_suffix(Path(path).suffix)
    if source is not None:
        return source
    try:
        with Path(path).open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return None
    return _by_sniff(head) or (_TEXT if _TEXT.sniff(head) else None)


def _suffix(locator: Locator) -> str:
    if locator.path is not None:
        return Path(locator.path).suffix.lower()
    if locator.url is not None:
        return posixpath.splitext(urlsplit(locator.url).path)[1].lower()
    return ""


def _refuse(locator: Locator, problem: str) -> InputError:
    from reader.article import InputError

    return InputError(locator.name, problem)


def choose(head: bytes, locator: Locator) -> Source:
    """The source for bytes starting with `head` from `locator`, or InputError saying why none.

    A specific media type (text/html) is the server's word and wins; text/plain and the
    generic types yield to a suffix the URL names (raw Markdown is often served as
    text/plain). Whatever nothing claims is read as text, whose decoder names binary data.
    """
    suffix = _suffix(locator)
    media_type = (locator.media_type or "").split(";", 1)[0].strip().lower()
    by_type = for_media_type(media_type) if media_type else None
    if by_type is None and media_type not in _GENERIC and not media_type.startswith("text/"):
        if media_type in _NOT_YET:
            raise _refuse(locator, _NOT_YET[media_type])
        if media_type.startswith("image/"):
            raise _refuse(locator, _IMAGE)
        raise _refuse(locator, f"not an article ({media_type}); {READS}")
    if by_type is not None and by_type is not _TEXT:
        return by_type
    if suffix in _NOT_YET:
        raise _refuse(locator, _NOT_YET[suffix])
    if suffix in _IMAGE_SUFFIXES:
        raise _refuse(locator, _IMAGE)
    by_suffix = _by_suffix(suffix)
    if by_suffix is not None:
        return by_suffix
    if by_type is not None:
        return by_type
    for magic, problem in _MAGIC:
        if head.startswith(magic):
            raise _refuse(locator, problem)
    return _by_sniff(head) or _TEXT


def read_data(data: bytes, locator: Locator) -> list[Article]:
    """The articles in `data`, each with some text; InputError (one line) otherwise."""
    source = choose(data[:HEAD_BYTES], locator)
    articles = [article for article in source.read(data, locator) if article.paragraphs]
    if not articles:
        raise _refuse(locator, NO_TEXT)
    return articles


def read_path(
    path: Path | str, *, password: str | None = None, notices: list[str] | None = None
) -> list[Article]:
    """The articles in the file at `path`; InputError naming it when there are none.
    `password` opens an encrypted PDF; `notices` collects what was left out (Locator)."""
    locator = Locator(path=str(path), password=password)
    articles = read_data(read_file(path), locator)
    if notices is not None:
        notices.extend(locator.notices)
    return articles


def read_fetched(
    fetched: Fetched, *, password: str | None = None, notices: list[str] | None = None
) -> list[Article]:
    """The articles of a fetched page, each keeping the URL it was finally served from."""
    locator = Locator(
        url=fetched.url,
        media_type=fetched.media_type or None,
        charset=fetched.charset,
        password=password,
    )
    articles = read_data(fetched.body, locator)
    if notices is not None:
        notices.extend(locator.notices)
    for article in articles:
        if article.url is None:
            article.url = fetched.url
    return articles
