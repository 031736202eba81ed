"""`reader reimport`: read articles again from their files, through today's readers.

For articles added before a format was read as well as now (a Markdown guide stored as
flat paragraphs, a page whose extraction has improved). Notes, highlights, the bookmark
and review schedules follow to the new text (reader.study.reimport); what cannot be found
there is kept, marked detached, and counted. Articles that came from URLs or stdin have no
file to read again and are named as such.
"""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from reader.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    error,
    one_line,
    open_library,
    printable,
)
from reader.plural import counted

if TYPE_CHECKING:
    from reader.study.reimport import Reimported

_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")


def cmd_reimport(args: argparse.Namespace) -> int:
    from reader.study.reimport import reimport

    if not args.ids and not args.all:
        raise CommandError("name the articles to read again (ids from `reader list`) or --all")
    for given in args.ids:
        if not _ARTICLE_ID.fullmatch(given):
            raise CommandError(
                f"{printable(given)} is not an article id (16 hex digits; see `reader list`); "
                "nothing was changed"
            )
    with open_library(args.home) as library:
        if library.read_only:
            raise CommandError("nothing was changed", EXIT_LIBRARY)
        records = {r.id: r for r in library.articles()}
        missing = [given for given in args.ids if given not in records]
        if missing:
            raise CommandError(
                f"there is no article {missing[0]} in the library (see `reader list`); "
                "nothing was changed"
            )
        named = [records[given] for given in dict.fromkeys(args.ids)]
        chosen = list(records.values()) if args.all else named
        result = reimport(library, chosen)
    report(result)
    return EXIT_BAD_INPUT if result.skipped and not args.all else EXIT_OK


def report(result: Reimported) -> None:
    for retexted in result.changed:
        line = f"read again  {retexted.old_id} -> {retexted.new_id}"
        if retexted.detached:
            lost = counted(retexted.detached, "note or highlight", "notes or highlights")
            line += f"; {lost} not found in the new text, kept as detached"
        print(line)
    for record, why in result.skipped:
        error(f"{one_line(record.title)} ({record.id}) was not read again: {why}")
    print(
        f"{counted(len(result.changed), 'article')} read again, "
        f"{result.unchanged} unchanged, {len(result.skipped)} left as they were"
    )
