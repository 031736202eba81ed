"""Notes and highlights: `n` writes a note (on a highlight, its note), `e` edits, `x`
deletes; `h` highlights the sentence or the `v` selection, `u` removes one.

Every write is a small store call on the UI thread; the note dialog saves its own text and
stays open with it when the store refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from reader.plural import counted
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.note import NoteDialog
from reader.ui.panes.notes import HighlightItem, NoteItem, NotesPane
from reader.ui.reading.base import ReadingBase
from reader.ui.text import one_line

if TYPE_CHECKING:
    from reader.store import NoteRecord
    from reader.store.records import HighlightRecord


class AnnotationsMixin(ReadingBase):
    def _load_notes(self) -> None:
        """Re-read notes and highlights (one small read each) and redraw their marks."""
        self.notes = self.library.notes(self.record.id)
        self.highlights = self.library.highlights(self.record.id)
        self.query_one(NotesPane).show_notes(
            [NoteItem(n.id, n.start, n.passage(self.text), n.text, n.detached) for n in self.notes],
            [
                HighlightItem(h.id, h.start, h.passage(self.text), h.note, h.detached)
                for h in self.highlights
            ],
        )
        # A detached one marks nothing in the text: its passage is no longer there.
        self.view.set_notes(
            [(n.start, n.end) for n in self.notes if not n.detached]
            + [(h.start, h.end) for h in self.highlights if h.note and not h.detached]
        )
        self.view.set_highlights((h.start, h.end) for h in self.highlights if not h.detached)
        if self.is_mounted:
            self._update_status()

    def _note_for_action(self) -> NoteRecord | None:
        """The note highlighted in the Notes pane, else the first one on the cursor sentence."""
        pane = self.query_one(NotesPane)
        note_id = pane.highlighted_note_id if pane.has_focus else None
        if note_id is not None:
            return next((n for n in self.notes if n.id == note_id), None)
        start, end = self.view.cursor_span
        on_sentence = [n for n in self.notes if n.start < end and n.end > start and not n.detached]
        if on_sentence:
            return on_sentence[0]
        note_id = pane.highlighted_note_id
        return next((n for n in self.notes if n.id == note_id), None)

    def action_add_note(self) -> None:
        """A note on the sentence; on a highlighted sentence, the highlight's own note."""
        if not self._writable("notes"):
            return
        highlight = self.highlight_at_cursor()
        if highlight is not None:
            self.edit_highlight_note(highlight)
            return
        start, end = self.view.cursor_span
        if end <= start:
            return

        def save(text: str) -> None:
            self.library.add_note(self.record.id, start, end, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self._load_notes()
                self.notify("Note saved.")

        self.app.push_screen(NoteDialog(self.text[start:end], save=save), saved)

    def action_edit_note(self) -> None:
        note = self._note_for_action()
        if note is None:
            highlight = self.highlight_at_cursor()
            if highlight is not None and highlight.note:
                self.edit_highlight_note(highlight)
                return
            self.notify("No note here to edit.", severity="warning")
            return

        def save(text: str) -> None:
            self.library.update_note(note.id, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self._load_notes()

        dialog = NoteDialog(note.passage(self.text), note.text, save=save, editing=True)
        self.app.push_screen(dialog, saved)

    def action_delete_note(self) -> None:
        note = self._note_for_action()
        if note is None:
            highlight = self.highlight_at_cursor()
            if highlight is not None and highlight.note:
                self._delete_highlight_note(highlight)
                return
            self.notify("No note here to delete.", severity="warning")
            return
        question = Text("Delete the note “")
        question.append(one_line(note.text)[:60])
        question.append("”?")

        def answered(yes: bool | None) -> None:
            if yes and self._write(lambda: self.library.delete_note(note.id)):
                self._load_notes()
                self.notify("Note deleted.")

        self.app.push_screen(ConfirmDialog(question), answered)

    # ------------------------------------------------------------- highlights

    def highlight_at_cursor(self) -> HighlightRecord | None:
        """The highlight the action is about: the one picked in the Notes pane when it has
        focus, else the shortest one covering the cursor sentence."""
        pane = self.query_one(NotesPane)
        mark = pane.highlighted_item if pane.has_focus else None
        if isinstance(mark, HighlightItem):
            return next((h for h in self.highlights if h.id == mark.highlight_id), None)
        start, end = self.view.cursor_span
        covering = [
            h for h in self.highlights if h.start < end and h.end > start and not h.detached
        ]
        return min(covering, key=lambda h: (h.end - h.start, h.start), default=None)

    def action_select(self) -> None:
        """`v`: start a selection at the cursor (again: cancel it); `h` saves it."""
        if self._anchor is not None:
            self._cancel_selection()
            return
        self._anchor_at = self.view.cursor_span[0]
        self.view.set_selection((self.view.cursor, self.view.cursor))
        self._update_status()

    def action_highlight(self) -> None:
        """Highlight the sentence, or the selection from `v` to the cursor."""
        if not self.view.sentences:
            return
        first = last = self.view.cursor
        if self._anchor is not None:
            first, last = sorted((self._anchor, self.view.cursor))
        self._cancel_selection()
        if not self._writable("highlights"):
            return
        start, end = self.view.span_of(first, last)
        if any((h.start, h.end) == (start, end) for h in self.highlights):
            self.notify("Already highlighted (u removes it).")
            return
        if self._write(lambda: self.library.add_highlight(self.record.id, start, end)):
            self._load_notes()
            count = last - first + 1
            self.notify(f"Highlighted {counted(count, 'sentence')}.")

    def edit_highlight_note(self, highlight: HighlightRecord) -> None:
        def save(text: str) -> None:
            self.library.set_highlight_note(highlight.id, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self._load_notes()
                self.notify("Highlight note saved.")

        dialog = NoteDialog(
            highlight.passage(self.text),
            highlight.note,
            save=save,
            editing=bool(highlight.note),
            heading="Note on the highlight",
        )
        self.app.push_screen(dialog, saved)

    def _delete_highlight_note(self, highlight: HighlightRecord) -> None:
        question = Text("Delete the highlight's note “")
        question.append(one_line(highlight.note)[:60])
        question.append("”? (The highlight stays.)")

        def answered(yes: bool | None) -> None:
            if yes and self._write(lambda: self.library.set_highlight_note(highlight.id, "")):
                self._load_notes()
                self.notify("Note deleted.")

        self.app.push_screen(ConfirmDialog(question), answered)

    def action_remove_highlight(self) -> None:
        """`u`: remove the highlight under the cursor; one with a note asks first."""
        highlight = self.highlight_at_cursor()
        if highlight is None:
            self.notify("No highlight here.", severity="warning")
            return
        if not self._writable("highlights"):
            return

        def remove() -> None:
            if self._write(lambda: self.library.remove_highlight(highlight.id)):
                self._load_notes()
                self.notify("Highlight removed.")

        if not highlight.note:
            remove()
            return
        question = Text("Remove the highlight and its note “")
        question.append(one_line(highlight.note)[:60])
        question.append("”?")
        self.app.push_screen(
            ConfirmDialog(question, confirm_label="Remove"),
            lambda yes: remove() if yes else None,
        )
