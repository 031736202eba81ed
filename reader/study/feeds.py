"""Updating feeds: fetch them a few at a time, read their new items, store them together.

Fetching and reading (the feed, and the page of each teaser item) run in thread pools, a
bounded number at once (`concurrency` feeds, and as many teaser pages); only the calling
thread touches the Library, since TinyDB belongs to one thread: results are collected from
the pools and written from here, several feeds per write when they finish close together.
So the app can run an update in a worker with a progress callback and cancel it
(`cancel.set()`): feeds not started yet are dropped, the running ones stop at their next
item, and everything already finished is stored.

Each request is conditional (the feed's ETag and Last-Modified), so a feed that has not
changed answers 304 and costs one request, with no parsing and no write but its date.

A teaser item's article is fetched from its link. When that page cannot be had, the
choice depends on why: a failure that may pass (a timeout, a refused connection, a 5xx or
429) skips the item, and the feed is asked unconditionally next time so the item is tried
again; any other (404, not an article, too big) stores the item from the feed's summary
and says so, since asking again would give the same answer.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from reader.article import Article
    from reader.sources.feed import FeedItem
    from reader.sources.url import Fetched
    from reader.store import Library
    from reader.store.feeds import FeedRecord, ItemKeys, SeenItems

__all__ = ["CONCURRENCY", "FeedOutcome", "Fetcher", "UpdateReport", "update_feeds"]

CONCURRENCY = 8
FLUSH_ITEMS = 500  # new items that make a write worth doing before more feeds finish
FLUSH_SECONDS = 1.0  # ... or the longest finished feeds wait to be stored
_PASSING = re.compile(
    r"timed out|could not connect|connection refused|broke off|DNS|HTTP (?:5\d\d|429|408)\b",
    re.IGNORECASE,
)

Status = Literal["updated", "not modified", "failed", "cancelled"]


class Fetcher(Protocol):
    def __call__(
        self, url: str, *, timeout: float, headers: Mapping[str, str] | None = None
    ) -> Fetched: ...


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed's update went; `error` and each note are one line naming the feed."""

    feed: FeedRecord
    status: Status
    new: int = 0
    error: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class UpdateReport:
    outcomes: list[FeedOutcome] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # ids of the articles stored
    cancelled: bool = False

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)


Progress = Callable[[int, int, "FeedRecord", FeedOutcome], None]


@dataclass(slots=True)
class _Gathered:
    """A feed's update as the pool hands it back, before it is stored."""

    outcome: FeedOutcome
    changes: dict[str, object]
    items: list[tuple[ItemKeys, Article | None, str | None]] = field(default_factory=list)


