"""Imports from other apps, through the engine (reader.study.imports) and the store.

Every fixture export is imported against stand-in pages on a local server (see
tests/import_stand_ins.py), some of them failing, so both sides are seen: pages stored
with their dates, tags and read status, and links kept waiting until `fetch_waiting`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reader.sources.kindle import book_article, scan_clippings
from reader.sources.saved_links import read_instapaper, read_pocket
from reader.sources.url import Fetched
from reader.store import ArticleRecord, Library
from reader.store.library_waiting import ImportedPage
from reader.store.waiting import WaitingLink
from reader.study.imports import fetch_waiting, import_kindle, import_links, kindle_origin
from reader.study.review import ReviewDeck
from tests.import_stand_ins import KINDLE, LINKS, StandIns, fixture

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def pages(local_server: LocalServer) -> StandIns:
    return StandIns(local_server)


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library.open(tmp_path / "home")
    yield library
    library.close()


def _by_origin(library: Library) -> dict[str, ArticleRecord]:
    return {r.origin: r for r in library.articles() if r.origin}


# Pocket and Instapaper ---------------------------------------------------------------------


def test_pocket_csv_some_pages_waiting_then_fetched(lib: Library, pages: StandIns) -> None:
    saved = read_pocket(fixture(LINKS / "pocket.csv").read_bytes())
    links = saved.links
    for link in links[:5]:
        pages.serve(link.url, f"Stand-in {link.url[-12:]}")
    pages.fail(links[5].url)  # 404
    pages.refuse(links[6].url)  # nobody listening

    report = import_links(lib, saved, "pocket", fetch=pages.fetch, timeout=5)

    assert (report.added, report.waiting, report.known) == (5, 2, 0)
    assert set(report.failures) == {links[5].url, links[6].url}
    assert "HTTP 404" in report.failures[links[5].url]
    stored = {r.origin: r for r in lib.articles()}
    for link in links[:5]:
        record = stored[link.url]
        assert record.added_at == link.added  # the date saved in Pocket, not today
        assert record.finished is (link.status == "archived")
        assert record.tags == ()
    archived = stored[links[3].url]  # "archive" in the export
    assert archived.finished and archived.furthest == 1.0 and archived.position == 0
    waiting = lib.waiting_links()
    assert [w.url for w in waiting] == [links[5].url, links[6].url]
    assert waiting[0].added == links[5].added and waiting[0].status == "archived"
    assert waiting[0].tries == 1 and "404" in (waiting[0].last_error or "")

    pages.serve(links[5].url, "Now it is there")
    pages.serve(links[6].url, "This one too")
    later = fetch_waiting(lib, fetch=pages.fetch, timeout=5)

    assert (later.added, later.waiting, later.failures) == (2, 0, {})
    assert lib.waiting_links() == []
    stored = {r.origin: r for r in lib.articles()}
    assert stored[links[5].url].added_at == links[5].added
    assert stored[links[5].url].finished  # the read status waited with the link
    assert stored[links[6].url].title == "This one too"


def test_pocket_html_keeps_tags(lib: Library, pages: StandIns) -> None:
    saved = read_pocket(fixture(LINKS / "ril_export.html").read_bytes())
    for link in saved.links:
        pages.serve(link.url, link.title or "page")
    report = import_links(lib, saved, "pocket", fetch=pages.fetch)
    assert report.added == 2
    for link in saved.links:
        record = _by_origin(lib)[link.url]
        assert record.tags == ("ifttt", "new_entry_simple")
        assert record.added_at == link.added


def test_instapaper_folders_become_status_and_tags(lib: Library, pages: StandIns) -> None:
    saved = read_instapaper(fixture(LINKS / "instapaper-export.csv").read_bytes())
    for link in saved.links:
        pages.serve(link.url, link.title or "page")
    report = import_links(lib, saved, "instapaper", fetch=pages.fetch)
    assert report.added == 4
    unread, archive, starred, folder = (_by_origin(lib)[link.url] for link in saved.links)
    assert (unread.finished, unread.tags) == (False, ())
    assert (archive.finished, archive.tags) == (True, ())
    assert (starred.finished, starred.tags) == (True, ("starred",))
    assert (folder.finished, folder.tags) == (False, ("test_tag",))


INSTAPAPER = (
    "URL,Title,Selection,Folder\n"
    'https://example.org/found,Found,"the  tide turned\nat dawn",Unread\n'
    "https://example.org/missing,Missing,words that are on no page,Archive\n"
)
FOUND_TEXT = "Nobody expected much. Then the tide turned at dawn, and the boats came home."


def test_instapaper_selection_highlight_or_note(lib: Library, pages: StandIns) -> None:
    saved = read_instapaper(INSTAPAPER.encode())
    pages.serve("https://example.org/found", "Found", FOUND_TEXT, "Another paragraph of it.")
    pages.serve("https://example.org/missing", "Missing", "A page without the selection.")

    report = import_links(lib, saved, "instapaper", fetch=pages.fetch)

    assert (report.added, report.highlights, report.notes) == (2, 1, 1)
    found, missing = (
        _by_origin(lib)[u] for u in ("https://example.org/found", "https://example.org/missing")
    )
    text = lib.load_article(found.id).text
    [mark] = lib.highlights(found.id)
    assert text[mark.start : mark.end] == "the tide turned at dawn"
    assert lib.notes(found.id) == []
    [note] = lib.notes(missing.id)
    assert (note.start, note.end) == (0, 0)
    assert note.text == (
        "Highlight from Instapaper (not found in the page): words that are on no page"
    )
    assert lib.highlights(missing.id) == []
    deck = ReviewDeck(lib)
    cards = deck.due_cards(NOW, analyze_missing=False)
    assert {c.kind for c in cards} >= {"highlight", "note"}


def test_a_waiting_link_keeps_its_selection(lib: Library, pages: StandIns) -> None:
    saved = read_instapaper(INSTAPAPER.encode())
    pages.serve("https://example.org/missing", "Missing", "A page without the selection.")
    import_links(lib, saved, "instapaper", fetch=pages.fetch)
    [waiting] = lib.waiting_links()
    assert waiting.selections == ("the tide turned at dawn",)
    assert waiting.source == "instapaper"

    pages.serve("https://example.org/found", "Found", FOUND_TEXT)
    assert fetch_waiting(lib, fetch=pages.fetch).highlights == 1
    found = _by_origin(lib)["https://example.org/found"]
    [mark] = lib.highlights(found.id)
    assert lib.load_article(found.id).text[mark.start : mark.end] == "the tide turned at dawn"


def test_the_same_import_twice_adds_nothing(lib: Library, pages: StandIns) -> None:
    saved = read_pocket(fixture(LINKS / "pocket.csv").read_bytes())
    for link in saved.links[:6]:
        pages.serve(link.url, f"Page {link.url[-16:]}")
    pages.fail(saved.links[6].url)
    first = import_links(lib, saved, "pocket", fetch=pages.fetch)
    assert (first.added, first.waiting) == (6, 1)
    ids = [r.id for r in lib.articles()]
    asked = len(pages.asked)

    again = import_links(lib, saved, "pocket", fetch=pages.fetch)

    assert (again.added, again.known, again.waiting) == (0, 6, 1)
    assert [r.id for r in lib.articles()] == ids
    assert len(lib.waiting_links()) == 1
    assert pages.asked[asked:] == [saved.links[6].url]  # only the waiting one fetched again
    assert lib.waiting_links()[0].tries == 2

    pages.serve(saved.links[6].url, "At last")  # the next import fetches what waits
    third = import_links(lib, saved, "pocket", fetch=pages.fetch)
    assert (third.added, third.known, third.waiting) == (1, 6, 0)


def test_a_link_added_meanwhile_stops_waiting(lib: Library, pages: StandIns) -> None:
    saved = read_pocket(
        b"title,url,time_added,tags,status\nA,https://example.org/a,1600000000,,unread\n"
    )
    import_links(lib, saved, "pocket", fetch=pages.fetch)
    assert len(lib.waiting_links()) == 1
    pages.serve("https://example.org/a", "A")
    page = pages.fetch("https://example.org/a")
    from reader.sources.registry import read_fetched

    lib.add_article(read_fetched(page)[0], origin="https://example.org/a")
    report = fetch_waiting(lib, fetch=pages.fetch)
    assert (report.added, report.known, report.waiting) == (0, 1, 0)
    assert lib.waiting_links() == []


def test_an_interrupted_import_keeps_every_link_waiting(lib: Library, pages: StandIns) -> None:
    saved = read_pocket(fixture(LINKS / "pocket.csv").read_bytes())

    def interrupted(url: str, *, timeout: float) -> Fetched:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_links(lib, saved, "pocket", fetch=interrupted, workers=1)
    assert [w.url for w in lib.waiting_links()] == [link.url for link in saved.links]
    assert lib.articles() == []


# Kindle ------------------------------------------------------------------------------------

KINDLE_FILES = sorted(p.name for p in KINDLE.glob("*.txt")) if KINDLE.is_dir() else []


@pytest.mark.parametrize("name", KINDLE_FILES)
def test_every_kindle_fixture_becomes_books_of_passages(lib: Library, name: str) -> None:
    clippings = scan_clippings((KINDLE / name).read_bytes(), name)
    report = import_kindle(lib, clippings)
    assert report.added == len(clippings.books) and report.skipped == clippings.skipped
    stored = _by_origin(lib)
    for book in clippings.books:
        made = book_article(book)
        record = stored[kindle_origin(book)]
        assert record.title == book.title
        marks = lib.highlights(record.id)
        assert [(m.start, m.end, m.note) for m in marks] == made.highlights
        text = lib.load_article(record.id).text
        passages = [p.text for p in book.passages]
        assert [text[m.start : m.end] for m in marks] == passages
    cards = ReviewDeck(lib).due_cards(NOW, analyze_missing=False)
    assert len([c for c in cards if c.kind == "highlight"]) == report.highlights > 0

    again = import_kindle(lib, clippings)
    assert (again.added, again.known, again.highlights) == (0, len(clippings.books), 0)


def test_kindle_notes_and_dates(lib: Library) -> None:
    clippings = scan_clippings(fixture(KINDLE / "missing-note-scenario.txt").read_bytes())
    import_kindle(lib, clippings)
    [book] = clippings.books
    record = _by_origin(lib)[kindle_origin(book)]
    [mark] = lib.highlights(record.id)
    assert mark.note == "原来是为她哥哥守孝,到这里才说明白。"
    first = min(datetime.fromisoformat(p.added) for p in book.passages if p.added)
    expected = first.astimezone().astimezone(UTC).isoformat(timespec="seconds")
    assert record.added_at == expected


BOOK = "The Wave (Ann Author)\n"


def _clip(location: str, text: str, kind: str = "Highlight") -> str:
    return (
        f"{BOOK}- Your {kind} on Location {location} | Added on Sunday, 3 March 2019 "
        f"10:20:30\n\n{text}\n==========\n"
    )


def test_a_kindle_book_with_one_more_highlight_adds_just_that(lib: Library) -> None:
    first = _clip("10-12", "The sea was calm that morning.") + _clip("12", "calm?", "Note")
    first += _clip("40-41", "Nobody saw the wave coming.")
    import_kindle(lib, scan_clippings(first.encode()))
    [record] = lib.articles()
    marks = lib.highlights(record.id)
    assert [m.note for m in marks] == ["calm?", ""]
    lib.set_highlight_note(marks[0].id, "calm? Not for long.")  # edited in reader
    lib.save_progress(record.id, position=5, progress=0.2)

    second = (
        first + _clip("20-21", "Then the birds went quiet.") + _clip("41", "foreshadowing", "Note")
    )
    report = import_kindle(lib, scan_clippings(second.encode()))

    assert (report.added, report.updated, report.highlights) == (0, 1, 1)
    [record] = lib.articles()
    assert record.origin == "kindle:The Wave (Ann Author)"
    text = lib.load_article(record.id).text
    marks = lib.highlights(record.id)
    assert [text[m.start : m.end] for m in marks] == [
        "The sea was calm that morning.",
        "Then the birds went quiet.",
        "Nobody saw the wave coming.",
    ]
    # The note edited here is kept; a Kindle note on an old highlight fills an empty one.
    assert [m.note for m in marks] == ["calm? Not for long.", "", "foreshadowing"]
    assert len({m.id for m in marks}) == 3

    third = import_kindle(lib, scan_clippings(second.encode()))
    assert (third.added, third.updated, third.known, third.highlights) == (0, 0, 1, 0)


# The store -------------------------------------------------------------------------------


def test_add_imported_is_all_or_nothing(lib: Library) -> None:
    from reader.article import Article

    article = Article.from_paragraphs("T", None, None, None, ["Some words here."])
    bad = ImportedPage(article, "https://example.org/t", highlights=((0, 999, ""),))
    lib.keep_waiting([WaitingLink("https://example.org/t")])
    with pytest.raises(ValueError):
        lib.add_imported([ImportedPage(article, "https://example.org/u"), bad])
    assert lib.articles() == [] and len(lib.waiting_links()) == 1

    good = ImportedPage(
        article,
        "https://example.org/t",
        added_at="2020-01-02T03:04:05+00:00",
        tags=("b", "a"),
        finished=True,
        highlights=((0, 4, "n"),),
        notes=((0, 0, "x"),),
        resolves="https://example.org/t",
    )
    [result] = lib.add_imported([good])
    assert result.added and result.article.added_at == "2020-01-02T03:04:05+00:00"
    assert result.article.tags == ("a", "b")
    assert lib.waiting_links() == []
    [mark] = lib.highlights(result.article.id)
    assert (mark.start, mark.end, mark.note, mark.quote) == (0, 4, "n", "Some")
    assert lib.get(result.article.id).finished


def test_waiting_links_survive_reopening_and_bad_records(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home) as library:
        library.keep_waiting(
            [WaitingLink("https://a.example/", tags=("x",), selections=("s",), source="pocket")]
        )
        library.keep_waiting([WaitingLink("https://a.example/"), WaitingLink("https://b.example/")])
    raw = (home / "waiting.json").read_text()
    (home / "waiting.json").write_text(raw.replace('"https://b.example/"', "7"))
    with Library.open(home) as library:
        [link] = library.waiting_links()
        assert (link.url, link.tags, link.selections) == ("https://a.example/", ("x",), ("s",))
        assert any("waiting.json" in notice for notice in library.notices)


def test_the_page_title_wins_and_the_export_title_stands_in(
    lib: Library, pages: StandIns, local_server: LocalServer
) -> None:
    saved = read_pocket(
        b"title,url,time_added,tags,status\n"
        b"Cut short by Pock,https://example.org/titled,1600000000,a|b,unread\n"
        b"Saved as this,https://example.org/untitled,1600000001,,unread\n"
    )
    pages.serve("https://example.org/titled", "Cut short by Pocket at seventy-five characters")
    words = " ".join(["A page that names itself nowhere at all."] * 8)
    body = f"<!DOCTYPE html><html><body><p>{words}</p></body></html>"
    local_server.page(
        StandIns.path_of("https://example.org/untitled"), body, content_type="text/html"
    )
    import_links(lib, saved, "pocket", fetch=pages.fetch)
    stored = _by_origin(lib)
    assert stored["https://example.org/titled"].title == (
        "Cut short by Pocket at seventy-five characters"
    )
    assert stored["https://example.org/titled"].tags == ("a", "b")
    assert stored["https://example.org/untitled"].title == "Saved as this"


def test_archived_imports_are_finished_but_make_no_key_sentence_cards(
    lib: Library, pages: StandIns
) -> None:
    """Read in Pocket, not here: finished in the library, but a Pocket archive's key
    sentences do not all fall due at once. Marked unfinished and finished again here
    (F, F), the article is a source of cards like any other; the mark survives a JSON
    export and import-notes into an empty home."""
    from reader.study.export import export_json
    from reader.study.importer import check_export, import_snapshot

    saved = read_pocket(fixture(LINKS / "pocket.csv").read_bytes())
    for link in saved.links:
        pages.serve(link.url, f"Stand-in {link.url[-12:]}")
    import_links(lib, saved, "pocket", fetch=pages.fetch, timeout=5)
    archived = [r for r in lib.articles() if r.finished]
    assert archived
    assert lib.review_sources()[1] == set()
    first = archived[0]
    lib.save_progress(first.id, position=0, progress=0.5, finished=True)  # reading it again
    assert lib.review_sources()[1] == set()
    lib.save_progress(first.id, position=0, progress=0.5, finished=False)  # F
    lib.save_progress(first.id, position=0, progress=0.5, finished=True)  # F again
    assert lib.review_sources()[1] == {first.id}

    snapshot = export_json(lib)
    flags = {a["id"]: (a["progress"] or {}).get("read_elsewhere") for a in snapshot["articles"]}
    assert {aid for aid, flag in flags.items() if flag} == {r.id for r in archived[1:]}
    with Library.open(lib.home.parent / "restored") as restored:
        import_snapshot(restored, check_export(snapshot))
        assert restored.review_sources()[1] == {first.id}
        assert {r.id for r in restored.articles() if r.finished} == {r.id for r in archived}
