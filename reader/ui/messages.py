"""Messages any screen may post for the app to act on.

They live apart from the screens so a screen that asks for something (the review card's
article, a search hit) needs nothing from the screen that happens to ask the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenArticle(Message):
    """Asks the app to open an article on the reading screen (at `position`, an offset into
    its text, when given; else where the reader left off)."""

    article_id: str
    position: int | None = None


@dataclass
class OpenHit(OpenArticle):
    """OpenArticle at a hit, with the hit's words (the app marks them as find matches)."""

    terms: tuple[str, ...] = ()
