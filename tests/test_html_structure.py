"""Saved web pages keep their structure: headings with their levels, nested and numbered
lists, quotes, verbatim code, tables by cell, rules, figure captions, emphasis, strong and
code marks and absolute links, by whichever extractor's body a page is read from — and the
site's name and language. The pages are written here for the project; the corpus test
reads the Readability.js test pages when they are present."""

from __future__ import annotations

import gzip
import itertools
import random
from pathlib import Path

import pytest

from reader.article import Article
from reader.article.document import SEPARATOR, Run
from reader.sources import html_extract
from reader.sources.html import read_html
from reader.sources.html_blocks import Hints, Piece, html_pieces, xml_pieces
from reader.sources.html_clean import clean_pieces

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "web" / "readability_pages"

PROSE = [
    "The harbour council met on Tuesday evening to decide the future of the tidal barrier, "
    "which has protected the old town from winter storms for forty years.",
    "Engineers told the meeting that the gates would need new seals within five years, and "
    "that the cost would fall on the town unless the regional government stepped in.",
    "Residents queued for two hours to speak; most of them asked for the repairs to begin "
    "before the next storm season rather than after another round of studies.",
    "The vote was delayed until next month, when the regional budget is published and the "
    "council will know how much of the bill it must carry alone.",
]
CODE = "def seal(gate):\n    if gate.open:\n        gate.close()\n\n    return gate"
FIRST = PROSE[0].replace("future", "<em>future</em>").replace("protected", "<b>protected</b>")
PAGE = f"""<!doctype html><html lang="de"><head>
<title>Barrier vote delayed | The Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><article><h1>Barrier vote delayed</h1>
<p>{FIRST}</p>
<p>The gates need <code>new_seals()</code> soon, says <a href="report.html">the report</a>
and <a href="https://other.example/x">the minister</a>.</p>
<h2>What happens next</h2>
<p>{PROSE[1]}</p>
<h3>The plan</h3>
<ul><li>A second survey of the seals in March.<ul><li>The north gate is surveyed first.</li>
</ul></li><li>A public meeting on the budget in April.</li></ul>
<ol start="4"><li>The council votes on the repairs.</li><li>The work is put out to tender.</li></ol>
<blockquote><p>We cannot wait for another storm to make the case for us.</p></blockquote>
<p>{PROSE[2]}</p>
<pre><code class="language-python">{CODE}</code></pre>
<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2025</td><td>4 million</td></tr>
<tr><td>2026</td><td>6 million</td></tr></table>
<hr>
<figure><img src="/barrier.jpg" alt="The barrier"><figcaption>The tidal barrier at high water
on Monday.</figcaption></figure>
<p>{PROSE[3]}</p>
</article></main><footer><p>© 2024 The Harbour Times. All rights reserved.</p></footer>
</body></html>"""
URL = "https://harbour.example/news/barrier"

SECOND = "The gates need new_seals() soon, says the report and the minister."
COMMON_TOP = [
    ("paragraph", 0, None, None, PROSE[0]),
    ("paragraph", 0, None, None, SECOND),
    ("heading", 2, None, None, "What happens next"),
    ("paragraph", 0, None, None, PROSE[1]),
    ("heading", 3, None, None, "The plan"),
    ("list_item", 1, None, None, "A second survey of the seals in March."),
    ("list_item", 2, None, None, "The north gate is surveyed first."),
    ("list_item", 1, None, None, "A public meeting on the budget in April."),
    ("list_item", 1, 4, None, "The council votes on the repairs."),
    ("list_item", 1, 5, None, "The work is put out to tender."),
    ("quote", 1, None, None, "We cannot wait for another storm to make the case for us."),
    ("paragraph", 0, None, None, PROSE[2]),
    ("code", 0, None, "python", CODE),
    ("table", 0, None, None, "Year\tCost\n2025\t4 million\n2026\t6 million"),
]  # fmt: skip
LAST = ("paragraph", 0, None, None, PROSE[3])


def shape(article: Article) -> list[tuple[str, int, int | None, str | None, str]]:
    return [(b.kind, b.level, b.number, b.language, article.block_text(b)) for b in article.blocks]


def read_by(monkeypatch: pytest.MonkeyPatch, which: str) -> Article:
    """The page read from one extractor's body only."""
    pick = (lambda traf, read: traf) if which == "trafilatura" else (lambda traf, read: read)
    monkeypatch.setattr(html_extract, "_choose", pick)
    return read_html(PAGE.encode(), url=URL)


