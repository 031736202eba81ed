"""Reading JSON the reader's files may hold without trusting it to be sane.

`json.loads` accepts what no reader file should hold and what later code cannot handle:
NaN and Infinity (a NaN due date never compares), 5,000-digit integers (Python refuses
to make them: ValueError), floats that overflow to inf, strings with lone surrogates
(they cannot be written as UTF-8, so search and export fail on them later), and nesting
a thousand levels deep (RecursionError). `loads` parses such values into a marker, so one
bad record can be set aside while the rest of the file is used, and `problem` names what
is wrong with a value in words.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any, Final

MAX_DIGITS: Final = 20
"""Long enough for any id (an article id is a 64-bit hash, 20 decimal digits)."""
MAX_DEPTH: Final = 16
"""Deeper than any record reader writes (the deepest, key-sentence spans, is 3)."""
MAX_INT: Final = 2**64


class _Unusable:
    """Stands in for a number JSON can spell but reader cannot hold."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"<unusable number {self.text[:24]!r}>"


class TooDeep(ValueError):
    """The document is nested beyond what the parser can follow."""


def _int(text: str) -> int | _Unusable:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else _Unusable(text)


def _float(text: str) -> float | _Unusable:
    value = float(text)
    return value if math.isfinite(value) else _Unusable(text)


def loads(text: str | bytes) -> Any:
    """Like json.loads; numbers reader cannot hold become markers `problem` reports.

    Raises json.JSONDecodeError (a ValueError) for text that is not JSON, TooDeep for
    nesting deeper than the interpreter can follow, UnicodeDecodeError for bytes that are
    not UTF-8.
    """
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_Unusable)
    except RecursionError:
        raise TooDeep("it is nested too deeply to read") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def mend(text: str) -> str:
    """`text` with each lone surrogate (from an undecodable file name, a broken paste)
    replaced by U+FFFD: such a string cannot be written as UTF-8 at all."""
    return _SURROGATE.sub("\ufffd", text)


def mend_optional(text: str | None) -> str | None:
    return None if text is None else mend(text)


def problem(value: object, *, max_depth: int = MAX_DEPTH, strings: bool = True) -> str | None:
    """None for plain data reader can hold; otherwise what is wrong, in a few words.

    Walks the value without recursion, so a deep value cannot crash the check itself.
    `strings=False` skips the search for lone surrogates, for data parsed from JSON that
    `may_hold_surrogates` cleared: on a book's text that search is most of the check.
    Ints and strings, nearly every value, are checked where they are met, not stacked.
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            wrong = _scalar_problem(item, strings)
            if wrong is not None:
                return wrong
            continue
        if depth >= max_depth:
            return "it is nested too deeply"
        children: Iterable[object] = item
        if isinstance(item, dict):
            for key in item:
                if not isinstance(key, str) or (strings and has_lone_surrogate(key)):
                    return "a field name is broken"
            children = item.values()
        for child in children:
            if (type(child) is int and -MAX_INT < child < MAX_INT) or (
                type(child) is str and not (strings and has_lone_surrogate(child))
            ):
                continue  # the usual values, passed where they are met
            stack.append((child, depth + 1))  # the rest, and what is wrong, said once below
    return None


def _scalar_problem(item: object, strings: bool) -> str | None:
    if isinstance(item, str):
        if strings and has_lone_surrogate(item):
            return "a text holds a broken character (a lone surrogate)"
    elif isinstance(item, bool) or item is None:
        pass
    elif isinstance(item, int):
        if not -MAX_INT < item < MAX_INT:
            return "a number is too large"
    elif isinstance(item, float):
        if not math.isfinite(item):
            return "a number is not finite (NaN or infinity)"
    elif isinstance(item, _Unusable):
        return f"a number cannot be used ({item.text[:24]}…)"
    else:
        return f"it holds a {type(item).__name__}, which JSON cannot"
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def may_hold_surrogates(source: str) -> bool:
    """False when JSON `source` cannot parse to a string with a surrogate: decoded text
    never holds one, so only an escape (\\ud83d, in either case) can make one."""
    return _SURROGATE_ESCAPE.search(source) is not None
