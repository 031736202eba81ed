"""`reader feed ...` from the shell: what each subcommand prints and its exit status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reader.cli import main
from reader.sources.opml import read_opml
from reader.store import Library
from tests.feed_samples import body, rss2

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]


def run(home: Path, *argv: str) -> int:
    return main(["--home", str(home), *argv])


def serve_blog(s: LocalServer, path: str = "/feed.xml", title: str = "Blog", n: int = 2) -> str:
    items = [
        {"title": f"{title} {i}", "link": s.url(f"{path}/{i}"), "guid": f"{path}{i}"}
        | {"content": body(f"{title} {i}")}
        for i in range(n)
    ]
    return s.page(path, rss2(title, items), content_type="application/rss+xml")


def test_add_finds_a_sites_feed_and_fetches_its_items(
    home: Path, local_server: LocalServer, capsys: Any
) -> None:
    s = local_server
    feed = serve_blog(s)
    link = '<link rel="alternate" type="application/rss+xml" href="feed.xml">'
    site = s.page("/", f"<html><head>{link}</head><body><p>Home</p></body></html>")
    assert run(home, "feed", "add", site, "--tag", "Tech") == 0
    out = capsys.readouterr().out
    assert "following feed 1: Blog" in out and "2 new items" in out
    with Library.open(home, read_only=True) as lib:
        [record] = lib.feeds()
        assert (record.url, record.tags) == (feed, ("Tech",))
        assert {r.source for r in lib.articles()} == {"Blog"}
    assert run(home, "feed", "add", feed) == 0
    assert "already following feed 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argument", "problem"),
    [
        ("/plain", "not a feed, and the page names no RSS or Atom feed"),
        ("/missing", "HTTP 404"),
        ("not-a-url", "not a web address"),
    ],
)
def test_add_refuses_what_is_no_feed_in_one_line(
    home: Path, local_server: LocalServer, capsys: Any, argument: str, problem: str
) -> None:
    local_server.page("/plain", "<html><body><p>No feed here.</p></body></html>")
    target = local_server.url(argument) if argument.startswith("/") else argument
    assert run(home, "feed", "add", target) == 2
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1
    with Library.open(home, read_only=True) as lib:
        assert lib.feeds() == []


def test_list_shows_counts_and_a_failing_feed(
    home: Path, local_server: LocalServer, capsys: Any
) -> None:
    s = local_server
    serve_blog(s)
    gone = s.url("/gone.xml")
    with Library.open(home) as lib:
        lib.add_feeds([(s.url("/feed.xml"), None, None, ()), (gone, "Gone", None, ())])
    for _ in range(3):
        assert run(home, "feed", "update") == 1
    err = capsys.readouterr().err
    assert err.count("Gone") == 3 and "404" in err
    assert run(home, "feed", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["items"], r["unread"], r["failing"]) for r in rows] == [
        ("Blog", 2, 2, False),
        ("Gone", 0, 0, True),
    ]
    assert rows[1]["failures"] == 3 and "404" in rows[1]["last_error"]
    assert set(rows[0]) >= {"id", "url", "site", "tags", "updated_at", "checked_at"}
    assert run(home, "feed", "list") == 0
    text = capsys.readouterr().out
    assert "Blog" in text and "failing: 3 updates in a row" in text


def test_update_exit_status_and_json(home: Path, local_server: LocalServer, capsys: Any) -> None:
    s = local_server
    serve_blog(s)
    with Library.open(home) as lib:
        lib.add_feeds([(s.url("/feed.xml"), None, None, ())])
    assert run(home, "feed", "update", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["new"] == 2 and report["failed"] == 0
    assert [(f["id"], f["status"], f["new"]) for f in report["feeds"]] == [(1, "updated", 2)]
    assert run(home, "feed", "update", "1") == 0
    assert "0 new items" in capsys.readouterr().out
    assert run(home, "feed", "update", "7") == 2
    assert "no feed 7" in capsys.readouterr().err


def test_update_with_no_feeds_says_how_to_add_one(home: Path, capsys: Any) -> None:
    assert run(home, "feed", "update") == 0
    assert "reader feed add" in capsys.readouterr().out


def test_remove_by_id_or_url_keeps_the_articles(
    home: Path, local_server: LocalServer, capsys: Any
) -> None:
    s = local_server
    first, second = serve_blog(s), serve_blog(s, "/two.xml", "Two", 1)
    assert run(home, "feed", "add", first) == 0
    assert run(home, "feed", "add", second) == 0
    assert run(home, "feed", "remove", "1") == 0
    assert "its 2 articles stay" in capsys.readouterr().out
    assert run(home, "feed", "remove", second) == 0
    assert run(home, "feed", "remove", second) == 2
    with Library.open(home, read_only=True) as lib:
        assert lib.feeds() == [] and len(lib.articles()) == 3


OPML = """<?xml version="1.0"?><opml version="1.0"><head><title>mine</title></head><body>
<outline text="Tech"><outline text="Python">
  <outline type="rss" text="Py blog" xmlUrl="http://127.0.0.1:9/py.xml"/></outline>
  <outline type="rss" text="Gadgets" xmlUrl="http://127.0.0.1:9/g.xml"/></outline>
<outline type="rss" text="Loose" xmlUrl="http://127.0.0.1:9/l.xml"/>
</body></opml>"""


def test_import_makes_folders_tags_and_export_reads_back(
    home: Path, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "subs.opml"
    path.write_text(OPML, encoding="utf-8")
    assert run(home, "feed", "import", str(path)) == 0
    assert "3 feeds added, 0 already followed" in capsys.readouterr().out
    with Library.open(home, read_only=True) as lib:
        assert [(f.title, f.tags) for f in lib.feeds()] == [
            ("Py blog", ("Tech", "Python")),
            ("Gadgets", ("Tech",)),
            ("Loose", ()),
        ]
    assert run(home, "feed", "import", str(path)) == 0
    assert "0 feeds added, 3 already followed" in capsys.readouterr().out
    assert run(home, "feed", "export") == 0
    exported = capsys.readouterr().out
    assert 'version="2.0"' in exported
    assert [(f.url, f.title, f.folders) for f in read_opml(exported.encode())] == [
        ("http://127.0.0.1:9/py.xml", "Py blog", ("Tech", "Python")),
        ("http://127.0.0.1:9/g.xml", "Gadgets", ("Tech",)),
        ("http://127.0.0.1:9/l.xml", "Loose", ()),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("<opml><body>", "broken XML"),
        ("<html><body></body></html>", "not an OPML file"),
        ('<opml version="2.0"><body></body></opml>', "no feeds in this OPML file"),
    ],
)
def test_import_refuses_a_bad_file_in_one_line(
    home: Path, tmp_path: Path, capsys: Any, content: str, problem: str
) -> None:
    path = tmp_path / "bad.opml"
    path.write_text(content, encoding="utf-8")
    assert run(home, "feed", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1
    assert run(home, "feed", "import", str(tmp_path / "missing.opml")) == 2
    assert "cannot read it" in capsys.readouterr().err


def test_feed_alone_asks_for_a_subcommand(home: Path, capsys: Any) -> None:
    assert run(home, "feed") == 2
    assert "feed needs a subcommand" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    home: Path, local_server: LocalServer, capsys: Any
) -> None:
    serve_blog(local_server)
    assert run(home, "feed", "add", local_server.url("/feed.xml")) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "Updating feeds" not in captured.out
