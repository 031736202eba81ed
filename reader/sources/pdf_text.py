"""From a PDF's lines to the paragraphs and headings a reader sees.

A page's furniture (running headers, footers, page numbers) is told from the text by
repetition: a line near the top or the foot of a page that recurs, digits aside, on another
page is the page's, not the author's. Paragraphs are rebuilt from what typesetters use to
show them: a first-line indent, a wider gap, a short last line ending a sentence; a line in
a clearly larger type is a heading, ranked by its size. Words broken at a line end are
joined again unless the hyphen is the word's own ("well-known"), which the document itself
shows by using the word with its hyphen elsewhere, or by using both halves as words.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from reader.sources.pdf_layout import Line

__all__ = ["Paragraph", "body_size", "drop_furniture", "paragraphs"]

MARGIN = 0.12  # the share of the page at its top and foot where furniture lives
HEADING = 1.15  # a heading's type is at least this much larger than the body's
MAX_HEADING_WORDS = 30
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"[-–—\s]*(?:page\s*)?(?:\d+|[ivxlcdm]+)(?:\s*(?:of|/)\s*\d+)?[-–—\s]*", re.I
)
_WORD = re.compile(r"\w+(?:[-']\w+)*")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*$")
_HYPHENS = "-\u2010\u00ad"
_DASHES = "\u2013\u2014"
_LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st"}
)  # fmt: skip
_CID = re.compile(r"\(cid:\d+\)")


def clean(text: str) -> str:
    """A line's text without ligature glyphs or pdfminer's marks for unmapped glyphs."""
    return _CID.sub("", text.translate(_LIGATURES))


def _key(line: Line) -> tuple[str, float]:
    return _DIGITS.sub("#", "".join(line.text.split()).casefold()), round(line.size)


def drop_furniture(pages: Sequence[list[Line]], heights: Sequence[float]) -> list[list[Line]]:
    """The pages without running headers, footers and page numbers."""

    def margin(line: Line, height: float) -> bool:
        return line.bottom >= height * (1 - MARGIN) or line.top <= height * MARGIN

    seen: Counter[tuple[str, float]] = Counter()
    for lines, height in zip(pages, heights, strict=True):
        seen.update({_key(line) for line in lines if margin(line, height)})
    out = []
    for lines, height in zip(pages, heights, strict=True):
        kept = []
        for line in lines:
            if margin(line, height) and (
                seen[_key(line)] >= 2 or _PAGE_NUMBER.fullmatch(line.text) is not None
            ):
                continue
            kept.append(line)
        out.append(kept)
    return out


def body_size(lines: Sequence[Line]) -> float:
    """The size most of the text is set in (by characters, to the half point)."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


@dataclass(slots=True)
class Paragraph:
    kind: str  # "heading" or "paragraph"
    level: int
    lines: list[Line] = field(default_factory=list)
    text: str = ""


def _vocabulary(lines: Sequence[Line]) -> Counter[str]:
    """Words as the document uses them whole: not the halves of one broken at a line end."""
    words: Counter[str] = Counter()
    broken = False
    for line in lines:
        found = _WORD.findall(line.text.casefold())
        if broken:
            found = found[1:]
        broken = line.text.endswith(tuple(_HYPHENS))
        words.update(found[:-1] if broken else found)
    return words


def join(before: str, after: str, words: Counter[str]) -> str:
    """Two lines of one paragraph as one, mending a word broken by a hyphen at the end."""
    before, after = before.rstrip(), after.lstrip()
    if not before:
        return after
    if not after:
        return before
    end = before[-1]
    if end in _DASHES:
        return before + after
    if end not in _HYPHENS or len(before) < 2 or not before[-2].isalpha():
        return f"{before} {after}"
    if end == "\u00ad":
        return before[:-1] + after
    head_match = re.search(r"(\w+)[-\u2010]$", before)
    tail_match = re.match(r"\w+", after)
    if head_match is None or tail_match is None or not after[0].islower():
        return before + after  # "Franco-" "German", "1990-" "2000": the hyphen is real
    head, tail = head_match.group(1).casefold(), tail_match.group(0).casefold()
    hyphenated, joined = words[f"{head}-{tail}"], words[head + tail]
    if hyphenated > joined:
        return before + after
    if joined:
        return before[:-1] + after
    if words[head] and words[tail] and len(head) > 1 and len(tail) > 1:
        return before + after
    return before[:-1] + after


def _pitch(lines: Sequence[Line], body: float) -> float:
    deltas = [
        before.bottom - after.bottom
        for before, after in itertools.pairwise(lines)
        if before.page == after.page
        and before.column == after.column
        and before.size == after.size == body
        and 0 < before.bottom - after.bottom < 3 * body
    ]
    return statistics.median(deltas) if deltas else 1.2 * body


def _starts_paragraph(before: Line, line: Line, pitch: float) -> bool:
    size = line.size
    width = max(line.right - line.left, 1.0)
    indented = size * 0.6 <= line.x0 - line.left < 0.3 * width
    short = before.x1 < before.right - max(0.1 * width, 2 * size)
    ended = short and _ENDS_SENTENCE.search(before.text) is not None
    if before.page != line.page or before.column != line.column:
        return indented or ended
    gap = before.bottom - line.bottom
    return gap > 1.4 * pitch or gap < -size or indented or ended


def paragraphs(lines: Sequence[Line]) -> list[Paragraph]:
    """Headings and paragraphs, in order, each with its text joined and mended."""
    for line in lines:
        line.text = " ".join(clean(line.text).split())
    lines = [line for line in lines if line.text]
    if not lines:
        return []
    body = body_size(lines)
    sizes = sorted({line.size for line in lines if line.size >= body * HEADING}, reverse=True)
    levels = {size: min(rank + 1, 6) for rank, size in enumerate(sizes)}
    pitch = _pitch(lines, body)
    words = _vocabulary(lines)
    out: list[Paragraph] = []
    for line in lines:
        level = levels.get(line.size, 0)
        last = out[-1] if out else None
        if last is not None and last.level == level:
            before = last.lines[-1]
            same_heading = (
                level
                and before.page == line.page
                and (0 < before.bottom - line.bottom < 2 * line.size)
            )
            if same_heading or (not level and not _starts_paragraph(before, line, pitch)):
                last.lines.append(line)
                last.text = join(last.text, line.text, words)
                continue
        out.append(Paragraph("heading" if level else "paragraph", level, [line], line.text))
    for paragraph in out:
        if paragraph.kind == "heading" and (
            len(paragraph.text.split()) > MAX_HEADING_WORDS or len(paragraph.lines) > 3
        ):
            paragraph.kind, paragraph.level = "paragraph", 0  # large type, but body text
    return out