def assert_inline_and_meta(article: Article) -> None:
    text = article.text
    assert [(m.kind, text[m.start : m.end]) for m in article.marks] == [
        ("emphasis", "future"),
        ("strong", "protected"),
        ("code", "new_seals()"),
    ]
    assert [(text[k.start : k.end], k.href) for k in article.links] == [
        ("the report", "https://harbour.example/news/report.html"),
        ("the minister", "https://other.example/x"),
    ]
    (table,) = [b for b in article.blocks if b.kind == "table"]
    cells = [[text[s:e] for s, e in row] for row in table.rows]
    assert cells == [["Year", "Cost"], ["2025", "4 million"], ["2026", "6 million"]]
    assert article.title == "Barrier vote delayed"
    assert article.site == "The Harbour Times"
    assert article.lang == "de"
    assert Article.from_dict(article.to_dict()) == article


def test_readability_body_keeps_every_kind_of_block(monkeypatch: pytest.MonkeyPatch) -> None:
    article = read_by(monkeypatch, "readability")
    assert shape(article) == [
        *COMMON_TOP,
        ("rule", 0, None, None, "* * *"),
        ("caption", 0, None, None, "The tidal barrier at high water on Monday."),
        LAST,
    ]
    assert_inline_and_meta(article)


def test_trafilatura_body_keeps_its_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura drops figures and reads <hr> as a line break: no rule, no caption."""
    article = read_by(monkeypatch, "trafilatura")
    assert shape(article) == [*COMMON_TOP, LAST]
    assert_inline_and_meta(article)


def test_the_chosen_body_gets_the_table_back_and_keeps_the_invariants() -> None:
    article = read_html(PAGE.encode(), url=URL)
    assert [b.kind for b in article.blocks].count("table") == 1
    assert_invariants(article)


def kinds(pieces: list[Piece]) -> list[tuple[str, int, int | None, str]]:
    return [(p.kind, p.level, p.number, p.text) for p in pieces]


def test_html_walker_numbers_quotes_breaks_and_layout_tables() -> None:
    from trafilatura.utils import load_html

    root = load_html(
        "<html><body>"
        "<ol><li>One</li><li value='7'>Seven</li><li>Eight <ol start='2'><li>Two</li></ol></li>"
        "</ol><blockquote><p>Outer</p><blockquote><p>Inner</p></blockquote></blockquote>"
        "<p>First line<br>same paragraph<br><br>new paragraph</p>"
        "<pre>  a = 1<br>  b = 2</pre>"
        "<table><tr><td><p>A column of the page.</p></td><td><h4>Side</h4></td></tr></table>"
        "<ul>Stray text in a list<li>Item</li></ul>"
        "<p><a href='/a'><em>link</em></a> and <a href='javascript:void(0)'>nothing</a></p>"
        "</body></html>"
    )
    pieces = html_pieces(root, base="https://harbour.example/x/y")
    assert kinds(pieces) == [
        ("list_item", 1, 1, "One"),
        ("list_item", 1, 7, "Seven"),
        ("list_item", 1, 8, "Eight"),
        ("list_item", 2, 2, "Two"),
        ("quote", 1, None, "Outer"),
        ("quote", 2, None, "Inner"),
        ("paragraph", 0, None, "First line same paragraph"),
        ("paragraph", 0, None, "new paragraph"),
        ("code", 0, None, "  a = 1\n  b = 2"),
        ("paragraph", 0, None, "A column of the page."),
        ("heading", 4, None, "Side"),
        ("list_item", 1, None, "Stray text in a list"),
        ("list_item", 1, None, "Item"),
        ("paragraph", 0, None, "link and nothing"),
    ]
    assert pieces[-1].runs[0] == Run("link", frozenset({"emphasis"}), "https://harbour.example/a")
    assert all(r.href is None for r in pieces[-1].runs[1:])


def test_xml_walker_reads_trafilatura_markup() -> None:
    from lxml import etree  # type: ignore[import-untyped]

    body = etree.fromstring(
        "<body><head rend='h4'>Part <hi rend='#i'>two</hi></head>"
        "<p>Water is H<hi rend='#sub'>2</hi>O, see <ref target='https://a.example/'>this"
        "</ref>and <hi rend='#b'>that</hi><hi rend='#t'>now</hi>.<lb/>Same line.</p>"
        "<list rend='ol'><item>Three<list rend='ul'><item>Sub</item></list></item>"
        "<item>Four</item></list>"
        "<quote><p>Said once.</p></quote>"
        "<code>for x in y:<lb/>    print(x)</code>"
        "<p>Use <code>git log</code> here.</p>"
        "<table><row><cell role='head'>Name</cell><cell role='head'>Age</cell></row>"
        "<row><cell>Ann</cell><cell>41</cell></row>"
        "<row><cell><p>A layout cell.</p></cell></row></table>"
        "<p><ref target='/1'>4.2.3</ref><ref target='/2'>4.1.6</ref>"
        "<ref target='/3'>4.2.4</ref></p>"
        "</body>"
    )
    hints = Hints(starts={"three sub four": 3}, spaced=frozenset({"this"}))
    pieces = xml_pieces(body, hints=hints)
    assert kinds(pieces) == [
        ("heading", 4, None, "Part two"),
        ("paragraph", 0, None, "Water is H2O, see this and that now. Same line."),
        ("list_item", 1, 3, "Three"),
        ("list_item", 2, None, "Sub"),
        ("list_item", 1, 4, "Four"),
        ("quote", 1, None, "Said once."),
        ("code", 0, None, "for x in y:\n    print(x)"),
        ("paragraph", 0, None, "Use git log here."),
        ("table", 0, None, "Name\tAge\nAnn\t41"),
        ("paragraph", 0, None, "A layout cell."),
    ]
    runs = {r.text.strip(): r for r in pieces[1].runs if r.text.strip()}
    assert runs["that"].marks == {"strong"} and runs["now"].marks == {"code"}
    assert runs["this"].href == "https://a.example/"
    assert {r.text: r.marks for r in pieces[7].runs}["git log"] == {"code"}


def test_clean_up_applies_to_prose_blocks_only() -> None:
    def para(text: str) -> Piece:
        return Piece("paragraph", (Run(text),))

    pieces = [
        Piece("rule"),
        Piece("heading", (Run("Barrier vote delayed"),), level=1),
        para("By Jane Doe | 20 February 2024"),
        Piece("code", verbatim="By Jane Doe | 20 February 2024"),
        Piece("paragraph", (Run("Jump to navigation", href="https://h.example/a#nav"),)),
        para(PROSE[0]),
        Piece("caption", (Run("The barrier at dusk."),)),
        Piece("caption", (Run("The barrier at dusk."),)),
        Piece("rule"),
        Piece("rule"),
        para(PROSE[1]),
        Piece("rule"),
    ]
    kept = clean_pieces(pieces, "Barrier vote delayed")
    assert [(p.kind, p.text) for p in kept] == [
        ("code", "By Jane Doe | 20 February 2024"),
        ("paragraph", PROSE[0]),
        ("caption", "The barrier at dusk."),
        ("rule", "* * *"),
        ("paragraph", PROSE[1]),
    ]


def test_site_and_language_from_what_the_page_declares() -> None:
    head = (
        '<meta property="og:locale" content="en_GB">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "NewsArticle", "headline": "Barrier vote delayed", "inLanguage": "fr",'
        ' "publisher": {"@type": "Organization", "name": "Harbour Media"}}]}</script>'
    )
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    page = f"<html><head><title>Barrier vote delayed</title>{head}</head><body><article>{body}"
    article = read_html(f"{page}</article></body></html>".encode(), url=URL)
    assert (article.site, article.lang) == ("Harbour Media", "en-GB")
    bare = f"<html><head><title>Barrier vote delayed</title></head><body><article>{body}"
    article = read_html(f"{bare}</article></body></html>".encode(), url=URL)
    assert (article.site, article.lang) == (None, None)  # not the domain, not a guess
    assert article.source == "harbour.example"  # what `source` always was


def test_links_resolve_against_base_href_or_the_canonical_url() -> None:
    body = "".join(f"<p>{p}</p>" for p in PROSE[:3])
    link = f"<p>{PROSE[3]} See <a href='notes/1'>the notes</a>.</p>"
    canonical = '<link rel="canonical" href="https://harbour.example/news/barrier">'
    for head, expected in (
        (canonical, "https://harbour.example/news/notes/1"),
        (canonical + '<base href="/archive/">', "https://harbour.example/archive/notes/1"),
    ):
        page = f"<html><head><title>T</title>{head}</head><body><article>{body}{link}"
        article = read_html(f"{page}</article></body></html>".encode())
        assert [k.href for k in article.links] == [expected]


def assert_invariants(article: Article) -> None:
    text, blocks = article.text, article.blocks
    assert blocks and blocks[0].start == 0 and blocks[-1].end == len(text)
    for before, after in itertools.pairwise(blocks):
        assert text[before.end : after.start] == SEPARATOR
    for block in blocks:
        assert 0 <= block.start < block.end <= len(text)
        if block.is_prose:
            assert "\n" not in article.block_text(block)
            assert article.block_text(block) == article.block_text(block).strip()
        for row in block.rows:
            for start, end in row:
                assert block.start <= start <= end <= block.end
    spans = [(m.start, m.end) for m in article.marks] + [(k.start, k.end) for k in article.links]
    for start, end in spans:
        assert any(b.start <= start < end <= b.end for b in blocks)
    assert Article.from_dict(article.to_dict()) == article


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present (../shared/data)")
def test_corpus_pages_give_well_formed_documents() -> None:
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    for folder in random.Random(12).sample(folders, min(20, len(folders))):
        article = read_html(gzip.decompress((folder / "source.html.gz").read_bytes()))
        assert_invariants(article)
