"""Metadata lines: bylines, datelines, source credits.

A line counts as metadata only when *all* of it is accounted for (a name list, a date,
a role, an agency, a reading time). Anything left over means it is prose, and prose is
never dropped: "By the time the vote came..." stays in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from reader.article.dates import is_date, parse_date

__all__ = ["AGENCIES", "Meta", "is_name", "is_url", "join_names", "read_meta_line"]


@dataclass(slots=True)
class Meta:
    """What metadata lines said; the first value seen for each field wins."""

    author: str | None = None
    published: str | None = None  # from a "Published ..." line
    dated: str | None = None  # from an unlabelled dateline
    updated: str | None = None  # from "Updated ..." / "Last Updated: ..."
    source: str | None = None  # from an explicit "Source: X"
    agency: str | None = None  # from a credit: "By Jane Doe, Reuters", a lone "AFP" line
    url: str | None = None

    def merge(self, other: Meta) -> None:
        for f in fields(self):
            if getattr(self, f.name) is None:
                setattr(self, f.name, getattr(other, f.name))

    def when(self) -> str | None:
        """The publication date: a labelled one, else a plain dateline, else the update."""
        return self.published or self.dated or self.updated

    def origin(self) -> str | None:
        """An explicit "Source:" line beats an agency credit."""
        return self.source or self.agency


# News agencies whose credit names the source of a story.
AGENCIES = {
    a.casefold(): a
    for a in (
        "Reuters", "Thomson Reuters", "Associated Press", "The Associated Press", "AP", "AFP",
        "Agence France-Presse", "Agence France Presse", "Bloomberg", "Bloomberg News", "PA",
        "PA Media", "Press Association", "dpa", "Deutsche Presse-Agentur", "ANSA", "EFE",
        "Xinhua", "Kyodo", "Kyodo News", "Yonhap", "UPI", "United Press International",
        "The Canadian Press", "Canadian Press", "AAP", "Australian Associated Press", "PTI",
        "Press Trust of India", "ANI", "IANS", "TASS", "Interfax", "Anadolu", "Anadolu Agency",
        "Jiji Press", "Europa Press", "Belga", "APA", "Bernama", "Antara", "NTB", "Ritzau",
    )
}  # fmt: skip

_ROLE_WORDS = (
    r"writers?|reporters?|correspondents?|editors?|columnists?|contributors?|journalists?"
    r"|critics?|analysts?|producers?|staff|interns?|fellows?|photographers?|chief|desk"
    r"|commentators?|bloggers?|researchers?|presenters?|hosts?"
)
# "Staff Writer", "Senior Technology Correspondent at The Bugle": capitalised modifiers only,
# so that prose like "an analyst at UBS. The IMF values..." is never taken for a role.
_ROLE = re.compile(
    rf"(?:[A-Z][\w&-]*\s+){{0,4}}(?i:{_ROLE_WORDS})"
    r"(?:\s+(?i:at|for|of)\s+(?:the\s+)?[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})?"
)
_PARTICLES = {
    "de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "bin",
    "ibn", "al", "el", "dos", "das", "ter", "ten", "st.", "y",
}  # fmt: skip
_NOT_NAMES = {
    "the", "a", "an", "and", "or", "of", "for", "with", "in", "on", "to", "at", "from", "by",
    "staff", "agencies", "news", "home", "menu", "share", "email", "admin", "editor",
    "editors", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "today", "yesterday", "published", "updated",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W\d_])?\.?")
_BYLINE = re.compile(
    r"(?:(?:written|words|story|reporting|report|text|article|posted|compiled|edited)\s+by"
    r"|by|authors?|byline)\s*:?\s+(?P<rest>.+)",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"(?:(?:first\s+|originally\s+)?(?:published|posted|released|issued)|date|dated"
    r"|publication\s+date|pub(?:lished)?\s+date)(?:\s+on|\s+at)?\s*:?\s*(?P<rest>.+)",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"(?:last\s+)?(?:updated|modified|edited|revised|amended)(?:\s+on|\s+at)?\s*:?\s*(?P<rest>.+)",
    re.IGNORECASE,
)
_READING_TIME = re.compile(
    r"(?:(?:reading|read|listening)\s+time\s*:?\s*)?(?:about\s+)?\d+\s*(?:-\s*)?"
    r"(?:min|mins|minutes?)\.?(?:\s+(?:to\s+)?(?:read|listen|reading))?",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"source\s*:\s*(?P<rest>.+)", re.IGNORECASE)
_URL_LINE = re.compile(
    r"(?:(?:original\s+|source\s+|canonical\s+)?(?:url|link)|clipped\s+from|saved\s+from"
    r"|source)\s*:\s*(?P<url>https?://\S+)",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Patterns that begin with a whitespace run are tried only from its first character
# (`(?<!\s)`): a match from inside the run also starts at its beginning, and retrying every
# position of a long run is quadratic. Lines here are at most 200 characters, but the patterns
# stay linear anyway, so a future caller cannot make them slow. (`_POSTED_BY`'s lazy `.+?` is
# quadratic only in those 200 characters, and its first character is never whitespace.)
_IN_PLACE = re.compile(r"(?<!\s)\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}$")
_PAREN_AGENCY = re.compile(r"\s*\((?P<agency>[^()]{2,40})\)$")
_POSTED_BY = re.compile(r"(?P<when>.+?)\s+by\s+(?P<names>.+)")  # "Posted on May 3, 2023 by Sam"
_PART_SPLIT = re.compile(r"(?:(?<!\s)\s+)?[|•·]\s*|(?<!\s)\s+[–—]\s+|(?<!\s)\s+-\s+")
_LIST_SPLIT = re.compile(r"(?:(?<!\s)\s+)?[,;]\s*")
_AND_SPLIT = re.compile(r"(?<!\s)\s+(?:and|&)\s+")


def is_url(text: str) -> bool:
    return bool(_URL.fullmatch(text.strip()))


def is_name(text: str, *, min_tokens: int = 2) -> bool:
    """A person's name as bylines write them: capitalised words, particles, initials."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 6:
        return False
    real = 0
    for token in tokens:
        low = token.casefold()
        if low in _PARTICLES:
            continue
        if low in _NOT_NAMES or low in AGENCIES or not _NAME_TOKEN.fullmatch(token):
            return False
        if not token[0].isupper():
            return False
        real += 1
    return real >= min_tokens