def update_feeds(
    library: Library,
    feeds: Sequence[FeedRecord] | None = None,
    *,
    fetch: Fetcher | None = None,
    concurrency: int = CONCURRENCY,
    timeout: float = 20.0,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> UpdateReport:
    """Update `feeds` (default: every one) and store their new items as unread articles.

    `on_progress(done, total, feed, outcome)` runs on this thread once each feed's result
    is stored. A StoreError from a write (a full disk) ends the update; whatever was
    stored before it stays.
    """
    from reader.sources.url import fetch as url_fetch

    chosen = library.feeds() if feeds is None else list(feeds)
    report = UpdateReport()
    if not chosen:
        return report
    get = fetch or url_fetch
    stop = cancel or threading.Event()
    keys = _Keys()
    workers = max(1, concurrency)
    with (
        ThreadPoolExecutor(workers, "feeds") as pool,
        ThreadPoolExecutor(workers, "pages") as pages,
    ):
        futures = {pool.submit(_gather, f, keys, get, timeout, pages, stop): f for f in chosen}
        waiting = set(futures)
        try:
            _collect(library, futures, waiting, keys, report, stop, on_progress)
        except BaseException:  # Ctrl-C, a failed write: leave now, not after every feed
            stop.set()
            for future in waiting:
                future.cancel()
            raise
    return report


def _collect(
    library: Library,
    futures: dict[Future[_Gathered], FeedRecord],
    waiting: set[Future[_Gathered]],
    keys: _Keys,
    report: UpdateReport,
    stop: threading.Event,
    on_progress: Progress | None,
) -> None:
    """Store results as they come (`waiting` shrinks as they do), several feeds per write
    when they finish close together."""
    done = 0
    batch: list[_Gathered] = []
    since = time.monotonic()
    while waiting or batch:
        finished, _ = wait(waiting, timeout=0.05, return_when=FIRST_COMPLETED)
        waiting -= finished
        if keys.wanted.is_set():
            keys.fill(library)
        if stop.is_set():
            report.cancelled = True
            for future in list(waiting):
                if future.cancel():
                    waiting.discard(future)
                    batch.append(_Gathered(FeedOutcome(futures[future], "cancelled"), {}))
        batch += [future.result() for future in finished]
        count = sum(len(g.items) for g in batch)
        late = time.monotonic() - since >= FLUSH_SECONDS
        if batch and (not waiting or count >= FLUSH_ITEMS or late):
            stored = _store(library, batch, keys, report)
            for outcome in stored:
                done += 1
                if on_progress is not None:
                    on_progress(done, len(futures), outcome.feed, outcome)
            batch, since = [], time.monotonic()


def _store(
    library: Library, batch: list[_Gathered], keys: _Keys, report: UpdateReport
) -> list[FeedOutcome]:
    """One write for the batch; an item another feed of this update already brought is
    remembered under this feed too, but stored once."""
    from reader.store.library_feeds import FeedItemWrite, FeedWrite

    writes: list[FeedWrite] = []
    outcomes: list[FeedOutcome] = []
    seen = keys.fill(library) if any(g.items for g in batch) else None
    for gathered in batch:
        outcome = gathered.outcome
        feed_id = outcome.feed.id
        items: list[FeedItemWrite] = []
        new = 0
        for named, article, origin in gathered.items:
            assert seen is not None
            again = seen.knows(feed_id, named)
            seen.add(feed_id, named)
            items.append(FeedItemWrite(named, None if again else article, origin))
            new += article is not None and not again
        if gathered.changes or items:
            writes.append(FeedWrite(feed_id, dict(gathered.changes), items))
        if outcome.status == "updated":
            outcome = FeedOutcome(outcome.feed, "updated", new, None, outcome.notes)
        outcomes.append(outcome)
    if writes:
        report.added += library.store_feed_updates(writes)
    report.outcomes += outcomes
    return outcomes


def _gather(
    feed: FeedRecord,
    keys: _Keys,
    get: Fetcher,
    timeout: float,
    pages: ThreadPoolExecutor,
    stop: threading.Event,
) -> _Gathered:
    """A feed's new items, read on a pool thread; never raises."""
    from reader.article import InputError
    from reader.sources.feed import content_hash, item_article, normalise_link, parse_feed
    from reader.store.feeds import ItemKeys, SeenItems
    from reader.store.fields import now

    if stop.is_set():
        return _Gathered(FeedOutcome(feed, "cancelled"), {})
    try:
        got = get(feed.url, timeout=timeout, headers=feed.conditional_headers())
        if got.status == 304:
            changes: dict[str, object] = {"checked_at": now(), "failures": 0, "last_error": None}
            return _Gathered(FeedOutcome(feed, "not modified"), changes)
        parsed = parse_feed(got.body, url=got.url, headers=got.headers)
        if parsed.problem is not None:
            return _failed(feed, parsed.problem)
        title = parsed.title or feed.title
        label = f"{title} ({feed.url})" if title else feed.url
        notes: list[str] = []
        fresh: list[tuple[FeedItem, ItemKeys]] = []
        here = SeenItems()  # the same item twice in one feed
        known = keys.known(stop)
        if known is None:
            return _Gathered(FeedOutcome(feed, "cancelled"), {})
        for item in parsed.items:
            link = normalise_link(item.link) if item.link else None
            # A teaser's few words ("Read more…") may be any item's: its guid and link name
            # it, and the page fetched is recognised by its text when stored.
            named = ItemKeys(item.guid, link, None if item.is_teaser else content_hash(item))
            if known.knows(feed.id, named) or here.knows(feed.id, named):
                continue
            here.add(feed.id, named)
            fresh.append((item, named))
        articles: list[tuple[FeedItem, ItemKeys, Article | None]] = []
        teasers: list[tuple[FeedItem, ItemKeys, Future[Article]]] = []
        for item, named in fresh:
            if stop.is_set():
                return _Gathered(FeedOutcome(feed, "cancelled"), {})
            try:
                article = item_article(item, title)
            except InputError as exc:
                notes.append(f"{label}: an item was left out ({exc.problem})")
                articles.append((item, named, None))  # remembered, so not reported again
                continue
            if article is None:  # a teaser: its article is at its link
                assert item.link is not None
                page = pages.submit(_page, item, title, get, timeout, stop)
                teasers.append((item, named, page))
            else:
                articles.append((item, named, article))
        retry = False
        for item, named, done in teasers:
            try:
                articles.append((item, named, done.result()))
            except _Cancelled:
                return _Gathered(FeedOutcome(feed, "cancelled"), {})
            except InputError as exc:
                if _PASSING.search(exc.problem):
                    retry = True
                    notes.append(f"{label}: {item.link}: {exc.problem}; tried again next update")
                    continue
                try:
                    articles.append((item, named, item_article(item, title, teaser_ok=True)))
                except InputError:
                    articles.append((item, named, None))
                notes.append(f"{label}: {item.link}: {exc.problem}; stored from the feed's summary")
    except InputError as exc:
        return _failed(feed, exc.problem)
    except Exception as exc:  # a parser's bug on a stranger's bytes costs this feed only
        return _failed(feed, f"could not be read ({type(exc).__name__}: {exc})")
    stamp = now()
    changes = {
        "title": title,
        "site": parsed.link or feed.site,
        # A skipped item must be asked for again: a conditional GET would answer 304.
        "etag": None if retry else got.headers.get("etag"),
        "last_modified": None if retry else got.headers.get("last-modified"),
        "updated_at": stamp,
        "checked_at": stamp,
        "failures": 0,
        "last_error": None,
    }
    items = [(named, article, item.link) for item, named, article in articles]
    outcome = FeedOutcome(
        feed, "updated", sum(a is not None for _, _, a in articles), None, tuple(notes)
    )
    return _Gathered(outcome, changes, items)


class _Cancelled(Exception):
    pass


class _Keys:
    """The item keys stored so far, read from the library only once a feed has changed:
    an update in which every feed answers 304 never reads them. A worker that needs them
    asks (`wanted`) and waits; the calling thread, which alone may touch the library,
    reads them at its next turn. Workers get a copy that never changes; the original grows
    as results are stored, so two feeds bringing one item in one update store it once."""

    def __init__(self) -> None:
        self.wanted = threading.Event()
        self._ready = threading.Event()
        self._seen: SeenItems | None = None
        self._copy: SeenItems | None = None

    def fill(self, library: Library) -> SeenItems:
        if self._seen is None:
            self._seen = library.seen_feed_items()
            self._copy = self._seen.copy()
            self._ready.set()
        return self._seen

    def known(self, stop: threading.Event) -> SeenItems | None:
        """The copy, once the calling thread has read it; None if the update is cancelled."""
        self.wanted.set()
        while not self._ready.wait(0.05):
            if stop.is_set():
                return None
        return self._copy


def _page(
    item: FeedItem, title: str | None, get: Fetcher, timeout: float, stop: threading.Event
) -> Article:
    """A teaser's article from its link, with the item's metadata over the page's."""
    from reader.article import InputError
    from reader.sources.registry import read_fetched

    if stop.is_set():
        raise _Cancelled
    assert item.link is not None
    page = get(item.link, timeout=timeout)
    if page.status == 304:
        raise InputError(item.link, "the server answered 304 to an unconditional request")
    found = read_fetched(page)
    if not found:
        raise InputError(item.link, "no article in the page")
    article = found[0]
    article.title = item.title or article.title
    article.source = title or article.source
    article.published = item.published or article.published
    article.author = item.author or article.author
    return article


def _name(feed: FeedRecord) -> str:
    return f"{feed.title} ({feed.url})" if feed.title else feed.url


def _failed(feed: FeedRecord, problem: str) -> _Gathered:
    line = f"{_name(feed)}: {' '.join(problem.split())}"
    changes: dict[str, object] = {"failures": feed.failures + 1, "last_error": problem[:500]}
    return _Gathered(FeedOutcome(feed, "failed", error=line), changes)
