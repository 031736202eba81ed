"""The Library's review: card schedules and the key sentences cards are made from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reader.store.library_base import LibraryBase, serialized
from reader.store.records import ReviewState


class ReviewMixin(LibraryBase):
    @serialized
    def review_sources(
        self,
    ) -> tuple[
        list[str], set[str], list[tuple[int, str, int, int]], list[tuple[int, str, int, int]]
    ]:
        """What review cards are made of, as bare tuples, for counting them fast.

        (article ids in library order, finished article ids, highlights as (id, article id,
        start, end), notes likewise). Only sources of listed articles; no records are
        built and no texts read, so 20,000 of them cost a few milliseconds.
        """
        order = self._index.ids()
        known = set(order)
        finished = self._progress.finished(known)
        return order, finished, self._highlights.spans(known), self._notes.spans(known)

    @serialized
    def review_due_index(self) -> dict[str, tuple[str, float]]:
        """card id -> (article id, due as POSIX seconds) for every scheduled card.

        The compact form the due count needs: no fsrs objects, no texts.
        """
        return self._review.due_index()

    @serialized
    def review_states(self) -> list[ReviewState]:
        """Every saved schedule, by card id."""
        return self._review.states()

    @serialized
    def review_state(self, card_id: str, article_id: str) -> ReviewState | None:
        return self._review.state(card_id, article_id)

    @serialized
    def save_review_state(
        self, card_id: str, article_id: str, state: dict[str, Any], due: float
    ) -> None:
        """Store a card's scheduler state (fsrs Card.to_dict()) and its due time (POSIX s)."""
        self._require_writable()
        self._get_record(article_id)
        self._review.save(card_id, article_id, state, due)

    @serialized
    def key_sentence_index(self) -> dict[str, tuple[str, list[tuple[int, int]]]]:
        """article id -> (analyzer version, key-sentence spans) recorded for review."""
        return self._review.key_index()

    @serialized
    def set_key_sentences(
        self, entries: Mapping[str, tuple[str, Iterable[tuple[int, int]]]]
    ) -> None:
        """Record key sentences, article id -> (analyzer version, spans), in one write.

        They come from the articles' analyses and make counting review cards cheap.
        Derived data: safe to lose, rebuilt from the analysis cache on demand. Unknown
        article ids are skipped (the article may have been deleted meanwhile).
        """
        self._require_writable()
        self._review.set_keys(entries, self._index.raw())
