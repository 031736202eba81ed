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
from collections.abc import Callable, Iterable
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
from reader.store.records import AddResult, ArticleRecord, NoteRecord
from reader.store.storage import AtomicJSONStorage, CorruptDatabase

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["FINISHED_AT", "SCHEMA_VERSION", "Library"]

SCHEMA_VERSION = 1
FINISHED_AT = 0.995  # progress at which an article counts as read to the end
SHARDS = "0123456789abcdef"

ARTICLES = "articles"
META = "meta"
PROGRESS = "progress"
NOTES = "notes"
SETTINGS = "settings"

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
        self._library_damaged = False
        self._library: _Db
        self._settings: _Db
        self._progress: list[_Db] = []
        self._notes: list[_Db] = []

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
            for folder in (self.articles_dir, self.cache_dir, home / PROGRESS, home / NOTES):
                folder.mkdir(exist_ok=True)
            for folder in (home, self.articles_dir, home / PROGRESS, home / NOTES):
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

    def _all_dbs(self) -> list[_Db]:
        dbs = [*self._progress, *self._notes]
        for name in ("_library", "_settings"):
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
        for folder in (self.articles_dir, self.cache_dir, self.home / PROGRESS, self.home / NOTES):
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
        clean = sorted({tag.strip() for tag in tags if tag.strip()})
        self._library.table(ARTICLES).update({"tags": clean}, doc_ids=[_key(article_id)])
        return self._get_record(article_id)

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
        """One past the highest id in any shard: unique among the notes that exist.

        Within a session ids are never reused; across sessions the id of a deleted newest
        note may come back, which is harmless because no id outlives the session holding it.
        """
        if self._next_note_id is None:
            highest = 0
            for db in self._notes:
                for nid in db.raw(NOTES):
                    highest = max(highest, int(nid))
            self._next_note_id = highest + 1
        return self._next_note_id

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
        record = self._note(str(note_id), doc)
        assert record is not None
        return record

    @_serialized
    def update_note(self, note_id: int, text: str) -> NoteRecord:
        self._require_writable()
        if not isinstance(text, str):
            raise TypeError("note text must be a string")
        db, _ = self._find_note(note_id)
        db.table(NOTES).update({"text": text, "updated_at": _now()}, doc_ids=[note_id])
        return self._find_note(note_id)[1]

    @_serialized
    def delete_note(self, note_id: int) -> None:
        """Remove a note; NotFound if it is already gone."""
        self._require_writable()
        db, _ = self._find_note(note_id)
        db.table(NOTES).remove(doc_ids=[note_id])

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
    ) -> None:
        """Fill progress (id, position, fraction, seconds) and notes (id, start, end, text)
        with one write per shard; only benchmarks need libraries this big, this fast."""
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
