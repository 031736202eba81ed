"""Write or edit a note: a multi-line TextArea under the sentence it belongs to.

The dialog saves through the caller's `save` and closes only once that went through: a
note the store refused stays here, with the reason (see reader.ui.dialogs.save_failure).
Escape asks before dropping a changed note (reader.ui.dialogs.discard_guard).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from reader.ui.dialogs.discard_guard import DiscardGuard
from reader.ui.dialogs.save_failure import SaveFailure
from reader.ui.text import one_line, safe_multiline


class NoteDialog(DiscardGuard[str | None]):
    """Dismisses with the saved note text on ctrl+s, None on escape (or when left empty)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(
        self,
        sentence: str,
        text: str = "",
        *,
        save: Callable[[str], object],
        editing: bool = False,
        heading: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.sentence = sentence
        self.initial = text
        self.save = save
        self.editing = editing
        self.heading = heading
        self.discard_question = (
            "Discard your changes to the note?" if text.strip() else "Discard the note you typed?"
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            heading = self.heading or ("Edit note" if self.editing else "New note")
            yield Label(heading, markup=False)
            snippet = one_line(self.sentence)
            if len(snippet) > 200:
                snippet = snippet[:199] + "…"
            yield Static(Text(snippet, style="italic"), id="note-sentence")
            yield TextArea(safe_multiline(self.initial), id="note-text", soft_wrap=True)
            yield SaveFailure("Note", "ctrl+s")
            yield Label("ctrl+s to save · escape to cancel", classes="hint", markup=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.dismiss(None)
        elif self.query_one(SaveFailure).attempt(lambda: self.save(text)):
            self.dismiss(text)

    def has_unsaved_text(self) -> bool:
        return self.query_one(TextArea).text.strip() != safe_multiline(self.initial).strip()

    def save_before_quit(self) -> bool:
        """Quitting keeps what was typed: saved like ctrl+s, unless it is unchanged."""
        text = self.query_one(TextArea).text.strip()
        if not text or not self.has_unsaved_text():
            return True
        if not self.query_one(SaveFailure).attempt(lambda: self.save(text)):
            return False
        self.dismiss(text)
        return True
