"""Which kind of name an entity is: the reader's answer when the tagger got it wrong.

One key per kind (`p` person, `o` organisation, `l` place, `m` other), or move and press
enter; escape leaves the kind as it was. The dialog only answers: the reading screen
stores the correction, for every article that has the name.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.ui.text import one_line
from reader.ui.widgets.vim_list import VimOptionList

KINDS = (
    ("PERSON", "p", "Person"),
    ("ORG", "o", "Organisation"),
    ("PLACE", "l", "Place"),
    ("MISC", "m", "Other"),
)


class EntityKindDialog(ModalScreen[str | None]):
    """Dismisses with the chosen label (PERSON, ORG, PLACE or MISC), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"choose('{label}')", name, show=False) for label, key, name in KINDS),
        Binding("escape,q", "choose('')", "Cancel"),
    ]

    def __init__(self, name: str, label: str) -> None:
        super().__init__(classes="dialog")
        self.entity_name = name
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            question = Text("What is ")
            question.append(f"“{one_line(self.entity_name)}”", style="bold")
            question.append("? Every article naming it will show it so.")
            yield Static(question, id="question")
            options = []
            for label, key, name in KINDS:
                prompt = Text(f"{key}  ", style="bold")
                prompt.append(name)
                if label == self.label:
                    prompt.append("  (now)", style="dim")
                options.append(Option(prompt, id=label))
            yield VimOptionList(*options, id="entity-kinds", markup=False)

    def on_mount(self) -> None:
        kinds = self.query_one("#entity-kinds", VimOptionList)
        kinds.highlighted = next(
            (i for i, (label, _, _) in enumerate(KINDS) if label == self.label), 0
        )
        kinds.focus()

    @on(OptionList.OptionSelected, "#entity-kinds")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self, label: str) -> None:
        self.dismiss(label or None)
