"""The reading screen's status line widget (what it says is ReadingBase._update_status)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    """% read, time left at the reader's pace, and what the analysis is doing.

    A one-line widget whose content never changes its size: updating it repaints the line
    without the full-screen layout pass `Static.update` asks for on every cursor move.
    """

    DEFAULT_CSS = "StatusLine { height: 1; }"

    status: reactive[Text] = reactive(Text, layout=False)

    def render(self) -> Text:
        return self.status
