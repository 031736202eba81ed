"""Feeds parse from bytes: the feedparser corpus end to end, and the cases the app relies on.

The corpus (../shared/data/feeds/feedparser_tests) is feedparser's own test set: its files
under wellformed/ are well-formed feeds, so every item element in one must come out as an
item; `Header:` lines in a file's comment are the response headers its test sends.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from reader.article import InputError
from reader.sources.feed import (
    TEASER_WORDS,
    FeedItem,
    content_hash,
    dedupe_key,
    item_article,
    normalise_link,
    parse_feed,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds" / "feedparser_tests"
BASE = "http://127.0.0.1:8097/"
_HEADER = re.compile(rb"^Header:\s*([^:\r\n]+):\s*(.*?)\s*$", re.M)
_EXPECT = re.compile(rb"^Expect:\s*(.*?)\s*$", re.M)
_COMMENT = re.compile(rb"<!--.*?-->", re.S)
_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]", re.I)
_TITLE_IS = re.compile(r"^(?:not bozo and )?feed\['title'\] == (u?'.*')$")
_DESCRIPTION_IS = re.compile(r"^(?:not bozo and )?entries\[0\]\['description'\] == (u?'[^<&]*')$")

WORDS = " ".join(["word"] * (TEASER_WORDS + 30))


def _headers(data: bytes) -> dict[str, str]:
    return {m[1].decode().strip(): m[2].decode() for m in _HEADER.finditer(data[:3000])}


def _expect(data: bytes) -> str:
    m = _EXPECT.search(data[:3000])
    return m[1].decode("utf-8", "replace") if m else ""


def _collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the feed corpus is not in ../shared/data")
def test_the_whole_corpus_parses_and_well_formed_feeds_yield_every_item() -> None:
    from reader.sources.feed import _text

    files = sorted(CORPUS.rglob("*.xml"))
    crashed: list[str] = []
    lost: list[str] = []
    wrong: list[str] = []
    items = titles = descriptions = 0
    for path in files:
        name = str(path.relative_to(CORPUS))
        data = path.read_bytes()
        try:
            feed = parse_feed(data, url=BASE + name, headers=_headers(data))
        except Exception as exc:
            crashed.append(f"{name}: {exc!r}")
            continue
        if path.relative_to(CORPUS).parts[0] == "wellformed":
            expected = len(_ITEM.findall(_COMMENT.sub(b"", data)))
            items += expected
            if len(feed.items) != expected or (expected and feed.problem):
                lost.append(f"{name}: {len(feed.items)} of {expected} items ({feed.problem})")
        expect = _expect(data)
        if path.parent.name == "entities" and (m := _TITLE_IS.match(expect)):
            titles += 1
            if feed.title != (_collapse(ast.literal_eval(m[1])) or None):
                wrong.append(f"{name}: title {feed.title!r}, expected {m[1]}")
        if path.parent.name == "encoding" and (m := _DESCRIPTION_IS.match(expect)):
            descriptions += 1
            got = feed.items[0].summary_html if feed.items else None
            if got is None or _text(got) != ast.literal_eval(m[1]):
                wrong.append(f"{name}: description {got!r}, expected {m[1]}")
    assert len(files) > 2000
    assert not crashed, crashed[:10]
    assert items > 1000 and not lost, lost[:10]
    assert titles > 200 and descriptions >= 5 and not wrong, wrong[:10]


def _rss(items: str, *, version: str = "2.0", head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}'
        f'<rss version="{version}" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Harbour News</title><link>https://harbour.example/</link>{items}"
        "</channel></rss>"
    ).encode()


@pytest.mark.parametrize("version", ["0.91", "0.92"])
def test_rss_09x_items_come_with_title_link_and_text(version: str) -> None:
    feed = parse_feed(
        _rss(
            f"<item><title>Gates shut</title><link>https://harbour.example/gates</link>"
            f"<description>{WORDS}</description></item>",
            version=version,
        ),
        url="https://harbour.example/rss",
    )
    assert feed.problem is None
    assert (feed.title, feed.link) == ("Harbour News", "https://harbour.example/")
    [item] = feed.items
    assert (item.title, item.link) == ("Gates shut", "https://harbour.example/gates")
    assert item.summary_html == WORDS and item.content_html is None
    assert not item.is_teaser  # a long description is the article


def test_rss_10_rdf_items() -> None:
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://site.example/"><title>RDF Site</title><link>https://site.example/</link>
<items><rdf:Seq><rdf:li rdf:resource="https://site.example/1"/><rdf:li rdf:resource="https://site.example/2"/></rdf:Seq></items>
</channel>
<item rdf:about="https://site.example/1"><title>One</title><link>https://site.example/1</link>
<dc:creator>Helen Marsh</dc:creator><dc:date>2024-02-20T11:42:00+01:00</dc:date>
<dc:subject>tides</dc:subject></item>
<item rdf:about="https://site.example/2"><title>Two</title><link>https://site.example/2</link></item>
</rdf:RDF>"""
    feed = parse_feed(body, url="https://site.example/index.rdf")
    assert feed.title == "RDF Site"
    assert [i.title for i in feed.items] == ["One", "Two"]
    one = feed.items[0]
    assert (one.author, one.published, one.tags) == (
        "Helen Marsh",
        "2024-02-20T11:42:00",
        ["tides"],
    )
    assert one.is_teaser  # no text at all: the article is at the link