def _display_name(name: str) -> str:
    """ "JANE DOE" → "Jane Doe"; mixed-case names are left exactly as written."""
    if name.isupper() and any(len(t) > 2 for t in name.split()):
        return " ".join(t if t.casefold() in _PARTICLES else t.title() for t in name.split())
    return name


def join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _names(rest: str, meta: Meta, *, need_credit: bool) -> bool:
    """Read "Jane Doe and John Roe, Reuters" into `meta`; False if anything is not a name.

    With `need_credit` (no "By" in front), a lone name is not enough: a role or an agency
    must vouch for it, or any two capitalised words would become an author.
    """
    rest = rest.strip().rstrip(".").strip()
    m = _PAREN_AGENCY.search(rest)
    credited = False
    if m and m["agency"].casefold() in AGENCIES:
        meta.agency = meta.agency or AGENCIES[m["agency"].casefold()]
        rest = rest[: m.start()]
        credited = True
    names: list[str] = []
    for piece in _LIST_SPLIT.split(rest):
        if not piece:
            continue
        low = piece.casefold()
        if low in AGENCIES:
            meta.agency = meta.agency or AGENCIES[low]
            credited = True
            continue
        if _ROLE.fullmatch(piece):
            credited = True
            continue
        for name in _AND_SPLIT.split(piece):
            name = _IN_PLACE.sub("", name)
            if not is_name(name):
                return False
            names.append(_display_name(name))
    if not names or (need_credit and not credited):
        return False
    meta.author = meta.author or join_names(names)
    return True


def _part(part: str, meta: Meta, *, alone: bool) -> bool:
    """Account for one separator-delimited part of a line; False if it is prose."""
    part = part.strip()
    if not part:
        return True
    m = _UPDATED.fullmatch(part)
    if m and is_date(m["rest"]):
        meta.updated = meta.updated or parse_date(m["rest"])
        return True
    m = _PUBLISHED.fullmatch(part)
    if m and is_date(m["rest"]):
        meta.published = meta.published or parse_date(m["rest"])
        return True
    if is_date(part):
        meta.dated = meta.dated or parse_date(part)
        return True
    if _READING_TIME.fullmatch(part):
        return True
    m = _URL_LINE.fullmatch(part)
    if m:
        meta.url = meta.url or m["url"].rstrip(".,;)")
        return True
    m = _SOURCE.fullmatch(part)
    if m:
        value = m["rest"].strip().rstrip(".")
        if is_url(value):
            meta.url = meta.url or value
            return True
        if len(value.split()) <= 8:
            meta.source = meta.source or value
            return True
        return False
    if part.casefold() in AGENCIES:
        meta.agency = meta.agency or AGENCIES[part.casefold()]
        return True
    m = _BYLINE.fullmatch(part)
    if m and _names(m["rest"], meta, need_credit=False):
        return True
    if not alone and _ROLE.fullmatch(part):
        return True
    return _names(part, meta, need_credit=True)


def read_meta_line(line: str) -> Meta | None:
    """The metadata on `line` if the whole line is metadata, else None.

    "By Jane Doe | Feb 20, 2024 | 4 min read" is tried whole first, then part by part.
    A part may be a bare name only if another part of the line is a role or a date.
    """
    line = line.strip()
    if not line or len(line) > 200:
        return None
    meta = Meta()
    if _part(line, meta, alone=True):
        return meta
    tokens = line.split()
    for k in range(2, min(5, len(tokens))):  # "Ana Pereira Environment correspondent"
        name, rest = " ".join(tokens[:k]), " ".join(tokens[k:])
        if is_name(name) and _ROLE.fullmatch(rest):
            return Meta(author=_display_name(name))
    m = _POSTED_BY.fullmatch(line)
    if m:
        meta = Meta()
        if _part(m["when"], meta, alone=False) and _names(m["names"], meta, need_credit=False):
            return meta
    parts = _PART_SPLIT.split(line)
    if len(parts) < 2:
        return None
    meta = Meta()
    pending: list[str] = []
    vouched = False
    for part in parts:
        before = Meta()
        if _part(part, before, alone=False):
            meta.merge(before)
            vouched = True
        elif is_name(part.strip()):
            pending.append(_display_name(part.strip()))
        else:
            return None
    if pending:
        if not vouched:
            return None
        meta.author = meta.author or join_names(pending)
    return meta
