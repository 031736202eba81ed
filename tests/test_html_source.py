"""The HTML source: a page's article as ordered blocks with its metadata, and one clear
line for what is not an article page. The pages are written here for the project.
(What each block is — heading, list item, code, table — is tests/test_html_structure.py.)"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from reader.article import InputError
from reader.article import inputs as article_inputs
from reader.sources.base import Locator
from reader.sources.html import NO_ARTICLE, HtmlSource, read_html

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


def page(body: str, *, head: str = "", title: str = "Barrier vote delayed") -> str:
    return (
        "<!doctype html><html><head>"
        f"<title>{title} | The Harbour Times</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"{body}"
        "<footer><p>© 2024 The Harbour Times. All rights reserved.</p></footer>"
        "</body></html>"
    )


def article_body(extra: str = "", *, headline: str = "Barrier vote delayed") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    return f"<main><article><h1>{headline}</h1>{paragraphs}{extra}</article></main>"


def test_structure_kept_as_blocks_in_order() -> None:
    extra = (
        "<h2>What happens next</h2>"
        "<ul><li>A second survey of the seals in March.</li>"
        "<li>A public meeting on the budget in April.</li></ul>"
        "<blockquote><p>We cannot wait for another storm to make the case for us.</p>"
        "</blockquote>"
        "<table><tr><th>Year</th><th>Cost</th></tr><tr><td>2025</td><td>4 million</td></tr>"
        "</table>"
        "<pre><code>gate_seal(replace=True)</code></pre>"
        f"<p>{PROSE[0].replace('Tuesday', 'Wednesday')}</p>"
    )
    article = read_html(page(article_body(extra)).encode())
    paras = article.paragraphs
    expected_order = [
        PROSE[0],
        PROSE[3],
        "What happens next",
        "A second survey of the seals in March.",
        "A public meeting on the budget in April.",
        "We cannot wait for another storm to make the case for us.",
        "Year\tCost\n2025\t4 million",  # a table is one block: cells by tabs, rows by lines
        "gate_seal(replace=True)",
    ]
    positions = [paras.index(p) for p in expected_order]
    assert positions == sorted(positions)
    assert not any("All rights reserved" in p or p == "Home" for p in paras)


def test_reader_comments_are_dropped() -> None:
    comments = (
        "<section id='comments' class='comments'><h3>3 Comments</h3>"
        "<div class='comment'><p class='comment-author'>harbourfan</p>"
        "<p>Typical council, always delaying the decisions that matter to the rest of us "
        "who live by the water.</p></div>"
        "<div class='comment'><p>I have lived here for sixty years and never seen the gates "
        "fail once, so why the rush now?</p></div></section>"
    )
    article = read_html(page(article_body() + comments).encode())
    assert PROSE[-1] in article.paragraphs
    assert not any("Typical council" in p or "sixty years" in p for p in article.paragraphs)


def test_repeated_headline_and_repeated_caption_dropped() -> None:
    caption = "The tidal barrier at high water on Monday."
    # A gallery's caption, then the same text again under the image it belongs to.
    extra = f"<div class='gallery'><p class='caption'>{caption}</p><p>{caption}</p></div>"
    article = read_html(page(article_body(extra)).encode())
    assert article.title == "Barrier vote delayed"
    assert article.paragraphs[0] == PROSE[0]
    assert article.paragraphs.count(caption) == 1


def test_metadata_from_meta_tags_and_json_ld() -> None:
    head = (
        '<meta property="og:site_name" content="The Harbour Times">'
        '<meta name="author" content="Jane Doe">'
        '<link rel="canonical" href="https://harbour.example/news/barrier-vote">'
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "Barrier vote delayed", '
        '"datePublished": "2024-02-20T11:42:00Z", "author": {"@type": "Person", '
        '"name": "Jane Doe"}}</script>'
    )
    byline = "<p class='byline'>By Jane Doe | 20 February 2024</p>"
    body = article_body().replace("</h1>", "</h1>" + byline)
    article = read_html(page(body, head=head).encode(), url="https://harbour.example/x?utm=1")
    assert article.title == "Barrier vote delayed"
    assert article.author == "Jane Doe"
    assert article.published == "2024-02-20"
    assert article.source == "The Harbour Times"
    assert article.url == "https://harbour.example/news/barrier-vote"
    assert not any("By Jane Doe" in p for p in article.paragraphs)


def test_url_given_is_used_when_the_page_names_none() -> None:
    article = read_html(page(article_body()).encode(), url="https://harbour.example/a")
    assert article.url == "https://harbour.example/a"


def test_charset_from_meta_tag() -> None:
    text = page(
        article_body("<p>Żółw na plaży, said the sign.</p>"), head='<meta charset="iso-8859-2">'
    )
    text = text.replace(PROSE[1], PROSE[1] + " Łódź sent a delegation.")
    article = read_html(text.encode("iso-8859-2", errors="xmlcharrefreplace"))
    assert any("Łódź sent a delegation." in p for p in article.paragraphs)
    assert article.title == "Barrier vote delayed"


def test_charset_from_http_equiv_and_from_the_server() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    text = page(article_body(f"<p>{PROSE[0]} Привет, мир.</p>"), head=head)
    assert any("Привет, мир." in p for p in read_html(text.encode("cp1251")).paragraphs)
    # The server's charset beats the page's own claim.
    plain = page(article_body(f"<p>{PROSE[0]} Ελλάδα.</p>"), head='<meta charset="utf-8">')
    got = read_html(plain.encode("iso-8859-7"), charset="iso-8859-7")
    assert any("Ελλάδα." in p for p in got.paragraphs)


@pytest.mark.parametrize("bom_codec", ["utf-8-sig", "utf-16"])
def test_bom_decides_the_encoding(bom_codec: str) -> None:
    text = page(
        article_body(f"<p>{PROSE[0]} Ça va — très bien.</p>"), head='<meta charset="cp1252">'
    )
    data = text.encode(bom_codec)
    assert data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    article = read_html(data)
    assert any("Ça va — très bien." in p for p in article.paragraphs)


def test_source_protocol_names_sniff_and_read() -> None:
    source = HtmlSource()
    assert source.name == "html"
    assert {".html", ".htm", ".xhtml"} <= source.suffixes
    assert source.media_types == {"text/html", "application/xhtml+xml"}
    assert source.sniff(b"<!DOCTYPE html><html>")
    assert source.sniff(b"\n  <!-- saved --><html lang='en'>")
    assert source.sniff(codecs.BOM_UTF8 + b"<head><title>x</title>")
    assert source.sniff(b"<body><p>hi</p>")
    assert not source.sniff(b"Just a note about <html> tags in a text file.")
    assert not source.sniff(b"# A markdown file\n\nWith <b>bold</b>.")
    locator = Locator(url="https://harbour.example/a", media_type="text/html", charset="utf-8")
    (article,) = source.read(page(article_body()).encode(), locator)
    assert article.url == "https://harbour.example/a"
    assert article.paragraphs[0] == PROSE[0]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\t  ", "no text (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "not a text file (a PNG image)"),
        (bytes(range(256)) * 8, "not a text file (binary data)"),
        (
            b"<!doctype html><html><head><title>Menu</title></head><body><nav>"
            b"<a href='/'>Home</a><a href='/a'>About</a></nav></body></html>",
            NO_ARTICLE,
        ),
        (b"<html><body></body></html>", NO_ARTICLE),
        (
            b"<!doctype html><html><head><title>Sign in</title></head><body><header><nav>"
            b"<a href='/'>Home</a> <a href='/a'>About us</a></nav></header><form>"
            b"<label>Email</label><input name='e'><button>Sign in</button></form>"
            b"<footer><a href='/p'>Privacy policy</a></footer></body></html>",
            NO_ARTICLE,
        ),
    ],
)
def test_bad_input_is_one_line_naming_the_page(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_html(data, url="https://harbour.example/p")
    message = str(caught.value)
    assert message == f"https://harbour.example/p: {problem}"
    assert "\n" not in message


def test_too_large_page_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article_inputs, "MAX_BYTES", 512)
    with pytest.raises(InputError, match=r"^page\.html: too large \(.*the limit is 512 bytes\)$"):
        read_html(page(article_body()).encode(), name="page.html")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present (../shared/data)")
@pytest.mark.parametrize("name", ["aclu", "ars-1", "guardian-1", "wikipedia"])
def test_corpus_pages_give_text_and_title(name: str) -> None:
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"{name} not in the corpus")
    article = read_html(gzip.decompress((folder / "source.html.gz").read_bytes()))
    assert article.title
    assert article.words > 200


def test_a_big_page_is_read_by_trafilatura_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second opinion doubles the cost of a page; past the limit it is not asked."""
    from reader.sources import html_extract

    page = (
        "<html><head><title>Harbour notes</title></head><body><article>"
        + "<p>The harbour wall was mended in the spring by a crew from the town.</p>" * 40
        + "</article></body></html>"
    )

    def refuse(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("readability asked about a page over the limit")

    monkeypatch.setattr(html_extract, "SECOND_OPINION_LIMIT", len(page) - 1)
    monkeypatch.setattr(html_extract, "_readability", refuse)
    article = read_html(page.encode())
    assert "harbour wall was mended" in article.text
