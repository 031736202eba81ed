"""An EPUB's package, read from memory: the zip, META-INF/container.xml, the package
document (OPF) it points to, and what that says — metadata, manifest, spine, the table of
contents' files — with the files META-INF/encryption.xml says are encrypted.

Nothing is extracted to disk: every href is resolved to a name inside the zip (so "../"
cannot leave it), and every entry is read with a cap on its size and on the total, so a
zip bomb is refused rather than unpacked. XML is parsed without a DTD, entities or the
network. lxml is imported inside the functions.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = [
    "MAX_ENTRY_BYTES",
    "MAX_TOTAL_BYTES",
    "Book",
    "EpubError",
    "Item",
    "Metadata",
    "open_book",
    "parse_xml",
    "resolve",
]

MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""No chapter, package or table of contents unpacks to more than this: a bigger one is a
zip bomb, not a book."""
MAX_TOTAL_BYTES = 200 * 1024 * 1024

_Element = Any  # lxml.etree._Element: lxml ships no type information
_DC = "http://purl.org/dc/elements/1.1/"
_OPF = "http://www.idpf.org/2007/opf"
_CONTAINER = "META-INF/container.xml"
_ENCRYPTION = "META-INF/encryption.xml"


class EpubError(Exception):
    """Why the file is not a readable EPUB, in a few words for the one-line message."""


@dataclass(frozen=True, slots=True)
class Item:
    """A manifest entry: `path` is its name inside the zip (None: its href leaves the book)."""

    id: str
    href: str
    path: str | None
    media_type: str
    properties: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    creators: tuple[str, ...] = ()
    language: str | None = None
    date: str | None = None
    publisher: str | None = None


