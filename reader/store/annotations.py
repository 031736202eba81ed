"""Notes and highlights: spans of an article's text carrying a text of the reader's own.

Both are stored the same way (sharded by article like progress, under ids that are never
reused, see reader.store.counters) and differ only in the name of their text field, the
record they become, their review card and their events; a `Kind` holds those differences
so one `Annotations` class serves both. Checking what a caller asks for, the read-only
state, the lock and the announcements are the Library's; this module only keeps the files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from tinydb.table import Document

from reader.store.counters import IdCounters
from reader.store.db import Db
from reader.store.errors import NotFound
from reader.store.events import (
    HIGHLIGHT_CHANGED,
    HIGHLIGHT_DELETED,
    NOTE_CHANGED,
    NOTE_DELETED,
)
from reader.store.fields import Doc, req_int, req_str
from reader.store.ids import is_article_id
from reader.store.plain_json import mend
from reader.store.records import HighlightRecord, NoteRecord, highlight_card_id, note_card_id
from reader.store.shards import Shards, article_key_or_zero, shard_of

NOTES = "notes"
HIGHLIGHTS = "highlights"


class Annotation(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def article_id(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


R = TypeVar("R", bound=Annotation)


@dataclass(frozen=True, slots=True)
class Kind(Generic[R]):
    name: str  # for the reader: "That note is no longer in the library."
    table: str  # the folder, its files' table and the id counter
    field: str  # the document field holding the reader's text
    required: bool  # False: a document without the field has an empty text
    record: Callable[..., R]
    card_id: Callable[[int], str]
    changed: str
    deleted: str

    @property
    def text_name(self) -> str:
        """How messages name the reader's text: "note text", "highlight note"."""
        return f"{self.name} {self.field}"


NOTE: Kind[NoteRecord] = Kind(
    name="note",
    table=NOTES,
    field="text",
    required=True,
    record=NoteRecord,
    card_id=note_card_id,
    changed=NOTE_CHANGED,
    deleted=NOTE_DELETED,
)
HIGHLIGHT: Kind[HighlightRecord] = Kind(
    name="highlight",
    table=HIGHLIGHTS,
    field="note",
    required=False,
    record=HighlightRecord,
    card_id=highlight_card_id,
    changed=HIGHLIGHT_CHANGED,
    deleted=HIGHLIGHT_DELETED,
)


def _exact(doc: Doc) -> str:
    quote = doc.get("quote")
    exact = quote.get("exact") if isinstance(quote, dict) else None
    return exact if isinstance(exact, str) else ""


