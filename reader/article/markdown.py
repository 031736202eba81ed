"""Markdown articles: front matter for metadata, markdown-it-py for the body.

The reader shows plain paragraphs, so formatting is reduced to its text rather than
rendered: links and emphasis keep their words, list items keep a bullet, code keeps its
lines, and images and raw HTML (which cannot be shown in a terminal) go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reader.article.data_uris import drop_data_uris
from reader.article.dates import parse_date
from reader.article.inputs import clean_text
from reader.article.meta import Meta, is_url, join_names, read_meta_line
from reader.article.model import Article

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

__all__ = ["parse_markdown", "read_front_matter"]

_FRONT = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\n(?P<body>.*?)\n?(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.S
)
# The key is taken whole (possessive `*+`) and stripped afterwards: a lazy key followed by `\s*`
# retried the rest of a long run of spaces at every step, quadratic on "key<20,000 spaces>".
_KEY = re.compile(r"(?P<key>[A-Za-z_][\w -]*+)\s*[:=]\s*(?P<value>.*)")
# A trailing "# comment"; the whitespace before it is tried only from the start of its run.
_COMMENT = re.compile(r"(?<!\s)\s+#.*$")
_ITEM = re.compile(r"\s+-\s+(?P<value>.*)|-\s+(?P<top>.*)")

_FIELDS = {
    "title": "title", "headline": "title",
    "author": "author", "authors": "author", "by": "author", "byline": "author",
    "creator": "author",
    "date": "published", "published": "published", "publish_date": "published",
    "pubdate": "published", "pub_date": "published", "published_at": "published",
    "published_on": "published", "date_published": "published",
    "publication_date": "published",
    "updated": "updated", "modified": "updated", "last_modified": "updated",
    "lastmod": "updated", "date_modified": "updated", "updated_at": "updated",
    "source": "source", "publisher": "source", "publication": "source", "site": "source",
    "site_name": "source", "outlet": "source", "newspaper": "source", "journal": "source",
    "url": "url", "link": "url", "source_url": "url", "canonical_url": "url",
    "original_url": "url", "permalink": "url", "canonical": "url",
}  # fmt: skip


def _scalar(value: str) -> str:
    """A YAML-ish scalar without a YAML parser: quotes, comments and [[wiki links]] removed."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
        if value and value[0] != "'":
            value = value.replace('\\"', '"')
    else:
        value = _COMMENT.sub("", value)
    return _unwiki(value).strip()


def _unwiki(value: str) -> str:
    """[[Page]] and [[Page|Label]] as their text ("Page", "Label").

    A scan rather than a regex: the pattern `[[` + anything but `]` + `]]` retries from every
    "[[" of a line that has no "]]", quadratic on "[[[[…". A "[[" opens a link exactly when the
    first "]" after it starts "]]"; when it does not, no "[[" before that "]" does either, so
    the scan resumes after it.
    """
    out: list[str] = []
    done = search = 0
    while (start := value.find("[[", search)) >= 0:
        close = value.find("]", start + 2)
        if close < 0:
            break
        if value.startswith("]]", close):
            inner = value[start + 2 : close]
            out += [value[done:start], inner.partition("|")[2] if "|" in inner else inner]
            done = search = close + 2
        else:
            search = close + 1
    out.append(value[done:])
    return "".join(out)


def _values(value: str, items: list[str]) -> list[str]:
    value = value.strip()
    if value.startswith("[") and value.endswith("]") and not value.startswith("[["):
        raw = [v for v in value[1:-1].split(",") if v.strip()]
    elif value in ("", "|", ">", "|-", ">-"):
        raw = items
    else:
        raw = [value]
    return [v for v in (_scalar(r) for r in raw) if v]


