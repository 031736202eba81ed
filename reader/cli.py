"""The `reader` command: open the library, or analyse, add, open and list articles.

Start-up stays light: this module imports only the standard library at load time;
the TUI, the store and the NLP engine are imported by the command that needs them.
Exit status: 0 success, 1 a library problem (e.g. read-only), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from reader.article import Article
    from reader.nlp.analysis import Analysis
    from reader.store import AddResult, Library

EXIT_OK = 0
EXIT_LIBRARY = 1
EXIT_BAD_INPUT = 2

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def _error(message: str) -> None:
    print(f"reader: {message}", file=sys.stderr)


# ---------------------------------------------------------------- input files


@dataclass
class Source:
    """One input as named on the command line: a path, or '-' for stdin."""

    name: str
    suffix: str


def _read_source(name: str) -> str:
    from reader.article import decode_bytes, read_text_file

    if name == "-":
        return decode_bytes(sys.stdin.buffer.read(), "<stdin>")
    return read_text_file(Path(name))


def _expand_paths(names: Sequence[str]) -> Iterator[str]:
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


def _parse(name: str, raw: str) -> Article:
    from reader.article import parse_article

    suffix = Path(name).suffix.lower() if name != "-" else ".txt"
    return parse_article(raw, suffix=suffix)


# ---------------------------------------------------------------- analyze


def _analysis_json(name: str, article: Article | None, analysis: Analysis) -> dict[str, Any]:
    meta = {
        "path": name,
        "title": article.title if article else None,
        "author": article.author if article else None,
        "published": article.published if article else None,
        "source": article.source if article else None,
    }
    return {**meta, **analysis.to_dict()}


def _report(name: str, article: Article | None, analysis: Analysis, out: TextIO) -> None:
    text = analysis.text
    words = len(text.split())
    print(f"== {name}", file=out)
    if article is not None:
        for label, value in (
            ("Title", article.title),
            ("Author", article.author),
            ("Published", article.published),
            ("Source", article.source),
        ):
            print(f"{label + ':':<11}{value if value is not None else '-'}", file=out)
    print(f"{'Length:':<11}{words:,} words, {len(analysis.sentences):,} sentences", file=out)
    print("\nEntities", file=out)
    if not analysis.entities:
        print("  (none found)", file=out)
    by_label: dict[str, list[str]] = {}
    for entity in analysis.entities:
        by_label.setdefault(entity.label, []).append(f"{entity.name} ({entity.count})")
    for label, names in by_label.items():
        print(f"  {label:<7} {', '.join(names)}", file=out)
    print("\nKey sentences", file=out)
    if not analysis.key_sentences:
        print("  (none)", file=out)
    for rank, key in enumerate(analysis.key_sentences, 1):
        span = analysis.sentences[key.sentence]
        sentence = " ".join(text[span.start : span.end].split())
        print(f"  {rank:>2}. {sentence}", file=out)
    print(file=out)


def cmd_analyze(args: argparse.Namespace) -> int:
    from reader.article import InputError
    from reader.nlp.analyzer import analyze

    cache_dir = _cache_dir(args.home)
    status = EXIT_OK
    for name in args.paths:
        try:
            raw = _read_source(name)
        except InputError as exc:
            _error(str(exc))
            status = EXIT_BAD_INPUT
            continue
        article = None if args.raw else _parse(name, raw)
        text = raw if article is None else article.text
        if not text.strip():
            _error(f"{name}: no article text left after removing page boilerplate")
            status = EXIT_BAD_INPUT
            continue
        analysis = analyze(text, cache_dir)
        if args.json:
            print(json.dumps(_analysis_json(name, article, analysis), ensure_ascii=False))
        else:
            _report(name, article, analysis, sys.stdout)
        sys.stdout.flush()
    return status


def _cache_dir(home: str | None) -> Path | None:
    """The home's analysis cache, or None when the home cannot be created (no cache then)."""
    from reader.store import resolve_home

    try:
        return resolve_home(home) / "cache"
    except OSError:
        return None


