"""The library: articles, reading progress, notes and settings in one data home.

See reader.store.home for the layout on disk. Design points:

* Identity is the content hash (reader.store.ids), so paths never matter and re-importing
  is a no-op.
* Every write goes through AtomicJSONStorage or fileio.write_atomic: a kill -9 at any point
  leaves every file as it was after its last completed write.
* One writer per home (reader.store.lock); other windows open read-only and say so.
* Progress and notes are split into 16 small TinyDB files by the article id's first hex
  digit. A progress save (once a second while reading) or a new note rewrites one small
  file, so its cost does not grow with the size of the library.
* Reads come from the storages' in-memory copies and are re-parsed only when a file changed
  on disk, so listing 5,000 articles is a loop over dicts, not 5,000 file opens.
* Highlights and review states are sharded the same way (highlights/, review/). Note and
  highlight ids come from a persistent high-water mark (counters.json), so an id is never
  handed out twice in a home's life, even after the newest one was deleted: review cards
  and exports refer to them.
* Changes are announced to subscribers (see `subscribe`): the search index follows the
  library through them without the store knowing about search.

Files added for the study loop (beside those listed in reader.store.home)::

    highlights/0.json … f.json  TinyDB: highlights {article_id, start, end, note, created_at,
                                updated_at}, sharded by article id like notes/
    review/0.json … f.json      TinyDB: review schedules {card, article_id, due (POSIX s),
                                state (fsrs Card.to_dict())}, sharded the same way
    review/keys.json            TinyDB: key-sentence spans of finished articles (derived from
                                the analyses; safe to delete)
    counters.json               TinyDB: the next note and highlight ids (high-water marks)
    search.sqlite               the full-text index (reader.study.search; safe to delete)

Threads: TinyDB is not thread-safe. Every public method takes one re-entrant lock, so calls
from different threads are serialized rather than interleaved: opening on the main thread
and then handing the library to a worker thread is fine, and an accidental call from a
second thread waits instead of corrupting the database. Keep calls off the UI thread anyway
(they do disk I/O and fsync), and never call the store from a signal handler: the handler
may interrupt a call in progress on the same thread, which the lock cannot protect against;
set a flag and save from the normal flow instead.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document, Table

from reader.store.content import (
    SUFFIX,
    DamagedContent,
    content_path,
    decode_article,
    encode_article,
)
from reader.store.errors import DamagedFile, NotFound, ReadOnlyError, StoreError
from reader.store.fileio import (
    commit_temp,
    drain_unlinks,
    fsync_dir,
    remove_stale_temps,
    rename_aside,
    write_atomic,
    write_temp,
)
from reader.store.ids import article_id, is_article_id
from reader.store.lock import HomeLock, LockBusy
from reader.store.records import (
    AddResult,
    ArticleRecord,
    HighlightRecord,
    NoteRecord,
    ReviewState,
    clean_tags,
    highlight_card_id,
    note_card_id,
)
from reader.store.storage import AtomicJSONStorage, CorruptDatabase

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["FINISHED_AT", "SCHEMA_VERSION", "Library", "Listener"]

SCHEMA_VERSION = 1
FINISHED_AT = 0.995  # progress at which an article counts as read to the end
SHARDS = "0123456789abcdef"

ARTICLES = "articles"
META = "meta"
PROGRESS = "progress"
NOTES = "notes"
SETTINGS = "settings"
HIGHLIGHTS = "highlights"
REVIEW = "review"
CARDS = "cards"
KEYS = "keys"
COUNTERS = "counters"

# What subscribers hear (see Library.subscribe): (event, article id, note/highlight id or None).
ARTICLE_ADDED = "article-added"
ARTICLE_DELETED = "article-deleted"
NOTE_CHANGED = "note-changed"
NOTE_DELETED = "note-deleted"
HIGHLIGHT_CHANGED = "highlight-changed"
HIGHLIGHT_DELETED = "highlight-deleted"
Listener = Callable[[str, str, "int | None"], None]

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
Doc = dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    raise TypeError("expected a string or null")


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("expected a string")


def _int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("expected an integer")


def _float(value: object, default: float = 0.0) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return default


def _display_title(article: Article) -> str:
    """The title, or the opening words when the clip had none: the list needs something."""
    if article.title and article.title.strip():
        return article.title.strip()
    for paragraph in article.paragraphs:
        words = paragraph.split()
        if words:
            opening = " ".join(words[:10])
            return opening if len(opening) <= 60 else opening[:59].rstrip() + "…"
    return "Untitled"


def _key(article_id: str) -> int:
    """The TinyDB document id of an article (and of its progress record): the hash as an int."""
    if not isinstance(article_id, str) or not is_article_id(article_id):
        raise NotFound(f"There is no article with id {article_id!r} in the library.")
    return int(article_id, 16)


def _shard(article_id: str) -> int:
    return int(article_id[0], 16)


def _key_or_zero(article_id: str) -> int:
    """The article's document id, or 0 (never a document id) for a malformed id."""
    return int(article_id, 16) if is_article_id(article_id) else 0


def _serialized(
    method: Callable[Concatenate[Library, P], R],
) -> Callable[Concatenate[Library, P], R]:
    """Run the method under the library's lock, and refuse once the library is closed."""

    @functools.wraps(method)
    def wrapper(self: Library, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex:
            if self._closed:
                raise StoreError("The library has been closed; open it again to continue.")
            return method(self, *args, **kwargs)

    return wrapper


class _Db:
    """One TinyDB file with its caching atomic storage."""

    def __init__(self, path: Path, read_only: bool) -> None:
        self.path = path
        self.db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only)
        self.storage = cast(AtomicJSONStorage, self.db.storage)

    def raw(self, table: str) -> dict[str, Doc]:
        """The table's documents by id string, straight from the cache: never mutate it."""
        data = self.storage.read()
        if not data:
            return {}
        return data.get(table, {})

    def table(self, name: str) -> Table:
        return self.db.table(name)

    def set_read_only(self, read_only: bool) -> None:
        self.storage.read_only = read_only
        self.storage.forget()


