"""The Key sentences pane: the analysis's ranked sentences, in text order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from reader.ui.panes.base import Pane, snippet
from reader.ui.widgets.item_option import ItemOption


@dataclass(frozen=True)
class KeyItem:
    rank: int
    sentence: int
    text: str


class KeySentencesPane(Pane):
    def show_key_sentences(
        self, items: Sequence[KeyItem], ranked: int | None = None, *, scope: str = ""
    ) -> None:
        """`ranked`: how many could be shown; the subtitle then says how many are, and that
        + and - change it. `scope`: "chapter 3" or "whole book", for a book."""
        counts = f"{len(items)} of {ranked} · + −" if ranked else ""
        self.border_subtitle = " · ".join(part for part in (scope, counts) if part)
        if not items:
            self.show_message("No key sentences.")
            return
        options = []
        for item in items:
            prompt = Text(f"{item.rank:>2}. ", style="bold")
            prompt.append(snippet(item.text))
            options.append(ItemOption(prompt, item, id=f"key-{item.sentence}"))
        self.set_options(options)