def test_rss_20_content_encoded_is_the_full_content() -> None:
    full = "<p>" + WORDS + "</p><p>The <em>second</em> paragraph.</p>"
    feed = parse_feed(
        _rss(
            "<item><guid isPermaLink='false'>tag:harbour,2024:1</guid><title>Full</title>"
            "<link>https://harbour.example/full?utm_source=rss</link>"
            "<description>A short teaser.</description>"
            f"<content:encoded><![CDATA[{full}]]></content:encoded>"
            "<pubDate>Tue, 20 Feb 2024 11:42:00 +0100</pubDate><category>Weather</category>"
            "<category>weather</category><dc:creator>Tom Reyes</dc:creator></item>"
        ),
        url="https://harbour.example/rss",
    )
    [item] = feed.items
    assert item.content_html == full and item.summary_html == "A short teaser."
    assert not item.is_teaser
    assert item.guid == "tag:harbour,2024:1"
    assert item.published == "2024-02-20T11:42:00"  # the time as written, as other sources
    assert (item.author, item.tags) == ("Tom Reyes", ["Weather"])
    assert dedupe_key(item) == ("tag:harbour,2024:1", "https://harbour.example/full")


def _atom(entry: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<title type="html">Tide &lt;i&gt;Log&lt;/i&gt;</title><author><name>Helen Marsh</name>'
        '</author><link rel="alternate" href="https://tides.example/"/>'
        f"<entry>{entry}</entry></feed>"
    ).encode()


def test_atom_content_is_full_and_inherits_the_feed_author() -> None:
    feed = parse_feed(
        _atom(
            '<id>urn:uuid:1</id><title>High water</title><link href="https://tides.example/hw"/>'
            "<updated>2024-02-20T11:42:00Z</updated><summary>Short.</summary>"
            f'<content type="html">&lt;p&gt;{WORDS}&lt;/p&gt;</content>'
        ),
        url="https://tides.example/atom.xml",
    )
    assert feed.title == "Tide Log"  # an HTML title as text
    [item] = feed.items
    assert item.content_html == f"<p>{WORDS}</p>" and item.summary_html == "<p>Short.</p>"
    assert (item.author, item.published, item.is_teaser) == (
        "Helen Marsh",
        "2024-02-20T11:42:00",
        False,
    )


def test_atom_with_a_summary_only_is_a_teaser() -> None:
    feed = parse_feed(
        _atom(
            '<id>urn:uuid:2</id><title>Low water</title><link href="https://tides.example/lw"/>'
            "<summary>The tide went out further than anyone remembered.</summary>"
        ),
        url="https://tides.example/atom.xml",
    )
    [item] = feed.items
    assert item.content_html is None and item.is_teaser
    assert item_article(item, feed.title) is None  # the caller fetches the link


@pytest.mark.parametrize(
    "summary",
    [
        f"<p>{WORDS} and then it stops [&#8230;]</p>",
        f"<p>{WORDS}</p><p><a href='https://harbour.example/cut'>Continue reading →</a></p>",
        f"<p>{WORDS} <a href='/cut'>more</a></p>",  # its last link is the item's own page
        f"<p>{WORDS}...</p><p>The post <a href='https://harbour.example/cut'>Cut</a> appeared "
        "first on <a href='https://harbour.example/'>Harbour</a>.</p>",
    ],
)
def test_a_long_excerpt_that_says_it_was_cut_is_a_teaser(summary: str) -> None:
    item = parse_feed(
        _rss(
            f"<item><title>Cut</title><link>https://harbour.example/cut</link>"
            f"<description><![CDATA[{summary}]]></description></item>"
        ),
        url="https://harbour.example/rss",
    ).items[0]
    assert item.is_teaser


def test_a_teaser_falls_back_to_its_summary_only_when_asked() -> None:
    item = parse_feed(
        _rss(
            "<item><title>Short</title><link>https://harbour.example/s</link>"
            "<description>Just a line about the storm.</description></item>"
        ),
        url="https://harbour.example/rss",
    ).items[0]
    assert item.is_teaser and item_article(item, "Harbour News") is None
    article = item_article(item, "Harbour News", teaser_ok=True)
    assert article is not None and article.text == "Just a line about the storm."


