"""`reader feed add|list|update|remove|import|export`: following RSS and Atom feeds.

The work is elsewhere (reader.study.feeds updates, reader.store keeps, reader.sources
parses); this is the shell's side of it: arguments, the progress bar, the lines printed
and the exit status (0 every feed updated, 1 some failed or the library could not be
written, 2 bad input). Only the standard library is imported at load time.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.common import (
    DEFAULT_TIMEOUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    error,
    is_url,
    one_line,
    open_library,
    printable,
    seconds,
    whole_number,
)
from reader.cli.output import sanitize, sanitized_output, unwrap

if TYPE_CHECKING:
    from reader.sources.feed import ParsedFeed
    from reader.sources.url import Fetched
    from reader.store import Library
    from reader.store.feeds import FeedRecord
    from reader.study.feeds import FeedOutcome, Fetcher, UpdateReport

__all__ = ["add_feed_parser"]

MAX_CONCURRENCY = 64


def add_feed_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """The `feed` command and its subcommands, on the `reader` parser's subparsers."""
    feed = sub.add_parser(
        "feed",
        parents=[common],
        help="follow RSS and Atom feeds: add, list, update, remove, import, export",
        description="New items of the feeds you follow become unread articles, sourced "
        "to their feed; in the library, `feed:NAME` shows one feed's.",
    )
    feed.set_defaults(func=_no_subcommand)
    commands = feed.add_subparsers(dest="feed_command", metavar="SUBCOMMAND")

    p = commands.add_parser(
        "add",
        parents=[common],
        help="follow a feed, by its address or its site's",
        description="URL is a feed, or a page naming its feed (<link rel=alternate>). "
        "Its items are fetched at once.",
    )
    p.add_argument("url", metavar="URL")
    p.add_argument("--tag", action="append", metavar="TAG", help="tag the feed (repeatable)")
    _timeout(p)
    p.set_defaults(func=cmd_feed_add)

    p = commands.add_parser("list", parents=[common], help="the feeds followed")
    p.add_argument("--json", action="store_true", help="a JSON array of feeds")
    p.set_defaults(func=cmd_feed_list)

    p = commands.add_parser(
        "update",
        parents=[common],
        help="fetch new items of every feed (or of those named)",
        description="Exit status 0 when every feed updated, 1 when some failed.",
    )
    p.add_argument("feeds", nargs="*", metavar="ID|URL", help="only these feeds")
    p.add_argument("--json", action="store_true", help="what happened, as one JSON object")
    p.add_argument(
        "--jobs",
        type=whole_number("--jobs", 1, MAX_CONCURRENCY),
        default=8,
        metavar="N",
        help="feeds fetched at once (8)",
    )
    _timeout(p)
    p.set_defaults(func=cmd_feed_update)

    p = commands.add_parser(
        "remove", parents=[common], help="stop following a feed (its articles stay)"
    )
    p.add_argument("feed", metavar="ID|URL")
    p.set_defaults(func=cmd_feed_remove)

    p = commands.add_parser(
        "import", parents=[common], help="follow the feeds of an OPML file (folders become tags)"
    )
    p.add_argument("file", metavar="FILE.opml")
    p.set_defaults(func=cmd_feed_import)

    p = commands.add_parser("export", parents=[common], help="the feeds as OPML 2.0 on stdout")
    p.set_defaults(func=cmd_feed_export)


def _timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--timeout",
        type=seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a feed or a page after this long (default {DEFAULT_TIMEOUT:g})",
    )


def _no_subcommand(args: argparse.Namespace) -> int:
    raise CommandError("feed needs a subcommand: add, list, update, remove, import or export")


# ---------------------------------------------------------------------------- add


def cmd_feed_add(args: argparse.Namespace) -> int:
    from reader.article import InputError

    url = args.url.strip()
    if not is_url(url):
        raise CommandError(f"{printable(url)}: not a web address (http:// or https://)")
    try:
        feed_url, fetched, parsed = _discover(url, args.timeout)
    except InputError as exc:
        raise CommandError(f"{printable(exc.name)}: {exc.problem}") from None
    with open_library(args.home) as library:
        _writable(library, "the feed was not added")
        [(record, added)] = library.add_feeds(
            [(feed_url, parsed.title, parsed.link, args.tag or [])]
        )
        if not added:
            print(f"already following feed {record.id}: {_name(record)}")
            return EXIT_OK
        print(f"following feed {record.id}: {_name(record)}")
        report = _update(library, [record], args.timeout, 8, False, _primed(feed_url, fetched))
    return EXIT_LIBRARY if report.failed else EXIT_OK


