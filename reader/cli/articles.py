"""`reader`, `reader add`, `reader open`, `reader list`: the library from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from reader.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    load_inputs,
    one_line,
    open_library,
    origin,
    printable,
    tell,
)
from reader.cli.output import real_streams, sanitized_output, unwrap

BATCH = 25


def cmd_add(args: argparse.Namespace) -> int:
    loaded, ok = load_inputs(args.paths)
    if not ok:
        raise CommandError("nothing was added", EXIT_BAD_INPUT)
    added = skipped = 0
    with open_library(args.home) as library:
        if library.read_only:
            raise CommandError("nothing was added", EXIT_LIBRARY)
        with _progress(len(loaded)) as advance:
            for chunk in (loaded[i : i + BATCH] for i in range(0, len(loaded), BATCH)):
                # One index write per batch.
                results = library.add_articles((article, origin(name)) for name, article in chunk)
                for (name, _), result in zip(chunk, results, strict=True):
                    title = one_line(result.article.title)
                    if result.added:
                        added += 1
                        print(f"added    {title}  ({printable(name)})")
                    else:
                        skipped += 1
                        print(f"skipped  {title}  ({printable(name)}: already in the library)")
                advance(len(chunk))
    print(f"{added} added, {skipped} already in the library")
    return EXIT_OK


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for many files on a terminal; `advance(n)` moves it on."""
    if total <= BATCH or not sys.stderr.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    # The bar's own escape codes go to the real stderr. The lines printed meanwhile go
    # through Rich's redirection, so they are sanitised again on top of it. stdout is
    # redirected only when it is a terminal too: `reader add DIR > log` keeps its lines.
    console = Console(file=unwrap(sys.stderr))
    with (
        Progress(console=console, transient=True, redirect_stdout=sys.stdout.isatty()) as bar,
        sanitized_output(),
    ):
        task = bar.add_task("Importing", total=total)
        yield lambda n: bar.advance(task, n)


def cmd_list(args: argparse.Namespace) -> int:
    tags = [t.strip().casefold() for t in args.tag or []]
    if any(not t for t in tags):
        raise CommandError("--tag needs a tag name, e.g. --tag science")
    with open_library(args.home, read_only=True) as library:
        records = library.articles()
        if tags:
            records = [r for r in records if set(tags) <= {t.casefold() for t in r.tags}]
        if args.json:
            notes = library.note_counts()
            rows = [
                {
                    "id": r.id,
                    "title": r.title,
                    "author": r.author,
                    "source": r.source,
                    "published": r.published,
                    "words": r.words,
                    "progress": round(r.progress, 4),
                    "finished": r.finished,
                    "last_read": r.last_read,
                    "added_at": r.added_at,
                    "notes": notes.get(r.id, 0),
                    "tags": list(r.tags),
                }
                for r in records
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return EXIT_OK
    if not records:
        if tags:
            print(f"No articles tagged {', '.join(args.tag)}.")
        else:
            print("The library is empty. Add articles with: reader add PATH...")
        return EXIT_OK
    titles = [one_line(r.title) for r in records]  # a stored line break must not fake a row
    width = min(60, max(len(t) for t in titles))
    print(f"{'ID':<16}  {'TITLE':<{width}}  {'SOURCE':<16}  {'WORDS':>7}  {'READ':>5}")
    for r, title in zip(records, titles, strict=True):
        title = title if len(title) <= width else title[: width - 1] + "…"
        source = one_line(r.source or "")[:16]
        print(f"{r.id:<16}  {title:<{width}}  {source:<16}  {r.words:>7,}  {r.progress:>5.0%}")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    loaded, ok = load_inputs([args.path])
    if not ok:
        return EXIT_BAD_INPUT
    name, article = loaded[0]
    with open_library(args.home, tell_notices=False) as library:
        notices = list(library.notices)
        try:
            if library.read_only:
                from reader.store import article_id

                article_key = article_id(article)
                if article_key not in {r.id for r in library.articles()}:
                    raise CommandError(
                        f"{printable(name)} is not in the library yet, and the library is "
                        "read-only here; close the other reader window and try again",
                        EXIT_LIBRARY,
                    )
            else:
                article_key = library.add_article(article, origin=origin(name)).article.id
        except BaseException:
            tell(notices)  # the app will not start to show them
            raise
        home = library.home
    return run_app(home, article_key, notices)


def cmd_library(args: argparse.Namespace) -> int:
    from reader.seed import seed_if_empty

    with open_library(args.home, tell_notices=False) as library:
        notices = list(library.notices)
        try:
            if not library.read_only:
                seed_if_empty(library)
        except BaseException:
            tell(notices)
            raise
        home = library.home
    return run_app(home, None, notices)


def run_app(home: Path, article: str | None, notices: Sequence[str] = ()) -> int:
    """The TUI; the library is closed first so the app takes the home's lock itself.

    The app gets the library's notices to show: printed here, they would vanish behind
    its screen, and the app then opens a library already mended and has nothing to say.
    It runs on the real streams, since Textual writes its own escape sequences.
    """
    from reader.ui.app import run_app as run

    with real_streams():
        return run(home, open_article=article, notices=list(notices))
