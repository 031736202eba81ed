"""RSS and Atom feeds: the items in bytes the project fetched itself, and what each one is.

feedparser reads every flavour (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF), other encodings,
undeclared charsets and HTML entities; it is handed a stream, never a string, because it
opens a string that looks like a path or a URL itself, and the fetching (timeouts, caps,
redirects, one-line errors) is the URL source's job. Its sanitiser stays on: item HTML is
a stranger's markup, and it is cheap next to the extraction that follows.

An item is either an article (its full content, read through the HTML source) or a teaser
whose article lives at its link (`is_teaser`; the caller fetches it). The rule is in
`_is_teaser`. Dates keep the time as written, as every other source does (reader.article.dates).
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from reader.article import InputError
from reader.article.dates import parse_date

if TYPE_CHECKING:
    from reader.article import Article

__all__ = [
    "TEASER_WORDS",
    "FeedItem",
    "ParsedFeed",
    "content_hash",
    "dedupe_key",
    "item_article",
    "normalise_link",
    "parse_feed",
]

TEASER_WORDS = 120
"""A summary this short, with no full content beside it, is a teaser: a full article of fewer
words is rare, and mistaking one for a teaser costs a fetch, while the opposite stores a stub."""

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# An excerpt says it was cut: an ellipsis or "[…]" at its end, or a "read more" line.
_CUT_END = re.compile(r"(?:\.\.\.|…|\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\))\W{0,3}$")
_MORE = re.compile(
    r"(?:read\s+(?:the\s+)?(?:more|rest|full\s+(?:story|article|post))|continue\s+reading"
    r"|keep\s+reading|more\s*(?:»|→|>>))\W{0,40}$",
    re.IGNORECASE,
)
# WordPress's "The post X appeared first on Y." after the excerpt: not the item's own words.
_FOOTER = re.compile(r"<p>\s*The post .{0,600}? appeared first on .{0,600}?</p>\s*$", re.I | re.S)
_LAST_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|template)\b.*?(?:</\1\s*>|$)|<!\[CDATA\[|\]\]>",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?([A-Za-z][\w:-]*)[^>]*>|<[!?][^>]*>")
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip


@dataclass(slots=True)
class FeedItem:
    """One item as the feed gives it; text fields are plain text, `*_html` fields markup."""

    guid: str | None
    link: str | None  # absolute http(s), or None
    title: str | None
    author: str | None
    published: str | None  # ISO 8601 without a timezone, as reader.article.model has it
    content_html: str | None  # the full content (content:encoded, Atom content), longest
    summary_html: str | None  # description / Atom summary
    is_teaser: bool  # the article is at `link`, not in the feed (see `_is_teaser`)
    tags: list[str] = field(default_factory=list)
    lang: str | None = None


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    link: str | None  # the site the feed belongs to
    feed_url: str
    items: list[FeedItem]
    problem: str | None = None  # one line, when the bytes are not a feed that yields anything


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """The feed in `body`, fetched from `url` (the final URL), with the server's headers.

    Content-Type's charset decides the encoding the way feedparser's tests expect; the base
    for relative links is `url`, or the Content-Location header resolved against it.
    Never raises for bad bytes: a feed that yields nothing says why in `problem`.
    """
    import feedparser  # type: ignore[import-untyped, unused-ignore]

    given = {k.lower(): v for k, v in (headers or {}).items()}
    given["content-location"] = urljoin(url, given.get("content-location", "") or url)
    if not body.strip():
        return ParsedFeed(None, None, url, [], "empty response: no feed in it")
    try:
        result = feedparser.parse(io.BytesIO(body), response_headers=given)
    except Exception as exc:  # a parser crash on hostile bytes is one line, not a traceback
        return ParsedFeed(None, None, url, [], f"not a readable feed ({_one_line(exc)})")
    meta = result.get("feed", {})
    base = given["content-location"]
    title = _plain(meta.get("title_detail")) or None
    atom = str(result.get("version", "")).startswith("atom")
    feed_author = _author(meta) if atom else None  # Atom items inherit the feed's author
    lang = meta.get("language") or None
    items = [_item(e, base, feed_author, lang) for e in result.get("entries", [])]
    problem = None
    if not items and title is None:
        if result.get("bozo"):
            problem = f"not an RSS or Atom feed ({_one_line(result.get('bozo_exception'))})"
        elif not result.get("version"):
            problem = "not an RSS or Atom feed"
    return ParsedFeed(title, _web_link(meta.get("link"), base), url, items, problem)


def item_article(
    item: FeedItem, feed_title: str | None, *, teaser_ok: bool = False
) -> Article | None:
    """The item's article from the feed's own HTML, or None when it must be read from its link.

    None means: a teaser (unless `teaser_ok`, the fallback when the link cannot be
    fetched), or content in which the HTML source finds no article while a link exists.
    An item with nothing to read and no link raises `InputError` with one line.
    """
    from reader.sources.html import read_html

    name = item.link or item.guid or item.title or "feed item"
    if item.is_teaser and not teaser_ok:
        return None
    body = item.content_html or item.summary_html
    if not body or not _text(body).strip():
        if item.link is not None and not teaser_ok:
            return None
        raise InputError(name, "this feed item has no text and no link to read it from")
    lang = f' lang="{html.escape(item.lang)}"' if item.lang else ""
    page = (
        f'<!doctype html><html{lang}><head><meta charset="utf-8">'
        f"<title>{html.escape(item.title or '')}</title></head>"
        f"<body><article>{body}</article></body></html>"
    )
    try:
        article = read_html(page.encode("utf-8"), url=item.link, charset="utf-8", name=name)
    except InputError:
        if item.link is not None and not teaser_ok:
            return None
        raise
    article.title = item.title or article.title
    article.source = feed_title or article.source
    article.url = item.link or article.url
    article.published = item.published or article.published
    article.author = item.author or article.author
    article.lang = article.lang or item.lang
    return article


def dedupe_key(item: FeedItem) -> tuple[str | None, str | None]:
    """(guid, normalised link): an item seen before under either is the same item."""
    return item.guid, normalise_link(item.link) if item.link else None


def content_hash(item: FeedItem) -> str | None:
    """A hash of the item's words: the same post under a new guid and link (a blog that moved
    hosts, a feed that regenerates its ids) is still the same post."""
    words = _WORD.findall(_text(item.content_html or item.summary_html or "").casefold())
    if not words:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def normalise_link(url: str) -> str:
    """The link as two feeds that mean the same page would both spell it: scheme and host in
    lower case, no default port, no fragment, no tracking parameters, "/" for an empty path."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = urlencode([(k, v) for k, v in query if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", kept, ""))


