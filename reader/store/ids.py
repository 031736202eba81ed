"""Article identity: a hash of what the reader reads, never of where it came from.

Kept free of TinyDB so the CLI can ask "is this already in the library?" cheaply.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.article import Article

ID_LENGTH = 16
_ID = re.compile(r"[0-9a-f]{16}")


def article_id(article: Article) -> str:
    """The first 16 hex digits of sha256 over the title and paragraphs.

    Author, date, source and URL are left out on purpose: the same text clipped twice, once
    with a byline and once without, is one article to the reader. 64 bits make an accidental
    collision negligible for any personal library.
    """
    canonical = json.dumps([article.title or "", list(article.paragraphs)], separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:ID_LENGTH]


def is_article_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None
