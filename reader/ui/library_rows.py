"""The library screen's table: its state, and the rows built from the cached records.

Speed: a DataTable row costs ~0.1 ms to add and measure, and the visible lines cost
~15 ms to draw, whatever the number of rows. So a rebuild adds only the first screenful
before the next paint and streams the rest in small chunks after it; while the reader is
typing a filter the streaming waits until they pause (FILL_DELAY), so the next key never
queues behind rows nobody can see yet, and the table being cleared stays small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import DataTable, Static

from reader.plural import counted
from reader.ui.analysis_worker import cached_analyzer
from reader.ui.library_columns import SPEC, Layout, Measure, fit, fit_columns, natural_widths
from reader.ui.library_filter import filter_records
from reader.ui.text import one_line, reading_minutes, relative_time

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
    from reader.store import ArticleRecord, Library


EMPTY_HINT = (
    "Your library is empty.\n\n"
    "Press a to add a file, a folder or a web address,\n"
    "or from a shell: reader add PATH-or-URL…"
)


FIRST_ROWS = 50  # at least a screenful (more on a taller terminal): added with the answer
ROW_CHUNK = 300  # then this many per paint: ~25 ms with their measuring, a key's worst wait
FILL_DELAY = 0.25  # s: while the filter is being typed, the rows below the screenful wait
CHUNK_GAP = 0.001  # s between chunks: the table measures the last one and the screen paints


_heap_settled = False


def _settle_heap() -> None:
    """Once per process, when the library's rows are first all in: gc.freeze().

    What exists by then (Textual, the records, the rows and their cells: ~250,000 objects)
    lives as long as the app, yet every full collection would scan it again: 60-150 ms,
    which lands on whichever key press happens to allocate at the time (the filter's
    slowest answers were all such pauses). Frozen objects are still freed by reference
    counting; only garbage cycles among them stay (a startup notification's widgets, say):
    a small, one-off cost. Process-wide policy, so it may well move to the app's start-up.
    """
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        import gc

        gc.freeze()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    sort_key: Callable[[ArticleRecord], Any]
    descending_first: bool = False


def read_fraction(record: ArticleRecord) -> float:
    """The Read column's figure, 0..1: the furthest point read, which going back to an
    earlier passage never lowers (the bookmark may sit before it)."""
    return record.furthest


def _tags_text(record: ArticleRecord) -> str:
    return " ".join(f"#{one_line(t)}" for t in record.tags)


# In display order (see reader.ui.library_columns for which of them fit); `o` cycles them.
COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", lambda r: r.title.casefold()),
    Column("author", "Author", lambda r: (r.author or "").casefold()),
    Column("source", "Source", lambda r: (r.source or "").casefold()),
    Column("tags", "Tags", lambda r: _tags_text(r).casefold()),
    Column("words", "Words", lambda r: r.words, True),
    Column("time", "Time", lambda r: r.words, True),
    Column("progress", "Read", lambda r: (r.finished, read_fraction(r)), True),
    Column("last_read", "Last read", lambda r: r.last_read or "", True),
)


class LibraryRows(Screen[None]):
    """The state the library screen's concerns share, and its rows."""

    def __init__(
        self,
        library: Library,
        *,
        now: Callable[[], datetime],
        wpm: Callable[[], float],
        analyzer: Callable[[str], Analysis] | None = None,
        select: str | None = None,
    ) -> None:
        """`select`: the article the cursor starts on (the one just read)."""
        super().__init__()
        self.library = library
        self._select = select
        self.now = now
        self.wpm = wpm
        self.analyzer = analyzer
        # What the review and summary pages analyse with (in their workers: no store call).
        self._analyze = analyzer or cached_analyzer(library.cache_dir)
        self.due = 0
        self.records: list[ArticleRecord] = []
        self.feed_titles: dict[int, str] = {}  # feed id -> title, for the `feed:` filter
        self.shown: list[ArticleRecord] = []
        self.sort_column = "last_read"
        self.sort_descending = True
        self.query_text = ""
        self._generation = 0
        self._plain: dict[str, tuple[ArticleRecord, tuple[float, str], dict[str, str]]] = {}
        self._cell_cache: dict[
            str, tuple[ArticleRecord, Layout, dict[str, str], tuple[Text, ...], int]
        ] = {}
        self._measure: Measure | None = None
        self.column_layout: Layout | None = None

    # ------------------------------------------------------------------ rows

    def reload(self, select: str | None = None) -> None:
        """Re-read the records from the store and redraw, keeping the cursor on `select`."""
        self.records = self.library.articles()
        self.feed_titles = self.library.feed_titles()
        # Cells of records that did not change are kept (the caches compare the records);
        # those of deleted articles go.
        self._plain = {r.id: self._plain[r.id] for r in self.records if r.id in self._plain}
        self._cell_cache = {
            r.id: self._cell_cache[r.id] for r in self.records if r.id in self._cell_cache
        }
        now_iso, wpm = self.now().isoformat(), self.wpm()
        # Over every record, not the filtered ones: typing a filter never moves the columns.
        self._measure = natural_widths(self._plain_cells(r, wpm, now_iso) for r in self.records)
        self.due = self._due_count()
        self.refresh_rows(select)

    def _due_count(self) -> int:
        """Review cards due now, for the status line: the review screen's own count (see
        reader.ui.screens.review.track_due_count), updated here when the key sentences of
        a newly finished article are recorded and when a card falls due."""
        from reader.ui.screens.review import track_due_count

        def show(count: int) -> None:
            if count != self.due:
                self.due = count
                self._update_status()

        return track_due_count(self, self.library, now=self.now, analyzer=self._analyze, show=show)

    def refresh_rows(self, select: str | None = None, *, fill_delay: float = 0.0) -> None:
        """Rebuild the table; the rows past the first screenful follow after the paint, or
        `fill_delay` seconds later if no newer rebuild came meanwhile."""
        table = self.query_one(DataTable)
        if select is None and table.row_count:
            select = self.current_id()
        column = next(c for c in COLUMNS if c.key == self.sort_column)
        # Stable two-pass sort: title as the tie-break, whatever the direction.
        rows = sorted(
            filter_records(self.records, self.query_text, self.feed_titles), key=COLUMNS[0].sort_key
        )
        rows.sort(key=column.sort_key, reverse=self.sort_descending)
        self.shown = rows
        self.column_layout = self._fit(self._width())
        table.clear(columns=True)  # headers are re-added so the sort arrow moves
        arrow = " ↓" if self.sort_descending else " ↑"
        for key, width in self.column_layout.columns:
            label = SPEC[key].label + (arrow if key == self.sort_column else "")
            header = Text(fit(label, width), justify="right" if SPEC[key].right else "left")
            table.add_column(header, width=width, key=key)
        self._generation += 1
        self._add_rows(self._generation, rows, 0, select, fill_delay)
        self._show_table_or_hint()
        self._update_status()

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _fit(self, width: int) -> Layout:
        return fit_columns(width, self._measure or natural_widths(()))

    def on_resize(self, event: events.Resize) -> None:
        """Columns are sized for the width (see reader.ui.library_columns): a new width
        that changes them rebuilds the table, the cursor staying on its article."""
        if self.column_layout is not None and self._fit(event.size.width) != self.column_layout:
            self.refresh_rows()

    def _show_table_or_hint(self) -> None:
        """An empty library says how to add; a filter that matches nothing says so where
        the rows would be, rather than leaving a bare header."""
        empty = not self.records
        no_match = not empty and not self.shown
        self.query_one("#empty-hint").display = empty
        hint = self.query_one("#no-match", Static)
        if no_match:
            message = Text("No article matches “")
            message.append(one_line(self.query_text), style="bold")
            message.append("”.\n\nescape clears the filter")
            hint.update(message)
        hint.display = no_match
        table = self.query_one(DataTable)
        table.display = not empty and not no_match
        if table.display and self.focused is None:
            table.focus()

    def _add_rows(
        self,
        generation: int,
        rows: list[ArticleRecord],
        start: int,
        select: str | None,
        delay: float = 0.0,
    ) -> None:
        """Add a chunk of rows; the rest follow after the next paint (after `delay` s
        for the first chunk's followers).

        DataTable.add_row and the measuring of the new cells cost ~0.1 ms a row, so 5,000
        rows at once would hold the first paint back for most of a second: the first
        screenful shows at once, the rest stream in.
        """
        if generation != self._generation:
            return  # a newer filter or sort replaced these rows
        table = self.query_one(DataTable)
        now_iso = self.now().isoformat()
        wpm = self.wpm()
        layout = self.column_layout
        assert layout is not None, "refresh_rows lays the columns out first"
        end = start + (max(FIRST_ROWS, self.app.size.height) if start == 0 else ROW_CHUNK)
        for record in rows[start:end]:
            cells, height = self._cells(record, layout, wpm, now_iso)
            table.add_row(*cells, key=record.id, height=height)
        if select is not None and any(r.id == select for r in rows[start:end]):
            table.move_cursor(row=table.get_row_index(select), animate=False)
        if end >= len(rows):
            _settle_heap()
            return
        follow = partial(self._add_rows, generation, rows, end, select)
        if start == 0 and delay > 0:
            self.set_timer(delay, follow)
        elif start == 0:
            self.call_after_refresh(follow)  # the screenful is painted first
        else:
            # A pause, not call_after_refresh: chained without one, the chunks run back to
            # back and the table measures all their cells at once (~0.3 s for 5,000 rows),
            # which is exactly the wait a key press must not meet.
            self.set_timer(CHUNK_GAP, follow)

    def _plain_cells(self, record: ArticleRecord, wpm: float, now_iso: str) -> dict[str, str]:
        """The row's texts, uncut, by column key: measured for the layout, cut to it."""
        last_read = relative_time(record.last_read, now_iso)
        kept = self._plain.get(record.id)
        if kept is not None and kept[1] == (wpm, last_read) and kept[0] == record:
            return kept[2]
        plain = {
            "title": one_line(record.title, "Untitled"),
            "author": one_line(record.author, "—"),
            "source": one_line(record.source, "—"),
            "tags": _tags_text(record),
            "words": f"{record.words:,}",
            "time": reading_minutes(record.words, wpm),
            "progress": "done" if record.finished else f"{read_fraction(record):.0%}",
            "last_read": last_read,
        }
        self._plain[record.id] = (record, (wpm, last_read), plain)
        return plain

    def _cells(
        self, record: ArticleRecord, layout: Layout, wpm: float, now_iso: str
    ) -> tuple[tuple[Text, ...], int]:
        """The row's cells and height, made once per record (and layout and speed) and
        reused by every later filter or sort: fewer objects made per keystroke, fewer GC
        pauses."""
        plain = self._plain_cells(record, wpm, now_iso)
        kept = self._cell_cache.get(record.id)
        if kept is not None and kept[2] is plain and kept[1] == layout:
            return kept[3], kept[4]  # the same plain texts: the same record
        cells: list[Text] = []
        for key, width in layout.columns:
            cell = Text(fit(plain[key], width), justify="right" if SPEC[key].right else "left")
            if key == "tags":
                cell.stylize("italic dim")
            if key == "title" and layout.tags_under_title and plain["tags"]:
                cell.append("\n" + fit(plain["tags"], width), style="italic dim")
            cells.append(cell)
        made = tuple(cells)
        height = 2 if layout.tags_under_title and plain["tags"] else 1
        self._cell_cache[record.id] = (record, layout, plain, made, height)
        return made, height

    def _update_status(self) -> None:
        column = next(c for c in COLUMNS if c.key == self.sort_column)
        arrow = "↓" if self.sort_descending else "↑"
        shown, total = len(self.shown), len(self.records)
        count = counted(total, "article")
        text = Text(f" {count}" if shown == total else f" {shown:,} of {count}")
        text.append(f" · sorted by {column.label.lower()} {arrow}", style="dim")
        if self.query_text:
            text.append(" · filter: ")
            text.append(one_line(self.query_text), style="bold")
        if self.due:
            text.append(f" · {counted(self.due, 'card')} to review (r)")
        if self.library.read_only:
            text.append(" · read-only", style="bold")
        self.query_one("#library-status", Static).update(text)

    def writable_again(self) -> None:
        """The other window closed: the status line stops saying read-only."""
        self._update_status()

    def current_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)
