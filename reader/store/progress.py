"""Where the reader is in each article: bookmark, furthest point read, time spent, finished.

The bookmark (`position`, `progress`) is where the reader last read; `furthest` is the
furthest point they ever read to, kept apart so that going back to a passage never makes
an article look less read. `finished` is decided by the caller (the reading screen judges
it against time spent, or the reader says so): reaching the end is not enough.

Saved about once a second while reading, so each save rewrites one of the 16 small progress
files (reader.store.shards) and nothing else; the index never changes while reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from tinydb.table import Document

from reader.store.fields import Doc, finite, now, req_str
from reader.store.shards import Shards, article_key, shard_of

PROGRESS = "progress"
FINISHED_AT = 0.995  # the furthest point at which an article has been read to its end


def _replace_with(doc: Doc) -> Callable[[MutableMapping[str, Any]], None]:
    """TinyDB's update merges fields; a saved place replaces the old one whole, so an anchor
    from an earlier place never outlives it."""

    def replace(old: MutableMapping[str, Any]) -> None:
        old.clear()
        old.update(doc)

    return replace


class Progress:
    def __init__(self, shards: Shards) -> None:
        self.shards = shards

    def doc(self, article_id: str) -> Doc | None:
        """The saved document (cached: never mutate it); NotFound for a malformed id."""
        key = str(article_key(article_id))
        return self.shards.raw(article_id).get(key)

    def save(
        self,
        article_id: str,
        *,
        position: int,
        progress: float,
        seconds_read: float,
        finished: bool | None,
        furthest: float | None = None,
        anchor: int | None = None,
        read_elsewhere: bool = False,
    ) -> None:
        """See Library.save_progress; the caller has checked the article and the numbers.

        `read_elsewhere`: finished in the app it was imported from (an archived Pocket or
        Instapaper item). The mark stays through later saves until the article is marked
        unfinished; while it stands, the article makes no key-sentence review cards (a
        Pocket archive would otherwise bring hundreds due at once, each to be analysed).
        """
        key = article_key(article_id)
        db = self.shards.of(article_id)
        old = db.raw(PROGRESS).get(str(key))
        fraction = min(1.0, max(0.0, float(progress)))
        added = finite(seconds_read)
        total = finite(old.get("seconds_read")) if old else 0.0
        was_finished = bool(old and old.get("finished") is True)
        done = finished if finished is not None else was_finished
        old_furthest = finite(old.get("furthest", old.get("progress"))) if old else 0.0
        reached = fraction if furthest is None else finite(furthest)
        doc: dict[str, object] = {
            "article_id": article_id,
            "position": max(0, int(position)),
            "progress": round(fraction, 6),
            "furthest": round(min(1.0, max(fraction, reached, old_furthest)), 6),
            "seconds_read": round(total + max(0.0, added), 3),
            "last_read": now(),
            "finished": bool(done),
        }
        if anchor is not None:
            doc["anchor"] = max(0, int(anchor))
        kept = bool(old and old.get("read_elsewhere") is True)
        if done and (read_elsewhere or kept):  # marked unfinished: the mark goes for good
            doc["read_elsewhere"] = True
        if old is None:
            db.table(PROGRESS).insert(Document(doc, doc_id=key))
        else:
            db.table(PROGRESS).update(_replace_with(doc), doc_ids=[key])

    def finished(self, known: set[str]) -> set[str]:
        """Ids of articles among `known` finished here, the sources of key-sentence cards:
        not those only read elsewhere (see `save`)."""
        return {
            aid
            for _, doc in self.shards.docs()
            if doc.get("finished") is True
            and doc.get("read_elsewhere") is not True
            and (aid := doc.get("article_id")) in known
        }

    def remove(self, article_id: str) -> None:
        key = article_key(article_id)
        db = self.shards.of(article_id)
        if str(key) in db.raw(PROGRESS):
            db.table(PROGRESS).remove(doc_ids=[key])

    def restore(self, docs: Iterable[Doc]) -> None:
        """Documents keyed by "article_id", replacing what is saved, one write per shard."""
        documents: list[tuple[int, Document]] = []
        for doc in docs:
            aid = req_str(doc["article_id"])
            documents.append((shard_of(aid), Document(dict(doc), doc_id=article_key(aid))))
        self.shards.insert(documents, replacing=True)

    def add_many(self, items: Iterable[tuple[str, int, float, float]], stamp: str) -> None:
        """(article id, position, fraction, seconds) with one write per shard: benchmarks."""
        documents: list[tuple[int, Document]] = []
        for aid, position, fraction, seconds in items:
            doc = {
                "article_id": aid,
                "position": position,
                "progress": fraction,
                "furthest": fraction,
                "seconds_read": seconds,
                "last_read": stamp,
                "finished": fraction >= FINISHED_AT,
            }
            documents.append((shard_of(aid), Document(doc, doc_id=article_key(aid))))
        self.shards.insert(documents)
