"""The article as the rest of the app sees it: metadata plus plain paragraphs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Article"]

# Words as a reader counts them: "don't" and "well-known" are one word, "—" and "•" none.
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")

_OPTIONAL = ("title", "author", "published", "source", "url")


@dataclass(slots=True)
class Article:
    """A cleaned article. Unknown metadata is None, never a guess.

    `published` is ISO 8601 without a timezone: "2024-02-20T11:42:00", or "2024-02-20"
    when the clip gives only the date. Paragraphs are single-spaced text with no blank
    lines inside, so `text` can be split back into them at "\\n\\n".
    """

    title: str | None
    author: str | None
    published: str | None
    source: str | None
    paragraphs: list[str]
    url: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(_WORD.findall(p)) for p in self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, for the store."""
        return {
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "paragraphs": list(self.paragraphs),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Article:
        """The inverse of `to_dict`; missing metadata keys read as None.

        Raises ValueError on wrongly typed data, so a damaged store record fails loudly
        instead of rendering as garbage.
        """
        values: dict[str, str | None] = {}
        for key in _OPTIONAL:
            value = d.get(key)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"article field {key!r} must be a string or null")
            values[key] = value
        paragraphs = d.get("paragraphs", [])
        if not isinstance(paragraphs, list | tuple) or not all(
            isinstance(p, str) for p in paragraphs
        ):
            raise ValueError("article field 'paragraphs' must be a list of strings")
        return cls(
            title=values["title"],
            author=values["author"],
            published=values["published"],
            source=values["source"],
            paragraphs=list(paragraphs),
            url=values["url"],
        )
