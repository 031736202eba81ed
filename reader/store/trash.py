"""Deleted articles, kept 30 days in ``<home>/trash/`` so a delete can be undone.

A delete is the one change that throws away the reader's own work (notes, highlights,
review schedules), so it is never final at once. Everything that belonged to the article
goes into one entry file, ``trash/<UTC stamp>-<article id>.json``: its index record, its
text, its progress, notes, highlights, review schedules and key sentences. The entry is
written and synced before anything is removed, so a crash in between leaves the article
in the library *and* in the trash, never in neither. Its cached analyses are moved beside
the entry (``<entry id>.cache.<name>``) rather than into it: they are derived and can be
large, and a rename costs nothing.

Restoring puts every record back under its own ids. Ids are never handed out twice
(reader.store.counters), so they are free; should one be taken anyway (counters.json was
lost), that note gets a new id and its review card follows it. An article added again
while its old copy was in the trash has the same id (its content hash): the old notes
and highlights are then put back beside the new ones, exact duplicates left out, a
highlight of the same passage getting the old note appended to its own, so nothing is
lost twice over. Entries older than 30 days are purged when a writable window opens.

This module only reads and writes what the Library hands it; the lock, the read-only
state, the staging of the TinyDB writes and the announcements stay in the Library.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb.table import Document

from reader.plural import counted
from reader.store import ids, plain_json
from reader.store.annotations import NOTES, Annotations
from reader.store.articles import ARTICLES, ArticleIndex
from reader.store.content import DamagedContent, content_path, decode_article
from reader.store.counters import IdCounters
from reader.store.db import Db
from reader.store.errors import DamagedFile, NotFound, printable
from reader.store.fields import Doc, finite
from reader.store.fileio import fsync_dir, remove_stale_temps, write_atomic
from reader.store.progress import PROGRESS, Progress
from reader.store.records import clean_tags
from reader.store.review_state import CARDS, KEYS, ReviewStates
from reader.store.schema import record_problem

if TYPE_CHECKING:
    from reader.article import Article

TRASH = "trash"
KEEP_FOR = timedelta(days=30)
FORMAT = 1
CACHE_MARK = ".cache."
_ENTRY = re.compile(r"(?P<stamp>\d{8}T\d{6}Z)-(?P<aid>[0-9a-f]{16})(?:-(?P<n>[1-9][0-9]{0,5}))?")
_STAMP = "%Y%m%dT%H%M%SZ"


def utc_now() -> datetime:
    return datetime.now(UTC)


def contents_phrase(notes: int, highlights: int, cards: int) -> str:
    """ "3 notes, 2 highlights, 5 review cards", leaving out what there is none of."""
    parts = [(notes, "note"), (highlights, "highlight"), (cards, "review card")]
    return ", ".join(counted(n, word) for n, word in parts if n)


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """What one delete took away, in counts: for the confirm dialog, lists and messages."""

    id: str  # the entry id, for restore ("" for a delete not done yet)
    article_id: str
    title: str
    deleted_at: str  # ISO 8601, UTC
    notes: int = 0
    highlights: int = 0
    cards: int = 0
    damaged: str = ""  # why the entry cannot be read back, if it cannot

    @property
    def contents(self) -> str:
        return contents_phrase(self.notes, self.highlights, self.cards)


@dataclass
class Bundle:
    """Every record of one article, as the trash entry holds them."""

    article: Doc
    text: Doc | None  # Article.to_dict(); None when the text was missing or damaged
    progress: Doc | None = None
    notes: list[Doc] = field(default_factory=list)  # each with its "id"
    highlights: list[Doc] = field(default_factory=list)
    cards: list[Doc] = field(default_factory=list)
    keys: Doc | None = None
    places: Doc = field(default_factory=dict)  # see _places


@dataclass(frozen=True, slots=True)
class Parts:
    """The Library's stores that hold an article's records."""

    articles: ArticleIndex
    progress: Progress
    notes: Annotations[Any]
    highlights: Annotations[Any]
    review: ReviewStates
    counters: IdCounters


@dataclass
class Restored:
    """What a restore did, and the ids now holding what came back (for announcements)."""

    entry: TrashEntry
    merged: bool = False  # the article was in the library again already
    skipped: int = 0  # notes and highlights left out: the library already held them
    notes: list[int] = field(default_factory=list)
    highlights: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        title = f"“{self.entry.title}”"
        contents = self.entry.contents
        if not self.merged:
            return f"Restored {title}" + (f" with {contents}." if contents else ".")
        if not (self.notes or self.highlights) and self.skipped:
            return f"{title} was already in the library with everything the trash held."
        left_out = f" ({counted(self.skipped, 'duplicate')} left out)" if self.skipped else ""
        what = f"its {contents}" if contents else "its tags and progress"
        return (
            f"{title} had been added again since it was deleted; {what} were put back "
            f"beside what it holds now{left_out}."
        )


# ---------------------------------------------------------------------- taking out


def collect(parts: Parts, article_id: str, articles_dir: Path) -> tuple[Bundle, Article | None]:
    """Everything of the article, copied out of the stores (which are not changed)."""
    key = str(int(article_id, 16))
    text: Article | None = None
    with contextlib.suppress(OSError, DamagedContent):
        text = decode_article(content_path(articles_dir, article_id).read_bytes())

    def mine(table: dict[str, Doc]) -> list[tuple[str, Doc]]:
        return [(k, d) for k, d in table.items() if d.get("article_id") == article_id]

    notes = mine(parts.notes.shards.raw(article_id))
    highlights = mine(parts.highlights.shards.raw(article_id))
    cards = mine(parts.review.shards.raw(article_id))
    progress = parts.progress.shards.raw(article_id).get(key)
    keys = parts.review.keys.raw(KEYS).get(key)
    places = {
        "article": _before(parts.articles.raw(), key),
        "progress": _before(parts.progress.shards.raw(article_id), key),
        "keys": _before(parts.review.keys.raw(KEYS), key),
        "notes": {k: _before(parts.notes.shards.raw(article_id), k) for k, _ in notes},
        "highlights": {
            k: _before(parts.highlights.shards.raw(article_id), k) for k, _ in highlights
        },
        "cards": [[k, _before(parts.review.shards.raw(article_id), k)] for k, _ in cards],
    }
    bundle = Bundle(
        article=dict(parts.articles.raw()[key]),
        text=None if text is None else text.to_dict(),
        progress=None if progress is None else dict(progress),
        notes=[{"id": int(k), **d} for k, d in notes],
        highlights=[{"id": int(k), **d} for k, d in highlights],
        cards=[dict(d) for _, d in cards],
        keys=None if keys is None else dict(keys),
        places=places,
    )
    return bundle, text


def _before(table: dict[str, Doc], key: str) -> str | None:
    """The key of the document before `key` in the file (None: it is the first).

    Kept in the entry so a restore puts each document back where it was, and the files
    read byte for byte as before the delete (the library lists articles in file order).
    """
    previous = None
    for current in table:
        if current == key:
            return previous
        previous = current
    return None


def take_out(parts: Parts, article_id: str) -> None:
    """Remove the article's records; inside the Library's all-or-nothing block."""
    parts.review.drop_article(article_id)
    parts.highlights.remove_article(article_id)
    parts.notes.remove_article(article_id)
    parts.progress.remove(article_id)
    parts.articles.remove(article_id)


# ---------------------------------------------------------------------- putting back


def put_back(parts: Parts, bundle: Bundle, entry: TrashEntry, stamp: str) -> Restored:
    """Write the bundle's records back; inside the Library's all-or-nothing block."""
    aid = entry.article_id
    key = int(aid, 16)
    places = bundle.places
    result = Restored(entry)
    existing = parts.articles.raw().get(str(key))
    if existing is None:
        _place(parts.articles.db, ARTICLES, [(key, bundle.article, _where(places, "article"))])
    else:
        result.merged = True
        merged = _merged_article(existing, bundle.article)
        if merged != existing:
            parts.articles.put(key, merged)
    if bundle.progress is not None:
        current = parts.progress.shards.raw(aid).get(str(key))
        if current is None or _read_further(bundle.progress, current):
            where = _where(places, "progress")
            _place(parts.progress.shards.of(aid), PROGRESS, [(key, bundle.progress, where)])
    cards: dict[str, str | None] = {}
    result.notes = _annotations_back(parts.notes, aid, bundle, stamp, cards, result)
    result.highlights = _annotations_back(parts.highlights, aid, bundle, stamp, cards, result)
    _cards_back(parts.review, aid, bundle, cards)
    if bundle.keys is not None and str(key) not in parts.review.keys.raw(KEYS):
        _place(parts.review.keys, KEYS, [(key, bundle.keys, _where(places, "keys"))])
    return result


def _where(places: Doc, name: str, ref: str | None = None) -> str | None:
    """Where a document goes back: after this key; None first; "" (unknown) last."""
    place = places.get(name, "") if ref is None else (places.get(name) or {}).get(ref, "")
    return place if place is None or isinstance(place, str) else ""


def _place(db: Db, table: str, items: Iterable[tuple[int, Doc, str | None]]) -> None:
    """Insert (or replace) documents, each after the key it followed (see _where).

    The table is rewritten in its new order: staged in memory like every write of a
    restore, and one shard (or the index) at most.
    """
    rows = list(db.raw(table).items())
    for doc_id, doc, after in items:
        key = str(doc_id)
        keys = [k for k, _ in rows]
        if key in keys:
            rows[keys.index(key)] = (key, doc)
            continue
        at = 0 if after is None else keys.index(after) + 1 if after in keys else len(rows)
        rows.insert(at, (key, doc))
    handle = db.table(table)
    handle.truncate()
    handle.insert_multiple([Document(dict(doc), doc_id=int(key)) for key, doc in rows])


def _merged_article(existing: Doc, old: Doc) -> Doc:
    """The record as added again, keeping the old copy's tags, origin and earlier date."""
    merged = dict(existing)
    merged["tags"] = clean_tags([*(existing.get("tags") or ()), *(old.get("tags") or ())])
    if not merged.get("origin") and old.get("origin"):
        merged["origin"] = old["origin"]
    old_added, new_added = old.get("added_at"), existing.get("added_at")
    if isinstance(old_added, str) and old_added and (not new_added or old_added < new_added):
        merged["added_at"] = old_added
    return merged


