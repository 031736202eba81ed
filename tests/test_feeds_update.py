"""The update engine (reader.study.feeds) against feeds served on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store import Library
from reader.store.feeds import FeedRecord
from reader.study.feeds import FeedOutcome, update_feeds
from tests.feed_samples import atom, body, page, rss091, rss2, rss10

if TYPE_CHECKING:
    from tests.local_server import LocalServer

pytest_plugins = ["tests.local_server"]


def follow(library: Library, *urls: str) -> list[FeedRecord]:
    return [record for record, _ in library.add_feeds((u, None, None, ()) for u in urls)]


def full(server: LocalServer, n: int, *, prefix: str = "p") -> list[dict[str, str]]:
    return [
        {
            "title": f"Post {prefix}{i}",
            "link": server.url(f"/{prefix}/{i}"),
            "guid": f"{prefix}-{i}",
            "content": body(f"Post {prefix}{i}"),
        }
        for i in range(n)
    ]


def paths(server: LocalServer) -> list[str]:
    return [r.path for r in server.requests]


def test_every_flavour_is_stored_as_unread_articles_sourced_to_the_feed(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    s.page("/2.xml", rss2("Two", full(s, 2)), content_type="application/rss+xml")
    s.page("/091.xml", rss091("Old", s.url("/old/1")), content_type="text/xml")
    s.page("/10.xml", rss10("Rdf", s.url("/rdf/1")), content_type="application/rdf+xml")
    s.page("/atom.xml", atom("Atomic", s.url("/atom/1")), content_type="application/atom+xml")
    feeds = follow(library, *(s.url(p) for p in ("/2.xml", "/091.xml", "/10.xml", "/atom.xml")))
    report = update_feeds(library)
    assert report.failed == [] and report.new == 5
    by_title = {r.title: r for r in library.articles()}
    assert {t: (r.source, r.feed) for t, r in by_title.items()} == {
        "Post p0": ("Two", feeds[0].id),
        "Post p1": ("Two", feeds[0].id),
        "Old style": ("Old", feeds[1].id),
        "RDF style": ("Rdf", feeds[2].id),
        "Atom style": ("Atomic", feeds[3].id),
    }
    assert by_title["Atom style"].author == "Ann Atom"
    assert by_title["Post p0"].origin == s.url("/p/0")
    assert all(r.last_read is None and r.progress == 0 for r in by_title.values())
    assert library.load_article(by_title["Post p1"].id).text.startswith("Post p1 opens here.")
    assert [f.title for f in library.feeds()] == ["Two", "Old", "Rdf", "Atomic"]
    assert {c.unread for c in library.feed_counts().values()} == {1, 2}
    # Full content is read from the feed: no item page was asked for.
    assert sorted(paths(s)) == ["/091.xml", "/10.xml", "/2.xml", "/atom.xml"]


def test_a_teaser_is_stored_as_its_full_article(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    items = [{"title": "Teased", "link": s.url("/t/1"), "guid": "t1", "summary": "Short…"}]
    s.page("/f.xml", rss2("Teasers", items), content_type="application/rss+xml")
    s.page("/t/1", page("Teased", "The whole story"))
    follow(library, s.url("/f.xml"))
    report = update_feeds(library)
    assert report.new == 1 and report.failed == []
    [record] = library.articles()
    assert (record.title, record.source) == ("Teased", "Teasers")
    assert "The whole story closes the story." in library.load_article(record.id).text


def test_a_teaser_whose_page_is_gone_is_stored_from_its_summary_and_said_so(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    summary = "A summary worth keeping, cut short here…"
    items = [{"title": "Lost page", "link": s.url("/t/404"), "guid": "x", "summary": summary}]
    s.page("/f.xml", rss2("Teasers", items), content_type="application/rss+xml")
    follow(library, s.url("/f.xml"))
    report = update_feeds(library)
    [outcome] = report.outcomes
    assert outcome.status == "updated" and outcome.new == 1
    [note] = outcome.notes
    assert "Teasers" in note and "404" in note and "stored from the feed's summary" in note
    [record] = library.articles()
    assert "A summary worth keeping" in library.load_article(record.id).text


def test_a_teaser_whose_page_fails_for_now_is_tried_again_next_update(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    items = [{"title": "Busy", "link": s.url("/t/busy"), "guid": "b", "summary": "Soon…"}]
    s.conditional("/f.xml", rss2("Busy feed", items), etag='"1"')
    s.status("/t/busy", 503)
    follow(library, s.url("/f.xml"))
    first = update_feeds(library)
    assert first.new == 0 and "tried again next update" in first.outcomes[0].notes[0]
    assert library.articles() == []
    assert library.feeds()[0].etag is None  # so the next request is not answered 304
    s.page("/t/busy", page("Busy", "Back again"))
    second = update_feeds(library)
    assert second.new == 1
    assert "if-none-match" not in s.requests[-2].headers  # the feed, asked unconditionally
    assert library.feeds()[0].etag == '"1"'


def test_conditional_get_a_304_costs_nothing_but_its_date(
    library: Library, local_server: LocalServer, monkeypatch: Any
) -> None:
    s = local_server
    s.conditional("/e.xml", rss2("Etag", full(s, 3)), etag='"abc"')
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    s.conditional("/d.xml", rss2("Dated", full(s, 2, prefix="d")), last_modified=date)
    follow(library, s.url("/e.xml"), s.url("/d.xml"))
    assert update_feeds(library).new == 5
    before = {f.id: f for f in library.feeds()}
    assert {f.etag for f in before.values()} == {'"abc"', None}
    assert {f.last_modified for f in before.values()} == {None, date}
    writes = library._feeds_file().db.storage.writes
    count = len(s.requests)

    def unread(*args: Any) -> None:
        raise AssertionError("an update where nothing changed read the item keys")

    monkeypatch.setattr(library, "seen_feed_items", unread)
    second = update_feeds(library)
    monkeypatch.undo()
    assert [o.status for o in second.outcomes] == ["not modified", "not modified"]
    assert second.new == 0 and second.added == []
    sent = {r.path: r.headers for r in s.requests[count:]}
    assert sent["/e.xml"]["if-none-match"] == '"abc"'
    assert sent["/d.xml"]["if-modified-since"] == date
    after = {f.id: f for f in library.feeds()}
    for feed_id, feed in after.items():
        assert feed.updated_at == before[feed_id].updated_at
        assert feed.checked_at is not None
    assert library._feeds_file().db.storage.writes == writes + 1  # both dates, one write
    assert len(library.articles()) == 5


def test_a_redirected_feed_is_followed(library: Library, local_server: LocalServer) -> None:
    s = local_server
    s.page("/new.xml", rss2("Moved", full(s, 1)), content_type="application/rss+xml")
    s.redirect("/old.xml", "/new.xml", status=301)
    follow(library, s.url("/old.xml"))
    assert update_feeds(library).new == 1
    assert library.feeds()[0].url == s.url("/old.xml")  # the subscription as given


def test_a_failing_feed_is_named_in_one_line_and_the_others_carry_on(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    s.page("/ok.xml", rss2("Fine", full(s, 2)), content_type="application/rss+xml")
    s.not_found("/404.xml")
    s.status("/410.xml", 410)
    s.page("/bad.xml", "<html><body>Not a feed at all</body></html>")
    good, *bad = follow(
        library, *(s.url(p) for p in ("/ok.xml", "/404.xml", "/410.xml", "/bad.xml"))
    )
    for round_ in (1, 2, 3):
        report = update_feeds(library)
        failed = {o.feed.url: o.error for o in report.failed}
        assert set(failed) == {f.url for f in bad}
        for feed in bad:
            line = failed[feed.url]
            assert line is not None and "\n" not in line and feed.url in line
        assert "404 Not Found" in str(failed[bad[0].url])
        assert "410 Gone" in str(failed[bad[1].url])
        assert "not an RSS or Atom feed" in str(failed[bad[2].url])
        state = {f.id: f for f in library.feeds()}
        assert [state[f.id].failures for f in bad] == [round_] * 3
        assert [state[f.id].failing for f in bad] == [round_ >= 3] * 3
        assert state[good.id].failures == 0
    assert len(library.articles()) == 2
    s.page("/404.xml", rss2("Back", full(s, 1, prefix="b")), content_type="application/rss+xml")
    update_feeds(library, [bad[0]])
    assert library.find_feed(str(bad[0].id)).failures == 0  # a success resets the count


def test_an_item_that_moves_or_is_republished_is_stored_once(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    items = full(s, 2)
    s.page("/f.xml", rss2("Blog", items), content_type="application/rss+xml")
    follow(library, s.url("/f.xml"))
    assert update_feeds(library).new == 2
    republished = {**items[0], "guid": "new-guid", "link": items[0]["link"] + "?utm_source=x"}
    moved = {**items[1], "guid": "other", "link": "http://new.example.org/moved"}
    fresh = {**full(s, 1, prefix="n")[0]}
    s.page("/f.xml", rss2("Blog", [republished, moved, fresh]), content_type="application/rss+xml")
    report = update_feeds(library)
    assert report.new == 1
    assert sorted(r.title for r in library.articles()) == ["Post n0", "Post p0", "Post p1"]


def test_a_deleted_article_does_not_come_back_and_removing_a_feed_keeps_its_articles(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    s.page("/f.xml", rss2("Blog", full(s, 2)), content_type="application/rss+xml")
    [feed] = follow(library, s.url("/f.xml"))
    update_feeds(library)
    first = next(r for r in library.articles() if r.title == "Post p0")
    library.delete(first.id)
    assert update_feeds(library).new == 0
    assert [r.title for r in library.articles()] == ["Post p1"]
    library.remove_feed(feed.id)
    assert [r.title for r in library.articles()] == ["Post p1"]
    [again] = follow(library, s.url("/f.xml"))
    assert again.id != feed.id  # a feed number is never handed out twice
    assert update_feeds(library).new == 0  # its items are still known


def test_progress_is_reported_on_the_calling_thread(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    for n in range(3):
        s.page(f"/{n}.xml", rss2(f"F{n}", full(s, 1, prefix=f"x{n}")), content_type="text/xml")
    follow(library, *(s.url(f"/{n}.xml") for n in range(3)))
    calls: list[tuple[int, int, str, threading.Thread]] = []

    def progress(done: int, total: int, feed: FeedRecord, outcome: FeedOutcome) -> None:
        calls.append((done, total, outcome.status, threading.current_thread()))

    update_feeds(library, on_progress=progress)
    assert [c[:3] for c in calls] == [(n, 3, "updated") for n in (1, 2, 3)]
    assert {c[3] for c in calls} == {threading.current_thread()}


def test_a_cancelled_update_stores_nothing_it_did_not_finish(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    for n in range(4):
        s.page(f"/{n}.xml", rss2(f"F{n}", full(s, 1, prefix=f"c{n}")), content_type="text/xml")
    follow(library, *(s.url(f"/{n}.xml") for n in range(4)))
    cancel = threading.Event()
    cancel.set()
    report = update_feeds(library, cancel=cancel)
    assert report.cancelled or {o.status for o in report.outcomes} == {"cancelled"}
    assert {o.status for o in report.outcomes} == {"cancelled"}
    assert library.articles() == [] and s.requests == []
    assert all(f.updated_at is None for f in library.feeds())


def test_no_more_feeds_are_fetched_at_once_than_asked(
    library: Library, local_server: LocalServer
) -> None:
    s = local_server
    lock = threading.Lock()
    state = {"now": 0, "most": 0}
    feed = rss2("Slow", []).encode()

    def slow(h: BaseHTTPRequestHandler) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.05)  # long enough for the others to arrive if they were allowed to
        with lock:
            state["now"] -= 1
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", str(len(feed)))
        h.end_headers()
        h.wfile.write(feed)

    for n in range(8):
        s.route(f"/{n}.xml", slow)
    follow(library, *(s.url(f"/{n}.xml") for n in range(8)))
    report = update_feeds(library, concurrency=2)
    assert report.failed == [] and len(report.outcomes) == 8
    assert 1 <= state["most"] <= 2


def test_a_write_that_fails_stores_no_article_without_its_item(
    library: Library, local_server: LocalServer, monkeypatch: Any
) -> None:
    """All or nothing: the articles, their items and the feed's state land together."""
    s = local_server
    s.page("/f.xml", rss2("Blog", full(s, 2)), content_type="application/rss+xml")
    follow(library, s.url("/f.xml"))
    store = library._feeds_file()

    def refuse(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "change", refuse)
    try:
        update_feeds(library)
    except Exception as exc:
        assert "space" in str(exc).lower()
    else:
        raise AssertionError("the failed write was not reported")
    monkeypatch.undo()
    assert library.articles() == []
    assert library.seen_feed_items().links == set()
    reopened = Library.open(Path(library.home), read_only=True)
    try:
        assert reopened.articles() == []
    finally:
        reopened.close()
    assert update_feeds(library).new == 2
