"""`?`: every key the screen underneath answers to, including the ones the footer hides."""

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


def key_table(screen: Screen[Any], extra: Sequence[tuple[str, str]] = ()) -> Table:
    """Keys and descriptions from the screen's active bindings, in binding order."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        description = binding.description or binding.action
        if binding.system and not binding.description:
            continue
        display = screen.app.get_key_display(binding)
        seen.setdefault(description, [])
        if display not in seen[description]:
            seen[description].append(display)
    for description, keys in seen.items():
        table.add_row(Text(" / ".join(keys)), Text(description))
    for key, description in extra:
        table.add_row(Text(key), Text(description))
    return table


class KeysDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close"),
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