# ---------------------------------------------------------------- library commands


def _open_library(home: str | None) -> Library:
    from reader.store import Library, resolve_home

    library = Library.open(resolve_home(home))
    for notice in library.notices:
        _error(notice)
    return library


def _load_inputs(names: Sequence[str]) -> tuple[list[tuple[str, Article]], bool]:
    """Read and clean every input before touching the library, so bad input changes nothing."""
    from reader.article import InputError

    loaded: list[tuple[str, Article]] = []
    ok = True
    for name in _expand_paths(names):
        try:
            article = _parse(name, _read_source(name))
        except InputError as exc:
            _error(str(exc))
            ok = False
            continue
        if not article.paragraphs:
            _error(f"{name}: no article text left after removing page boilerplate")
            ok = False
            continue
        loaded.append((name, article))
    return loaded, ok


def cmd_add(args: argparse.Namespace) -> int:
    from reader.store import StoreError

    loaded, ok = _load_inputs(args.paths)
    if not ok:
        _error("nothing was added")
        return EXIT_BAD_INPUT
    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    with library:
        if library.read_only:
            _error("nothing was added")
            return EXIT_LIBRARY
        added = skipped = 0
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
    batch = 25
    chunks = [loaded[i : i + batch] for i in range(0, len(loaded), batch)]

    def add(chunk: list[tuple[str, Article]]) -> list[AddResult]:
        return library.add_articles((article, _origin(name)) for name, article in chunk)

    if len(loaded) <= batch or not sys.stderr.isatty():
        for chunk in chunks:
            yield from zip((name for name, _ in chunk), add(chunk), strict=True)
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("Importing", total=len(loaded))
        for chunk in chunks:
            yield from zip((name for name, _ in chunk), add(chunk), strict=True)
            progress.advance(task, len(chunk))


def _origin(name: str) -> str | None:
    return None if name == "-" else str(Path(name).resolve())


def cmd_list(args: argparse.Namespace) -> int:
    from reader.store import StoreError

    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    with library:
        records = library.articles()
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
                }
                for r in records
            ]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return EXIT_OK
        if not records:
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
    from reader.store import StoreError

    loaded, ok = _load_inputs([args.path])
    if not ok:
        return EXIT_BAD_INPUT
    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    with library:
        if library.read_only:
            from reader.store import article_id

            known = {r.id for r in library.articles()}
            article_key = article_id(loaded[0][1])
            if article_key not in known:
                _error("the library is read-only; cannot import it now")
                return EXIT_LIBRARY
        else:
            name, article = loaded[0]
            article_key = library.add_article(article, origin=_origin(name)).article.id
        home = library.home
    return _run_app(home, article_key)


def cmd_library(args: argparse.Namespace) -> int:
    from reader.seed import seed_if_empty
    from reader.store import StoreError

    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    with library:
        if not library.read_only:
            seed_if_empty(library)
        home = library.home
    return _run_app(home, None)


def _run_app(home: Path, article: str | None) -> int:
    from reader.ui.app import run_app

    return run_app(home, open_article=article)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="data home (default: $READER_HOME, else the platform's user data directory)",
    )
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read articles in the terminal beside their entities, key sentences "
        "and your notes. With no command, opens the library.",
        parents=[common],
    )
    from reader import __version__

    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("analyze", parents=[common], help="print the analysis of articles")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files; - reads stdin")
    p.add_argument("--json", action="store_true", help="one JSON object per input, per line")
    p.add_argument("--raw", action="store_true", help="skip clip cleanup: analyse text as is")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("add", parents=[common], help="import files and folders (.txt, .md)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("open", parents=[common], help="import an article if needed and read it")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("list", parents=[common], help="print the library")
    p.add_argument("--json", action="store_true", help="a JSON array of articles")
    p.set_defaults(func=cmd_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "home"):
        args.home = None
    func = getattr(args, "func", cmd_library)
    try:
        return int(func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
