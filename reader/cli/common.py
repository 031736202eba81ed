"""What every command shares: exit codes, one-line errors, reading inputs, opening the home.

Only the standard library is imported here at load time; the store and the article
parser are imported inside the functions that need them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.article import Article, InputError
    from reader.store import ArticleRecord, Library

EXIT_OK = 0
EXIT_LIBRARY = 1
EXIT_BAD_INPUT = 2


class CommandError(Exception):
    """Ends a command with one line on stderr (if any) and an exit status."""

    def __init__(self, message: str = "", status: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def error(message: str) -> None:
    """One line on stderr, even when the message quotes something holding a line break."""
    print(f"reader: {message}".replace("\n", "\\n"), file=sys.stderr)


def printable(name: object) -> str:
    """reader.store.errors.printable, imported when used so start-up stays light."""
    from reader.store.errors import printable as store_printable

    return store_printable(name)


def shown(name: str) -> str:
    """An input as messages name it: '-' is stdin, a path is made one printable line."""
    return "<stdin>" if name == "-" else printable(name)


def open_library(
    home: str | None, *, read_only: bool = False, tell_notices: bool = True
) -> Library:
    """The home's library, its notices told once on stderr; a store problem ends the command.

    `read_only` is for commands that only read: they take no lock, so a window starting at
    the same moment still gets to write. If that read finds damage, the home is opened
    again writable, so the damaged file is set aside and mended as every other opening
    does, instead of the command showing an empty library. When another window holds the
    home, the read-only opening is kept: its notices say what this command shows, and
    nothing about the lock, which a command that never writes has no use for.
    `tell_notices=False` leaves the notices to the caller: the app shows them itself, since
    its screen would hide anything printed before it starts.
    """
    from reader.store import Library, StoreError, resolve_home

    try:
        library = Library.open(resolve_home(home), read_only=read_only)
        if read_only and library.notices:
            try:
                mending = Library.open(library.home)
            except BaseException:
                library.close()
                raise
            if mending.read_only:  # another window has it, or the folder is not writable
                mending.close()
            else:
                library.close()
                library = mending
    except StoreError as exc:
        raise CommandError(str(exc), EXIT_LIBRARY) from None
    if tell_notices:
        tell(library.notices)
        upgrade_layouts(library)
    return library


def upgrade_layouts(library: Library) -> None:
    """Once per home, on the first command that may write: articles stored flat by an
    earlier version get their shape back (reader.study.reimport), and the reader is told."""
    from reader.store import StoreError
    from reader.study.reimport import upgrade_layouts as upgrade

    try:
        done = upgrade(library)
    except StoreError:  # a full disk or a lost lock: tried again by the next command
        return
    if done.changed:
        error(done.message)


def tell(notices: Sequence[str]) -> None:
    for notice in notices:
        error(notice)


def whole_number(option: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type for a count option, failing as one line and exit status 2.

    It raises CommandError rather than ArgumentTypeError on purpose: argparse passes other
    exceptions through, so `reader.cli.main` prints the one line a bad value deserves
    instead of argparse's usage block, and a huge number never reaches the store.
    """
    digits = len(str(high))

    def convert(value: str) -> int:
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text.lstrip("0")) <= digits:
            number = int(text)
            if low <= number <= high:
                return number
        raise CommandError(f"{option} must be a whole number from {low} to {high}")

    convert.__name__ = option.lstrip("-")
    return convert


def reject_empty_paths(names: Sequence[str]) -> None:
    """An empty argument is nearly always an unset shell variable ("$DIR"), and as a path it
    means the current folder: `reader add ""` would import everything under it."""
    if any(name == "" for name in names):
        raise CommandError(
            "an empty path was given (an unset shell variable?); name a file or folder, "
            "or . for the current folder"
        )


def cache_dir(home: str | None) -> Path | None:
    """The home's analysis cache, or None when the home cannot be created (no cache then)."""
    from reader.store import resolve_home

    try:
        return resolve_home(home) / "cache"
    except OSError:
        return None


DEFAULT_TIMEOUT = 20.0
MAX_TIMEOUT = 600.0


def seconds(value: str) -> float:
    """The argparse type of `--timeout`: seconds above 0, at most 600, as one line if bad.

    CommandError, as in `whole_number`, so a bad value is one line and exit status 2.
    """
    try:
        number = float(value.strip())
    except ValueError:
        number = -1.0
    if 0 < number <= MAX_TIMEOUT:
        return number
    raise CommandError(f"--timeout must be a number of seconds above 0, at most {MAX_TIMEOUT:g}")


