"""The Library's articles: adding them, listing and reading them, their tags and new texts."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reader.store.articles import article_doc, article_record
from reader.store.content import TextBatch, content_path, encode_article, is_readable
from reader.store.events import ARTICLE_ADDED, ARTICLE_DELETED
from reader.store.fields import Doc, now
from reader.store.fileio import write_atomic
from reader.store.ids import article_id, is_article_id
from reader.store.library_base import LibraryBase, serialized
from reader.store.records import AddResult, ArticleRecord, clean_tags
from reader.store.retext import Retexted, rebundle
from reader.store.shards import article_key, shard_of
from reader.store.trash import TrashEntry, collect, put_back, take_out

if TYPE_CHECKING:
    from reader.article import Article


class ArticlesMixin(LibraryBase):
    @serialized
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

    @serialized
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

    @serialized
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

    @serialized
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

    @serialized
    def get(self, article_id: str) -> ArticleRecord:
        return self._get_record(article_id)

    @serialized
    def set_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        self._require_writable()
        self._get_record(article_id)
        self._index.set_tags(article_id, clean_tags(tags))
        return self._get_record(article_id)

    @serialized
    def add_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        """Add tags (stripped, duplicates dropped); the result is sorted like set_tags'."""
        return self.set_tags(article_id, [*self._get_record(article_id).tags, *tags])

    @serialized
    def remove_tags(self, article_id: str, tags: Iterable[str]) -> ArticleRecord:
        """Remove tags, ignoring case; removing a tag the article lacks is not an error."""
        gone = {tag.strip().casefold() for tag in tags}
        kept = [t for t in self._get_record(article_id).tags if t.casefold() not in gone]
        return self.set_tags(article_id, kept)
