"""What every command shares: exit codes, one-line errors, reading inputs, opening the home.

Only the standard library is imported here at load time; the store and the article
parser are imported inside the functions that need them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store import Library

EXIT_OK = 0
EXIT_LIBRARY = 1
EXIT_BAD_INPUT = 2

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")


class CommandError(Exception):
    """Ends a command with one line on stderr (if any) and an exit status."""

    def __init__(self, message: str = "", status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def error(message: str) -> None:
    print(f"reader: {message}", file=sys.stderr)


def open_library(home: str | None) -> Library:
    """The home's library, its notices told once; a store problem ends the command."""
    from reader.store import Library, StoreError, resolve_home

    try:
        library = Library.open(resolve_home(home))
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_LIBRARY) from None
    for notice in library.notices:
        error(notice)
    return library


def cache_dir(home: str | None) -> Path | None:
    """The home's analysis cache, or None when the home cannot be created (no cache then)."""
    from reader.store import resolve_home

    try:
        return resolve_home(home) / "cache"
    except OSError:
        return None


def read_source(name: str) -> str:
    """The decoded text of a path, or of stdin for '-'; InputError names the input."""
    from reader.article import decode_bytes, read_text_file

    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    return read_text_file(Path(name))


def expand_paths(names: Sequence[str]) -> Iterator[str]:
    """Files as given; folders become the article files inside them, sorted."""
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not found:
                yield name  # read_text_file reports the directory in plain words
            yield from found
        else:
            yield name


def parse(name: str, raw: str) -> Article:
    from reader.article import parse_article

    suffix = Path(name).suffix.lower() if name != "-" else ".txt"
    return parse_article(raw, suffix=suffix)


def no_text_message(name: str) -> str:
    return f"{name}: no article text left after removing page boilerplate"


def load_inputs(names: Sequence[str]) -> tuple[list[tuple[str, Article]], bool]:
    """Read and clean every input before touching the library, so bad input changes nothing."""
    from reader.article import InputError

    loaded: list[tuple[str, Article]] = []
    ok = True
    for name in expand_paths(names):
        try:
            article = parse(name, read_source(name))
        except InputError as exc:
            error(str(exc))
            ok = False
            continue
        if not article.paragraphs:
            error(no_text_message(name))
            ok = False
            continue
        loaded.append((name, article))
    return loaded, ok


def origin(name: str) -> str | None:
    return None if name == "-" else str(Path(name).resolve())


def one_line(text: str) -> str:
    return " ".join(text.split())
