"""Ask for the path of a file to import; the app does the importing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class AddArticleDialog(ModalScreen[str | None]):
    """Dismisses with the path typed (stripped, `~` expanded later) or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Add an article: path to a .txt or .md file", markup=False)
            yield Input(placeholder="~/Downloads/article.txt", id="path")
            yield Label("enter to add · escape to cancel", classes="hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