def read_front_matter(raw: str) -> tuple[dict[str, list[str]], str]:
    """Front matter as {key: [values]} (keys lower-cased) and the document after it.

    Only flat `key: value` lines and simple lists are understood; that covers what
    blogs and web clippers write, without a YAML dependency or YAML's surprises.
    """
    m = _FRONT.match(raw)
    if not m:
        return {}, raw
    data: dict[str, list[str]] = {}
    key: str | None = None
    pending = ""
    items: list[str] = []

    def flush() -> None:
        if key is not None:
            data.setdefault(key, _values(pending, items))

    for line in m["body"].split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.fullmatch(line)
        if item and key is not None:
            items.append(item["value"] if item["value"] is not None else item["top"])
            continue
        km = _KEY.fullmatch(line)
        if km and not line[0].isspace():
            flush()
            key = km["key"].strip().casefold().replace("-", "_").replace(" ", "_")
            pending, items = km["value"], []
        elif key is not None and line[0].isspace() and not items:
            pending = (pending + " " + line.strip()).strip()  # folded continuation
    flush()
    return data, raw[m.end() :]


def _front_meta(data: dict[str, list[str]]) -> tuple[str | None, Meta]:
    meta = Meta()
    title: str | None = None
    for key, values in data.items():
        field = _FIELDS.get(key)
        if field is None or not values:
            continue
        if field == "title":
            title = title or values[0]
        elif field == "author":
            meta.author = meta.author or join_names(values)
        elif field in ("published", "updated"):
            when = parse_date(values[0])
            if field == "published":
                meta.published = meta.published or when
            else:
                meta.updated = meta.updated or when
        elif field == "url" or is_url(values[0]):
            meta.url = meta.url or values[0]
        else:
            meta.source = meta.source or values[0]
    return title, meta


def _inline(children: Sequence[Token] | None) -> tuple[str, bool]:
    """Inline markup as plain text, and whether any of it is more than images."""
    parts: list[str] = []
    has_text = False
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
            has_text = has_text or bool(child.content.strip())
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)  # the alt text keeps a sentence readable
        elif child.type == "html_inline" and re.match(r"<br\b", child.content, re.I):
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip(), has_text


# A list marker, once quote markers and indentation are gone: "-", "*", "+", "1.", "1)".
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")


def _unnest(line: str) -> tuple[str, bool]:
    """A line without its quote markers, indentation and list markers; and whether it opened
    a list item. Each step of the scan consumes a character, so a line of 500,000 "> " costs
    one pass."""
    pos, item = 0, False
    while pos < len(line):
        if line[pos] in " \t>":
            pos += 1
        elif marker := _LIST_MARKER.match(line, pos):
            pos, item = marker.end(), True
        else:
            break
    return line[pos:], item


def _too_deep(md: MarkdownIt, lines: list[str]) -> list[tuple[str, str]]:
    """Paragraphs of what markdown-it dropped below its nesting limit, flattened.

    markdown-it stops descending at `maxNesting` (20) levels of quotes and lists, so as not to
    recurse without bound, and silently leaves out everything deeper. The text is the reader's,
    so it is kept: each list item as a bulleted paragraph, other lines run together up to a
    blank line, and inline markup read as everywhere else (inline parsing loses nothing at the
    limit; it only stops interpreting markup).
    """
    out: list[tuple[str, str]] = []
    current: list[str] = []
    bullet = False

    def flush() -> None:
        if current:
            text, has_text = _inline(md.parseInline(" ".join(current))[0].children)
            if text and has_text:
                out.append(("p", ("• " if bullet else "") + text))

    for line in lines:
        text, item = _unnest(line)
        if item or not text.strip():
            flush()
            current, bullet = [], item
        if text.strip():
            current.append(text)
    flush()
    return out


# Inline markup characters, as markdown-it's text rule stops at them.
_MARKUP = "!#$%&*+-:<=>@[\\]^_`{}~"
# A paragraph with more markup characters than this is not parsed for inline markup: at
# about 12 µs each it would take a quarter of a second, and prose never has so many.
_DENSE_MARKS = 20_000


def _mostly_markup(content: str) -> bool:
    if len(content) < _DENSE_MARKS:
        return False
    return sum(content.count(ch) for ch in _MARKUP) > _DENSE_MARKS


