"""A page's title, author, date, site, language and canonical URL, cleaned by the clip rules.

trafilatura reads most of them from meta tags, JSON-LD and the page; what it returns is
still as pages write it ("By JANE DOE", "Jane Doe; John Roe", a date with a time zone). The
project's byline and dateline rules (`reader.article.meta`, `reader.article.dates`) make
them read like the metadata of any other article. The site's name and the language are
read here from what the page declares, because trafilatura falls back to guesses for the
one (the URL's domain) and leaves the other to a language detector it is not given.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from reader.article.dates import parse_date
from reader.article.meta import join_names, read_meta_line

__all__ = ["PageMeta", "base_url", "metadata"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str | None
    author: str | None
    published: str | None
    source: str | None
    url: str | None
    site: str | None = None
    lang: str | None = None


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
    objects = list(_json_ld(tree))
    declared = next((tags[k] for k in _AUTHOR_META if k in tags and " " in tags[k]), None)
    if declared is not None and ("/" in declared or "@" in declared):
        declared = None  # a profile URL or a handle, not a name
    return PageMeta(
        title=_title(tree, tags, doc),
        author=_author(declared or _clean(doc.author)),
        published=_date(_clean(doc.date)),
        source=_clean(doc.sitename),
        url=_clean(doc.url) or url,
        site=_site(tags, objects, _clean(doc.sitename)),
        lang=_lang(tree, tags, objects, _clean(getattr(doc, "language", None))),
    )


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD, `@graph` members included; bad JSON is none."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().casefold() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = deque([data])
        while stack:
            item = stack.popleft()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph")


def _name(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(value)


_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)+", re.I)


def _site(tags: dict[str, str], objects: list[dict[str, Any]], guess: str | None) -> str | None:
    """og:site_name, else the JSON-LD publisher (or the WebSite it is part of), else
    trafilatura's name unless that is only the URL's domain."""
    if "og:site_name" in tags:
        return tags["og:site_name"]
    for key in ("publisher", "isPartOf", "sourceOrganization"):
        for obj in objects:
            found = _name(obj.get(key))
            if found:
                return found
    for obj in objects:
        if obj.get("@type") == "WebSite" and _name(obj):
            return _name(obj)
    if guess is None or _DOMAIN.fullmatch(guess):
        return None
    return guess


_LANG = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?")


def language_tag(value: object) -> str | None:
    """ "en_GB", "EN-gb", "en-GB" → "en-GB"; "x-default", "" and "english" → None."""
    if not isinstance(value, str):
        return None
    found = _LANG.fullmatch(value.strip())
    if found is None:
        return None
    primary, script, region = found.groups()
    parts = [primary.casefold()]
    if script:
        parts.append(script.title())
    if region:
        parts.append(region.upper())
    return "-".join(parts)


def _lang(
    tree: Any, tags: dict[str, str], objects: list[dict[str, Any]], guess: str | None
) -> str | None:
    """<html lang>, else og:locale, else JSON-LD inLanguage, else trafilatura's."""
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    candidates: list[object] = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
    ]
    candidates += [tags.get("og:locale"), tags.get("content-language")]
    candidates += [_name(obj.get("inLanguage")) for obj in objects]
    candidates.append(guess)
    return next((tag for tag in map(language_tag, candidates) if tag), None)


def base_url(tree: Any, url: str | None) -> str | None:
    """What the page's relative links are relative to: its <base href> (itself relative
    to the page), else where it was fetched, else the canonical URL it declares."""
    page = url
    if page is None:
        for elem in tree.iter("link", "meta"):
            if elem.tag == "link" and "canonical" in (elem.get("rel") or "").casefold().split():
                page = elem.get("href")
            elif elem.tag == "meta" and (elem.get("property") or "").casefold() == "og:url":
                page = elem.get("content")
            if page and page.strip().casefold().startswith(("http://", "https://")):
                page = page.strip()
                break
            page = None
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            try:
                href = urljoin(page, href) if page else href
            except ValueError:
                break
            if href.casefold().startswith(("http://", "https://")):
                return href
    return page
