"""The article as a Line API widget: wrapped once per width, each screen line drawn on demand.

Why not one Static per paragraph: a 100,000-word text has thousands of paragraphs and
mounting that many widgets costs seconds. Here the text is word-wrapped into (start, end)
offsets in one pass, and `render_line` styles only the lines on screen. Moving the cursor
or changing a highlight refreshes just the rows it touches; nothing waits on the analysis
or the disk. A book's pass takes a fifth of a second, so a long text is first laid out
around the reader's place and the whole follows from a thread (LAZY_CHARS): the thread
only computes rows from immutable data, and the view installs them on the UI thread.

The text drawn is always `display_text(article.text)`: control characters are made
visible one for one, so offsets (sentences, mentions, notes, saved positions) index
the original text unchanged, and no byte of the article reaches the terminal as a
control sequence or as markup.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from reader.article.document import Block, Link, Mark
from reader.ui.text import (
    display_blocks,
    display_date,
    one_line,
    paragraph_spans,
    span_index,
)
from reader.ui.widgets import block_layout as bl
from reader.ui.widgets.block_layout import Layout, lay_out

LAZY_CHARS = 200_000
"""A longer text is laid out around the reader's place first, WINDOW characters either side,
and painted; the whole is laid out on a thread and swapped in after. Its rows for those
blocks are the window's rows, so nothing on screen moves. A book's layout is most of the
time before its first paint, and a resize would otherwise freeze on it too."""
WINDOW = 30_000

COLUMN = 80
"""The reading column, in cells: comfortable line length, centred in wider terminals."""
SCROLL_MARGIN = 3
"""Lines kept between the cursor and the view's edges (fewer, so it sits centred, on small
heights), so moving the cursor always shows some of what comes next."""

_TEXT, _BLANK, _TITLE, _META, _RULE = bl.TEXT, bl.BLANK, bl.TITLE, bl.META, bl.RULE
_GRID_KINDS = frozenset({bl.CODE, bl.CODE_TOP, bl.CODE_BOTTOM, bl.TABLE, bl.TABLE_RULE})
_MARK_COMPONENTS = {
    "emphasis": "article-view--emphasis",
    "strong": "article-view--strong",
    "code": "article-view--code-mark",
}


@dataclass(frozen=True)
class ArticleDoc:
    """What the view draws: safe display strings, offsets identical to the stored text,
    and the structure over them (plain paragraphs when the article has none)."""

    text: str
    title: str
    meta: str
    blocks: tuple[Block, ...] = ()
    marks: tuple[Mark, ...] = ()
    links: tuple[Link, ...] = ()

    @classmethod
    def build(
        cls,
        text: str,
        title: str | None,
        author: str | None,
        published: str | None,
        source: str | None,
        *,
        blocks: Sequence[Block] | None = None,
        marks: Sequence[Mark] = (),
        links: Sequence[Link] = (),
    ) -> ArticleDoc:
        meta = " · ".join(
            part
            for part in (
                f"By {one_line(author)}" if one_line(author) else "",
                display_date(published),
                one_line(source),
            )
            if part
        )
        if not blocks:
            blocks = [Block("paragraph", a, b) for a, b in paragraph_spans(text)]
        return cls(
            display_blocks(text, blocks),
            one_line(title, "Untitled"),
            meta,
            tuple(blocks),
            tuple(marks),
            tuple(links),
        )


class SpanSet:
    """Sorted, mostly disjoint spans (sentences, mentions) with O(log n) overlap queries."""

    __slots__ = ("ends", "spans", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans = sorted(set(spans))
        self.starts = [s for s, _ in self.spans]
        # Running maximum of ends keeps bisect valid even if a span nests inside another.
        self.ends: list[int] = []
        top = -1
        for _, end in self.spans:
            top = max(top, end)
            self.ends.append(top)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __len__(self) -> int:
        return len(self.spans)

    def overlapping(self, a: int, b: int) -> list[tuple[int, int]]:
        if not self.spans:
            return []
        lo = bisect_right(self.ends, a)
        hi = bisect_left(self.starts, b)
        return [(s, e) for s, e in self.spans[lo:hi] if e > a and s < b]


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """The reading column with a sentence cursor, key-sentence, mention, highlight and note marks.

    Layers, bottom to top: key sentences (warning tint), the reader's highlights (success
    tint, so they read as "mine" next to the analysis' orange), a selection in progress,
    the cursor, entity mentions (bold underline), then find matches (the current one in the
    theme's block-cursor colours, so it stands out from the others). The tints are theme
    colours Textual blends toward the background, so the text stays readable in light and
    dark themes alike.

    Scroll bindings are not inherited: arrow and page keys reach the screen, which moves
    the sentence cursor (the view then scrolls to keep it in sight).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--meta",
        "article-view--rule",
        "article-view--cursor",
        "article-view--cursor-mark",
        "article-view--key",
        "article-view--mention",
        "article-view--note-mark",
        "article-view--highlight",
        "article-view--selection",
        "article-view--highlight-mark",
        "article-view--match",
        "article-view--match-current",
        "article-view--heading",
        "article-view--subheading",
        "article-view--caption",
        "article-view--quote-bar",
        "article-view--bullet",
        "article-view--emphasis",
        "article-view--strong",
        "article-view--code-mark",
        "article-view--link",
        "article-view--code",
        "article-view--code-border",
        "article-view--table-rule",
        "article-view--table-header",
    }

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .article-view--title { text-style: bold; color: $text-primary; }
        & > .article-view--meta { color: $text-muted; text-style: italic; }
        & > .article-view--rule { color: $foreground-muted; }
        & > .article-view--cursor { background: $primary-muted; }
        & > .article-view--cursor-mark { color: $accent; text-style: bold; }
        & > .article-view--key { background: $warning-muted; }
        & > .article-view--mention { background: $accent-muted; text-style: bold underline; }
        & > .article-view--note-mark { color: $text-success; text-style: bold; }
        & > .article-view--highlight { background: $success-muted; }
        & > .article-view--highlight-mark { color: $text-success; }
        & > .article-view--selection { background: $secondary-muted; text-style: italic; }
        & > .article-view--match { background: $warning 70%; color: $foreground; }
        & > .article-view--match-current {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .article-view--heading { text-style: bold; color: $text-primary; }
        & > .article-view--subheading { text-style: bold; color: $text-secondary; }
        & > .article-view--caption { color: $text-muted; text-style: italic; }
        & > .article-view--quote-bar { color: $text-accent; }
        & > .article-view--bullet { color: $text-accent; text-style: bold; }
        & > .article-view--emphasis { text-style: italic; }
        & > .article-view--strong { text-style: bold; }
        & > .article-view--code-mark { color: $text-warning; background: $foreground 8%; }
        & > .article-view--link { color: $text-primary; text-style: underline; }
        & > .article-view--code { background: $foreground 5%; }
        & > .article-view--code-border { color: $foreground 35%; }
        & > .article-view--table-rule { color: $foreground 40%; }
        & > .article-view--table-header { text-style: bold; }
    }
    """

    class SentenceClicked(Message):
        """A click landed on a sentence: the screen moves the cursor there."""

        def __init__(self, view: ArticleView, index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        doc: ArticleDoc,
        sentences: Sequence[tuple[int, int]],
        *,
        cursor: int = 0,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.doc = doc
        self._blocks: tuple[Block, ...] = doc.blocks or tuple(
            Block("paragraph", a, b) for a, b in paragraph_spans(doc.text)
        )
        self._headings = [b for b in self._blocks if b.kind == "heading"]
        self._heading_starts = [b.start for b in self._headings]
        self._marks = {
            kind: SpanSet((m.start, m.end) for m in doc.marks if m.kind == kind)
            for kind in _MARK_COMPONENTS
        }
        self._links = SpanSet((link.start, link.end) for link in doc.links)
        self._hrefs: dict[tuple[int, int], list[Link]] = {}
        for link in doc.links:
            self._hrefs.setdefault((link.start, link.end), []).append(link)
        self._layout = Layout()
        self._sideways: dict[int, int] = {}
        """Cells each code block or table (by block index) is scrolled to the left by."""
        self._syntax: dict[int, tuple[list[int], list[tuple[int, int, Style]]]] = {}
        self._syntax_dark: bool | None = None
        self._code_widths: dict[int, int] = {}
        self._sentences: list[tuple[int, int]] = bl.prose_only(sentences, self._blocks)
        self._sentence_starts = [s for s, _ in self._sentences]
        self.cursor = min(max(0, cursor), max(0, len(self._sentences) - 1))
        self.show_key = True
        self._key = SpanSet()
        self._mentions = SpanSet()
        self._notes = SpanSet()
        self._highlights = SpanSet()
        self._selection: tuple[int, int] | None = None
        self._matches = SpanSet()
        self._current_match: tuple[int, int] | None = None
        self._restore_anchor: int | None = None
        self._layout_rows: list[tuple[int, int, int]] = []
        self._text_rows: list[int] = []
        self._text_starts: list[int] = []
        self._layout_width = -1
        self._whole_worker: Worker[Layout] | None = None
        self._margin = 0
        self._column = COLUMN
        self._pending_scroll: bool = True

    # ------------------------------------------------------------------ data

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return self._sentences

    @property
    def cursor_span(self) -> tuple[int, int]:
        if not self._sentences:
            return (0, 0)
        return self._sentences[self.cursor]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding `offset` (the one before it, in a gap)."""
        return span_index(self._sentence_starts, offset)

    def set_sentences(self, sentences: Sequence[tuple[int, int]]) -> None:
        """Swap in new sentence boundaries, keeping the cursor on the same text."""
        offset = self.cursor_span[0]
        selected = None
        if self._selection is not None:
            selected = (
                self._sentences[self._selection[0]][0],
                self._sentences[self._selection[1]][0],
            )
        self._sentences = bl.prose_only(sentences, self._blocks)
        self._sentence_starts = [s for s, _ in self._sentences]
        self.cursor = self.sentence_at(offset) if self._sentences else 0
        if selected is not None and self._sentences:
            self._selection = (self.sentence_at(selected[0]), self.sentence_at(selected[1]))
        self.refresh()

    def set_key_sentences(self, spans: Iterable[tuple[int, int]]) -> None:
        self._key = SpanSet(spans)
        self.refresh()

    def set_mentions(self, spans: Iterable[tuple[int, int]]) -> None:
        self._mentions = SpanSet(spans)
        self.refresh()

    @property
    def mentions(self) -> list[tuple[int, int]]:
        return self._mentions.spans

    def set_notes(self, spans: Iterable[tuple[int, int]]) -> None:
        self._notes = SpanSet(spans)
        self.refresh()

    def set_matches(
        self, spans: Iterable[tuple[int, int]], current: tuple[int, int] | None = None
    ) -> None:
        """Find matches to mark (all of them; `current` distinct); no spans clears them."""
        self._matches = SpanSet(spans)
        self._current_match = current
        self.refresh()

    def set_current_match(self, current: tuple[int, int] | None) -> None:
        old, self._current_match = self._current_match, current
        for span in (old, current):
            if span is not None:
                self._refresh_span(span)

    @property
    def matches(self) -> list[tuple[int, int]]:
        return self._matches.spans

    @property
    def current_match(self) -> tuple[int, int] | None:
        return self._current_match

    def set_highlights(self, spans: Iterable[tuple[int, int]]) -> None:
        self._highlights = SpanSet(spans)
        self.refresh()

    @property
    def highlights(self) -> list[tuple[int, int]]:
        return self._highlights.spans

    @property
    def selection(self) -> tuple[int, int] | None:
        """The sentence indices (first, last) of a selection in progress, if any."""
        return self._selection

    def set_selection(self, selection: tuple[int, int] | None) -> None:
        if selection is not None:
            first, last = sorted(selection)
            selection = (first, last)
        if selection != self._selection:
            self._selection = selection
            self.refresh()

    def span_of(self, first: int, last: int) -> tuple[int, int]:
        """Offsets from the start of sentence `first` to the end of sentence `last`."""
        if not self._sentences:
            return (0, 0)
        top = len(self._sentences) - 1
        first, last = min(max(0, first), top), min(max(0, last), top)
        return self._sentences[first][0], self._sentences[last][1]

    def toggle_key(self) -> bool:
        self.show_key = not self.show_key
        self.refresh()
        return self.show_key

    def move_cursor(self, index: int, *, scroll: bool = True, top: bool = False) -> None:
        """Put the cursor on sentence `index`; repaint only the rows of the two sentences."""
        if not self._sentences:
            return
        index = min(max(0, index), len(self._sentences) - 1)
        self._lay_out_to(self._sentences[index][0])
        if not top:
            self._restore_anchor = None  # the reader moved on: the restored view is spent
        old = self.cursor
        self.cursor = index
        self._refresh_span(self._sentences[old])
        self._refresh_span(self._sentences[index])
        if scroll:
            self.scroll_to_cursor(top=top)

    # ---------------------------------------------------------------- layout

    def _relayout(self, width: int) -> None:
        self._layout_width = width
        column = max(10, min(COLUMN, width - 6))
        self._column = column
        self._margin = max(0, (width - column) // 2)
        doc = self.doc
        self._whole_worker = None
        if len(doc.text) <= LAZY_CHARS or len(self._blocks) < 2:
            self._install(lay_out(doc.text, doc.title, doc.meta, self._blocks, column))
            return
        cursor = self.cursor_span[0]
        anchor = cursor if self._restore_anchor is None else self._restore_anchor
        lo, hi = sorted((cursor, anchor))
        if hi - lo > 2 * WINDOW:  # the cursor wins over a far anchor (see `restore`)
            lo = hi = cursor
        first, last = bl.window(self._blocks, lo, hi, WINDOW)
        part = lay_out(doc.text, doc.title, doc.meta, self._blocks, column, first=first, last=last)
        self._install(part)
        if not part.whole:
            # After the paint, so the thread does not hold the interpreter while it draws.
            self.call_after_refresh(self._start_whole, part)

    def _start_whole(self, part: Layout) -> None:
        if self._layout is not part:
            return  # relaid since (a resize) or laid out whole already
        doc, blocks, column = self.doc, self._blocks, self._column

        def whole() -> Layout:
            return lay_out(doc.text, doc.title, doc.meta, blocks, column)

        self._whole_worker = self.run_worker(
            whole, group="layout", exclusive=True, thread=True, exit_on_error=False
        )

    def _install(self, layout: Layout) -> None:
        self._layout = layout
        self._layout_rows = layout.rows
        self._text_rows = layout.text_rows
        self._text_starts = layout.text_starts
        self.virtual_size = Size(self._layout_width, len(layout.rows))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker is self._whole_worker and event.state == WorkerState.SUCCESS:
            self._whole_worker = None
            whole = event.worker.result
            if whole is not None and not self._layout.whole:
                self._swap_in(whole)

    def _swap_in(self, whole: Layout) -> None:
        """The whole layout for the window: the same lines stay on the same screen rows."""
        part = self._layout
        shift = whole.first_row(part.first) if part.first else 0  # a window has no title
        y = round(self.scroll_offset.y) + shift
        self._install(whole)
        self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def laid_out_whole(self) -> bool:
        """Every row is laid out (False while a long text's window stands in for it)."""
        return bool(self._layout_rows) and self._layout.whole

    def _lay_out_to(self, *offsets: int) -> None:
        """Lay out the whole text now, on this thread, if the reader goes past the window
        before the thread's whole layout is in (a jump, a page at its edge)."""
        layout = self._layout
        if layout.whole or not self._layout_rows:
            return
        lo, hi = layout.span
        if not all(lo <= offset < hi for offset in offsets):
            self.lay_out_whole()

    def _lay_out_rows(self, top: int, bottom: int) -> None:
        """`_lay_out_to` for screen rows: rows top..bottom of the window must be real rows."""
        layout = self._layout
        if layout.whole or not self._layout_rows:
            return
        starts_later = layout.first > 0
        ends_sooner = layout.span[1] <= len(self.doc.text)  # a window to the end spans past it
        if (top < 0 and starts_later) or (bottom >= len(self._layout_rows) and ends_sooner):
            self.lay_out_whole()

    def lay_out_whole(self) -> None:
        """Lay out every row now, on this thread, in place of a window."""
        doc = self.doc
        self._whole_worker = None
        self._swap_in(lay_out(doc.text, doc.title, doc.meta, self._blocks, self._column))

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._layout_width and width > 0:
            if self._layout_rows and self._restore_anchor is None:
                self._restore_anchor = self.view_anchor()  # keep the same first line
            self._relayout(width)
            self._pending_scroll = True
            self.call_after_refresh(self._settle_scroll)
        elif self._layout_rows and not self._pending_scroll:
            # Only the height changed (the narrow sidebar came up): keep the cursor in view.
            self.call_after_refresh(self.scroll_to_cursor)

    def _settle_scroll(self) -> None:
        if self._pending_scroll:
            self._pending_scroll = False
            self.scroll_to_cursor(top=True)

    def row_of(self, offset: int) -> int:
        if not self._text_rows:
            return 0
        return self._text_rows[span_index(self._text_starts, offset)]

    def rows_of(self, span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        return self.row_of(start), self.row_of(max(start, end - 1))

    def _refresh_span(self, span: tuple[int, int]) -> None:
        if not self._layout_rows:
            return
        first, last = self.rows_of(span)
        top = round(self.scroll_offset.y)
        self.refresh(Region(0, first - top, self.size.width, last - first + 1))

    def scroll_to_cursor(self, *, top: bool = False) -> None:
        """Bring the cursor into view: with `top`, near the top (a restore or a jump: a
        restored screen offset wins while the cursor is on it); else by the least scroll
        that keeps SCROLL_MARGIN lines around it."""
        if not self._layout_rows or not self._sentences:
            return
        first, last = self.rows_of(self.cursor_span)
        height = self.scrollable_content_region.height
        if top:
            if self._restore_anchor is not None:
                self._scroll_to_anchor(self._restore_anchor)
                if self.cursor_visible():
                    return
            # Leave a little context above the restored sentence; near the start of the
            # article show it from the top, so its title and byline are on screen.
            y = 0 if last + 2 < height else max(0, first - 2)
            self.scroll_to(y=y, animate=False, immediate=True)
            return
        y = self._margin_target(first, last, height)
        if y != round(self.scroll_offset.y):
            self.scroll_to(y=y, animate=False, immediate=True)

    def show_span(self, span: tuple[int, int]) -> None:
        """Scroll `span` (a find match while it is typed) into view; the cursor stays."""
        self._lay_out_to(span[0])
        if self._layout_rows:
            first, last = self.rows_of(span)
            height = self.scrollable_content_region.height
            self.scroll_to(
                y=self._margin_target(first, last, height), animate=False, immediate=True
            )

    def _margin_target(self, first: int, last: int, height: int) -> int:
        """The scroll row that shows rows first..last with the margin, moving least."""
        top = round(self.scroll_offset.y)
        rows = last - first + 1
        margin = min(SCROLL_MARGIN, max(0, (height - rows) // 2))
        if rows > height - 2 * margin or first - margin < top:
            y = first - margin  # a sentence taller than the view shows from its start
        elif last + margin >= top + height:
            y = last + margin - height + 1
        else:
            y = top
        if y < top and last + margin < height:
            y = 0  # near the start: show the title and byline too
        return max(0, min(y, round(self.max_scroll_y)))

    def _scroll_to_anchor(self, anchor: int) -> None:
        row = self.row_of(anchor)
        y = 0 if self._text_rows and row <= self._text_rows[0] else row
        self.scroll_to(y=y, animate=False, immediate=True)

    def view_anchor(self) -> int:
        """Text offset where the first line of text on screen starts: saved with the reading
        position, `restore` puts that line back at the top (at any width: the line holding
        the offset). The first line of the text means "from the very top", title and all."""
        if not self._layout_rows:
            if self._restore_anchor is not None:
                return self._restore_anchor
            return self.cursor_span[0]
        if not self._text_starts:
            return 0
        index = bisect_left(self._text_rows, round(self.scroll_offset.y))
        return self._text_starts[min(index, len(self._text_starts) - 1)]

    def restore(self, cursor_offset: int, anchor_offset: int | None) -> None:
        """Put the cursor on the sentence holding `cursor_offset` and the screen where
        `view_anchor` was, as they were when the article was left. Safe before layout:
        the first layout applies it. The cursor wins if the anchor would hide it (another
        terminal height); None just shows the cursor near the top."""
        if self._sentences:
            self.cursor = self.sentence_at(cursor_offset)
        self._restore_anchor = anchor_offset
        self._lay_out_to(cursor_offset, cursor_offset if anchor_offset is None else anchor_offset)
        if self._layout_rows:
            self.scroll_to_cursor(top=True)
        else:
            self._pending_scroll = True
        self.refresh()

    def cursor_visible(self) -> bool:
        if not self._layout_rows or not self._sentences:
            return True
        first, last = self.rows_of(self.cursor_span)
        top = round(self.scroll_offset.y)
        return last >= top and first < top + self.scrollable_content_region.height

    def first_visible_sentence(self, top: int | None = None) -> int:
        """The first sentence starting on or below screen row `top` (default: the view's top)."""
        if top is None:
            top = round(self.scroll_offset.y)
        index = bisect_left(self._text_rows, top)
        if index >= len(self._text_starts):
            return max(0, len(self._sentences) - 1)
        offset = self._text_starts[index]
        sentence = self.sentence_at(offset)
        if self._sentences and self._sentences[sentence][0] < offset:
            sentence = min(sentence + 1, len(self._sentences) - 1)
        return sentence

    def page(self, direction: int) -> None:
        """Scroll a screenful and put the cursor on the first sentence that starts in view."""
        self._restore_anchor = None
        height = max(1, self.scrollable_content_region.height - 2)
        top = round(self.scroll_offset.y) + direction * height
        self._lay_out_rows(top - height, top + 2 * height)
        # Again: laying out the whole moves the rows (and the scroll offset) down.
        target = round(self.scroll_offset.y) + direction * height
        target = max(0, min(target, round(self.max_scroll_y)))
        self.scroll_to(y=target, animate=False, immediate=True)
        if direction > 0 and target >= round(self.max_scroll_y):
            index = len(self._sentences) - 1
        elif direction < 0 and target == 0:
            index = 0
        else:
            index = self.first_visible_sentence(target)
        self.move_cursor(index, scroll=False)

    # ----------------------------------------------------------------- input

    def offset_at(self, x: int, y: int) -> int | None:
        """Article offset under content cell (x, y) of the widget, None off the text."""
        row = y + round(self.scroll_offset.y)
        if not 0 <= row < len(self._layout_rows):
            return None
        kind, start, end = self._layout_rows[row]
        if kind != _TEXT:
            index = bisect_left(self._text_rows, row)
            return self._text_starts[index] if index < len(self._text_starts) else None
        block = self._blocks[self._layout.block_of_row[row]]
        column = x - self._margin - cell_len(bl.prefix(block, start == block.start))
        line = self.doc.text[start:end]
        if column <= 0:
            return start
        if line.isascii():
            return start + min(column, max(0, len(line) - 1))
        cells = 0
        for index, char in enumerate(line):
            cells += cell_len(char)
            if cells > column:
                return start + index
        return max(start, end - 1)

    def on_mouse_scroll_down(self, _event: events.MouseScrollDown) -> None:
        """Before Widget's own scroll (handlers run subclass first): a wheel turned at a
        window's edge gets the whole layout, instead of stopping until the thread's."""
        top = round(self.scroll_offset.y)
        self._lay_out_rows(top, top + 2 * self.scrollable_content_region.height)

    def on_mouse_scroll_up(self, _event: events.MouseScrollUp) -> None:
        top = round(self.scroll_offset.y)
        self._lay_out_rows(top - self.scrollable_content_region.height, top)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._sentences:
            return
        position = self.offset_at(offset.x, offset.y)
        if position is None:
            return
        index = self.sentence_at(position)
        _start, end = self._sentences[index]
        if position >= end and index + 1 < len(self._sentences):
            index += 1
        self.post_message(self.SentenceClicked(self, index))

    # ---------------------------------------------------------------- render

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        row = y + round(self.scroll_offset.y)
        if row >= len(self._layout_rows) or width <= 0:
            return Strip.blank(width, base)
        kind, a, b = self._layout_rows[row]
        index = self._layout.block_of_row[row]
        margin = Segment(" " * self._margin, base)
        if kind == _BLANK:
            bars = bl.gap_bars(self._blocks, index)
            if not bars:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("article-view--quote-bar")
            line = [margin, Segment(bl.QUOTE_BAR * bars, style)]
            return Strip(line).adjust_cell_length(width, base)
        if kind == _TITLE:
            style = base + self.get_component_rich_style("article-view--title")
            return Strip([margin, Segment(self.doc.title[a:b], style)]).adjust_cell_length(
                width, base
            )
        if kind == _META:
            style = base + self.get_component_rich_style("article-view--meta")
            return Strip([margin, Segment(self.doc.meta[a:b], style)]).adjust_cell_length(
                width, base
            )
        if kind in (_RULE, bl.BREAK):
            style = base + self.get_component_rich_style("article-view--rule")
            if kind == _RULE:
                line = [margin, Segment("─" * self._column, style)]
            else:  # a section break: a short line in the middle of the column
                length = max(3, self._column // 4)
                indent = " " * (self._margin + (self._column - length) // 2)
                line = [Segment(indent, base), Segment("─" * length, style)]
            return Strip(line).adjust_cell_length(width, base)
        if kind in _GRID_KINDS:
            cells = self._render_grid(kind, a, b, index, self._layout.line_of_row[row], base)
            return Strip([margin, *cells]).adjust_cell_length(width, base)
        return self._render_text_line(a, b, width, base, index)

    def _mark_style(self, component: str) -> Style:
        """A component's own attributes only (so a mark keeps a heading's colour), with its
        colours blended as the full style blends them."""
        partial = self.get_component_rich_style(component, partial=True)
        if partial.color is None and partial.bgcolor is None:
            return partial
        full = self.get_component_rich_style(component)
        return partial + Style.from_color(
            full.color if partial.color is not None else None,
            full.bgcolor if partial.bgcolor is not None else None,
        )

    def _prose_base(self, block: Block, base: Style) -> Style:
        if block.kind == "heading":
            name = "article-view--heading" if block.level <= 2 else "article-view--subheading"
            return base + self.get_component_rich_style(name)
        if block.kind == "caption":
            return base + self.get_component_rich_style("article-view--caption")
        return base

    def _render_text_line(
        self, a: int, b: int, width: int, base: Style, block_index: int = -1
    ) -> Strip:
        cursor = self.cursor_span if self._sentences else (0, 0)
        in_cursor = cursor[1] > a and cursor[0] < b
        segments: list[Segment] = []
        gutter = " " * self._margin
        if self._margin >= 3:
            has_note = bool(self._notes.overlapping(a, b))
            if has_note:
                mark = "✎"
                mark_style = self.get_component_rich_style("article-view--note-mark")
            elif in_cursor:
                mark = "▌"
                mark_style = self.get_component_rich_style("article-view--cursor-mark")
            elif self._highlights.overlapping(a, b):
                mark = "┃"
                mark_style = self.get_component_rich_style("article-view--highlight-mark")
            else:
                mark = ""
                mark_style = Style()
            if mark:
                segments.append(Segment(" " * (self._margin - 2), base))
                segments.append(Segment(mark, base + mark_style))
                segments.append(Segment(" ", base))
            else:
                segments.append(Segment(gutter, base))
        else:
            segments.append(Segment(gutter, base))
        text_base = base
        if block_index >= 0:
            block = self._blocks[block_index]
            lead = bl.prefix(block, a == block.start)
            if lead:
                component = (
                    "article-view--quote-bar" if block.kind == "quote" else "article-view--bullet"
                )
                segments.append(Segment(lead, base + self.get_component_rich_style(component)))
            text_base = self._prose_base(block, base)
        segments.extend(self._styled(a, b, text_base))
        return Strip(segments).adjust_cell_length(width, base)

    def _styled(
        self, a: int, b: int, base: Style, under: Sequence[tuple[int, int, Style]] = ()
    ) -> list[Segment]:
        """text[a:b] in segments: `under` (syntax colours), the marks and links, then the
        reader's layers (key sentences, highlights, selection, cursor, mentions, matches)."""
        text = self.doc.text
        layers: list[tuple[int, int, Style]] = list(under)
        for kind, spans in self._marks.items():
            if spans:
                found = spans.overlapping(a, b)
                if found:
                    style = self._mark_style(_MARK_COMPONENTS[kind])
                    layers.extend((s, e, style) for s, e in found)
        if self._links:
            found = self._links.overlapping(a, b)
            if found:
                style = self._mark_style("article-view--link")
                layers.extend((s, e, style) for s, e in found)
        named: list[tuple[int, int, str]] = []
        if self.show_key:
            named.extend((s, e, "article-view--key") for s, e in self._key.overlapping(a, b))
        named.extend(
            (s, e, "article-view--highlight") for s, e in self._highlights.overlapping(a, b)
        )
        if self._selection is not None:
            s, e = self.span_of(*self._selection)
            if s < b and e > a:
                named.append((s, e, "article-view--selection"))
        cursor = self.cursor_span if self._sentences else (0, 0)
        if cursor[1] > a and cursor[0] < b:
            named.append((cursor[0], cursor[1], "article-view--cursor"))
        named.extend((s, e, "article-view--mention") for s, e in self._mentions.overlapping(a, b))
        current = self._current_match
        named.extend(
            (s, e, "article-view--match-current" if (s, e) == current else "article-view--match")
            for s, e in self._matches.overlapping(a, b)
        )
        layers.extend((s, e, self.get_component_rich_style(c)) for s, e, c in named)
        if not layers:
            return [Segment(text[a:b], base)]
        cuts = sorted(
            {a, b, *(min(max(s, a), b) for s, _, _ in layers)}
            | {min(max(e, a), b) for _, e, _ in layers}
        )
        segments: list[Segment] = []
        for lo, hi in itertools.pairwise(cuts):
            if hi <= lo:
                continue
            style = base
            for s, e, layer in layers:
                if s < hi and e > lo:
                    style = style + layer
            segments.append(Segment(text[lo:hi], style))
        return segments

    # ------------------------------------------------------ code and tables

    def _render_grid(
        self, kind: int, a: int, b: int, index: int, line: int, base: Style
    ) -> list[Segment]:
        """A row of a code box or a table, scrolled sideways by the block's offset; "‹" and
        "›" say there is more to the left or right."""
        block = self._blocks[index]
        column = self._column
        if kind in (bl.CODE, bl.CODE_TOP, bl.CODE_BOTTOM):
            box = base + self.get_component_rich_style("article-view--code")
            border = box + self._mark_style("article-view--code-border")
            if kind == bl.CODE_TOP:
                language = one_line(block.language)[: max(0, column - 8)]
                top = f"╭─ {language} " if language else "╭─"
                return [Segment(top + "─" * max(0, column - 1 - cell_len(top)) + "╮", border)]
            if kind == bl.CODE_BOTTOM:
                return [Segment("╰" + "─" * max(0, column - 2) + "╯", border)]
            inner = max(1, column - bl.CODE_FRAME)
            shift = self._shift(index)
            wide = cell_len(self.doc.text[a:b])
            text = Strip(self._styled(a, b, box, self._syntax_layers(index, a, b)))
            text = text.crop(shift, shift + inner).adjust_cell_length(inner, box)
            left = "‹ " if shift and wide else "│ "
            right = " ›" if wide > shift + inner else " │"
            return [Segment(left, border), *text, Segment(right, border)]
        widths = self._layout.table_widths.get(index, [])
        rule = self._mark_style("article-view--table-rule")
        if kind == bl.TABLE_RULE:
            cells = [Segment("─┼─".join("─" * w for w in widths), base + rule)]
        else:
            row = block.rows[line]
            cell_base = base
            if line == 0 and len(block.rows) > 1:
                cell_base = base + self._mark_style("article-view--table-header")
            cells = []
            for number, (start, end) in enumerate(row):
                if number:
                    cells.append(Segment(bl.CELL_GAP, base + rule))
                cells.extend(self._styled(start, end, cell_base))
                if number < len(widths):
                    pad = widths[number] - cell_len(self.doc.text[start:end])
                    cells.append(Segment(" " * max(0, pad), cell_base))
        total = bl.table_width(widths)
        if total <= column:
            return cells
        shift = self._shift(index)
        before, after = int(shift > 0), int(total > shift + column)
        strip = Strip(cells).crop(shift + before, shift + column - after)
        strip = strip.adjust_cell_length(column - before - after, base)
        marks = base + rule
        return [
            *([Segment("‹", marks)] if before else []),
            *strip,
            *([Segment("›", marks)] if after else []),
        ]

    def _syntax_layers(self, index: int, a: int, b: int) -> list[tuple[int, int, Style]]:
        """The code block's syntax colours on [a, b): lexed on first sight, then kept."""
        from reader.ui.widgets.code_highlight import syntax_spans

        dark = self.app.current_theme.dark
        if dark != self._syntax_dark:
            self._syntax.clear()
            self._syntax_dark = dark
        found = self._syntax.get(index)
        if found is None:
            block = self._blocks[index]
            code = self.doc.text[block.start : block.end]
            spans = [
                (block.start + s, block.start + e, style)
                for s, e, style in syntax_spans(code, block.language, dark=dark)
            ]
            found = self._syntax[index] = ([e for _, e, _ in spans], spans)
        ends, spans = found
        out: list[tuple[int, int, Style]] = []
        for span in spans[bisect_right(ends, a) :]:
            if span[0] >= b:
                break
            out.append(span)
        return out

    def _overflow(self, index: int) -> int:
        """How far block `index` (code or a table) can scroll sideways, in cells."""
        block = self._blocks[index]
        if block.kind == "code":
            wide = self._code_widths.get(index)
            if wide is None:
                wide = self._code_widths[index] = bl.code_width(self.doc.text, block)
            return max(0, wide - (self._column - bl.CODE_FRAME))
        widths = self._layout.table_widths.get(index, [])
        return max(0, bl.table_width(widths) - self._column)

    def _shift(self, index: int) -> int:
        return min(self._sideways.get(index, 0), self._overflow(index))

    def wide_block_on_screen(self) -> int | None:
        """The first code block or table on screen too wide for the column (block index)."""
        top = round(self.scroll_offset.y)
        seen: set[int] = set()
        bottom = min(len(self._layout_rows), top + self.scrollable_content_region.height)
        for row in range(top, bottom):
            if self._layout_rows[row][0] in (bl.CODE, bl.TABLE):
                index = self._layout.block_of_row[row]
                if index not in seen:
                    seen.add(index)
                    if self._overflow(index):
                        return index
        return None

    def scroll_sideways(self, direction: int) -> bool:
        """Scroll the wide code block or table on screen a quarter column left (-1) or right
        (1); False when there is none. Only that block moves: the prose stays put."""
        index = self.wide_block_on_screen()
        if index is None:
            return False
        step = max(4, self._column // 4)
        shift = max(0, min(self._overflow(index), self._shift(index) + direction * step))
        self._sideways[index] = shift
        self.refresh()
        return True

    def sideways(self, index: int) -> int:
        """How far block `index` is scrolled sideways, in cells."""
        return self._shift(index)

    # ------------------------------------------------------ sections, links

    def section_at(self, offset: int) -> str | None:
        """The heading of the section holding `offset`: the last one at or before it."""
        index = bisect_right(self._heading_starts, offset) - 1
        if index < 0:
            return None
        heading = self._headings[index]
        return one_line(self.doc.text[heading.start : heading.end]) or None

    def links_in(self, span: tuple[int, int]) -> list[Link]:
        """The links inside or across `span`, in text order."""
        found = self._links.overlapping(*span)
        return [link for s_e in found for link in self._hrefs.get(s_e, [])]

    def visible_span(self) -> tuple[int, int]:
        """From the first to the last text offset on screen."""
        top = round(self.scroll_offset.y)
        rows = self._layout_rows[top : top + self.scrollable_content_region.height]
        drawn = [(a, b) for kind, a, b in rows if kind in (_TEXT, bl.CODE, bl.TABLE)]
        if not drawn:
            return (0, 0)
        return drawn[0][0], drawn[-1][1]

    def links_here(self) -> list[Link]:
        """The cursor sentence's links; when it has none, the links on screen."""
        return self.links_in(self.cursor_span) or self.links_in(self.visible_span())

    def rows(self) -> int:
        return len(self._layout_rows)

    def visible_text(self) -> str:
        """The text of the rows currently on screen (for tests and the benchmark)."""
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        return "\n".join(
            self.render_line(y).text.rstrip()
            for y in range(height)
            if top + y < len(self._layout_rows)
        )

    def mention_after(self, offset: int, direction: int) -> tuple[int, int] | None:
        """The next (direction=1) or previous (-1) highlighted mention from `offset`, wrapping."""
        spans, starts = self._mentions.spans, self._mentions.starts
        if not spans:
            return None
        if direction > 0:
            return spans[bisect_right(starts, offset) % len(spans)]
        return spans[(bisect_left(starts, offset) - 1) % len(spans)]