def is_url(name: str) -> bool:
    """reader.sources.url.is_url, imported when used so start-up stays light."""
    if "://" not in name:
        return False  # a path: no need to import the fetcher to know
    from reader.sources.url import is_url as url_like

    return url_like(name)


def read_source(name: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The decoded text of a path, a URL or stdin ('-'), for `analyze --raw`; InputError
    names the input."""
    from reader.article import decode_bytes, read_text_file

    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    if is_url(name):
        from reader.sources.base import Locator, decode_text
        from reader.sources.url import fetch

        page = fetch(name, timeout=timeout)
        return decode_text(page.body, Locator(url=page.url, charset=page.charset))
    return read_text_file(Path(name))


def read_articles(
    name: str, *, timeout: float = DEFAULT_TIMEOUT, password: str | None = None
) -> tuple[str, list[Article]]:
    """The articles of a path, a URL or stdin, each with some text, and the name they were
    read from: for a URL, where it finally led (a redirect's target), which is what the
    library records as the article's origin. `password` opens an encrypted PDF."""
    from reader.sources.base import Locator
    from reader.sources.registry import read_data, read_fetched, read_path

    notices: list[str] = []
    if name == "-":
        locator = Locator(password=password)
        where, articles = name, read_data(sys.stdin.buffer.read(), locator)
        notices = locator.notices
    elif is_url(name):
        from reader.sources.url import fetch

        page = fetch(name, timeout=timeout)
        where, articles = page.url, read_fetched(page, password=password, notices=notices)
    else:
        where, articles = name, read_path(Path(name), password=password, notices=notices)
    tell(notices)  # what a source left out of what it read: one line each
    return where, articles


def expand_paths(names: Sequence[str]) -> Iterator[tuple[str, str | None]]:
    """Files and URLs as given; folders become the article files inside them, sorted.

    Each comes as (name, None), or as (name, message) when the folder cannot be used: a
    folder that cannot be read must be reported as such, not skipped (its articles would
    be silently lost) nor reported as holding no articles.
    """
    from reader.sources.folders import article_files, refusal_reason
    from reader.sources.registry import formats_named

    for name in names:
        path = Path(name)
        if name == "-" or is_url(name) or not path.is_dir():
            yield name, None
            continue
        found, refused = article_files(path)
        if refused is not None:
            where = refused.filename if refused.filename is not None else name
            yield (
                name,
                (
                    f"{printable(where)}: cannot read this folder ({refusal_reason(refused)}); "
                    "check its permissions or leave it out"
                ),
            )
        elif not found:
            yield name, f"{printable(name)}: no article files ({formats_named()}) in this folder"
        else:
            for file in found:
                yield file, None


def no_text_message(name: str) -> str:
    from reader.sources.registry import NO_TEXT

    return f"{shown(name)}: {NO_TEXT}"


def input_message(name: str, exc: InputError) -> str:
    """InputError's line, naming the file by its real name (undecodable bytes as escapes)."""
    return f"{exc.name if name == '-' else printable(name)}: {exc.problem}"


def load_inputs(
    names: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT, password: str | None = None
) -> tuple[list[tuple[str, Article]], bool]:
    """Read and clean every input before touching the library, so bad input changes nothing.

    Each article comes with the name it was read from (a URL's final address).
    """
    from reader.article import InputError

    reject_empty_paths(names)
    loaded: list[tuple[str, Article]] = []
    ok = True
    for name, problem in expand_paths(names):
        if problem is not None:
            error(problem)
            ok = False
            continue
        try:
            where, articles = read_articles(name, timeout=timeout, password=password)
        except InputError as exc:
            error(input_message(name, exc))
            ok = False
            continue
        loaded += [(where, article) for article in articles]
    return loaded, ok


def origin(name: str) -> str | None:
    """Where an added article came from, as valid text: its URL, or its file's full path. A
    name with undecodable bytes (b'bad\\xffname.txt') is stored with escapes, since a lone
    surrogate in the index would make every later export and import-notes fail."""
    if name == "-":
        return None
    if is_url(name):
        return printable(name)
    return printable(Path(name).resolve())


def known_urls(library: Library) -> dict[str, ArticleRecord]:
    """The library's articles by the URL they were added from: the same page fetched again
    is the same article even when its text changed meanwhile (a new ad, a fixed typo)."""
    return {r.origin: r for r in library.articles() if r.origin is not None and is_url(r.origin)}


def one_line(text: str) -> str:
    return " ".join(text.split())
