"""The reading screen's sidebar: entities, key sentences, notes and highlights (OptionLists).

Every prompt is a rich `Text` built from sanitised strings (and the lists are created
with markup off), so a name or note like "[bold]x[/]" is shown as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets.option_list import Option

from reader.ui.text import one_line, safe_multiline
from reader.ui.widgets.vim_list import VimOptionList

LABEL_NAMES = {"PERSON": "People", "ORG": "Organisations", "PLACE": "Places", "MISC": "Other"}
LABEL_ORDER = ("PERSON", "ORG", "PLACE", "MISC")
SNIPPET = 120


def snippet(text: str, limit: int = SNIPPET) -> str:
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class EntityItem:
    """`hidden`: the reader said this is no name; it is listed apart, to be brought back."""

    index: int
    name: str
    label: str
    count: int
    hidden: bool = False

    def corrected(self, label: str | None, hidden: bool) -> EntityItem:
        return replace(self, label=label or self.label, hidden=hidden)


@dataclass(frozen=True)
class KeyItem:
    rank: int
    sentence: int
    text: str


@dataclass(frozen=True)
class NoteItem:
    note_id: int
    start: int
    sentence: str
    text: str


@dataclass(frozen=True)
class HighlightItem:
    highlight_id: int
    start: int
    passage: str
    note: str


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


class EntitiesPane(Pane):
    """Names by kind, then the ones the reader hid; `r` retypes the chosen one, `X` hides it
    (or, on a hidden one, brings it back). The pane only asks: the screen stores the answer.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "retype", "Retype name", show=False),
        Binding("X,delete", "hide", "Not a name / show again", show=False),
    ]

    @dataclass
    class Retype(Message):
        """The reader wants to choose another kind for `entity`."""

        entity: EntityItem

    @dataclass
    class Hide(Message):
        """The reader says `entity` is no name (or, when it is hidden, that it is one)."""

        entity: EntityItem

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        self._items: dict[str, EntityItem] = {}

    def show_entities(self, entities: Sequence[EntityItem]) -> None:
        """Kinds in a fixed order, then "Not names"; the chosen name stays chosen."""
        chosen = self.chosen_entity
        self._items = {f"entity-{e.index}": e for e in entities}
        if not entities:
            self.show_message("No names found.")
            return
        shown = [e for e in entities if not e.hidden]
        labels = (*LABEL_ORDER, *sorted({e.label for e in shown} - set(LABEL_ORDER)))
        groups: list[tuple[str, list[EntityItem]]] = [
            (LABEL_NAMES.get(label, one_line(label)), [e for e in shown if e.label == label])
            for label in labels
        ]
        groups.append(("Not names", [e for e in entities if e.hidden]))
        options: list[Option] = []
        for title, group in groups:
            if not group:
                continue
            heading = Text(f"{title} ({len(group)})")
            heading.stylize("bold")
            options.append(Option(heading, disabled=True))
            for item in group:
                prompt = Text("  ")
                prompt.append(snippet(item.name, 60), style="dim strike" if item.hidden else "")
                prompt.append(f" ×{item.count}", style="dim")
                options.append(Option(prompt, id=f"entity-{item.index}"))
        self.set_options(options)
        if chosen is not None and f"entity-{chosen.index}" in self._items:
            self.highlighted = self.get_option_index(f"entity-{chosen.index}")

    @property
    def chosen_entity(self) -> EntityItem | None:
        option = self.highlighted_option
        return None if option is None or option.id is None else self._items.get(option.id)

    def action_retype(self) -> None:
        entity = self.chosen_entity
        if entity is not None:
            self.post_message(self.Retype(entity))

    def action_hide(self) -> None:
        entity = self.chosen_entity
        if entity is not None:
            self.post_message(self.Hide(entity))


class KeySentencesPane(Pane):
    def show_key_sentences(self, items: Sequence[KeyItem], ranked: int | None = None) -> None:
        """`ranked`: how many could be shown; the subtitle then says how many are, and that
        + and - change it."""
        self.border_subtitle = f"{len(items)} of {ranked} · + −" if ranked else ""
        if not items:
            self.show_message("No key sentences.")
            return
        options = []
        for item in items:
            prompt = Text(f"{item.rank:>2}. ", style="bold")
            prompt.append(snippet(item.text))
            options.append(Option(prompt, id=f"key-{item.sentence}"))
        self.set_options(options)


class NotesPane(Pane):
    """The reader's notes and highlights, merged in text order."""

    def show_notes(
        self, notes: Sequence[NoteItem], highlights: Sequence[HighlightItem] = ()
    ) -> None:
        if not notes and not highlights:
            self.show_message(
                "No notes yet. Press n to add one on the current sentence, h to highlight it."
            )
            return
        items: list[tuple[int, int, Option]] = []
        for note in notes:
            prompt = Text(snippet(note.sentence, 80), style="italic dim")
            prompt.append("\n")
            prompt.append(safe_multiline(note.text))
            items.append((note.start, 1, Option(prompt, id=f"note-{note.note_id}")))
        for mark in highlights:
            prompt = Text("┃ ", style="bold")
            prompt.append(snippet(mark.passage, 80), style="italic")
            if mark.note:
                prompt.append("\n")
                prompt.append(safe_multiline(mark.note))
            items.append((mark.start, 0, Option(prompt, id=f"highlight-{mark.highlight_id}")))
        items.sort(key=lambda item: (item[0], item[1]))
        self.set_options([option for _, _, option in items])

    @property
    def highlighted_note_id(self) -> int | None:
        option = self.highlighted_option
        if option is None or option.id is None or not option.id.startswith("note-"):
            return None
        return int(option.id.removeprefix("note-"))


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
