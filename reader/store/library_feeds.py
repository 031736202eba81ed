"""The Library's feeds: subscribing, the state of each, and storing what an update found.

An update's articles and the items they came from land in one all-or-nothing write with
the feeds' new state (ETag, dates, failures): a crash or a full disk part-way never leaves
an article whose item is unknown (stored again next time) nor an item without its article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.store.articles import article_doc, article_record
from reader.store.content import TextBatch
from reader.store.errors import NotFound
from reader.store.events import ARTICLE_ADDED
from reader.store.feeds import (
    FEEDS,
    FILE_NAME,
    ITEMS_FILE,
    FeedRecord,
    FeedStore,
    ItemKeys,
    SeenItems,
    clean_feed_tags,
    new_feed,
)
from reader.store.fields import Doc, now
from reader.store.ids import article_id
from reader.store.library_base import LibraryBase, serialized
from reader.store.shards import shard_of

if TYPE_CHECKING:
    from reader.article import Article


@dataclass(slots=True)
class FeedItemWrite:
    """One new item: its keys, and its article (None: remember the item, store nothing)."""

    keys: ItemKeys
    article: Article | None
    origin: str | None


@dataclass(slots=True)
class FeedWrite:
    """What one feed's update changes: its fields (see FeedStore.change) and new items."""

    feed_id: int
    changes: dict[str, Any]
    items: list[FeedItemWrite] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FeedCounts:
    items: int  # its articles in the library
    unread: int  # of those, never opened


class FeedsMixin(LibraryBase):
    _feed_store: FeedStore | None = None

    def _feeds_file(self) -> FeedStore:
        """Opened on first use: a home that never followed a feed has no such file."""
        if self._feed_store is None:
            self._feed_store = FeedStore(
                self._open(
                    self.home / FILE_NAME,
                    what=f"The list of feeds ({FILE_NAME})",
                    after="add the feeds again (their articles are still in the library)",
                    after_read_only="this window shows no feeds",
                ),
                lambda: self._open(
                    self.home / ITEMS_FILE,
                    what=f"The items taken from feeds ({ITEMS_FILE})",
                    after="items seen before may be stored again by the next update",
                    after_read_only="nothing is lost",
                ),
            )
        return self._feed_store

    @serialized
    def feeds(self) -> list[FeedRecord]:
        """Every feed followed, in the order added."""
        return self._feeds_file().feeds()

    @serialized
    def find_feed(self, id_or_url: str) -> FeedRecord:
        """A feed by its number or its address; NotFound names what was asked for."""
        wanted = id_or_url.strip()
        for feed in self._feeds_file().feeds():
            if wanted == str(feed.id) or wanted == feed.url:
                return feed
        raise NotFound(f"There is no feed {wanted} in the library (see `reader feed list`).")

    @serialized
    def add_feeds(
        self, feeds: Iterable[tuple[str, str | None, str | None, Sequence[str]]]
    ) -> list[tuple[FeedRecord, bool]]:
        """(url, title, site, tags) per feed, in one write; (record, added) in input order.

        A feed already followed is not added twice: it gains the tags it is given (an
        OPML file listing a feed in two folders gives it both).
        """
        self._require_writable()
        given = list(feeds)
        store = self._feeds_file()
        known = store.by_url()
        fresh: dict[str, Doc] = {}
        tags_of: dict[int, list[str]] = {}
        for url, title, site, tags in given:
            old = known.get(url)
            if old is not None:
                tags_of[old.id] = [*tags_of.get(old.id, old.tags), *tags]
            elif url in fresh:
                fresh[url]["tags"] = clean_feed_tags([*fresh[url]["tags"], *tags])
            else:
                fresh[url] = new_feed(url, title, site, tags, now())
        first = max(self._counters.saved(FEEDS), store.highest_id() + 1)
        with self._together():
            if fresh:
                self._counters.raise_to(FEEDS, first + len(fresh))
            store.add(list(fresh.values()), first)
            for feed_id, tags in tags_of.items():
                store.set_tags(feed_id, tags)
        after = store.by_url()
        results: list[tuple[FeedRecord, bool]] = []
        for url, *_ in given:
            results.append((after[url], url in fresh))
            fresh.pop(url, None)  # the same address twice: added once
        return results

    @serialized
    def remove_feed(self, feed_id: int) -> FeedRecord:
        """Stop following a feed. Its articles stay in the library, and its items stay
        known, so adding it again later brings back only what is new."""
        self._require_writable()
        store = self._feeds_file()
        feed = next((f for f in store.feeds() if f.id == feed_id), None)
        if feed is None:
            raise NotFound(f"There is no feed {feed_id} in the library.")
        with self._together():
            store.remove(feed_id)
        return feed

    @serialized
    def feed_counts(self) -> dict[int, FeedCounts]:
        """Per feed id: its articles in the library, and how many were never opened."""
        counts: dict[int, list[int]] = {}
        progress = self._progress.shards.raws()
        for key, doc in self._index.raw().items():
            if doc.get("feed") is None:
                continue
            record = article_record(doc, progress[shard_of(doc["id"])].get(key))
            if record is None or record.feed is None:
                continue
            tally = counts.setdefault(record.feed, [0, 0])
            tally[0] += 1
            if record.last_read is None and not record.finished and record.progress == 0:
                tally[1] += 1
        return {feed: FeedCounts(items, unread) for feed, (items, unread) in counts.items()}

    @serialized
    def feed_titles(self) -> dict[int, str]:
        """Feed id -> title (its address when it has none), for the library's `feed:` filter."""
        if self._feed_store is None and not (self.home / FILE_NAME).exists():
            return {}
        return {feed.id: feed.name for feed in self._feeds_file().feeds()}

    @serialized
    def seen_feed_items(self) -> SeenItems:
        """Every item key stored so far: the update skips those items before fetching."""
        return self._feeds_file().seen()

    @serialized
    def store_feed_updates(self, writes: Sequence[FeedWrite]) -> list[str]:
        """Write several feeds' updates at once; the ids of the articles added, in order.

        An item whose article is already in the library (the same words from elsewhere)
        is remembered under that article and stores nothing new. Every change lands
        together or none does.
        """
        self._require_writable()
        store = self._feeds_file()
        store.items_db()  # opened before the write, so it is part of it
        raw = self._index.raw()
        new_docs: dict[int, Doc] = {}
        items: list[tuple[int, ItemKeys, str | None]] = []
        stamp = now()
        with TextBatch(self.articles_dir) as texts:
            for write in writes:
                for item in write.items:
                    aid = None
                    if item.article is not None:
                        aid = article_id(item.article)
                        key = int(aid, 16)
                        if str(key) not in raw and key not in new_docs:
                            texts.add(aid, item.article)
                            new_docs[key] = article_doc(
                                aid, item.article, item.origin, stamp, feed=write.feed_id
                            )
                    items.append((write.feed_id, item.keys, aid))
            with self._together(texts):
                if new_docs:
                    self._index.insert(new_docs)
                store.add_items(items)
                for write in writes:
                    if write.changes:
                        store.change(write.feed_id, write.changes)
        added = [str(doc["id"]) for doc in new_docs.values()]
        for aid in added:
            self._emit(ARTICLE_ADDED, aid)
        return added
