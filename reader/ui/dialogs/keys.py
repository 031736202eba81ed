"""`?`: every key of the app, the screen underneath's first, including what the footer hides.

The keys come from reader.ui.keymap, which reads the app's own declared bindings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from reader.ui.keymap import KeyGroup, groups_for


def groups_table(groups: Sequence[KeyGroup]) -> Table:
    """A two-column table with a bold heading per group."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for number, group in enumerate(groups):
        if number:
            table.add_row("", "")
        table.add_row(Text(group.title, style="bold underline"), "")
        for keys, does in group.rows:
            table.add_row(Text(keys), Text(does))
    return table


def keys_dialog(screen: Screen[Any]) -> KeysDialog:
    """The help for `screen`: its keys first, then every other screen's."""
    return KeysDialog(groups_table(groups_for(screen)))


class KeysDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("ctrl+d,space,pagedown", "half_page(1)", "Half a page down", show=False),
        Binding("ctrl+u,b,pageup", "half_page(-1)", "Half a page up", show=False),
        Binding("g,home", "edge(0)", "Top", show=False),
        Binding("G,end", "edge(1)", "Bottom", show=False),
    ]

    def __init__(self, table: Table) -> None:
        super().__init__(classes="dialog")
        self.table = table

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Keys", markup=False)
            with VerticalScroll(id="keys"):
                yield Static(self.table)
            yield Label("escape to close", classes="hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        box = self.query_one("#keys", VerticalScroll)
        box.scroll_relative(y=lines, animate=False, immediate=True)

    def action_half_page(self, direction: int) -> None:
        """As vim's ctrl+d/ctrl+u, and the lists' (reader.ui.widgets.vim_list)."""
        box = self.query_one("#keys", VerticalScroll)
        self.action_scroll(direction * max(1, box.size.height // 2))

    def action_edge(self, end: int) -> None:
        box = self.query_one("#keys", VerticalScroll)
        box.scroll_to(y=box.max_scroll_y if end else 0, animate=False, immediate=True)
