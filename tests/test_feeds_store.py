"""The store's side of feeds: feeds.json, its checks, and articles that know their feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.store import Library, NotFound, ReadOnlyError
from reader.store.feeds import FILE_NAME, ITEMS_FILE, ItemKeys
from reader.store.library_feeds import FeedItemWrite, FeedWrite
from tests.conftest import make_article


def test_a_home_that_follows_no_feed_has_no_feeds_file(home: Path) -> None:
    with Library.open(home) as lib:
        assert lib.feed_titles() == {}
        lib.add_article(make_article("Plain", 100))
        assert lib.articles()[0].feed is None
    assert not (home / FILE_NAME).exists() and not (home / ITEMS_FILE).exists()
    with Library.open(home) as lib:
        assert lib.feeds() == []


def test_feeds_are_added_once_and_gain_tags(library: Library) -> None:
    results = library.add_feeds(
        [
            ("http://a.example/feed", "A", "http://a.example/", ["Tech", "News"]),
            ("http://a.example/feed", None, None, ["news", "Other"]),
            ("http://b.example/rss", None, None, []),
        ]
    )
    assert [(r.id, added) for r, added in results] == [(1, True), (1, False), (2, True)]
    again = library.add_feeds([("http://b.example/rss", None, None, ["Later"])])
    assert again[0][1] is False
    assert [(f.title, f.tags) for f in library.feeds()] == [
        ("A", ("Tech", "News", "Other")),
        (None, ("Later",)),
    ]
    assert library.feed_titles() == {1: "A", 2: "http://b.example/rss"}
    assert library.find_feed("2").url == library.find_feed("http://b.example/rss").url
    with pytest.raises(NotFound):
        library.find_feed("3")


def test_a_feed_number_is_never_handed_out_twice(library: Library) -> None:
    library.add_feeds([("http://a/1", None, None, ()), ("http://a/2", None, None, ())])
    library.remove_feed(2)
    [(record, _)] = library.add_feeds([("http://a/3", None, None, ())])
    assert record.id == 3


def test_an_update_writes_articles_items_and_state_together(library: Library) -> None:
    [(feed, _)] = library.add_feeds([("http://a/feed", None, None, ())])
    keys = ItemKeys("g1", "http://a/1", "h1")
    article = make_article("From the feed", 200, source="A feed")
    write = FeedWrite(feed.id, {"title": "A feed", "etag": '"x"'}, [
        FeedItemWrite(keys, article, "http://a/1"),
        FeedItemWrite(ItemKeys("g2", None, None), None, None),
    ])  # fmt: skip
    [aid] = library.store_feed_updates([write])
    record = library.get(aid)
    assert (record.feed, record.origin, record.source) == (feed.id, "http://a/1", "A feed")
    assert library.find_feed("1").etag == '"x"'
    seen = library.seen_feed_items()
    assert seen.knows(feed.id, ItemKeys("g2", None, None))
    assert seen.knows(99, ItemKeys(None, "http://a/1", None))  # a link is a link anywhere
    assert not seen.knows(99, ItemKeys("g1", None, None))  # a guid only within its feed
    assert library.feed_counts()[feed.id].unread == 1
    library.delete(aid)
    assert library.seen_feed_items().knows(feed.id, keys)  # a deleted item stays known
    # The same words again are the same article: remembered, not stored twice.
    library.restore_deleted(library.trash()[0].id)
    again = FeedWrite(feed.id, {}, [FeedItemWrite(ItemKeys("g3", None, None), article, None)])
    assert library.store_feed_updates([again]) == []
    assert library.get(aid).feed == feed.id  # the restored article kept its feed


def test_change_refuses_fields_an_update_does_not_own(library: Library) -> None:
    library.add_feeds([("http://a/feed", None, None, ())])
    with pytest.raises(ValueError, match="url"):
        library.store_feed_updates([FeedWrite(1, {"url": "http://elsewhere/"})])
    assert library.find_feed("1").url == "http://a/feed"


def test_a_read_only_window_writes_no_feed(home: Path) -> None:
    with Library.open(home) as lib:
        lib.add_feeds([("http://a/feed", None, None, ())])
    with Library.open(home, read_only=True) as lib:
        assert [f.url for f in lib.feeds()] == ["http://a/feed"]
        with pytest.raises(ReadOnlyError):
            lib.add_feeds([("http://b/feed", None, None, ())])


def test_damaged_feed_records_are_set_aside_and_the_rest_kept(home: Path) -> None:
    good = {"url": "http://a/feed", "title": "A", "tags": [], "failures": 0, "added_at": ""}
    feeds = {
        "feeds": {
            "1": good,
            "2": {**good, "url": 5},
            "3": {**good, "url": "http://c/", "failures": -1},
        },
    }
    items = {
        "feed_items": {
            "1": {"feed": 1, "guid": "g", "link": None, "hash": None, "article": None},
            "2": {"feed": "one", "guid": "g"},
            "3": {"feed": 1, "guid": None, "link": None, "hash": None, "article": "nope"},
        },
    }
    (home / FILE_NAME).write_text(json.dumps(feeds), encoding="utf-8")
    (home / ITEMS_FILE).write_text(json.dumps(items), encoding="utf-8")
    with Library.open(home) as lib:
        assert [f.url for f in lib.feeds()] == ["http://a/feed"]
        assert len(lib.seen_feed_items().guids) == 1
        notices = " ".join(lib.notices)
        assert "The list of feeds (feeds.json): 2 records could not be read" in notices
        assert "(feed_items.json): 2 records could not be read" in notices
    assert list(home.glob(f"{FILE_NAME}.corrupt-*")) and list(home.glob(f"{ITEMS_FILE}.corrupt-*"))


def test_an_article_whose_feed_is_not_a_number_is_set_aside(home: Path) -> None:
    """Like any damaged index record: set aside, then recovered from its text, feedless."""
    with Library.open(home) as lib:
        kept = lib.add_article(make_article("Kept", 100)).article.id
        bad = lib.add_article(make_article("Bad", 100)).article.id
    index = json.loads((home / "library.json").read_text())
    index["articles"][str(int(bad, 16))]["feed"] = "Blog"
    (home / "library.json").write_text(json.dumps(index))
    with Library.open(home) as lib:
        assert any("its feed is not a feed number" in n for n in lib.notices)
        assert sorted(r.id for r in lib.articles()) == sorted([kept, bad])
        assert lib.get(bad).feed is None
