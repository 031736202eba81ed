"""A PDF page's characters as lines in reading order.

A PDF says where each glyph goes, not in what order a person reads them: a producer may
write a two-column page row by row, or draw the header last. So the order is rebuilt from
the geometry alone. Characters become fragments (runs on one baseline, close together);
the page is cut recursively (an XY cut): at a clean vertical gutter into columns, read left
then right, else at horizontal gaps into bands, read top to bottom. Bands that share one
gutter are put back together first, so two columns whose paragraph gaps happen to line up
are still read column by column, while a title or a running header spanning the gutter
stays above them.

Nothing here imports pdfminer: the characters come in as plain tuples.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Char", "Fragment", "Line", "page_lines"]

Char = tuple[str, float, float, float, float, float]
"""text, x0, x1, bottom, top, size: one glyph as pdfminer places it (y grows upwards)."""

SPACE = 0.15  # a gap wider than this share of the font size is a word space
FRAGMENT_GAP = 0.8  # wider than this, even on one baseline, is another fragment
GUTTER = 0.8  # the narrowest gap between columns, as a share of the font size
BAND_GAP = 0.4  # the narrowest gap between horizontal bands
MIN_SIDE = 0.15  # a column is at least this share of its region's width
MIN_COLUMN = 8  # and at least this many ems wide


@dataclass(slots=True)
class Fragment:
    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    sizes: Counter[float] = field(default_factory=Counter)

    @property
    def size(self) -> float:
        return self.sizes.most_common(1)[0][0] if self.sizes else self.top - self.bottom


@dataclass(slots=True)
class Line:
    """One line of text as read: its box, its main font size, and which column it is in
    (numbered within the page), so paragraphs can tell an indent from a new column."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    column: int
    page: int = 0
    left: float = 0.0  # the column's left and right edges, set once the page is read
    right: float = 0.0


def _same_line(a_bottom: float, a_top: float, b_bottom: float, b_top: float) -> bool:
    overlap = min(a_top, b_top) - max(a_bottom, b_bottom)
    return overlap >= 0.5 * min(a_top - a_bottom, b_top - b_bottom)


def fragments(chars: Iterable[Char]) -> list[Fragment]:
    """Runs of characters in the order they were drawn, one baseline each, words spaced.

    A glyph drawn again on top of itself (how some producers fake bold) is dropped.
    """
    out: list[Fragment] = []
    current: Fragment | None = None
    pending_space = False
    last: tuple[str, float, float] | None = None
    for text, x0, x1, bottom, top, size in chars:
        if text.isspace():
            pending_space = True
            continue
        if (
            last is not None
            and last[0] == text
            and abs(last[1] - x0) < 0.1 * size
            and abs(last[2] - bottom) < 0.1 * size
        ):
            continue
        last = (text, x0, bottom)
        if current is not None and top > bottom:
            gap = x0 - current.x1
            if -0.5 * size <= gap <= FRAGMENT_GAP * size and _same_line(
                current.bottom, current.top, bottom, top
            ):
                if pending_space or gap > SPACE * size:
                    current.text += " "
                current.text += text
                current.x1 = max(current.x1, x1)
                current.bottom = min(current.bottom, bottom)
                current.top = max(current.top, top)
                current.sizes[round(size * 2) / 2] += len(text)
                pending_space = False
                continue
        current = Fragment(text, x0, x1, bottom, max(top, bottom + 0.1))
        current.sizes[round(size * 2) / 2] += len(text)
        out.append(current)
        pending_space = False
    return out


def _vertical_cut(frags: Sequence[Fragment], gutter: float) -> float | None:
    """The x of the widest clean gap between columns, or None.

    Each side must be wide enough to hold prose (a share of the region, and some ems): the
    numbers of a list or the page numbers of a table of contents are no column.
    """
    ordered = sorted(frags, key=lambda f: f.x0)
    left_edge, right_edge = ordered[0].x0, max(f.x1 for f in ordered)
    narrowest = max(MIN_SIDE * (right_edge - left_edge), MIN_COLUMN * gutter / GUTTER)
    best: tuple[float, float] | None = None
    reach = ordered[0].x1
    for index in range(1, len(ordered)):
        fragment = ordered[index]
        gap = fragment.x0 - reach
        if gap >= gutter and index >= 2 and len(ordered) - index >= 2:
            left_width = reach - left_edge
            right_width = right_edge - fragment.x0
            if min(left_width, right_width) >= narrowest and (best is None or gap > best[0]):
                best = (gap, reach + gap / 2)
        reach = max(reach, fragment.x1)
    return None if best is None else best[1]


