"""Article texts on disk: ``articles/<id>.json.gz``, one gzipped JSON object per article.

Texts live outside TinyDB so listing 5,000 articles never reads them, and so a damaged text
costs one article, not the library.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.article import Article

SUFFIX = ".json.gz"


class DamagedContent(Exception):
    """The file exists but does not hold an article; str() says why."""


def content_path(directory: Path, article_id: str) -> Path:
    return directory / f"{article_id}{SUFFIX}"


def encode_article(article: Article) -> bytes:
    """Deterministic bytes (gzip mtime 0) so re-adding an article rewrites identical data."""
    payload = json.dumps(article.to_dict(), separators=(",", ":")).encode("ascii")
    return gzip.compress(payload, compresslevel=6, mtime=0)


def decode_article(raw: bytes) -> Article:
    """Raises DamagedContent for anything that is not a gzipped article."""
    from reader.article import Article

    try:
        data = json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise DamagedContent("it is not a readable compressed article") from exc
    if not isinstance(data, dict):
        raise DamagedContent("it does not hold an article")
    try:
        return Article.from_dict(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise DamagedContent(f"it holds a malformed article ({exc})") from exc
