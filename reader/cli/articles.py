"""`reader`, `reader add`, `reader open`, `reader list`: the library from the shell."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    DEFAULT_TIMEOUT,
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    error,
    expand_paths,
    is_url,
    known_urls,
    load_inputs,
    one_line,
    open_library,
    origin,
    printable,
    reject_empty_paths,
    tell,
)
from reader.cli.output import real_streams, sanitize, sanitized_output, unwrap

if TYPE_CHECKING:
    from reader.article import Article

BATCH = 25
BIG = 500_000
"""Bytes of input that take about a second to clean: worth a progress bar on their own."""


def cmd_add(args: argparse.Namespace) -> int:
    reject_empty_paths(args.paths)
    inputs = list(expand_paths(args.paths))
    sizes = [_size(name) for name, _ in inputs]
    timeout = getattr(args, "timeout", DEFAULT_TIMEOUT)
    with _progress(len(inputs), sum(sizes)) as bar:
        loaded, ok = _load(inputs, sizes, bar, timeout, getattr(args, "password", None))
        if not ok:
            raise CommandError("nothing was added", EXIT_BAD_INPUT)
        added = skipped = 0
        with open_library(args.home) as library:
            if library.read_only:
                raise CommandError("nothing was added", EXIT_LIBRARY)
            known = known_urls(library) if any(is_url(name) for name, _ in loaded) else {}
            bar.stage("Saving to the library", len(loaded))
            for chunk in (loaded[i : i + BATCH] for i in range(0, len(loaded), BATCH)):
                # A page added before under the same URL is not stored again.
                before = [known.get(origin(name) or "") for name, _ in chunk]
                fresh = [item for item, old in zip(chunk, before, strict=True) if old is None]
                # One index write per batch.
                results = iter(
                    library.add_articles((article, origin(name)) for name, article in fresh)
                )
                for (name, _), record in zip(chunk, before, strict=True):
                    if record is None:
                        result = next(results)
                        record = result.article
                        if is_url(name):
                            known[origin(name) or ""] = record
                        if result.added:
                            added += 1
                            print(f"added    {one_line(record.title)}  ({printable(name)})")
                            continue
                    skipped += 1
                    print(
                        f"skipped  {one_line(record.title)}  "
                        f"({printable(name)}: already in the library)"
                    )
                bar.advance(len(chunk))
    print(f"{added} added, {skipped} already in the library")
    return EXIT_OK


def _load(
    inputs: list[tuple[str, str | None]],
    sizes: list[int],
    bar: Bar,
    timeout: float,
    password: str | None = None,
) -> tuple[list[tuple[str, Article]], bool]:
    """`load_inputs`, one input at a time, so the bar can say which file it is reading."""
    bar.stage("Reading", sum(sizes))
    loaded: list[tuple[str, Article]] = []
    ok = True
    for (name, problem), size in zip(inputs, sizes, strict=True):
        if problem is not None:
            error(problem)
            ok = False
        else:
            if is_url(name):
                shown = f"Fetching {name}"
            else:
                shown = "Reading " + (Path(name).name if name != "-" else "<stdin>")
            bar.describe(shown, now=size >= BIG or is_url(name))
            found, fine = load_inputs([name], timeout=timeout, password=password)
            loaded += found
            ok = ok and fine
        bar.advance(size)
    return loaded, ok


def _size(name: str) -> int:
    try:
        return 0 if name == "-" or is_url(name) else os.stat(name).st_size
    except OSError:
        return 0  # reading it will say what is wrong


class Bar:
    """What `add` tells its progress bar: a stage with a total, then steps through it.

    Without a bar (not a terminal, or too little to read) every call does nothing.
    """

    def __init__(self, progress: Any = None) -> None:
        self.progress = progress
        self.task: Any = None

    def stage(self, what: str, total: int) -> None:
        if self.progress is not None:
            if self.task is not None:
                self.progress.remove_task(self.task)
            self.task = self.progress.add_task(sanitize(what), total=max(1, total))

    def describe(self, what: str, *, now: bool = False) -> None:
        """`now`: drawn at once, not at the next tick, for a file that takes a while.

        Rich draws on the real stderr, so the name is made printable here.
        """
        if self.progress is not None:
            self.progress.update(self.task, description=sanitize(printable(what)), refresh=now)

    def advance(self, n: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, n)


@contextmanager
def _progress(files: int, size: int) -> Iterator[Bar]:
    """A progress bar on stderr, on a terminal, for many files or a big one."""
    if (files <= BATCH and size < BIG) or not sys.stderr.isatty():
        yield Bar()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    # The bar's own escape codes go to the real stderr. The lines printed meanwhile go
    # through Rich's redirection, so they are sanitised again on top of it. stdout is
    # redirected only when it is a terminal too: `reader add DIR > log` keeps its lines.
    console = Console(file=unwrap(sys.stderr))
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with (
        Progress(
            *columns, console=console, transient=True, redirect_stdout=sys.stdout.isatty()
        ) as progress,
        sanitized_output(),
    ):
        yield Bar(progress)


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
    loaded, ok = load_inputs(
        [args.path],
        timeout=getattr(args, "timeout", DEFAULT_TIMEOUT),
        password=getattr(args, "password", None),
    )
    if not ok:
        return EXIT_BAD_INPUT
    name, article = loaded[0]
    with open_library(args.home, tell_notices=False) as library:
        notices = list(library.notices)
        try:
            known = known_urls(library).get(origin(name) or "") if is_url(name) else None
            if known is not None:
                article_key = known.id
            elif library.read_only:
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
