"""The Library's notes and highlights: adding, editing and removing them, listing them fast."""

from __future__ import annotations

from typing import TypeVar

from reader.store.annotations import HIGHLIGHT, NOTE, Annotations
from reader.store.errors import StoreError
from reader.store.fields import Doc, now
from reader.store.library_base import LibraryBase, serialized
from reader.store.records import HighlightRecord, NoteRecord
from reader.store.retext import selector

A = TypeVar("A", NoteRecord, HighlightRecord)


class MarksMixin(LibraryBase):
    def _add_annotation(
        self, store: Annotations[A], article_id: str, start: int, end: int, text: str
    ) -> A:
        quote = self._quote(article_id, start, end)
        with self._together():  # the id's mark and the record land together
            record = store.add(article_id, start, end, text, now(), quote)
        self._emit(store.kind.changed, article_id, record.id)
        return record

    def _quote(self, article_id: str, start: int, end: int) -> Doc:
        """The passage's quote fields; none when the text cannot be read (the offsets still
        hold, and the quote is taken from them if the text ever changes)."""
        cached = self._quoted_text
        if cached is None or cached[0] != article_id:
            try:
                cached = (article_id, self.load_article(article_id).text)
            except StoreError:
                return {}
            self._quoted_text = cached
        return selector(cached[1], start, end)

    def _set_annotation_text(self, store: Annotations[A], ref: int, text: str) -> A:
        self._require_writable()
        if not isinstance(text, str):
            raise TypeError(f"{store.kind.text_name} must be a string")
        record = store.set_text(ref, text, now())
        self._emit(store.kind.changed, record.article_id, ref)
        return record

    def _remove_annotation(self, store: Annotations[A], ref: int) -> None:
        """With its review schedule, so no card outlives its source."""
        self._require_writable()
        with self._together():
            record = store.remove(ref)
            self._review.drop_card(record.article_id, store.kind.card_id(ref))
        self._emit(store.kind.deleted, record.article_id, ref)

    @serialized
    def notes(self, article_id: str) -> list[NoteRecord]:
        """The article's notes in text order (start, then end, then creation); [] if none."""
        return self._notes.of_article(article_id)

    @serialized
    def note_count(self, article_id: str) -> int:
        return self._notes.count(article_id)

    @serialized
    def note_counts(self) -> dict[str, int]:
        """Notes per article id in one pass, for lists that show a count on every row."""
        return self._notes.counts()

    @serialized
    def add_note(self, article_id: str, start: int, end: int, text: str) -> NoteRecord:
        """Attach a note to the sentence at [start, end); the text is stored exactly as given."""
        self._require_writable()
        self._get_record(article_id)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            raise ValueError(f"a note needs 0 <= start <= end, not ({start!r}, {end!r})")
        if not isinstance(text, str):
            raise TypeError(f"{NOTE.text_name} must be a string")
        return self._add_annotation(self._notes, article_id, start, end, text)

    @serialized
    def update_note(self, note_id: int, text: str) -> NoteRecord:
        return self._set_annotation_text(self._notes, note_id, text)

    @serialized
    def delete_note(self, note_id: int) -> None:
        """Remove a note and its review schedule; NotFound if it is already gone."""
        self._remove_annotation(self._notes, note_id)

    @serialized
    def get_note(self, note_id: int) -> NoteRecord:
        """NotFound if the note is gone."""
        return self._notes.find(note_id)[1]

    @serialized
    def all_notes(self) -> list[NoteRecord]:
        """Every note of every listed article, by article then text order."""
        return self._notes.all(self._index.raw())

    @serialized
    def highlights(self, article_id: str) -> list[HighlightRecord]:
        """The article's highlights in text order (start, then end, then id); [] if none."""
        return self._highlights.of_article(article_id)

    @serialized
    def all_highlights(self) -> list[HighlightRecord]:
        """Every highlight of every listed article, by article then text order."""
        return self._highlights.all(self._index.raw())

    @serialized
    def highlight_counts(self) -> dict[str, int]:
        """Highlights per article id in one pass (for list rows)."""
        return self._highlights.counts()

    @serialized
    def get_highlight(self, highlight_id: int) -> HighlightRecord:
        return self._highlights.find(highlight_id)[1]

    @serialized
    def add_highlight(
        self, article_id: str, start: int, end: int, note: str = ""
    ) -> HighlightRecord:
        """Highlight the text [start, end): a sentence, or a run of consecutive sentences.

        `start` is the first sentence's start and `end` the last one's end, as offsets into
        `load_article(article_id).text`; the caller (the UI) picks sentence boundaries from
        the analysis, the store checks only that the span lies inside the text. The same
        span highlighted twice is one highlight: the existing record is returned (with
        `note` saved on it when one is given), so a repeated key press does no harm.
        The note lives on the highlight itself (see `set_highlight_note`), not as a
        NoteRecord: a highlight and its note are reviewed, exported and deleted together.
        """
        self._require_writable()
        self._get_record(article_id)
        if not isinstance(note, str):
            raise TypeError(f"{HIGHLIGHT.text_name} must be a string")
        length = len(self.load_article(article_id).text)
        if not (
            isinstance(start, int)
            and isinstance(end, int)
            and not isinstance(start, bool)
            and not isinstance(end, bool)
            and 0 <= start < end <= length
        ):
            raise ValueError(
                f"a highlight needs 0 <= start < end <= {length} (the text's length), "
                f"not ({start!r}, {end!r})"
            )
        for existing in self.highlights(article_id):
            if (existing.start, existing.end) == (start, end):
                return self.set_highlight_note(existing.id, note) if note else existing
        return self._add_annotation(self._highlights, article_id, start, end, note)

    @serialized
    def set_highlight_note(self, highlight_id: int, text: str) -> HighlightRecord:
        """Replace the highlight's note ("" removes it); NotFound if the highlight is gone."""
        return self._set_annotation_text(self._highlights, highlight_id, text)

    @serialized
    def remove_highlight(self, highlight_id: int) -> None:
        """Remove a highlight with its note and review schedule; NotFound if already gone."""
        self._remove_annotation(self._highlights, highlight_id)

    @serialized
    def annotation_rows(
        self,
    ) -> tuple[list[str], list[tuple[int, str, str, str]], list[tuple[int, str, str, str]]]:
        """(article ids, notes as (id, article id, updated_at, text), highlights as (id,
        article id, updated_at, note)) of listed articles, as bare tuples: what the search
        index compares with what it holds, without building 20,000 records."""
        order = self._index.ids()
        known = set(order)
        return order, self._notes.rows(known), self._highlights.rows(known)
