"""OPML in and out: folders become tags, exports read back, hostile files are refused in a line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.article import InputError
from reader.sources.opml import OpmlFeed, read_opml, write_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="Top" type="rss" xmlUrl="https://top.example/rss"/>
  <outline text="News" title="News">
    <outline text="World" type="rss" xmlUrl="https://world.example/feed" htmlUrl="https://world.example/"/>
    <outline text="Local">
      <outline title="Harbour" text="ignored" xmlUrl="https://harbour.example/rss"/>
      <outline text="Bookmark" type="link" url="https://not.a.feed/"/>
    </outline>
  </outline>
  <outline text="Tech"><outline text="Harbour again" XMLURL="https://harbour.example/rss"/></outline>
  <outline text="Tech"><outline text="Dup" xmlUrl="https://harbour.example/rss"/></outline>
  <outline text="Odd" xmlUrl="javascript:alert(1)"/>
  <outline text="Feed scheme" xmlUrl="feed://scheme.example/rss"/>
</body></opml>"""


def test_nested_outlines_are_folders() -> None:
    assert read_opml(NESTED) == [
        OpmlFeed("https://top.example/rss", "Top", ()),
        OpmlFeed("https://world.example/feed", "World", ("News",)),
        OpmlFeed("https://harbour.example/rss", "Harbour", ("News", "Local")),
        OpmlFeed("https://harbour.example/rss", "Harbour again", ("Tech",)),
        OpmlFeed("http://scheme.example/rss", "Feed scheme", ()),
    ]


def test_export_round_trips() -> None:
    feeds = [(f.url, f.title, f.folders) for f in read_opml(NESTED)]
    text = write_opml(feeds, title="Mine")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<title>Mine</title>" in text
    assert [(f.url, f.title, f.folders) for f in read_opml(text.encode())] == feeds


names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12
)


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9]{0,6}", fullmatch=True),
            names,
            st.lists(names, max_size=3).map(tuple),
        ),
        max_size=8,
        unique_by=lambda f: (f[0], f[2]),
    )
)
def test_any_export_reads_back_as_written(feeds: list[tuple[str, str, tuple[str, ...]]]) -> None:
    back = read_opml(write_opml(feeds).encode())
    assert sorted((f.url, f.title, f.folders) for f in back) == sorted(feeds)


def test_titles_with_markup_quotes_and_control_characters_survive_export() -> None:
    text = write_opml([("https://a.example/?x=1&y=2", 'A <b>"bold"</b>\x01 & co', ("R&D", "<x>"))])
    assert read_opml(text.encode()) == [
        OpmlFeed("https://a.example/?x=1&y=2", 'A <b>"bold"</b> & co', ("R&D", "<x>"))
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"<opml><body><outline text='x'", "not an OPML file (broken XML at line 1"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an OPML file (broken XML"),
        (b'<rss version="2.0"><channel/></rss>', "not an OPML file (its root element is <rss>)"),
        (b'<opml version="2.0"><head/></opml>', "not an OPML file (it has no <body>)"),
    ],
)
def test_what_is_not_opml_is_one_line(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_opml(data, name="subs.opml")
    message = str(caught.value)
    assert message.startswith(f"subs.opml: {problem}") and "\n" not in message


def _bomb(depth: int) -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, depth + 1)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE opml [{entities}]><opml version="2.0"><body>'
        f'<outline text="&lol{depth};" xmlUrl="https://bomb.example/&lol{depth};"/></body></opml>'
    ).encode()


@pytest.mark.parametrize("depth", [1, 9])
def test_entity_declarations_are_refused_not_expanded(depth: int) -> None:
    with pytest.raises(InputError) as caught:
        read_opml(_bomb(depth))
    assert "not an OPML file" in str(caught.value) and "\n" not in str(caught.value)


def test_an_external_entity_is_never_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>'
    ).encode()
    with pytest.raises(InputError) as caught:
        read_opml(data)
    assert "TOP SECRET" not in str(caught.value)
