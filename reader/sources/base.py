"""The interface every format's reader implements, so the CLI, the app, the folder walk and
the sample seeding ask one registry instead of each keeping its own list of suffixes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from reader.article import Article

__all__ = ["HEAD_BYTES", "Locator", "Source", "decode_text", "read_file"]

HEAD_BYTES = 4096
"""How much of the start a source is shown to decide whether the bytes are its format."""


@dataclass(frozen=True, slots=True)
class Locator:
    """Where the bytes came from: a file path, or a URL with what the server said."""

    path: str | None = None
    url: str | None = None  # the final URL after redirects
    media_type: str | None = None  # e.g. "text/html", from Content-Type, lower-case, no params
    charset: str | None = None  # from Content-Type, if any
    password: str | None = None  # opens an encrypted document (a PDF); never stored
    notices: list[str] = field(default_factory=list, compare=False)
    """Where a source says what it left out of an article it still read (a chapter missing
    from a book's file), one line each naming the input, for the caller to show."""

    @property
    def name(self) -> str:
        """How messages name the input: the URL, else the path, else stdin."""
        return self.url or self.path or "<stdin>"


class Source(Protocol):
    """A format: which names and media types are its own, and how its bytes become articles."""

    name: str  # "text", "markdown", "html"
    suffixes: frozenset[str]  # {".html", ".htm"}
    media_types: frozenset[str]  # {"text/html", "application/xhtml+xml"}

    def sniff(self, head: bytes) -> bool:
        """Does this start (the first `HEAD_BYTES`) look like this format?"""
        ...

    def read(self, data: bytes, locator: Locator) -> list[Article]:
        """The articles in `data`; raises reader.article.InputError with one line."""
        ...


def read_file(path: Path | str, *, max_bytes: int | None = None) -> bytes:
    """The bytes of the file at `path`, refused in the words the text reader always used."""
    from reader.article.inputs import read_file_bytes

    return read_file_bytes(path, max_bytes=max_bytes)


def with_url(article: Article, locator: Locator) -> list[Article]:
    """A fetched article keeps where it came from when the text itself does not say."""
    if article.url is None and locator.url is not None:
        article.url = locator.url
    return [article]


def decode_text(data: bytes, locator: Locator) -> str:
    """The bytes as clean text: a charset the server declared wins over the guess.

    Files carry no declaration, so they are decoded exactly as the text reader always has
    (BOM, UTF-8, then the legacy guesses). A page's Content-Type charset is the server's
    word on what the bytes are: it is used whenever the bytes are valid in it, and rescues
    a page whose encoding no guess recognises.
    """
    from reader.article import InputError, decode_bytes

    try:
        guessed = decode_bytes(data, locator.name)
    except InputError as exc:
        declared = _declared(data, locator.charset)
        if declared is None or not exc.problem.startswith("unknown text encoding"):
            raise
        return declared
    declared = _declared(data, locator.charset)
    return guessed if declared is None else declared


def _declared(data: bytes, charset: str | None) -> str | None:
    import codecs

    from reader.article import clean_text

    if not charset or data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # a byte-order mark is stronger evidence than a header
    try:
        text = clean_text(data.decode(charset))
    except (LookupError, UnicodeDecodeError):
        return None
    return text if text.strip() else None
