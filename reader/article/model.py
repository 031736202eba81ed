"""The article as the rest of the app sees it: metadata, one text, and its structure.

The structure (blocks, marks, links; see reader.article.document) lies over `text` as
ranges, so offsets into the text mean the same whatever the shape of the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reader.article.document import (
    SEPARATOR,
    Block,
    Chapter,
    DocumentBuilder,
    Link,
    Mark,
    blocks_from_json,
    chapters_from_json,
    links_from_json,
    marks_from_json,
)

__all__ = ["Article"]

# Words as a reader counts them: "don't" and "well-known" are one word, "—" and "•" none.
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")

_OPTIONAL = ("title", "author", "published", "source", "url", "site", "lang")


@dataclass(slots=True)
class Article:
    """A cleaned article. Unknown metadata is None, never a guess.

    `published` is ISO 8601 without a timezone: "2024-02-20T11:42:00", or "2024-02-20"
    when the clip gives only the date. `site` is the name of the site or publication a
    page came from, `lang` its language tag ("en", "de-AT") when the document says.
    """

    title: str | None
    author: str | None
    published: str | None
    source: str | None
    text: str
    blocks: list[Block]
    marks: list[Mark] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    url: str | None = None
    site: str | None = None
    lang: str | None = None
    chapters: list[Chapter] = field(default_factory=list)
    """A book's or paper's own table of contents (EPUB nav, PDF outline); empty for the rest,
    whose chapters are their top-level headings (see `table_of_contents`)."""

    @classmethod
    def from_paragraphs(
        cls,
        title: str | None,
        author: str | None,
        published: str | None,
        source: str | None,
        paragraphs: Iterable[str],
        url: str | None = None,
        **meta: str | None,
    ) -> Article:
        """An article of plain paragraphs, as a text clip (and every article before
        structure was kept) is: each paragraph one block, its text exactly as given, so
        the article's id (a hash of its title and block texts) is what it always was."""
        values = {"title": title, "author": author, "published": published}
        values |= {"source": source, "url": url}
        return cls.legacy(values, list(paragraphs), dict(meta))

    @classmethod
    def from_builder(
        cls,
        builder: DocumentBuilder,
        *,
        title: str | None = None,
        chapters: Iterable[Chapter] = (),
        **meta: str | None,
    ) -> Article:
        text, blocks, marks, links = builder.build()
        return cls(
            title=title,
            author=meta.pop("author", None),
            published=meta.pop("published", None),
            source=meta.pop("source", None),
            text=text,
            blocks=blocks,
            marks=marks,
            links=links,
            chapters=list(chapters),
            **meta,
        )

    @property
    def paragraphs(self) -> list[str]:
        """Each block's text, in order: what the article was before it kept its shape."""
        return [self.text[b.start : b.end] for b in self.blocks]

    def table_of_contents(self) -> list[Chapter]:
        """The chapters in reading order: the document's own, else its top-level headings
        (those of the highest level it uses), each titled by its text."""
        if self.chapters:
            return sorted(self.chapters, key=lambda c: c.start)
        headings = [b for b in self.blocks if b.kind == "heading"]
        if not headings:
            return []
        top = min(b.level for b in headings)
        return [Chapter(self.block_text(b), b.start) for b in headings if b.level == top]

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    @property
    def words(self) -> int:
        return sum(len(_WORD.findall(self.text, b.start, b.end)) for b in self.blocks)

    def prose_spans(self) -> list[tuple[int, int]] | None:
        """The ranges the NLP may read, or None when every block is prose (a plain clip)."""
        if all(b.is_prose for b in self.blocks):
            return None
        return [(b.start, b.end) for b in self.blocks if b.is_prose]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, for the store."""
        data: dict[str, Any] = {
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "site": self.site,
            "lang": self.lang,
            "text": self.text,
            "blocks": [b.to_json() for b in self.blocks],
        }
        if self.marks:
            data["marks"] = [m.to_json() for m in self.marks]
        if self.links:
            data["links"] = [link.to_json() for link in self.links]
        if self.chapters:
            data["chapters"] = [c.to_json() for c in self.chapters]
        return data

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Article:
        """The inverse of `to_dict`, and of the older form that stored only `paragraphs`
        (read as paragraph blocks: exactly the text it always had, so every saved offset
        still points where it did). Missing metadata keys read as None.

        Raises ValueError on wrongly typed data, so a damaged store record fails loudly
        instead of rendering as garbage.
        """
        values: dict[str, str | None] = {}
        for key in _OPTIONAL:
            value = d.get(key)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"article field {key!r} must be a string or null")
            values[key] = value
        meta = {"site": values["site"], "lang": values["lang"]}
        if "text" not in d:
            paragraphs = d.get("paragraphs", [])
            if not isinstance(paragraphs, list | tuple) or not all(
                isinstance(p, str) for p in paragraphs
            ):
                raise ValueError("article field 'paragraphs' must be a list of strings")
            return cls.legacy(values, list(paragraphs), meta)
        text = d["text"]
        if not isinstance(text, str):
            raise ValueError("article field 'text' must be a string")
        return cls(
            title=values["title"],
            author=values["author"],
            published=values["published"],
            source=values["source"],
            text=text,
            blocks=blocks_from_json(d.get("blocks", []), text),
            marks=marks_from_json(d.get("marks", []), text),
            links=links_from_json(d.get("links", []), text),
            url=values["url"],
            chapters=chapters_from_json(d.get("chapters", []), text),
            **meta,
        )

    @classmethod
    def legacy(
        cls, values: Mapping[str, str | None], paragraphs: list[str], meta: Mapping[str, str | None]
    ) -> Article:
        """The old paragraphs exactly as they were: joined as before, never re-spaced."""
        blocks: list[Block] = []
        position = 0
        for paragraph in paragraphs:
            blocks.append(Block("paragraph", position, position + len(paragraph)))
            position += len(paragraph) + len(SEPARATOR)
        return cls(
            title=values["title"],
            author=values["author"],
            published=values["published"],
            source=values["source"],
            text=SEPARATOR.join(paragraphs),
            blocks=blocks,
            url=values["url"],
            site=meta.get("site"),
            lang=meta.get("lang"),
        )
