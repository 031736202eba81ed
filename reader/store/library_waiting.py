"""The Library's imports from other apps: pages stored with what the app knew of them, and
the links still waiting for their text (reader.store.waiting)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.store.articles import article_doc
from reader.store.content import TextBatch
from reader.store.events import ARTICLE_ADDED
from reader.store.fields import now
from reader.store.ids import article_id
from reader.store.library_base import LibraryBase, serialized
from reader.store.records import AddResult, clean_tags
from reader.store.retext import selector
from reader.store.waiting import FILE_NAME, WaitingLink, WaitingLinks

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["ImportedPage", "Span", "WaitingMixin"]

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class ImportedPage:
    """An article as another app had it. `added_at` is when it was saved there (ISO 8601
    UTC, None for now); `finished` says it was read there; `highlights` and `notes` are
    (start, end, text) in the article's text; `resolves` is the waiting link it answers."""

    article: Article
    origin: str | None
    added_at: str | None = None
    tags: tuple[str, ...] = ()
    finished: bool = False
    highlights: tuple[Span, ...] = ()
    notes: tuple[Span, ...] = ()
    resolves: str | None = None


class WaitingMixin(LibraryBase):
    _waiting_store: WaitingLinks | None = None

    def _waiting(self) -> WaitingLinks:
        """Opened on first use: a home that never imported a link has no such file."""
        if self._waiting_store is None:
            self._waiting_store = WaitingLinks(
                self._open(
                    self.home / FILE_NAME,
                    what=f"The links waiting for their text ({FILE_NAME})",
                    after="links imported but never fetched must be imported again",
                    after_read_only="no links are shown as waiting here",
                )
            )
        return self._waiting_store

    @serialized
    def add_imported(self, pages: Sequence[ImportedPage]) -> list[AddResult]:
        """Store imported pages, each with its date saved, tags, read status, highlights
        and notes, and drop the waiting links they answer; results in input order.

        All of it lands together or not at all (one write per file, however many pages),
        so no article is ever stored without the tags and highlights it came with. A page
        whose text is already in the library (added=False) is left as the reader has it.
        ValueError, before anything is written, for a span outside its article's text.
        """
        self._require_writable()
        for page in pages:
            _check_spans(page)
        raw = self._index.raw()
        results: list[AddResult] = []
        fresh: dict[str, ImportedPage] = {}
        waiting = self._waiting()  # opened first, so its write joins the others
        with TextBatch(self.articles_dir) as texts, self._together(texts):
            for page in pages:
                aid = article_id(page.article)
                if str(int(aid, 16)) in raw or aid in fresh:
                    results.append(AddResult(self._get_record(aid), added=False))
                else:
                    fresh[aid] = page
                    texts.add(aid, page.article)
                    self._store_page(aid, page)
                    results.append(AddResult(self._get_record(aid), added=True))
            resolved = [p.resolves for p in pages if p.resolves is not None]
            if resolved:
                waiting.remove(resolved)
        for aid, page in fresh.items():
            self._emit(ARTICLE_ADDED, aid)
            for store, spans in ((self._highlights, page.highlights), (self._notes, page.notes)):
                for record in store.of_article(aid) if spans else ():
                    self._emit(store.kind.changed, aid, record.id)
        return results

    def _store_page(self, aid: str, page: ImportedPage) -> None:
        stamp = now()
        doc = article_doc(aid, page.article, page.origin, page.added_at or stamp)
        doc["tags"] = clean_tags(page.tags)
        self._index.put(int(aid, 16), doc)
        if page.finished:
            # Read elsewhere: done, with the bookmark at the top for a second reading.
            self._progress.save(
                aid,
                position=0,
                progress=0.0,
                seconds_read=0.0,
                finished=True,
                furthest=1.0,
                read_elsewhere=True,
            )
        text = page.article.text
        for store, spans in ((self._highlights, page.highlights), (self._notes, page.notes)):
            for start, end, words in spans:
                store.add(aid, start, end, words, stamp, selector(text, start, end))

    @serialized
    def waiting_links(self) -> list[WaitingLink]:
        """The links waiting for their text, in the order they were first kept."""
        return self._waiting().all()

    @serialized
    def keep_waiting(self, links: Iterable[WaitingLink]) -> int:
        """Keep links whose pages could not be had now; a URL already waiting keeps its
        record. Returns how many were new."""
        self._require_writable()
        store = self._waiting()
        with self._together():
            return store.add(links)

    @serialized
    def drop_waiting(self, urls: Iterable[str]) -> None:
        """Forget waiting links (their pages are in the library by now)."""
        self._require_writable()
        store = self._waiting()
        with self._together():
            store.remove(urls)

    @serialized
    def waiting_failed(self, failures: Mapping[str, str]) -> None:
        """One more failed fetch for each waiting URL (url -> why), in one write."""
        self._require_writable()
        store = self._waiting()
        with self._together():
            store.failed(dict(failures), now())


def _check_spans(page: ImportedPage) -> None:
    length = len(page.article.text)
    for start, end, _ in page.highlights:
        if not 0 <= start < end <= length:
            raise ValueError(f"a highlight needs 0 <= start < end <= {length}, not {start}, {end}")
    for start, end, _ in page.notes:
        if not 0 <= start <= end <= length:
            raise ValueError(f"a note needs 0 <= start <= end <= {length}, not {start}, {end}")