def test_item_article_is_the_content_with_the_feed_title_as_source() -> None:
    full = (
        "<p>The steel gates of the barrier swung shut late on Monday, and the engineers "
        "watched.</p><h2>After the surge</h2><p>See <a href='/report'>the report</a>.</p>"
        "<ul><li>gates held</li><li>pumps ran</li></ul><p>End of story here.</p>"
    )
    feed = parse_feed(
        _rss(
            "<item><title>Gates &amp; pumps</title><link>https://harbour.example/g</link>"
            f"<content:encoded><![CDATA[{full}]]></content:encoded>"
            "<pubDate>Tue, 20 Feb 2024 11:42:00 GMT</pubDate>"
            "<dc:creator>Tom Reyes</dc:creator></item>"
        ),
        url="https://harbour.example/rss",
    )
    article = item_article(feed.items[0], feed.title)
    assert article is not None
    assert (article.title, article.source, article.url) == (
        "Gates & pumps",
        "Harbour News",
        "https://harbour.example/g",
    )
    assert (article.author, article.published) == ("Tom Reyes", "2024-02-20T11:42:00")
    assert [b.kind for b in article.blocks] == [
        "paragraph", "heading", "paragraph", "list_item", "list_item", "paragraph"
    ]  # fmt: skip
    assert [link.href for link in article.links] == ["https://harbour.example/report"]


def test_an_item_with_nothing_to_read_and_no_link_is_one_line() -> None:
    item = parse_feed(_rss("<item><title>Empty</title></item>"), url="https://h.example/rss").items[
        0
    ]
    assert not item.is_teaser and item.link is None
    with pytest.raises(InputError) as caught:
        item_article(item, "Harbour News")
    assert "\n" not in str(caught.value) and "no text and no link" in str(caught.value)


def test_latin1_declared_in_the_xml() -> None:
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>Café Brûlé</title><item><title>Crème</title><link>http://c.example/1</link>"
        "</item></channel></rss>"
    ).encode("latin-1")
    feed = parse_feed(body, url="http://c.example/rss")
    assert (feed.title, feed.items[0].title) == ("Café Brûlé", "Crème")


def test_an_undeclared_charset_comes_from_the_content_type_header() -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ελληνικά νέα</title>'
        "<item><title>Καιρός</title><link>http://g.example/1</link></item></channel></rss>"
    ).encode("iso-8859-7")
    feed = parse_feed(
        body, url="http://g.example/rss", headers={"Content-Type": "text/xml; charset=iso-8859-7"}
    )
    assert (feed.title, feed.items[0].title) == ("Ελληνικά νέα", "Καιρός")


def test_html_entities_that_xml_does_not_define() -> None:
    body = (
        b'<rss version="2.0"><channel><title>Caf&eacute; &amp; Bar&nbsp;&mdash; News</title>'
        b"<item><title>It&rsquo;s &hellip; here</title><link>http://e.example/1</link></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(body, url="http://e.example/rss")
    assert feed.title == "Café & Bar — News"
    assert feed.items[0].title == "It’s … here"


def test_relative_links_resolve_against_the_feed_url() -> None:
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>R</title><link>/</link><item><title>A</title>'
        b"<link>posts/a.html</link><description>&lt;a href='../img/x.png'&gt;x&lt;/a&gt;"
        b"</description></item></channel></rss>",
        url="https://rel.example/blog/feed.xml",
    )
    assert feed.link == "https://rel.example/"
    item = feed.items[0]
    assert item.link == "https://rel.example/blog/posts/a.html"
    assert item.summary_html is not None and "https://rel.example/img/x.png" in item.summary_html


def test_a_page_that_is_not_a_feed_says_so_in_one_line() -> None:
    for body in (
        b"<!doctype html><html><body><p>hello</p></body></html>",
        b"\x00\x01garbage",
        b"  ",
    ):
        feed = parse_feed(body, url="https://x.example/")
        assert feed.items == [] and feed.problem is not None and "\n" not in feed.problem


def test_a_string_that_looks_like_a_path_is_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(_rss("<item><title>leaked</title></item>"))
    feed = parse_feed(str(secret).encode(), url="https://x.example/")
    assert feed.items == []


def test_dedupe_keys_and_content_hash() -> None:
    def item(guid: str | None, link: str | None, body: str) -> FeedItem:
        return FeedItem(guid, link, "t", None, None, body, None, False)

    a = item("g1", "HTTPS://Site.Example:443/post?utm_medium=x&id=2#top", "<p>Same  words</p>")
    b = item(None, "https://site.example/post?id=2", "<div>same words</div>")
    assert dedupe_key(a) == ("g1", "https://site.example/post?id=2")
    assert dedupe_key(a)[1] == dedupe_key(b)[1]
    assert content_hash(a) == content_hash(b) is not None
    assert content_hash(item(None, None, "<p></p>")) is None
    # Markup the stdlib's HTMLParser raises on is still only markup.
    assert content_hash(item(None, None, "<![foo bar]>same <b>words</b>")) == content_hash(a)
    assert normalise_link("http://site.example") == "http://site.example/"
