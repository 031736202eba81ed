"""`reader review`, `reader search`, `reader export`, `reader import-notes`: the study loop.

A StoreError escaping a command is reported by `reader.cli.main` with exit status 1.
Commands that only read (search, export, a review that only lists) open the library
read-only: they take no lock, so the app started beside them still gets to write.
"""

from __future__ import annotations

import argparse
import codecs
import errno
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    error,
    one_line,
    open_library,
    printable,
)
from reader.plural import counted

if TYPE_CHECKING:
    from reader.nlp.analysis import Analysis
    from reader.store import Library
    from reader.study.review import RatingPreview, ReviewCard, ReviewDeck
    from reader.study.unanalysed import NoAnalysis


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
        "cloze": _cloze_json(card),
    }


def _cloze_json(card: ReviewCard) -> dict[str, Any] | None:
    """The blank of a key-sentence card, as offsets into `passage` (passage[start:end] is
    the answer), so a script can quiz without redoing the article offsets; None else."""
    if card.cloze is None:
        return None
    start, end = card.cloze[0] - card.start, card.cloze[1] - card.start
    return {"start": start, "end": end, "answer": card.answer}


def _blanked(card: ReviewCard) -> tuple[str, int]:
    """The passage on one line with the cloze blanked, and where the blank ends in it (0
    for a card that is not a cloze): the question, without giving its answer away."""
    from reader.study.cloze import BLANK

    if card.cloze is None:
        return one_line(card.passage), 0
    before, _answer, after = card.cloze_parts()
    return one_line(before + BLANK + after), len(one_line(before + BLANK))


