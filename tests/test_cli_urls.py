"""`reader add`, `open` and `analyze` of web pages and .html files, against a real HTTP server
on 127.0.0.1 (tests/local_server.py): a page is stored once with its URL, a page that will
not load or is not an article is one line and exit status 2, and nothing is stored."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reader import cli
from reader.cli import articles as cli_articles
from reader.store import Library

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]

BODY = """<p>The Harbour Council of Port Ellery voted on Tuesday to build a tide barrier across
the mouth of the river Kell, ending a decade of argument over flooding in the old town.</p>
<p>Mayor Jonas Whitfield said the barrier would protect 4,200 homes from the winter storms
that flooded the harbour district three times in the last ten years.</p>
<p>The project will cost 310 million euros and work starts in the spring, according to the
lead contractor, who expects the barrier to be finished within four years.</p>"""


def page(title: str = "Tide barrier approved", extra: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1>{BODY}{extra}</article></body></html>"
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    return home


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = cli.main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def stored(home: Path) -> list[tuple[str, str | None, str | None]]:
    """(title, origin, the article's own url) of every stored article."""
    if not home.exists():
        return []
    with Library.open(home, read_only=True) as lib:
        return [(r.title, r.origin, lib.load_article(r.id).url) for r in lib.articles()]


def test_add_a_url_stores_one_article_with_its_url(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local_server.page("/page.html", page())
    status, out, err = run(["add", url], capsys)
    assert status == 0, err
    assert f"added    Tide barrier approved  ({url})" in out
    assert stored(home) == [("Tide barrier approved", url, url)]


def test_the_same_page_twice_is_one_article_even_when_it_changed(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local_server.page("/page.html", page())
    assert run(["add", url], capsys)[0] == 0
    status, out, _ = run(["add", url], capsys)
    assert status == 0 and "0 added, 1 already in the library" in out
    # The page changed meanwhile (a correction below the text): the same URL, the same article.
    local_server.page("/page.html", page(extra="<p>Correction: the barrier costs more.</p>"))
    status, out, _ = run(["add", url, url], capsys)
    assert status == 0 and "0 added, 2 already in the library" in out
    assert len(stored(home)) == 1


def test_a_redirect_is_stored_under_the_url_it_led_to(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    final = local_server.page("/2024/tide.html", page())
    short = local_server.redirect("/t", "/2024/tide.html")
    status, out, err = run(["add", short], capsys)
    assert status == 0, err
    assert stored(home) == [("Tide barrier approved", final, final)]
    status, out, _ = run(["add", final], capsys)
    assert status == 0 and "1 already in the library" in out


def test_a_404_is_one_line_exit_2_and_nothing_stored(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    good = local_server.page("/good.html", page())
    missing = local_server.not_found("/gone.html")
    status, _, err = run(["add", good, missing], capsys)
    assert status == 2
    lines = err.splitlines()
    assert lines[0].startswith(f"reader: {missing}") and "404" in lines[0]
    assert lines[-1] == "reader: nothing was added" and len(lines) <= 3
    assert stored(home) == []  # the good page was not stored either


@pytest.mark.parametrize(
    ("path", "content_type", "body", "said"),
    [
        (
            "/book.epub",
            "application/epub+zip",
            b"PK\x03\x04mimetypeapplication/epub+zip",
            "not a readable EPUB (not a zip archive, or cut short)",
        ),
        ("/paper", "application/pdf", b"%PDF-1.7\n", "damaged PDF: the file is cut short"),
    ],
)
def test_epub_and_pdf_urls_go_to_their_own_sources(
    home: Path,
    local_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
    path: str,
    content_type: str,
    body: bytes,
    said: str,
) -> None:
    url = local_server.page(path, body, content_type=content_type, charset=None)
    status, _, err = run(["add", url], capsys)
    assert status == 2
    first = err.splitlines()[0]
    assert first.startswith(f"reader: {url}: {said}")
    assert stored(home) == []


def test_an_image_url_says_it_is_an_image(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local_server.page("/photo", b"\x89PNG\r\n\x1a\n", content_type="image/png", charset=None)
    status, _, err = run(["add", url], capsys)
    assert status == 2
    assert err.splitlines()[0].startswith(f"reader: {url}: an image, not an article")
    assert stored(home) == []


def test_a_bad_timeout_is_one_line(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("0", "-3", "abc", "601"):
        status, _, err = run(["add", "--timeout", value, "http://127.0.0.1:9/x"], capsys)
        assert status == 2
        assert err == "reader: --timeout must be a number of seconds above 0, at most 600\n"


def test_the_timeout_gives_up_on_a_page_that_never_ends(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local_server.stall("/slow", content_length=100_000)
    status, _, err = run(["add", "--timeout", "0.5", url], capsys)
    assert status == 2
    assert err.splitlines()[0].startswith(f"reader: {url}")
    assert stored(home) == []


def test_add_an_html_file(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "saved.htm"
    path.write_text(page(), encoding="utf-8")
    status, _, err = run(["add", str(path)], capsys)
    assert status == 0, err
    [(title, origin, _url)] = stored(home)
    assert title == "Tide barrier approved" and origin == str(path.resolve())


def test_analyze_a_url(
    home: Path, local_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = local_server.page("/page.html", page())
    status, out, err = run(["analyze", "--json", url], capsys)
    assert status == 0, err
    data = json.loads(out)
    assert data["path"] == url and data["url"] == url
    assert data["title"] == "Tide barrier approved"
    assert "Harbour Council of Port Ellery" in data["text"] and "<p>" not in data["text"]
    status, out, err = run(["analyze", "--raw", "--json", url], capsys)
    assert status == 0 and "<p>" in json.loads(out)["text"]  # --raw: the page as served
    status, _, err = run(["analyze", local_server.not_found("/nope")], capsys)
    assert status == 2 and "404" in err


def test_analyze_reads_html_on_stdin(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(page().encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    status, out, err = run(["analyze", "--json", "-"], capsys)
    assert status == 0, err
    data = json.loads(out)
    assert data["title"] == "Tide barrier approved" and "<p>" not in data["text"]


def test_open_a_url_imports_it_once(
    home: Path,
    local_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str | None] = []

    def fake_run_app(home: Path, article: str | None, notices: Any = ()) -> int:
        opened.append(article)
        return 0

    monkeypatch.setattr(cli_articles, "run_app", fake_run_app)
    url = local_server.page("/page.html", page())
    assert run(["open", url], capsys)[0] == 0
    local_server.page("/page.html", page(extra="<p>Updated at noon with the vote count.</p>"))
    assert run(["open", "--timeout", "5", url], capsys)[0] == 0
    assert len(stored(home)) == 1
    assert opened[0] is not None and opened == [opened[0], opened[0]]
    status, _, err = run(["open", local_server.not_found("/nope")], capsys)
    assert status == 2 and "404" in err and len(opened) == 2