class Annotations(Generic[R]):
    def __init__(self, kind: Kind[R], shards: Shards, counters: IdCounters) -> None:
        self.kind = kind
        self.shards = shards
        self.counters = counters
        self._next_id: int | None = None

    def record(self, key: str, doc: Doc) -> R | None:
        """The record of a raw document; None for a malformed one (shown nowhere)."""
        kind = self.kind
        try:
            return kind.record(
                int(key),
                req_str(doc["article_id"]),
                req_int(doc["start"]),
                req_int(doc["end"]),
                req_str(doc[kind.field] if kind.required else doc.get(kind.field, "")),
                req_str(doc.get("created_at", "")),
                req_str(doc.get("updated_at", "")),
                detached=doc.get("detached") is True,
                quote=_exact(doc),
            )
        except (KeyError, TypeError):
            return None

    def find(self, ref: int) -> tuple[Db, R]:
        """The record and the file it is in; looks in every shard, as only the id is known."""
        if isinstance(ref, int) and not isinstance(ref, bool) and ref > 0:
            key = str(ref)
            for db in self.shards.dbs:
                doc = db.raw(self.kind.table).get(key)
                if doc is not None:
                    record = self.record(key, doc)
                    if record is not None:
                        return db, record
        raise NotFound(f"That {self.kind.name} is no longer in the library.")

    def of_article(self, article_id: str) -> list[R]:
        """In text order (start, then end, then id, i.e. creation); [] for a malformed id."""
        if not is_article_id(article_id):
            return []
        found = [
            record
            for key, doc in self.shards.raw(article_id).items()
            if doc.get("article_id") == article_id and (record := self.record(key, doc))
        ]
        found.sort(key=lambda r: (r.start, r.end, r.id))
        return found

    def count(self, article_id: str) -> int:
        if not is_article_id(article_id):
            return 0
        return sum(
            1 for doc in self.shards.raw(article_id).values() if doc.get("article_id") == article_id
        )

    def counts(self) -> dict[str, int]:
        """Per article id in one pass, for lists that show a count on every row."""
        counts: Counter[str] = Counter()
        for _, doc in self.shards.docs():
            aid = doc.get("article_id")
            if isinstance(aid, str):
                counts[aid] += 1
        return dict(counts)

    def all(self, known: Mapping[str, object]) -> list[R]:
        """Those of articles in `known` (the index, by document id), by article, text order."""
        found = [
            record
            for key, doc in self.shards.docs()
            if (record := self.record(key, doc))
            and str(article_key_or_zero(record.article_id)) in known
        ]
        found.sort(key=lambda r: (r.article_id, r.start, r.end, r.id))
        return found

    def rows(self, known: set[str]) -> list[tuple[int, str, str, str]]:
        """(id, article id, updated_at, text) of articles in `known`, without records."""
        found: list[tuple[int, str, str, str]] = []
        for key, doc in self.shards.docs():
            aid, stamp, text = (
                doc.get("article_id"),
                doc.get("updated_at"),
                doc.get(self.kind.field),
            )
            if aid in known and isinstance(text, str):
                found.append((int(key), aid, stamp if isinstance(stamp, str) else "", text))
        return found

    def spans(self, known: set[str]) -> list[tuple[int, str, int, int]]:
        """(id, article id, start, end) of articles in `known`, without records. Detached
        ones are left out: they mark no passage to review (their schedules are kept)."""
        found: list[tuple[int, str, int, int]] = []
        for key, doc in self.shards.docs():
            aid, start, end = doc.get("article_id"), doc.get("start"), doc.get("end")
            if doc.get("detached") is True:
                continue
            if aid in known and isinstance(start, int) and isinstance(end, int):
                found.append((int(key), aid, start, end))
        return found

    def taken(self) -> set[int]:
        return {int(key) for key, _ in self.shards.docs()}

    def next_id(self) -> int:
        """Past both the highest id in any shard and the saved high-water mark.

        The mark keeps a deleted newest id from coming back in a later session, so a review
        card or an export naming it never meets a stranger; the live ids cover homes
        written before ids were reserved first (see `add`), which the Library brings up
        to date on open (`reconcile`).
        """
        if self._next_id is None:
            highest = max((int(key) for key, _ in self.shards.docs()), default=0)
            self._next_id = max(highest + 1, self.counters.saved(self.kind.table))
        return self._next_id

    def reconcile(self) -> None:
        """Save the mark past every live id, so deleting the newest cannot free its id."""
        if self.next_id() > self.counters.saved(self.kind.table):
            self.counters.raise_to(self.kind.table, self.next_id())

    def forget_next_id(self) -> None:
        """Look again next time: another window may have added some meanwhile."""
        self._next_id = None

    def _doc(self, article_id: str, start: int, end: int, text: str, stamp: str) -> Doc:
        return {
            "article_id": article_id,
            "start": start,
            "end": end,
            self.kind.field: mend(text),
            "created_at": stamp,
            "updated_at": stamp,
        }

    def add(self, article_id: str, start: int, end: int, text: str, stamp: str, quote: Doc) -> R:
        """The id is reserved (the mark saved past it) before the record is written, so a
        crash in between skips an id and never hands one out twice. `quote` holds the
        passage's quote fields (reader.store.retext.selector)."""
        ref = self.next_id()
        doc = {**self._doc(article_id, start, end, text, stamp), **quote}
        self.counters.raise_to(self.kind.table, ref + 1)
        self._next_id = ref + 1
        self.shards.of(article_id).table(self.kind.table).insert(Document(doc, doc_id=ref))
        record = self.record(str(ref), doc)
        assert record is not None
        return record

    def add_many(self, items: Iterable[tuple[str, int, int, str]], stamp: str) -> None:
        """(article id, start, end, text) with one write per shard and no checks: benchmarks."""
        ref = self.next_id()
        documents: list[tuple[int, Document]] = []
        for aid, start, end, text in items:
            doc = self._doc(aid, start, end, text, stamp)
            documents.append((shard_of(aid), Document(doc, doc_id=ref)))
            ref += 1
        self.counters.raise_to(self.kind.table, ref)
        self._next_id = ref
        self.shards.insert(documents)

    def set_quotes(self, article_id: str, quotes: Mapping[int, Doc]) -> None:
        """Quote fields for records written before they were kept (the schema 2 migration)."""
        handle = self.shards.of(article_id).table(self.kind.table)
        for ref, quote in quotes.items():
            handle.update(quote, doc_ids=[ref])

    def set_text(self, ref: int, text: str, stamp: str) -> R:
        db, _ = self.find(ref)
        db.table(self.kind.table).update(
            {self.kind.field: mend(text), "updated_at": stamp}, doc_ids=[ref]
        )
        return self.find(ref)[1]

    def remove(self, ref: int) -> R:
        db, record = self.find(ref)
        db.table(self.kind.table).remove(doc_ids=[ref])
        return record

    def remove_article(self, article_id: str) -> int:
        """Remove every one of the article's; how many there were."""
        return self.shards.remove_matching(
            shard_of(article_id), lambda doc: doc.get("article_id") == article_id
        )

    def restore(self, docs: Iterable[Doc]) -> list[Document]:
        """Insert documents carrying their own "id" (checked unused by the caller); in the
        order written, for the caller to announce."""
        documents: list[tuple[int, Document]] = []
        for doc in docs:
            fields = {k: v for k, v in doc.items() if k != "id"}
            ref = req_int(doc["id"])
            documents.append((shard_of(req_str(doc["article_id"])), Document(fields, doc_id=ref)))
        return self.shards.insert(documents)