def _clipped(line: str, blank_end: int, width: int = 90) -> str:
    """At most `width` characters; cut at the front too when a cut at the end alone would
    drop the blank, since a card listed without its blank reads as a plain sentence."""
    if len(line) <= width:
        return line
    if blank_end <= width - 1:
        return line[: width - 1] + "…"
    start = min(blank_end - (width - 2) // 2, len(line) - (width - 1))
    if start + width - 1 >= len(line):
        return "…" + line[start:]
    return "…" + line[start : start + width - 2] + "…"


def cmd_review(args: argparse.Namespace) -> int:
    from reader.study.review import ReviewDeck

    try:
        now = _parse_now(args.now)
    except ValueError as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    if args.limit is not None and args.limit < 1:
        error("--limit must be at least 1")
        return EXIT_BAD_INPUT
    interactive = not (args.list or args.json) and sys.stdin.isatty() and sys.stdout.isatty()
    with open_library(args.home, read_only=not interactive) as library:
        deck = ReviewDeck(library)
        if interactive and library.read_only:
            error("the library is read-only here, so answers cannot be saved; listing instead")
            interactive = False
        cards = deck.due_cards(now, limit=args.limit)
        for notice in deck.notices:
            error(notice)
        if not interactive:
            if args.json:
                print(json.dumps([_card_json(c) for c in cards], ensure_ascii=False, indent=2))
                return EXIT_OK
            if not cards:
                print("Nothing to review. Highlight passages or finish articles to make cards.")
                return EXIT_OK
            print(f"{counted(len(cards), 'card')} due:")
            for card in cards:
                state = "new" if card.is_new else f"due {card.due:%Y-%m-%d %H:%M}"
                passage = _clipped(*_blanked(card))
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
    """The terminal review loop: Enter reveals the answer or note, 1–4 rate, q quits.

    As on the app's Review screen, a key sentence is a cloze (its blank is the question),
    each rating says when the card would come back, and rating records exactly that.
    Separate from cmd_review (keys and clock injected) so it is testable without a TTY.
    """
    from reader.store import StoreError
    from reader.study.review import RATINGS, describe_due

    if not cards:
        print("Nothing to review right now.", file=out)
        return EXIT_OK
    reviewed = 0
    for number, card in enumerate(cards, 1):
        preview = _preview(deck, card, clock())
        print(f"\n[{number}/{len(cards)}]  {card.title}", file=out)
        if card.context:
            print(f"  … {one_line(card.context)}", file=out)
        print(f"  » {_blanked(card)[0]}", file=out)
        print(f"  {_prompt(card, preview)}", file=out)
        out.flush()
        revealed = False
        while True:
            key = read_key()
            if key in ("", "q", "Q", "\x04"):
                print(f"\nReviewed {counted(reviewed, 'card')}.", file=out)
                return EXIT_OK
            if key in ("\n", "\r", " ") and not revealed and _reveals(card):
                revealed = True
                print(f"  {_revealed(card)}", file=out)
                out.flush()
                continue
            if key in ("1", "2", "3", "4"):
                now = clock()
                try:
                    due = deck.rate(card.id, int(key), now, preview=preview)
                except StoreError as exc:
                    print(f"  {exc}", file=out)
                    break
                reviewed += 1
                print(f"  {RATINGS[int(key)]} — back {describe_due(due, now)}.", file=out)
                break
    print(f"\nReviewed {counted(reviewed, 'card')}. All done for now.", file=out)
    return EXIT_OK


def _preview(deck: ReviewDeck, card: ReviewCard, now: datetime) -> RatingPreview | None:
    """What each rating would do, or None when the store cannot say (the prompt then
    goes without intervals, and rating schedules afresh)."""
    from reader.store import StoreError

    try:
        return deck.preview(card.id, now)
    except (StoreError, ValueError):
        return None


def _reveals(card: ReviewCard) -> str:
    """What Enter shows on this card: "answer" (a cloze), "note", or "" (nothing)."""
    if card.cloze is not None:
        return "answer"
    return "note" if card.note.strip() else ""


def _revealed(card: ReviewCard) -> str:
    if _reveals(card) == "answer":
        return f"Answer: {one_line(card.answer)}"
    return f"Note: {one_line(card.note)}"


def _prompt(card: ReviewCard, preview: RatingPreview | None) -> str:
    """The keys line: what Enter shows (only if anything), each rating with its next
    interval ("3 Good · 10 m"), and q."""
    from reader.study.review import RATINGS, short_interval

    ratings = []
    for rating, name in RATINGS.items():
        hint = f"{rating} {name}"
        if preview is not None:
            hint += f" · {short_interval(preview.interval(rating))}"
        ratings.append(hint)
    reveals = _reveals(card)
    head = f"Enter: show {reveals}   " if reveals else ""
    return f"{head}{'   '.join(ratings)}   q: quit"


# ---------------------------------------------------------------- study: search


def cmd_search(args: argparse.Namespace) -> int:
    from reader.study.search import SearchIndex, to_fts_query

    query = " ".join(args.query)
    try:
        to_fts_query(query)
    except ValueError as exc:
        error(str(exc))
        return EXIT_BAD_INPUT
    if args.limit < 1:
        error("--limit must be at least 1")
        return EXIT_BAD_INPUT
    with open_library(args.home, read_only=True) as library, SearchIndex.open(library) as index:
        hits = index.search(query, limit=args.limit)
        for notice in index.notices:
            error(notice)
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


# What to do differs for an export (it can simply go elsewhere); what happened does not.
_EXPORT_ADVICE = {
    errno.ENOSPC: "free some space and export again",
    errno.EDQUOT: "free some space and export again",
    errno.EROFS: "give --out a folder on a writable disk",
    errno.EACCES: "give --out a folder you may write to",
    errno.EPERM: "give --out a folder you may write to",
}
_EXPORT_ONLY = {
    errno.ENOTDIR: ("part of that path is a file", "give --out a folder"),
    errno.EEXIST: ("a file is in the way", "give --out another folder"),
    errno.EISDIR: ("it is a folder", "give --out a file name or a folder"),
}


def write_problem(exc: OSError, fallback: Path) -> str:
    """One line naming the file an export could not write, and what to do about it."""
    from reader.store.errors import what_the_disk_said

    what, advice = _EXPORT_ONLY.get(exc.errno or 0) or what_the_disk_said(exc)
    advice = _EXPORT_ADVICE.get(exc.errno or 0, advice)
    where = exc.filename if exc.filename is not None else fallback
    return f"cannot write the export to {printable(where)}: {what}; {advice}."


def _utf8(stream: TextIO) -> bool:
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False


def cmd_export(args: argparse.Namespace) -> int:
    """Exit 0 when everything asked for was exported; 1 when an article had to be left
    out (each named on stderr, the rest exported) or the export could not be written."""
    from reader.store import NotFound, StoreError
    from reader.study.export import dumps, export_json, export_markdown

    if bool(args.ids) == bool(args.all):
        error("name the articles to export by id, or give --all (not both)")
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else None
    if out is not None and args.format == "markdown" and out.exists() and not out.is_dir():
        error(f"--out {printable(out)} is a file; give a folder for the Markdown files")
        return EXIT_BAD_INPUT
    ids = None if args.all else list(args.ids)
    notices: list[str] = []
    folder = out or Path("reader-export")
    with open_library(args.home, read_only=True) as library:
        try:
            if args.format == "json":
                snapshot = export_json(library, ids, notices=notices)
            else:
                from reader.study.unanalysed import NoAnalysis

                unanalysed = NoAnalysis()
                analyze: Callable[[str], Analysis] = unanalysed
                if args.analyze:
                    from reader.nlp.analyzer import analyze as run_analyzer

                    analyze = partial(run_analyzer, cache_dir=library.cache_dir)
                paths = export_markdown(library, folder, ids, analyze=analyze, notices=notices)
                missing = _unanalysed_line(library, ids, unanalysed)
        except NotFound as exc:
            error(f"{exc} Nothing was exported.")
            return EXIT_BAD_INPUT
        except StoreError as exc:
            error(str(exc))
            return EXIT_LIBRARY
        except OSError as exc:
            error(write_problem(exc, folder))
            return EXIT_LIBRARY
    for notice in notices:
        error(notice)
    status = EXIT_LIBRARY if notices else EXIT_OK
    if args.format == "markdown":
        count = counted(len(paths), "Markdown file")
        print(f"Wrote {count} to {printable(folder)}")
        if missing:
            print(missing)  # stdout: it describes what was written; nothing went wrong
        return status
    if out is None:
        sys.stdout.write(dumps(snapshot, ascii_only=not _utf8(sys.stdout)))
        return status
    is_folder = out.is_dir() or (not out.suffix and not out.exists())
    target = out / "reader-export.json" if is_folder else out
    try:
        from reader.store.fileio import write_atomic

        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, dumps(snapshot).encode("utf-8"))
    except OSError as exc:
        error(write_problem(exc, target))
        return EXIT_LIBRARY
    print(f"Wrote {printable(target)}")
    return status


