"""A TinyDB Storage that never leaves a half-written database, and reads only when needed.

TinyDB's JSONStorage truncates and rewrites the file in place (a crash mid-write loses the
database) and re-parses the whole file on every query. This storage

* writes atomically (see reader.store.fileio): a kill -9 at any moment leaves the file as it
  was after the last completed write;
* keeps the last data it read or wrote and re-parses only when the file on disk changed
  (its inode, size or mtime differ). The lock holder is the only writer, so for it every
  read after the first is free; a read-only window still sees the writer's changes;
* checks the shape TinyDB relies on ({table: {doc_id: {...}}}) and raises CorruptDatabase
  instead of letting TinyDB fail later in some unrelated call, and checks every record
  against reader.store.schema: a record that cannot be used is left out of the tables
  (listed in `set_aside` for the caller to keep and report), never handed to TinyDB.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from reader.store import fileio, plain_json
from reader.store.errors import ReadOnlyError
from reader.store.fileio import commit_temp, fsync_dir, link_old_version, unlink_later
from reader.store.schema import record_problem

Tables = dict[str, dict[str, dict[str, Any]]]
_Signature = tuple[int, int, int]


class CorruptDatabase(Exception):
    """The file exists but is not a TinyDB database; str() says why, in plain words."""


def _signature(path: Path) -> _Signature | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a folder of the home replaced by a file
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class SetAside:
    """A record left out of a file's tables because it cannot be used (see schema)."""

    table: str
    key: str
    reason: str


def parse_tables(raw: bytes) -> tuple[Tables, list[SetAside]]:
    """Decode and check a database file's bytes: its usable tables and the records left
    out of them. Raises CorruptDatabase when the file as a whole is unusable."""
    if not raw.strip():
        raise CorruptDatabase("the file is empty")
    try:
        data = plain_json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorruptDatabase(f"it is not text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise CorruptDatabase(f"it is not valid JSON (line {exc.lineno})") from exc
    except plain_json.TooDeep as exc:
        raise CorruptDatabase(str(exc)) from exc
    if not isinstance(data, dict):
        raise CorruptDatabase("it does not hold tables")
    aside: list[SetAside] = []
    for name, table in data.items():
        if not isinstance(table, dict) or plain_json.has_lone_surrogate(name):
            raise CorruptDatabase("it holds something that is not a table")
        bad = [(key, why) for key, doc in table.items() if (why := record_problem(name, key, doc))]
        for key, why in bad:
            del table[key]
            aside.append(SetAside(name, key, why))
    return data, aside


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._data: Tables | None = None
        self._signature: _Signature | None = None
        self._loaded = False
        self.writes = 0
        self.set_aside: list[SetAside] = []
        self.before_write: Callable[[], None] | None = None
        self._staging = False
        self._pending: Tables | None = None

    def read(self) -> Tables | None:
        """The database as TinyDB wants it; None for a database never written.

        TinyDB mutates the returned dict and hands it straight back to `write`; if that
        write fails the cached copy is dropped so the next read comes from disk.
        """
        signature = _signature(self.path)
        if self._loaded and signature == self._signature:
            return self._data
        if signature is None:
            data = None
        else:
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                return self.read()  # replaced between stat and open: take the new one
            data, self.set_aside = parse_tables(raw)
        self._data, self._signature, self._loaded = data, signature, True
        return data

    def write(self, data: Tables) -> None:
        if self.read_only:
            self.forget()  # TinyDB may have changed the cached dict before calling us
            raise ReadOnlyError("This library is read-only here, so the change was not saved.")
        if self._staging:
            self._data, self._loaded, self._pending = data, True, data
            return
        tmp = self._prepare(data)
        self._finish(tmp, data)

    def _prepare(self, data: Tables) -> Path:
        """Phase one of a write: the new contents in a temporary file beside the old."""
        try:
            if self.before_write is not None:
                self.before_write()  # e.g. keep the damaged original aside before replacing it
                self.before_write = None
            payload = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("ascii")
            return fileio.write_temp(self.path, payload)
        except BaseException:
            self.forget()
            raise

    def _finish(self, tmp: Path, data: Tables) -> None:
        """Phase two: the temporary file replaces the old one."""
        old = link_old_version(self.path) if self._signature is not None else None
        try:
            commit_temp(tmp, self.path)
            fsync_dir(self.path.parent)
        except BaseException:
            self.forget()
            raise
        finally:
            if old is not None:
                unlink_later(old)
        self._data, self._signature, self._loaded = data, _signature(self.path), True
        self.writes += 1

    # A staged change (see reader.store.staging) keeps every write of several files in
    # memory, then writes them all to temporary files, and only when every one of them
    # is on disk renames them into place: a full disk or a refused folder part-way
    # through changes no file at all.

    def begin(self) -> None:
        self._staging, self._pending = True, None

    def prepare(self) -> Path | None:
        """The staged contents written to a temporary file; None if nothing changed."""
        if self._pending is None:
            return None
        return self._prepare(self._pending)

    def finish(self, tmp: Path | None) -> None:
        data, self._staging, self._pending = self._pending, False, None
        if tmp is not None and data is not None:
            self._finish(tmp, data)

    def abandon(self) -> None:
        """Drop the staged contents: the next read comes from disk again."""
        if self._pending is not None:
            self.forget()
        self._staging, self._pending = False, None

    def rewrite(self) -> None:
        """Write the tables as they were read (without the records set aside)."""
        data = self.read()
        if data is not None:
            self.write(data)

    def show(self, data: Tables) -> None:
        """Answer reads with `data` until the file changes, without writing it: what a
        read-only window recovered from a damaged file."""
        self._data, self._signature, self._loaded = data, _signature(self.path), True

    def accept_empty(self) -> None:
        """Treat the file as empty until it changes (a damaged file we may not move aside)."""
        self._data, self._signature, self._loaded = None, _signature(self.path), True

    def forget(self) -> None:
        self._data, self._signature, self._loaded = None, None, False

    def close(self) -> None:
        self.forget()
