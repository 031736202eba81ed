"""`U` on the library: the articles deleted in the last 30 days, to put one back.

The dialog only chooses: it dismisses with the chosen trash entry's id and the library
screen restores it, as `u` does for the last delete, so both say the same and put the
cursor on the article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store.trash import TrashEntry


class TrashDialog(ModalScreen[str | None]):
    """Dismisses with an entry id (enter on its row), or None."""

    DEFAULT_CSS = """
    TrashDialog #dialog-box { width: 100; }
    TrashDialog #trash-rows { height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
    ]

    def __init__(self, entries: list[TrashEntry]) -> None:
        super().__init__(classes="dialog")
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Trash: deleted articles are kept 30 days", markup=False)
            table: DataTable[Text] = DataTable(cursor_type="row", id="trash-rows")
            yield table
            hint = "enter restores the article · escape closes"
            if not self.entries:
                hint = "The trash is empty. · escape closes"
            yield Label(hint, classes="hint", markup=False, id="trash-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Deleted", "Title", "With")
        for entry in self.entries:
            title = one_line(entry.title, "Untitled")
            with_it = "cannot be read" if entry.damaged else entry.contents or "—"
            when = entry.deleted_at[:16].replace("T", " ")
            table.add_row(Text(when), Text(title[:50]), Text(with_it), key=entry.id)
        table.display = bool(self.entries)
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.dismiss(str(event.row_key.value))

    def action_close(self) -> None:
        self.dismiss(None)
