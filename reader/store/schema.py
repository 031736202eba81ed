"""What each table of a home may hold, checked record by record as its file is read.

A file that parses but holds one bad record (a note whose offsets are text, a review date
of year 300,000, a key that is not a number) must not cost the other records, nor crash
whichever command meets it later. So every record is checked here, once, when its file is
read: the bad ones are set aside (see reader.store.db) and everything downstream can rely
on the types below. Tables nobody knows (a newer version's) get only the generic check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeGuard

from reader.store.plain_json import problem

Doc = dict[str, Any]
Check = Callable[[str, Doc], "str | None"]

_KEY = re.compile(r"[1-9][0-9]{0,19}")
_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
_CARD = re.compile(r"h[1-9][0-9]{0,17}|n[1-9][0-9]{0,17}|k[0-9a-f]{16}:[0-9]{1,12}-[0-9]{1,12}")
# What datetime can hold (years 1 to 9999), as POSIX seconds.
MIN_TIME = -62_135_596_800.0
MAX_TIME = 253_402_300_799.0


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> TypeGuard[int | float]:
    return (is_int(value) or isinstance(value, float)) and math.isfinite(value)


def _str(value: object) -> bool:
    return isinstance(value, str)


def _opt_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _article_id(value: object) -> bool:
    return isinstance(value, str) and _ARTICLE_ID.fullmatch(value) is not None


def _keyed_by_article(key: str, value: object) -> str | None:
    if not _article_id(value):
        return "its article id is malformed"
    if str(int(str(value), 16)) != key:
        return "it is filed under another article's number"
    return None


def _article(key: str, doc: Doc) -> str | None:
    wrong = _keyed_by_article(key, doc.get("id"))
    if wrong:
        return wrong
    if not _str(doc.get("title")):
        return "it has no title"
    for name in ("author", "published", "source", "url", "origin"):
        if not _opt_str(doc.get(name)):
            return f"its {name} is not text"
    words = doc.get("words", 0)
    if not is_int(words) or words < 0:
        return "its word count is not a whole number"
    if not _str(doc.get("added_at", "")):
        return "its date added is not text"
    tags = doc.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return "its tags are not a list of words"
    feed = doc.get("feed")
    if feed is not None and (not is_int(feed) or feed < 1):
        return "its feed is not a feed number"
    return None


def _progress(key: str, doc: Doc) -> str | None:
    wrong = _keyed_by_article(key, doc.get("article_id"))
    if wrong:
        return wrong
    position = doc.get("position", 0)
    if not is_int(position) or position < 0:
        return "its position is not a whole number"
    for name in ("progress", "furthest", "seconds_read"):
        value = doc.get(name, 0)
        if not is_number(value) or value < 0:
            return f"its {name.replace('_', ' ')} is not a number ≥ 0"
    anchor = doc.get("anchor", 0)
    if not is_int(anchor) or anchor < 0:
        return "its screen anchor is not a whole number"
    if not _opt_str(doc.get("last_read")):
        return "its last-read date is not text"
    if not isinstance(doc.get("finished", False), bool):
        return "its finished mark is not true or false"
    if not isinstance(doc.get("read_elsewhere", False), bool):
        return "its read-elsewhere mark is not true or false"
    return None


def _span(doc: Doc, *, empty_ok: bool) -> str | None:
    start, end = doc.get("start"), doc.get("end")
    if not (is_int(start) and is_int(end)) or start < 0 or end < start:
        return "its place in the text is not a span"
    if end == start and not empty_ok:
        return "it covers no text"
    return None


def _annotation(field: str, *, required: bool, empty_ok: bool) -> Check:
    def check(key: str, doc: Doc) -> str | None:
        if not _article_id(doc.get("article_id")):
            return "its article id is malformed"
        wrong = _span(doc, empty_ok=empty_ok)
        if wrong:
            return wrong
        if not _str(doc.get(field) if required else doc.get(field, "")):
            return f"its {field} is not text"
        if not (_str(doc.get("created_at", "")) and _str(doc.get("updated_at", ""))):
            return "its dates are not text"
        quote = doc.get("quote", {})
        if not isinstance(quote, dict) or not all(_str(v) for v in quote.values()):
            return "its quote is not text"
        if not isinstance(doc.get("detached", False), bool):
            return "its detached mark is not true or false"
        return None

    return check


def _card(key: str, doc: Doc) -> str | None:
    card = doc.get("card")
    if not isinstance(card, str) or _CARD.fullmatch(card) is None:
        return "its card id is malformed"
    if not _article_id(doc.get("article_id")):
        return "its article id is malformed"
    due = doc.get("due")
    if not is_number(due) or not MIN_TIME <= due <= MAX_TIME:
        return "its due date is not a time reader can hold"
    state = doc.get("state")
    if not isinstance(state, dict):
        return "its schedule is not an object"
    for value in state.values():
        if isinstance(value, float) and not math.isfinite(value):
            return "its schedule holds a number that is not finite"
    return None


def _keys(key: str, doc: Doc) -> str | None:
    wrong = _keyed_by_article(key, doc.get("article_id"))
    if wrong:
        return wrong
    if not _str(doc.get("version")):
        return "its analyzer version is not text"
    spans = doc.get("spans")
    if not isinstance(spans, list):
        return "its spans are not a list"
    for span in spans:
        if not (
            isinstance(span, list)
            and len(span) == 2
            and is_int(span[0])
            and is_int(span[1])
            and 0 <= span[0] < span[1]
        ):
            return "a key-sentence span is not two offsets"
    return None


def _counters(key: str, doc: Doc) -> str | None:
    for name, value in doc.items():
        if not is_int(value) or value < 1:
            return f"its {name} counter is not a whole number ≥ 1"
    return None


def _setting(key: str, doc: Doc) -> str | None:
    return None if _str(doc.get("key")) and "value" in doc else "it is not a key and a value"


ENTITY_KINDS = ("PERSON", "ORG", "PLACE", "MISC")
MAX_ENTITY_NAME = 500


def entity_correction_problem(doc: Doc) -> str | None:
    """Why a stored or imported entity correction cannot be used, or None."""
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_ENTITY_NAME:
        return f"its name is not a name of 1 to {MAX_ENTITY_NAME} characters"
    if doc.get("label") is not None and doc.get("label") not in ENTITY_KINDS:
        return "its kind is not one of " + ", ".join(ENTITY_KINDS)
    if not isinstance(doc.get("hidden", False), bool):
        return "its hidden mark is not true or false"
    if not isinstance(doc.get("updated_at", ""), str):
        return "its date is not text"
    return None


def _entity_correction(key: str, doc: Doc) -> str | None:
    return entity_correction_problem(doc)


def _feed(key: str, doc: Doc) -> str | None:
    if not _str(doc.get("url")) or not doc["url"]:
        return "it has no address"
    for name in ("title", "site", "etag", "last_modified", "updated_at", "checked_at"):
        if not _opt_str(doc.get(name)):
            return f"its {name.replace('_', ' ')} is not text"
    if not _opt_str(doc.get("last_error")) or not _str(doc.get("added_at", "")):
        return "its last error or date added is not text"
    tags = doc.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return "its tags are not a list of words"
    failures = doc.get("failures", 0)
    if not is_int(failures) or failures < 0:
        return "its failure count is not a whole number"
    return None


def _feed_item(key: str, doc: Doc) -> str | None:
    feed = doc.get("feed")
    if not is_int(feed) or feed < 1:
        return "its feed is not a feed number"
    if not all(_opt_str(doc.get(name)) for name in ("guid", "link", "hash")):
        return "its keys are not text"
    article = doc.get("article")
    if article is not None and not _article_id(article):
        return "its article id is malformed"
    return None


def _waiting(key: str, doc: Doc) -> str | None:
    """A link waiting for its text (reader.store.waiting)."""
    if not _str(doc.get("url")) or not doc["url"]:
        return "it has no address"
    for name in ("title", "added", "source", "last_error", "last_try"):
        if not _opt_str(doc.get(name)):
            return f"its {name.replace('_', ' ')} is not text"
    for name in ("tags", "selections"):
        values = doc.get(name) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return f"its {name} are not a list of text"
    if doc.get("status", "unread") not in ("unread", "archived"):
        return "its status is not unread or archived"
    if not isinstance(doc.get("starred", False), bool):
        return "its starred mark is not true or false"
    tries = doc.get("tries", 0)
    if not is_int(tries) or tries < 0:
        return "its try count is not a whole number"
    return None


def _meta(key: str, doc: Doc) -> str | None:
    schema = doc.get("schema")
    return None if schema is None or is_int(schema) else "its schema version is not a number"


TABLES: dict[str, Check] = {
    "articles": _article,
    "meta": _meta,
    "settings": _setting,
    "progress": _progress,
    "notes": _annotation("text", required=True, empty_ok=True),
    "highlights": _annotation("note", required=False, empty_ok=False),
    "cards": _card,
    "keys": _keys,
    "counters": _counters,
    "entity_corrections": _entity_correction,
    "waiting": _waiting,
    "feeds": _feed,
    "feed_items": _feed_item,
}


def record_problem(table: str, key: object, doc: object) -> str | None:
    """Why the record cannot be used, or None; `key` is its document id as stored."""
    if not isinstance(key, str) or _KEY.fullmatch(key) is None:
        return "its record number is malformed"
    if not isinstance(doc, dict):
        return "it is not a record"
    wrong = problem(doc)
    if wrong is not None:
        return wrong
    check = TABLES.get(table)
    return None if check is None else check(key, doc)
