"""PDF documents: books and papers, read from their text layer.

pdfminer.six parses the file and says where every glyph is drawn (chosen over pypdf for
that: the geometry is what the reading order, the paragraphs and the headings are rebuilt
from; see benchmarks/bench_pdf.py for the figures). The geometry becomes lines in reading
order in `pdf_layout`, and lines become headings and paragraphs, without the pages'
furniture, in `pdf_text`. Here: opening the file (passwords, damage), the metadata, and the
outline as the book's chapters. pdfminer is imported inside the functions, so importing
this module costs nothing at start-up.

A scanned document has pictures of pages and no text: it is refused in one line rather than
imported empty, as is an encrypted one without its password, and a damaged one.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reader.article import Article, InputError
from reader.article.document import Chapter, DocumentBuilder
from reader.sources.base import Locator, with_url
from reader.sources.pdf_layout import Char, Line, page_lines
from reader.sources.pdf_text import Paragraph, drop_furniture, paragraphs

if TYPE_CHECKING:
    from pdfminer.pdfdocument import PDFDocument

__all__ = [
    "CUT_SHORT",
    "DAMAGED",
    "NEEDS_PASSWORD",
    "NO_TEXT_LAYER",
    "WRONG_PASSWORD",
    "PdfSource",
    "read_pdf",
]

NEEDS_PASSWORD = "protected by a password; give it with --password"
WRONG_PASSWORD = "the password given does not open it"
NO_TEXT_LAYER = "has no text layer (a scanned document?); reader cannot read images of text"
DAMAGED = "damaged PDF: it cannot be read"
CUT_SHORT = "damaged PDF: the file is cut short (its end is missing)"
UNSUPPORTED = "encrypted in a way reader cannot open"

_QUIET = ("pdfminer",)
_JUNK_TITLE = re.compile(
    r"(?:untitled|document\d*|title|microsoft word"
    r"|[^\s/\\]+\.(?:docx?|rtf|odt|tex|dvi|pdf|indd|qxd|p65|ps))",
    re.I,
)
_WORD_PREFIX = re.compile(r"^Microsoft (?:Word|PowerPoint) - ", re.I)
_TAIL = 1024  # a PDF ends with %%EOF within its last 1024 bytes (as Acrobat requires)


class PdfSource:
    """The `Source` for .pdf files and application/pdf responses."""

    name = "pdf"
    suffixes = frozenset({".pdf"})
    media_types = frozenset({"application/pdf", "application/x-pdf"})

    def sniff(self, head: bytes) -> bool:
        """The header may follow a little junk (a mail gateway's line), as readers allow."""
        return b"%PDF-" in head[:1024]

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        return with_url(read_pdf(data, name=locator.name, password=locator.password), locator)


def _quiet() -> None:
    """pdfminer logs a warning for every odd font or broken cross reference it mends."""
    for logger in _QUIET:
        log = logging.getLogger(logger)
        log.setLevel(logging.ERROR)
        log.propagate = False
        if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
            log.addHandler(logging.NullHandler())


def _open(data: bytes, name: str, password: str | None) -> PDFDocument:
    """The parsed document: the empty password first (it opens files that only restrict
    printing or copying), then the one given."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    def attempt(secret: str) -> PDFDocument:
        return PDFDocument(PDFParser(io.BytesIO(data)), password=secret)

    try:
        try:
            return attempt("")
        except PDFPasswordIncorrect:
            if password is None:
                raise InputError(name, NEEDS_PASSWORD) from None
        try:
            return attempt(password)
        except PDFPasswordIncorrect:
            raise InputError(name, WRONG_PASSWORD) from None
    except PDFEncryptionError:
        raise InputError(name, UNSUPPORTED) from None
    except InputError:
        raise
    except Exception:  # a third-party parser on untrusted bytes: any failure is damage
        raise InputError(name, DAMAGED) from None


@dataclass(slots=True)
class _Pages:
    lines: list[list[Line]]
    heights: list[float]
    ids: dict[int, int]  # page object id -> page index, for the outline
    images: int


def _device(manager: Any) -> Any:
    """A pdfminer device that keeps only what the layout needs of each glyph: its text,
    box and size, as plain tuples (pdfminer's own layout objects cost twice the time)."""
    from pdfminer.pdfdevice import PDFTextDevice
    from pdfminer.pdffont import PDFUnicodeNotDefined
    from pdfminer.utils import apply_matrix_rect

    class Glyphs(PDFTextDevice):
        def begin_page(self, page: Any, ctm: Any) -> None:
            x0, y0, x1, y1 = apply_matrix_rect(ctm, page.mediabox)
            self.origin = (min(x0, x1), min(y0, y1))
            self.height = abs(y1 - y0)
            self.upright: list[Char] = []
            self.rotated: list[Char] = []
            self.images = 0

        def render_image(self, name: str, stream: Any) -> None:
            self.images += 1

        def render_char(
            self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float,
            cid: int, ncs: Any, graphicstate: Any,
        ) -> float:  # fmt: skip
            advance = float(font.char_width(cid) * fontsize * scaling)
            try:
                text = font.to_unichr(cid)
            except PDFUnicodeNotDefined:
                return advance
            if not isinstance(text, str) or not text:
                return advance
            a, b, c, d, e, f = matrix
            low = font.get_descent() * fontsize + rise
            ox, oy = self.origin
            if b == 0 and c == 0 and a > 0 and d > 0:  # upright, the usual case: no rect maths
                bottom = f + d * low
                glyph = (
                    text,
                    e - ox,
                    e + a * advance - ox,
                    bottom - oy,
                    bottom + d * fontsize - oy,
                )
                self.upright.append((*glyph, d * fontsize))
                return advance
            x0, y0, x1, y1 = apply_matrix_rect(matrix, (0, low, advance, low + fontsize))
            glyph = (text, min(x0, x1) - ox, max(x0, x1) - ox, min(y0, y1) - oy, max(y0, y1) - oy)
            upright = a * d * scaling > 0 and b * c <= 0
            (self.upright if upright else self.rotated).append((*glyph, abs(y1 - y0)))
            return advance

    return Glyphs(manager)


def _pages(document: PDFDocument) -> _Pages:
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager(caching=True)
    device = _device(manager)
    interpreter = PDFPageInterpreter(manager, device)
    pages = _Pages([], [], {}, 0)
    for index, page in enumerate(PDFPage.create_pages(document)):
        page.rotate = 0  # read in the page's own upright space: a turned page reads the same
        interpreter.process_page(page)
        pages.images += device.images
        pages.lines.append(page_lines(device.upright or device.rotated, index))
        pages.heights.append(device.height)
        if isinstance(page.pageid, int):
            pages.ids[page.pageid] = index
    return pages


def _text(value: Any) -> str | None:
    """A metadata string: PDFDocEncoding or UTF-16 with its BOM, as the file holds it."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        value = decode_text(value)
    elif isinstance(value, PSLiteral):
        value = str(value.name)
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    return value or None


def _info(document: PDFDocument) -> dict[str, Any]:
    info: dict[str, Any] = {}
    for entry in document.info:
        if isinstance(entry, dict):
            info.update(entry)
    return info


def _title(value: str | None) -> str | None:
    """The Info title, unless it is a producer's placeholder or a file name."""
    if value is None:
        return None
    value = _WORD_PREFIX.sub("", value).strip()
    if not value or _JUNK_TITLE.fullmatch(value) or not any(c.isalnum() for c in value):
        return None
    return value


def _author(value: str | None) -> str | None:
    """The Info author, unless it is a producer's placeholder (reportlab's "anonymous")."""
    if value is None or value.casefold() in {"anonymous", "unknown", "author", "user", "admin"}:
        return None
    return value


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


@dataclass(frozen=True, slots=True)
class _Target:
    level: int
    title: str
    page: int
    top: float | None


def _outline(document: PDFDocument, ids: dict[int, int]) -> list[_Target]:
    """The outline's entries that point at a page of this document, in outline order."""
    try:
        entries = list(document.get_outlines())
    except Exception:  # no outline, or a damaged one: the headings will do
        return []
    out = []
    for entry in entries:
        try:
            target = _destination(document, entry[2], entry[3], ids)
        except Exception:
            target = None
        title = _text(entry[1]) if not isinstance(entry[1], str) else " ".join(entry[1].split())
        if target is not None and title:
            out.append(_Target(max(1, min(int(entry[0]), 64)), title, *target))
    return out


def _destination(
    document: PDFDocument, dest: Any, action: Any, ids: dict[int, int]
) -> tuple[int, float | None] | None:
    from pdfminer.pdftypes import PDFObjRef, resolve1
    from pdfminer.psparser import PSLiteral

    if dest is None and action is not None:
        action = resolve1(action)
        if isinstance(action, dict):
            dest = action.get("D")
    dest = resolve1(dest)
    if isinstance(dest, (bytes, str, PSLiteral)):
        name = dest.name if isinstance(dest, PSLiteral) else dest
        dest = resolve1(document.get_dest(name))
    if isinstance(dest, dict):
        dest = resolve1(dest.get("D"))
    if not isinstance(dest, list) or not dest or not isinstance(dest[0], PDFObjRef):
        return None
    page = ids.get(dest[0].objid)
    if page is None:
        return None
    kind = resolve1(dest[1]) if len(dest) > 1 else None
    kind_name = kind.name if isinstance(kind, PSLiteral) else None
    at = {"XYZ": 3, "FitH": 2, "FitBH": 2}.get(str(kind_name), 0)
    top = resolve1(dest[at]) if at and len(dest) > at else None
    return page, float(top) if isinstance(top, int | float) else None


@dataclass(slots=True)
class _Placed:
    """Where a paragraph landed: its page, its lines' tops, and its offset in the text."""

    paragraph: Paragraph
    start: int


def _chapter(target: _Target, placed: list[_Placed]) -> int | None:
    """The offset an outline entry leads to: the heading it names on its page, else the
    first block at or below the point it shows, else the page's first block."""
    on_page = [p for p in placed if any(line.page == target.page for line in p.paragraph.lines)]
    wanted = _norm(target.title)
    named = []
    for item in on_page:
        text = _norm(item.paragraph.text)
        alike = bool(wanted and text) and (text.endswith(wanted) or wanted.endswith(text))
        if alike and (item.paragraph.kind == "heading" or text == wanted):
            top = item.paragraph.lines[0].top
            named.append((abs(top - target.top) if target.top is not None else 0.0, item))
    if named:  # the same title twice on a page: the one nearest the point shown
        return min(named, key=lambda pair: pair[0])[1].start
    if target.top is not None:
        below = [
            (line.top, item.start)
            for item in on_page
            for line in item.paragraph.lines
            if line.page == target.page and line.top <= target.top + 2
        ]
        if below:
            return max(below)[1]
    later = [p.start for p in placed if p.paragraph.lines[-1].page >= target.page]
    return min(later) if later else None


def _without_title(found: list[Paragraph], title: str | None) -> list[Paragraph]:
    """The paragraphs without the first page's heading that is the title: the title is the
    article's, shown above its text, not a heading in it."""
    if title is None or not found:
        return found
    first_page = found[0].lines[0].page
    for index, paragraph in enumerate(found[:5]):
        if (
            paragraph.kind == "heading"
            and paragraph.lines[0].page == first_page
            and _norm(paragraph.text) == _norm(title)
        ):
            return found[:index] + found[index + 1 :]
    return found


def _blocks(found: list[Paragraph]) -> tuple[DocumentBuilder, list[_Placed]]:
    builder = DocumentBuilder()
    placed: list[_Placed] = []
    # Levels by rank among the headings left: the largest type after the title is level 1.
    sizes = sorted({p.level for p in found if p.kind == "heading"})
    levels = {level: rank + 1 for rank, level in enumerate(sizes)}
    for paragraph in found:
        start = builder.next_start
        if paragraph.kind == "heading":
            block = builder.prose("heading", [paragraph.text], level=levels[paragraph.level])
        else:
            block = builder.paragraph(paragraph.text)
        if block is not None:
            placed.append(_Placed(paragraph, start))
    return builder, placed


def _largest_first(found: list[Paragraph]) -> str | None:
    """The first page's largest heading: the title when the file names none."""
    if not found:
        return None
    page = found[0].lines[0].page
    headings = [p for p in found if p.kind == "heading" and p.lines[0].page == page]
    if not headings:
        return None
    return max(headings, key=lambda p: p.lines[0].size).text


def read_pdf(data: bytes, *, name: str = "<pdf>", password: str | None = None) -> Article:
    """The document in `data` as one article, or InputError with one line naming `name`."""
    _quiet()
    if b"%%EOF" not in data[-_TAIL:]:
        raise InputError(name, CUT_SHORT)
    document = _open(data, name, password)
    try:
        pages = _pages(document)
        info = _info(document)
        outline = _outline(document, pages.ids)
        lang = _text(document.catalog.get("Lang"))
    except InputError:
        raise
    except Exception:  # a third-party parser on untrusted bytes: any failure is damage
        raise InputError(name, DAMAGED) from None
    if not any(pages.lines):
        raise InputError(name, NO_TEXT_LAYER)
    lines = [line for page in drop_furniture(pages.lines, pages.heights) for line in page]
    if not lines:  # every page holds only the same line: that line is the text
        lines = [line for page in pages.lines for line in page]
    found = paragraphs(lines)
    title = _title(_text(info.get("Title"))) or _largest_first(found)
    builder, placed = _blocks(_without_title(found, title))
    chapters: list[Chapter] = []
    for target in outline:
        start = _chapter(target, placed)
        if start is not None:
            chapters.append(Chapter(target.title, start, target.level))
    return Article.from_builder(
        builder,
        title=title,
        chapters=chapters,
        author=_author(_text(info.get("Author"))),
        lang=lang,
    )
