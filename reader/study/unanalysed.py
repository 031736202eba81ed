"""Which articles of a Markdown export went out without their summary.

A summary comes from the analysis cache, and an article nobody opened was never analysed:
its page is written without one. Nothing is wrong with that page, but the reader who
exported everything expects summaries, so the CLI and the app name such articles instead
of leaving a silent gap. `NoAnalysis` is the `analyze` export_markdown is given for it: it
analyses nothing (the export stays fast) and remembers each text it was asked about.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.nlp.analysis import Analysis
from reader.store.errors import StoreError
from reader.store.home import content_key
from reader.study.export import resolve_ids

if TYPE_CHECKING:
    from reader.store.library import Library
    from reader.store.records import ArticleRecord


class NoAnalysis:
    """An `analyze` for export_markdown that only notes the texts with no cached analysis."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def __call__(self, text: str) -> Analysis:
        self.keys.add(content_key(text))
        return Analysis(text, [], [], [])  # no key sentences: the page has no summary

    @property
    def count(self) -> int:
        return len(self.keys)

    def records(
        self, library: Library, ids: Sequence[str] | None, *, limit: int = 3
    ) -> list[ArticleRecord]:
        """Up to `limit` of those articles, to name them. Reads texts again, but only when
        some were missing, and only until `limit` are found."""
        found: list[ArticleRecord] = []
        if not self.keys:
            return found
        for record in resolve_ids(library, ids):
            try:
                text = library.load_article(record.id).text
            except StoreError:  # the export has named a damaged text already
                continue
            if content_key(text) in self.keys:
                found.append(record)
                if len(found) >= limit:
                    break
        return found


def describe(count: int, titles: Sequence[str], advice: str) -> str:
    """'2 articles have no summary (never analysed): “A”, “B”. <advice>'"""
    named = ", ".join(f"“{title}”" for title in titles)
    if count > len(titles):
        named += f" and {count - len(titles)} more"
    have = "article has" if count == 1 else "articles have"
    return f"{count} {have} no summary (never analysed): {named}. {advice}"
