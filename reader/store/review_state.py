"""Review schedules of cards (review/0.json … f.json) and the key sentences behind some cards.

Schedules are sharded by the card's article like progress, so grading a card rewrites one
small file. A card id names its source (reader.store.records), which is how a schedule is
dropped together with the note, highlight or article it came from.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tinydb.table import Document

from reader.store.db import Db
from reader.store.fields import Doc, finite, req_str
from reader.store.ids import is_article_id
from reader.store.plain_json import problem
from reader.store.records import ReviewState
from reader.store.schema import MAX_TIME, MIN_TIME, is_int, is_number
from reader.store.shards import Shards, article_key_or_zero, shard_of

REVIEW = "review"
CARDS = "cards"
KEYS = "keys"


def _review_state(doc: Doc) -> ReviewState | None:
    try:
        state = doc["state"]
        if not isinstance(state, dict):
            return None
        return ReviewState(
            card_id=req_str(doc["card"]),
            article_id=req_str(doc["article_id"]),
            due=float(finite(doc["due"], math.nan)),
            state=dict(state),
        )
    except (KeyError, TypeError):
        return None


class ReviewStates:
    def __init__(self, shards: Shards, keys: Db) -> None:
        self.shards = shards
        self.keys = keys

    def due_index(self) -> dict[str, tuple[str, float]]:
        index: dict[str, tuple[str, float]] = {}
        for _, doc in self.shards.docs():
            card, aid, due = doc.get("card"), doc.get("article_id"), doc.get("due")
            if (
                isinstance(card, str)
                and isinstance(aid, str)
                and isinstance(due, int | float)
                and not isinstance(due, bool)
            ):
                index[card] = (aid, float(due))
        return index

    def states(self) -> list[ReviewState]:
        states = [
            state for _, doc in self.shards.docs() if (state := _review_state(doc)) is not None
        ]
        states.sort(key=lambda s: s.card_id)
        return states

    def state(self, card_id: str, article_id: str) -> ReviewState | None:
        if not is_article_id(article_id):
            return None
        for doc in self.shards.raw(article_id).values():
            if doc.get("card") == card_id:
                return _review_state(doc)
        return None

    def save(self, card_id: str, article_id: str, state: dict[str, Any], due: float) -> None:
        """Checked to be plain JSON first, so a bad state cannot poison the shard's file."""
        try:
            json.dumps(state, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"review state must be plain JSON data: {exc}") from exc
        if not (is_number(due) and MIN_TIME <= due <= MAX_TIME) or problem(state) is not None:
            raise ValueError(f"a review schedule needs a due time within years 1-9999, not {due!r}")
        db = self.shards.of(article_id)
        doc = {"card": card_id, "article_id": article_id, "due": float(due), "state": state}
        for key, old in db.raw(CARDS).items():
            if old.get("card") == card_id:
                db.table(CARDS).update(doc, doc_ids=[int(key)])
                return
        db.table(CARDS).insert(doc)

    def drop(self, article_id: str, which: Callable[[Doc], bool]) -> None:
        """Remove the schedules `which` accepts among those of the article's shard."""
        self.shards.remove_matching(shard_of(article_id), which)

    def drop_card(self, article_id: str, card_id: str) -> None:
        self.drop(article_id, lambda doc: doc.get("card") == card_id)

    def drop_article(self, article_id: str) -> None:
        """Its schedules and its key sentences: nothing of it is left to review."""
        self.drop(article_id, lambda doc: doc.get("article_id") == article_id)
        key = article_key_or_zero(article_id)
        if str(key) in self.keys.raw(KEYS):
            self.keys.table(KEYS).remove(doc_ids=[key])

    def restore(self, docs: Iterable[Doc]) -> None:
        """Schedules {card, article_id, due, state}, replacing those of the same cards."""
        by_shard: dict[int, list[Doc]] = {}
        for doc in docs:
            by_shard.setdefault(shard_of(req_str(doc["article_id"])), []).append(dict(doc))
        for shard, batch in by_shard.items():
            cards: set[object] = {d["card"] for d in batch}

            def replaced(doc: Doc, cards: set[object] = cards) -> bool:
                return doc.get("card") in cards

            self.shards.remove_matching(shard, replaced)
            self.shards.dbs[shard].table(CARDS).insert_multiple(batch)

    def key_index(self) -> dict[str, tuple[str, list[tuple[int, int]]]]:
        index: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        for doc in self.keys.raw(KEYS).values():
            aid, version, spans = doc.get("article_id"), doc.get("version"), doc.get("spans")
            if isinstance(aid, str) and isinstance(version, str) and isinstance(spans, list):
                index[aid] = (
                    version,
                    [
                        (int(span[0]), int(span[1]))
                        for span in spans
                        if isinstance(span, list) and len(span) == 2
                    ],
                )
        return index

    def set_keys(
        self,
        entries: Mapping[str, tuple[str, Iterable[tuple[int, int]]]],
        known: Mapping[str, object],
    ) -> None:
        """One write for all; entries of articles not in `known` (the index) are skipped."""
        docs: list[Document] = []
        for aid, (version, spans) in entries.items():
            key = article_key_or_zero(aid)
            if str(key) not in known:
                continue
            pairs = [[s, e] for s, e in spans]
            if not all(is_int(s) and is_int(e) and 0 <= s < e for s, e in pairs):
                raise ValueError(f"key-sentence spans must be offsets, not {pairs!r}")
            doc = {"article_id": aid, "version": version, "spans": pairs}
            docs.append(Document(doc, doc_id=key))
        if docs:
            self.keys.insert_replacing(KEYS, docs)
