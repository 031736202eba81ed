"""Escape on a dialog holding typed text asks before throwing the text away.

The text lives only in the dialog until it is saved, and escape is also the key that
leaves every screen, so one stray press (or one escape too many in a burst) must not cost
a paragraph. A dialog whose text is as it started closes at once: asking then would only
teach the reader to answer without reading.

`DiscardGuard` is the base of every dialog that takes text (note, tags, the path
dialogs); each says what it holds through `has_unsaved_text` and `discard_question`.
The question is a screen of its own, so keys typed after escape in one burst go to it,
and the ones after its answer go back to the text (see reader.ui.key_gate).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

ResultType = TypeVar("ResultType")


class DiscardConfirm(ModalScreen[bool]):
    """Dismisses with True (discard) on `y` or enter, False (keep typing) on `n` or escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Discard"),
        Binding("n,escape", "answer(False)", "Keep the text"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(classes="dialog discard-confirm")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            line = Text(self.question, style="bold")
            line.append("  y/n", style="not bold")
            yield Static(line, id="discard-question")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class DiscardGuard(ModalScreen[ResultType]):
    """A dialog whose `cancel` action asks first when it holds text the reader changed."""

    discard_question: str = "Discard the text you typed?"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._asking: DiscardConfirm | None = None

    def has_unsaved_text(self) -> bool:
        """True when the text differs from what the dialog opened with."""
        return False

    def action_cancel(self) -> None:
        if not self.has_unsaved_text():
            self.dismiss(None)
            return
        self._asking = DiscardConfirm(self.discard_question)
        self.app.push_screen(self._asking, self._answered)

    def _answered(self, discard: bool | None) -> None:
        self._asking = None
        if discard:
            self.dismiss(None)
        # else: back on this screen, whose focus (and so the text's cursor) Textual restores

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Closing for good while the question is up (ctrl+q saving the text) takes the
        question away first, so it is this dialog that closes, not the question."""
        asking, self._asking = self._asking, None
        if asking is not None and self.app.screen is asking:
            self.app.pop_screen()  # its answer is moot: no callback runs
        return super().dismiss(result)
