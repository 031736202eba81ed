"""`reader import pocket|instapaper|kindle FILE` and `reader fetch`, run as the shell would,
against stand-in pages on 127.0.0.1 (tests/import_stand_ins.py): one summary line, one line
per row skipped, and for a file that is not the named export one line, exit status 2 and a
library left exactly as it was."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reader import cli
from reader.sources import url as url_module
from reader.store import Library
from tests.import_stand_ins import KINDLE, LINKS, StandIns, fixture

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    return home


@pytest.fixture
def pages(local_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> StandIns:
    """Every fetch the commands make goes to the local server, never the internet."""
    stand_ins = StandIns(local_server)
    monkeypatch.setattr(url_module, "fetch", stand_ins.fetch)
    return stand_ins


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def files_of(home: Path) -> dict[str, bytes]:
    if not home.exists():
        return {}
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_pocket_import_then_fetch(
    home: Path, pages: StandIns, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fixture(LINKS / "pocket.csv")
    from reader.sources.saved_links import read_pocket

    links = read_pocket(path.read_bytes()).links
    for link in links[:4]:
        pages.serve(link.url, f"Stand-in {link.url[-10:]}")
    pages.fail(links[4].url, 500)
    pages.refuse(links[5].url)  # links[6] is never served: 404

    status, out, err = run(["import", "pocket", str(path), "--timeout", "5"], capsys)
    assert (status, err) == (0, "")
    assert out == "4 articles added, 3 waiting for their text\n"

    status, out, err = run(["import", "pocket", str(path)], capsys)
    assert status == 0
    assert out == "0 articles added, 3 waiting for their text, 4 already in the library\n"

    status, out, err = run(["fetch"], capsys)
    assert status == 1
    assert out == "0 articles added, 3 still waiting\n"
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("reader: https://") for line in lines)
    assert any("HTTP 500" in line for line in lines)

    for link in links[4:]:
        pages.serve(link.url, f"Back {link.url[-10:]}")
    status, out, err = run(["fetch", "--timeout", "5"], capsys)
    assert (status, out, err) == (0, "3 articles added, 0 still waiting\n", "")
    with Library.open(home, read_only=True) as library:
        records = {r.origin: r for r in library.articles()}
        assert len(records) == 7
        assert [records[link.url].added_at for link in links] == [link.added for link in links]
        assert [records[link.url].finished for link in links] == [
            link.status == "archived" for link in links
        ]
    assert run(["fetch"], capsys)[:2] == (0, "no links are waiting for their text\n")


def test_instapaper_import_with_selections_and_bad_rows(
    tmp_path: Path, home: Path, pages: StandIns, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "instapaper.csv"
    export.write_text(
        "URL,Title,Selection,Folder\n"
        "https://example.org/a,A,a quiet harbour,Starred\n"
        "ftp://example.org/b,B,,Unread\n"
        "https://example.org/c,C,nowhere to be found,reading list\n"
        "https://example.org/a,A again,,Unread\n",
        encoding="utf-8",
    )
    pages.serve("https://example.org/a", "A", "It was a quiet harbour town until the storm.")
    pages.serve("https://example.org/c", "C", "Another page entirely, about something else.")

    status, out, err = run(["import", "instapaper", str(export)], capsys)

    assert status == 0
    assert out == (
        "2 articles added, 1 selection highlighted, 1 selection kept as notes (not in the "
        "page), 0 waiting for their text, 2 rows skipped\n"
    )
    assert err.splitlines() == [
        f"reader: {export}: row 3: not a web address ('ftp://example.org/b')",
        f"reader: {export}: row 5: the same URL as row 2",
    ]
    with Library.open(home, read_only=True) as library:
        a, c = sorted(library.articles(), key=lambda r: r.origin or "")
        assert (a.tags, a.finished) == (("starred",), True)
        assert (c.tags, c.finished) == (("reading list",), False)
        [mark] = library.highlights(a.id)
        assert library.load_article(a.id).text[mark.start : mark.end] == "a quiet harbour"
        assert [n.text for n in library.notes(c.id)] == [
            "Highlight from Instapaper (not found in the page): nowhere to be found"
        ]


def test_kindle_import_twice(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fixture(KINDLE / "first-scenario.txt")
    status, out, err = run(["import", "kindle", str(path)], capsys)
    assert (status, err) == (0, "")
    assert out == "2 books added, 5 highlights added\n"
    before = files_of(home)
    status, out, _ = run(["import", "kindle", str(path)], capsys)
    assert (status, out) == (0, "0 books added, 2 already in the library, 0 highlights added\n")
    assert files_of(home) == before
    status, out, _ = run(["review", "--list"], capsys)
    assert status == 0 and out.startswith("5 cards due:")


def test_kindle_entries_skipped_are_named(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clips = tmp_path / "My Clippings.txt"
    clips.write_text(
        "Book (Someone)\n- Your Highlight on Location 5-6 | Added on Sunday, 3 March 2019 "
        "10:20:30\n\nA passage.\n==========\n"
        "Book (Someone)\n- Your Highlight on Location 9 | Added on Sunday, 3 March 2019 "
        "10:21:30\n\n\n==========\n",
        encoding="utf-8",
    )
    status, out, err = run(["import", "kindle", str(clips)], capsys)
    assert status == 0
    assert out == "1 book added, 1 highlight added, 1 entry skipped\n"
    assert err == f"reader: {clips}: entry 2: a highlight with no text\n"


BAD = [
    ("pocket", "empty.csv", b""),
    ("pocket", "image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
    ("pocket", "instapaper.csv", b"URL,Title,Selection,Folder\nhttps://e.org/,T,,Unread\n"),
    ("pocket", "other.csv", b"name,email\nAnn,ann@example.org\n"),
    ("pocket", "page.html", b"<html><body><a href='https://e.org/'>x</a></body></html>"),
    ("instapaper", "pocket.csv", b"title,url,time_added,tags,status\nT,https://e.org/,1,,\n"),
    ("instapaper", "empty.csv", b"   \n"),
    ("instapaper", "clips.txt", b"Book (A)\n- Your Highlight on Location 1 | Added on x\n\nt\n"),
    ("kindle", "empty.txt", b""),
    ("kindle", "export.csv", b"URL,Title,Selection,Folder\nhttps://e.org/,T,,Unread\n"),
    ("kindle", "binary.bin", b"\x7fELF" + bytes(range(256))),
]


@pytest.mark.parametrize(("app", "name", "data"), BAD, ids=[f"{a}-{n}" for a, n, _ in BAD])
def test_a_file_that_is_not_the_export_changes_nothing(
    tmp_path: Path,
    home: Path,
    pages: StandIns,
    capsys: pytest.CaptureFixture[str],
    app: str,
    name: str,
    data: bytes,
) -> None:
    run(["import", "kindle", str(fixture(KINDLE / "simple.txt"))], capsys)  # a library with work
    before = files_of(home)
    path = tmp_path / name
    path.write_bytes(data)

    status, out, err = run(["import", app, str(path)], capsys)

    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"reader: {path}: ")
    assert err.rstrip().endswith("nothing was imported")
    assert files_of(home) == before
    assert pages.asked == []


def test_missing_files_and_folders_are_one_line(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["import", "pocket", str(tmp_path / "nope.csv")],
        ["import", "kindle", str(tmp_path)],
        ["import", "instapaper", ""],
    ):
        status, out, err = run(argv, capsys)
        assert status == 2 and out == "" and len(err.splitlines()) == 1, argv
    assert files_of(home) == {}
