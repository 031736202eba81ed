"""The reading screen's sidebar panes, one module each; `reader.ui.widgets.sidebar` stacks
them, and `reader.ui.keymap` reads their keys from `PANES`."""

from __future__ import annotations

from reader.ui.panes.base import Pane
from reader.ui.panes.entities import EntitiesPane
from reader.ui.panes.key_sentences import KeySentencesPane
from reader.ui.panes.notes import NotesPane

PANES: tuple[type[Pane], ...] = (EntitiesPane, KeySentencesPane, NotesPane)
"""In the sidebar's order."""

__all__ = ["PANES", "EntitiesPane", "KeySentencesPane", "NotesPane", "Pane"]
