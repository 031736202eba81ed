"""The `reader` command: open the library, or analyse, add, open and list articles;
review marked passages, search, export and import the reader's work.

Start-up stays light: this module imports only the standard library at load time;
the TUI, the store and the NLP engine are imported by the command that needs them.
Exit status: 0 success, 1 a library problem (e.g. read-only), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from reader.article import Article
    from reader.nlp.analysis import Analysis
    from reader.store import AddResult, Library
    from reader.study.review import ReviewCard, ReviewDeck

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
        tags = [t.strip().casefold() for t in args.tag or []]
        if any(not t for t in tags):
            _error("--tag needs a tag name")
            return EXIT_BAD_INPUT
        if tags:
            records = [r for r in records if set(tags) <= {t.casefold() for t in r.tags}]
            if not records and not args.json:
                print(f"No articles tagged {', '.join(args.tag)}.")
                return EXIT_OK
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


# ---------------------------------------------------------------- study: review


def _parse_now(value: str | None) -> datetime:
    """--now (hidden, for tests and demos): an ISO time; naive means UTC."""
    from datetime import UTC

    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--now {value!r} is not an ISO 8601 time") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _card_json(card: ReviewCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "kind": card.kind,
        "article_id": card.article_id,
        "title": card.title,
        "start": card.start,
        "end": card.end,
        "passage": card.passage,
        "context": card.context,
        "note": card.note,
        "due": card.due.isoformat() if card.due else None,
    }


def cmd_review(args: argparse.Namespace) -> int:
    from reader.store import StoreError
    from reader.study.review import ReviewDeck

    try:
        now = _parse_now(args.now)
    except ValueError as exc:
        _error(str(exc))
        return EXIT_BAD_INPUT
    if args.limit is not None and args.limit < 1:
        _error("--limit must be at least 1")
        return EXIT_BAD_INPUT
    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    with library:
        deck = ReviewDeck(library)
        interactive = not (args.list or args.json) and sys.stdin.isatty() and sys.stdout.isatty()
        if interactive and library.read_only:
            _error("the library is read-only here, so answers cannot be saved; listing instead")
            interactive = False
        try:
            cards = deck.due_cards(now, limit=args.limit)
        except StoreError as exc:
            _error(str(exc))
            return EXIT_LIBRARY
        if not interactive:
            if args.json:
                print(json.dumps([_card_json(c) for c in cards], ensure_ascii=False, indent=2))
                return EXIT_OK
            if not cards:
                print("Nothing to review. Highlight passages or finish articles to make cards.")
                return EXIT_OK
            print(f"{len(cards)} card{'s' if len(cards) != 1 else ''} due:")
            for card in cards:
                state = "new" if card.is_new else f"due {card.due:%Y-%m-%d %H:%M}"
                passage = _one_line(card.passage)
                if len(passage) > 90:
                    passage = passage[:89] + "…"
                print(f"  {card.id:<24} {card.title[:40]:<40}  {state}")
                print(f"      {passage}")
            return EXIT_OK
        fixed_now = args.now is not None
        return review_session(
            deck,
            cards,
            read_key=_read_key,
            out=sys.stdout,
            clock=(lambda: now) if fixed_now else (lambda: _parse_now(None)),
        )


def _read_key() -> str:
    """One key press from the terminal, without waiting for Enter."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        key = sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return key


def review_session(
    deck: ReviewDeck,
    cards: Sequence[ReviewCard],
    *,
    read_key: Callable[[], str],
    out: TextIO,
    clock: Callable[[], datetime],
) -> int:
    """The terminal review loop: Enter reveals the note, 1–4 rate, q quits.

    Separate from cmd_review (keys and clock injected) so it is testable without a TTY.
    """
    from reader.store import StoreError
    from reader.study.review import RATINGS, describe_due

    if not cards:
        print("Nothing to review right now.", file=out)
        return EXIT_OK
    reviewed = 0
    for number, card in enumerate(cards, 1):
        print(f"\n[{number}/{len(cards)}]  {card.title}", file=out)
        if card.context:
            print(f"  … {_one_line(card.context)}", file=out)
        print(f"  » {_one_line(card.passage)}", file=out)
        print("  Enter: show note   1 Again  2 Hard  3 Good  4 Easy   q: quit", file=out)
        out.flush()
        while True:
            key = read_key()
            if key in ("", "q", "Q", "\x04"):
                print(f"\nReviewed {reviewed} card{'s' if reviewed != 1 else ''}.", file=out)
                return EXIT_OK
            if key in ("\n", "\r", " "):
                note = _one_line(card.note) if card.note.strip() else "(no note)"
                print(f"  Note: {note}", file=out)
                out.flush()
                continue
            if key in ("1", "2", "3", "4"):
                now = clock()
                try:
                    due = deck.rate(card.id, int(key), now)
                except StoreError as exc:
                    print(f"  {exc}", file=out)
                    break
                reviewed += 1
                print(f"  {RATINGS[int(key)]} — back {describe_due(due, now)}.", file=out)
                break
    print(f"\nReviewed {reviewed} card{'s' if reviewed != 1 else ''}. All done for now.", file=out)
    return EXIT_OK


# ---------------------------------------------------------------- study: search


