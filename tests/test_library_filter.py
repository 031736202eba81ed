"""The `/` filter's language (reader.ui.library_filter): words, phrases, tags with spaces."""

from __future__ import annotations

from dataclasses import replace

from reader.store import ArticleRecord
from reader.ui.library_filter import Query, filter_records, parse_query, split_terms

BASE = ArticleRecord(
    "a" * 16, "Tide report", "Helen Marsh", None, "Coast News", 10, "", None, 0, 0,
    None, False, 0.0, ("coast", "UK Local"),
)  # fmt: skip
BUDGET = replace(BASE, id="b" * 16, title="Budget", author=None, source="Gazette", tags=("UK",))


def test_plain_words_and_tags() -> None:
    assert parse_query("tide  TAG:Coast") == Query(("tide",), ("coast",))
    assert parse_query("") == Query() and parse_query("").empty


def test_quotes_keep_a_tag_with_a_space_together() -> None:
    assert parse_query('tag:"UK Local" budget') == Query(("budget",), ("uk local",))
    assert parse_query('tag:"UK   Local"') == Query((), ("uk local",))  # spaces as stored


def test_a_quoted_phrase_is_one_word() -> None:
    assert parse_query('"tide report" marsh') == Query(("tide report", "marsh"))


def test_an_unclosed_quote_runs_to_the_end() -> None:
    """What the filter sees while the closing quote is still to be typed."""
    assert parse_query('tag:"UK Lo') == Query((), ("uk lo",))
    assert parse_query('"tide rep') == Query(("tide rep",))


def test_a_quoted_tag_prefix_is_searched_as_text() -> None:
    assert parse_query('"tag:x"') == Query(("tag:x",))


def test_blank_terms_are_dropped() -> None:
    assert parse_query('tag: tag:"" "" " "') == Query()


def test_split_terms_keeps_the_raw_form() -> None:
    assert split_terms('tag:"a b" c') == [('tag:"a b"', "tag:a b"), ("c", "c")]


def test_filter_records() -> None:
    records = [BASE, BUDGET]
    assert filter_records(records, 'tag:"UK Local"') == [BASE]
    assert filter_records(records, 'tag:"uk local"') == [BASE]  # case does not matter
    assert filter_records(records, "tag:uk") == [BUDGET]  # a whole tag, not a part
    assert filter_records(records, 'tag:uk tag:"uk local"') == []  # every term must match
    assert filter_records(records, '"tide report"') == [BASE]
    assert filter_records(records, '"report tide"') == []  # a phrase keeps its order
    assert filter_records(records, "marsh") == [BASE]  # the author
    assert filter_records(records, "gazette") == [BUDGET]  # the source
    assert filter_records(records, "   ") == records