def _read_further(old: Doc, current: Doc) -> bool:
    def reach(doc: Doc) -> tuple[bool, float, float]:
        fraction = finite(doc.get("furthest", doc.get("progress")))
        return (doc.get("finished") is True, fraction, finite(doc.get("seconds_read")))

    return reach(old) > reach(current)


def _annotations_back(
    store: Annotations[Any],
    article_id: str,
    bundle: Bundle,
    stamp: str,
    cards: dict[str, str | None],
    result: Restored,
) -> list[int]:
    """Insert the bundle's notes (or highlights) under their ids, where they were; `cards`
    learns where each one's review card goes now (None: nowhere, its source was left out).

    Left out: a doc already there under its id (an interrupted delete or restore), and a
    note the article holds again word for word. A highlight of a passage highlighted
    again gives its note to that highlight instead (one highlight per passage).
    """
    kind = store.kind
    docs = bundle.notes if kind.table == NOTES else bundle.highlights
    live = dict(store.shards.docs())
    shard = store.shards.raw(article_id).items()
    current = {int(k): d for k, d in shard if d.get("article_id") == article_id}
    is_highlight = not kind.required  # a highlight's note may be empty
    fresh = store.next_id()
    inserts: list[tuple[int, Doc, str | None]] = []
    touched: list[int] = []
    for doc in docs:
        ref = int(doc["id"])
        fields = {k: v for k, v in doc.items() if k != "id"}
        card = kind.card_id(ref)
        same = live.get(str(ref))
        if same is not None and _same(same, fields, kind.field):
            cards[card] = card  # back already, with its schedule if it had one
            result.skipped += 1
            continue
        twin = next(
            (
                r
                for r, d in current.items()
                if _same_place(d, fields) and (is_highlight or _same(d, fields, kind.field))
            ),
            None,
        )
        if twin is not None:
            if is_highlight and _give_note(store, twin, current[twin], fields, stamp):
                touched.append(twin)
            cards[card] = None
            result.skipped += 1
            continue
        where = _where(bundle.places, kind.table, str(ref))
        if same is not None:  # the id went to another (counters.json was lost): a new one
            ref, fresh, where = fresh, fresh + 1, ""
        cards[card] = kind.card_id(ref)
        inserts.append((ref, fields, where))
        touched.append(ref)
    if inserts:
        _place(store.shards.of(article_id), kind.table, inserts)
    highest = max((ref for ref, _, _ in inserts), default=0)
    store.counters.raise_to(kind.table, max(fresh, highest + 1))
    store.forget_next_id()
    return touched


