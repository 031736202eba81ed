"""Which extractor's body to trust for a page, and what to take out of it afterwards.

trafilatura and readability-lxml fail differently: trafilatura keeps what a page hides
(`hidden`, `display: none`) and stops at the first of two sibling containers a body is split
into; readability's scoring keeps the whole of the best container and its siblings, but
sometimes picks a comment thread or a link list. Both run on the same tree, hidden parts
dropped first and links made absolute, and `_choose` takes one per page on how much of
each the other confirms. Both bodies are compared as blocks (`html_blocks.Piece`), so the
one taken keeps its headings, lists, code and tables.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from reader.article import Article

if TYPE_CHECKING:
    from reader.sources.html_blocks import Piece

HtmlElement = Any  # lxml.html.HtmlElement: lxml ships no type information

__all__ = ["extract"]

_WORD = re.compile(r"\w+")
# Text inside these is the page's furniture: a page with no word outside them has no article
# (both extractors fall back to returning the menu rather than nothing).
_CHROME = {
    "a", "nav", "header", "footer", "form", "button", "label", "select", "option", "aside",
    "script", "style", "noscript", "template", "head", "title",
}  # fmt: skip
_AGREE = 0.9  # share of one body's 4-word shingles found in the other's
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def _drop_hidden(tree: HtmlElement) -> None:
    """What a browser would not show is not the article (Readability.js does the same)."""
    doomed = []
    for elem in tree.iter():
        if not isinstance(elem.tag, str):
            continue
        style = elem.get("style")
        if (
            elem.get("hidden") is not None
            or (style and _HIDDEN_STYLE.search(style))
            or (elem.get("aria-hidden") == "true" and "fallback-image" not in elem.get("class", ""))
        ):
            doomed.append(elem)
    for elem in doomed:
        if elem.getparent() is not None:
            elem.drop_tree()


def _has_prose(tree: HtmlElement) -> bool:
    """Is there a word anywhere on the page outside links, menus and forms?"""
    stack = [tree]
    while stack:
        elem = stack.pop()
        if not isinstance(elem.tag, str) or elem.tag in _CHROME:
            continue
        if elem.text and _WORD.search(elem.text):
            return True
        for child in elem:
            if child.tail and _WORD.search(child.tail):
                return True
            stack.append(child)
    return False


def _trafilatura(tree: HtmlElement, url: str | None) -> Any:
    """`fast`: readability runs anyway, trafilatura's own fallback to it would run it twice.
    Dates come from the page's markup only: htmldate's "extensive" search guesses one from
    any date in the text, and costs half the time on a long page."""
    from datetime import date

    from trafilatura import bare_extraction

    dates = {"original_date": True, "extensive_search": False, "max_date": date.today().isoformat()}
    return bare_extraction(
        tree,
        url=url,
        fast=True,
        date_extraction_params=dates,
        include_comments=False,
        include_tables=True,
        include_formatting=True,
        include_images=False,
        include_links=True,
        with_metadata=True,
        output_format="python",
    )


def _readability(tree: HtmlElement, url: str | None, base: str | None = None) -> list[Piece]:
    from readability import Document  # type: ignore[import-untyped]
    from trafilatura.utils import load_html

    from reader.sources.html_blocks import html_pieces

    try:
        summary = Document(tree, url=url).summary(html_partial=True)
    except Exception:  # Unparseable, and lxml's errors on odd trees
        return []
    if not summary.strip():
        return []
    root = load_html(f"<html><body>{summary}</body></html>")
    return html_pieces(root, base=base) if root is not None else []


def _absolute_links(tree: HtmlElement, base: str | None) -> None:
    """Links as the page means them: both extractors resolve against the host alone."""
    if base is None:
        return
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.startswith("#"):
            try:
                a.set("href", urljoin(base, href))
            except ValueError:
                continue


_FORMATTING = ("em", "i", "b", "strong", "u", "kbd", "samp", "tt", "var", "code")


def _untangle_links(tree: HtmlElement) -> None:
    """A link that opens with formatting, or formatting that opens with a link, loses
    trafilatura the link or the formatting *and* the space after it ("Netflixand"): the
    formatting goes, so the link and the words stay. Run after readability, which reads
    the same tree and has no such trouble."""
    doomed: list[HtmlElement] = []
    for elem in tree.iter("a", *_FORMATTING):
        if elem.text and elem.text.strip():
            continue
        first = next((c for c in elem if isinstance(c.tag, str)), None)
        if first is None:
            continue
        if elem.tag == "a" and first.tag in _FORMATTING:
            doomed.extend(d for d in elem.iterdescendants(*_FORMATTING))
        elif elem.tag != "a" and first.tag == "a":
            doomed.append(elem)
    for elem in doomed:
        elem.drop_tag()


def _shingles(pieces: list[Piece]) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(" ".join(p.text for p in pieces).casefold())
    if len(words) < 4:
        return Counter([tuple(words)])
    return Counter(zip(words, words[1:], words[2:], words[3:], strict=False))


def _choose(traf: list[Piece], read: list[Piece]) -> list[Piece]:
    """readability's body, unless trafilatura's holds nearly all of it and a tenth more.

    When readability's text is mostly inside trafilatura's, readability stopped short
    (a layout table, a body in two containers it scored apart) and trafilatura is kept;
    otherwise readability's is, as it keeps the whole container trafilatura cuts into.
    """
    if not traf or not read:
        return traf or read
    t, r = _shingles(traf), _shingles(read)
    both = sum((t & r).values())
    t_in_r = both / max(sum(t.values()), 1)
    r_in_t = both / max(sum(r.values()), 1)
    return traf if r_in_t >= _AGREE and t_in_r < _AGREE else _fill_gaps(read, traf)


def _fill_gaps(read: list[Piece], traf: list[Piece]) -> list[Piece]:
    """readability's body with what trafilatura found *between* two of its paragraphs
    that readability has side by side: the table or list its cleaner dropped from the
    middle of the article. Nothing is added before the first shared paragraph or after
    the last, where trafilatura's extra text is page furniture. A rule has no words and
    stands between no two paragraphs."""
    worded = [i for i, p in enumerate(read) if _key(p.text)]
    where: dict[str, int] = {}
    for rank, i in enumerate(worded):
        where.setdefault(_key(read[i].text), rank)
    inserts: dict[int, list[Piece]] = {}
    last: int | None = None
    pending: list[Piece] = []
    for p in traf:
        key = _key(p.text)
        if not key:
            continue
        at = where.get(key)
        if at is None:
            pending.append(p)
            continue
        if pending and last is not None and at == last + 1:
            inserts.setdefault(worded[last], []).extend(pending)
        pending = []
        last = at
    out: list[Piece] = []
    for i, p in enumerate(read):
        out.append(p)
        out.extend(inserts.get(i, ()))
    return out


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


SECOND_OPINION_LIMIT = 4_000_000
"""Characters of HTML up to which readability-lxml is asked as well."""


def extract(html: str, *, url: str | None = None) -> Article | None:
    """The article in `html`, or None when there is no main content."""
    from trafilatura.utils import load_html

    from reader.article.document import DocumentBuilder
    from reader.sources.html_blocks import add_pieces, page_hints, xml_pieces
    from reader.sources.html_clean import clean_pieces
    from reader.sources.html_meta import base_url, metadata

    tree = load_html(html)
    if tree is None:
        return None
    _drop_hidden(tree)
    if not _has_prose(tree):
        return None  # a menu, a login wall, an image gallery: no article to read
    base = base_url(tree, url)
    _absolute_links(tree, base)
    # The second opinion costs as much again and grows with the page; past a few MB (pages
    # of the test set stop at 1.6 MB) trafilatura alone reads it, at half the time.
    read = _readability(tree, url, base) if len(html) <= SECOND_OPINION_LIMIT else []
    _untangle_links(tree)
    doc = _trafilatura(tree, url)
    traf = []
    if doc is not None and doc.body is not None:
        traf = xml_pieces(doc.body, base=base, hints=page_hints(tree))
    meta = metadata(tree, doc, url)
    pieces = clean_pieces(_choose(traf, read), meta.title)
    if not pieces:
        return None
    builder = DocumentBuilder()
    add_pieces(builder, pieces)
    return Article.from_builder(
        builder,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        source=meta.source,
        url=meta.url,
        site=meta.site,
        lang=meta.lang,
    )
