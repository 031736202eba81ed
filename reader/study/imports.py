"""Imports from other apps into the library: Pocket and Instapaper links, Kindle books.

The parsing is reader.sources' (saved_links, kindle); this is what becomes of it here.

A read-it-later export is a list of links, so its pages are fetched now, a few at a time
(`WORKERS` threads: each page is mostly waiting on a server, and a small bound is polite
to the sites and keeps a thousand-link export from opening a thousand connections). Only
the calling thread touches the Library, which is not thread-safe: the workers fetch and
parse, and hand their articles back. Every new link is first kept as a link waiting for
its text, and leaves that list when its page is stored: an import cut short (offline, a
Ctrl-C, a site that never answers) loses nothing, and a later `reader fetch` or the next
import carries on. A page is stored with what the app knew of it: the date it was saved,
its tags, its read status (archived is finished; starred is a tag), and Instapaper's
highlighted selection, which becomes a highlight where its words are found in the page
and a note where they are not. The page's own title wins over the export's, which Pocket
cuts at 75 characters; the export's stands in when the page has none.

A Kindle book becomes one article of its passages (reader.sources.kindle.book_article),
each passage a highlight with its notes, ready for review. The book is known again by its
origin, "kindle:Title (Author)": a file with more highlights than last time gives the
article its new text (Library.replace_text, which carries every highlight, note and
review schedule across by its quote) and adds only the new passages, so nothing the
reader wrote in the meantime is lost.

Running the same import twice adds nothing: links are matched by URL among the articles'
origins and the waiting links, books by their origin and text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, Protocol

from reader.plural import counted

if TYPE_CHECKING:
    from reader.article import Article
    from reader.sources.kindle import Clippings, KindleBook
    from reader.sources.saved_links import SavedLinks
    from reader.sources.url import Fetched
    from reader.store import Library
    from reader.store.library_waiting import ImportedPage
    from reader.store.waiting import WaitingLink

__all__ = [
    "APPS",
    "BATCH",
    "WORKERS",
    "BookReport",
    "Fetch",
    "LinkReport",
    "fetch_waiting",
    "import_kindle",
    "import_links",
    "kindle_origin",
]

WORKERS = 6
BATCH = 25
"""Pages stored per library write: a crash loses at most this many fetches, never data."""
APPS = {"pocket": "Pocket", "instapaper": "Instapaper"}

Progress = Callable[[int, int], None]
"""Called with (done, total) as each page is fetched or given up on."""


class Fetch(Protocol):
    """reader.sources.url.fetch's shape; tests pass one that serves stand-in pages."""

    def __call__(self, url: str, *, timeout: float) -> Fetched: ...


@dataclass
class LinkReport:
    """What an import of links (or `reader fetch`) did. `waiting` counts every link still
    waiting for its text afterwards, this file's and earlier ones'; `failures` says why
    each page tried this time could not be had (url -> one line)."""

    added: int = 0
    known: int = 0
    waiting: int = 0
    highlights: int = 0
    notes: int = 0
    skipped: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    def summary(self, *, waiting_words: str = "waiting for their text") -> str:
        parts = [f"{counted(self.added, 'article')} added"]
        if self.highlights:
            parts.append(f"{counted(self.highlights, 'selection')} highlighted")
        if self.notes:
            parts.append(f"{counted(self.notes, 'selection')} kept as notes (not in the page)")
        parts.append(f"{self.waiting:,} {waiting_words}")
        if self.known:
            parts.append(f"{self.known:,} already in the library")
        if self.skipped:
            parts.append(f"{_skipped_count(self.skipped)} skipped")
        return ", ".join(parts)


@dataclass
class BookReport:
    """What a Kindle import did: books new, books given their new passages, books as
    they were, and highlights added in all."""

    added: int = 0
    updated: int = 0
    known: int = 0
    highlights: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{counted(self.added, 'book')} added"]
        if self.updated:
            parts.append(f"{self.updated:,} with new highlights")
        if self.known:
            parts.append(f"{self.known:,} already in the library")
        parts.append(f"{counted(self.highlights, 'highlight')} added")
        if self.skipped:
            parts.append(f"{_skipped_count(self.skipped)} skipped")
        return ", ".join(parts)


def _skipped_count(skipped: list[str]) -> str:
    """ "3 rows", "1 line", "2 entries": the word the parser numbered them by."""
    word = skipped[0].split(" ", 1)[0]
    return counted(len(skipped), word, "entries" if word == "entry" else None)