def _same_place(a: Doc, b: Doc) -> bool:
    return (a.get("article_id"), a.get("start"), a.get("end")) == (
        b.get("article_id"),
        b.get("start"),
        b.get("end"),
    )


def _same(a: Doc, b: Doc, name: str) -> bool:
    return _same_place(a, b) and _text(a, name) == _text(b, name)


def _text(doc: Doc, name: str) -> str:
    value = doc.get(name, "")
    return value if isinstance(value, str) else ""


def _give_note(store: Annotations[Any], twin: int, has: Doc, old: Doc, stamp: str) -> bool:
    """Append the old highlight's note to the new one's, unless it says it already."""
    note, current = _text(old, "note"), _text(has, "note")
    if not note or note in current.split("\n\n"):
        return False
    store.set_text(twin, f"{current}\n\n{note}" if current else note, stamp)
    return True


def _cards_back(
    review: ReviewStates, article_id: str, bundle: Bundle, cards: dict[str, str | None]
) -> None:
    """Schedules follow their notes and highlights, under their old record numbers where
    free; a schedule the library holds now (a key sentence reviewed again since) is never
    overwritten."""
    table = review.shards.raw(article_id)
    present = {d.get("card") for d in table.values()}
    places = bundle.places.get("cards")
    numbers = places if isinstance(places, list) and len(places) == len(bundle.cards) else []
    taken = {int(k) for k in table}
    fresh = max(taken, default=0) + 1
    back: list[tuple[int, Doc, str | None]] = []
    for number, doc in enumerate(bundle.cards):
        card = str(doc.get("card"))
        target = cards.get(card, card)
        if target is None or target in present:
            continue
        key = fresh
        where: str | None = ""
        place = numbers[number] if number < len(numbers) else None
        if isinstance(place, list) and len(place) == 2:
            old, after = place
            if isinstance(old, str) and old.isdigit() and int(old) not in taken:
                key, where = int(old), after if after is None or isinstance(after, str) else ""
        if key == fresh:
            fresh += 1
        taken.add(key)
        back.append((key, {**doc, "card": target}, where))
    if back:
        _place(review.shards.of(article_id), CARDS, back)


