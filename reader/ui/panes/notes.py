"""The Notes & highlights pane: the reader's own marks on the article, in text order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets.option_list import Option

from reader.ui.panes.base import Pane, snippet
from reader.ui.text import safe_multiline
from reader.ui.widgets.item_option import ItemOption, item_of


@dataclass(frozen=True)
class NoteItem:
    note_id: int
    start: int
    sentence: str
    text: str
    detached: bool = False  # see NoteRecord.detached


@dataclass(frozen=True)
class HighlightItem:
    highlight_id: int
    start: int
    passage: str
    note: str
    detached: bool = False


DETACHED = "no longer in the text: "
"""Said before a detached passage, which is listed after the rest (it has no place)."""


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
        items: list[tuple[bool, int, int, Option]] = []
        for note in notes:
            prompt = Text()
            if note.detached:
                prompt.append(DETACHED, style="bold")
            prompt.append(snippet(note.sentence, 80), style="italic dim")
            prompt.append("\n")
            prompt.append(safe_multiline(note.text))
            items.append(
                (note.detached, note.start, 1, ItemOption(prompt, note, id=f"note-{note.note_id}"))
            )
        for mark in highlights:
            prompt = Text("┃ ", style="bold")
            if mark.detached:
                prompt.append(DETACHED, style="bold")
            prompt.append(snippet(mark.passage, 80), style="italic")
            if mark.note:
                prompt.append("\n")
                prompt.append(safe_multiline(mark.note))
            option = ItemOption(prompt, mark, id=f"highlight-{mark.highlight_id}")
            items.append((mark.detached, mark.start, 0, option))
        items.sort(key=lambda item: item[:3])
        self.set_options([option for *_, option in items])

    @property
    def highlighted_item(self) -> NoteItem | HighlightItem | None:
        option = self.highlighted_option
        return item_of(option, NoteItem) or item_of(option, HighlightItem)

    @property
    def highlighted_note_id(self) -> int | None:
        item = self.highlighted_item
        return item.note_id if isinstance(item, NoteItem) else None