def _discover(url: str, timeout: float) -> tuple[str, Fetched, ParsedFeed]:
    """The feed at `url`, or the first feed its page links to that reads as one."""
    from reader.article import InputError
    from reader.sources.feed_discovery import feed_links, looks_like_feed
    from reader.sources.url import fetch

    page = fetch(url, timeout=timeout)
    if looks_like_feed(page.body, page.media_type):
        return url, page, _parsed(url, page)
    links = feed_links(page.body, page.url)
    if not links:
        raise InputError(url, "not a feed, and the page names no RSS or Atom feed")
    problems: list[str] = []
    for link in links:
        try:
            found = fetch(link, timeout=timeout)
            if not looks_like_feed(found.body, found.media_type):
                raise InputError(link, "the page's feed link leads to something else")
            return link, found, _parsed(link, found)
        except InputError as exc:
            problems.append(str(exc))
    raise InputError(url, f"the page names a feed, but it cannot be read ({problems[0]})")


def _parsed(url: str, page: Fetched) -> ParsedFeed:
    from reader.article import InputError
    from reader.sources.feed import parse_feed

    parsed = parse_feed(page.body, url=page.url, headers=page.headers)
    if parsed.problem is not None:
        raise InputError(url, parsed.problem)
    return parsed


def _primed(feed_url: str, fetched: Fetched) -> Fetcher:
    """The fetcher, except that the feed just read is not fetched a second time."""
    from reader.sources.url import fetch

    kept = [fetched]

    def get(url: str, *, timeout: float, headers: Mapping[str, str] | None = None) -> Fetched:
        if url == feed_url and kept:
            return kept.pop()
        return fetch(url, timeout=timeout, headers=headers)

    return get


# ---------------------------------------------------------------------------- list


