"""Article texts on disk: ``articles/<id>.json.gz``, one gzipped JSON object per article.

Texts live outside TinyDB so listing 5,000 articles never reads them, and so a damaged text
costs one article, not the library.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from reader.store import fileio, plain_json
from reader.store.errors import DamagedFile
from reader.store.fileio import commit_temp, fsync_dir, rename_aside

if TYPE_CHECKING:
    from reader.article import Article

SUFFIX = ".json.gz"


class DamagedContent(Exception):
    """The file exists but does not hold an article; str() says why."""


def content_path(directory: Path, article_id: str) -> Path:
    return directory / f"{article_id}{SUFFIX}"


def encode_article(article: Article) -> bytes:
    """Deterministic bytes (gzip mtime 0) so re-adding an article rewrites identical data.

    ValueError for text reader could not read back (a lone surrogate): the parsers never
    make one, so only a caller's bug or a hostile import can.
    """
    data = article.to_dict()
    wrong = plain_json.problem(data)
    if wrong is not None:
        raise ValueError(f"the article cannot be stored: {wrong}")
    payload = json.dumps(data, separators=(",", ":")).encode("ascii")
    return gzip.compress(payload, compresslevel=6, mtime=0)


def decode_article(raw: bytes) -> Article:
    """Raises DamagedContent for anything that is not a gzipped article."""
    from reader.article import Article

    try:
        source = gzip.decompress(raw).decode("utf-8")
        # Plain json.loads, not plain_json.loads: a number Python refuses makes the whole
        # text unreadable either way, and a book's twenty thousand offsets parse in half
        # the time without a hook per number. `problem` below catches the rest.
        data = json.loads(source)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DamagedContent("it is not a readable compressed article") from exc
    if not isinstance(data, dict):
        raise DamagedContent("it does not hold an article")
    wrong = plain_json.problem(data, strings=plain_json.may_hold_surrogates(source))
    if wrong is not None:  # search and export could not handle it later
        raise DamagedContent(f"it holds a malformed article ({wrong})")
    try:
        return Article.from_dict(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise DamagedContent(f"it holds a malformed article ({exc})") from exc


def is_readable(path: Path) -> bool:
    """False when the text is missing or damaged; a damaged one is first moved aside."""
    try:
        decode_article(path.read_bytes())
    except FileNotFoundError:
        return False
    except (DamagedContent, OSError):
        with contextlib.suppress(OSError):
            rename_aside(path)
        return False
    return True


def read_article(path: Path, title: str, *, keep_aside: bool) -> Article:
    """The text at `path`; DamagedFile, in words for the reader, if it is missing or unreadable.

    `keep_aside` moves a damaged file out of the way (only the writer may), so adding the
    article again writes a fresh copy.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise DamagedFile(
            f"The text of “{title}” is missing from the library folder "
            f"({path.name}); add the article again to restore it."
        ) from exc
    except OSError as exc:
        raise DamagedFile(f"The text of “{title}” cannot be read ({exc.strerror or exc}).") from exc
    try:
        return decode_article(raw)
    except DamagedContent as exc:
        kept = ""
        if keep_aside:
            with contextlib.suppress(OSError):
                kept = f"; the damaged file was kept as {rename_aside(path).name}"
        raise DamagedFile(
            f"The text of “{title}” is damaged ({exc}){kept}. Add the article "
            "again to restore it; its notes and progress are kept."
        ) from exc


class TextBatch:
    """Many texts written with one sync, for imports and restores.

    Every text goes to a temporary file, the disk is synced once (os.sync where available,
    else each file), then the files are renamed into place: the guarantees of write_atomic
    at a fraction of its cost per file. Leaving the `with` block without `commit` (an
    error part-way) removes the temporary files, so nothing half-written is left behind.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sync_all = hasattr(os, "sync")
        self._temps: list[tuple[Path, Path]] = []
        self._written = False

    def __enter__(self) -> TextBatch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for tmp, _ in self._temps:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def add(self, article_id: str, article: Article) -> None:
        path = content_path(self.directory, article_id)
        self._temps.append(
            (fileio.write_temp(path, encode_article(article), sync=not self._sync_all), path)
        )
        self._written = True

    def commit(self) -> None:
        if self._sync_all and self._temps:
            os.sync()
        while self._temps:
            tmp, path = self._temps.pop()
            commit_temp(tmp, path)
        if self._written:
            fsync_dir(self.directory)
