"""Which library columns fit the terminal, and how wide each is: the title first.

A DataTable sized by its content scrolls sideways as soon as one title is long, and `End`
then slides every column away. So the widths are worked out here from the terminal width
and the cells' own widths, and the table never gets wider than the screen:

1. The title claims its longest cell, up to three quarters of the width (past that a title
   is cut anyway, and the other columns keep the last quarter).
2. The other columns join in the order of `keep` (what the reader looks at most), each at
   its narrowest (`shrink_to`, for the free-text ones); the first that does not fit ends
   the list, so a column never shows while a more useful one is missing.
3. Space left over makes the title whole first, then widens the shrunk columns, and the
   rest goes to the title again: at 200 columns titles use the width.

Pure (no widgets) so it can be tested at any width without a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

TITLE_MIN = 20  # below this a title says too little: the other columns go first
TITLE_SHARE = 0.75  # a title longer than this share of the width is cut, not the columns
PADDING = 2  # DataTable's cell padding, one cell either side of every column
SCROLLBAR = 2  # the vertical scrollbar, always reserved so a filter never moves columns
SORT_ARROW = 2  # " ↓" after the sorted column's label


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    keep: int  # lower stays longer as the terminal narrows; the title is 0
    shrink_to: int | None = None  # free text may be cut to this; None: never cut
    widest: int = 1_000  # no wider than this, whatever the cells hold
    right: bool = False


# In display order.
SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec("title", "Title", 0),
    ColumnSpec("author", "Author", 6, shrink_to=8, widest=30),
    ColumnSpec("source", "Source", 3, shrink_to=8, widest=30),
    ColumnSpec("tags", "Tags", 5, shrink_to=8, widest=30),
    ColumnSpec("words", "Words", 7, right=True),
    ColumnSpec("time", "Time", 4, right=True),
    ColumnSpec("progress", "Read", 1, right=True),
    ColumnSpec("last_read", "Last read", 2),
)
SPEC = {spec.key: spec for spec in SPECS}


@dataclass(frozen=True)
class Layout:
    """The columns shown, in display order, with their content widths (padding apart)."""

    columns: tuple[tuple[str, int], ...]
    tags_under_title: bool  # no room for a Tags column: tags go on a line under the title

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.columns)

    def width(self, key: str) -> int | None:
        return next((w for k, w in self.columns if k == key), None)


@dataclass(frozen=True)
class Measure:
    """What the rows need: each column's width with nothing cut, and whether any row
    carries tags at all (if none, tags need no place)."""

    widths: Mapping[str, int]
    has_tags: bool


def natural_widths(rows: Iterable[Mapping[str, str]]) -> Measure:
    """Each column's widest cell or its label with the sort arrow, whichever is wider,
    held to the column's `widest`."""
    widths = {spec.key: cell_len(spec.label) + SORT_ARROW for spec in SPECS}
    has_tags = False
    for row in rows:
        for key, text in row.items():
            # len is the cell width of ASCII text, and ~20 times quicker than cell_len
            size = len(text) if text.isascii() else cell_len(text)
            if size > widths.get(key, size):
                widths[key] = size
        has_tags = has_tags or bool(row.get("tags"))
    return Measure({key: min(w, SPEC[key].widest) for key, w in widths.items()}, has_tags)


def fit_columns(width: int, measure: Measure) -> Layout:
    """The layout for a terminal `width` cells wide, given what the rows need."""
    room = width - SCROLLBAR
    natural, has_tags = measure.widths, measure.has_tags
    title_natural = natural["title"]
    title = min(title_natural, max(TITLE_MIN, int(room * TITLE_SHARE)))
    title = max(1, min(title, room - PADDING))
    used = title + PADDING
    widths: dict[str, int] = {}
    others = sorted((s for s in SPECS if s.key != "title"), key=lambda s: s.keep)
    for spec in others:
        if spec.key == "tags" and not has_tags:
            continue
        narrowest = natural[spec.key]
        if spec.shrink_to is not None:
            narrowest = min(narrowest, spec.shrink_to)
        if used + narrowest + PADDING > room:
            break
        widths[spec.key] = narrowest
        used += narrowest + PADDING
    left = room - used
    grow = min(left, title_natural - title)
    title += grow
    left -= grow
    for spec in others:
        if spec.key in widths and left > 0:
            grow = min(left, natural[spec.key] - widths[spec.key])
            widths[spec.key] += grow
            left -= grow
    widths["title"] = title + max(0, left)
    columns = tuple((s.key, widths[s.key]) for s in SPECS if s.key in widths)
    return Layout(columns, tags_under_title=has_tags and "tags" not in widths)


def layout(width: int, rows: Iterable[Mapping[str, str]]) -> Layout:
    """`fit_columns` for these rows (plain cell texts by column key)."""
    return fit_columns(width, natural_widths(rows))


def fit(text: str, width: int) -> str:
    """`text` in at most `width` cells: cut with an ellipsis when it is longer."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    return set_cell_size(text, width - 1).rstrip() + "…"
