"""The table of contents (`c` while reading): a book's chapters, to jump to one.

The dialog only answers (the chosen chapter's index); the reading screen makes the jump,
so it goes on the jump list and leaves the bookmark where the reader read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.article.document import Chapter
from reader.ui.text import one_line
from reader.ui.widgets.vim_list import VimOptionList

TITLE_WIDTH = 50


def chapter_prompt(chapter: Chapter, share: float, current: bool) -> Text:
    """ "▸ The storm ……… 8%": indented by level, the reader's chapter marked."""
    indent = "  " * (max(1, chapter.level) - 1)
    title = one_line(chapter.title) or "Untitled"
    room = TITLE_WIDTH - len(indent)
    if len(title) > room:
        title = title[: room - 1] + "…"
    prompt = Text("▸ " if current else "  ", style="bold")
    prompt.append(indent + title, style="bold" if current else "")
    prompt.append(" " * (room - len(title) + 1))
    prompt.append(f"{share:>4.0%}", style="dim")
    return prompt


class ContentsDialog(ModalScreen[int | None]):
    """Dismisses with the index of the chosen chapter, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,c", "close", "Close")]
    KEYS_EXTRA: ClassVar[list[tuple[str, str]]] = [("enter", "Jump to the chapter")]

    def __init__(self, chapters: Sequence[Chapter], shares: Sequence[float], current: int) -> None:
        """`shares`: each chapter's part of the book's words; `current`: the reader's."""
        super().__init__(classes="dialog")
        self.chapters = list(chapters)
        self.shares = list(shares)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            heading = Text("Contents", style="bold")
            heading.append(f" · {len(self.chapters)} chapters · share of the book", style="dim")
            yield Static(heading, id="question")
            options = [
                Option(chapter_prompt(chapter, share, number == self.current), id=str(number))
                for number, (chapter, share) in enumerate(
                    zip(self.chapters, self.shares, strict=True)
                )
            ]
            yield VimOptionList(*options, id="contents", markup=False)

    def on_mount(self) -> None:
        listing = self.query_one("#contents", VimOptionList)
        listing.highlighted = self.current
        listing.focus()

    @on(OptionList.OptionSelected, "#contents")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_close(self) -> None:
        self.dismiss(None)
