"""The feeds the reader follows (feeds.json) and the items taken from them (feed_items.json).

"feeds": one record per subscription, with what a conditional GET needs next
time (ETag, Last-Modified) and how it has been going (consecutive failures, the last
error). "feed_items": one record per item ever stored, keyed three ways (guid, normalised link,
hash of its words), so an item that moves or is re-published is not stored twice. Items
outlive their articles on purpose: an article the reader deleted must not come back with
the next update, and removing a feed leaves its articles in the library.

A guid only means something within its feed (two feeds may both number items from 1);
links and word hashes are the same page wherever they come from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tinydb.table import Document

from reader.store.db import Db
from reader.store.fields import Doc
from reader.store.plain_json import mend, mend_optional

FEEDS = "feeds"
ITEMS = "feed_items"
FILE_NAME = "feeds.json"
ITEMS_FILE = "feed_items.json"
"""Apart from the feeds, so an update in which every feed answers 304 reads 200 feeds'
records, not the keys of the tens of thousands of items they ever brought."""
FAILING_AFTER = 3
"""Consecutive failed updates after which a feed is shown as failing: one failure is
usually the network, three in a row is the feed."""

_FEED_FIELDS = ("title", "site", "etag", "last_modified", "updated_at", "checked_at", "last_error")


@dataclass(frozen=True, slots=True)
class FeedRecord:
    id: int
    url: str
    title: str | None
    site: str | None  # the site the feed belongs to, as the feed says
    tags: tuple[str, ...]  # OPML folders, outermost first: each one a tag
    etag: str | None
    last_modified: str | None
    added_at: str
    updated_at: str | None  # the last time the feed sent new content (not a 304)
    checked_at: str | None  # the last time it answered at all (a 304 included)
    failures: int  # consecutive failed updates; 0 after any success
    last_error: str | None

    @property
    def failing(self) -> bool:
        return self.failures >= FAILING_AFTER

    @property
    def name(self) -> str:
        """What messages call it: its title, else its address."""
        return self.title or self.url

    def conditional_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class ItemKeys:
    """How an item is recognised again; any one of them matching is enough."""

    guid: str | None
    link: str | None  # normalised (reader.sources.feed.normalise_link)
    hash: str | None


@dataclass(slots=True)
class SeenItems:
    """Every item key stored so far, for the update to skip known items cheaply."""

    guids: set[tuple[int, str]] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)

    def knows(self, feed_id: int, keys: ItemKeys) -> bool:
        return (
            (keys.guid is not None and (feed_id, keys.guid) in self.guids)
            or (keys.link is not None and keys.link in self.links)
            or (keys.hash is not None and keys.hash in self.hashes)
        )

    def add(self, feed_id: int, keys: ItemKeys) -> None:
        if keys.guid is not None:
            self.guids.add((feed_id, keys.guid))
        if keys.link is not None:
            self.links.add(keys.link)
        if keys.hash is not None:
            self.hashes.add(keys.hash)

    def copy(self) -> SeenItems:
        return SeenItems(set(self.guids), set(self.links), set(self.hashes))


def feed_record(key: str, doc: Doc) -> FeedRecord:
    """For documents the schema has already checked (reader.store.schema)."""
    return FeedRecord(
        id=int(key),
        url=doc["url"],
        title=doc.get("title"),
        site=doc.get("site"),
        tags=tuple(doc.get("tags") or ()),
        etag=doc.get("etag"),
        last_modified=doc.get("last_modified"),
        added_at=doc.get("added_at", ""),
        updated_at=doc.get("updated_at"),
        checked_at=doc.get("checked_at"),
        failures=int(doc.get("failures", 0)),
        last_error=doc.get("last_error"),
    )


class FeedStore:
    def __init__(self, db: Db, items: Callable[[], Db]) -> None:
        """`items` opens feed_items.json, when first needed."""
        self.db = db
        self._open_items = items
        self._items: Db | None = None

    def items_db(self) -> Db:
        if self._items is None:
            self._items = self._open_items()
        return self._items

    def feeds(self) -> list[FeedRecord]:
        """In the order they were added."""
        return [feed_record(key, doc) for key, doc in self.db.raw(FEEDS).items()]

    def by_url(self) -> dict[str, FeedRecord]:
        return {feed.url: feed for feed in self.feeds()}

    def add(self, docs: Sequence[Doc], first_id: int) -> None:
        """New feeds (see `new_feed`) in one write, numbered from `first_id`."""
        if docs:
            self.db.table(FEEDS).insert_multiple(
                [Document(doc, doc_id=first_id + n) for n, doc in enumerate(docs)]
            )

    def highest_id(self) -> int:
        """The highest feed number in use here, a removed feed's items included: articles
        keep their feed's number, so a number must never be handed out twice."""
        feeds = [int(key) for key in self.db.raw(FEEDS)]
        items = [int(doc["feed"]) for doc in self.items_db().raw(ITEMS).values()]
        return max([0, *feeds, *items])

    def set_tags(self, feed_id: int, tags: Iterable[str]) -> None:
        self.db.table(FEEDS).update({"tags": clean_feed_tags(tags)}, doc_ids=[feed_id])

    def remove(self, feed_id: int) -> None:
        self.db.table(FEEDS).remove(doc_ids=[feed_id])

    def change(self, feed_id: int, changes: dict[str, Any]) -> None:
        """Set some of the fields an update changes (see `_FEED_FIELDS` and `failures`)."""
        unknown = set(changes) - {*_FEED_FIELDS, "failures"}
        if unknown:
            raise ValueError(f"not a field an update may change: {sorted(unknown)}")
        doc = {
            name: (mend_optional(value) if name != "failures" else int(value))
            for name, value in changes.items()
        }
        self.db.table(FEEDS).update(doc, doc_ids=[feed_id])

    def seen(self) -> SeenItems:
        seen = SeenItems()
        for doc in self.items_db().raw(ITEMS).values():
            seen.add(doc["feed"], ItemKeys(doc.get("guid"), doc.get("link"), doc.get("hash")))
        return seen

    def add_items(self, items: Iterable[tuple[int, ItemKeys, str | None]]) -> None:
        """(feed id, keys, article id) per item, in one write."""
        docs = [
            {
                "feed": feed_id,
                "guid": mend_optional(keys.guid),
                "link": mend_optional(keys.link),
                "hash": keys.hash,
                "article": article,
            }
            for feed_id, keys, article in items
        ]
        if docs:
            self.items_db().table(ITEMS).insert_multiple(docs)


def clean_feed_tags(tags: Iterable[str]) -> list[str]:
    """Spaces collapsed, empties and repeats (ignoring case) dropped, the order kept: the
    order is the OPML folder path, which `reader feed export` writes back."""
    clean: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in (t.casefold() for t in clean):
            clean.append(mend(tag))
    return clean


def new_feed(
    url: str, title: str | None, site: str | None, tags: Iterable[str], added_at: str
) -> Doc:
    return {
        "url": mend(url),
        "title": mend_optional(title),
        "site": mend_optional(site),
        "tags": clean_feed_tags(tags),
        "etag": None,
        "last_modified": None,
        "added_at": added_at,
        "updated_at": None,
        "checked_at": None,
        "failures": 0,
        "last_error": None,
    }
