"""The exports of other apps, read: Pocket and Instapaper links, Kindle clippings.

The fixtures are real exports (../shared/data/imports, ../shared/data/clippings); the
hand-written inputs pin each rule the fixtures do not reach: every language's metadata line,
extended and repeated highlights, notes finding their highlight, bad rows and wrong files.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reader.article import Article, InputError
from reader.sources.kindle import (
    KindleBook,
    Passage,
    book_article,
    read_clippings,
    scan_clippings,
)
from reader.sources.kindle_header import Header, read_header
from reader.sources.saved_links import SavedLink, read_instapaper, read_pocket

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LINKS = DATA / "imports" / "wallabag_fixtures"
KINDLE = DATA / "clippings" / "kindle"


def _fixture(path: Path) -> bytes:
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return path.read_bytes()


def _clip(title: str, header: str, text: str = "") -> str:
    return f"{title}\n{header}\n\n{text}\n==========\n"


def _one_line(exc: pytest.ExceptionInfo[InputError], name: str) -> str:
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    return message


# Pocket and Instapaper -------------------------------------------------------------------


def test_pocket_csv_fixture() -> None:
    result = read_pocket(_fixture(LINKS / "pocket.csv"), "pocket.csv")
    assert result.skipped == []
    assert len(result.links) == 7
    assert result.links[0] == SavedLink(
        url="http://youmightnotneedjquery.com/",
        title="You Might Not Need jQuery",
        added="2020-09-17T06:06:28+00:00",
        tags=(),
        status="unread",
    )
    # A title with "|" in it, and one quoted for its comma, are read whole.
    assert result.links[1].title == (
        "Est-ce que j’ai besoin d’un Scrum Master ? | by Jean-Pierre Lambert | Jean-"
    )
    assert result.links[2].title == (
        "Avec les accusés d’El Halia, par Gisèle Halimi (Le Monde diplomatique, sept"
    )
    assert [link.status for link in result.links] == [
        "unread", "unread", "unread", "archived", "unread", "archived", "unread"
    ]  # fmt: skip
    assert result.links[3].added == "2020-09-24T15:31:36+00:00"
    assert result.links[4].url.endswith("#utm_medium=distibuted&utm_source=rss&utm_campaign=646826")
    assert all(link.tags == () and not link.starred for link in result.links)


def test_pocket_html_fixture() -> None:
    result = read_pocket(_fixture(LINKS / "ril_export.html"), "ril_export.html")
    assert result.skipped == []
    assert [link.title for link in result.links] == [
        "Tarn : Des lapins ravagent le terrain, le match de rugby doit être annulé",
        "Le journaliste et cinéaste Claude Lanzmann est mort",
    ]
    first, second = result.links
    assert first.url.startswith("https://www.20minutes.fr/sport/4002755-")
    assert first.added == "2023-07-06T07:31:35+00:00"
    assert second.added == "2023-07-06T07:10:12+00:00"
    assert first.tags == second.tags == ("ifttt", "new_entry_simple")
    assert first.status == second.status == "unread"


def test_instapaper_fixture() -> None:
    result = read_instapaper(_fixture(LINKS / "instapaper-export.csv"), "instapaper.csv")
    assert result.skipped == []
    assert [(link.status, link.starred, link.tags) for link in result.links] == [
        ("unread", False, ()),
        ("archived", False, ()),
        ("archived", True, ()),
        ("unread", False, ("test_tag",)),
    ]
    assert result.links[1] == SavedLink(
        url="https://redditblog.com/2016/09/20/amp-and-reactredux/",
        title="AMP and React+Redux: Why Not?",
        added=None,
        status="archived",
    )
    assert result.links[3].title == "Dis donc Donald Trump, c'est quoi exactement «covfefe»?"
    assert all(link.selection is None for link in result.links)


def test_pocket_csv_tags_status_and_encodings() -> None:
    text = (
        "Title,URL,Time_Added,Tags,Status\r\n"
        "Crème brûlée,https://example.com/a,1600000000,food|french|Food,archive\r\n"
        "https://example.com/b,https://example.com/b,,,unread\r\n"
        "Odd status,https://example.com/c,not-a-time,,something-new\r\n"
    )
    for data in (codecs.BOM_UTF8 + text.encode("utf-8"), text.encode("cp1252")):
        a, b, c = read_pocket(data, "p.csv").links
        assert a == SavedLink(
            "https://example.com/a", "Crème brûlée", "2020-09-13T12:26:40+00:00",
            ("food", "french"), "archived",
        )  # fmt: skip
        assert b.title is None  # Pocket writes the URL when it has no title
        assert (c.added, c.status) == (None, "unread")


def test_pocket_html_read_archive_and_bad_links() -> None:
    html = b"""<!DOCTYPE html><html><head><title>Pocket Export</title></head><body>
