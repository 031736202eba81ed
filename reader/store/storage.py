"""A TinyDB Storage that never leaves a half-written database, and reads only when needed.

TinyDB's JSONStorage truncates and rewrites the file in place (a crash mid-write loses the
database) and re-parses the whole file on every query. This storage

* writes atomically (see reader.store.fileio): a kill -9 at any moment leaves the file as it
  was after the last completed write;
* keeps the last data it read or wrote and re-parses only when the file on disk changed
  (its inode, size or mtime differ). The lock holder is the only writer, so for it every
  read after the first is free; a read-only window still sees the writer's changes;
* checks the shape TinyDB relies on ({table: {doc_id: {...}}}) and raises CorruptDatabase
  instead of letting TinyDB fail later in some unrelated call.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from reader.store.errors import ReadOnlyError
from reader.store.fileio import link_old_version, unlink_later, write_atomic

Tables = dict[str, dict[str, dict[str, Any]]]
_Signature = tuple[int, int, int]


class CorruptDatabase(Exception):
    """The file exists but is not a TinyDB database; str() says why, in plain words."""


def _signature(path: Path) -> _Signature | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def parse_tables(raw: bytes) -> Tables:
    """Decode and check a database file's bytes; raises CorruptDatabase."""
    if not raw.strip():
        raise CorruptDatabase("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorruptDatabase(f"it is not text (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise CorruptDatabase(f"it is not valid JSON (line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise CorruptDatabase("it does not hold tables")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptDatabase(f"its table {name!r} is not a table")
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise CorruptDatabase(f"its table {name!r} holds a malformed record")
    return data


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self._data: Tables | None = None
        self._signature: _Signature | None = None
        self._loaded = False
        self.writes = 0

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
            data = parse_tables(raw)
        self._data, self._signature, self._loaded = data, signature, True
        return data

    def write(self, data: Tables) -> None:
        if self.read_only:
            self.forget()  # TinyDB may have changed the cached dict before calling us
            raise ReadOnlyError("This library is read-only here, so the change was not saved.")
        old = link_old_version(self.path) if self._signature is not None else None
        try:
            payload = json.dumps(data, separators=(",", ":")).encode("ascii")
            write_atomic(self.path, payload)
        except BaseException:
            self.forget()
            raise
        finally:
            if old is not None:
                unlink_later(old)
        self._data, self._signature, self._loaded = data, _signature(self.path), True
        self.writes += 1

    def accept_empty(self) -> None:
        """Treat the file as empty until it changes (a damaged file we may not move aside)."""
        self._data, self._signature, self._loaded = None, _signature(self.path), True

    def forget(self) -> None:
        self._data, self._signature, self._loaded = None, None, False

    def close(self) -> None:
        self.forget()
