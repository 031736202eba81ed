"""EPUB books (2 and 3): one article, its chapters from the book's own table of contents.

The chain is the format's: META-INF/container.xml names the package document, whose
spine orders the content documents; each is XHTML, read into blocks by the HTML source's
walker (`epub_xhtml`) and laid out one after the other. Ids in every document are noted
as they land, so footnote calls and cross references get the offset they lead to and the
table of contents (`epub_toc`) its chapter starts. Read with the standard library's
zipfile and lxml (EbookLib is AGPL), nothing extracted, everything capped
(`epub_package`).

What a text reader can do without is let go: fonts (obfuscated or not), images (their
alt text stays), scripts, audio. A content document missing from the file is skipped with
a `SourceNotice`; a book whose content documents are encrypted is DRM, and refused in one
line, as is a file that is not a readable EPUB at all.
"""

from __future__ import annotations

import re

from reader.article import Article, InputError
from reader.article.document import Block, Chapter, DocumentBuilder, Link
from reader.sources.base import Locator, with_url
from reader.sources.epub_package import Book, EpubError, Item, open_book

__all__ = ["DRM", "EpubSource", "read_epub"]

DRM = "protected by DRM: its text is encrypted, and reader cannot open it"
_CONTENT_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/html"})
_YEAR = re.compile(r"\d{4}(?:-\d{2})?")


class EpubSource:
    """The `Source` for .epub files and application/epub+zip responses."""

    name = "epub"
    suffixes = frozenset({".epub"})
    media_types = frozenset({"application/epub+zip"})

    def sniff(self, head: bytes) -> bool:
        """An EPUB's first entry is the stored file "mimetype", saying so."""
        return head.startswith(b"PK\x03\x04") and b"application/epub+zip" in head[:100]

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        return with_url(read_epub(data, name=locator.name, notices=locator.notices), locator)


def read_epub(data: bytes, *, name: str = "<epub>", notices: list[str] | None = None) -> Article:
    """The book as one article; InputError (one line naming `name`) when it cannot be read.
    What was left out of a book still read (a missing chapter) goes to `notices`."""
    try:
        book = open_book(data)
        return _article(book, name, [] if notices is None else notices)
    except EpubError as exc:
        raise InputError(name, f"not a readable EPUB ({exc})") from None


def _is_content(item: Item) -> bool:
    return item.media_type.split(";")[0].strip().lower() in _CONTENT_TYPES


def _article(book: Book, name: str, notices: list[str]) -> Article:
    from reader.sources.epub_xhtml import content_pieces
    from reader.sources.html_blocks import add_pieces

    documents = [item for item in book.spine if _is_content(item)]
    if book.encrypted.intersection(item.path for item in documents):
        raise InputError(name, DRM)
    found = [(item, book.find(item.path)) for item in documents]
    present = [(item, entry) for item, entry in found if entry is not None]
    if not present:
        what = f"none of its {len(documents)} content documents is in the file"
        raise EpubError(what if documents else "its spine lists no content documents")
    notices.extend(
        f"{name}: skipped {item.href}: not in the file" for item, entry in found if entry is None
    )
    builder = DocumentBuilder()
    targets: dict[str, int] = {}
    for item, entry in present:
        assert item.path is not None
        pieces, anchors = content_pieces(book.read(entry), item.path, cover=book.cover)
        first, start = len(builder.blocks), builder.next_start
        starts = []
        for piece in pieces:
            starts.append(builder.next_start)
            add_pieces(builder, [piece])
        starts.append(builder.next_start)
        targets.setdefault(item.path, _heading(builder.blocks[first:], start))
        for key, index in anchors.items():
            targets.setdefault(f"{item.path}#{key}", starts[index])
    builder.retarget(targets)
    chapters = _chapters(book, targets, name, notices)
    meta = book.metadata
    article = Article.from_builder(
        builder,
        title=meta.title,
        chapters=chapters,
        author=", ".join(meta.creators) or None,
        published=_date(meta.date),
        source=meta.publisher,
        lang=_language(meta.language),
    )
    return _within(article)


def _heading(blocks: list[Block], start: int) -> int:
    """Where a chapter that is a whole document starts: its heading, past a logo or an
    ornament before it."""
    for block in blocks:
        if block.kind == "heading":
            return block.start
        if block.kind not in ("caption", "rule"):
            break
    return start


def _chapters(book: Book, targets: dict[str, int], name: str, notices: list[str]) -> list[Chapter]:
    """The nav's entries (EPUB 3), else the NCX's (EPUB 2), where the text has them."""
    from reader.sources.epub_toc import Entry, nav_entries, ncx_entries

    for item, read in ((book.nav, nav_entries), (book.ncx, ncx_entries)):
        entry = book.find(item.path) if item is not None else None
        if item is None or item.path is None or entry is None:
            continue
        try:
            entries: list[Entry] = read(book.read(entry), item.path)
        except EpubError:
            notices.append(f"{name}: its table of contents is damaged")
            continue
        chapters = []
        for e in entries:
            start = targets.get(e.target, targets.get(e.target.split("#", 1)[0]))
            if start is not None:
                chapters.append(Chapter(e.title, start, e.level))
        if chapters:
            return chapters
    return []


def _within(article: Article) -> Article:
    """Offsets noted past the last block (an anchor at a book's very end) moved onto it."""
    end = len(article.text)
    article.links = [
        Link(k.start, k.end, k.href, min(k.target, end))
        if k.target is not None and k.target > end
        else k
        for k in article.links
    ]
    article.chapters = [c for c in article.chapters if c.start < end or not end]
    return article


def _date(raw: str | None) -> str | None:
    from reader.article.dates import parse_date

    if not raw:
        return None
    raw = raw.strip()
    return parse_date(raw) or (raw if _YEAR.fullmatch(raw) else None)


def _language(raw: str | None) -> str | None:
    from reader.sources.html_meta import language_tag

    return language_tag(raw)
