"""One TinyDB file of a home, opened so that damage becomes a notice, not a crash."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import cast

from tinydb import TinyDB
from tinydb.table import Document, Table

from reader.plural import counted
from reader.store.errors import StoreError
from reader.store.fields import Doc
from reader.store.fileio import copy_aside, rename_aside
from reader.store.storage import AtomicJSONStorage, CorruptDatabase


class Db:
    """One TinyDB file with its caching atomic storage."""

    def __init__(self, path: Path, read_only: bool) -> None:
        self.path = path
        self.db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only)
        self.storage = cast(AtomicJSONStorage, self.db.storage)
        self.damaged = False
        self.aside: Path | None = None  # where the damaged original was kept, if it was

    def raw(self, table: str) -> dict[str, Doc]:
        """The table's documents by id string, straight from the cache: never mutate it.

        Reads go through here rather than TinyDB's queries, which build a Document per
        row: listing 5,000 articles stays a loop over dicts.
        """
        data = self.storage.read()
        if not data:
            return {}
        return data.get(table, {})

    def table(self, name: str) -> Table:
        return self.db.table(name)

    def insert_replacing(self, table: str, batch: list[Document]) -> None:
        """Insert with the documents' own ids, dropping any older document under those ids.

        Two writes at most, however large the batch: for restores and derived data.
        """
        present = self.raw(table)
        stale = [d.doc_id for d in batch if str(d.doc_id) in present]
        if stale:
            self.table(table).remove(doc_ids=stale)
        self.table(table).insert_multiple(batch)

    def set_read_only(self, read_only: bool) -> None:
        self.storage.read_only = read_only
        self.storage.forget()


def open_db(
    path: Path,
    *,
    read_only: bool,
    notices: list[str],
    what: str,
    after: str,
    after_read_only: str,
) -> Db:
    """Open a file, keeping a damaged one aside and telling the reader in `notices`.

    `what` names the file for the reader; `after` says what happens now that its content is
    gone, `after_read_only` what this window shows instead (it may not move the file).
    The Db is marked `damaged` so the caller can try to recover what the file held.
    """
    db = Db(path, read_only)
    try:
        db.storage.read()
    except CorruptDatabase as exc:
        db.damaged = True
        if read_only:
            db.storage.accept_empty()
            db.storage.before_write = functools.partial(_keep_copy, path)  # if it gets writable
            notices.append(f"{what} cannot be read: {exc}; {after_read_only}.")
        else:
            aside = db.aside = rename_aside(path)
            db.storage.forget()
            notices.append(
                f"{what} could not be read: {exc}. The damaged file was kept as "
                f"{aside.name} and {after}."
            )
    except OSError as exc:
        raise StoreError(
            f"Cannot read {path} ({exc.strerror or exc}); check the folder's permissions."
        ) from exc
    else:
        if db.storage.set_aside:
            _set_records_aside(db, read_only=read_only, notices=notices, what=what)
    return db


def _keep_copy(path: Path) -> None:
    copy_aside(path)


def _set_records_aside(db: Db, *, read_only: bool, notices: list[str], what: str) -> None:
    """Records the schema refused: keep the file as it was, then drop them from it.

    The original bytes are copied to `<name>.corrupt-<stamp>` before the file is first
    rewritten without them, so nothing the reader had is ever lost; a window that may
    not write only hides them.
    """
    aside = db.storage.set_aside
    db.damaged = True
    count = len(aside)
    records = counted(count, "record")
    were, are = ("was", "is") if count == 1 else ("were", "are")
    why = aside[0].reason
    path = db.path
    keep_original = functools.partial(_keep_copy, path)
    if read_only:
        db.storage.before_write = keep_original  # should the window become writable
        notices.append(f"{what}: {records} cannot be read ({why}) and {are} hidden here.")
        return

    try:
        kept = db.aside = copy_aside(path)
        db.storage.rewrite()
    except OSError:
        db.storage.before_write = keep_original  # tried again before the file is replaced
        notices.append(
            f"{what}: {records} cannot be read ({why}) and {are} hidden; the file is left as "
            "it is until a copy of it can be kept (the disk refused one)."
        )
        return
    notices.append(
        f"{what}: {records} could not be read ({why}) and {were} set aside; the file as it "
        f"was is kept as {kept.name} and everything else is intact."
    )
