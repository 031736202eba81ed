"""A one-line modal that asks for a path: the shape shared by 'add an article' and 'export'."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PathDialog(ModalScreen[str | None]):
    """Dismisses with the path typed (stripped; `~` is expanded by the caller) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, prompt: str, hint: str, *, value: str = "", placeholder: str, input_id: str
    ) -> None:
        super().__init__(classes="dialog")
        self.prompt = prompt
        self.hint = hint
        self.value = value
        self.placeholder = placeholder
        self.input_id = input_id

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(self.prompt, markup=False)
            yield Input(self.value, placeholder=self.placeholder, id=self.input_id)
            yield Label(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
