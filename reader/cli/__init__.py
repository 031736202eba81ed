"""The `reader` command: open the library, or analyse, add, open and list articles;
review marked passages, search, export and import the reader's work.

Start-up stays light: these modules import only the standard library at load time;
the TUI, the store and the NLP engine are imported by the command that needs them.
Exit status: 0 success, 1 a library problem (e.g. read-only), 2 bad input or usage.
Everything the commands print passes through reader.cli.output, which makes control,
bidi and invisible characters visible: stored text never reaches the terminal raw.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from reader.cli.analyze import cmd_analyze, key_count
from reader.cli.articles import cmd_add, cmd_library, cmd_list, cmd_open
from reader.cli.common import (
    DEFAULT_TIMEOUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    error,
    seconds,
    whole_number,
)
from reader.cli.feeds import add_feed_parser
from reader.cli.imports import add_parsers as add_import_parsers
from reader.cli.output import sanitized_output
from reader.cli.reimport import cmd_reimport
from reader.cli.study import cmd_export, cmd_import_notes, cmd_review, cmd_search, review_session
from reader.cli.trash import cmd_delete, cmd_restore, cmd_trash

__all__ = ["build_parser", "main", "review_session"]

MAX_LIMIT = 10_000  # more cards or hits than anyone reads in a terminal


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
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="article files or http(s) URLs; - reads stdin"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per input, per line")
    p.add_argument("--raw", action="store_true", help="skip clip cleanup: analyse text as is")
    p.add_argument(
        "--key-sentences",
        type=key_count,
        metavar="N|P%",
        help="how many key sentences: N, or P%% of the sentences (default: by length)",
    )
    _timeout_option(p)
    _password_option(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "add",
        parents=[common],
        help="import files, folders and web pages (text, Markdown, HTML; http(s) URLs)",
    )
    p.add_argument("paths", nargs="+", metavar="PATH|URL")
    _timeout_option(p)
    _password_option(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("open", parents=[common], help="import an article if needed and read it")
    p.add_argument("path", metavar="PATH|URL")
    _timeout_option(p)
    _password_option(p)
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
    p.add_argument(
        "--limit",
        type=whole_number("--limit", 1, MAX_LIMIT),
        default=None,
        metavar="N",
        help="at most N cards",
    )
    p.add_argument("--now", default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("search", parents=[common], help="full-text search of texts and notes")
    p.add_argument("query", nargs="+", metavar="QUERY", help='words, "a phrase", or prefix*')
    p.add_argument("--json", action="store_true", help="a JSON array of hits")
    p.add_argument(
        "--limit",
        type=whole_number("--limit", 1, MAX_LIMIT),
        default=20,
        metavar="N",
        help="at most N hits (20)",
    )
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

    p = sub.add_parser(
        "delete",
        parents=[common],
        help="move articles with their notes to the trash (kept 30 days)",
        description="Each article goes to the trash with its notes, highlights, review "
        "schedules and progress; `reader restore` puts it back within 30 days.",
    )
    p.add_argument("ids", nargs="+", metavar="ID", help="article ids (see `reader list`)")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("trash", parents=[common], help="list deleted articles (kept 30 days)")
    p.add_argument("--json", action="store_true", help="a JSON array of trash entries")
    p.set_defaults(func=cmd_trash)

    p = sub.add_parser(
        "restore",
        parents=[common],
        help="put a deleted article back with everything it had",
        description="ID is a trash id from `reader trash`, or an article id (its latest delete).",
    )
    p.add_argument("id", metavar="ID")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "reimport",
        parents=[common],
        help="read articles again from their files, keeping their notes",
        description="Each article is read again from the file it was added from; notes, "
        "highlights, the bookmark and review schedules follow to the new text, and any not "
        "found there are kept as detached.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (see `reader list`)")
    p.add_argument("--all", action="store_true", help="every article added from a file")
    p.set_defaults(func=cmd_reimport)

    add_import_parsers(sub, common, _timeout_option)
    add_feed_parser(sub, common)
    return parser


def _timeout_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up fetching a URL after this long (default {DEFAULT_TIMEOUT:g})",
    )


def _password_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password",
        default=None,
        metavar="PASSWORD",
        help="opens password-protected PDFs (tried after the empty password)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    with sanitized_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not hasattr(args, "home"):
            args.home = None
        func = getattr(args, "func", cmd_library)
        return int(func(args))
    except CommandError as exc:
        if exc.message:
            error(exc.message)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        from reader.store import StoreError

        if not isinstance(exc, StoreError):
            raise
        error(str(exc))
        return EXIT_LIBRARY


if __name__ == "__main__":
    raise SystemExit(main())
