"""A site's address leads to its feeds, and fetched bytes say whether they already are one."""

from __future__ import annotations

import codecs

import pytest

from reader.sources.feed_discovery import feed_links, looks_like_feed

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>Harbour</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/feed.xml">
<link rel="alternate" hreflang="de" href="/de/">
<link rel="Alternate Home" type="application/atom+xml; charset=utf-8" href="atom.xml">
<link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/rss+xml" href="https://harbour.example/feed.xml">
<link rel="alternate" type="application/rss+xml" href="feed://other.example/rss">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><link rel="alternate" type="application/rss+xml" href="/comments/feed">
<p>Hello</p></body></html>"""


def test_feed_links_in_page_order_absolute_and_once() -> None:
    assert feed_links(PAGE, "https://harbour.example/blog/") == [
        "https://harbour.example/feed.xml",
        "https://harbour.example/blog/atom.xml",
        "http://other.example/rss",
        "https://harbour.example/comments/feed",
    ]


def test_base_href_is_the_base_for_relative_links() -> None:
    page = (
        b'<html><head><base href="https://cdn.example/site/">'
        b'<link rel="alternate" type="application/atom+xml" href="atom.xml"></head></html>'
    )
    assert feed_links(page, "https://harbour.example/") == ["https://cdn.example/site/atom.xml"]


@pytest.mark.parametrize("page", [b"", b"<html><body>No feeds here</body></html>", b"\x00\xff\xfe"])
def test_a_page_without_feeds_gives_none(page: bytes) -> None:
    assert feed_links(page, "https://harbour.example/") == []


RSS = b'<?xml version="1.0"?>\n<!-- generator -->\n<rss version="2.0"><channel/></rss>'
ATOM = b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"/>'
RDF = (
    b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>'
)


@pytest.mark.parametrize(
    ("head", "media"),
    [
        (b"anything", "application/rss+xml"),
        (b"anything", "application/atom+xml; charset=utf-8"),
        (RSS, "text/xml"),
        (RSS, "text/html"),  # mislabelled, but its root says what it is
        (ATOM, None),
        (RDF, "application/rdf+xml"),
        (codecs.BOM_UTF8 + RSS, "application/xml"),
        (codecs.BOM_UTF16_LE + RSS.decode().encode("utf-16-le"), "text/plain"),
        (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss/>', "text/xml"),
    ],
)
def test_feeds_are_recognised(head: bytes, media: str | None) -> None:
    assert looks_like_feed(head, media)


@pytest.mark.parametrize(
    ("head", "media"),
    [
        (b"<!doctype html><html><head><title>rss</title>", "text/html"),
        (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', "application/xml"),
        (
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
            None,
        ),
        (b"%PDF-1.7 <rss>", "application/pdf"),
        (b"Some text mentioning <rss> later", "text/plain"),
    ],
)
def test_other_bytes_are_not_feeds(head: bytes, media: str | None) -> None:
    assert not looks_like_feed(head, media)
