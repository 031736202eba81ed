"""Datelines as clips spell them, read into ISO 8601 without inventing a timezone.

A dateline can be recognised (so the line is dropped as metadata) without being
resolvable ("3 hours ago", "02/03/2024"): those give None rather than a guess.
"""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["is_date", "parse_date"]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"
)
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
_TZ = (
    r"(?:\(?(?:utc|gmt)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?"
    r"|\(?(?:bst|cet|cest|eet|eest|wet|west|e[sd]?t|c[sd]?t|m[sd]?t|p[sd]?t|aest|aedt|awst"
    r"|ist|jst|kst|hkt|sgt|nzst|nzdt|msk)\)?"
    r"|z|[+-]\d{2}:?\d{2})"
)
_TIME = (
    r"(?:(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\.?)?"
    r"|(?P<h2>\d{1,2})\s*(?P<ap2>[ap])\.?\s?m\.?)"
    rf"(?:\s*{_TZ})?"
)
_DATES = (
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})",
    r"(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})",
    rf"(?P<mn>{_MONTH})\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})",
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?P<mn>{_MONTH}),?[\s-]+(?P<y>\d{{4}})",
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})",
)
_WD = rf"(?:{_WEEKDAY},?\s+)?"
_JOIN_AFTER = r"(?:\s*[,|•·@–—-]\s*|\s+)(?:at\s+)?"
_JOIN_BEFORE = r"(?:\s*[,|•·–—-]\s*|\s+)(?:on\s+)?"

_PATTERNS = [
    re.compile(rf"{_WD}{date}(?:(?:T|{_JOIN_AFTER}){_TIME})?", re.IGNORECASE) for date in _DATES
] + [re.compile(rf"{_TIME}{_JOIN_BEFORE}{_WD}{date}", re.IGNORECASE) for date in _DATES]

_PLAIN_TIME = re.sub(r"\(\?P<\w+>", "(?:", _TIME)
_RELATIVE = re.compile(
    r"(?:(?:\d+|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|m|days?|d|weeks?|wks?"
    r"|months?|years?|yrs?)\s+ago|just\s+now|moments\s+ago"
    rf"|(?:today|yesterday)(?:{_JOIN_AFTER}{_PLAIN_TIME})?"
    rf"|{_PLAIN_TIME}\s+(?:today|yesterday)"
    rf"|{_MONTH},?\s+\d{{4}})",  # "February 2024": a date, but not a day
    re.IGNORECASE,
)


def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    year = int(groups["y"])
    if groups.get("mn"):
        month = _MONTHS[groups["mn"][:3].lower()]
        day = int(groups["d"])
    elif groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        if groups["sep"] == "." or a > 12 >= b:  # dotted dates (20.02.2024) are day-first
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        elif a == b:
            day = month = a
        else:
            return None  # 02/03/2024: March or February? Not ours to guess.
    else:
        month, day = int(groups["m"]), int(groups["d"])
    hour_text = groups.get("h") or groups.get("h2")
    try:
        if hour_text is None:
            return datetime(year, month, day).date().isoformat()
        hour = int(hour_text)
        minute = int(groups.get("mi") or 0)
        second = int(groups.get("s") or 0)
        ampm = (groups.get("ap") or groups.get("ap2") or "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "p" else 0)
        return datetime(year, month, day, hour, minute, second).isoformat()
    except ValueError:
        return None


def _match(text: str) -> tuple[bool, str | None]:
    text = text.strip().rstrip(".").strip()
    for pattern in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return True, _iso(m)
    if _RELATIVE.fullmatch(text):
        return True, None
    return False, None


def is_date(text: str) -> bool:
    """True if `text` is nothing but a date or a time (absolute or relative)."""
    return _match(text)[0]


def parse_date(text: str) -> str | None:
    """ISO 8601 for a text that is nothing but a date (optionally with a time), else None.

    Weekdays and timezones are accepted and dropped: the time is kept as written.
    """
    return _match(text)[1]
