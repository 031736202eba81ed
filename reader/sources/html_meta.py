"""A page's title, author, date, site and canonical URL, cleaned by the clip rules.

trafilatura reads them from meta tags, JSON-LD and the page; what it returns is still as
pages write it ("By JANE DOE", "Jane Doe; John Roe", a date with a time zone). The
project's byline and dateline rules (`reader.article.meta`, `reader.article.dates`) make
them read like the metadata of any other article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reader.article.dates import parse_date
from reader.article.meta import join_names, read_meta_line

__all__ = ["PageMeta", "metadata"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str | None
    author: str | None
    published: str | None
    source: str | None
    url: str | None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = _SPACE.sub(" ", value).strip()
    return value or None


_TITLE_META = (
    "og:title", "dc:title", "dcterm:title", "twitter:title", "parsely-title", "title",
    "sailthru.title",
)  # fmt: skip
_AUTHOR_META = ("author", "dc:creator", "parsely-author", "article:author", "sailthru.author")
_SEPARATORS = re.compile(r"(?<!\s)\s+(?:[|–—-]|::|·|»)\s+")


def _meta_tags(tree: Any) -> dict[str, str]:
    """<meta name|property="x" content="y">, first of each, names lower-cased; a
    space-separated property ("dc:title og:title") names each."""
    found: dict[str, str] = {}
    for elem in tree.iter("meta"):
        content = _clean(elem.get("content"))
        if content is None:
            continue
        for key in (elem.get("property") or "").split() + (elem.get("name") or "").split():
            found.setdefault(key.casefold(), content)
    return found


def _without_site(title: str, site: str | None, host: str | None, guess: str | None) -> str:
    """ "Headline | The Bugle" → "Headline": the part cut is the site's name, or the part
    kept is the headline the page shows (trafilatura's guess)."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = {n.casefold() for n in (site, host) if n}
    host_words = {w for n in names for w in re.findall(r"\w+", n)}
    for cut in (parts[-1], parts[0]):
        key = cut.casefold()
        words = set(re.findall(r"\w+", key))
        if key in names or (words and words <= host_words | {"com", "www"}):
            rest = parts[:-1] if cut is parts[-1] else parts[1:]
            return " - ".join(rest) if len(rest) > 1 else rest[0]
    if guess is not None:
        for part in parts:
            if part.casefold() == guess.casefold():
                return part
    return title


def _title(tree: Any, tags: dict[str, str], doc: Any) -> str | None:
    """The page's own title as its meta tags give it, else <title>, else trafilatura's
    guess (a lone <h1>), cut of the site's name."""
    title = next((tags[k] for k in _TITLE_META if k in tags), None)
    if title is None:
        elem = tree.find(".//title")
        title = _clean(elem.text_content()) if elem is not None else None
    title = title or _clean(doc.title)
    if title is None:
        return None
    site, host = _clean(doc.sitename), _clean(getattr(doc, "hostname", None))
    return _without_site(title, site, host, _clean(doc.title))


def _author(raw: str | None) -> str | None:
    """ "By JANE DOE and John Roe" → "Jane Doe and John Roe"; trafilatura joins with ";".
    A name said twice (meta tag and byline) is one author."""
    if raw is None:
        return None
    cleaned: list[str] = []
    for name in (n.strip() for n in raw.split(";")):
        meta = read_meta_line(name if name.casefold().startswith("by ") else f"By {name}")
        for one in re.split(r",\s*|\s+and\s+", meta.author) if meta and meta.author else [name]:
            if one and one.casefold() not in (c.casefold() for c in cleaned):
                cleaned.append(one)
    return join_names(cleaned) if cleaned else None


def _date(raw: str | None) -> str | None:
    if raw is None:
        return None
    if _ISO_DATE.fullmatch(raw):
        return raw
    return parse_date(raw)


def metadata(tree: Any, doc: Any, url: str | None) -> PageMeta:
    """Metadata of the page from trafilatura's `Document`, cleaned."""
    if doc is None:
        from trafilatura.metadata import extract_metadata

        doc = extract_metadata(tree, url)
    tags = _meta_tags(tree)
    declared = next((tags[k] for k in _AUTHOR_META if k in tags and " " in tags[k]), None)
    if declared is not None and ("/" in declared or "@" in declared):
        declared = None  # a profile URL or a handle, not a name
    return PageMeta(
        title=_title(tree, tags, doc),
        author=_author(declared or _clean(doc.author)),
        published=_date(_clean(doc.date)),
        source=_clean(doc.sitename),
        url=_clean(doc.url) or url,
    )
