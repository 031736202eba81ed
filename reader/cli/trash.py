"""`reader delete`, `reader trash`, `reader restore`: deletes that can be undone for 30 days.

`trash` only reads, so it takes no lock (see reader.cli.common.open_library). An id that
names nothing is bad input (exit 2, nothing changed); a library that cannot be changed is
exit 1, in one line each.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import TYPE_CHECKING

from reader.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_LIBRARY,
    EXIT_OK,
    CommandError,
    one_line,
    open_library,
    printable,
)

if TYPE_CHECKING:
    from reader.store import Library
    from reader.store.trash import TrashEntry

_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
_ENTRY_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{16}(?:-[1-9][0-9]{0,5})?")


def _writable(library: Library, what: str) -> None:
    if library.read_only:
        raise CommandError(f"nothing was {what}", EXIT_LIBRARY)


def cmd_delete(args: argparse.Namespace) -> int:
    for given in args.ids:
        if not _ARTICLE_ID.fullmatch(given):
            raise CommandError(
                f"{printable(given)} is not an article id (16 hex digits; see `reader list`); "
                "nothing was deleted"
            )
    with open_library(args.home) as library:
        _writable(library, "deleted")
        known = {r.id for r in library.articles()}
        for given in args.ids:
            if given not in known:
                raise CommandError(
                    f"there is no article {given} in the library (see `reader list`); "
                    "nothing was deleted"
                )
        for given in dict.fromkeys(args.ids):
            entry = library.delete(given)
            with_it = f" with {entry.contents}" if entry.contents else ""
            print(f"deleted  {one_line(entry.title)}{with_it}")
            print(f"         undo: reader restore {entry.id}")
    return EXIT_OK


def _entry_json(entry: TrashEntry) -> dict[str, object]:
    row: dict[str, object] = {
        "id": entry.id,
        "article_id": entry.article_id,
        "title": entry.title,
        "deleted_at": entry.deleted_at,
        "notes": entry.notes,
        "highlights": entry.highlights,
        "review_cards": entry.cards,
    }
    if entry.damaged:
        row["damaged"] = entry.damaged
    return row


def cmd_trash(args: argparse.Namespace) -> int:
    with open_library(args.home, read_only=True) as library:
        entries = library.trash()
    if args.json:
        print(json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not entries:
        print("The trash is empty.")
        return EXIT_OK
    titles = [one_line(e.title) for e in entries]
    width = min(50, max(len(t) for t in titles))
    print(f"{'ID':<35}  {'DELETED':<16}  {'TITLE':<{width}}  WITH")
    for entry, title in zip(entries, titles, strict=True):
        title = title if len(title) <= width else title[: width - 1] + "…"
        when = entry.deleted_at[:16].replace("T", " ")
        with_it = f"cannot be read: {one_line(entry.damaged)}" if entry.damaged else entry.contents
        print(f"{entry.id:<35}  {when:<16}  {title:<{width}}  {with_it or '—'}".rstrip())
    print("Deleted articles are kept 30 days. Put one back with: reader restore ID")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from reader.store import NotFound

    given = args.id
    if not (_ENTRY_ID.fullmatch(given) or _ARTICLE_ID.fullmatch(given)):
        raise CommandError(
            f"{printable(given)} is not a trash id (see `reader trash`) nor an article id"
        )
    with open_library(args.home) as library:
        _writable(library, "restored")
        entry_id = given
        if _ARTICLE_ID.fullmatch(given):  # an article id: its newest delete
            found = [e.id for e in library.trash() if e.article_id == given]
            if not found:
                raise CommandError(
                    f"article {given} is not in the trash (see `reader trash`)", EXIT_BAD_INPUT
                )
            entry_id = found[0]
        try:
            result = library.restore_deleted(entry_id)
        except NotFound as exc:
            raise CommandError(f"{exc} See `reader trash`.", EXIT_BAD_INPUT) from None
    print(result.message)
    return EXIT_OK
