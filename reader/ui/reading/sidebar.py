"""The sidebar: beside the text when wide, folded below it when narrow, and what choosing
a key sentence, a note or a sentence with the mouse does."""

from __future__ import annotations

from textual import on
from textual.widgets import OptionList

from reader.ui.panes.key_sentences import KeyItem
from reader.ui.panes.notes import HighlightItem, NoteItem
from reader.ui.reading.base import ReadingBase
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.item_option import item_of
from reader.ui.widgets.sidebar import Sidebar

NARROW = 110
"""Below this width the sidebar folds away (shown below the text with `s`)."""


class SidebarMixin(ReadingBase):
    def on_resize(self) -> None:
        self._update_layout(self.size.width)

    def _update_layout(self, width: int) -> None:
        """Wide: the sidebar's three panes beside the text. Narrow: folded below the text
        until `s` or 1-3, and then one pane at a time across the whole width."""
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        shown = self.sidebar_choice if self.sidebar_choice is not None else not narrow
        sidebar = self.query_one(Sidebar)
        sidebar.set_single(narrow)
        sidebar.display = shown

    @on(OptionList.OptionSelected, "#key-sentences")
    def _key_chosen(self, event: OptionList.OptionSelected) -> None:
        item = item_of(event.option, KeyItem)
        if item is not None:
            self._jump_to(item.sentence)

    @on(OptionList.OptionSelected, "#notes")
    def _note_chosen(self, event: OptionList.OptionSelected) -> None:
        start: int | None = None
        chosen = item_of(event.option, HighlightItem) or item_of(event.option, NoteItem)
        if chosen is not None and chosen.detached:
            self.notify(
                "Its passage is no longer in this article's text (it changed when the article "
                "was read again); the note is kept with the passage it was made on.",
                severity="warning",
                markup=False,
            )
            return
        if (mark := item_of(event.option, HighlightItem)) is not None:
            start = next((h.start for h in self.highlights if h.id == mark.highlight_id), None)
        elif (note := item_of(event.option, NoteItem)) is not None:
            start = next((n.start for n in self.notes if n.id == note.note_id), None)
        if start is not None:
            self._jump_to(self.view.sentence_at(start))

    @on(ArticleView.SentenceClicked)
    def _clicked(self, event: ArticleView.SentenceClicked) -> None:
        self._move_to(event.index, scroll=False)

    def action_focus_pane(self, pane: str) -> None:
        sidebar = self.query_one(Sidebar)
        if pane != "article":
            sidebar.show_pane(pane)  # folded to one pane: this one
            if not sidebar.display:
                self.sidebar_choice = True
                self._update_layout(self.size.width)
        self.query_one(f"#{pane}").focus()

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        self.sidebar_choice = not sidebar.display
        self._update_layout(self.size.width)
        if not sidebar.display:
            self.view.focus()
