"""Plain-text helpers for the UI: sanitising, provisional sentences, wrapping, word counts.

No Textual and no NLTK here, so these run (and are tested) without an event loop, and
the reading screen can show an article and move a sentence cursor before the analysis
worker has even imported its models.

Every function that returns offsets keeps them valid for the *original* article text:
`display_text` replaces characters one for one and never changes the length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len

from reader.plural import counted

if TYPE_CHECKING:
    from reader.article.document import Block

# C0 controls become their visible "control picture" (ESC -> U+241B), DEL -> U+2421, and C1
# controls and bidi overrides become U+FFFD: all one cell wide, so nothing written to the
# terminal can move the cursor, change colours or reorder the line.
_CONTROL_MAP: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}
_CONTROL_MAP[0x7F] = "\u2421"
_REPLACEMENT = "\ufffd"
_CONTROL_MAP.update(dict.fromkeys(range(0x80, 0xA0), _REPLACEMENT))
_CONTROL_MAP.update(dict.fromkeys((0x200E, 0x200F, *range(0x202A, 0x202F)), _REPLACEMENT))
_CONTROL_MAP.update(dict.fromkeys(range(0x2066, 0x206A), _REPLACEMENT))

# Inside a paragraph, line breaks and tabs are just whitespace for the wrapper.
_PARAGRAPH_TABLE = str.maketrans({**_CONTROL_MAP, 0x09: " ", 0x0A: " ", 0x0D: " "})
_LINE_TABLE = str.maketrans({**_CONTROL_MAP, 0x09: " ", 0x0D: " "})
# Code keeps its line breaks (the view draws it line by line); a table its tabs too, which
# separate the cells the view aligns (it never draws them: cells come from their ranges).
_CODE_TABLE = str.maketrans({**_CONTROL_MAP, 0x09: " ", 0x0A: "\n", 0x0D: " "})
_GRID_TABLE = str.maketrans({**_CONTROL_MAP, 0x09: "\t", 0x0A: "\n", 0x0D: " "})


# What _PARAGRAPH_TABLE turns into a control picture or U+FFFD: all but tab, LF and CR.
_SHOWN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def display_text(text: str) -> str:
    """`text` with every control character made visible, same length (offsets stay valid).

    Paragraph separators ("\\n\\n") are the only newlines kept; a lone newline or a tab
    inside a paragraph becomes a space.

    Nearly every text holds no control character at all, and `str.translate` with a table
    costs a dictionary lookup a character once the text is not ASCII (a book with curly
    quotes: 0.3 s before its first paint). So the table is used only when a search in C
    finds something to show; otherwise only tabs, CRs and lone newlines can change, and
    most often nothing does.
    """
    if _SHOWN.search(text) is None:
        if "\t" not in text and "\r" not in text and "\n" not in text.replace("\n\n", ""):
            return text
        return "\n\n".join(
            p.replace("\n", " ").replace("\t", " ").replace("\r", " ") for p in text.split("\n\n")
        )
    return "\n\n".join(p.translate(_PARAGRAPH_TABLE) for p in text.split("\n\n"))


def display_blocks(text: str, blocks: Sequence[Block]) -> str:
    """`display_text` for a text with structure: the same, except that code and table
    blocks keep their line breaks (and a table its tabs), which the view lays out itself.
    Same length as `text`, so every offset still holds."""
    if all(block.is_prose for block in blocks):
        return display_text(text)
    parts: list[str] = []
    position = 0
    for block in blocks:
        if block.kind not in ("code", "table"):
            continue  # prose (and rules) between them go through display_text in one piece
        if block.start > position:
            parts.append(display_text(text[position : block.start]))
        table = _CODE_TABLE if block.kind == "code" else _GRID_TABLE
        parts.append(text[block.start : block.end].translate(table))
        position = max(position, block.end)
    parts.append(display_text(text[position:]))
    return "".join(parts)


def one_line(value: str | None, default: str = "") -> str:
    """A title, source or note snippet fit for one table cell: safe, whitespace collapsed."""
    if not value:
        return default
    return " ".join(value.translate(_PARAGRAPH_TABLE).split()) or default


def safe_multiline(value: str) -> str:
    """A note's text for display: newlines kept, every other control made visible."""
    return "\n".join(line.translate(_LINE_TABLE) for line in value.split("\n"))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph of an article text joined with blank lines."""
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n\n"):
        spans.append((start, start + len(paragraph)))
        start += len(paragraph) + 2
    return spans


# The first character class stands alone (not `[.!?…]+`) so the regex engine can skip to
# candidates in C: on a book's three million characters that halves the split.
_SENTENCE_END = re.compile(
    r"[.!?\u2026][.!?\u2026]*[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st mt jr sr vs etc inc ltd co corp no fig gen gov sen rep lt col sgt".split()  # noqa: SIM905
)


def provisional_sentences(
    text: str, paragraphs: Iterable[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """A quick regex split used until the analysis worker delivers the real sentences.

    Good enough to move a cursor by; the trained splitter replaces it within seconds. No
    sentence crosses a paragraph: `paragraphs` ([start, end) spans, the prose blocks of a
    structured text) or else the text's blank-line paragraphs.
    """
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text) if paragraphs is None else paragraphs:
        start = p_start
        for match in _SENTENCE_END.finditer(text, p_start, p_end):
            stop = match.start()
            word = text[max(p_start, stop - 6) : stop].split()
            if word and word[-1].lower().strip("(\"'") in _ABBREVIATIONS:
                continue
            _append_trimmed(spans, text, start, match.end())
            start = match.end()
        _append_trimmed(spans, text, start, p_end)
    return spans


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


_WORD = re.compile(r"\S+")


def wrap_paragraph(
    text: str, start: int, end: int, width: int, measure: Callable[[str], int] = cell_len
) -> list[tuple[int, int]]:
    """Greedy word wrap of text[start:end] to `width` cells, as absolute [start, end) lines.

    Works on offsets rather than copies so a 100,000-word article wraps in tens of
    milliseconds and every screen line maps straight back to the article text.
    """
    width = max(1, width)
    paragraph = text[start:end]
    ascii_only = paragraph.isascii()
    if ascii_only and _SINGLE_SPACED.fullmatch(paragraph):
        return _wrap_single_spaced(paragraph, start, width)
    lines: list[tuple[int, int]] = []
    line_start = -1
    line_end = 0
    cells = 0
    for match in _WORD.finditer(paragraph):
        w_start, w_end = match.span()
        w_cells = (w_end - w_start) if ascii_only else measure(paragraph[w_start:w_end])
        gap = w_start - line_end
        if line_start >= 0 and cells + gap + w_cells <= width:
            cells += gap + w_cells
            line_end = w_end
            continue
        if line_start >= 0:
            lines.append((start + line_start, start + line_end))
        while w_cells > width:  # a word longer than the column: cut it
            cut = _cut(paragraph, w_start, w_end, width, ascii_only, measure)
            lines.append((start + w_start, start + cut))
            w_start = cut
            w_cells = (w_end - w_start) if ascii_only else measure(paragraph[w_start:w_end])
        line_start, line_end, cells = w_start, w_end, w_cells
    if line_start >= 0:
        lines.append((start + line_start, start + line_end))
    return lines


# Words separated by single spaces, nothing else: every prose block, almost always.
_SINGLE_SPACED = re.compile(r"[^\s](?:[^\s]| (?! ))*")


def _wrap_single_spaced(paragraph: str, start: int, width: int) -> list[tuple[int, int]]:
    """`wrap_paragraph` for one-cell characters and one-space gaps: the same greedy lines,
    found a line at a time with `rfind` instead of a word at a time (a book is a million
    words, and this is most of its layout)."""
    lines: list[tuple[int, int]] = []
    pos, length = 0, len(paragraph)
    while pos < length:
        if length - pos <= width:
            lines.append((start + pos, start + length))
            break
        cut = paragraph.rfind(" ", pos, pos + width + 1)
        if cut <= pos:  # a word longer than the column: cut it, the rest goes on
            gap = paragraph.find(" ", pos)
            word_end = length if gap < 0 else gap
            if word_end - pos > width:
                lines.append((start + pos, start + pos + width))
                pos += width
                continue
            cut = word_end
        lines.append((start + pos, start + cut))
        pos = cut + 1
    return lines


def _cut(
    paragraph: str,
    start: int,
    end: int,
    width: int,
    ascii_only: bool,
    measure: Callable[[str], int],
) -> int:
    if ascii_only:
        return start + width
    cells = 0
    for index in range(start, end):
        cells += measure(paragraph[index])
        if cells > width:
            return max(index, start + 1)
    return end


class WordIndex:
    """Words before or after an offset ("words left", "words advanced"), in microseconds.

    A count per CHUNK characters, made with `str.split` (a book's half a million words
    in tens of milliseconds, where a list of every word's start took a fifth of a
    second before the first paint); a query splits at most one chunk.
    """

    CHUNK = 2048

    __slots__ = ("_counts", "_text", "total")

    def __init__(self, text: str) -> None:
        self._text = text
        counts = [0]
        for start in range(0, len(text), self.CHUNK):
            counts.append(counts[-1] + self._starting(start, start + self.CHUNK))
        self._counts = counts
        self.total = counts[-1]

    @classmethod
    def build(cls, text: str) -> WordIndex:
        return cls(text)

    def _starting(self, start: int, end: int) -> int:
        """Words that start in text[start:end] (one cut by `start` started before it)."""
        text = self._text
        count = len(text[start:end].split())
        if 0 < start < min(end, len(text)) and not (
            text[start].isspace() or text[start - 1].isspace()
        ):
            count -= 1
        return count

    def words_before(self, offset: int) -> int:
        offset = min(max(0, offset), len(self._text))
        chunk = offset // self.CHUNK
        return self._counts[chunk] + self._starting(chunk * self.CHUNK, offset)

    def words_after(self, offset: int) -> int:
        return self.total - self.words_before(offset)


def span_index(starts: Sequence[int], offset: int) -> int:
    """Index of the last span starting at or before `offset` (0 when before the first)."""
    return max(0, bisect_right(starts, offset) - 1)


def display_date(iso: str | None) -> str:
    """'20 Feb 2024' or '20 Feb 2024, 11:42' for the article header; odd values as given."""
    from datetime import datetime

    value = one_line(iso)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = f"{parsed.day} {parsed:%b %Y}"
    return day if len(value) <= 10 else f"{day}, {parsed:%H:%M}"


def relative_time(iso: str | None, now_iso: str) -> str:
    """'today', '3 days ago', '2 months ago': the last-read column, relative to `now_iso`."""
    from datetime import datetime

    if not iso:
        return "never"
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        now = datetime.fromisoformat(now_iso.replace("Z", "+00:00"))
    except ValueError:
        return "?"
    if then.tzinfo is None or now.tzinfo is None:
        then, now = then.replace(tzinfo=None), now.replace(tzinfo=None)
    seconds = (now - then).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{counted(hours, 'hour')} ago"
    days = int(seconds // 86400)
    if days < 31:
        return "yesterday" if days == 1 else f"{days} days ago"
    if days < 365:
        months = days // 30
        return f"{counted(months, 'month')} ago"
    years = days // 365
    return f"{counted(years, 'year')} ago"


def reading_minutes(words: int, wpm: float) -> str:
    """'4 min', '1 h 05 min', '< 1 min' for a word count at a reading speed."""
    if words <= 0:
        return "0 min"
    minutes = words / max(wpm, 1.0)
    if minutes < 1:
        return "< 1 min"
    total = round(minutes)
    if total < 60:
        return f"{total} min"
    return f"{total // 60} h {total % 60:02d} min"