def _parse_inlines(state: StateCore) -> None:
    """markdown-it's core "inline" rule, except for paragraphs dense with markup.

    markdown-it-py runs every inline rule on every markup character, about 12 µs each: a
    1 MB paragraph of "[[[[…", "*_*_…" or "a-b-c-…" took seconds to parse, and no article
    has one. Such a paragraph is kept as written, one text token, rather than lost or
    waited for.
    """
    from markdown_it.token import Token

    for token in state.tokens:
        if token.type != "inline":
            continue
        if _mostly_markup(token.content):
            token.children = [Token("text", "", 0, content=token.content)]
            continue
        if token.children is None:
            token.children = []
        state.md.inline.parse(token.content, state.md, state.env, token.children)


def _blocks(body: str) -> list[tuple[str, str]]:
    """(kind, text) blocks in document order; kind is "h1".."h6", "p" or "code"."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.at("inline", _parse_inlines)
    max_nesting = md.options["maxNesting"]
    tokens = md.parse(body)
    source = body.split("\n")
    out: list[tuple[str, str]] = []
    lists: list[str] = []
    prefix = ""
    row: list[str] = []
    heading: str | None = None
    for k, tok in enumerate(tokens):
        kind = tok.type
        if (
            kind in ("blockquote_open", "list_item_open")
            and tok.level + 1 >= max_nesting
            and tok.map is not None
        ):
            # Its content would sit at the nesting limit, where markdown-it drops it.
            out += _too_deep(md, source[tok.map[0] : tok.map[1]])
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(kind)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered = lists and lists[-1] == "ordered_list_open"
            prefix = f"{tok.info}{tok.markup} " if ordered and tok.info else "• "
        elif kind == "heading_open":
            heading = tok.tag
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if any(row):
                out.append(("p", " | ".join(row)))
        elif kind == "inline":
            text, has_text = _inline(tok.children)
            parent = tokens[k - 1].type if k else ""
            if parent in ("th_open", "td_open"):
                row.append(text)
            elif heading is not None:
                if text:
                    out.append((heading, text))
                heading = None
            elif text and has_text:
                out.append(("p", prefix + text))
                prefix = ""
        elif kind in ("fence", "code_block"):
            lines = [line.rstrip() for line in tok.content.split("\n") if line.strip()]
            if lines:
                out.append(("code", prefix + "\n".join(lines)))
                prefix = ""
    return out


# markdown-it builds a record for every line before it parses one, about a microsecond a
# line: a megabyte of blank lines took a second. More than this many blank lines in a row
# say nothing more than this many, even inside a code block.
_MAX_BLANK_LINES = 16
_BLANK_RUN = re.compile(rf"(?<!\n)\n{{{_MAX_BLANK_LINES + 2},}}")


def parse_markdown(raw: str) -> Article:
    """A Markdown article: metadata from front matter (or a first heading), plain paragraphs."""
    text = clean_text(raw).replace("\xa0", " ")
    data, body = read_front_matter(text)
    title, meta = _front_meta(data)
    body = drop_data_uris(_BLANK_RUN.sub("\n" * (_MAX_BLANK_LINES + 1), body), keep_markdown=True)
    blocks = _blocks(body)

    heading_at = next((k for k, (kind, _) in enumerate(blocks) if kind == "h1"), None)
    if heading_at is None and blocks and blocks[0][0].startswith("h"):
        heading_at = 0
    if heading_at is not None:
        heading = blocks[heading_at][1]
        if title is None or heading.casefold() == title.casefold():
            title = title or heading
            del blocks[heading_at]

    # "*By Jane Doe*" and a dateline right under the heading are metadata, not prose.
    for k, (kind, block) in enumerate(blocks[:4]):
        if kind != "p":
            break
        line_meta = read_meta_line(block)
        if line_meta is None:
            if len(block.split()) > 12:
                break
            continue
        meta.merge(line_meta)
        blocks[k] = ("", "")
    paragraphs = [block for kind, block in blocks if kind and block]
    return Article(
        title=title,
        author=meta.author,
        published=meta.when(),
        source=meta.origin(),
        paragraphs=paragraphs,
        url=meta.url,
    )