def cmd_search(args: argparse.Namespace) -> int:
    from reader.store import StoreError
    from reader.study.search import SearchIndex, to_fts_query

    query = " ".join(args.query)
    try:
        to_fts_query(query)
    except ValueError as exc:
        _error(str(exc))
        return EXIT_BAD_INPUT
    if args.limit < 1:
        _error("--limit must be at least 1")
        return EXIT_BAD_INPUT
    try:
        library = _open_library(args.home)
        with library, SearchIndex.open(library) as index:
            hits = index.search(query, limit=args.limit)
            for notice in index.notices:
                _error(notice)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print(f"No matches for {query!r}.")
        return EXIT_OK
    for hit in hits:
        where = "title" if hit.kind == "article" and hit.end == 0 else f"@{hit.start}"
        print(f"{hit.article_id}  {hit.title}  ({hit.kind} {where}, score {hit.score:.2f})")
        print(f"    {hit.snippet}")
    return EXIT_OK


# ---------------------------------------------------------------- study: export, import


def cmd_export(args: argparse.Namespace) -> int:
    from reader.store import StoreError
    from reader.study.export import dumps, export_json, export_markdown

    if bool(args.ids) == bool(args.all):
        _error("name the articles to export by id, or give --all (not both)")
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else None
    if out is not None and args.format == "markdown" and out.exists() and not out.is_dir():
        _error(f"--out {out} is a file; give a folder for the Markdown files")
        return EXIT_BAD_INPUT
    ids = None if args.all else list(args.ids)
    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    from reader.store import NotFound

    with library:
        try:
            if args.format == "json":
                text = dumps(export_json(library, ids))
            else:
                folder = out or Path("reader-export")
                analyze = None
                if args.analyze:
                    from reader.nlp.analyzer import analyze as run_analyzer

                    def analyze(text: str) -> Analysis:
                        return run_analyzer(text, library.cache_dir)

                paths = export_markdown(library, folder, ids, analyze=analyze)
        except NotFound as exc:
            _error(f"{exc} Nothing was exported.")
            return EXIT_BAD_INPUT
        except StoreError as exc:
            _error(str(exc))
            return EXIT_LIBRARY
        except OSError as exc:
            _error(f"cannot write the export ({exc.strerror or exc})")
            return EXIT_LIBRARY
    if args.format == "markdown":
        print(f"Wrote {len(paths)} Markdown file{'s' if len(paths) != 1 else ''} to {folder}")
        return EXIT_OK
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    target = out / "reader-export.json" if out.is_dir() or not out.suffix else out
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        _error(f"cannot write {target} ({exc.strerror or exc})")
        return EXIT_LIBRARY
    print(f"Wrote {target}")
    return EXIT_OK


def cmd_import_notes(args: argparse.Namespace) -> int:
    from reader.store import StoreError
    from reader.study.importer import BadExport, import_snapshot, load_export

    try:
        snapshot = load_export(Path(args.file))
    except BadExport as exc:
        _error(f"{exc}. Nothing was imported.")
        return EXIT_BAD_INPUT
    try:
        library = _open_library(args.home)
    except StoreError as exc:
        _error(str(exc))
        return EXIT_LIBRARY
    with library:
        if library.read_only:
            _error("Nothing was imported.")
            return EXIT_LIBRARY
        try:
            report = import_snapshot(library, snapshot)
        except StoreError as exc:
            _error(str(exc))
            return EXIT_LIBRARY
    print(report.summary())
    return EXIT_OK


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
    p.add_argument(
        "--tag", action="append", metavar="TAG", help="only articles with this tag (repeatable)"
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "review",
        parents=[common],
        help="review highlighted passages, notes and key sentences (spaced repetition)",
        description="Go through the cards due now: Enter shows your note, 1 Again, 2 Hard, "
        "3 Good, 4 Easy, q quits. Without a terminal (or with --list) prints the due cards.",
    )
    p.add_argument("--list", action="store_true", help="print the due cards and exit")
    p.add_argument("--json", action="store_true", help="print the due cards as JSON and exit")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="at most N cards")
    p.add_argument("--now", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("search", parents=[common], help="full-text search of texts and notes")
    p.add_argument("query", nargs="+", metavar="QUERY", help='words, "a phrase", or prefix*')
    p.add_argument("--json", action="store_true", help="a JSON array of hits")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (20)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export articles with highlights and notes (Markdown or JSON)",
        description="Markdown: one Obsidian-friendly file per article in --out "
        "(default ./reader-export). JSON: everything, for `reader import-notes`; "
        "to stdout unless --out is given.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (see `reader list`)")
    p.add_argument("--all", action="store_true", help="every article")
    p.add_argument("--format", choices=("markdown", "json"), required=True)
    p.add_argument("--out", metavar="DIR", default=None, help="where to write")
    p.add_argument(
        "--analyze",
        action="store_true",
        help="Markdown: analyse articles never analysed, for their summaries (slow)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import-notes",
        parents=[common],
        help="restore or merge a JSON export",
        description="Into an empty library, restores the export exactly; into one with "
        "work in it, merges without duplicates.",
    )
    p.add_argument("file", metavar="FILE.json")
    p.set_defaults(func=cmd_import_notes)
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
