"""What a dialog that takes text does when the store refuses to save it.

The text the reader typed lives only in the dialog until it is on disk, so a refused save
(a full disk, a folder that cannot be written) keeps the dialog open with the text intact,
says what failed inside the dialog (and once as a notification, not on every retry), and
the same key tries again. Quitting asks such dialogs to save first (`KeepsText`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.widgets import Static

from reader.ui.text import one_line


@runtime_checkable
class KeepsText(Protocol):
    """A screen holding text the reader typed that is not saved yet."""

    def save_before_quit(self) -> bool:
        """Save what is typed; False (with the reason shown) if the store refused."""
        ...


class SaveFailure(Static):
    """Hidden until a save fails; then the reason and what to do, in the dialog itself."""

    DEFAULT_CSS = "SaveFailure { display: none; } SaveFailure.-failed { display: block; }"

    def __init__(self, what: str, retry_key: str) -> None:
        super().__init__(id="save-failure")
        self.what = what
        self.retry_key = retry_key
        self.failed = False

    def attempt(self, save: Callable[[], object]) -> bool:
        """Run `save`; True if it went through, else the failure is shown and False."""
        from reader.store import StoreError

        try:
            save()
        except StoreError as error:
            reason = one_line(str(error)) or type(error).__name__
            message = Text(f"{self.what} not saved: ", style="bold")
            message.append(reason)
            message.append(
                f"\nYour text is kept here: {self.retry_key} tries again; escape asks "
                "before discarding it.",
                style="italic",
            )
            self.update(message)
            if not self.failed:
                self.notify(reason, title=f"{self.what} not saved", severity="error", markup=False)
            self.failed = True
            self.add_class("-failed")
            return False
        return True
