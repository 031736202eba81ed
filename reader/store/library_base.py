"""What every part of the Library shares: its fields, the per-call guard and the helpers.

`Library` (reader.store.library) is assembled from one mixin per concern (library_articles,
library_trash, library_progress, library_marks, library_review, library_settings,
library_snapshot) over this base, so each of them sees the same fields, typed, and guards
its public methods with the same `serialized`. The rule those methods follow is stated
once, in reader.store.library.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from reader.store.articles import ArticleIndex, article_record
from reader.store.content import TextBatch, content_path, read_article
from reader.store.counters import IdCounters
from reader.store.db import Db, open_db
from reader.store.entity_corrections import FILE_NAME as CORRECTIONS_FILE
from reader.store.entity_corrections import EntityCorrections
from reader.store.errors import NotFound, ReadOnlyError, StoreError, disk_error
from reader.store.events import Listener
from reader.store.lock import HomeLock
from reader.store.records import ArticleRecord, HighlightRecord, NoteRecord
from reader.store.shards import article_key
from reader.store.staging import all_or_nothing
from reader.store.trash import TRASH, Parts, TrashFolder, utc_now

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store.annotations import Annotations
    from reader.store.progress import Progress
    from reader.store.review_state import ReviewStates
    from reader.store.settings import Settings

S = TypeVar("S", bound="LibraryBase")
P = ParamSpec("P")
R = TypeVar("R")

_MARK = "_library_serialized"  # set on every wrapper, so tests can tell a guarded method


def serialized(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run the method under the library's lock, and refuse once the library is closed."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._mutex:
            if self._closed:
                raise StoreError("The library has been closed; open it again to continue.")
            try:
                return method(self, *args, **kwargs)
            except StoreError:
                raise
            except OSError as exc:  # a full disk, a folder that cannot be written
                raise disk_error(exc, str(self.home)) from exc

    setattr(wrapper, _MARK, True)
    return wrapper


def is_serialized(function: object) -> bool:
    """Whether `function` is a method wrapped by `serialized`."""
    return getattr(function, _MARK, False) is True


class LibraryBase:
    """The state of one opened data home; Library.open() fills it."""

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
        self._quoted_text: tuple[str, str] | None = None  # see MarksMixin._quote

    _corrections: EntityCorrections | None = None

    def _require_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(self._read_only_reason)

    def _together(self, texts: TextBatch | None = None) -> contextlib.AbstractContextManager[None]:
        """Every TinyDB write inside the block lands together or not at all."""
        return all_or_nothing([db.storage for db in self._dbs], texts)

    def _emit(self, event: str, article_id: str, ref: int | None = None) -> None:
        for listener in list(self._listeners):
            listener(event, article_id, ref)

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

    def _get_record(self, aid: str) -> ArticleRecord:
        key = str(article_key(aid))
        doc = self._index.raw().get(key)
        record = None
        if doc is not None:
            record = article_record(doc, self._progress.shards.raw(aid).get(key))
        if record is None:
            raise NotFound(f"There is no article with id {aid} in the library.")
        return record

    @serialized
    def load_article(self, article_id: str) -> Article:
        """The stored text; DamagedFile (a StoreError) if it is missing or unreadable.

        Here rather than with the other article methods: notes, highlights and the schema
        migration read texts too, and count on this call's guard (a failed read is a
        StoreError they can catch).
        """
        record = self._get_record(article_id)
        path = content_path(self.articles_dir, article_id)
        return read_article(path, record.title, keep_aside=not self.read_only)

    def _parts(self) -> Parts:
        return Parts(
            self._index, self._progress, self._notes, self._highlights, self._review, self._counters
        )

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
