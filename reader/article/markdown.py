"""Markdown articles: front matter for metadata, markdown-it-py for the body.

The body keeps its shape (reader.article.markdown_blocks reads it); this module finds what
is metadata rather than text: the front matter, the title heading and a byline under it.
"""

from __future__ import annotations

import re

from reader.article.data_uris import drop_data_uris
from reader.article.dates import parse_date
from reader.article.document import PROSE_KINDS, DocumentBuilder
from reader.article.inputs import clean_text
from reader.article.markdown_blocks import Piece, read_pieces
from reader.article.meta import Meta, is_url, join_names, read_meta_line
from reader.article.model import Article

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


# markdown-it builds a record for every line before it parses one, about a microsecond a
# line: a megabyte of blank lines took a second. More than this many blank lines in a row
# say nothing more than this many, even inside a code block.
_MAX_BLANK_LINES = 16
_BLANK_RUN = re.compile(rf"(?<!\n)\n{{{_MAX_BLANK_LINES + 2},}}")


def _take_title(pieces: list[Piece], title: str | None) -> str | None:
    """The first h1 (or a heading that opens the document) is the title, not body text,
    unless the front matter names another title."""
    heading_at = next(
        (k for k, p in enumerate(pieces) if p.kind == "heading" and p.level == 1), None
    )
    if heading_at is None and pieces and pieces[0].kind == "heading":
        heading_at = 0
    if heading_at is not None:
        heading = pieces[heading_at].plain
        if heading and (title is None or heading.casefold() == title.casefold()):
            title = title or heading
            del pieces[heading_at]
    return title


def _take_byline(pieces: list[Piece], meta: Meta) -> None:
    """A byline ("*By Jane Doe*") or dateline right under the heading is metadata."""
    for piece in pieces[:4]:
        if piece.kind != "paragraph" or piece.level:
            break
        text = piece.plain
        line_meta = read_meta_line(text)
        if line_meta is None:
            if len(text.split()) > 12:
                break
            continue
        meta.merge(line_meta)
        piece.runs = []


def _build(pieces: list[Piece]) -> DocumentBuilder:
    builder = DocumentBuilder()
    for piece in pieces:
        if piece.kind == "code":
            builder.code(piece.code, piece.language)
        elif piece.kind == "table":
            builder.table(piece.rows)
        elif piece.kind == "rule":
            if len(builder):  # a break before any text separates nothing
                builder.rule()
        else:
            builder.prose(piece.kind, piece.runs, level=piece.level, number=piece.number)
    return builder


def parse_markdown(raw: str) -> Article:
    """A Markdown article: metadata from front matter (or a first heading), and the body
    with its shape: headings, lists, quotes, code, tables and inline styling (see
    reader.article.markdown_blocks for how Markdown maps onto the document model)."""
    text = clean_text(raw).replace("\xa0", " ")
    data, body = read_front_matter(text)
    title, meta = _front_meta(data)
    body = drop_data_uris(_BLANK_RUN.sub("\n" * (_MAX_BLANK_LINES + 1), body), keep_markdown=True)
    # A heading of only markup ("#") is no heading, and must not hide the title after it.
    pieces = [p for p in read_pieces(body) if p.kind not in PROSE_KINDS or p.plain]
    title = _take_title(pieces, title)
    _take_byline(pieces, meta)
    return Article.from_builder(
        _build(pieces),
        title=title,
        author=meta.author,
        published=meta.when(),
        source=meta.origin(),
        url=meta.url,
    )