def cmd_feed_list(args: argparse.Namespace) -> int:
    with open_library(args.home, read_only=True) as library:
        feeds = library.feeds()
        counts = library.feed_counts()
    rows: list[dict[str, Any]] = []
    for feed in feeds:
        count = counts.get(feed.id)
        rows.append(
            {
                "id": feed.id,
                "url": feed.url,
                "title": feed.title,
                "site": feed.site,
                "tags": list(feed.tags),
                "items": count.items if count else 0,
                "unread": count.unread if count else 0,
                "added_at": feed.added_at,
                "updated_at": feed.updated_at,
                "checked_at": feed.checked_at,
                "failures": feed.failures,
                "failing": feed.failing,
                "last_error": feed.last_error,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("No feeds yet. Follow one with: reader feed add URL")
        return EXIT_OK
    titles = [one_line(feed.title or "(untitled)") for feed in feeds]
    width = min(40, max(5, *(len(t) for t in titles)))
    print(f"{'ID':>4}  {'TITLE':<{width}}  {'ITEMS':>5}  {'UNREAD':>6}  {'UPDATED':<16}  URL")
    for row, title in zip(rows, titles, strict=True):
        title = title if len(title) <= width else title[: width - 1] + "…"
        updated = _when(row["updated_at"])
        print(
            f"{row['id']:>4}  {title:<{width}}  {row['items']:>5}  {row['unread']:>6}  "
            f"{updated:<16}  {row['url']}"
        )
        if row["failing"]:
            print(
                f"{'':>4}  failing: {row['failures']} updates in a row, last: {row['last_error']}"
            )
    return EXIT_OK


def _when(stamp: str | None) -> str:
    return "never" if not stamp else stamp[:16].replace("T", " ")


# ---------------------------------------------------------------------------- update


def cmd_feed_update(args: argparse.Namespace) -> int:
    from reader.store import NotFound

    with open_library(args.home) as library:
        _writable(library, "no feed was updated")
        try:
            chosen = [library.find_feed(name) for name in args.feeds] or library.feeds()
        except NotFound as exc:
            raise CommandError(str(exc)) from None
        if not chosen:
            if args.json:
                print(json.dumps(_report_json(None), indent=2))
            else:
                print("No feeds yet. Follow one with: reader feed add URL")
            return EXIT_OK
        report = _update(library, chosen, args.timeout, args.jobs, args.json, None)
    return EXIT_LIBRARY if report.failed else EXIT_OK


def _update(
    library: Library,
    feeds: list[FeedRecord],
    timeout: float,
    jobs: int,
    as_json: bool,
    fetch: Fetcher | None,
) -> UpdateReport:
    from reader.study.feeds import update_feeds

    with _progress(len(feeds)) as advance:

        def told(done: int, total: int, feed: FeedRecord, outcome: FeedOutcome) -> None:
            if outcome.error:
                error(outcome.error)
            for note in outcome.notes:
                error(note)
            advance(done, _name(feed))

        report = update_feeds(
            library, feeds, fetch=fetch, concurrency=jobs, timeout=timeout, on_progress=told
        )
    if as_json:
        print(json.dumps(_report_json(report), ensure_ascii=False, indent=2))
    else:
        print(_summary(report))
    return report


def _summary(report: UpdateReport) -> str:
    statuses = [o.status for o in report.outcomes]
    parts = [f"{report.new} new {'item' if report.new == 1 else 'items'}"]
    parts.append(f"{statuses.count('updated')} updated")
    parts.append(f"{statuses.count('not modified')} unchanged")
    if report.failed:
        parts.append(f"{len(report.failed)} failed")
    return ", ".join(parts)


def _report_json(report: UpdateReport | None) -> dict[str, Any]:
    outcomes = report.outcomes if report is not None else []
    return {
        "new": report.new if report is not None else 0,
        "failed": len(report.failed) if report is not None else 0,
        "feeds": [
            {
                "id": o.feed.id,
                "url": o.feed.url,
                "title": o.feed.title,
                "status": o.status,
                "new": o.new,
                "error": o.error,
                "notes": list(o.notes),
            }
            for o in outcomes
        ],
    }


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A bar on stderr while feeds are fetched, on a terminal only; lines printed meanwhile
    go through Rich's redirection above it."""
    if not sys.stderr.isatty():
        yield lambda done, what: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=unwrap(sys.stderr))
    columns = (
        TextColumn("Updating feeds"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", markup=False),
    )
    with (
        Progress(*columns, console=console, transient=True, redirect_stdout=False) as progress,
        sanitized_output(),
    ):
        task = progress.add_task("", total=total)

        def advance(done: int, what: str) -> None:
            progress.update(task, completed=done, description=sanitize(printable(what)))

        yield advance


# ---------------------------------------------------------------------------- the rest


def cmd_feed_remove(args: argparse.Namespace) -> int:
    from reader.store import NotFound

    with open_library(args.home) as library:
        _writable(library, "no feed was removed")
        try:
            feed = library.find_feed(args.feed)
        except NotFound as exc:
            raise CommandError(str(exc)) from None
        library.remove_feed(feed.id)
        kept = library.feed_counts().get(feed.id)
    print(
        f"stopped following {_name(feed)}"
        + (f"; its {kept.items} articles stay in the library" if kept else "")
    )
    return EXIT_OK


def cmd_feed_import(args: argparse.Namespace) -> int:
    from reader.article import InputError
    from reader.sources.opml import read_opml

    path = Path(args.file)
    try:
        data = path.read_bytes()
        found = read_opml(data, name=str(printable(path)))
    except OSError as exc:
        raise CommandError(f"{printable(path)}: cannot read it ({exc.strerror or exc})") from None
    except InputError as exc:
        raise CommandError(f"{exc.name}: {exc.problem}") from None
    if not found:
        raise CommandError(f"{printable(path)}: no feeds in this OPML file")
    with open_library(args.home) as library:
        _writable(library, "no feed was imported")
        results = library.add_feeds((f.url, f.title, None, f.folders) for f in found)
    added = sum(1 for _, new in results if new)
    known = len({record.id for record, _ in results}) - added
    print(
        f"{added} {'feed' if added == 1 else 'feeds'} added, {known} already followed; "
        "fetch their items with: reader feed update"
    )
    return EXIT_OK


def cmd_feed_export(args: argparse.Namespace) -> int:
    from reader.sources.opml import write_opml

    with open_library(args.home, read_only=True) as library:
        feeds = library.feeds()
    sys.stdout.write(write_opml((f.url, f.title, f.tags) for f in feeds))
    return EXIT_OK


def _writable(library: Library, what: str) -> None:
    if library.read_only:
        raise CommandError(what, EXIT_LIBRARY)


def _name(feed: FeedRecord) -> str:
    return f"{one_line(feed.title)} ({feed.url})" if feed.title else feed.url
