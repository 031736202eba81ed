"""Links waiting for their text (waiting.json): saved pages that could not be fetched yet.

An import from a read-it-later app is a list of links, and the pages behind them are
fetched at import time. Offline, or with a site down, a page cannot be had now; the link
is kept here with everything the export said about it (when it was saved, its tags, its
read status, its highlighted selection) so that a later `reader fetch`, or the next
import, can store it as if it had been fetched the first time. A link leaves this table
when its page is stored. Keyed by URL: the same link imported twice is one record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from reader.store.db import Db
from reader.store.fields import Doc

WAITING = "waiting"
FILE_NAME = "waiting.json"
STATUSES = ("unread", "archived")

__all__ = ["FILE_NAME", "STATUSES", "WAITING", "WaitingLink", "WaitingLinks"]


@dataclass(frozen=True, slots=True)
class WaitingLink:
    """`added` is when the link was saved (ISO 8601 UTC) or None; `source` names the app
    it came from ("pocket", "instapaper"); `tries` counts failed fetches, the last one's
    reason in `last_error`."""

    url: str
    title: str | None = None
    added: str | None = None
    tags: tuple[str, ...] = ()
    status: Literal["unread", "archived"] = "unread"
    starred: bool = False
    selections: tuple[str, ...] = ()
    source: str = ""
    tries: int = 0
    last_error: str | None = None
    last_try: str | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def to_doc(self) -> Doc:
        return {
            **self.extra,
            "url": self.url,
            "title": self.title,
            "added": self.added,
            "tags": list(self.tags),
            "status": self.status,
            "starred": self.starred,
            "selections": list(self.selections),
            "source": self.source,
            "tries": self.tries,
            "last_error": self.last_error,
            "last_try": self.last_try,
        }

    @classmethod
    def from_doc(cls, doc: Doc) -> WaitingLink:
        """For documents the schema has already checked (reader.store.schema); fields a
        newer version added are kept in `extra`, so rewriting the record keeps them."""
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        return cls(
            url=doc["url"],
            title=doc.get("title"),
            added=doc.get("added"),
            tags=tuple(doc.get("tags") or ()),
            status="archived" if doc.get("status") == "archived" else "unread",
            starred=doc.get("starred") is True,
            selections=tuple(doc.get("selections") or ()),
            source=doc.get("source") or "",
            tries=int(doc.get("tries") or 0),
            last_error=doc.get("last_error"),
            last_try=doc.get("last_try"),
            extra={k: v for k, v in doc.items() if k not in known},
        )


class WaitingLinks:
    def __init__(self, db: Db) -> None:
        self.db = db

    def _ids(self) -> dict[str, int]:
        """Record numbers by URL (the first record of a URL, should a file hold two)."""
        ids: dict[str, int] = {}
        for key, doc in self.db.raw(WAITING).items():
            ids.setdefault(doc["url"], int(key))
        return ids

    def all(self) -> list[WaitingLink]:
        """In the order they were first kept, one per URL."""
        seen: set[str] = set()
        links = []
        for doc in self.db.raw(WAITING).values():
            if doc["url"] not in seen:
                seen.add(doc["url"])
                links.append(WaitingLink.from_doc(doc))
        return links

    def urls(self) -> set[str]:
        return set(self._ids())

    def add(self, links: Iterable[WaitingLink]) -> int:
        """Keep new links (one write); a URL already waiting keeps its record. Returns how
        many were new."""
        present = self.urls()
        new: dict[str, WaitingLink] = {}
        for link in links:
            if link.url not in present and link.url not in new:
                new[link.url] = link
        if new:
            self.db.table(WAITING).insert_multiple([link.to_doc() for link in new.values()])
        return len(new)

    def failed(self, failures: dict[str, str], stamp: str) -> None:
        """Count one more failed fetch for each URL (url -> why), in one write."""
        ids = self._ids()
        raw = self.db.raw(WAITING)
        table = self.db.table(WAITING)
        for url, why in failures.items():
            key = ids.get(url)
            if key is None:
                continue
            tries = int(raw[str(key)].get("tries") or 0) + 1
            table.update({"tries": tries, "last_error": why, "last_try": stamp}, doc_ids=[key])

    def remove(self, urls: Iterable[str]) -> None:
        wanted = set(urls)
        gone = [int(k) for k, doc in self.db.raw(WAITING).items() if doc["url"] in wanted]
        if gone:
            self.db.table(WAITING).remove(doc_ids=gone)