# ---------------------------------------------------------------------- links


def import_links(
    library: Library,
    saved: SavedLinks,
    source: Literal["pocket", "instapaper"],
    *,
    fetch: Fetch | None = None,
    timeout: float = 20.0,
    workers: int = WORKERS,
    progress: Progress | None = None,
) -> LinkReport:
    """Store an export's links: new ones fetched and stored, those already in the library
    left as they are, and every link waiting from before tried again."""
    from reader.store.waiting import WaitingLink

    report = LinkReport(skipped=list(saved.skipped))
    known = _known_urls(library)
    new: list[WaitingLink] = []
    for link in saved.links:
        if link.url in known:
            report.known += 1
            continue
        selections = (link.selection,) if link.selection else ()
        new.append(
            WaitingLink(
                url=link.url,
                title=link.title,
                added=link.added,
                tags=link.tags,
                status=link.status,
                starred=link.starred,
                selections=selections,
                source=source,
            )
        )
    if new:
        library.keep_waiting(new)  # before any fetch: an import cut short loses nothing
    _fetch_all(library, report, fetch=fetch, timeout=timeout, workers=workers, progress=progress)
    return report


def fetch_waiting(
    library: Library,
    *,
    fetch: Fetch | None = None,
    timeout: float = 20.0,
    workers: int = WORKERS,
    progress: Progress | None = None,
) -> LinkReport:
    """Try every link waiting for its text again; `reader fetch`."""
    report = LinkReport()
    _fetch_all(library, report, fetch=fetch, timeout=timeout, workers=workers, progress=progress)
    return report


def _known_urls(library: Library) -> set[str]:
    return {r.origin for r in library.articles() if r.origin is not None}


def _fetch_all(
    library: Library,
    report: LinkReport,
    *,
    fetch: Fetch | None,
    timeout: float,
    workers: int,
    progress: Progress | None,
) -> None:
    known = _known_urls(library)
    links = library.waiting_links()
    stored = [link.url for link in links if link.url in known]
    if stored:  # added meanwhile (`reader add URL`): no longer waiting
        library.drop_waiting(stored)
        report.known += len(stored)
        links = [link for link in links if link.url not in known]
    total = len(links)
    pending: list[ImportedPage] = []
    if progress is not None:
        progress(0, total)
    try:
        for done, (link, outcome) in enumerate(_fetched(links, fetch, timeout, workers), 1):
            if isinstance(outcome, str):
                report.failures[link.url] = outcome
            else:
                pending += _pages(link, outcome)
            if len(pending) >= BATCH:
                _store(library, pending, report)
                pending = []
            if progress is not None:
                progress(done, total)
    except BaseException:
        with contextlib.suppress(Exception):  # an interrupt: keep what was fetched
            _store(library, pending, report)
        raise
    _store(library, pending, report)
    if report.failures:
        failures = report.failures  # told in the order the links were kept, not as they failed
        report.failures = {link.url: failures[link.url] for link in links if link.url in failures}
        library.waiting_failed(report.failures)
    report.waiting = len(library.waiting_links())


def _store(library: Library, pages: list[ImportedPage], report: LinkReport) -> None:
    if not pages:
        return
    for page, result in zip(pages, library.add_imported(pages), strict=True):
        if result.added:
            report.added += 1
            report.highlights += len(page.highlights)
            report.notes += len(page.notes)
        elif page.resolves is not None:
            report.known += 1  # the same text from another address


def _fetched(
    links: list[WaitingLink], fetch: Fetch | None, timeout: float, workers: int
) -> Iterator[tuple[WaitingLink, list[Article] | str]]:
    """Each link with its articles, or why there are none, as the fetches finish."""
    if not links:
        return
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(links))))
    try:
        futures: dict[Future[list[Article] | str], WaitingLink] = {
            pool.submit(_read, link.url, fetch, timeout): link for link in links
        }
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read(url: str, fetch: Fetch | None, timeout: float) -> list[Article] | str:
    """On a worker thread: the page's articles, or one line saying why not. Nothing about
    one page (a parser's bug included) may stop the import of the others."""
    from reader.article import InputError
    from reader.sources.registry import read_fetched

    if fetch is None:
        from reader.sources.url import fetch as fetch_url

        fetch = fetch_url
    try:
        return read_fetched(fetch(url, timeout=timeout))
    except InputError as exc:
        return " ".join(exc.problem.split())
    except Exception as exc:  # kept as the link's reason, tried again later
        return f"could not be read ({type(exc).__name__}: {' '.join(str(exc).split())})"


