"""Reading fields back out of raw TinyDB documents.

The files are the reader's and may have been edited or half-restored by hand, so every
field is checked on the way out: a TypeError (or KeyError) marks a document that cannot
become a record, and the caller hides it instead of crashing on it later.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

Doc = dict[str, Any]


def now() -> str:
    """Seconds are enough for "last read" and "edited", and keep the files short."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def opt_str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    raise TypeError("expected a string or null")


def req_str(value: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("expected a string")


def req_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("expected an integer")


def finite(value: object, default: float = 0.0) -> float:
    """Lenient on purpose: a bad number in progress costs a statistic, not the article."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return default
