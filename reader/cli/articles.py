"""`reader`, `reader add`, `reader open`, `reader list`: the library from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    load_inputs,
    open_library,
    origin,
)

if TYPE_CHECKING:
    from reader.article import Article
    from reader.store import AddResult, Library

BATCH = 25


def cmd_add(args: argparse.Namespace) -> int:
    loaded, ok = load_inputs(args.paths)
    if not ok:
        raise CommandError("nothing was added", EXIT_BAD_INPUT)
    added = skipped = 0
    with open_library(args.home) as library:
        if library.read_only:
            raise CommandError("nothing was added", EXIT_LIBRARY)
        for name, result in _add_all(library, loaded):
            title = result.article.title
            if result.added:
                added += 1
                print(f"added    {title}  ({name})")
            else:
                skipped += 1
                print(f"skipped  {title}  ({name}: already in the library)")
    print(f"{added} added, {skipped} already in the library")
    return EXIT_OK


def _add_all(
    library: Library, loaded: list[tuple[str, Article]]
) -> Iterator[tuple[str, AddResult]]:
    """Add in batches (one index write each), with a progress bar for many files on a terminal."""
    chunks = [loaded[i : i + BATCH] for i in range(0, len(loaded), BATCH)]

    def add(chunk: list[tuple[str, Article]]) -> Iterator[tuple[str, AddResult]]:
        results = library.add_articles((article, origin(name)) for name, article in chunk)
        return zip((name for name, _ in chunk), results, strict=True)

    if len(loaded) <= BATCH or not sys.stderr.isatty():
        for chunk in chunks:
            yield from add(chunk)
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("Importing", total=len(loaded))
        for chunk in chunks:
            yield from add(chunk)
            progress.advance(task, len(chunk))


def cmd_list(args: argparse.Namespace) -> int:
    tags = [t.strip().casefold() for t in args.tag or []]
    if any(not t for t in tags):
        raise CommandError("--tag needs a tag name")
    with open_library(args.home) as library:
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
    width = min(60, max(len(r.title) for r in records))
    print(f"{'ID':<16}  {'TITLE':<{width}}  {'SOURCE':<16}  {'WORDS':>7}  {'READ':>5}")
    for r in records:
        title = r.title if len(r.title) <= width else r.title[: width - 1] + "…"
        source = (r.source or "")[:16]
        print(f"{r.id:<16}  {title:<{width}}  {source:<16}  {r.words:>7,}  {r.progress:>5.0%}")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    loaded, ok = load_inputs([args.path])
    if not ok:
        return EXIT_BAD_INPUT
    name, article = loaded[0]
    with open_library(args.home) as library:
        if library.read_only:
            from reader.store import article_id

            article_key = article_id(article)
            if article_key not in {r.id for r in library.articles()}:
                raise CommandError("the library is read-only; cannot import it now", EXIT_LIBRARY)
        else:
            article_key = library.add_article(article, origin=origin(name)).article.id
        home = library.home
    return run_app(home, article_key)


def cmd_library(args: argparse.Namespace) -> int:
    from reader.seed import seed_if_empty

    with open_library(args.home) as library:
        if not library.read_only:
            seed_if_empty(library)
        home = library.home
    return run_app(home, None)


def run_app(home: Path, article: str | None) -> int:
    """The TUI; the library is closed first so the app takes the home's lock itself."""
    from reader.ui.app import run_app as run

    return run(home, open_article=article)
