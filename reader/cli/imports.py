"""`reader import pocket|instapaper|kindle FILE` and `reader fetch`: other apps' exports.

The whole file is read and checked before the library is opened, so a file that is not
the named export changes nothing (one line, exit status 2). Rows the export could not
give are named one line each on stderr; the summary is one line on stdout. The engine is
reader.study.imports.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import (
    DEFAULT_TIMEOUT,
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    error,
    open_library,
    printable,
    shown,
)

if TYPE_CHECKING:
    from reader.study.imports import Progress

APPS = ("pocket", "instapaper", "kindle")


def cmd_import(args: argparse.Namespace) -> int:
    from reader.article import InputError
    from reader.sources.kindle import scan_clippings
    from reader.sources.saved_links import read_instapaper, read_pocket
    from reader.study.imports import import_kindle, import_links

    name = args.file
    data = _read(name)
    label = "<stdin>" if name == "-" else Path(name).name
    try:
        if args.app == "kindle":
            clippings = scan_clippings(data, label)
        else:
            saved = (read_pocket if args.app == "pocket" else read_instapaper)(data, label)
    except InputError as exc:
        raise CommandError(f"{shown(name)}: {exc.problem}; nothing was imported") from None
    with open_library(args.home) as library:
        if library.read_only:
            raise CommandError("nothing was imported", EXIT_LIBRARY)
        if args.app == "kindle":
            for line in clippings.skipped:
                error(f"{shown(name)}: {line}")
            print(import_kindle(library, clippings).summary())
            return EXIT_OK
        for line in saved.skipped:
            error(f"{shown(name)}: {line}")
        with _progress("Fetching pages") as progress:
            report = import_links(
                library,
                saved,
                args.app,
                timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
                progress=progress,
            )
    print(report.summary())
    return EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    """Exit status 1 while any link is still waiting, so a script can tell."""
    from reader.study.imports import fetch_waiting

    with open_library(args.home) as library:
        if library.read_only:
            raise CommandError("nothing was fetched", EXIT_LIBRARY)
        if not library.waiting_links():
            print("no links are waiting for their text")
            return EXIT_OK
        with _progress("Fetching pages") as progress:
            report = fetch_waiting(
                library, timeout=getattr(args, "timeout", DEFAULT_TIMEOUT), progress=progress
            )
    for url, why in report.failures.items():
        error(f"{printable(url)}: {why}")
    print(report.summary(waiting_words="still waiting"))
    return EXIT_OK if report.waiting == 0 else EXIT_LIBRARY


def _read(name: str) -> bytes:
    if name == "":
        raise CommandError("an empty file name was given (an unset shell variable?)")
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        problem = "is a folder; name the export file itself"
    except FileNotFoundError:
        problem = "no such file"
    except OSError as exc:
        problem = f"cannot be read ({exc.strerror or exc})"
    raise CommandError(f"{printable(name)}: {problem}", EXIT_BAD_INPUT)


@contextmanager
def _progress(what: str) -> Iterator[Progress | None]:
    """A bar on stderr while pages are fetched, on a terminal only."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from reader.cli.output import unwrap

    console = Console(file=unwrap(sys.stderr))
    with Progress(
        TextColumn(what), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    ) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=max(1, total))

        yield advance


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    timeout_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """`import` and `fetch`, for reader.cli.build_parser."""
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import from Pocket, Instapaper or a Kindle's My Clippings.txt",
        description="Pocket's and Instapaper's links are fetched and stored with their "
        "dates, tags and read status; pages that cannot be fetched now wait for "
        "`reader fetch`. A Kindle's clippings become one article per book, its highlights "
        "ready for review. Importing the same file again adds nothing.",
    )
    apps = p.add_subparsers(dest="app", metavar="APP", required=True)
    for app, help_text in (
        ("pocket", "Pocket's CSV export, or its older ril_export.html"),
        ("instapaper", "Instapaper's CSV export"),
        ("kindle", "a Kindle's My Clippings.txt"),
    ):
        a = apps.add_parser(app, parents=[common], help=help_text)
        a.add_argument("file", metavar="FILE", help="the export; - reads stdin")
        if app != "kindle":
            timeout_option(a)
        a.set_defaults(func=cmd_import)
    p = sub.add_parser(
        "fetch",
        parents=[common],
        help="fetch the imported links still waiting for their text",
        description="Exit status 0 when every link was fetched, 1 while some still wait.",
    )
    timeout_option(p)
    p.set_defaults(func=cmd_fetch)
