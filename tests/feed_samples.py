"""Feeds for the feed tests, written out by hand in each flavour: RSS 0.91, 1.0, 2.0, Atom."""

from __future__ import annotations

from html import escape

BODY = " ".join(f"Sentence {n} of the post tells the reader something new." for n in range(40))


def body(name: str) -> str:
    """Full-content HTML long enough (400 words) to be no teaser."""
    return f"<p>{name} opens here. {BODY}</p><p>{name} closes the story. {BODY}</p>"


def rss2(title: str, items: list[dict[str, str]]) -> str:
    """`items`: title, link, guid, and content (full HTML) or summary (a teaser)."""
    parts = []
    for item in items:
        fields = [f"<title>{escape(item['title'])}</title>"]
        if "link" in item:
            fields.append(f"<link>{escape(item['link'])}</link>")
        if "guid" in item:
            fields.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        if "summary" in item:
            fields.append(f"<description>{escape(item['summary'])}</description>")
        if "content" in item:
            fields.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("<item>" + "".join(fields) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>http://example.org/</link>"
        + "".join(parts)
        + "</channel></rss>"
    )


def rss091(title: str, link: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="0.91"><channel>'
        f"<title>{title}</title><link>http://example.org/</link><description>d</description>"
        f"<item><title>Old style</title><link>{link}</link>"
        f"<description>{escape(body('Old style'))}</description></item>"
        "</channel></rss>"
    )


def rss10(title: str, link: str) -> str:
    return (
        '<?xml version="1.0"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f'<channel rdf:about="http://example.org/"><title>{title}</title>'
        "<link>http://example.org/</link><description>d</description></channel>"
        f'<item rdf:about="{link}"><title>RDF style</title><link>{link}</link>'
        f"<content:encoded><![CDATA[{body('RDF style')}]]></content:encoded></item>"
        "</rdf:RDF>"
    )


def atom(title: str, link: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:feed</id><updated>2024-03-01T10:00:00Z</updated>"
        "<author><name>Ann Atom</name></author>"
        f'<entry><title>Atom style</title><link href="{link}"/><id>urn:entry:1</id>'
        "<updated>2024-03-01T10:00:00Z</updated>"
        f'<content type="html">{escape(body("Atom style"))}</content></entry></feed>'
    )


def page(title: str, name: str) -> str:
    """An article page, the home of a teaser item."""
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1>{body(name)}</article></body></html>"
    )
