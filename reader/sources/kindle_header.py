"""The metadata line of a Kindle clipping, in whichever language the Kindle was set to.

"- Your Highlight on page 12 | Location 170-172 | Added on Sunday, 3 March 2019 10:20:30"
is written in the device's language, with that language's word order and date format, and
older Kindles abbreviate ("Loc. 1234-36"). Rather than one pattern per language, the line is
read structurally: the kind from a small vocabulary, the location and page from the number
after their word, the date from whichever part holds a month name (or a CJK 年月日 date).
Kindles set to English, German, French, Spanish, Italian, Portuguese, Dutch, Chinese and
Japanese are understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

__all__ = ["Header", "read_header"]

Kind = Literal["highlight", "note", "bookmark"]

_KIND_WORDS: Final[dict[Kind, frozenset[str]]] = {
    "bookmark": frozenset(
        {"bookmark", "lesezeichen", "signet", "marcador", "segnalibro", "bladwijzer"}
    ),
    "note": frozenset({"note", "notiz", "nota", "notitie"}),
    # A clip ("Clip This Article", "Tu recorte") is a passage like a highlight.
    "highlight": frozenset(
        {
            "highlight",
            "markierung",
            "surlignement",
            "subrayado",
            "evidenziazione",
            "destaque",
            "markering",
            "clip",
            "recorte",
        }
    ),
}
_KIND_CJK: Final[tuple[tuple[Kind, tuple[str, ...]], ...]] = (
    ("bookmark", ("书签", "書籤", "ブックマーク")),
    ("note", ("笔记", "筆記", "メモ")),
    ("highlight", ("标注", "標註", "ハイライト")),
)

_LOCATION = re.compile(
    r"(?:\b(?:location|loc|position|pos|emplacement|posición|posicion|ubicación|ubicacion"
    r"|posizione|posição|posicao|locatie)\b\.?|位置)\s*(?:#|no\.)?\s*"
    r"(?P<a>\d+)(?:\s*[-–]\s*(?P<b>\d+))?",
    re.IGNORECASE,
)
_PAGE = re.compile(
    r"(?:\b(?:page|seite|página|pagina|pág|pag|blz)\b\.?|第)\s*(?P<a>\d+)"
    r"|(?P<cjk>\d+)\s*(?:ページ|页|頁)",
    re.IGNORECASE,
)

_MONTHS: Final[dict[str, int]] = {}
for _number, _names in enumerate(
    (
        "january jan januar jänner janvier enero gennaio janeiro januari",
        "february feb februar février fevrier febrero febbraio fevereiro februari",
        "march mar märz maerz mars marzo março maart",
        "april apr avril abril aprile",
        "may mai mayo maggio maio mei",
        "june jun juni juin junio giugno junho",
        "july jul juli juillet julio luglio julho",
        "august aug août aout agosto augustus",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct oktober octobre octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec dezember décembre decembre diciembre dicembre dezembro",
    ),
    start=1,
):
    _MONTHS.update(dict.fromkeys(_names.split(), _number))

_WORD = re.compile(r"[^\W\d_]+")
_TIME = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?",
    re.IGNORECASE,
)
_CJK_DATE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_CJK_PM = ("下午", "午後", "晚上", "晩")
_CJK_AM = ("上午", "午前", "凌晨", "早上")


@dataclass(frozen=True, slots=True)
class Header:
    """What a clipping's metadata line says. `location` is a (first, last) pair, a single
    location as (n, n); `added` is ISO 8601 local time, as the Kindle's clock showed it."""

    kind: Kind
    location: tuple[int, int] | None
    page: int | None
    added: str | None


def read_header(line: str) -> Header | None:
    """The metadata line read, or None when it is not one (no dash, no known kind)."""
    line = line.strip()
    if not line.startswith("-"):
        return None
    parts = [part.strip() for part in line[1:].split("|")]
    # The kind leads in most languages; Japanese puts the page first ("12ページ|位置No. …").
    kind = next((k for k in map(_kind, parts) if k is not None), None)
    if kind is None:
        return None
    added = None
    for index in range(len(parts) - 1, -1, -1):
        added = _date(parts[index])
        if added is not None:
            del parts[index]
            break
    where = " | ".join(parts)
    return Header(kind, _location(where), _page(where), added)


def _kind(part: str) -> Kind | None:
    words = set(_WORD.findall(part.casefold()))
    for kind, vocabulary in _KIND_WORDS.items():
        if words & vocabulary:
            return kind
    for kind, markers in _KIND_CJK:
        if any(marker in part for marker in markers):
            return kind
    return None


def _location(text: str) -> tuple[int, int] | None:
    m = _LOCATION.search(text)
    if m is None:
        return None
    first = int(m["a"])
    if m["b"] is None:
        return first, first
    last_text = m["b"]
    if len(last_text) < len(m["a"]) and int(last_text) < first:
        # Older Kindles abbreviate the end: "Loc. 1234-36" is 1234 to 1236.
        last_text = m["a"][: len(m["a"]) - len(last_text)] + last_text
    last = int(last_text)
    return (first, last) if last >= first else (first, first)


def _page(text: str) -> int | None:
    m = _PAGE.search(text)
    if m is None:
        return None
    return int(m["a"] or m["cjk"])


def _date(text: str) -> str | None:
    """A date with its time as ISO 8601, read from any of the supported languages' forms:
    "Sunday, 3 March 2019 10:20:30", "July 29, 2021 10:37:23 PM", "Monday, 3 December 12
    19:42:30 Greenwich Mean Time", "Montag, 4. Januar 2021", "lundi 17 décembre 2012 à
    08:27:45", "martes, 5 de enero de 2021", "2023年2月9日星期四 下午6:35:21"."""
    folded = text.casefold()
    time = _TIME.search(folded)
    rest = folded if time is None else folded[: time.start()] + " " + folded[time.end() :]
    cjk = _CJK_DATE.search(folded)
    if cjk is not None:
        year, month, day = int(cjk["y"]), int(cjk["m"]), int(cjk["d"])
    else:
        months = [_MONTHS[w] for w in _WORD.findall(rest) if w in _MONTHS]
        numbers = re.findall(r"\d+", rest)
        if not months or len(numbers) < 2:
            return None
        month = months[0]
        four = [n for n in numbers if len(n) == 4]
        if four:
            year = int(four[0])
            numbers.remove(four[0])
        else:  # "3 December 12": the year is the last number, in two digits
            year = 2000 + int(numbers.pop()) if len(numbers[-1]) <= 2 else 0
        day = int(numbers[0])
    try:
        if time is None:
            return datetime(year, month, day).date().isoformat()
        hour = int(time["h"])
        pm = (time["ap"] or "").casefold() == "p" or any(m in folded for m in _CJK_PM)
        am = (time["ap"] or "").casefold() == "a" or any(m in folded for m in _CJK_AM)
        if (pm or am) and 1 <= hour <= 12:
            hour = hour % 12 + (12 if pm else 0)
        second = int(time["s"] or 0)
        return datetime(year, month, day, hour, int(time["m"]), second).isoformat()
    except ValueError:
        return None