def article_of(bundle: Bundle, entry: TrashEntry) -> Article | None:
    """The text to write back; DamagedFile when it is not the article's own."""
    if bundle.text is None:
        return None
    from reader.article import Article

    try:
        article = Article.from_dict(bundle.text)
    except (ValueError, TypeError, KeyError) as exc:
        why = str(exc)
    else:
        if ids.article_id(article) == entry.article_id:
            return article
        why = "it is not the text of that article"
    raise DamagedFile(
        f"The text in the trash entry {entry.id} cannot be used ({why}); it was left as it is."
    )


# ---------------------------------------------------------------------- the folder


def _summary(entry_id: str, aid: str, deleted_at: str, bundle: Bundle) -> TrashEntry:
    title = bundle.article.get("title")
    return TrashEntry(
        id=entry_id,
        article_id=aid,
        title=title if isinstance(title, str) else "Untitled",
        deleted_at=deleted_at,
        notes=len(bundle.notes),
        highlights=len(bundle.highlights),
        cards=len(bundle.cards),
    )


def preview(parts: Parts, article_id: str, articles_dir: Path) -> TrashEntry:
    """What deleting the article would put in the trash (nothing is written)."""
    bundle, _ = collect(parts, article_id, articles_dir)
    return _summary("", article_id, "", bundle)