@dataclass(slots=True)
class Book:
    """The open zip and its package: read entries through `read`, which keeps the caps."""

    archive: zipfile.ZipFile
    opf_path: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    manifest: dict[str, Item] = field(default_factory=dict)
    spine: list[Item] = field(default_factory=list)
    nav: Item | None = None
    ncx: Item | None = None
    cover: str | None = None  # the cover image's zip name: its alt text ("cover") is no text
    encrypted: frozenset[str] = frozenset()
    _loose: dict[str, str] = field(default_factory=dict)
    _read: int = 0

    def find(self, path: str | None) -> str | None:
        """The zip entry named `path`: exactly, else ignoring case and percent-encoding
        (zips made by hand store "My%20Book.xhtml" or "chapter1.XHTML")."""
        if path is None:
            return None
        if not self._loose:
            for info in self.archive.infolist():
                if not info.is_dir():
                    self._loose.setdefault(unquote(info.filename).casefold(), info.filename)
        try:
            self.archive.getinfo(path)
        except KeyError:
            return self._loose.get(path.casefold())
        return path

    def read(self, name: str) -> bytes:
        info = self.archive.getinfo(name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise EpubError(f"{name} unpacks to more than {MAX_ENTRY_BYTES >> 20} MB")
        try:
            with self.archive.open(info) as entry:
                data = entry.read(MAX_ENTRY_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise EpubError(f"{name} is damaged: {exc}") from None
        except (NotImplementedError, RuntimeError):
            raise EpubError(f"{name} is packed in a way reader cannot open") from None
        if len(data) > MAX_ENTRY_BYTES:
            raise EpubError(f"{name} unpacks to more than {MAX_ENTRY_BYTES >> 20} MB")
        self._read += len(data)
        if self._read > MAX_TOTAL_BYTES:
            raise EpubError(f"it unpacks to more than {MAX_TOTAL_BYTES >> 20} MB")
        return data


def resolve(base: str, href: str) -> tuple[str, str] | None:
    """The zip name an href in the file `base` points to, and its fragment (both
    percent-decoded); None for a link out of the book: a URL, or a path above the root."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return base, unquote(parts.fragment)
    joined = (
        path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(base), path)
    )
    normal = posixpath.normpath(joined)
    if normal in (".", "..") or normal.startswith("../"):
        return None
    return normal, unquote(parts.fragment)


def parse_xml(data: bytes, what: str) -> _Element:
    """The root of an XML file, strictly parsed, else as much as lxml can recover."""
    from lxml import etree  # type: ignore[import-untyped, unused-ignore]

    options = {"resolve_entities": False, "no_network": True, "huge_tree": False}
    options |= {"load_dtd": False, "remove_comments": True, "remove_pis": True}
    try:
        return etree.fromstring(data, etree.XMLParser(**options))
    except etree.XMLSyntaxError:
        pass
    try:
        root = etree.fromstring(data, etree.XMLParser(recover=True, **options))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise EpubError(f"{what} is not valid XML")
    return root


def _local(elem: _Element) -> str:
    tag = elem.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(elem: _Element) -> str:
    return " ".join("".join(elem.itertext()).split())


def open_book(data: bytes) -> Book:
    """The zip and its package; EpubError when it is not one, or lacks what a book needs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise EpubError("not a zip archive, or cut short") from None
    except (OSError, ValueError, EOFError) as exc:
        raise EpubError(f"a damaged zip archive: {exc}") from None
    book = Book(archive)
    container = book.find(_CONTAINER)
    if container is None:
        raise EpubError(f"no {_CONTAINER}")
    book.opf_path = _rootfile(parse_xml(book.read(container), _CONTAINER))
    opf_name = book.find(book.opf_path)
    if opf_name is None:
        raise EpubError(f"its package document {book.opf_path} is missing")
    book.opf_path = opf_name
    _package(book, parse_xml(book.read(opf_name), opf_name))
    encryption = book.find(_ENCRYPTION)
    if encryption is not None:
        book.encrypted = _encrypted(parse_xml(book.read(encryption), _ENCRYPTION))
    return book


def _rootfile(root: _Element) -> str:
    paths = [
        (e.get("media-type") or "", e.get("full-path") or "")
        for e in root.iter()
        if _local(e) == "rootfile" and e.get("full-path")
    ]
    paths.sort(key=lambda p: p[0] != "application/oebps-package+xml")
    for _, full_path in paths:
        found = resolve("", full_path)
        if found is not None:
            return found[0]
    raise EpubError(f"{_CONTAINER} names no package document")


def _package(book: Book, opf: _Element) -> None:
    for elem in opf.iter():
        if _local(elem) != "item" or not elem.get("id") or elem.get("href") is None:
            continue
        href = elem.get("href") or ""
        found = resolve(book.opf_path, href)
        properties = frozenset((elem.get("properties") or "").split())
        item = Item(
            elem.get("id"), href, found and found[0], elem.get("media-type") or "", properties
        )
        book.manifest.setdefault(item.id, item)
        if "nav" in properties and book.nav is None:
            book.nav = item
    covers = [i.path for i in book.manifest.values() if "cover-image" in i.properties]
    for elem in opf.iter():
        name = _local(elem)
        if name == "meta" and elem.get("name") == "cover" and elem.get("content") in book.manifest:
            covers.append(book.manifest[elem.get("content")].path)
        elif name == "itemref" and elem.get("idref") in book.manifest:
            book.spine.append(book.manifest[elem.get("idref")])
        elif name == "spine" and elem.get("toc") in book.manifest:
            book.ncx = book.manifest[elem.get("toc")]
    book.cover = next((c for c in covers if c), None)
    if book.ncx is None:
        ncx = [i for i in book.manifest.values() if i.media_type == "application/x-dtbncx+xml"]
        book.ncx = ncx[0] if ncx else None
    book.metadata = _metadata(opf)


def _metadata(opf: _Element) -> Metadata:
    """Dublin Core, with EPUB 3's refinements (the "main" title, an author's role) and
    EPUB 2's attributes (opf:role, opf:event) where a book has several of one kind."""
    dc: dict[str, list[_Element]] = {}
    refines: dict[tuple[str, str], str] = {}
    for elem in opf.iter():
        if not isinstance(elem.tag, str):
            continue
        if elem.tag.startswith("{" + _DC + "}"):
            dc.setdefault(_local(elem), []).append(elem)
        elif _local(elem) == "meta" and elem.get("refines") and elem.get("property"):
            key = (elem.get("refines").lstrip("#"), elem.get("property"))
            refines.setdefault(key, _text(elem))

    def texts(name: str) -> list[tuple[_Element, str]]:
        return [(e, t) for e in dc.get(name, []) if (t := _text(e))]

    def attr(elem: _Element, name: str) -> str | None:
        value = elem.get(f"{{{_OPF}}}{name}") or elem.get(name)
        return str(value) if value else None

    def role(elem: _Element) -> str | None:
        return attr(elem, "role") or refines.get((elem.get("id") or "", "role"))

    titles = texts("title")
    main = [t for e, t in titles if refines.get((e.get("id") or "", "title-type")) == "main"]
    creators = texts("creator")
    authors = [t for e, t in creators if role(e) in (None, "aut")]
    dates = texts("date")
    published = [t for e, t in dates if attr(e, "event") in ("publication", "original-publication")]
    undated = [t for e, t in dates if not attr(e, "event")]
    return Metadata(
        title=next(iter(main or [t for _, t in titles]), None),
        creators=tuple(dict.fromkeys(authors or [t for _, t in creators])),
        language=next((t for _, t in texts("language")), None),
        date=next(iter(published or undated), None),
        publisher=next((t for _, t in texts("publisher")), None),
    )


def _encrypted(root: _Element) -> frozenset[str]:
    """The files encryption.xml covers: its URIs are relative to the container's root."""
    paths = set()
    for elem in root.iter():
        if _local(elem) == "CipherReference" and elem.get("URI"):
            found = resolve("", elem.get("URI"))
            if found is not None:
                paths.add(found[0])
    return frozenset(paths)
