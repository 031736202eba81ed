"""The library: articles, reading progress, notes, highlights, review schedules and settings.

`Library` is the one door to a data home (layout: reader.store.home). It owns what every
call shares: the home lock, the open files, the read-only state, the thread lock and the
change announcements. Its public methods are grouped by concern, one mixin module each,
over the shared fields in library_base: library_articles, library_trash, library_progress,
library_marks (notes and highlights), library_review, library_settings and
library_snapshot (export and import). What each kind of data looks like on disk, and how
it is read back, lives beside them: articles (the index), progress, annotations (notes and
highlights), review_state, settings, counters, over db and shards. Design points:

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
second thread waits instead of corrupting the database. The app keeps to one thread, its
UI thread (the rules: reader.ui), and never calls the store from a signal handler: the handler
may interrupt a call in progress on the same thread, which the lock cannot protect against;
set a flag and save from the normal flow instead. The modules behind the Library take no
lock and check nothing about the caller: that is done here, once per public call, by the
`serialized` decorator (reader.store.library_base) on every public method.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from reader.plural import counted
from reader.store import events
from reader.store.annotations import HIGHLIGHT, HIGHLIGHTS, NOTE, NOTES, Annotations
from reader.store.articles import ARTICLES, SCHEMA_VERSION, ArticleIndex, recover_docs
from reader.store.counters import IdCounters
from reader.store.errors import StoreError
from reader.store.events import Listener
from reader.store.fields import Doc, req_int
from reader.store.fileio import drain_unlinks, remove_stale_temps, rename_aside
from reader.store.ids import is_article_id
from reader.store.library_articles import ArticlesMixin
from reader.store.library_base import serialized
from reader.store.library_feeds import FeedsMixin
from reader.store.library_marks import MarksMixin
from reader.store.library_progress import ProgressMixin
from reader.store.library_review import ReviewMixin
from reader.store.library_snapshot import SnapshotMixin
from reader.store.library_trash import TrashMixin
from reader.store.library_waiting import WaitingMixin
from reader.store.lock import HomeLock, LockBusy
from reader.store.progress import FINISHED_AT, PROGRESS, Progress
from reader.store.retext import selector
from reader.store.review_state import CARDS, REVIEW, ReviewStates
from reader.store.salvage import salvage_records
from reader.store.settings import Settings
from reader.store.shards import SHARDS, Shards
from reader.store.trash import utc_now

__all__ = ["FINISHED_AT", "SCHEMA_VERSION", "Library", "Listener"]

# What subscribers hear (see Library.subscribe), under the names they know from here.
ARTICLE_ADDED = events.ARTICLE_ADDED
ARTICLE_DELETED = events.ARTICLE_DELETED
NOTE_CHANGED = events.NOTE_CHANGED
NOTE_DELETED = events.NOTE_DELETED
HIGHLIGHT_CHANGED = events.HIGHLIGHT_CHANGED
HIGHLIGHT_DELETED = events.HIGHLIGHT_DELETED


class Library(
    ArticlesMixin,
    TrashMixin,
    ProgressMixin,
    MarksMixin,
    ReviewMixin,
    SnapshotMixin,
    FeedsMixin,
    WaitingMixin,
):
    """A data home opened for reading, and for writing when this process holds its lock."""

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

    @serialized
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

    @serialized
    def upgrade_done(self, name: str) -> bool:
        """Whether the one-time upgrade `name` (e.g. reader.study.reimport's) has run here.

        Kept with the schema version, not among the reader's settings: it is the home's
        own state, not a choice to export or restore."""
        done = self._index.schema().get("upgrades", [])
        return isinstance(done, list) and name in done

    @serialized
    def mark_upgrade_done(self, name: str) -> None:
        self._require_writable()
        self._index.add_upgrade(name)

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

    @serialized
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