def _check(aid: str, data: object) -> tuple[str, Bundle | None]:
    """(deleted_at, bundle), or (why it cannot be used, None)."""
    if not isinstance(data, dict):
        return "it does not hold a deleted article", None
    wrong = plain_json.problem(data)
    if wrong is not None:
        return wrong, None
    version = data.get("format")
    if isinstance(version, int) and version > FORMAT:
        return "it was written by a newer version of reader", None
    key = str(int(aid, 16))
    article, progress, keys = data.get("article"), data.get("progress"), data.get("keys")
    lists = [data.get(name) for name in ("notes", "highlights", "cards")]
    text = data.get("text")
    if version != FORMAT or not isinstance(data.get("deleted_at"), str):
        return "it is not a trash entry reader knows", None
    if not isinstance(article, dict) or record_problem("articles", key, article):
        return "its article record is damaged", None
    if progress is not None and (
        not isinstance(progress, dict) or record_problem(PROGRESS, key, progress)
    ):
        return "its reading progress is damaged", None
    if keys is not None and (not isinstance(keys, dict) or record_problem(KEYS, key, keys)):
        return "its key sentences are damaged", None
    if text is not None and not isinstance(text, dict):
        return "its text is damaged", None
    if not all(isinstance(docs, list) for docs in lists):
        return "its notes, highlights or review cards are damaged", None
    notes, highlights, cards = (list(docs) for docs in lists)  # type: ignore[arg-type]
    for table, docs in (("notes", notes), ("highlights", highlights)):
        for doc in docs:
            ref = doc.get("id") if isinstance(doc, dict) else None
            fields = {k: v for k, v in doc.items() if k != "id"} if isinstance(doc, dict) else {}
            if (
                not isinstance(ref, int)
                or isinstance(ref, bool)
                or record_problem(table, str(ref), fields)
                or fields.get("article_id") != aid
            ):
                return f"one of its {table} is damaged", None
    for doc in cards:
        if record_problem(CARDS, "1", doc) or doc.get("article_id") != aid:
            return "one of its review cards is damaged", None
    places = data.get("places")
    bundle = Bundle(article, text, progress, notes, highlights, cards, keys)
    bundle.places = places if isinstance(places, dict) else {}  # positions only: a guess is fine
    return str(data["deleted_at"]), bundle


