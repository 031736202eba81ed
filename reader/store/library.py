"""The library: articles, reading progress, notes, highlights, review schedules and settings.

`Library` is the one door to a data home (layout: reader.store.home). It owns what every
call shares: the home lock, the open files, the read-only state, the thread lock and the
change announcements. What each kind of data looks like on disk, and how it is read back,
lives beside it: articles (the index), progress, annotations (notes and highlights),
review_state, settings, counters, over db and shards. Design points:

* Identity is the content hash (reader.store.ids), so paths never matter and re-importing
  is a no-op.
* Every write goes through AtomicJSONStorage or fileio.write_atomic: a kill -9 at any point
  leaves every file as it was after its last completed write.
* One writer per home (reader.store.lock); other windows open read-only and say so.
* Per-article data is split into 16 small files by the article id's first hex digit
  (reader.store.shards), so a progress save or a new note rewrites one small file and its
  cost does not grow with the size of the library.
* Reads come from the storages' in-memory copies and are re-parsed only when a file changed
  on disk, so listing 5,000 articles is a loop over dicts, not 5,000 file opens.
* Note and highlight ids are never handed out twice in a home's life (reader.store.counters):
  review cards and exports refer to them.
* Changes are announced to subscribers (see `subscribe`): the search index follows the
  library through them without the store knowing about search.

Threads: TinyDB is not thread-safe. Every public method takes one re-entrant lock, so calls
from different threads are serialized rather than interleaved: opening on the main thread
and then handing the library to a worker thread is fine, and an accidental call from a
second thread waits instead of corrupting the database. Keep calls off the UI thread anyway
(they do disk I/O and fsync), and never call the store from a signal handler: the handler
may interrupt a call in progress on the same thread, which the lock cannot protect against;
set a flag and save from the normal flow instead. The modules behind the Library take no
lock and check nothing about the caller: that is done here, once per public call.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from reader.plural import counted
from reader.store import events
from reader.store.annotations import HIGHLIGHT, HIGHLIGHTS, NOTE, NOTES, Annotations
from reader.store.articles import (
    ARTICLES,
    SCHEMA_VERSION,
    ArticleIndex,
    article_doc,
    article_record,
    recover_docs,
)
from reader.store.content import (
    TextBatch,
    content_path,
    encode_article,
    is_readable,
    read_article,
)
from reader.store.counters import IdCounters
from reader.store.db import Db, open_db
from reader.store.entity_corrections import FILE_NAME as CORRECTIONS_FILE
from reader.store.entity_corrections import EntityCorrection, EntityCorrections
from reader.store.errors import NotFound, ReadOnlyError, StoreError, disk_error
from reader.store.events import Listener
from reader.store.fields import Doc, now, opt_str, req_int
from reader.store.fileio import drain_unlinks, remove_stale_temps, rename_aside, write_atomic
from reader.store.ids import article_id, is_article_id
from reader.store.lock import HomeLock, LockBusy
from reader.store.progress import FINISHED_AT, PROGRESS, Progress
from reader.store.records import (
    AddResult,
    ArticleRecord,
    HighlightRecord,
    NoteRecord,
    ReviewState,
    clean_tags,
)
from reader.store.retext import Retexted, rebundle, selector
from reader.store.review_state import CARDS, REVIEW, ReviewStates
from reader.store.salvage import salvage_records
from reader.store.settings import Settings
from reader.store.shards import SHARDS, Shards, article_key, shard_of
from reader.store.staging import all_or_nothing
from reader.store.trash import (
    TRASH,
    Parts,
    Restored,
    TrashEntry,
    TrashFolder,
    article_of,
    collect,
    preview,
    put_back,
    take_out,
    utc_now,
)

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["FINISHED_AT", "SCHEMA_VERSION", "Library", "Listener"]

# What subscribers hear (see Library.subscribe), under the names they know from here.
ARTICLE_ADDED = events.ARTICLE_ADDED
ARTICLE_DELETED = events.ARTICLE_DELETED
NOTE_CHANGED = events.NOTE_CHANGED
NOTE_DELETED = events.NOTE_DELETED
HIGHLIGHT_CHANGED = events.HIGHLIGHT_CHANGED
HIGHLIGHT_DELETED = events.HIGHLIGHT_DELETED

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")
A = TypeVar("A", NoteRecord, HighlightRecord)


def _serialized(
    method: Callable[Concatenate[Library, P], R],
) -> Callable[Concatenate[Library, P], R]:
    """Run the method under the library's lock, and refuse once the library is closed."""

    @functools.wraps(method)
    def wrapper(self: Library, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex:
            if self._closed:
                raise StoreError("The library has been closed; open it again to continue.")
            try:
                return method(self, *args, **kwargs)
            except StoreError:
                raise
            except OSError as exc:  # a full disk, a folder that cannot be written
                raise disk_error(exc, str(self.home)) from exc

    return wrapper


class Library:
    """A data home opened for reading, and for writing when this process holds its lock."""

    notices: list[str]
    read_only: bool
    home: Path
    cache_dir: Path

    def __init__(
        self,
        home: Path,
        *,
        lock: HomeLock,
        read_only: bool,
        notices: list[str],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """Use Library.open(); this only sets fields."""
        self._trash = TrashFolder(home / TRASH, clock)
        self.home = home
        self.cache_dir = home / "cache"
        self.articles_dir = home / "articles"
        self.read_only = read_only
        self.notices = notices
        self._lock = lock
        self._mutex = threading.RLock()
        self._closed = False
        self._read_only_reason = "This library was opened read-only, so changes cannot be saved."
        self._dbs: list[Db] = []  # every file opened so far, to switch or close them together
        self._index: ArticleIndex
        self._settings: Settings
        self._counters: IdCounters
        self._progress: Progress
        self._notes: Annotations[NoteRecord]
        self._highlights: Annotations[HighlightRecord]
        self._review: ReviewStates
        self._listeners: list[Listener] = []
        self._changes = 0  # see change_count
        self._seen: tuple[tuple[object, ...], int] = ((), 0)
        self._quoted_text: tuple[str, str] | None = None  # see _quote

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls,
        home: Path | str | os.PathLike[str],
        *,
        read_only: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> Library:
        """Open a data home, taking its lock unless another window already has it.

        Never fails because of another window or a damaged file: those become notices.
        Raises StoreError only when the home's files cannot be read at all. `clock` (UTC
        now) dates deletions and decides which are old enough to purge; tests pass one.
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
        library = cls(
            path, lock=lock, read_only=read_only or busy, notices=notices, clock=clock or utc_now
        )
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
        if not library.read_only:
            with contextlib.suppress(OSError):  # a full disk: purged at a later opening
                library._trash.purge()
        return library

    def _load(self) -> None:
        """Open every file in a fixed order, so notices about damaged ones read the same."""
        home = self.home
        for folder in self._folders():
            if folder.exists() and not folder.is_dir():
                self._folder_is_a_file(folder)
        if not self.read_only:
            for folder in self._folders():
                folder.mkdir(exist_ok=True)
            for folder in (home, *self._folders()):
                if folder != self.cache_dir:
                    remove_stale_temps(folder)
        self._index = ArticleIndex(
            self._open(
                home / "library.json",
                what="The library index (library.json)",
                after="starting a fresh index",
                after_read_only="this window shows an empty library",
            )
        )
        self._check_schema()
        settings = self._open(
            home / "settings.json",
            what="The settings file (settings.json)",
            after="settings are back to their defaults",
            after_read_only="this window uses the default settings",
        )
        progress = self._open_shards(
            PROGRESS,
            PROGRESS,
            what="Reading positions for some articles",
            after="those articles start again from the beginning",
            after_read_only="those articles show no progress here",
        )
        notes = self._open_shards(
            NOTES,
            NOTES,
            what="The notes of some articles",
            after="the notes in it are not shown; everything else is intact",
            after_read_only="those notes are not shown here",
        )
        highlights = self._open_shards(
            HIGHLIGHTS,
            HIGHLIGHTS,
            what="The highlights of some articles",
            after="the highlights in it are not shown; everything else is intact",
            after_read_only="those highlights are not shown here",
        )
        review = self._open_shards(
            REVIEW,
            CARDS,
            what="Review schedules of some cards",
            after="those cards start again as new cards",
            after_read_only="those cards show as new here",
        )
        keys = self._open(
            home / REVIEW / "keys.json",
            what=f"The key-sentence list for review ({REVIEW}/keys.json)",
            after="it will be rebuilt from the analyses",
            after_read_only="key sentences of finished articles are not reviewed here",
        )
        self._counters = IdCounters(
            self._open(
                home / "counters.json",
                what="The id counters (counters.json)",
                after="new ids continue after the highest one in use",
                after_read_only="nothing is lost",
            )
        )
        self._settings = Settings(settings)
        self._progress = Progress(progress)
        self._notes = Annotations(NOTE, notes, self._counters)
        self._highlights = Annotations(HIGHLIGHT, highlights, self._counters)
        self._review = ReviewStates(review, keys)
        if self._index.db.damaged:
            self._recover_from_texts()
        if not self.read_only:
            with contextlib.suppress(OSError):  # a full disk: this session's ids are right anyway
                self._notes.reconcile()
                self._highlights.reconcile()
            self._migrate()

    def _migrate(self) -> None:
        """Bring a home saved by an earlier version up to this one, on its first writable
        open. Schema 2 keeps each note's and highlight's quote beside its offsets, so that
        a new text of the article can find it again; the texts themselves still read as
        they were. A failure (a full disk) leaves the home as it was, to try next time."""
        version = self._index.schema().get("schema")
        if isinstance(version, int) and version >= SCHEMA_VERSION:
            return
        pending: dict[str, list[tuple[Annotations[Any], int, Doc]]] = {}
        for store in (self._notes, self._highlights):
            for key, doc in store.shards.docs():
                aid = doc.get("article_id")
                if "quote" not in doc and isinstance(aid, str) and is_article_id(aid):
                    pending.setdefault(aid, []).append((store, int(key), doc))
        try:
            with self._together():
                for aid, items in pending.items():
                    try:
                        text = self.load_article(aid).text
                    except StoreError:  # unreadable now: its quotes come from the offsets later
                        continue
                    for store in (self._notes, self._highlights):
                        quotes = {
                            ref: selector(text, req_int(doc["start"]), req_int(doc["end"]))
                            for owner, ref, doc in items
                            if owner is store
                        }
                        if quotes:
                            store.set_quotes(aid, quotes)
                self._index.stamp_schema()
        except (OSError, StoreError):
            return

    def _folder_is_a_file(self, folder: Path) -> None:
        """A file where a folder of the home belongs: kept aside like a damaged file."""
        name = f"{folder.name}/"
        if self.read_only:
            self.notices.append(
                f"{folder} should be the library's {name} folder but is a file; this window "
                "shows nothing from it. Open reader where it can write to repair it."
            )
            return
        aside = rename_aside(folder)
        self.notices.append(
            f"{folder} should be the library's {name} folder but was a file; the file was "
            f"kept as {aside.name} and a new, empty {name} folder was made."
        )

    def _open(self, path: Path, *, what: str, after: str, after_read_only: str) -> Db:
        db = open_db(
            path,
            read_only=self.read_only,
            notices=self.notices,
            what=what,
            after=after,
            after_read_only=after_read_only,
        )
        self._dbs.append(db)
        return db

    def _open_shards(
        self, folder: str, table: str, *, what: str, after: str, after_read_only: str
    ) -> Shards:
        dbs = [
            self._open(
                self.home / folder / f"{shard}.json",
                what=f"{what} ({folder}/{shard}.json)",
                after=after,
                after_read_only=after_read_only,
            )
            for shard in SHARDS
        ]
        return Shards(dbs, table)

    def _check_schema(self) -> None:
        meta = self._index.schema()
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

    def _set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for db in self._dbs:
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

    def _recover_from_texts(self) -> None:
        """Put back the articles a damaged library.json lost (see recover_docs).

        What the damaged file still holds (kept aside as `<name>.corrupt-*`) is read back
        first, so tags, origins and dates added survive wherever their record did.
        """
        salvage: dict[str, Doc] = {}
        damaged = self._index.db.aside or self._index.db.path  # read-only: left in place
        with contextlib.suppress(OSError):
            salvage = salvage_records(damaged.read_bytes(), ARTICLES)
        recovery = recover_docs(
            self.articles_dir, self._index.raw(), salvage, move_aside=not self.read_only
        )
        count = len(recovery.docs)
        if count and self.read_only:
            self._index.show(recovery.docs)
            self.notices.append(
                f"This window shows {counted(count, 'article')} recovered from "
                "their saved texts; open reader where it can write to repair the index."
            )
        elif count:
            self._index.insert(recovery.docs)
            kept = "reading progress and notes are kept"
            if recovery.salvaged == count:
                kept += ", and so are their tags, origins and dates added"
            elif recovery.salvaged:
                kept += (
                    f"; the tags, origins and dates added of {recovery.salvaged} were read back "
                    f"from the damaged index, the other {count - recovery.salvaged} start "
                    "without tags"
                )
            else:
                kept += "; their tags could not be read back, so they start without tags"
            self.notices.append(
                f"Recovered {counted(count, 'article')} from their saved texts: {kept}."
            )
        if recovery.unreadable:
            self.notices.append(
                f"{recovery.unreadable} saved article texts could not be read and were "
                "skipped; add those articles again to restore them."
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
        self._notes.forget_next_id()
        self._highlights.forget_next_id()
        for folder in self._folders():
            folder.mkdir(exist_ok=True)
        return True

    def close(self) -> None:
        """Release the lock; every write is already on disk, so there is nothing to flush."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            self._seen = ((), 0)
            for db in self._dbs:
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

    def _together(self, texts: TextBatch | None = None) -> contextlib.AbstractContextManager[None]:
        """Every TinyDB write inside the block lands together or not at all."""
        return all_or_nothing([db.storage for db in self._dbs], texts)

    # ------------------------------------------------------------------ articles

    def _get_record(self, aid: str) -> ArticleRecord:
        key = str(article_key(aid))
        doc = self._index.raw().get(key)
        record = None
        if doc is not None:
            record = article_record(doc, self._progress.shards.raw(aid).get(key))
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
        existing = self._index.raw().get(str(key))
        if existing is not None and article_record(existing, None) is not None:
            if not is_readable(path):
                write_atomic(path, encode_article(article))
            return AddResult(self._get_record(aid), added=False)
        write_atomic(path, encode_article(article))
        self._index.put(key, article_doc(aid, article, origin, now()))
        self._emit(ARTICLE_ADDED, aid)
        return AddResult(self._get_record(aid), added=True)

    @_serialized
    def add_articles(self, items: Iterable[tuple[Article, str | None]]) -> list[AddResult]:
        """Add many (article, origin) pairs with one index write; results in input order.

        For importing a folder: the texts are written as one TextBatch and then the index
        once, so the guarantees of add_article hold at a fraction of the cost of one index
        rewrite per article.
        """
        self._require_writable()
        raw = self._index.raw()
        new_docs: dict[int, Doc] = {}
        results: list[AddResult] = []
        with TextBatch(self.articles_dir) as texts:
            for article, origin in items:
                aid = article_id(article)
                key = int(aid, 16)
                if str(key) in raw:
                    results.append(AddResult(self._get_record(aid), added=False))
                    continue
                added = key not in new_docs
                if added:
                    texts.add(aid, article)
                    new_docs[key] = article_doc(aid, article, origin, now())
                record = article_record(new_docs[key], None)
                assert record is not None
                results.append(AddResult(record, added=added))
            texts.commit()
        if new_docs:
            self._index.insert(new_docs)
            for doc in new_docs.values():
                self._emit(ARTICLE_ADDED, doc["id"])
        return results

    @_serialized
    def articles(self) -> list[ArticleRecord]:
        """Every article, in the order added; reads no article texts."""
        progress = self._progress.shards.raws()
        records: list[ArticleRecord] = []
        for key, doc in self._index.raw().items():
            aid = doc.get("id")
            shard = progress[shard_of(aid)] if isinstance(aid, str) and is_article_id(aid) else {}
            record = article_record(doc, shard.get(key))
            if record is not None:
                records.append(record)
        return records

    @_serialized
    def replace_text(self, aid: str, article: Article) -> Retexted:
        """Give an article a new text (a better extraction of the same document), with
        everything the reader made of it re-anchored there (reader.store.retext).

        The id follows the text (it is the text's hash). Like `delete`, every file changes
        together or none does; the old text goes last. Notes and highlights not found in
        the new text are kept, marked detached.
        """
        self._require_writable()
        old = self._get_record(aid)
        new_id = article_id(article)
        old_article = self.load_article(aid)
        bundle, _ = collect(self._parts(), aid, self.articles_dir)
        moved, report = rebundle(bundle, old_article.text, article, new_id, now())
        if new_id == aid:  # the same words under the same title: only the layout is new
            write_atomic(content_path(self.articles_dir, new_id), encode_article(article))
            self._index.put(article_key(aid), moved.article)
            self._quoted_text = None
            self._emit(ARTICLE_DELETED, aid)  # what follows the library reads it afresh
            self._emit(ARTICLE_ADDED, aid)
            return report
        path = content_path(self.articles_dir, new_id)
        if not is_readable(path):
            write_atomic(path, encode_article(article))
        entry = TrashEntry("", new_id, old.title, now())
        with self._together():
            take_out(self._parts(), aid)
            put_back(self._parts(), moved, entry, now())
        with contextlib.suppress(FileNotFoundError):
            content_path(self.articles_dir, aid).unlink()
        self._quoted_text = None
        self._emit(ARTICLE_DELETED, aid)
        self._emit(ARTICLE_ADDED, new_id)
        return report

    @_serialized
    def get(self, article_id: str) -> ArticleRecord:
        return self._get_record(article_id)

    @_serialized
    def load_article(self, article_id: str) -> Article:
        """The stored text; DamagedFile (a StoreError) if it is missing or unreadable."""
        record = self._get_record(article_id)
        path = content_path(self.articles_dir, article_id)
        return read_article(path, record.title, keep_aside=not self.read_only)

    @_serialized
    def set_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        self._require_writable()
        self._get_record(article_id)
        self._index.set_tags(article_id, clean_tags(tags))
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

    # ------------------------------------------------------------------ deleting and the trash

    def _parts(self) -> Parts:
        return Parts(
            self._index, self._progress, self._notes, self._highlights, self._review, self._counters
        )

    @_serialized
    def delete(self, article_id: str) -> TrashEntry:
        """Move the article with its notes, highlights, schedules and progress to the trash.

        The trash entry (reader.store.trash) is on disk before anything is removed; then
        every file changes together or none does (reader.store.staging), and the text goes
        last. A failure at any point leaves the library as it was; a crash leaves the
        article at worst both listed and in the trash. `restore_deleted(entry.id)` undoes it.
        """
        self._require_writable()
        self._get_record(article_id)
        bundle, article = collect(self._parts(), article_id, self.articles_dir)
        entry = self._trash.put(article_id, bundle)
        try:
            with self._together():
                take_out(self._parts(), article_id)
        except BaseException:
            with contextlib.suppress(OSError):
                self._trash.remove(entry.id)
            raise
        with contextlib.suppress(FileNotFoundError):
            content_path(self.articles_dir, article_id).unlink()
        if article is not None:
            self._trash.stash_cache(entry.id, self.cache_dir, article.text)
        self._emit(ARTICLE_DELETED, article_id)
        return entry

    @_serialized
    def delete_preview(self, article_id: str) -> TrashEntry:
        """What `delete` would move to the trash (its `id` is ""), for the question asked first."""
        self._get_record(article_id)
        return preview(self._parts(), article_id, self.articles_dir)

    @_serialized
    def trash(self) -> list[TrashEntry]:
        """Deleted articles still kept, newest first; one that cannot be read says why."""
        return self._trash.entries()

    @_serialized
    def last_deleted(self) -> TrashEntry | None:
        """The newest trash entry (reads only that one), for undoing the last delete."""
        for entry_id in self._trash.ids():
            with contextlib.suppress(NotFound):
                return self._trash.read(entry_id)[0]
        return None

    @_serialized
    def restore_deleted(self, entry_id: str) -> Restored:
        """Put a deleted article back with everything it had, under the same ids.

        NotFound for an entry no longer in the trash, DamagedFile for one that cannot be
        read (left as it is). If the same article was added again meanwhile, its old
        notes and highlights join the new ones (see reader.store.trash); `message` says
        so. All or nothing like `delete`; the entry is removed only once all is back.
        """
        self._require_writable()
        entry, bundle = self._trash.read(entry_id)
        article = article_of(bundle, entry)
        path = content_path(self.articles_dir, entry.article_id)
        with TextBatch(self.articles_dir) as texts:
            if article is not None and not is_readable(path):
                texts.add(entry.article_id, article)
            with self._together(texts):
                result = put_back(self._parts(), bundle, entry, now())
        self._trash.unstash_cache(entry_id, self.cache_dir)
        with contextlib.suppress(OSError):  # all is back: a leftover entry restores as a no-op
            self._trash.remove(entry_id)
        self._emit(ARTICLE_ADDED, entry.article_id)
        for ref in result.notes:
            self._emit(NOTE_CHANGED, entry.article_id, ref)
        for ref in result.highlights:
            self._emit(HIGHLIGHT_CHANGED, entry.article_id, ref)
        return result

    @_serialized
    def purge_trash(self) -> int:
        """Remove trash entries older than 30 days (also done on every writable open)."""
        self._require_writable()
        return self._trash.purge()

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
        furthest: float | None = None,
        anchor: int | None = None,
    ) -> None:
        """Record where the reader is; rewrites one small progress shard (see module doc).

        `position`/`progress` are the bookmark. `furthest` (default: `progress`) only ever
        raises the furthest point saved. `seconds_read` is added to the total. `finished`
        None keeps what was saved; True/False set it (the reader's judgement, or the
        reading screen's: see reader.ui.tracking). `anchor` is the offset of the
        first sentence on screen.
        """
        self._require_writable()
        for value in (progress, furthest):
            if value is not None and not (isinstance(value, int | float) and math.isfinite(value)):
                raise ValueError(f"progress must be a finite number, not {value!r}")
        if str(article_key(article_id)) not in self._index.raw():
            raise NotFound(f"There is no article with id {article_id} in the library.")
        self._progress.save(
            article_id,
            position=position,
            progress=progress,
            seconds_read=seconds_read,
            finished=finished,
            furthest=furthest,
            anchor=anchor,
        )

    @_serialized
    def progress_doc(self, article_id: str) -> Doc | None:
        """The raw saved progress (position, progress, seconds_read, last_read, finished)."""
        doc = self._progress.doc(article_id)
        return dict(doc) if doc is not None else None

    # ------------------------------------------------------------------ notes and highlights

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

    @_serialized
    def notes(self, article_id: str) -> list[NoteRecord]:
        """The article's notes in text order (start, then end, then creation); [] if none."""
        return self._notes.of_article(article_id)

    @_serialized
    def note_count(self, article_id: str) -> int:
        return self._notes.count(article_id)

    @_serialized
    def note_counts(self) -> dict[str, int]:
        """Notes per article id in one pass, for lists that show a count on every row."""
        return self._notes.counts()

    @_serialized
    def add_note(self, article_id: str, start: int, end: int, text: str) -> NoteRecord:
        """Attach a note to the sentence at [start, end); the text is stored exactly as given."""
        self._require_writable()
        self._get_record(article_id)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            raise ValueError(f"a note needs 0 <= start <= end, not ({start!r}, {end!r})")
        if not isinstance(text, str):
            raise TypeError(f"{NOTE.text_name} must be a string")
        return self._add_annotation(self._notes, article_id, start, end, text)

    @_serialized
    def update_note(self, note_id: int, text: str) -> NoteRecord:
        return self._set_annotation_text(self._notes, note_id, text)

    @_serialized
    def delete_note(self, note_id: int) -> None:
        """Remove a note and its review schedule; NotFound if it is already gone."""
        self._remove_annotation(self._notes, note_id)

    @_serialized
    def get_note(self, note_id: int) -> NoteRecord:
        """NotFound if the note is gone."""
        return self._notes.find(note_id)[1]

    @_serialized
    def all_notes(self) -> list[NoteRecord]:
        """Every note of every listed article, by article then text order."""
        return self._notes.all(self._index.raw())

    @_serialized
    def highlights(self, article_id: str) -> list[HighlightRecord]:
        """The article's highlights in text order (start, then end, then id); [] if none."""
        return self._highlights.of_article(article_id)

    @_serialized
    def all_highlights(self) -> list[HighlightRecord]:
        """Every highlight of every listed article, by article then text order."""
        return self._highlights.all(self._index.raw())

    @_serialized
    def highlight_counts(self) -> dict[str, int]:
        """Highlights per article id in one pass (for list rows)."""
        return self._highlights.counts()

    @_serialized
    def get_highlight(self, highlight_id: int) -> HighlightRecord:
        return self._highlights.find(highlight_id)[1]

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

    @_serialized
    def set_highlight_note(self, highlight_id: int, text: str) -> HighlightRecord:
        """Replace the highlight's note ("" removes it); NotFound if the highlight is gone."""
        return self._set_annotation_text(self._highlights, highlight_id, text)

    @_serialized
    def remove_highlight(self, highlight_id: int) -> None:
        """Remove a highlight with its note and review schedule; NotFound if already gone."""
        self._remove_annotation(self._highlights, highlight_id)

    @_serialized
    def annotation_rows(
        self,
    ) -> tuple[list[str], list[tuple[int, str, str, str]], list[tuple[int, str, str, str]]]:
        """(article ids, notes as (id, article id, updated_at, text), highlights as (id,
        article id, updated_at, note)) of listed articles, as bare tuples: what the search
        index compares with what it holds, without building 20,000 records."""
        order = self._index.ids()
        known = set(order)
        return order, self._notes.rows(known), self._highlights.rows(known)

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
        order = self._index.ids()
        known = set(order)
        finished = self._progress.finished(known)
        return order, finished, self._highlights.spans(known), self._notes.spans(known)

    @_serialized
    def review_due_index(self) -> dict[str, tuple[str, float]]:
        """card id -> (article id, due as POSIX seconds) for every scheduled card.

        The compact form the due count needs: no fsrs objects, no texts.
        """
        return self._review.due_index()

    @_serialized
    def review_states(self) -> list[ReviewState]:
        """Every saved schedule, by card id."""
        return self._review.states()

    @_serialized
    def review_state(self, card_id: str, article_id: str) -> ReviewState | None:
        return self._review.state(card_id, article_id)

    @_serialized
    def save_review_state(
        self, card_id: str, article_id: str, state: dict[str, Any], due: float
    ) -> None:
        """Store a card's scheduler state (fsrs Card.to_dict()) and its due time (POSIX s)."""
        self._require_writable()
        self._get_record(article_id)
        self._review.save(card_id, article_id, state, due)

    @_serialized
    def key_sentence_index(self) -> dict[str, tuple[str, list[tuple[int, int]]]]:
        """article id -> (analyzer version, key-sentence spans) recorded for review."""
        return self._review.key_index()

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
        self._review.set_keys(entries, self._index.raw())

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

    @_serialized
    def change_count(self) -> int:
        """A number that goes up whenever anything this library holds may have changed.

        For callers that keep figures derived from the library (the review due count) and
        must know cheaply whether they are still current: unlike `subscribe`, it also sees
        progress, review schedules, key sentences, restores and, in a read-only window,
        another window's writes. Costs one stat per file: a storage's write count moves on
        every write here, and its cached tables are replaced whenever the file changed on
        disk, so comparing both with what was seen last time misses nothing.
        """
        tables = tuple(db.storage.read() for db in self._dbs)
        writes = sum(db.storage.writes for db in self._dbs)
        seen_tables, seen_writes = self._seen
        if (
            writes != seen_writes
            or len(tables) != len(seen_tables)
            or any(a is not b for a, b in zip(tables, seen_tables, strict=True))
        ):
            self._changes += 1
            self._seen = (tables, writes)
        return self._changes

    # ------------------------------------------------------------------ snapshots (export, import)

    @_serialized
    def all_settings(self) -> dict[str, Any]:
        """Every stored setting, key -> value, for exports."""
        return self._settings.all()

    @_serialized
    def id_counters(self) -> dict[str, int]:
        """The next note and highlight ids this home will hand out."""
        return {NOTES: self._notes.next_id(), HIGHLIGHTS: self._highlights.next_id()}

    @_serialized
    def is_empty(self) -> bool:
        """No articles, notes, highlights or review schedules: an import may restore ids."""
        if self._index.raw():
            return False
        return (
            self._notes.shards.is_empty()
            and self._highlights.shards.is_empty()
            and self._review.shards.is_empty()
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

    # ------------------------------------------------------------------ settings

    @_serialized
    def get_setting(self, key: str, default: T) -> T:
        """The stored value, or `default` when unset or of a different type than `default`.

        An int stored where a float is expected is widened ("wpm" saved as 250 reads as
        250.0); anything else of the wrong type falls back to the default rather than
        handing the UI a value it cannot use.
        """
        return self._settings.get(key, default)

    @_serialized
    def set_setting(self, key: str, value: object) -> None:
        """Store a JSON value (tuples come back as lists); ValueError for anything else."""
        self._require_writable()
        self._settings.set(key, value)

    # ------------------------------------------------------------------ entity corrections

    _corrections: EntityCorrections | None = None

    def _entity_corrections(self) -> EntityCorrections:
        """Opened on first use: a home where no name was ever corrected has no such file."""
        if self._corrections is None:
            self._corrections = EntityCorrections(
                self._open(
                    self.home / CORRECTIONS_FILE,
                    what=f"The entity corrections ({CORRECTIONS_FILE})",
                    after="the entities pane shows the names as found",
                    after_read_only="the entities pane shows the names as found",
                )
            )
        return self._corrections

    @_serialized
    def entity_corrections(self) -> dict[str, EntityCorrection]:
        """The reader's corrections by `entity_corrections.name_key`, for every article."""
        return self._entity_corrections().all()

    @_serialized
    def correct_entity(
        self, name: str, *, label: str | None = None, hidden: bool = False
    ) -> EntityCorrection | None:
        """Retype (`label`) or hide a name everywhere; neither removes the correction.

        ValueError for a name or kind that cannot be stored; DiskError changes nothing.
        """
        self._require_writable()
        store = self._entity_corrections()
        with self._together():
            return store.set(name, label=label, hidden=hidden)

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
            stamp = now()
            self._progress.add_many(progress, stamp)
            self._notes.add_many(notes, stamp)
            self._highlights.add_many(highlights, stamp)
