"""The Library as a whole, for export and import: its counters, whether it is empty, and
writing a checked snapshot back in bulk (and the benchmarks' even faster bulk insert)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from reader.store.annotations import HIGHLIGHTS, NOTES, Annotations
from reader.store.articles import article_doc
from reader.store.content import TextBatch
from reader.store.events import ARTICLE_ADDED
from reader.store.fields import Doc, now, opt_str, req_int
from reader.store.ids import article_id
from reader.store.library_base import serialized
from reader.store.library_settings import SettingsMixin
from reader.store.records import clean_tags

if TYPE_CHECKING:
    from reader.article import Article


class SnapshotMixin(SettingsMixin):
    """Over the settings, which a restore writes too."""

    @serialized
    def id_counters(self) -> dict[str, int]:
        """The next note and highlight ids this home will hand out."""
        return {NOTES: self._notes.next_id(), HIGHLIGHTS: self._highlights.next_id()}

    @serialized
    def is_empty(self) -> bool:
        """No articles, notes, highlights or review schedules: an import may restore ids."""
        if self._index.raw():
            return False
        return (
            self._notes.shards.is_empty()
            and self._highlights.shards.is_empty()
            and self._review.shards.is_empty()
        )

    @serialized
    def restore(
        self,
        *,
        articles: Iterable[tuple[Article, Doc]] = (),
        progress: Iterable[Doc] = (),
        notes: Iterable[Doc] = (),
        highlights: Iterable[Doc] = (),
        review: Iterable[Doc] = (),
        settings: dict[str, Any] | None = None,
        counters: dict[str, int] | None = None,
        entity_corrections: Iterable[Doc] = (),
    ) -> None:
        """Write already-checked records with their ids and dates, one write per file.

        For reader.study.importer, which validates everything and decides about merging
        first: every article, note and highlight id passed must be new to this home
        (ValueError otherwise, before anything is written). `articles` pairs each text with
        its index fields (title, origin, added_at, tags); progress docs are keyed by
        "article_id"; notes and highlights carry their "id"; review docs are
        {card, article_id, due, state}. Texts are written first and the index after them,
        as in add_articles, so a crash part-way leaves at worst unindexed texts; every
        file changes together or not at all (reader.store.staging), so a full disk or a
        read-only folder changes nothing.
        """
        self._require_writable()
        items = list(articles)
        annotations: list[tuple[Annotations[Any], list[Doc]]] = [
            (self._notes, list(notes)),
            (self._highlights, list(highlights)),
        ]
        known = self._index.raw()
        if any(str(int(article_id(a), 16)) in known for a, _ in items):
            raise ValueError("restore: an article is already in the library")
        for store, docs in annotations:
            taken = store.taken()
            if any(int(d["id"]) in taken for d in docs):
                raise ValueError(f"restore: a {store.kind.name} id is already in use")
        new_docs: dict[int, Doc] = {}
        restored: list[tuple[str, str, int | None]] = []
        corrections = list(entity_corrections)
        corrector = self._entity_corrections() if corrections else None  # opened before: staged too
        with TextBatch(self.articles_dir) as texts:
            for article, fields in items:
                aid = article_id(article)
                texts.add(aid, article)
                doc = article_doc(aid, article, opt_str(fields.get("origin")), now())
                for name in ("title", "added_at"):
                    if isinstance(fields.get(name), str):
                        doc[name] = fields[name]
                doc["tags"] = clean_tags(fields.get("tags") or ())
                new_docs[int(aid, 16)] = doc
            with self._together(texts):
                self._restore_records(new_docs, progress, annotations, review, counters, restored)
                for key, value in (settings or {}).items():
                    self.set_setting(key, value)
                if corrector is not None:
                    corrector.restore(corrections)
        for event, aid, ref in restored:
            self._emit(event, aid, ref)
        for doc in new_docs.values():
            self._emit(ARTICLE_ADDED, doc["id"])

    def _restore_records(
        self,
        new_docs: dict[int, Doc],
        progress: Iterable[Doc],
        annotations: list[tuple[Annotations[Any], list[Doc]]],
        review: Iterable[Doc],
        counters: dict[str, int] | None,
        restored: list[tuple[str, str, int | None]],
    ) -> None:
        """The TinyDB half of `restore`, inside its all-or-nothing block."""
        wanted = dict(counters or {})
        for store, docs in annotations:
            store.forget_next_id()
            kind = store.kind.table
            highest = max((req_int(d["id"]) for d in docs), default=0)
            wanted[kind] = max(int(wanted.get(kind, 1)), highest + 1, self._counters.saved(kind))
        self._counters.replace(wanted, (NOTES, HIGHLIGHTS))  # ids first: never handed out again
        if new_docs:
            self._index.insert(new_docs)
        self._progress.restore(progress)
        for store, docs in annotations:
            for document in store.restore(docs):
                restored.append((store.kind.changed, document["article_id"], document.doc_id))
        self._review.restore(review)

    def _bulk_insert_for_bench(
        self,
        progress: Iterable[tuple[str, int, float, float]] = (),
        notes: Iterable[tuple[str, int, int, str]] = (),
        highlights: Iterable[tuple[str, int, int, str]] = (),
    ) -> None:
        """Fill progress (id, position, fraction, seconds), notes (id, start, end, text) and
        highlights (id, start, end, note) with one write per shard; only benchmarks need
        libraries this big, this fast. Offsets are not checked against the texts."""
        with self._mutex:
            self._require_writable()
            stamp = now()
            self._progress.add_many(progress, stamp)
            self._notes.add_many(notes, stamp)
            self._highlights.add_many(highlights, stamp)