def _pages(link: WaitingLink, articles: list[Article]) -> list[ImportedPage]:
    """The link's articles as the app had them: its title where the page has none, its
    tags, read status and date saved, and its selections placed in the text."""
    from reader.store.library_waiting import ImportedPage

    tags = (*link.tags, "starred") if link.starred else link.tags
    pages = []
    unplaced = list(link.selections)
    for index, article in enumerate(articles):
        if not (article.title and article.title.strip()) and link.title:
            article = replace(article, title=link.title)
        highlights = []
        for selection in list(unplaced):
            span = find_passage(article.text, selection)
            if span is not None:
                highlights.append((span[0], span[1], ""))
                unplaced.remove(selection)
        pages.append(
            ImportedPage(
                article=article,
                origin=link.url,
                added_at=link.added,
                tags=tags,
                finished=link.status == "archived",
                highlights=tuple(highlights),
                resolves=link.url if index == 0 else None,
            )
        )
    if pages and unplaced:
        app = APPS.get(link.source, link.source or "the export")
        notes = tuple(
            (0, 0, f"Highlight from {app} (not found in the page): {selection}")
            for selection in unplaced
        )
        pages[0] = replace(pages[0], notes=notes)
    return pages


def find_passage(text: str, passage: str) -> tuple[int, int] | None:
    """Where a passage copied from the page is in its text, whatever the spacing and
    punctuation between its words (reader.store.anchors); None when it is not there."""
    from reader.store.anchors import TextQuote, reanchor

    span = reanchor(text, TextQuote(passage, "", ""), 0)
    if span is None or span[0] >= span[1]:
        return None
    return span


# ---------------------------------------------------------------------- Kindle


def kindle_origin(book: KindleBook) -> str:
    return f"kindle:{book.title} ({book.author})" if book.author else f"kindle:{book.title}"


def import_kindle(library: Library, clippings: Clippings) -> BookReport:
    """Each book one article of its passages, with a highlight (and its notes) on each."""
    from reader.sources.kindle import book_article
    from reader.store.ids import article_id
    from reader.store.library_waiting import ImportedPage

    report = BookReport(skipped=list(clippings.skipped))
    by_origin = {r.origin: r for r in library.articles() if r.origin is not None}
    for book in clippings.books:
        made = book_article(book)
        origin = kindle_origin(book)
        existing = by_origin.get(origin)
        if existing is None:
            page = ImportedPage(
                article=made.article,
                origin=origin,
                added_at=_kindle_date(book),
                highlights=tuple(made.highlights),
            )
            result = library.add_imported([page])[0]
            if result.added:
                report.added += 1
                report.highlights += len(made.highlights)
            else:
                report.known += 1
            by_origin[origin] = result.article
        elif existing.id == article_id(made.article):
            report.known += 1
        else:
            report.highlights += _update_book(library, existing.id, made.article, made.highlights)
            report.updated += 1
    return report


def _update_book(
    library: Library, aid: str, article: Article, highlights: list[tuple[int, int, str]]
) -> int:
    """A book with passages it did not have: the new text, with the reader's highlights
    carried over by their quotes, then a highlight on each new passage. A Kindle note on a
    passage highlighted before fills its highlight's note only when that is empty, so a
    note edited here is kept. Returns how many highlights were added."""
    moved = library.replace_text(aid, article)
    have = {(h.start, h.end): h for h in library.highlights(moved.new_id) if not h.detached}
    added = 0
    for start, end, note in highlights:
        old = have.get((start, end))
        if old is None:
            library.add_highlight(moved.new_id, start, end, note)
            added += 1
        elif note and not old.note:
            library.set_highlight_note(old.id, note)
    return added


def _kindle_date(book: KindleBook) -> str | None:
    """The first passage's date, as UTC. A Kindle writes its own wall-clock time with no
    zone; the reader's Kindle is taken to be in the same zone as this computer."""
    dates = []
    for passage in book.passages:
        if passage.added:
            with contextlib.suppress(ValueError):
                dates.append(datetime.fromisoformat(passage.added))
    if not dates:
        return None
    first = min(dates)
    local = first if first.tzinfo is not None else first.astimezone()
    return local.astimezone(UTC).isoformat(timespec="seconds")