class Library:
    """A data home opened for reading, and for writing when this process holds its lock."""

    notices: list[str]
    read_only: bool
    home: Path
    cache_dir: Path

    def __init__(self, home: Path, *, lock: HomeLock, read_only: bool, notices: list[str]) -> None:
        """Use Library.open(); this only sets fields."""
        self.home = home
        self.cache_dir = home / "cache"
        self.articles_dir = home / "articles"
        self.read_only = read_only
        self.notices = notices
        self._lock = lock
        self._mutex = threading.RLock()
        self._closed = False
        self._read_only_reason = "This library was opened read-only, so changes cannot be saved."
        self._next_note_id: int | None = None
        self._next_highlight_id: int | None = None
        self._library_damaged = False
        self._library: _Db
        self._settings: _Db
        self._counters: _Db
        self._keys: _Db
        self._progress: list[_Db] = []
        self._notes: list[_Db] = []
        self._highlights: list[_Db] = []
        self._review: list[_Db] = []
        self._listeners: list[Listener] = []

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(cls, home: Path | str | os.PathLike[str], *, read_only: bool = False) -> Library:
        """Open a data home, taking its lock unless another window already has it.

        Never fails because of another window or a damaged file: those become notices.
        Raises StoreError only when the home's files cannot be read at all.
        """
        path = Path(home).expanduser().absolute()
        lock = HomeLock(path / ".lock")
        notices: list[str] = []
        busy = False
        if not read_only:
            try:
                path.mkdir(parents=True, exist_ok=True)
                lock.acquire()
            except LockBusy:
                busy = True
                notices.append(
                    f"Another reader is open on this library ({lock.describe_holder()}); "
                    "this window is read-only until it closes."
                )
            except OSError as exc:
                busy = True
                notices.append(
                    f"The library folder {path} cannot be written to "
                    f"({exc.strerror or exc}); this window is read-only."
                )
        library = cls(path, lock=lock, read_only=read_only or busy, notices=notices)
        if busy:
            library._read_only_reason = (
                "Another reader has this library open, so changes cannot be saved in this "
                "window. Close the other window first."
            )
        try:
            library._load()
        except OSError as exc:
            lock.release()
            raise StoreError(
                f"Cannot open the library at {path} ({exc.strerror or exc}); "
                "check the folder's permissions and free space."
            ) from exc
        except BaseException:
            lock.release()
            raise
        return library

    def _load(self) -> None:
        home = self.home
        if not self.read_only:
            for folder in self._folders():
                folder.mkdir(exist_ok=True)
            for folder in (home, *self._folders()):
                if folder != self.cache_dir:
                    remove_stale_temps(folder)
        self._library = self._open_db(
            home / "library.json",
            what="The library index (library.json)",
            after="starting a fresh index",
            after_read_only="this window shows an empty library",
        )
        index_damaged = self._library_damaged
        self._check_schema()
        self._settings = self._open_db(
            home / "settings.json",
            what="The settings file (settings.json)",
            after="settings are back to their defaults",
            after_read_only="this window uses the default settings",
        )
        self._progress = [
            self._open_db(
                home / PROGRESS / f"{shard}.json",
                what=f"Reading positions for some articles ({PROGRESS}/{shard}.json)",
                after="those articles start again from the beginning",
                after_read_only="those articles show no progress here",
            )
            for shard in SHARDS
        ]
        self._notes = [
            self._open_db(
                home / NOTES / f"{shard}.json",
                what=f"The notes of some articles ({NOTES}/{shard}.json)",
                after="the notes in it are not shown; everything else is intact",
                after_read_only="those notes are not shown here",
            )
            for shard in SHARDS
        ]
        self._highlights = [
            self._open_db(
                home / HIGHLIGHTS / f"{shard}.json",
                what=f"The highlights of some articles ({HIGHLIGHTS}/{shard}.json)",
                after="the highlights in it are not shown; everything else is intact",
                after_read_only="those highlights are not shown here",
            )
            for shard in SHARDS
        ]
        self._review = [
            self._open_db(
                home / REVIEW / f"{shard}.json",
                what=f"Review schedules of some cards ({REVIEW}/{shard}.json)",
                after="those cards start again as new cards",
                after_read_only="those cards show as new here",
            )
            for shard in SHARDS
        ]
        self._keys = self._open_db(
            home / REVIEW / "keys.json",
            what=f"The key-sentence list for review ({REVIEW}/keys.json)",
            after="it will be rebuilt from the analyses",
            after_read_only="key sentences of finished articles are not reviewed here",
        )
        self._counters = self._open_db(
            home / "counters.json",
            what="The id counters (counters.json)",
            after="new ids continue after the highest one in use",
            after_read_only="nothing is lost",
        )
        if index_damaged and not self.read_only:
            self._recover_from_texts()
        unreadable = sum(
            1 for doc in self._library.raw(ARTICLES).values() if self._record(doc, None) is None
        )
        if unreadable:
            self.notices.append(
                f"{unreadable} entries in the library index could not be read and are hidden; "
                "they were left in library.json untouched."
            )

    def _open_db(self, path: Path, *, what: str, after: str, after_read_only: str) -> _Db:
        db = _Db(path, self.read_only)
        try:
            db.storage.read()
        except CorruptDatabase as exc:
            if path.name == "library.json":
                self._library_damaged = True
            if self.read_only:
                db.storage.accept_empty()
                self.notices.append(f"{what} cannot be read: {exc}; {after_read_only}.")
            else:
                aside = rename_aside(path)
                db.storage.forget()
                self.notices.append(
                    f"{what} could not be read: {exc}. The damaged file was kept as "
                    f"{aside.name} and {after}."
                )
        except OSError as exc:
            raise StoreError(
                f"Cannot read {path} ({exc.strerror or exc}); check the folder's permissions."
            ) from exc
        return db

    def _check_schema(self) -> None:
        meta = self._library.raw(META).get("1") or {}
        version = meta.get("schema")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            if not self.read_only:
                self._lock.release()
                self._set_read_only(True)
            self._read_only_reason = (
                "This library was saved by a newer version of reader, so this version only "
                "shows it. Update reader to make changes."
            )
            self.notices.append(
                "This library was saved by a newer version of reader; this window is "
                "read-only so nothing is lost. Update reader to make changes."
            )
        elif not meta and not self.read_only:
            self._library.table(META).insert(Document({"schema": SCHEMA_VERSION}, doc_id=1))

    def _set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for db in self._all_dbs():
            db.set_read_only(read_only)

    def _folders(self) -> tuple[Path, ...]:
        home = self.home
        return (
            self.articles_dir,
            self.cache_dir,
            home / PROGRESS,
            home / NOTES,
            home / HIGHLIGHTS,
            home / REVIEW,
        )

    def _all_dbs(self) -> list[_Db]:
        dbs = [*self._progress, *self._notes, *self._highlights, *self._review]
        for name in ("_library", "_settings", "_counters", "_keys"):
            db = getattr(self, name, None)
            if isinstance(db, _Db):
                dbs.append(db)
        return dbs

    def _recover_from_texts(self) -> None:
        """Rebuild the index from articles/ after library.json was lost.

        Progress and notes live in other files and are keyed by the same ids, so they
        reattach; only origins and the original added dates are lost.
        """
        docs: dict[int, Doc] = {}
        damaged = 0
        for path in sorted(self.articles_dir.glob(f"*{SUFFIX}")):
            aid = path.name[: -len(SUFFIX)]
            if not is_article_id(aid):
                continue
            try:
                article = decode_article(path.read_bytes())
            except DamagedContent:
                damaged += 1
                with contextlib.suppress(OSError):
                    rename_aside(path)
                continue
            except OSError:
                damaged += 1
                continue
            added = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            docs[int(aid, 16)] = self._article_doc(
                aid, article, None, added.isoformat(timespec="seconds")
            )
        if docs:
            self._library.table(ARTICLES).insert_multiple(
                [Document(doc, doc_id=key) for key, doc in docs.items()]
            )
            self.notices.append(
                f"Recovered {len(docs)} articles from their saved texts; their reading "
                "progress and notes are kept."
            )
        if damaged:
            self.notices.append(
                f"{damaged} saved article texts could not be read and were skipped."
            )

    @_serialized
    def try_become_writable(self) -> bool:
        """Take the lock if the window that held it has closed; True if now writable.

        For a read-only window to offer "try again" instead of asking for a restart.
        """
        if not self.read_only:
            return True
        if self._read_only_reason.startswith("This library was"):
            return False  # opened read-only on purpose, or by an older version: stay so
        try:
            self._lock.acquire()
        except (LockBusy, OSError):
            return False
        self._set_read_only(False)
        self._next_note_id = None
        self._next_highlight_id = None
        for folder in self._folders():
            folder.mkdir(exist_ok=True)
        return True

    def close(self) -> None:
        """Release the lock; every write is already on disk, so there is nothing to flush."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            for db in self._all_dbs():
                db.storage.close()
            drain_unlinks()  # leave no replaced versions behind for the next opener to sweep
            self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "writable"
        return f"<Library {self.home} {mode}{' closed' if self._closed else ''}>"

    def _require_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(self._read_only_reason)

    # ------------------------------------------------------------------ articles

    @staticmethod
    def _article_doc(aid: str, article: Article, origin: str | None, added_at: str) -> Doc:
        return {
            "id": aid,
            "title": _display_title(article),
            "author": article.author,
            "published": article.published,
            "source": article.source,
            "url": getattr(article, "url", None),
            "words": int(article.words),
            "added_at": added_at,
            "origin": origin,
            "tags": [],
        }

    @staticmethod
    def _record(doc: Doc, progress: Doc | None) -> ArticleRecord | None:
        """A record from raw documents; None for a malformed index entry (shown nowhere)."""
        try:
            aid = _str(doc["id"])
            title = _str(doc["title"])
            author = _opt_str(doc.get("author"))
            published = _opt_str(doc.get("published"))
            source = _opt_str(doc.get("source"))
            words = _int(doc.get("words", 0))
            added_at = _str(doc.get("added_at", ""))
            origin = _opt_str(doc.get("origin"))
            tags = tuple(_str(tag) for tag in doc.get("tags") or ())
        except (KeyError, TypeError):
            return None
        fraction, position, last_read, finished, seconds = 0.0, 0, None, False, 0.0
        if progress:
            fraction = min(1.0, max(0.0, _float(progress.get("progress"))))
            raw_position = progress.get("position")
            position = raw_position if isinstance(raw_position, int) and raw_position > 0 else 0
            raw_last = progress.get("last_read")
            last_read = raw_last if isinstance(raw_last, str) else None
            finished = progress.get("finished") is True
            seconds = max(0.0, _float(progress.get("seconds_read")))
        return ArticleRecord(
            id=aid,
            title=title,
            author=author,
            published=published,
            source=source,
            words=words,
            added_at=added_at,
            origin=origin,
            progress=fraction,
            position=position,
            last_read=last_read,
            finished=finished,
            seconds_read=seconds,
            tags=tags,
        )

    def _get_record(self, aid: str) -> ArticleRecord:
        key = str(_key(aid))
        doc = self._library.raw(ARTICLES).get(key)
        record = None
        if doc is not None:
            record = self._record(doc, self._progress[_shard(aid)].raw(PROGRESS).get(key))
        if record is None:
            raise NotFound(f"There is no article with id {aid} in the library.")
        return record

    @_serialized
    def add_article(self, article: Article, *, origin: str | None = None) -> AddResult:
        """Store the text, then index it; the same content again returns added=False.

        Text first: a crash in between leaves an unindexed file (harmless, reused on the
        next add), never an index entry without its text. Re-adding an article whose
        saved text went missing or was damaged writes the text again.
        """
        self._require_writable()
        aid = article_id(article)
        key = int(aid, 16)
        path = content_path(self.articles_dir, aid)
        existing = self._library.raw(ARTICLES).get(str(key))
        if existing is not None and self._record(existing, None) is not None:
            if not self._text_is_readable(path):
                write_atomic(path, encode_article(article))
            return AddResult(self._get_record(aid), added=False)
        write_atomic(path, encode_article(article))
        doc = self._article_doc(aid, article, origin, _now())
        self._library.table(ARTICLES).upsert(Document(doc, doc_id=key))
        self._emit(ARTICLE_ADDED, aid)
        return AddResult(self._get_record(aid), added=True)

    def _text_is_readable(self, path: Path) -> bool:
        try:
            decode_article(path.read_bytes())
        except FileNotFoundError:
            return False
        except (DamagedContent, OSError):
            with contextlib.suppress(OSError):
                rename_aside(path)
            return False
        return True

    @_serialized
    def add_articles(self, items: Iterable[tuple[Article, str | None]]) -> list[AddResult]:
        """Add many (article, origin) pairs with one index write; results in input order.

        For importing a folder: every text is written to a temporary file, the disk is
        synced once (os.sync where available, else each file), the files are renamed into
        place and then the index is written once, so the guarantees of add_article hold at
        a fraction of the cost of one index rewrite per article.
        """
        self._require_writable()
        raw = self._library.raw(ARTICLES)
        new_docs: dict[int, Doc] = {}
        results: list[AddResult] = []
        temps: list[tuple[Path, Path]] = []
        can_sync_all = hasattr(os, "sync")
        try:
            for article, origin in items:
                aid = article_id(article)
                key = int(aid, 16)
                if str(key) in raw:
                    results.append(AddResult(self._get_record(aid), added=False))
                    continue
                if key in new_docs:
                    record = self._record(new_docs[key], None)
                    assert record is not None
                    results.append(AddResult(record, added=False))
                    continue
                path = content_path(self.articles_dir, aid)
                tmp = write_temp(path, encode_article(article), sync=not can_sync_all)
                temps.append((tmp, path))
                new_docs[key] = self._article_doc(aid, article, origin, _now())
                record = self._record(new_docs[key], None)
                assert record is not None
                results.append(AddResult(record, added=True))
            if can_sync_all and temps:
                os.sync()
            while temps:
                tmp, path = temps.pop()
                commit_temp(tmp, path)
        finally:
            for tmp, _ in temps:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        if new_docs:
            fsync_dir(self.articles_dir)
            self._library.table(ARTICLES).insert_multiple(
                [Document(doc, doc_id=key) for key, doc in new_docs.items()]
            )
            for doc in new_docs.values():
                self._emit(ARTICLE_ADDED, doc["id"])
        return results

    @_serialized
    def articles(self) -> list[ArticleRecord]:
        """Every article, in the order added; reads no article texts."""
        progress = [db.raw(PROGRESS) for db in self._progress]
        records: list[ArticleRecord] = []
        for key, doc in self._library.raw(ARTICLES).items():
            aid = doc.get("id")
            shard = progress[int(aid[0], 16)] if isinstance(aid, str) and is_article_id(aid) else {}
            record = self._record(doc, shard.get(key))
            if record is not None:
                records.append(record)
        return records

    @_serialized
    def get(self, article_id: str) -> ArticleRecord:
        return self._get_record(article_id)

    @_serialized
    def load_article(self, article_id: str) -> Article:
        """The stored text; DamagedFile (a StoreError) if it is missing or unreadable."""
        record = self._get_record(article_id)
        path = content_path(self.articles_dir, article_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise DamagedFile(
                f"The text of “{record.title}” is missing from the library folder "
                f"({path.name}); add the article again to restore it."
            ) from exc
        except OSError as exc:
            raise DamagedFile(
                f"The text of “{record.title}” cannot be read ({exc.strerror or exc})."
            ) from exc
        try:
            return decode_article(raw)
        except DamagedContent as exc:
            kept = ""
            if not self.read_only:
                with contextlib.suppress(OSError):
                    kept = f"; the damaged file was kept as {rename_aside(path).name}"
            raise DamagedFile(
                f"The text of “{record.title}” is damaged ({exc}){kept}. Add the article "
                "again to restore it; its notes and progress are kept."
            ) from exc

    @_serialized
    def set_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        self._require_writable()
        self._get_record(article_id)
        clean = clean_tags(tags)
        self._library.table(ARTICLES).update({"tags": clean}, doc_ids=[_key(article_id)])
        return self._get_record(article_id)

    @_serialized
    def add_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        """Add tags (stripped, duplicates dropped); the result is sorted like set_tags'."""
        return self.set_tags(article_id, [*self._get_record(article_id).tags, *tags])

    @_serialized
    def remove_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        """Remove tags, ignoring case; removing a tag the article lacks is not an error."""
        gone = {tag.strip().casefold() for tag in tags}
        kept = [t for t in self._get_record(article_id).tags if t.casefold() not in gone]
        return self.set_tags(article_id, kept)

    @_serialized
    def delete(self, article_id: str) -> int:
        """Remove the article with its notes, progress, text and cached analysis.

        Notes go first and the text last: a crash part-way leaves, at worst, an article
        without the notes the reader asked to delete, or an unindexed text file.
        """
        self._require_writable()
        self._get_record(article_id)
        key = _key(article_id)
        shard = _shard(article_id)
        self._drop_review_states(shard, lambda doc: doc.get("article_id") == article_id)
        keys_raw = self._keys.raw(KEYS)
        if str(key) in keys_raw:
            self._keys.table(KEYS).remove(doc_ids=[key])
        highlights_db = self._highlights[shard]
        highlight_ids = [
            int(hid)
            for hid, doc in highlights_db.raw(HIGHLIGHTS).items()
            if doc.get("article_id") == article_id
        ]
        if highlight_ids:
            highlights_db.table(HIGHLIGHTS).remove(doc_ids=highlight_ids)
        notes_db = self._notes[shard]
        note_ids = [
            int(nid)
            for nid, note in notes_db.raw(NOTES).items()
            if note.get("article_id") == article_id
        ]
        if note_ids:
            notes_db.table(NOTES).remove(doc_ids=note_ids)
        progress_db = self._progress[shard]
        if str(key) in progress_db.raw(PROGRESS):
            progress_db.table(PROGRESS).remove(doc_ids=[key])
        path = content_path(self.articles_dir, article_id)
        text: str | None = None
        with contextlib.suppress(OSError, DamagedContent):
            text = decode_article(path.read_bytes()).text
        self._library.table(ARTICLES).remove(doc_ids=[key])
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if text is not None:
            self._remove_cached_analyses(text)
        self._emit(ARTICLE_DELETED, article_id)
        return len(note_ids)

    def _remove_cached_analyses(self, text: str) -> None:
        from reader.store.analysis_cache import content_key  # the analyzer's own naming

        with contextlib.suppress(OSError):
            for cached in self.cache_dir.glob(f"{content_key(text)}-*.json.gz"):
                with contextlib.suppress(OSError):
                    cached.unlink()

    # ------------------------------------------------------------------ progress

    @_serialized
    def save_progress(
        self,
        article_id: str,
        *,
        position: int,
        progress: float,
        seconds_read: float = 0.0,
        finished: bool | None = None,
    ) -> None:
        """Record where the reader is; rewrites one small progress shard (see module doc).

        `seconds_read` is added to the total. `finished` None means "finished once the end
        is reached, and stays finished"; True/False set it explicitly (mark read/unread).
        """
        self._require_writable()
        if not isinstance(progress, int | float) or not math.isfinite(progress):
            raise ValueError(f"progress must be a finite number, not {progress!r}")
        key = str(_key(article_id))
        if key not in self._library.raw(ARTICLES):
            raise NotFound(f"There is no article with id {article_id} in the library.")
        db = self._progress[_shard(article_id)]
        old = db.raw(PROGRESS).get(key)
        fraction = min(1.0, max(0.0, float(progress)))
        added = _float(seconds_read)
        total = _float(old.get("seconds_read")) if old else 0.0
        was_finished = bool(old and old.get("finished") is True)
        done = finished if finished is not None else (was_finished or fraction >= FINISHED_AT)
        doc = {
            "article_id": article_id,
            "position": max(0, int(position)),
            "progress": round(fraction, 6),
            "seconds_read": round(total + max(0.0, added), 3),
            "last_read": _now(),
            "finished": bool(done),
        }
        if old is None:
            db.table(PROGRESS).insert(Document(doc, doc_id=int(key)))
        else:
            db.table(PROGRESS).update(doc, doc_ids=[int(key)])

    # ------------------------------------------------------------------ notes

    @staticmethod
    def _note(note_id: str, doc: Doc) -> NoteRecord | None:
        try:
            return NoteRecord(
                id=int(note_id),
                article_id=_str(doc["article_id"]),
                start=_int(doc["start"]),
                end=_int(doc["end"]),
                text=_str(doc["text"]),
                created_at=_str(doc.get("created_at", "")),
                updated_at=_str(doc.get("updated_at", "")),
            )
        except (KeyError, TypeError):
            return None

    def _find_note(self, note_id: int) -> tuple[_Db, NoteRecord]:
        if isinstance(note_id, int) and not isinstance(note_id, bool) and note_id > 0:
            key = str(note_id)
            for db in self._notes:
                doc = db.raw(NOTES).get(key)
                if doc is not None:
                    record = self._note(key, doc)
                    if record is not None:
                        return db, record
        raise NotFound("That note is no longer in the library.")

    @_serialized
    def notes(self, article_id: str) -> list[NoteRecord]:
        """The article's notes in text order (start, then end, then creation); [] if none."""
        if not is_article_id(article_id):
            return []
        found = [
            record
            for nid, doc in self._notes[_shard(article_id)].raw(NOTES).items()
            if doc.get("article_id") == article_id and (record := self._note(nid, doc))
        ]
        found.sort(key=lambda n: (n.start, n.end, n.id))
        return found

    @_serialized
    def note_count(self, article_id: str) -> int:
        if not is_article_id(article_id):
            return 0
        return sum(
            1
            for doc in self._notes[_shard(article_id)].raw(NOTES).values()
            if doc.get("article_id") == article_id
        )

    @_serialized
    def note_counts(self) -> dict[str, int]:
        """Notes per article id in one pass, for lists that show a count on every row."""
        counts: Counter[str] = Counter()
        for db in self._notes:
            for doc in db.raw(NOTES).values():
                aid = doc.get("article_id")
                if isinstance(aid, str):
                    counts[aid] += 1
        return dict(counts)

    def _allocate_note_id(self) -> int:
        """Past both the highest id in any shard and the saved high-water mark.

        The mark (counters.json) keeps a deleted newest note's id from coming back in a
        later session, so a review card or an export naming a note never meets a stranger.
        """
        if self._next_note_id is None:
            highest = 0
            for db in self._notes:
                for nid in db.raw(NOTES):
                    highest = max(highest, int(nid))
            self._next_note_id = max(highest + 1, self._counter(NOTES))
        return self._next_note_id

    def _counter(self, kind: str) -> int:
        doc = self._counters.raw(COUNTERS).get("1") or {}
        value = doc.get(kind)
        return value if isinstance(value, int) and not isinstance(value, bool) else 1

    def _save_counter(self, kind: str, next_id: int) -> None:
        """Persist the high-water mark after the record itself is saved.

        A crash in between loses nothing: allocation also looks past the highest live id.
        """
        if self._counter(kind) >= next_id:
            return
        table = self._counters.table(COUNTERS)
        if "1" in self._counters.raw(COUNTERS):
            table.update({kind: next_id}, doc_ids=[1])
        else:
            table.insert(Document({kind: next_id}, doc_id=1))

    @_serialized
    def add_note(self, article_id: str, start: int, end: int, text: str) -> NoteRecord:
        """Attach a note to the sentence at [start, end); the text is stored exactly as given."""
        self._require_writable()
        self._get_record(article_id)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            raise ValueError(f"a note needs 0 <= start <= end, not ({start!r}, {end!r})")
        if not isinstance(text, str):
            raise TypeError("note text must be a string")
        note_id = self._allocate_note_id()
        now = _now()
        doc = {
            "article_id": article_id,
            "start": start,
            "end": end,
            "text": text,
            "created_at": now,
            "updated_at": now,
        }
        self._notes[_shard(article_id)].table(NOTES).insert(Document(doc, doc_id=note_id))
        self._next_note_id = note_id + 1
        self._save_counter(NOTES, note_id + 1)
        record = self._note(str(note_id), doc)
        assert record is not None
        self._emit(NOTE_CHANGED, article_id, note_id)
        return record

    @_serialized
    def update_note(self, note_id: int, text: str) -> NoteRecord:
        self._require_writable()
        if not isinstance(text, str):
            raise TypeError("note text must be a string")
        db, _ = self._find_note(note_id)
        db.table(NOTES).update({"text": text, "updated_at": _now()}, doc_ids=[note_id])
        record = self._find_note(note_id)[1]
        self._emit(NOTE_CHANGED, record.article_id, note_id)
        return record

    @_serialized
    def delete_note(self, note_id: int) -> None:
        """Remove a note and its review schedule; NotFound if it is already gone."""
        self._require_writable()
        db, record = self._find_note(note_id)
        db.table(NOTES).remove(doc_ids=[note_id])
        card = note_card_id(note_id)
        self._drop_review_states(_shard(record.article_id), lambda doc: doc.get("card") == card)
        self._emit(NOTE_DELETED, record.article_id, note_id)

    @_serialized
    def get_note(self, note_id: int) -> NoteRecord:
        """NotFound if the note is gone."""
        return self._find_note(note_id)[1]

    @_serialized
    def all_notes(self) -> list[NoteRecord]:
        """Every note of every listed article, by article then text order."""
        known = self._library.raw(ARTICLES)
        found = [
            record
            for db in self._notes
            for nid, doc in db.raw(NOTES).items()
            if (record := self._note(nid, doc)) and str(_key_or_zero(record.article_id)) in known
        ]
        found.sort(key=lambda n: (n.article_id, n.start, n.end, n.id))
        return found

    # ------------------------------------------------------------------ highlights

    @staticmethod
    def _highlight(highlight_id: str, doc: Doc) -> HighlightRecord | None:
        try:
            return HighlightRecord(
                id=int(highlight_id),
                article_id=_str(doc["article_id"]),
                start=_int(doc["start"]),
                end=_int(doc["end"]),
                note=_str(doc.get("note", "")),
                created_at=_str(doc.get("created_at", "")),
                updated_at=_str(doc.get("updated_at", "")),
            )
        except (KeyError, TypeError):
            return None

    def _find_highlight(self, highlight_id: int) -> tuple[_Db, HighlightRecord]:
        if (
            isinstance(highlight_id, int)
            and not isinstance(highlight_id, bool)
            and highlight_id > 0
        ):
            key = str(highlight_id)
            for db in self._highlights:
                doc = db.raw(HIGHLIGHTS).get(key)
                if doc is not None:
                    record = self._highlight(key, doc)
                    if record is not None:
                        return db, record
        raise NotFound("That highlight is no longer in the library.")

    @_serialized
    def highlights(self, article_id: str) -> list[HighlightRecord]:
        """The article's highlights in text order (start, then end, then id); [] if none."""
        if not is_article_id(article_id):
            return []
        found = [
            record
            for hid, doc in self._highlights[_shard(article_id)].raw(HIGHLIGHTS).items()
            if doc.get("article_id") == article_id and (record := self._highlight(hid, doc))
        ]
        found.sort(key=lambda h: (h.start, h.end, h.id))
        return found

    @_serialized
    def all_highlights(self) -> list[HighlightRecord]:
        """Every highlight of every listed article, by article then text order."""
        known = self._library.raw(ARTICLES)
        found = [
            record
            for db in self._highlights
            for hid, doc in db.raw(HIGHLIGHTS).items()
            if (record := self._highlight(hid, doc))
            and str(_key_or_zero(record.article_id)) in known
        ]
        found.sort(key=lambda h: (h.article_id, h.start, h.end, h.id))
        return found

    @_serialized
    def highlight_counts(self) -> dict[str, int]:
        """Highlights per article id in one pass (for list rows)."""
        counts: Counter[str] = Counter()
        for db in self._highlights:
            for doc in db.raw(HIGHLIGHTS).values():
                aid = doc.get("article_id")
                if isinstance(aid, str):
                    counts[aid] += 1
        return dict(counts)

    @_serialized
    def get_highlight(self, highlight_id: int) -> HighlightRecord:
        return self._find_highlight(highlight_id)[1]

    def _allocate_highlight_id(self) -> int:
        """Like notes: past the highest live id and the saved high-water mark, never reused."""
        if self._next_highlight_id is None:
            highest = 0
            for db in self._highlights:
                for hid in db.raw(HIGHLIGHTS):
                    highest = max(highest, int(hid))
            self._next_highlight_id = max(highest + 1, self._counter(HIGHLIGHTS))
        return self._next_highlight_id

    @_serialized
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
            raise TypeError("highlight note must be a string")
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
        highlight_id = self._allocate_highlight_id()
        now = _now()
        doc = {
            "article_id": article_id,
            "start": start,
            "end": end,
            "note": note,
            "created_at": now,
            "updated_at": now,
        }
        db = self._highlights[_shard(article_id)]
        db.table(HIGHLIGHTS).insert(Document(doc, doc_id=highlight_id))
        self._next_highlight_id = highlight_id + 1
        self._save_counter(HIGHLIGHTS, highlight_id + 1)
        record = self._highlight(str(highlight_id), doc)
        assert record is not None
        self._emit(HIGHLIGHT_CHANGED, article_id, highlight_id)
        return record

    @_serialized
    def set_highlight_note(self, highlight_id: int, text: str) -> HighlightRecord:
        """Replace the highlight's note ("" removes it); NotFound if the highlight is gone."""
        self._require_writable()
        if not isinstance(text, str):
            raise TypeError("highlight note must be a string")
        db, record = self._find_highlight(highlight_id)
        db.table(HIGHLIGHTS).update({"note": text, "updated_at": _now()}, doc_ids=[highlight_id])
        record = self._find_highlight(highlight_id)[1]
        self._emit(HIGHLIGHT_CHANGED, record.article_id, highlight_id)
        return record

    @_serialized
    def remove_highlight(self, highlight_id: int) -> None:
        """Remove a highlight with its note and review schedule; NotFound if already gone."""
        self._require_writable()
        db, record = self._find_highlight(highlight_id)
        db.table(HIGHLIGHTS).remove(doc_ids=[highlight_id])
        card = highlight_card_id(highlight_id)
        self._drop_review_states(_shard(record.article_id), lambda doc: doc.get("card") == card)
        self._emit(HIGHLIGHT_DELETED, record.article_id, highlight_id)

    @_serialized
    def annotation_rows(
        self,
    ) -> tuple[list[str], list[tuple[int, str, str, str]], list[tuple[int, str, str, str]]]:
        """(article ids, notes as (id, article id, updated_at, text), highlights as (id,
        article id, updated_at, note)) of listed articles, as bare tuples: what the search
        index compares with what it holds, without building 20,000 records."""
        order = [
            aid
            for doc in self._library.raw(ARTICLES).values()
            if isinstance(aid := doc.get("id"), str)
        ]
        known = set(order)

        def rows(dbs: list[_Db], table: str, field: str) -> list[tuple[int, str, str, str]]:
            found: list[tuple[int, str, str, str]] = []
            for db in dbs:
                for key, doc in db.raw(table).items():
                    aid, stamp, text = doc.get("article_id"), doc.get("updated_at"), doc.get(field)
                    if aid in known and isinstance(text, str):
                        found.append((int(key), aid, stamp if isinstance(stamp, str) else "", text))
            return found

        return order, rows(self._notes, NOTES, "text"), rows(self._highlights, HIGHLIGHTS, "note")

    # ------------------------------------------------------------------ review schedules

    @_serialized
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
        order = [
            aid
            for doc in self._library.raw(ARTICLES).values()
            if isinstance(aid := doc.get("id"), str)
        ]
        known = set(order)
        finished = {
            aid
            for db in self._progress
            for doc in db.raw(PROGRESS).values()
            if doc.get("finished") is True and (aid := doc.get("article_id")) in known
        }

        def spans(dbs: list[_Db], table: str) -> list[tuple[int, str, int, int]]:
            found: list[tuple[int, str, int, int]] = []
            for db in dbs:
                for key, doc in db.raw(table).items():
                    aid, start, end = doc.get("article_id"), doc.get("start"), doc.get("end")
                    if aid in known and isinstance(start, int) and isinstance(end, int):
                        found.append((int(key), aid, start, end))
            return found

        return order, finished, spans(self._highlights, HIGHLIGHTS), spans(self._notes, NOTES)

    @staticmethod
    def _review_state(doc: Doc) -> ReviewState | None:
        try:
            state = doc["state"]
            if not isinstance(state, dict):
                return None
            return ReviewState(
                card_id=_str(doc["card"]),
                article_id=_str(doc["article_id"]),
                due=float(_float(doc["due"], math.nan)),
                state=dict(state),
            )
        except (KeyError, TypeError):
            return None

    @_serialized
    def review_due_index(self) -> dict[str, tuple[str, float]]:
        """card id -> (article id, due as POSIX seconds) for every scheduled card.

        The compact form the due count needs: no fsrs objects, no texts.
        """
        index: dict[str, tuple[str, float]] = {}
        for db in self._review:
            for doc in db.raw(CARDS).values():
                card, aid, due = doc.get("card"), doc.get("article_id"), doc.get("due")
                if (
                    isinstance(card, str)
                    and isinstance(aid, str)
                    and isinstance(due, int | float)
                    and not isinstance(due, bool)
                ):
                    index[card] = (aid, float(due))
        return index

    @_serialized
    def review_states(self) -> list[ReviewState]:
        """Every saved schedule, by card id."""
        states = [
            state
            for db in self._review
            for doc in db.raw(CARDS).values()
            if (state := self._review_state(doc)) is not None
        ]
        states.sort(key=lambda s: s.card_id)
        return states

    @_serialized
    def review_state(self, card_id: str, article_id: str) -> ReviewState | None:
        if not is_article_id(article_id):
            return None
        for doc in self._review[_shard(article_id)].raw(CARDS).values():
            if doc.get("card") == card_id:
                return self._review_state(doc)
        return None

    @_serialized
    def save_review_state(
        self, card_id: str, article_id: str, state: dict[str, Any], due: float
    ) -> None:
        """Store a card's scheduler state (fsrs Card.to_dict()) and its due time (POSIX s)."""
        self._require_writable()
        self._get_record(article_id)
        try:
            json.dumps(state, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"review state must be plain JSON data: {exc}") from exc
        db = self._review[_shard(article_id)]
        doc = {"card": card_id, "article_id": article_id, "due": float(due), "state": state}
        for doc_id, old in db.raw(CARDS).items():
            if old.get("card") == card_id:
                db.table(CARDS).update(doc, doc_ids=[int(doc_id)])
                return
        db.table(CARDS).insert(doc)

    def _drop_review_states(self, shard: int, which: Callable[[Doc], bool]) -> None:
        db = self._review[shard]
        doomed = [int(doc_id) for doc_id, doc in db.raw(CARDS).items() if which(doc)]
        if doomed:
            db.table(CARDS).remove(doc_ids=doomed)

    @_serialized
    def key_sentence_index(self) -> dict[str, tuple[str, list[tuple[int, int]]]]:
        """article id -> (analyzer version, key-sentence spans) recorded for review."""
        index: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        for doc in self._keys.raw(KEYS).values():
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

    @_serialized
    def set_key_sentences(
        self, entries: Mapping[str, tuple[str, Iterable[tuple[int, int]]]]
    ) -> None:
        """Record key sentences, article id -> (analyzer version, spans), in one write.

        They come from the articles' analyses and make counting review cards cheap.
        Derived data: safe to lose, rebuilt from the analysis cache on demand. Unknown
        article ids are skipped (the article may have been deleted meanwhile).
        """
        self._require_writable()
        known = self._library.raw(ARTICLES)
        docs: list[Document] = []
        for aid, (version, spans) in entries.items():
            key = _key_or_zero(aid)
            if str(key) not in known:
                continue
            doc = {"article_id": aid, "version": version, "spans": [[s, e] for s, e in spans]}
            docs.append(Document(doc, doc_id=key))
        if docs:
            self._insert_replacing(self._keys, KEYS, docs)

    # ------------------------------------------------------------------ change announcements

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event, article_id, ref)` after every change; returns unsubscribe.

        Events are the module's *_ADDED/_CHANGED/_DELETED constants; `ref` is the note or
        highlight id, None for article events. Listeners run on the calling thread, inside
        the library's lock, after the change is saved: they must not raise for ordinary
        failures of their own (the change is already on disk).
        """
        with self._mutex:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._mutex, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, event: str, article_id: str, ref: int | None = None) -> None:
        for listener in list(self._listeners):
            listener(event, article_id, ref)

    # ------------------------------------------------------------------ snapshots (export, import)

    @_serialized
    def all_settings(self) -> dict[str, Any]:
        """Every stored setting, key -> value, for exports."""
        found: dict[str, Any] = {}
        for doc in self._settings.raw(SETTINGS).values():
            key = doc.get("key")
            if isinstance(key, str) and "value" in doc:
                found[key] = doc["value"]
        return dict(sorted(found.items()))

    @_serialized
    def id_counters(self) -> dict[str, int]:
        """The next note and highlight ids this home will hand out."""
        return {NOTES: self._allocate_note_id(), HIGHLIGHTS: self._allocate_highlight_id()}

    @_serialized
    def progress_doc(self, article_id: str) -> Doc | None:
        """The raw saved progress (position, progress, seconds_read, last_read, finished)."""
        key = str(_key(article_id))
        doc = self._progress[_shard(article_id)].raw(PROGRESS).get(key)
        return dict(doc) if doc is not None else None

    @_serialized
    def is_empty(self) -> bool:
        """No articles, notes, highlights or review schedules: an import may restore ids."""
        if self._library.raw(ARTICLES):
            return False
        return not any(
            db.raw(table)
            for table, dbs in (
                (NOTES, self._notes),
                (HIGHLIGHTS, self._highlights),
                (CARDS, self._review),
            )
            for db in dbs
        )

    @_serialized
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
    ) -> None:
        """Write already-checked records with their ids and dates, one write per file.

        For reader.study.importer, which validates everything and decides about merging
        first: every article, note and highlight id passed must be new to this home
        (ValueError otherwise, before anything is written). `articles` pairs each text with
        its index fields (title, origin, added_at, tags); progress docs are keyed by
        "article_id"; notes and highlights carry their "id"; review docs are
        {card, article_id, due, state}. Texts are written first and the index after them,
        as in add_articles, so a crash part-way leaves at worst unindexed texts.
        """
        self._require_writable()
        items = list(articles)
        note_docs, highlight_docs = list(notes), list(highlights)
        known = self._library.raw(ARTICLES)
        if any(str(int(article_id(a), 16)) in known for a, _ in items):
            raise ValueError("restore: an article is already in the library")
        for docs, dbs, table in (
            (note_docs, self._notes, NOTES),
            (highlight_docs, self._highlights, HIGHLIGHTS),
        ):
            taken = {int(k) for db in dbs for k in db.raw(table)}
            if any(int(d["id"]) in taken for d in docs):
                raise ValueError(f"restore: a {table[:-1]} id is already in use")
        new_docs: dict[int, Doc] = {}
        temps: list[tuple[Path, Path]] = []
        can_sync_all = hasattr(os, "sync")
        try:
            for article, fields in items:
                aid = article_id(article)
                path = content_path(self.articles_dir, aid)
                temps.append(
                    (write_temp(path, encode_article(article), sync=not can_sync_all), path)
                )
                doc = self._article_doc(aid, article, _opt_str(fields.get("origin")), _now())
                for name in ("title", "added_at"):
                    if isinstance(fields.get(name), str):
                        doc[name] = fields[name]
                doc["tags"] = clean_tags(fields.get("tags") or ())
                new_docs[int(aid, 16)] = doc
            if can_sync_all and temps:
                os.sync()
            while temps:
                tmp, path = temps.pop()
                commit_temp(tmp, path)
        finally:
            for tmp, _ in temps:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        if new_docs:
            fsync_dir(self.articles_dir)
            self._library.table(ARTICLES).insert_multiple(
                [Document(doc, doc_id=key) for key, doc in new_docs.items()]
            )
        by_shard: dict[int, list[Document]] = {}
        for doc in progress:
            aid = _str(doc["article_id"])
            by_shard.setdefault(_shard(aid), []).append(Document(dict(doc), doc_id=_key(aid)))
        for shard, batch in by_shard.items():
            self._insert_replacing(self._progress[shard], PROGRESS, batch)
        for docs, dbs, table in (
            (note_docs, self._notes, NOTES),
            (highlight_docs, self._highlights, HIGHLIGHTS),
        ):
            by_shard = {}
            for doc in docs:
                fields = {k: v for k, v in doc.items() if k != "id"}
                record_id = _int(doc["id"])
                by_shard.setdefault(_shard(_str(doc["article_id"])), []).append(
                    Document(fields, doc_id=record_id)
                )
            for shard, batch in by_shard.items():
                dbs[shard].table(table).insert_multiple(batch)
            for batch in by_shard.values():
                for document in batch:
                    event = NOTE_CHANGED if table == NOTES else HIGHLIGHT_CHANGED
                    self._emit(event, document["article_id"], document.doc_id)
        self._next_note_id = self._next_highlight_id = None
        wanted = dict(counters or {})
        for kind, docs in ((NOTES, note_docs), (HIGHLIGHTS, highlight_docs)):
            highest = max((_int(d["id"]) for d in docs), default=0)
            wanted[kind] = max(int(wanted.get(kind, 1)), highest + 1, self._counter(kind))
        if wanted != {NOTES: self._counter(NOTES), HIGHLIGHTS: self._counter(HIGHLIGHTS)}:
            self._counters.table(COUNTERS).upsert(Document(wanted, doc_id=1))
        review_by_shard: dict[int, list[Doc]] = {}
        for doc in review:
            review_by_shard.setdefault(_shard(_str(doc["article_id"])), []).append(dict(doc))
        for shard, docs in review_by_shard.items():
            cards: set[object] = {d["card"] for d in docs}

            def replaced(doc: Doc, cards: set[object] = cards) -> bool:
                return doc.get("card") in cards

            self._drop_review_states(shard, replaced)
            self._review[shard].table(CARDS).insert_multiple(docs)
        for key, value in (settings or {}).items():
            self.set_setting(key, value)
        for doc in new_docs.values():
            self._emit(ARTICLE_ADDED, doc["id"])

    @staticmethod
    def _insert_replacing(db: _Db, table: str, batch: list[Document]) -> None:
        present = db.raw(table)
        stale = [d.doc_id for d in batch if str(d.doc_id) in present]
        if stale:
            db.table(table).remove(doc_ids=stale)
        db.table(table).insert_multiple(batch)

    # ------------------------------------------------------------------ settings

    def _setting_doc(self, key: str) -> tuple[int, Doc] | None:
        for doc_id, doc in self._settings.raw(SETTINGS).items():
            if doc.get("key") == key:
                return int(doc_id), doc
        return None

    @_serialized
    def get_setting(self, key: str, default: T) -> T:
        """The stored value, or `default` when unset or of a different type than `default`.

        An int stored where a float is expected is widened ("wpm" saved as 250 reads as
        250.0); anything else of the wrong type falls back to the default rather than
        handing the UI a value it cannot use.
        """
        found = self._setting_doc(key)
        if found is None or "value" not in found[1]:
            return default
        value = found[1]["value"]
        if default is None:
            return cast(T, value)  # a caller passing None accepts whatever was stored
        if isinstance(value, bool) is not isinstance(default, bool):
            return default
        if isinstance(default, float) and isinstance(value, int | float):
            return cast(T, float(value))
        if isinstance(value, type(default)):
            return value
        return default

    @_serialized
    def set_setting(self, key: str, value: object) -> None:
        """Store a JSON value (tuples come back as lists); ValueError for anything else."""
        self._require_writable()
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"setting {key!r} must be plain JSON data: {exc}") from exc
        found = self._setting_doc(key)
        table = self._settings.table(SETTINGS)
        if found is None:
            table.insert({"key": key, "value": value})
        else:
            table.update({"value": value}, doc_ids=[found[0]])

    # ------------------------------------------------------------------ benchmarks

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
            now = _now()
            by_shard: dict[int, list[Document]] = {}
            for aid, position, fraction, seconds in progress:
                doc = {
                    "article_id": aid,
                    "position": position,
                    "progress": fraction,
                    "seconds_read": seconds,
                    "last_read": now,
                    "finished": fraction >= FINISHED_AT,
                }
                by_shard.setdefault(_shard(aid), []).append(Document(doc, doc_id=_key(aid)))
            for shard, docs in by_shard.items():
                self._progress[shard].table(PROGRESS).insert_multiple(docs)
            by_shard = {}
            next_id = self._allocate_note_id()
            for aid, start, end, text in notes:
                doc = {
                    "article_id": aid,
                    "start": start,
                    "end": end,
                    "text": text,
                    "created_at": now,
                    "updated_at": now,
                }
                by_shard.setdefault(_shard(aid), []).append(Document(doc, doc_id=next_id))
                next_id += 1
            for shard, docs in by_shard.items():
                self._notes[shard].table(NOTES).insert_multiple(docs)
            self._next_note_id = next_id
            self._save_counter(NOTES, next_id)
            by_shard = {}
            next_id = self._allocate_highlight_id()
            for aid, start, end, note in highlights:
                doc = {
                    "article_id": aid,
                    "start": start,
                    "end": end,
                    "note": note,
                    "created_at": now,
                    "updated_at": now,
                }
                by_shard.setdefault(_shard(aid), []).append(Document(doc, doc_id=next_id))
                next_id += 1
            for shard, docs in by_shard.items():
                self._highlights[shard].table(HIGHLIGHTS).insert_multiple(docs)
            self._next_highlight_id = next_id
            self._save_counter(HIGHLIGHTS, next_id)
