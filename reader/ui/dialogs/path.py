"""A one-line modal that asks for a path: the shape shared by 'add an article' and 'export'.

The path completes from the filesystem (reader.ui.path_suggester): the completion shows
dimmed after the cursor, and Tab or right arrow takes it. A path the caller cannot use
is said inside the dialog (`show_error`), with the typed path kept for fixing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from reader.ui.dialogs.discard_guard import DiscardGuard
from reader.ui.path_suggester import PathSuggester
from reader.ui.text import one_line


class PathInput(Input):
    """Tab takes the path's completion; with nothing to complete it moves focus as usual."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete the path", show=False)
    ]

    def __init__(self, value: str, suggester: PathSuggester, **kwargs: Any) -> None:
        super().__init__(value, suggester=suggester, **kwargs)
        self.paths = suggester

    def action_complete(self) -> None:
        if not self.cursor_at_end:
            raise SkipAction()
        completed, choices = self.paths.complete(self.value)
        dialog = self.screen
        if isinstance(dialog, PathDialog):
            dialog.show_choices(choices, completed)
        if completed == self.value:
            if choices:
                return  # several ways on: they are listed, and focus stays here
            raise SkipAction()
        self.value = completed
        self.cursor_position = len(completed)


class PathDialog(DiscardGuard[str | None]):
    """Dismisses with the path typed (stripped; `~` is expanded by the caller) or None.

    `submit` decides what enter does: here, close with the path; the add dialog imports
    first and stays open on an error."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    discard_question = "Discard the path you typed?"

    def __init__(
        self,
        prompt: str,
        hint: str,
        *,
        value: str = "",
        placeholder: str,
        input_id: str,
        subject: str | None = None,
        suffixes: Sequence[str] | None = None,
        folders_only: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.prompt = prompt
        self.hint = hint
        self.value = value
        self.placeholder = placeholder
        self.input_id = input_id
        self.subject = subject
        self.path_suggester = PathSuggester(suffixes=suffixes, folders_only=folders_only)
        self._choices_for: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(self.prompt, markup=False)
            if self.subject is not None:
                # One line, cut with an ellipsis: a long title must not push the box apart.
                yield Static(Text(one_line(self.subject), style="italic"), classes="subject")
            yield PathInput(
                self.value, self.path_suggester, placeholder=self.placeholder, id=self.input_id
            )
            yield Static(id="path-choices", classes="hint")
            yield Static(id="path-progress", classes="hint")
            yield Static(id="path-error")
            yield Label(self.hint, classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def has_unsaved_text(self) -> bool:
        return self.query_one(Input).value.strip() != self.value.strip()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value.strip())

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.value != self._choices_for:  # typing on: the listed names are stale
            self.show_choices([])

    def submit(self, path: str) -> None:
        self.dismiss(path or None)

    def show_error(self, message: str) -> None:
        """Say inside the dialog why the path cannot be used; the path stays for fixing."""
        error = self.query_one("#path-error", Static)
        error.update(Text(message))
        error.add_class("-shown")
        self.refocus()

    def refocus(self) -> None:
        """Back to the path to mend it: the first focus selected the offered path so that
        typing replaces it; now the next key must edit it, not wipe it."""
        box = self.query_one(Input)
        box.select_on_focus = False
        box.focus()

    def clear_error(self) -> None:
        self.query_one("#path-error", Static).remove_class("-shown")

    def show_progress(self, message: str | None) -> None:
        """What the dialog is doing with the path (None: nothing any more)."""
        progress = self.query_one("#path-progress", Static)
        progress.update(Text(message or ""))
        progress.set_class(message is not None, "-shown")

    def show_choices(self, names: Sequence[str], value: str | None = None) -> None:
        """The names Tab could go on to from `value`, when it found several."""
        self._choices_for = value if names else None
        choices = self.query_one("#path-choices", Static)
        choices.update(Text("  ".join(names)))
        choices.set_class(bool(names), "-shown")
