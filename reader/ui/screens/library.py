"""The library: every article in a sortable, filterable table, and the door to the study
pages (review, search, summary, tags, export).

Store calls happen on the UI thread (the rules: reader.ui). The table
is rebuilt from the cached records on each filter keystroke or sort, and when a resize
changes which columns fit (reader.ui.library_columns sizes them); records are read
from the store only at start, after an import or deletion, and when the screen returns
from reading (progress changed).

This module is the door: the layout, sorting, moving and the filter. The table's state and
rows are reader.ui.library_rows; what the keys do to articles, reader.ui.library_actions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Input, Static

from reader.ui.actions import LIBRARY, PaletteEntry, bindings, hint_of, palette_entries
from reader.ui.library_actions import LibraryActions
from reader.ui.library_filter import filter_records as filter_records  # older imports
from reader.ui.library_rows import COLUMNS as COLUMNS
from reader.ui.library_rows import EMPTY_HINT as EMPTY_HINT
from reader.ui.library_rows import FILL_DELAY
from reader.ui.library_rows import FIRST_ROWS as FIRST_ROWS
from reader.ui.messages import OpenArticle
from reader.ui.text import one_line


class LibraryScreen(LibraryActions):
    BINDINGS: ClassVar[list[BindingType]] = bindings(LIBRARY)

    def compose(self) -> ComposeResult:
        yield Static("reader · library", id="library-title")
        yield Input(
            placeholder='filter: title, source, author words; "a phrase"; tag:NAME; tag:"UK Local"',
            id="filter",
        )
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="articles")
        yield table
        yield Static(Text(EMPTY_HINT), id="empty-hint")
        yield Static(id="no-match")
        yield Static(id="library-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.query_one("#filter", Input).display = False
        self.reload(self._select)
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

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

    # ------------------------------------------------------------ navigation

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=table.cursor_row + step)

    def action_top(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=0)

    def action_bottom(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def action_half_page(self, direction: int) -> None:
        """ctrl+d / ctrl+u as in vi and less: half the visible rows, the view following."""
        table = self.query_one(DataTable)
        if table.row_count:
            header = table.header_height if table.show_header else 0
            half = max(1, (table.scrollable_content_region.height - header) // 2)
            table.move_cursor(row=table.cursor_row + direction * half)

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
        table = self.query_one(DataTable)
        if table.display:  # nothing matched: the box keeps the keys, to mend the filter
            table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_text = ""
            self.refresh_rows()
            self.query_one(DataTable).focus()

    def _sorter(self, key: str) -> Callable[[], None]:
        return lambda: self.sort_by(key, toggle=False)

    def _opener(self, article_id: str) -> Callable[[], object]:
        return lambda: self.post_message(OpenArticle(article_id))

    def palette_commands(self) -> list[PaletteEntry]:
        """The catalogue's commands, then a sort per column and an opener per article."""
        commands = palette_entries(self, LIBRARY)
        sort_key = hint_of(LIBRARY, "sort_next")
        for column in COLUMNS:
            commands.append((f"Sort by {column.label.lower()}", sort_key, self._sorter(column.key)))
        for record in self.records:
            commands.append(
                (
                    f"Open: {one_line(record.title, 'Untitled')}",
                    one_line(record.source),
                    self._opener(record.id),
                )
            )
        return commands
