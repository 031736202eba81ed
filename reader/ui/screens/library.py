"""The library: every article in a sortable, filterable table, and the door to the study
pages (review, search, summary, tags, export).

Store calls happen on the UI thread (see reader.ui.screens.reading for why). The table
is rebuilt from the cached records on each filter keystroke or sort; records are read
from the store only at start, after an import or deletion, and when the screen returns
from reading (progress changed).

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
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.keys import KeysDialog, key_table
from reader.ui.loading import load_article_or_notify
from reader.ui.text import one_line, reading_minutes, relative_time

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
    from reader.store import ArticleRecord, Library

EMPTY_HINT = (
    "Your library is empty.\n\n"
    "Press a to add a .txt or .md file,\n"
    "or from a shell: reader add PATH…  (files or folders)"
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


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", lambda r: r.title.casefold()),
    Column("source", "Source", lambda r: (r.source or "").casefold()),
    Column("words", "Words", lambda r: r.words, True),
    Column("time", "Time", lambda r: r.words, True),
    Column("progress", "Read", lambda r: r.progress, True),
    Column("last_read", "Last read", lambda r: r.last_read or "", True),
)


@dataclass
class OpenArticle(Message):
    """Asks the app to open an article on the reading screen (at `position`, an offset into
    its text, when given; else where the reader left off)."""

    article_id: str
    position: int | None = None


def filter_records(records: list[ArticleRecord], query: str) -> list[ArticleRecord]:
    """The `/` filter: words match title, source or author; `tag:NAME` terms keep articles
    carrying that tag (ignoring case). Every term must match."""
    from reader.store import filter_articles

    words: list[str] = []
    tags: list[str] = []
    for term in query.split():
        if term.casefold().startswith("tag:"):
            if term[4:]:
                tags.append(term[4:].casefold())
        else:
            words.append(term)
    kept = filter_articles(records, " ".join(words))
    for tag in tags:
        kept = [r for r in kept if any(t.casefold() == tag for t in r.tags)]
    return kept


class LibraryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("a", "add", "Add"),
        Binding("r", "review", "Review"),
        Binding("f,ctrl+f", "search", "Search"),
        Binding("S", "summary", "Summary", show=False),
        Binding("T", "tags", "Tags", show=False),
        Binding("e", "export", "Export to Markdown", show=False),
        Binding("E", "export_all", "Export all to Markdown", show=False),
        Binding("d,delete", "delete", "Delete", show=False),
        Binding("o", "sort_next", "Sort"),
        Binding("R", "sort_reverse", "Reverse sort", show=False),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark", "keys", "Keys"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(
        self,
        library: Library,
        *,
        now: Callable[[], datetime],
        wpm: Callable[[], float],
        analyzer: Callable[[str], Analysis] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.now = now
        self.wpm = wpm
        self.analyzer = analyzer
        self.due = 0
        self.records: list[ArticleRecord] = []
        self.shown: list[ArticleRecord] = []
        self.sort_column = "last_read"
        self.sort_descending = True
        self.query_text = ""
        self._generation = 0
        self._cell_cache: dict[
            str, tuple[ArticleRecord, tuple[int, float, str], tuple[Text, ...]]
        ] = {}

    def compose(self) -> ComposeResult:
        yield Static("reader · library", id="library-title")
        yield Input(placeholder="filter: title, source, author words; tag:NAME", id="filter")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="articles")
        yield table
        yield Static(Text(EMPTY_HINT), id="empty-hint")
        yield Static(id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.query_one("#filter", Input).display = False
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # ------------------------------------------------------------------ rows

    def reload(self, select: str | None = None) -> None:
        """Re-read the records from the store and redraw, keeping the cursor on `select`."""
        self.records = self.library.articles()
        self._cell_cache.clear()  # new records: their cells are made again as they are shown
        self.due = self._due_count()
        self.refresh_rows(select)

    def _due_count(self) -> int:
        """Review cards due now, for the status line (fast: no texts are read)."""
        from reader.store import StoreError
        from reader.study.review import ReviewDeck

        try:
            return ReviewDeck(self.library).due_count(self.now())
        except (StoreError, ValueError):
            return 0

    def refresh_rows(self, select: str | None = None, *, fill_delay: float = 0.0) -> None:
        """Rebuild the table; the rows past the first screenful follow after the paint, or
        `fill_delay` seconds later if no newer rebuild came meanwhile."""
        table = self.query_one(DataTable)
        if select is None and table.row_count:
            select = self.current_id()
        column = next(c for c in COLUMNS if c.key == self.sort_column)
        # Stable two-pass sort: title as the tie-break, whatever the direction.
        rows = sorted(filter_records(self.records, self.query_text), key=COLUMNS[0].sort_key)
        rows.sort(key=column.sort_key, reverse=self.sort_descending)
        self.shown = rows
        table.clear(columns=True)  # headers are re-added so the sort arrow moves
        arrow = " ↓" if self.sort_descending else " ↑"
        for spec in COLUMNS:
            label = spec.label + (arrow if spec.key == self.sort_column else "")
            table.add_column(Text(label), key=spec.key)
        self._generation += 1
        self._add_rows(self._generation, rows, 0, select, fill_delay)
        empty = not self.records
        self.query_one("#empty-hint").display = empty
        table.display = not empty
        self._update_status()

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
        width = max(20, min(70, self.app.size.width - 62))
        end = start + (max(FIRST_ROWS, self.app.size.height) if start == 0 else ROW_CHUNK)
        for record in rows[start:end]:
            table.add_row(*self._cells(record, width, wpm, now_iso), key=record.id)
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

    def _cells(
        self, record: ArticleRecord, width: int, wpm: float, now_iso: str
    ) -> tuple[Text, ...]:
        """The row's cells, made once per record (and width and speed) and reused by every
        later filter or sort: fewer objects made per keystroke, fewer GC pauses."""
        last_read = relative_time(record.last_read, now_iso)
        kept = self._cell_cache.get(record.id)
        if kept is not None and kept[0] is record and kept[1] == (width, wpm, last_read):
            return kept[2]
        title = one_line(record.title, "Untitled")
        tags = "  " + " ".join(f"#{one_line(t)}" for t in record.tags) if record.tags else ""
        if len(tags) > width // 2:
            tags = tags[: width // 2 - 1] + "…"
        room = width - len(tags)
        if len(title) > room:
            title = title[: room - 1] + "…"
        cell = Text(title)
        cell.append(tags, style="italic dim")
        read = "done" if record.finished else f"{record.progress:.0%}"
        cells = (
            cell,
            Text(one_line(record.source, "—")[:24]),
            Text(f"{record.words:,}", justify="right"),
            Text(reading_minutes(record.words, wpm), justify="right"),
            Text(read, justify="right"),
            Text(last_read),
        )
        self._cell_cache[record.id] = (record, (width, wpm, last_read), cells)
        return cells

    def _update_status(self) -> None:
        column = next(c for c in COLUMNS if c.key == self.sort_column)
        arrow = "↓" if self.sort_descending else "↑"
        text = Text(f" {len(self.shown)} of {len(self.records)} articles")
        text.append(f" · sorted by {column.label.lower()} {arrow}", style="dim")
        if self.query_text:
            text.append(" · filter: ")
            text.append(one_line(self.query_text), style="bold")
        if self.due:
            text.append(f" · {self.due} card{'s' if self.due != 1 else ''} to review (r)")
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

    # --------------------------------------------------------------- sorting

    def sort_by(self, key: str, *, toggle: bool = True) -> None:
        if key == self.sort_column and toggle:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_column = key
            self.sort_descending = next(c for c in COLUMNS if c.key == key).descending_first
        self.refresh_rows()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value is not None:
            self.sort_by(event.column_key.value)

    def action_sort_next(self) -> None:
        keys = [c.key for c in COLUMNS]
        self.sort_by(keys[(keys.index(self.sort_column) + 1) % len(keys)], toggle=False)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column)

    # ---------------------------------------------------------------- filter

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_rows(fill_delay=FILL_DELAY)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_text = ""
            self.refresh_rows()
            self.query_one(DataTable).focus()

    # --------------------------------------------------------------- actions

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenArticle(str(event.row_key.value)))

    def action_add(self) -> None:
        from reader.ui.dialogs.add_article import AddArticleDialog

        def chosen(path: str | None) -> None:
            if path:
                added = self.import_path(path)
                if added is not None:
                    self.reload(select=added)

        self.app.push_screen(AddArticleDialog(), chosen)

    def import_path(self, raw: str) -> str | None:
        """Import one file; on any problem, one clear error notification and None."""
        from pathlib import Path

        from reader.article import InputError, parse_article, read_text_file
        from reader.store import StoreError

        path = Path(raw).expanduser()
        try:
            article = parse_article(read_text_file(path), suffix=path.suffix.lower())
            if not article.paragraphs:
                raise InputError(str(path), "no article text left after removing page boilerplate")
            result = self.library.add_article(article, origin=str(path.resolve()))
        except (InputError, StoreError, OSError) as error:
            self.notify(one_line(str(error)), title="Could not add", severity="error", markup=False)
            return None
        title = one_line(result.article.title)
        if result.added:
            self.notify(f"Added “{title}”.", markup=False)
        else:
            self.notify(f"“{title}” is already in the library.", markup=False)
        return result.article.id

    def action_delete(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            return
        record = next((r for r in self.records if r.id == article_id), None)
        if record is None:
            return
        notes = self.library.note_count(article_id)
        question = Text("Delete “")
        question.append(one_line(record.title, "Untitled"))
        question.append("”")
        if notes:
            question.append(f" and its {notes} note{'s' if notes != 1 else ''}")
        question.append("?")

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from reader.store import StoreError

            try:
                self.library.delete(article_id)
            except StoreError as error:
                self.notify(one_line(str(error)), severity="error", markup=False)
                return
            self.reload()

        self.app.push_screen(ConfirmDialog(question), answered)

    # ------------------------------------------------------------ study pages

    def _current_record(self) -> ArticleRecord | None:
        article_id = self.current_id()
        return next((r for r in self.records if r.id == article_id), None)

    def action_review(self) -> None:
        from reader.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.library, now=self.now, analyzer=self._analyze))

    def _analyze(self, text: str) -> Analysis:
        """Thread workers call this; it never touches the store (the analysis cache is
        plain files keyed by the text's hash)."""
        if self.analyzer is not None:
            return self.analyzer(text)
        from reader.nlp.analyzer import analyze

        return analyze(text, self.library.cache_dir)

    def action_search(self) -> None:
        from reader.ui.screens.search import SearchScreen, open_hit

        self.app.push_screen(SearchScreen(), lambda hit: open_hit(self, hit))

    def action_summary(self) -> None:
        from reader.ui.screens.summary import SummaryScreen

        record = self._current_record()
        article = (
            None if record is None else load_article_or_notify(self.app, self.library, record.id)
        )
        if record is None or article is None:
            return

        def chosen(offset: int | None) -> None:
            if offset is not None:
                self.post_message(OpenArticle(record.id, offset))

        screen = SummaryScreen(self.library, record, article, analysis=None, analyzer=self._analyze)
        self.app.push_screen(screen, chosen)

    def action_tags(self) -> None:
        from reader.ui.dialogs.tags import edit_tags

        record = self._current_record()
        if record is not None:
            edit_tags(self, self.library, record.id, lambda updated: self.reload(updated.id))

    def action_export(self) -> None:
        from reader.ui.dialogs.export import export_articles

        record = self._current_record()
        if record is not None:
            title = f"“{one_line(record.title, 'Untitled')}”"
            export_articles(self, self.library, [record.id], title)

    def action_export_all(self) -> None:
        from reader.ui.dialogs.export import export_articles

        if self.records:
            count = len(self.records)
            export_articles(self, self.library, None, f"all {count} articles")

    def action_keys(self) -> None:
        self.app.push_screen(KeysDialog(key_table(self)))

    def _sorter(self, key: str) -> Callable[[], None]:
        return lambda: self.sort_by(key, toggle=False)

    def _opener(self, article_id: str) -> Callable[[], object]:
        return lambda: self.post_message(OpenArticle(article_id))

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Add an article from a file", "key: a", self.action_add),
            ("Filter the library", "key: /", self.action_filter),
            ("Delete the selected article", "key: d", self.action_delete),
            ("Review cards due (highlights, notes, key sentences)", "key: r", self.action_review),
            ("Search articles, notes and highlights", "key: f", self.action_search),
            ("Summary of the selected article", "key: S", self.action_summary),
            ("Tags of the selected article", "key: T", self.action_tags),
            ("Export the selected article to Markdown", "key: e", self.action_export),
            ("Export all articles to Markdown", "key: E", self.action_export_all),
            ("Reverse the sort order", "key: R", self.action_sort_reverse),
            ("List every key", "key: ?", self.action_keys),
        ]
        for column in COLUMNS:
            commands.append((f"Sort by {column.label.lower()}", "key: o", self._sorter(column.key)))
        for record in self.records:
            commands.append(
                (
                    f"Open: {one_line(record.title, 'Untitled')}",
                    one_line(record.source),
                    self._opener(record.id),
                )
            )
        return commands