def _bands(frags: Sequence[Fragment], gap: float) -> list[list[Fragment]]:
    """The fragments in horizontal bands, top to bottom, cut at every gap of `gap` or more."""
    ordered = sorted(frags, key=lambda f: -f.top)
    bands: list[list[Fragment]] = [[ordered[0]]]
    floor = ordered[0].bottom
    for fragment in ordered[1:]:
        if floor - fragment.top >= gap:
            bands.append([fragment])
        else:
            bands[-1].append(fragment)
        floor = min(floor, fragment.bottom)
    return bands


def _regions(
    frags: list[Fragment], gutter: float, gap: float, column: list[int]
) -> list[tuple[int, list[Fragment]]]:
    """The XY cut: leaves of fragments in reading order, each with its column number."""
    if len(frags) < 2:
        return [(column[0], frags)]
    cut = _vertical_cut(frags, gutter)
    if cut is not None:
        left = [f for f in frags if f.x1 <= cut]
        right = [f for f in frags if f.x1 > cut]
        out = _regions(left, gutter, gap, column)
        column[0] += 1
        return out + _regions(right, gutter, gap, column)
    bands = _bands(frags, gap)
    if len(bands) == 1:
        return [(column[0], frags)]
    # Bands that share one gutter are one stretch of columns: put them back together.
    groups: list[list[Fragment]] = [bands[0]]
    for band in bands[1:]:
        joined = groups[-1] + band
        if _vertical_cut(joined, gutter) is not None:
            groups[-1] = joined
        else:
            groups.append(band)
    # Each group is less than the region (the whole has no gutter), so the cut ends.
    out = []
    for group in groups:
        out += _regions(group, gutter, gap, column)
    return out


def _leaf_lines(frags: list[Fragment], column: int) -> list[Line]:
    ordered = sorted(frags, key=lambda f: -(f.top + f.bottom))
    rows: list[list[Fragment]] = []
    for fragment in ordered:
        if rows and _same_line(
            min(f.bottom for f in rows[-1]), max(f.top for f in rows[-1]),
            fragment.bottom, fragment.top,
        ):  # fmt: skip
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    lines = []
    for row in rows:
        row.sort(key=lambda f: f.x0)
        text = row[0].text
        sizes: Counter[float] = Counter(row[0].sizes)
        for before, after in itertools.pairwise(row):
            size = max(before.size, after.size)
            text += (" " if after.x0 - before.x1 > SPACE * size else "") + after.text
            sizes.update(after.sizes)
        lines.append(
            Line(
                text=text,
                x0=row[0].x0,
                x1=max(f.x1 for f in row),
                bottom=min(f.bottom for f in row),
                top=max(f.top for f in row),
                size=sizes.most_common(1)[0][0],
                column=column,
            )
        )
    return lines


def page_lines(chars: Iterable[Char], page: int) -> list[Line]:
    """The page's lines in reading order, each knowing its column's edges."""
    frags = fragments(chars)
    if not frags:
        return []
    size = statistics.median(f.size for f in frags)
    lines: list[Line] = []
    for column, leaf in _regions(frags, GUTTER * size, BAND_GAP * size, [0]):
        if leaf:
            lines += _leaf_lines(leaf, column)
    by_column: dict[int, list[Line]] = {}
    for line in lines:
        line.page = page
        by_column.setdefault(line.column, []).append(line)
    for members in by_column.values():
        starts = Counter(round(line.x0) for line in members)
        common, count = starts.most_common(1)[0]
        left = common if count > 1 else min(line.x0 for line in members)
        right = max(line.x1 for line in members)
        for line in members:
            line.left, line.right = left, right
    return lines