def _item(entry: Any, base: str, feed_author: str | None, feed_lang: str | None) -> FeedItem:
    link = _web_link(entry.get("link"), base)
    contents = [c for c in entry.get("content", []) if str(c.get("value", "")).strip()]
    content = max((_as_html(c) for c in contents), key=len, default=None)
    summary_detail = entry.get("summary_detail")
    summary = _as_html(summary_detail) if summary_detail else None
    if summary is not None and (not summary.strip() or summary == content):
        summary = None  # Atom without <summary>: feedparser copies the content there
    language = next((c.get("language") for c in contents if c.get("language")), None)
    return FeedItem(
        guid=(str(entry.get("id") or "").strip() or None),
        link=link,
        title=_plain(entry.get("title_detail")) or None,
        author=_author(entry) or feed_author,
        published=_published(entry),
        content_html=content,
        summary_html=summary,
        is_teaser=link is not None and _is_teaser(content, summary, link),
        tags=_tags(entry),
        lang=language or entry.get("language") or feed_lang,
    )


def _is_teaser(content: str | None, summary: str | None, link: str) -> bool:
    """The rule: with full content, a teaser only if that content says it was cut; without,
    a teaser if the summary is missing, says it was cut, or has under `TEASER_WORDS` words.
    Only an item with a link can be one, since the caller reads the article from there."""
    if content is not None:
        return _looks_cut(content, link)
    if summary is None:
        return True
    return len(_WORD.findall(_text(summary))) < TEASER_WORDS or _looks_cut(summary, link)


def _looks_cut(markup: str, link: str) -> bool:
    """Cut off: it ends in an ellipsis or a "read more", or its last link is the item's page."""
    markup = _FOOTER.sub("", markup)
    text = _SPACE.sub(" ", _text(markup)).strip()
    if _CUT_END.search(text) or _MORE.search(text):
        return True
    hrefs = _LAST_HREF.findall(markup)
    if not hrefs:
        return False
    last = html.unescape(hrefs[-1])
    return normalise_link(urljoin(link, last)) == normalise_link(link)


def _as_html(detail: Any) -> str:
    value = str(detail.get("value", ""))
    if str(detail.get("type", "")).lower() in _HTML_TYPES:
        return value
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", value))
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


def _plain(detail: Any) -> str:
    """A title as text: markup gone, entities decoded, whitespace collapsed."""
    if not detail:
        return ""
    value = str(detail.get("value", ""))
    if str(detail.get("type", "")).lower() in _HTML_TYPES:
        value = _text(value)
    return _SPACE.sub(" ", value).strip()


def _author(node: Any) -> str | None:
    detail = node.get("author_detail") or {}
    name = str(detail.get("name") or node.get("author") or "").strip()
    if not name or ("@" in name and " " not in name):
        return None  # an address is not a name
    return _SPACE.sub(" ", name)


def _published(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        written = parse_date(str(raw))
        if written is not None:
            return written
        parsed = entry.get(f"{key}_parsed")
        if parsed is not None:  # a form only feedparser reads; it gives UTC
            try:
                return datetime(*parsed[:6]).isoformat()
            except (TypeError, ValueError):
                continue
    return None


def _tags(entry: Any) -> list[str]:
    tags: list[str] = []
    for tag in entry.get("tags") or []:
        name = _SPACE.sub(" ", str(tag.get("label") or tag.get("term") or "")).strip()
        if name and name.casefold() not in (t.casefold() for t in tags):
            tags.append(name)
    return tags


def _web_link(href: Any, base: str) -> str | None:
    if not href:
        return None
    href = str(href).strip()
    if href.lower().startswith("feed:"):
        href = href[5:].lstrip("/") if href[5:].lower().startswith("http") else "http:" + href[5:]
    absolute = urljoin(base, href)
    try:
        parts = urlsplit(absolute)
    except ValueError:
        return None
    return absolute if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _one_line(exc: object) -> str:
    text = _SPACE.sub(" ", str(exc or "")).strip()
    return text[:200] or type(exc).__name__


def _text(markup: str) -> str:
    """The words of some markup, for titles, counts and hashes. A regex, not a parser: the
    markup is a stranger's, and the stdlib's HTMLParser raises on some marked sections."""
    markup = _HIDDEN.sub(" ", markup)
    markup = _TAG.sub(lambda m: " " if (m[1] or "p").lower() in _BLOCK_TAGS else "", markup)
    return html.unescape(markup)
