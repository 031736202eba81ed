"""The Entities pane: the article's names by kind, and the reader's corrections to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets.option_list import Option

from reader.ui.panes.base import Pane, snippet
from reader.ui.text import one_line
from reader.ui.widgets.item_option import ItemOption, item_of

LABEL_NAMES = {"PERSON": "People", "ORG": "Organisations", "PLACE": "Places", "MISC": "Other"}
LABEL_ORDER = ("PERSON", "ORG", "PLACE", "MISC")


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

    def show_entities(self, entities: Sequence[EntityItem]) -> None:
        """Kinds in a fixed order, then "Not names"; the chosen name stays chosen."""
        chosen = self.chosen_entity
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
                options.append(ItemOption(prompt, item, id=f"entity-{item.index}"))
        self.set_options(options)
        if chosen is not None:
            for number, option in enumerate(options):
                if (listed := item_of(option, EntityItem)) and listed.index == chosen.index:
                    self.highlighted = number
                    break

    @property
    def chosen_entity(self) -> EntityItem | None:
        option = self.highlighted_option
        return item_of(option, EntityItem)

    def action_retype(self) -> None:
        entity = self.chosen_entity
        if entity is not None:
            self.post_message(self.Retype(entity))

    def action_hide(self) -> None:
        entity = self.chosen_entity
        if entity is not None:
            self.post_message(self.Hide(entity))
