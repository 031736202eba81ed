"""The library's `/` filter language, kept apart from the screen so it can be tested alone.

Words match the title, source or author; `tag:NAME` keeps articles carrying that tag, and
`feed:NAME` those from a feed whose title contains NAME (ignoring case).
Double quotes hold a term together, so a tag with a space (`tag:"UK Local"`) or a phrase
(`"tide barrier"`) is one term. An unclosed quote runs to the end of the line: the filter
answers while the reader is still typing the closing quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.store import ArticleRecord

TAG_PREFIX = "tag:"
FEED_PREFIX = "feed:"


@dataclass(frozen=True)
class Query:
    """Every term casefolded; an article must match all of them."""

    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.words and not self.tags and not self.feeds


def split_terms(text: str) -> list[tuple[str, str]]:
    """(raw, value) per term: `raw` as typed (quotes kept, to tell `tag:"x"` from `"tag:x"`),
    `value` with the quotes taken out and the spaces inside them kept."""
    terms: list[tuple[str, str]] = []
    raw: list[str] = []
    value: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
            raw.append(char)
        elif char.isspace() and not quoted:
            if raw:
                terms.append(("".join(raw), "".join(value)))
            raw, value = [], []
        else:
            raw.append(char)
            value.append(char)
    if raw:
        terms.append(("".join(raw), "".join(value)))
    return terms


def parse_query(text: str) -> Query:
    """The terms of a filter line; blank terms (`tag:`, `""`) are dropped."""
    words: list[str] = []
    tags: list[str] = []
    feeds: list[str] = []
    for raw, value in split_terms(text):
        if raw[: len(TAG_PREFIX)].casefold() == TAG_PREFIX:
            tag = " ".join(value[len(TAG_PREFIX) :].split()).casefold()
            if tag:
                tags.append(tag)
        elif raw[: len(FEED_PREFIX)].casefold() == FEED_PREFIX:
            feed = " ".join(value[len(FEED_PREFIX) :].split()).casefold()
            if feed:
                feeds.append(feed)
        elif value.strip():
            words.append(value.strip().casefold())
    return Query(tuple(words), tuple(tags), tuple(feeds))


def matches(
    record: ArticleRecord, query: Query, feed_titles: Mapping[int, str] | None = None
) -> bool:
    """`feed_titles` (feed id -> title) names each record's feed; a feed it does not know
    (removed since) is matched by the article's source, which was its title."""
    if query.words:
        haystack = f"{record.title}\n{record.source or ''}\n{record.author or ''}".casefold()
        if not all(word in haystack for word in query.words):
            return False
    if query.tags:
        carried = {" ".join(t.split()).casefold() for t in record.tags}
        if not all(tag in carried for tag in query.tags):
            return False
    if query.feeds:
        if record.feed is None:
            return False
        title = (feed_titles or {}).get(record.feed, record.source or "")
        title = " ".join(title.split()).casefold()
        if not all(feed in title for feed in query.feeds):
            return False
    return True


def filter_records(
    records: Iterable[ArticleRecord], text: str, feed_titles: Mapping[int, str] | None = None
) -> list[ArticleRecord]:
    query = parse_query(text)
    if query.empty:
        return list(records)
    return [record for record in records if matches(record, query, feed_titles)]
