"""Where each block of the article goes on screen: rows of text offsets, made in one pass.

The view draws row by row from this list (see ArticleView), so the list holds no strings:
each row is (kind, start, end) into the article text, with the block it belongs to beside
it. What a block adds around its text — a quote's bars, a list item's bullet and hanging
indent, a code box's borders, a table's column padding — is decoration the renderer draws
from the block, never part of the text, so every offset (a sentence, a note, a search hit)
still indexes `Article.text` and a click still maps back to the character under it.

Prose wraps to the column less its decoration; code and tables never wrap (a long line
scrolls sideways in the view instead), so laying out stays one linear pass over the text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len

from reader.article.document import Block
from reader.ui.text import wrap_paragraph

(
    TEXT,
    BLANK,
    TITLE,
    META,
    RULE,
    CODE,
    CODE_TOP,
    CODE_BOTTOM,
    TABLE,
    TABLE_RULE,
    BREAK,
) = range(11)
"""Row kinds. RULE is the line under the byline; BREAK a rule block (a section break)."""

CODE_FRAME = 4
"""Cells a code box takes around its text: "│ " before, " │" after."""
CELL_GAP = " │ "
QUOTE_BAR = "│ "
BULLETS = ("•", "◦", "▪")
INDENT = 2
"""Cells each list level is indented by."""


def list_marker(block: Block) -> str:
    """ "3." for an ordered item, a bullet by depth for the rest."""
    if block.number is not None:
        return f"{block.number}."
    return BULLETS[(max(1, block.level) - 1) % len(BULLETS)]


def prefix(block: Block, first: bool) -> str:
    """What goes before a prose row of `block`: bars, or a bullet and its hanging indent."""
    if block.kind == "quote":
        return QUOTE_BAR * max(1, block.level)
    if block.kind == "list_item":
        indent = " " * (INDENT * (max(1, block.level) - 1))
        marker = list_marker(block)
        return indent + (marker + " " if first else " " * (cell_len(marker) + 1))
    return ""


def gap_bars(blocks: Sequence[Block], index: int) -> int:
    """Bars on the blank row before block `index`: a quote going on keeps its bar."""
    if index <= 0 or index >= len(blocks):
        return 0
    before, after = blocks[index - 1], blocks[index]
    if before.kind == "quote" and after.kind == "quote":
        return min(max(1, before.level), max(1, after.level))
    return 0


def _measure(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


@dataclass(slots=True)
class Layout:
    """Rows of the whole article at one width; `text_rows`/`text_starts` map offsets to rows."""

    rows: list[tuple[int, int, int]] = field(default_factory=list)
    block_of_row: list[int] = field(default_factory=list)
    """The block index of each row (-1 for the title and byline)."""
    line_of_row: list[int] = field(default_factory=list)
    """Which line of its block a code or table row is (0 for the rest)."""
    text_rows: list[int] = field(default_factory=list)
    text_starts: list[int] = field(default_factory=list)
    table_widths: dict[int, list[int]] = field(default_factory=dict)
    """Each table's column widths in cells, by block index."""
    first: int = 0
    """The first block laid out: 0 unless this is a window (see `lay_out`)."""
    whole: bool = True
    """Every block is laid out; False for a window."""
    span: tuple[int, int] = (0, 0)
    """The text offsets a window covers: [start of its first block, end of its last)."""

    def first_row(self, block: int) -> int:
        """The first row of block `block`, or of the next block that has rows: rows go in
        block order (the title's, -1, first), and a block may have none (an empty list
        item after another)."""
        return bisect_left(self.block_of_row, block)

    def add(self, kind: int, start: int, end: int, block: int = -1, line: int = 0) -> None:
        if kind in (TEXT, CODE, TABLE):
            self.text_rows.append(len(self.rows))
            self.text_starts.append(start)
        self.rows.append((kind, start, end))
        self.block_of_row.append(block)
        self.line_of_row.append(line)


