"""Markdown files: notes apps, static-site sources and "save as Markdown" clippers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.article import MARKDOWN_SUFFIXES
from reader.sources.base import Locator, decode_text, with_url

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["MarkdownSource"]


class MarkdownSource:
    """Chosen by name or media type only, never by content.

    A clip that starts with "# " or holds a "*" reads differently as Markdown; guessing
    from content would change how existing clips on stdin or with odd names are read.
    """

    name = "markdown"
    suffixes = MARKDOWN_SUFFIXES
    media_types = frozenset({"text/markdown", "text/x-markdown"})

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        from reader.article import parse_markdown

        return with_url(parse_markdown(decode_text(data, locator)), locator)