<h1>Unread</h1><ul>
<li><a href="https://example.com/1" time_added="1688628695" tags="">First &amp; best</a></li>
<li><a href="javascript:alert(1)" time_added="1688628695" tags="">Script</a></li>
</ul>
<h1>Read Archive</h1><ul>
<li><a href="https://example.com/2" time_added="1500000000" tags="x, y">Second</a></li>
<li><a href="https://example.com/1" time_added="1500000000">Again</a></li>
</ul></body></html>"""
    result = read_pocket(html, "ril_export.html")
    assert [(link.url, link.title, link.status, link.tags) for link in result.links] == [
        ("https://example.com/1", "First & best", "unread", ()),
        ("https://example.com/2", "Second", "archived", ("x", "y")),
    ]
    assert result.skipped == [
        "line 4: not a web address ('javascript:alert(1)')",
        "line 8: the same URL as line 3",
    ]


def test_instapaper_folders_selection_timestamp_and_tags() -> None:
    data = (
        b"URL,Title,Selection,Folder,Timestamp,Tags\n"
        b'https://example.com/1,One,"A passage,  quoted",Reading list,1700000000,"[""x""]"\n'
        b"https://example.com/2,Two,,Starred,1700000001,\n"
        b"https://example.com/3,Three,,archive,,\n"
        b"https://example.com/4,Four,,Unread,,\n"
    )
    one, two, three, four = read_instapaper(data, "i.csv").links
    assert one == SavedLink(
        "https://example.com/1", "One", "2023-11-14T22:13:20+00:00", ("Reading list", "x"),
        "unread", False, "A passage, quoted",
    )  # fmt: skip
    assert (two.status, two.starred, two.tags) == ("archived", True, ())
    assert (three.status, three.starred) == ("archived", False)
    assert (four.status, four.starred, four.tags) == ("unread", False, ())


def test_bad_rows_are_skipped_and_counted() -> None:
    data = (
        b"URL,Title,Selection,Folder\n"
        b",No address,,Unread\n"
        b"ftp://example.com/file,FTP,,Unread\n"
        b"https://example.com/ok,Fine,,Unread\n"
        b"\n"
        b"https://example.com/ok,Fine again,,Archive\n"
        b"short row\n"
        b"https:///no-host,Nowhere,,Unread\n"
    )
    result = read_instapaper(data, "i.csv")
    assert [link.title for link in result.links] == ["Fine"]
    assert result.skipped == [
        "row 2: no URL",
        "row 3: not a web address ('ftp://example.com/file')",
        "row 5: the same URL as row 4",
        "row 6: not a web address ('short row')",
        "row 7: not a web address ('https:///no-host')",
    ]


@pytest.mark.parametrize(
    ("reader", "data", "problem"),
    [
        (read_pocket, b"", "empty file"),
        (read_instapaper, b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file (a PNG image)"),
        (read_pocket, b"a,b,c\n1,2,3\n", "not a Pocket export (expected a CSV file with the"),
        (read_instapaper, b"name\nx\n", "not an Instapaper export (expected a CSV file"),
        (read_pocket, b"URL,Title,Selection,Folder\n", "it looks like an Instapaper export"),
        (read_instapaper, b"title,url,time_added,tags,status\n", "it looks like a Pocket export"),
        (read_pocket, b"<html><body><a href='https://x.org'>x</a></body></html>", "not a Pocket"),
        (read_instapaper, _clip("Book (A)", "- Your Note at location 3", "n").encode(), "not an"),
    ],
)
def test_wrong_files_get_one_line(reader: object, data: bytes, problem: str) -> None:
    assert callable(reader)
    with pytest.raises(InputError) as exc:
        reader(data, "export.csv")
    assert problem in _one_line(exc, "export.csv")


def test_an_export_with_only_its_header_is_empty_not_wrong() -> None:
    assert read_pocket(b"title,url,time_added,tags,status\n").links == []
    assert read_instapaper(b"URL,Title,Selection,Folder\n").links == []


# Kindle: the fixtures ---------------------------------------------------------------------


def test_kindle_fixtures_all_parse() -> None:
    files = sorted(KINDLE.glob("*.txt")) if KINDLE.is_dir() else []
    if len(files) != 8:
        pytest.skip("the Kindle clippings fixtures are not here")
    counts = {
        path.name: [len(book.passages) for book in read_clippings(path.read_bytes(), path.name)]
        for path in files
    }
    assert counts == {
        "dup-location-scenario.txt": [1, 1, 1],
        "dup-same-page.txt": [3],
        "first-scenario.txt": [3, 2],
        "missing-note-scenario.txt": [1],
        "no-content-scenario.txt": [1],
        "simple.txt": [2],
        "trailing-separator-start.txt": [2],
        "unordered-scenario.txt": [3],
    }


def test_kindle_first_scenario() -> None:
    elantris, orwell = read_clippings(_fixture(KINDLE / "first-scenario.txt"))
    assert (elantris.title, elantris.author) == (
        "Elantris: Tenth Anniversary Author's Definitive Edition",
        "Sanderson, Brandon",
    )
    # Overlapping locations but different words: two passages, not an extension.
    assert [(p.location, p.page) for p in elantris.passages] == [
        ((398, 399), 27), ((481, 484), 30), ((483, 484), 31)
    ]  # fmt: skip
    assert elantris.passages[2].text == "Arelon. Something else bothered Sarene—something"
    assert elantris.passages[0].added == "2017-08-24T22:31:50"
    extended, loose = orwell.passages
    assert extended == Passage(
        text="“Don’t you see that the whole aim of Newspeak is to narrow the range of thought?",
        location=(737, 739),
        page=41,
        added="2017-09-09T13:27:09",
        note="The ABC model - key for growth and happiness",
    )
    assert loose == Passage(
        "Airplane Accidents - also how software projects go wrong",
        (1971, 1971), None, "2021-01-06T14:22:58", None, "note",
    )  # fmt: skip


def test_kindle_unordered_notes_find_their_highlights() -> None:
    (book,) = read_clippings(_fixture(KINDLE / "unordered-scenario.txt"))
    assert (book.title, book.author) == ("UNKNOWN", "Daniel Kim Hansen")
    assert [(p.location, p.note) for p in book.passages] == [
        ((89, 91), "Hollow 1"),
        ((98, 98), "Few more"),  # the note came before its highlight in the file
        ((113, 114), "Hollow 2\nHollow 3"),
    ]
    assert all(p.kind == "highlight" for p in book.passages)


def test_kindle_other_fixtures() -> None:
    (backbone,) = read_clippings(_fixture(KINDLE / "dup-same-page.txt"))
    assert backbone.author == "Addy Osmani"
    assert [(p.text, p.page, p.location) for p in backbone.passages] == [
        ("Highlight 1", 7, None), ("Highlight 2", 10, None), ("Highlight 3", 10, None)
    ]  # fmt: skip
    assert backbone.passages[0].added == "2012-12-03T19:42:30"

    (stillness,) = read_clippings(_fixture(KINDLE / "simple.txt"))  # a BOM mid-file
    assert stillness.title == "Strength in Stillness: The Power of Transcendental Meditation"
    assert [p.location for p in stillness.passages] == [(98, 99), (157, 163)]

    scan = scan_clippings(_fixture(KINDLE / "no-content-scenario.txt"), "c.txt")
    assert scan.skipped == ["entry 2: a highlight with no text"]  # the bookmark goes unsaid
    assert scan.books[0].passages[0].location == (267, 271)

    (jornada,) = read_clippings(_fixture(KINDLE / "trailing-separator-start.txt"))
    assert (jornada.title, jornada.author) == ("Jornada de Montahue - P Hernan Alessandri", None)
    assert [(p.page, p.added) for p in jornada.passages] == [(125, "2012-04-24T16:13:00")] * 2

    (chinese,) = read_clippings(_fixture(KINDLE / "missing-note-scenario.txt"))
    assert (chinese.title, chinese.author) == ("飘（上下） (外国文学名著名译丛书)", "(美)米切尔")
    (passage,) = chinese.passages
    assert (passage.location, passage.added) == ((2543, 2544), "2023-02-09T18:35:21")
    assert passage.note == "原来是为她哥哥守孝,到这里才说明白。"

    books = read_clippings(_fixture(KINDLE / "dup-location-scenario.txt"))
    assert [(b.title, b.author) for b in books] == [
        ("Amazon has ruined search and Google is in on it", "HN to Kindle"),
        ("Duolingo reaches $6.5B valuation on day of IPO", "HN to Kindle"),
        (
            "Papers every developer should read at least twice (2017)",
            "b8cd5f21-3503-4d65-bfbf-cea4ad864210@hntokindle.com",
        ),
    ]
    assert books[0].passages[0].added == "2021-07-29T22:37:23"


# Kindle: the rules, by hand ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "- Your Highlight on page 12 | Location 170-172 | Added on Sunday, 3 March 2019 "
            "10:20:30",
            Header("highlight", (170, 172), 12, "2019-03-03T10:20:30"),
        ),
        (
            "- Your Note on Location 172 | Added on Friday, January 1, 2021 12:05:00 AM",
            Header("note", (172, 172), None, "2021-01-01T00:05:00"),
        ),
        (
            "- Highlight Loc. 1234-36 | Added on Tuesday, May 10, 2011, 08:15 PM",
            Header("highlight", (1234, 1236), None, "2011-05-10T20:15:00"),
        ),
        (
            "- Your Bookmark on page 5 | Location 77 | Added on Monday, 1 April 2019 09:00:00",
            Header("bookmark", (77, 77), 5, "2019-04-01T09:00:00"),
        ),
        (
            "- Ihre Markierung auf Seite 12 | Position 170-172 | Hinzugefügt am Sonntag, "
            "3. März 2019 10:20:30",
            Header("highlight", (170, 172), 12, "2019-03-03T10:20:30"),
        ),
        (
            "- Ihre Markierung bei Position 2983-2984 | Hinzugefügt am Dienstag, 17. Mai 2022 "
            "21:00:35",
            Header("highlight", (2983, 2984), None, "2022-05-17T21:00:35"),
        ),
        (
            "- Ihre Notiz auf Seite 50 | bei Position 700 | Hinzugefügt am Dienstag, 4. März 2025 "
            "09:00:00",
            Header("note", (700, 700), 50, "2025-03-04T09:00:00"),
        ),
        (
            "- Ihr Lesezeichen auf Seite 307 | Position 3793 | Hinzugefügt am Montag, 2. Dezember "
            "2019 07:01:02",
            Header("bookmark", (3793, 3793), 307, "2019-12-02T07:01:02"),
        ),
        (
            "- Votre surlignement sur la page 5 | emplacement 1234-1236 | Ajouté le lundi "
            "30 septembre 2019 18:00:39",
            Header("highlight", (1234, 1236), 5, "2019-09-30T18:00:39"),
        ),
        (
            "- Votre note à l'emplacement 123 | Ajouté le lundi 5 août 2019 13:23:45",
            Header("note", (123, 123), None, "2019-08-05T13:23:45"),
        ),
        (
            "- Votre surlignement Emplacement 307-307 | Ajouté le lundi 17 décembre 2012 à "
            "08:27:45",
            Header("highlight", (307, 307), None, "2012-12-17T08:27:45"),
        ),
        (
            "- Votre signet sur la page 9 | emplacement 140 | Ajouté le jeudi 1er février 2018 "
            "07:00:00",
            Header("bookmark", (140, 140), 9, "2018-02-01T07:00:00"),
        ),
        (
            "- Tu subrayado en la página 6 | posición 36-40 | Añadido el lunes, 30 de septiembre "
            "de 2019 18:00:39",
            Header("highlight", (36, 40), 6, "2019-09-30T18:00:39"),
        ),
        (
            "- Tu nota en la posición 40 | Añadido el martes, 5 de enero de 2021 1:23:45",
            Header("note", (40, 40), None, "2021-01-05T01:23:45"),
        ),
        (
            "- Tu subrayado en la ubicación 123-124 | Añadido el domingo, 5 de mayo de 2019 "
            "1:23:45 p. m.",
            Header("highlight", (123, 124), None, "2019-05-05T13:23:45"),
        ),
        (
            "- Tu marcador en la página 3 | posición 30 | Añadido el lunes, 1 de julio de 2019 "
            "10:00:00",
            Header("bookmark", (30, 30), 3, "2019-07-01T10:00:00"),
        ),
        (
            "- La tua evidenziazione alla pagina 6 | posizione 36-40 | Aggiunto in data lunedì "
            "30 settembre 2019 18:00:39",
            Header("highlight", (36, 40), 6, "2019-09-30T18:00:39"),
        ),
        (
            "- Seu destaque na página 8 | posição 90-91 | Adicionado: sábado, 10 de março de "
            "2018 11:12:13",
            Header("highlight", (90, 91), 8, "2018-03-10T11:12:13"),
        ),
        (
            "- 您在第 12 页（位置 #170-172）的标注 | 添加于 2019年3月3日星期日 上午10:20:30",
            Header("highlight", (170, 172), 12, "2019-03-03T10:20:30"),
        ),
        (
            "- 12ページ|位置No. 170-172のハイライト |作成日: 2019年3月3日日曜日 22:20:30",
            Header("highlight", (170, 172), 12, "2019-03-03T22:20:30"),
        ),
        (
            "- Your Highlight on page 3 | Added on a day the Kindle forgot",
            Header("highlight", None, 3, None),
        ),
    ],
)
def test_metadata_lines_in_every_language(line: str, expected: Header) -> None:
    assert read_header(line) == expected


@pytest.mark.parametrize(
    "line", ["Your Highlight on page 3", "- Something else entirely | Added on Monday", "-"]
)
def test_lines_that_are_not_metadata(line: str) -> None:
    assert read_header(line) is None


def test_a_highlight_extended_later_keeps_the_longer() -> None:
    data = (
        _clip("Book (Writer)", "- Your Highlight at location 10-11 | Added on", "It was the best")
        + _clip(
            "Book (Writer)",
            "- Your Highlight at location 10-12 | Added on",
            "It was the best of times, it was",
        )
        # A shorter re-highlight of the same words is not a new passage either.
        + _clip("Book (Writer)", "- Your Highlight at location 11-11 | Added on", "best of")
        # The same words somewhere else in the book are.
        + _clip("Book (Writer)", "- Your Highlight at location 90-90 | Added on", "best of")
    ).encode()
    (book,) = read_clippings(data)
    assert [(p.text, p.location) for p in book.passages] == [
        ("It was the best of times, it was", (10, 12)),
        ("best of", (90, 90)),
    ]


def test_a_highlight_spanning_two_earlier_ones_replaces_both() -> None:
    data = (
        _clip("B", "- Your Highlight at location 5-5 | Added on", "alpha beta")
        + _clip("B", "- Your Highlight at location 7-7 | Added on", "gamma delta")
        + _clip("B", "- Your Highlight at location 5-7 | Added on", "alpha beta and gamma delta")
    ).encode()
    (book,) = read_clippings(data)
    assert [(p.text, p.location) for p in book.passages] == [("alpha beta and gamma delta", (5, 7))]


def test_exact_duplicates_merge_and_order_is_by_location() -> None:
    header = "- Your Highlight on page 2 | location 20-21 | Added on Monday, 1 April 2019 09:00:00"
    data = (
        _clip("B (A)", "- Your Highlight at location 300-301 | Added on", "Later  words")
        + _clip("B (A)", header, "Earlier words")
        + _clip("B (A)", header, "Earlier words")
        + _clip("B (A)", "- Your Bookmark at location 25 | Added on")
        + _clip("B (A)", "- Your Note at location 21 | Added on", "mine")
        + _clip("B (A)", "- Your Note at location 21 | Added on", "mine")
    ).encode()
    (book,) = read_clippings(data)
    assert book.passages == [
        Passage("Earlier words", (20, 21), 2, "2019-04-01T09:00:00", "mine"),
        Passage("Later words", (300, 301), None, None),
    ]


def test_a_note_prefers_the_highlight_that_ends_at_it() -> None:
    data = (
        _clip("B", "- Your Highlight at location 10-30 | Added on", "a long passage")
        + _clip("B", "- Your Highlight at location 18-20 | Added on", "short one")
        + _clip("B", "- Your Highlight at location 20-25 | Added on", "next one")
        + _clip("B", "- Your Note at location 20 | Added on", "first\n\n\nsecond line")
        + _clip("B", "- Your Note at location 28 | Added on", "inside the long one")
        + _clip("B", "- Your Note at location 40 | Added on", "on its own")
        + _clip("B", "- Your Note at location 40 | Added on", "on its own")
    ).encode()
    (book,) = read_clippings(data)
    assert [(p.text, p.note, p.kind) for p in book.passages] == [
        ("a long passage", "inside the long one", "highlight"),
        ("short one", "first\nsecond line", "highlight"),
        ("next one", None, "highlight"),
        ("on its own", None, "note"),
    ]


def test_books_are_kept_apart_and_bookmarks_make_no_book() -> None:
    data = (
        "\ufeff"
        + _clip("One (A)", "- Your Highlight on page 1 | Added on", "one")
        + _clip("Only bookmarks (B)", "- Your Bookmark on page 4 | Added on")
        + _clip("Two (A)", "- Your Highlight on page 1 | Added on", "two")
        + _clip("One (A)", "- Your Highlight on page 3 | Added on", "three")
    ).replace("\n", "\r\n")
    books = read_clippings(data.encode("utf-8"))
    assert [(b.title, [p.text for p in b.passages]) for b in books] == [
        ("One", ["one", "three"]),
        ("Two", ["two"]),
    ]
    assert books[0].passages[0].page == 1


def test_unreadable_entries_are_skipped_and_counted() -> None:
    data = (
        _clip("B (A)", "- Your Highlight on page 1 | Added on", "kept")
        + "Just a stray line\n==========\n"
        + _clip("B (A)", "- Your Scribble on page 2 | Added on", "what is this")
        + _clip(
            "B (A)",
            "- Your Highlight on page 3 | Added on",
            "<You have reached the clipping limit for this item>",
        )
        + _clip("B (A)", "- Your Note on page 3 | Added on")
    ).encode()
    scan = scan_clippings(data, "My Clippings.txt")
    assert [p.text for p in scan.books[0].passages] == ["kept"]
    assert scan.skipped == [
        "entry 2: no Kindle metadata line ('Just a stray line')",
        "entry 3: no Kindle metadata line ('- Your Scribble on page 2 | Added on')",
        "entry 4: a highlight with no text",
        "entry 5: a note with no text",
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"%PDF-1.4 ...", "not a text file (a PDF document)"),
        (b"title,url,time_added,tags,status\n", "not a Kindle clippings file"),
        (b"==========\n\n==========\n", "not a Kindle clippings file"),
    ],
)
def test_not_a_clippings_file(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as exc:
        read_clippings(data, "My Clippings.txt")
    assert problem in _one_line(exc, "My Clippings.txt")


def test_a_file_of_only_bookmarks_is_empty_not_wrong() -> None:
    data = _clip("B (A)", "- Your Bookmark on page 4 | Added on").encode()
    assert read_clippings(data) == []


# Kindle: the book as an article -----------------------------------------------------------


def _book() -> KindleBook:
    return KindleBook(
        "Elantris",
        "Sanderson, Brandon",
        [
            Passage("—anything to keep   from acknowledging", (398, 399), 27, None, "mine"),
            Passage("Arelon.", (483, 483), None, None),
            Passage("A thought of my own", (500, 500), None, None, None, "note"),
            Passage("Page only", None, 9, None),
            Passage("Nowhere", None, None, None),
        ],
    )


def test_book_article_spans_point_at_each_passage() -> None:
    result = book_article(_book())
    article = result.article
    assert (article.title, article.author, article.published) == (
        "Elantris", "Sanderson, Brandon", None
    )  # fmt: skip
    assert [article.text[s:e] for s, e, _ in result.highlights] == [
        "—anything to keep from acknowledging",
        "Arelon.",
        "A thought of my own",
        "Page only",
        "Nowhere",
    ]
    assert [note for _, _, note in result.highlights] == ["mine", "", "", "", ""]
    assert [(b.kind, article.block_text(b)) for b in article.blocks] == [
        ("quote", "—anything to keep from acknowledging"),
        ("caption", "Location 398–399 · page 27"),
        ("quote", "Arelon."),
        ("caption", "Location 483"),
        ("paragraph", "A thought of my own"),
        ("caption", "Your note · Location 500"),
        ("quote", "Page only"),
        ("caption", "Page 9"),
        ("quote", "Nowhere"),
    ]
    assert all(b.level == 1 for b in article.blocks if b.kind == "quote")


def test_book_article_round_trips_through_the_store_form() -> None:
    article = book_article(_book()).article
    again = Article.from_dict(article.to_dict())
    assert again == article
    assert again.prose_spans() is None  # every block is prose: the NLP reads all of it


def test_book_article_from_a_fixture() -> None:
    _, orwell = read_clippings(_fixture(KINDLE / "first-scenario.txt"))
    result = book_article(orwell)
    (quote_start, quote_end, note), (loose_start, loose_end, loose_note) = result.highlights
    assert result.article.text[quote_start:quote_end] == orwell.passages[0].text
    assert note == "The ABC model - key for growth and happiness"
    assert result.article.text[loose_start:loose_end] == orwell.passages[1].text
    assert loose_note == ""
