"""Settings (settings.json): small JSON values under string keys, such as "theme" and "wpm"."""

from __future__ import annotations

import json
from typing import Any, TypeVar, cast

from reader.store.db import Db
from reader.store.fields import Doc
from reader.store.plain_json import problem

SETTINGS = "settings"

KEY_SENTENCES = "key_sentences"
"""How many key sentences the reading screen shows, as the reader chose with + and -;
unset, each article shows its own default (about three for a news story)."""
MAX_KEY_SENTENCES = 10_000

T = TypeVar("T")


def key_sentence_count(value: object) -> int | None:
    """The stored count if it is one (a whole number from 1 to MAX_KEY_SENTENCES), else None.

    settings.json is a file on the reader's disk: a hand-edited 0, -3 or "ten" means the
    default, never an empty pane or a crash.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_KEY_SENTENCES:
        return value
    return None


class Settings:
    def __init__(self, db: Db) -> None:
        self.db = db

    def _find(self, key: str) -> tuple[int, Doc] | None:
        for doc_id, doc in self.db.raw(SETTINGS).items():
            if doc.get("key") == key:
                return int(doc_id), doc
        return None

    def all(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for doc in self.db.raw(SETTINGS).values():
            key = doc.get("key")
            if isinstance(key, str) and "value" in doc:
                found[key] = doc["value"]
        return dict(sorted(found.items()))

    def get(self, key: str, default: T) -> T:
        """See Library.get_setting: a stored value of the wrong type never reaches the UI."""
        found = self._find(key)
        if found is None or "value" not in found[1]:
            return default
        value = found[1]["value"]
        if default is None:
            return cast(T, value)  # a caller passing None accepts whatever was stored
        if isinstance(value, bool) is not isinstance(default, bool):
            return default
        if isinstance(default, float) and isinstance(value, int | float):
            return cast(T, float(value))
        if isinstance(value, type(default)):
            return value
        return default

    def set(self, key: str, value: object) -> None:
        """Checked to be plain JSON first, so a bad value cannot poison settings.json."""
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"setting {key!r} must be plain JSON data: {exc}") from exc
        wrong = problem(value)
        if wrong is not None:
            raise ValueError(f"setting {key!r} cannot be stored: {wrong}")
        found = self._find(key)
        table = self.db.table(SETTINGS)
        if found is None:
            table.insert({"key": key, "value": value})
        else:
            table.update({"value": value}, doc_ids=[found[0]])
