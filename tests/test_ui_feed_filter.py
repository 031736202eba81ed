"""The library's `feed:NAME` filter: articles of the feeds whose title holds NAME."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from reader.store import Library
from reader.store.feeds import ItemKeys
from reader.store.library_feeds import FeedItemWrite, FeedWrite
from reader.ui.library_filter import Query, filter_records, parse_query
from reader.ui.screens.library import LibraryScreen
from tests.conftest import make_article
from tests.ui_helpers import burst, keys_handled, make_app


def test_feed_terms_are_parsed_apart_from_words_and_tags() -> None:
    assert parse_query('feed:"Tech Daily" tide') == Query(("tide",), (), ("tech daily",))
    assert parse_query("FEED:tech tag:x") == Query((), ("x",), ("tech",))
    assert parse_query("feed:").empty


def _home(home: Path) -> Path:
    with Library.open(home) as lib:
        lib.add_article(make_article("Not from a feed", 100, source="Tech Daily"))
        added = lib.add_feeds(
            [("http://t/feed", "Tech Daily", None, ()), ("http://g/feed", "Gardening", None, ())]
        )
        (tech, _), (garden, _) = added
        writes = [
            FeedWrite(
                feed.id,
                {},
                [
                    FeedItemWrite(
                        ItemKeys(title, None, None),
                        make_article(title, 120, source=feed.title),
                        None,
                    )
                ],
            )
            for feed, title in ((tech, "Chips get faster"), (garden, "Roses in May"))
        ]
        lib.store_feed_updates(writes)
    return home


def test_filter_records_uses_the_feeds_titles(home: Path) -> None:
    with Library.open(_home(home), read_only=True) as lib:
        records, titles = lib.articles(), lib.feed_titles()
    assert [r.title for r in filter_records(records, "feed:tech", titles)] == ["Chips get faster"]
    assert [r.title for r in filter_records(records, "feed:GARD", titles)] == ["Roses in May"]
    # A feed since removed is still found by its articles' source, which was its title.
    assert [r.title for r in filter_records(records, "feed:tech")] == ["Chips get faster"]
    assert filter_records(records, "feed:nothing", titles) == []


async def test_typing_feed_name_in_the_library_shows_that_feeds_articles(home: Path) -> None:
    app = make_app(_home(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_handled(pilot)
        burst(app, "slash", *"feed:daily", "enter")
        await keys_handled(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        table = screen.query_one(DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert titles == ["Chips get faster"]
