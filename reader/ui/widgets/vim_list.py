"""An OptionList that answers a terminal reader's keys: j/k, g/G, ctrl+d/ctrl+u.

Every list in the app (the panes, the summary, search hits) is one of these, so the keys
that move the article's cursor move the list instead whenever a list has the focus: a
focused widget's bindings come before its screen's.
"""

from __future__ import annotations

from typing import ClassVar

from textual import _widget_navigation
from textual.binding import Binding, BindingType
from textual.widgets import OptionList

VIM_LIST_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
    Binding("ctrl+d", "half_page(1)", "Half a page down", show=False),
    Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False),
]


class VimOptionList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = VIM_LIST_BINDINGS

    def action_half_page(self, direction: int) -> None:
        """Move by half the visible height, in lines, as vim's ctrl+d/ctrl+u do."""
        if not self.option_count:
            return
        if self.highlighted is None:
            self.action_first()
            return
        step = max(1, self.scrollable_content_region.height // 2)
        # OptionList keeps which line each option starts on (private, but stable across
        # Textual 8; pinned below 9 in pyproject.toml): options can wrap to several lines.
        lines = self._lines
        start = self._index_to_line[self.highlighted]
        y = max(0, min(len(lines) - 1, start + step * direction))
        self.highlighted = _widget_navigation.find_next_enabled_no_wrap(
            candidates=self._options,
            anchor=lines[y][0],
            direction=-1 if direction < 0 else 1,
            with_anchor=True,
        )
