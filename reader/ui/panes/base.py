"""What the sidebar's panes share: the list that speaks when empty, and short prompts.

Every prompt is a rich `Text` built from sanitised strings (and the lists are created
with markup off), so a name or note like "[bold]x[/]" is shown as typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from reader.ui.text import one_line
from reader.ui.widgets.vim_list import VimOptionList

SNIPPET = 120


def snippet(text: str, limit: int = SNIPPET) -> str:
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Pane(VimOptionList):
    """An OptionList that says what it's waiting for instead of being blank."""

    DEFAULT_CSS = """
    Pane { height: 1fr; }
    """

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = title

    def show_message(self, message: str) -> None:
        self.set_options([Option(Text(message, style="italic"), disabled=True)])