def lay_out(
    text: str,
    title: str,
    meta: str,
    blocks: Sequence[Block],
    column: int,
    *,
    first: int = 0,
    last: int | None = None,
) -> Layout:
    """The rows for `text` (already made safe to draw) in a column of `column` cells.

    With `first`/`last`, only blocks[first:last] (and the title, if `first` is 0): their
    rows are exactly the whole layout's rows for those blocks, shifted up, so a window laid
    out now can be swapped for the whole later without a line on screen moving.
    """
    layout = Layout()
    if first == 0:
        layout.add(BLANK, 0, 0)
        for a, b in wrap_paragraph(title, 0, len(title), column):
            layout.add(TITLE, a, b)
        for a, b in wrap_paragraph(meta, 0, len(meta), column) if meta else ():
            layout.add(META, a, b)
        layout.add(RULE, 0, 0)
        layout.add(BLANK, 0, 0)
    stop = len(blocks) if last is None else min(last, len(blocks))
    previous: Block | None = blocks[first - 1] if first > 0 else None
    for index in range(first, stop):
        block = blocks[index]
        if previous is not None:
            if not (previous.kind == "list_item" and block.kind == "list_item"):
                layout.add(BLANK, block.start, block.start, index)
            if block.kind == "heading" and block.level <= 2:
                layout.add(BLANK, block.start, block.start, index)
        previous = block
        if block.kind == "code":
            _code(layout, text, block, index)
        elif block.kind == "table":
            _table(layout, text, block, index)
        elif block.kind == "rule":
            layout.add(BREAK, block.start, block.end, index)
        else:
            _prose(layout, text, block, index, column)
    layout.first = first
    layout.whole = first == 0 and stop == len(blocks)
    if not layout.whole and stop > first:
        end = blocks[stop].start if stop < len(blocks) else len(text) + 1
        layout.span = (blocks[first].start if first else 0, end)
    return layout


def window(blocks: Sequence[Block], lo: int, hi: int, reach: int) -> tuple[int, int]:
    """The blocks (first, last) to lay out so that offsets lo..hi have `reach` characters of
    text laid out on either side."""
    starts = [block.start for block in blocks]
    first = max(0, bisect_right(starts, lo - reach) - 1)
    last = max(first + 1, bisect_right(starts, hi + reach))
    return first, min(last, len(blocks))


def _prose(layout: Layout, text: str, block: Block, index: int, column: int) -> None:
    first = prefix(block, True)
    width = max(8, column - cell_len(first)) if first else column
    lines = wrap_paragraph(text, block.start, block.end, width)
    # The bulk of every article: appended in one go rather than row by row.
    top = len(layout.rows)
    layout.text_rows.extend(range(top, top + len(lines)))
    layout.text_starts.extend([a for a, _ in lines])
    layout.rows.extend([(TEXT, a, b) for a, b in lines])
    layout.block_of_row.extend([index] * len(lines))
    layout.line_of_row.extend([0] * len(lines))


def _code(layout: Layout, text: str, block: Block, index: int) -> None:
    layout.add(CODE_TOP, block.start, block.start, index)
    start = block.start
    for line, piece in enumerate(text[block.start : block.end].split("\n")):
        layout.add(CODE, start, start + len(piece), index, line)
        start += len(piece) + 1
    layout.add(CODE_BOTTOM, block.end, block.end, index)


def _table(layout: Layout, text: str, block: Block, index: int) -> None:
    widths: list[int] = []
    for row in block.rows:
        for column, (a, b) in enumerate(row):
            cells = _measure(text[a:b])
            if column < len(widths):
                widths[column] = max(widths[column], cells)
            else:
                widths.append(cells)
    layout.table_widths[index] = widths
    for line, row in enumerate(block.rows):
        if not row:
            continue
        layout.add(TABLE, row[0][0], row[-1][1], index, line)
        if line == 0 and len(block.rows) > 1:
            layout.add(TABLE_RULE, row[-1][1], row[-1][1], index, line)


def code_width(text: str, block: Block) -> int:
    """The widest line of a code block, in cells."""
    return max((_measure(line) for line in text[block.start : block.end].split("\n")), default=0)


def table_width(widths: Sequence[int]) -> int:
    return sum(widths) + len(CELL_GAP) * max(0, len(widths) - 1)


def prose_only(
    sentences: Iterable[tuple[int, int]], blocks: Sequence[Block]
) -> list[tuple[int, int]]:
    """The sentences that start in a prose block: code, tables and rules hold none, so the
    cursor passes over them (whatever split the sentences: the trained one or a regex)."""
    if all(block.is_prose for block in blocks):
        return list(sentences)
    prose = [(block.start, block.end) for block in blocks if block.is_prose]
    starts = [start for start, _ in prose]
    kept = []
    for start, end in sentences:
        index = bisect_right(starts, start) - 1
        if index >= 0 and start < prose[index][1]:
            kept.append((start, end))
    return kept
