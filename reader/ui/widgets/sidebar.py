"""The reading screen's sidebar: entities, key sentences, notes and highlights (OptionLists).

Every prompt is a rich `Text` built from sanitised strings (and the lists are created
with markup off), so a name or note like "[bold]x[/]" is shown as typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.ui.text import one_line, safe_multiline

LABEL_NAMES = {"PERSON": "People", "ORG": "Organisations", "PLACE": "Places", "MISC": "Other"}
LABEL_ORDER = ("PERSON", "ORG", "PLACE", "MISC")
SNIPPET = 120


def snippet(text: str, limit: int = SNIPPET) -> str:
    line = one_line(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class EntityItem:
    index: int
    name: str
    label: str
    count: int


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


class Pane(OptionList):
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
    def show_entities(self, entities: Sequence[EntityItem]) -> None:
        if not entities:
            self.show_message("No names found.")
            return
        options: list[Option] = []
        for label in (*LABEL_ORDER, *sorted({e.label for e in entities} - set(LABEL_ORDER))):
            group = [e for e in entities if e.label == label]
            if not group:
                continue
            heading = Text(f"{LABEL_NAMES.get(label, one_line(label))} ({len(group)})")
            heading.stylize("bold")
            options.append(Option(heading, disabled=True))
            for item in group:
                prompt = Text("  ")
                prompt.append(snippet(item.name, 60))
                prompt.append(f" ×{item.count}", style="dim")
                options.append(Option(prompt, id=f"entity-{item.index}"))
        self.set_options(options)


class KeySentencesPane(Pane):
    def show_key_sentences(self, items: Sequence[KeyItem]) -> None:
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


class Sidebar(Vertical):
    def compose(self) -> ComposeResult:
        yield EntitiesPane("1 Entities", id="entities")
        yield KeySentencesPane("2 Key sentences", id="key-sentences")
        yield NotesPane("3 Notes & highlights", id="notes")
