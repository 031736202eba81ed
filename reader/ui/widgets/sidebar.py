"""The reading screen's sidebar: the three panes (reader.ui.panes), stacked or one at a time."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from reader.ui.panes.entities import EntitiesPane
from reader.ui.panes.key_sentences import KeySentencesPane
from reader.ui.panes.notes import NotesPane

SIDEBAR_PANES: tuple[tuple[str, str, str], ...] = (
    ("entities", "1", "Entities"),
    ("key-sentences", "2", "Key sentences"),
    ("notes", "3", "Notes & highlights"),
)
"""(id, key, name) of each pane, in order."""


class Sidebar(Vertical):
    """The three panes, stacked; `single` (a narrow terminal) shows one at a time at the
    sidebar's full width, because three 24-column boxes wrap every line into a few words.

    In single mode 1/2/3 (the screen's keys) pick the pane, tab/shift+tab walk through them
    as they would through three visible panes, and the shown pane's title names the other
    two's keys, so nothing is hidden without saying where it is.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cycle(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle(-1)", "Previous pane", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.single = False
        self.shown = SIDEBAR_PANES[0][0]

    def compose(self) -> ComposeResult:
        yield EntitiesPane("1 Entities", id="entities")
        yield KeySentencesPane("2 Key sentences", id="key-sentences")
        yield NotesPane("3 Notes & highlights", id="notes")

    def on_mount(self) -> None:
        self._apply()

    def set_single(self, single: bool) -> None:
        if single != self.single:
            self.single = single
            self.set_class(single, "-single")
            self.refresh_bindings()
            if self.is_mounted:
                self._apply()

    def show_pane(self, pane_id: str) -> None:
        if pane_id in (pid for pid, _, _ in SIDEBAR_PANES) and pane_id != self.shown:
            self.shown = pane_id
            if self.is_mounted:
                self._apply()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle":
            return self.single  # else tab is the screen's: every pane is on screen
        return True

    def action_cycle(self, step: int) -> None:
        ids = [pid for pid, _, _ in SIDEBAR_PANES]
        index = ids.index(self.shown) + step
        if not 0 <= index < len(ids):
            # Past the last (or before the first) pane: on to the text, as with tab.
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        self.show_pane(ids[index])
        self.query_one(f"#{ids[index]}").focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A pane focused by a click or a key is the one to show when the sidebar folds."""
        pane_id = event.widget.id
        if pane_id is not None and any(pane_id == pid for pid, _, _ in SIDEBAR_PANES):
            self.show_pane(pane_id)

    def _apply(self) -> None:
        for pane_id, key, name in SIDEBAR_PANES:
            pane = self.query_one(f"#{pane_id}")
            pane.display = not self.single or pane_id == self.shown
            if not self.single:
                pane.border_title = f"{key} {name}"
                continue
            title = Text(f"{key} {name}", style="bold")
            others = [f"{k} {n}" for pid, k, n in SIDEBAR_PANES if pid != pane_id]
            title.append("   " + " · ".join(others), style="dim")
            pane.border_title = title