class TrashFolder:
    """The entry files: written whole (fileio.write_atomic), read back checked."""

    def __init__(self, folder: Path, clock: Callable[[], datetime] = utc_now) -> None:
        self.folder = folder
        self.clock = clock

    def path(self, entry_id: str) -> Path:
        return self.folder / f"{entry_id}.json"

    def ids(self, *, expired: bool = False) -> list[str]:
        """Entry ids, newest first, from the file names alone (nothing is read).

        Those past 30 days only with `expired`: a read-only window cannot purge them,
        and must not offer what the next writable opening will remove.
        """
        cutoff = self._cutoff()
        found: list[tuple[str, int, str]] = []
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.json"):
                match = _ENTRY.fullmatch(path.stem)
                if match and (expired or match["stamp"] >= cutoff):
                    found.append((match["stamp"], int(match["n"] or 1), path.stem))
        return [entry_id for *_, entry_id in sorted(found, reverse=True)]

    def _cutoff(self) -> str:
        return (self.clock().astimezone(UTC) - KEEP_FOR).strftime(_STAMP)

    def put(self, article_id: str, bundle: Bundle) -> TrashEntry:
        """Write the entry (synced) and return its summary; before anything is removed."""
        moment = self.clock().astimezone(UTC)
        stamp = moment.strftime(_STAMP)
        self.folder.mkdir(exist_ok=True)
        # Numbered within the second, so entries list in the order they were deleted.
        taken = [m["n"] for p in self.folder.glob(f"{stamp}-*") if (m := _ENTRY.match(p.name))]
        number = max((int(n or 1) for n in taken), default=0) + 1
        entry_id = f"{stamp}-{article_id}" + (f"-{number}" if number > 1 else "")
        deleted_at = moment.isoformat(timespec="seconds")
        data = {
            "format": FORMAT,
            "deleted_at": deleted_at,
            "article": bundle.article,
            "text": bundle.text,
            "progress": bundle.progress,
            "notes": bundle.notes,
            "highlights": bundle.highlights,
            "cards": bundle.cards,
            "keys": bundle.keys,
            "places": bundle.places,
        }
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        write_atomic(self.path(entry_id), payload.encode("utf-8"))
        return _summary(entry_id, article_id, deleted_at, bundle)

    def read(self, entry_id: str) -> tuple[TrashEntry, Bundle]:
        match = _ENTRY.fullmatch(entry_id) if isinstance(entry_id, str) else None
        missing = f"There is no deleted article {printable(entry_id)} in the trash."
        if match is None:
            raise NotFound(missing)
        try:
            raw = self.path(entry_id).read_bytes()
        except FileNotFoundError:
            raise NotFound(missing) from None
        try:
            data = plain_json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        deleted_at, bundle = _check(match["aid"], data)
        if bundle is None:
            raise DamagedFile(
                f"The trash entry {entry_id} cannot be read ({deleted_at}); it was left "
                f"as it is in {self.folder}."
            )
        return _summary(entry_id, match["aid"], deleted_at, bundle), bundle

    def entries(self) -> list[TrashEntry]:
        """Newest first; an entry that cannot be read is listed with why."""
        found: list[TrashEntry] = []
        for entry_id in self.ids():
            try:
                found.append(self.read(entry_id)[0])
            except NotFound:
                continue  # removed meanwhile
            except (DamagedFile, OSError) as exc:
                match = _ENTRY.fullmatch(entry_id)
                assert match is not None
                moment = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
                why = str(exc) if isinstance(exc, DamagedFile) else str(exc.strerror or exc)
                found.append(
                    TrashEntry(
                        entry_id,
                        match["aid"],
                        "(cannot be read)",
                        moment.isoformat(timespec="seconds"),
                        damaged=why,
                    )
                )
        return found

    def remove(self, entry_id: str) -> None:
        """The entry and its cached analyses; what the disk refuses stays (harmless)."""
        with contextlib.suppress(OSError):
            for sidecar in self.folder.glob(f"{entry_id}{CACHE_MARK}*"):
                with contextlib.suppress(OSError):
                    sidecar.unlink()
        with contextlib.suppress(FileNotFoundError):
            self.path(entry_id).unlink()
        fsync_dir(self.folder)

    def stash_cache(self, entry_id: str, cache_dir: Path, text: str) -> None:
        """Move the text's cached analyses beside the entry: derived, so failures pass."""
        from reader.store.home import content_key  # the analysis cache's naming

        with contextlib.suppress(OSError):
            for cached in cache_dir.glob(f"{content_key(text)}-*.json.gz"):
                with contextlib.suppress(OSError):
                    os.replace(cached, self.folder / f"{entry_id}{CACHE_MARK}{cached.name}")

    def unstash_cache(self, entry_id: str, cache_dir: Path) -> None:
        with contextlib.suppress(OSError):
            for sidecar in self.folder.glob(f"{entry_id}{CACHE_MARK}*"):
                name = sidecar.name[len(entry_id) + len(CACHE_MARK) :]
                with contextlib.suppress(OSError):
                    os.replace(sidecar, cache_dir / name)

    def purge(self) -> int:
        """Remove entries deleted more than 30 days ago (by the clock); how many."""
        if not self.folder.is_dir():
            return 0
        remove_stale_temps(self.folder)
        cutoff = self._cutoff()
        purged = 0
        for entry_id in self.ids(expired=True):
            match = _ENTRY.fullmatch(entry_id)
            if match is not None and match["stamp"] < cutoff:
                self.remove(entry_id)
                purged += 1
        return purged
