"""Reading back what a damaged library index still holds.

A library.json cut short by a full disk, or with garbage in the middle, usually still
holds most of its records intact: the tags, origins and dates added that the article
texts cannot give back. Each record is an object under a numeric key
(`"123":{"id":…}`), so every such object is tried on its own; those that decode and pass
the index's schema are kept, the rest are skipped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reader.store.schema import record_problem

_RECORD = re.compile(r'"([1-9][0-9]{0,19})"\s*:\s*(?=\{)')


def salvage_records(raw: bytes, table: str) -> dict[str, dict[str, Any]]:
    """Records of `table` that can still be read from a damaged file, by document id."""
    text = raw.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    found: dict[str, dict[str, Any]] = {}
    for match in _RECORD.finditer(text):
        try:
            doc, _ = decoder.raw_decode(text, match.end())
        except (ValueError, RecursionError):
            continue
        key = match.group(1)
        if record_problem(table, key, doc) is None:
            found[key] = doc
    return found
