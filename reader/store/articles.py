"""The library index (library.json): one document per article, and the schema version.

Listing the library reads only this file and progress/, never the texts, so the index keeps
everything a list row shows: the title (or opening words), byline, size, origin and tags.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tinydb.table import Document

from reader.store.content import SUFFIX, DamagedContent, decode_article
from reader.store.db import Db
from reader.store.fields import Doc, finite, opt_str, req_int, req_str
from reader.store.fileio import rename_aside
from reader.store.ids import is_article_id
from reader.store.plain_json import mend, mend_optional
from reader.store.records import ArticleRecord
from reader.store.shards import article_key

if TYPE_CHECKING:
    from reader.article import Article

SCHEMA_VERSION = 2
"""1: the first. 2: notes and highlights keep their quote (reader.store.anchors), and
article texts carry their structure (blocks, marks, links); texts saved as paragraphs
still read as they always did."""
ARTICLES = "articles"
META = "meta"


def display_title(article: Article) -> str:
    """The title, or the opening words when the clip had none: the list needs something."""
    if article.title and article.title.strip():
        return article.title.strip()
    for paragraph in article.paragraphs:
        words = paragraph.split()
        if words:
            opening = " ".join(words[:10])
            return opening if len(opening) <= 60 else opening[:59].rstrip() + "…"
    return "Untitled"


def article_doc(
    aid: str, article: Article, origin: str | None, added_at: str, *, feed: int | None = None
) -> Doc:
    """`feed` is kept only when there is one, so other articles' documents stay as they were."""
    doc: Doc = {
        "id": aid,
        "title": mend(display_title(article)),
        "author": mend_optional(article.author),
        "published": mend_optional(article.published),
        "source": mend_optional(article.source),
        "url": mend_optional(getattr(article, "url", None)),
        "words": int(article.words),
        "added_at": added_at,
        "origin": mend_optional(origin),
        "tags": [],
    }
    if feed is not None:
        doc["feed"] = feed
    return doc


def article_record(doc: Doc, progress: Doc | None) -> ArticleRecord | None:
    """A record from raw documents; None for a malformed index entry (shown nowhere)."""
    try:
        aid = req_str(doc["id"])
        title = req_str(doc["title"])
        author = opt_str(doc.get("author"))
        published = opt_str(doc.get("published"))
        source = opt_str(doc.get("source"))
        words = req_int(doc.get("words", 0))
        added_at = req_str(doc.get("added_at", ""))
        origin = opt_str(doc.get("origin"))
        tags = tuple(req_str(tag) for tag in doc.get("tags") or ())
        feed = doc.get("feed")
        feed = req_int(feed) if feed is not None else None
    except (KeyError, TypeError):
        return None
    fraction, position, last_read, finished, seconds = 0.0, 0, None, False, 0.0
    furthest, anchor = 0.0, None
    if progress:
        fraction = min(1.0, max(0.0, finite(progress.get("progress"))))
        raw_position = progress.get("position")
        position = raw_position if isinstance(raw_position, int) and raw_position > 0 else 0
        raw_last = progress.get("last_read")
        last_read = raw_last if isinstance(raw_last, str) else None
        finished = progress.get("finished") is True
        seconds = max(0.0, finite(progress.get("seconds_read")))
        # Saved before the furthest point was kept apart: the bookmark was the furthest.
        raw_furthest = progress.get("furthest", fraction)
        furthest = max(fraction, min(1.0, max(0.0, finite(raw_furthest))))
        raw_anchor = progress.get("anchor")
        anchor = raw_anchor if isinstance(raw_anchor, int) and raw_anchor >= 0 else None
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
        furthest=furthest,
        anchor=anchor,
        feed=feed,
    )


@dataclass
class Recovery:
    """Index entries rebuilt from the saved texts, for articles the index lost."""

    docs: dict[int, Doc]
    salvaged: int  # of docs, how many came back whole from the damaged index
    unreadable: int  # texts that could not be read (moved aside)


def recover_docs(
    articles_dir: Path,
    known: Mapping[str, object],
    salvage: Mapping[str, Doc],
    *,
    move_aside: bool = True,
) -> Recovery:
    """Entries for the saved texts the index does not list (`known`, by document id).

    For a lost or damaged library.json: progress and notes live in other files keyed by
    the same ids, so they reattach. An entry read back from the damaged file (`salvage`)
    keeps its tags, origin and date added; otherwise the text gives the title and the
    file's mtime stands in for the date added. A damaged text is moved aside like any
    damaged file.
    """
    recovery = Recovery({}, 0, 0)
    for path in sorted(articles_dir.glob(f"*{SUFFIX}")):
        aid = path.name[: -len(SUFFIX)]
        if not is_article_id(aid) or str(int(aid, 16)) in known:
            continue
        try:
            article = decode_article(path.read_bytes())
        except DamagedContent:
            recovery.unreadable += 1
            if move_aside:
                with contextlib.suppress(OSError):
                    rename_aside(path)
            continue
        except OSError:
            recovery.unreadable += 1
            continue
        key = int(aid, 16)
        kept = salvage.get(str(key))
        if kept is not None:
            recovery.docs[key] = dict(kept)
            recovery.salvaged += 1
            continue
        added = datetime.fromtimestamp(path.stat().st_mtime, UTC)
        recovery.docs[key] = article_doc(aid, article, None, added.isoformat(timespec="seconds"))
    return recovery


class ArticleIndex:
    def __init__(self, db: Db) -> None:
        self.db = db

    def raw(self) -> dict[str, Doc]:
        """Documents by document id string (the article id's hash as an int): never mutate."""
        return self.db.raw(ARTICLES)

    def ids(self) -> list[str]:
        """Article ids in the order added (malformed entries included, if their id is a str)."""
        return [aid for doc in self.raw().values() if isinstance(aid := doc.get("id"), str)]

    def schema(self) -> Doc:
        return self.db.raw(META).get("1") or {}

    def add_upgrade(self, name: str) -> None:
        done = self.schema().get("upgrades", [])
        done = [*done, name] if isinstance(done, list) and name not in done else done
        self.db.table(META).upsert(
            Document(
                {"schema": self.schema().get("schema", SCHEMA_VERSION), "upgrades": done}, doc_id=1
            )
        )

    def stamp_schema(self) -> None:
        self.db.table(META).upsert(Document({"schema": SCHEMA_VERSION}, doc_id=1))

    def show(self, docs: dict[int, Doc]) -> None:
        """Recovered entries held in memory only, for a window that may not write."""
        tables = dict(self.db.storage.read() or {})
        tables[ARTICLES] = {**tables.get(ARTICLES, {}), **{str(k): d for k, d in docs.items()}}
        self.db.storage.show(tables)

    def insert(self, docs: dict[int, Doc]) -> None:
        """New documents by document id, in one write."""
        self.db.table(ARTICLES).insert_multiple(
            [Document(doc, doc_id=key) for key, doc in docs.items()]
        )

    def put(self, key: int, doc: Doc) -> None:
        self.db.table(ARTICLES).upsert(Document(doc, doc_id=key))

    def set_tags(self, article_id: str, tags: list[str]) -> None:
        """`tags` as clean_tags makes them: the one form tags are stored in."""
        self.db.table(ARTICLES).update({"tags": tags}, doc_ids=[article_key(article_id)])

    def remove(self, article_id: str) -> None:
        self.db.table(ARTICLES).remove(doc_ids=[article_key(article_id)])