def _unanalysed_line(library: Library, ids: list[str] | None, unanalysed: NoAnalysis) -> str:
    """The line naming the pages written without a summary ('' when none were)."""
    from reader.study.unanalysed import describe

    if not unanalysed.count:
        return ""
    titles = [_short(printable(r.title)) for r in unanalysed.records(library, ids)]
    return describe(
        unanalysed.count, titles, "Export again with --analyze to analyse them first (slow)."
    )


def _short(title: str, limit: int = 60) -> str:
    title = one_line(title) or "Untitled"
    return title if len(title) <= limit else title[: limit - 1] + "…"


def cmd_import_notes(args: argparse.Namespace) -> int:
    from reader.study.importer import BadExport, import_snapshot, load_export

    try:
        snapshot = load_export(Path(args.file))
    except BadExport as exc:
        error(f"{exc}. Nothing was imported.")
        return EXIT_BAD_INPUT
    with open_library(args.home) as library:
        if library.read_only:
            error("Nothing was imported.")
            return EXIT_LIBRARY
        try:
            report = import_snapshot(library, snapshot)
        except ValueError as exc:  # the store refused a record the checks let through
            error(f"{printable(args.file)} cannot be imported ({exc}). Nothing was imported.")
            return EXIT_LIBRARY
    print(report.summary())
    return EXIT_OK
