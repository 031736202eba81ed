"""Article cleanup: clip and Markdown fixtures with their expected metadata and paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.article import Article, parse_article, parse_clip, parse_markdown, read_text_file
from reader.article.dates import is_date, parse_date
from reader.article.document import Link, Mark
from reader.article.meta import read_meta_line

CLIPS = Path(__file__).parent / "fixtures" / "clips"

# Lines that are chrome wherever they appear; none may survive as a paragraph.
CHROME = {
    "skip to content", "menu", "home", "search", "sign in", "subscribe", "share",
    "share this article", "share this post", "facebook", "twitter", "email", "linkedin",
    "copy link", "advertisement", "read more", "leave a comment", "accept all",
    "manage preferences", "world", "technology", "listen to this article",
}  # fmt: skip


@dataclass(frozen=True)
class Expected:
    title: str | None
    author: str | None
    published: str | None
    source: str | None
    first: str
    last: str
    count: int
    absent: tuple[str, ...] = ()  # fixture-specific boilerplate that must be gone
    url: str | None = None


EXPECTED = {
    "wire_story.txt": Expected(
        title="Port strike halts grain exports from Valmora",
        author="Lena Marsh and Tomas Ruiz",
        published="2024-02-20T11:42:00",
        source="Reuters",
        first=(
            "VALMORA (Reuters) - Dock workers at the country's two largest grain terminals "
            "walked off the job on Tuesday, halting the loading of wheat and barley ships a "
            "week before the spring export season begins."
        ),
        last=(
            "The port operator said in a statement that it remained open to talks and had "
            "asked the labour ministry to mediate."
        ),
        count=5,
        absent=(
            "Harbour Ledger",
            "By Lena",
            "Feb 20",
            "Related:",
            "Source:",
            "Last Updated",
            "©",
            "All rights reserved",
            "Advertisement",
            "Sign in",
        ),
    ),
    "blog_written_by.txt": Expected(
        title="Why I went back to a paper notebook",
        author="Sam Patel",
        published="2023-03-03",
        source=None,
        first=(
            "For two years I kept every note in an app. It synced across three devices, it "
            "had tags and full-text search, and it still managed to hide the one list I "
            "needed on a Tuesday morning."
        ),
        last="Paper is slow. That is the point.",
        count=4,
        absent=("Written by", "March 3", "Share this post", "LinkedIn", "Leave a comment"),
    ),
    "plain_no_metadata.txt": Expected(
        title=None,
        author=None,
        published=None,
        source=None,
        first=(
            "The first frost arrived three weeks early this year, and the beans that had "
            "looked so promising in September turned black overnight along the lower fence."
        ),
        last=(
            "By the end of October the shed was full of them, stacked on the shelves where "
            "the tomatoes usually ripen, and the committee agreed that next spring the lower "
            "beds would go to garlic instead."
        ),
        count=4,
    ),
    "hard_wrapped.txt": Expected(
        title="The Bridge That Took Nine Years",
        author="Ines Duarte",
        published="2024-02-20",
        source=None,
        first=(
            "When the river crossing at Castel Branco finally opened to traffic, the town had "
            "been waiting for it since the spring of 1922. The first design was rejected by "
            "the regional council, the second ran out of money, and the third was interrupted "
            "by a flood that carried away half the scaffolding."
        ),
        last="Either way, the bridge has outlived everyone who built it.",
        count=5,
        absent=("By Ines", "20 February"),
    ),
    "standfirst_updated.txt": Expected(
        title="City libraries will lend out sewing machines and soldering irons",
        author="Nadia Brooks",
        published="2024-02-20",
        source=None,
        first=(
            "A pilot scheme in four branches treats tools like books, with loans of up to "
            "two weeks."
        ),
        last=(
            "If the pilot goes well, the service hopes to extend it to every branch by the "
            "end of next year."
        ),
        count=6,
        absent=("Staff Writer", "Published", "Updated", "min read", "Technology"),
    ),
    "cookie_footer.txt": Expected(
        title="Orchard owners try sheep instead of mowers",
        author="Ruth Kowalski",
        published="2024-05-12",
        source="The Valley Courier",  # a masthead that the footer's credits confirm
        first=(
            "Growers on the east slope of the valley have found an unexpected answer to the "
            "cost of keeping grass down between their apple trees: a flock of small sheep "
            "that cannot reach the branches."
        ),
        last="The farms plan to add a second flock next year if the lambing season goes well.",
        count=4,
        absent=(
            "cookies",
            "Subscribe",
            "subscriber",
            "newsletter",
            "Valley Courier",  # the masthead, and the footer that names it
            "Scroll",
            "Bakery",
            "cycle lane",
            "choir",
            "Tags",
            "Copyright",
            "2024-05-12",
        ),
    ),
    "one_line_paragraphs.txt": Expected(
        title="A small telescope on a school roof spots a new variable star",
        author="Omar Haddad",
        published="2024-02-20T11:42:00",
        source=None,
        first=(
            "Students at a secondary school outside Lisbon have been credited with the "
            "discovery of a variable star after months of nightly observations with a "
            "telescope bought with money from a bake sale."
        ),
        last=(
            "The school now plans to share its observations with an amateur network that "
            "tracks thousands of similar stars."
        ),
        count=4,
        absent=("Home ›", "GMT", "Omar Haddad", "Listen"),
    ),
    "platform_post.txt": Expected(
        title="Why Small Teams Ship Faster",
        author="Hannah Voss",
        published="2023-11-08",
        source=None,
        first="Notes from ten years of watching projects succeed and stall",
        last="It is arithmetic: every new person adds a conversation with everyone already there.",
        count=5,
        absent=("Follow", "min read", "128", "Listen", "Sign up", "Free", "No ads", "--"),
    ),
    "front_matter.md": Expected(
        title="Notes on Keeping Bees in a Small Garden",
        author="Priya Nair",
        published="2023-06-14",
        source=None,
        url="https://example.org/notes/bees-small-garden",
        first=(
            "A single hive fits in a space about the size of a garden bench, but the flight "
            "path matters more than the footprint."
        ),
        last="That is most of what I wish I had known in the first year.",
        count=11,  # the image's alt text is a caption block
        absent=("---", "tags:", "By Priya", "hive.jpg", "<div", "Sign up", "**"),
    ),
    "heading_only.md": Expected(
        title="Tuning a Bicycle Gear in Five Minutes",
        author=None,
        published=None,
        source=None,
        first=(
            "Shift to the smallest rear cog and look at the chain from behind. If it rubs or "
            "clicks, the cable tension is off."
        ),
        last="Stop when the shift into the next cog is crisp.",
        count=3,
        absent=("===", "*", "`"),
    ),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in CLIPS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(name: str) -> None:
    path = CLIPS / name
    expected = EXPECTED[name]
    article = parse_article(read_text_file(path), suffix=path.suffix)
    assert article.title == expected.title
    assert article.author == expected.author
    assert article.published == expected.published
    assert article.source == expected.source
    assert article.url == expected.url
    assert article.paragraphs[0] == expected.first
    assert article.paragraphs[-1] == expected.last
    assert len(article.paragraphs) == expected.count
    for fragment in expected.absent:
        assert fragment not in article.text, fragment
    for block in article.blocks:
        paragraph = article.block_text(block)
        assert paragraph.casefold() not in CHROME, paragraph
        assert paragraph == paragraph.strip()
        assert not block.is_prose or "\n" not in paragraph  # code keeps its blank lines
    if article.title is not None:
        assert article.title not in article.paragraphs


def test_wire_story_keeps_the_short_quote() -> None:
    article = parse_clip(read_text_file(CLIPS / "wire_story.txt"))
    quote = '"We are not going back until the pay is fixed," said one crane operator.'
    assert article.paragraphs[2] == quote


def test_hard_wrapped_continuation_that_looks_like_a_byline_stays() -> None:
    article = parse_clip(read_text_file(CLIPS / "hard_wrapped.txt"))
    assert article.paragraphs[1] == (
        "The version that stands today was drawn up in 1931 by Anna Berg and Carl Lund."
    )
    assert article.paragraphs[2].startswith("Their plan used three shallow arches")


def test_markdown_fixture_structure() -> None:
    article = parse_markdown((CLIPS / "front_matter.md").read_text(encoding="utf-8"))
    shape = [(b.kind, b.level, b.number, article.block_text(b)) for b in article.blocks]
    assert shape[1:] == [
        ("caption", 0, None, "A hive beside a fence"),
        ("heading", 2, None, "What you need"),
        ("list_item", 1, None, "A hive with a solid floor"),
        ("list_item", 1, None, "A smoker and a veil"),
        ("list_item", 1, None, "A neighbour who does not mind"),
        ("list_item", 1, 1, "Face the entrance away from paths."),
        ("list_item", 1, 2, "Put a tall fence or hedge in front of it."),
        ("code", 0, None, "inspect every 7 days in May\n\ninspect every 14 days in July"),
        ("quote", 1, None, "Bees are calmer on warm, still afternoons."),
        ("paragraph", 0, None, "That is most of what I wish I had known in the first year."),
    ]
    styled = [(m.kind, article.text[m.start : m.end]) for m in article.marks]
    assert styled == [("strong", "garden bench"), ("emphasis", "veil")]
    links = [(article.text[link.start : link.end], link.href) for link in article.links]
    assert links == [("flight path", "https://example.org/flight")]


# --- clip behaviour beyond the fixtures -------------------------------------------------


def test_unknown_fields_are_none_and_text_is_kept() -> None:
    article = parse_clip("just one line of text with no full stop")
    assert article == Article.from_paragraphs(
        None, None, None, None, ["just one line of text with no full stop"]
    )


def test_empty_clip() -> None:
    assert parse_clip("") == Article.from_paragraphs(None, None, None, None, [])
    assert parse_clip("Skip to content\nMenu\n\nAdvertisement\n").paragraphs == []


def test_prose_that_starts_like_a_byline_is_kept() -> None:
    raw = (
        "Rain Returns to the Plains\n\nBy Mara Lind\n\n"
        "By the time the rain came, most of the wheat had already been cut and stored.\n\n"
        "By Tuesday the roads were flooded, and the school closed for the rest of the week.\n"
    )
    article = parse_clip(raw)
    assert article.author == "Mara Lind"
    assert article.paragraphs == [
        "By the time the rain came, most of the wheat had already been cut and stored.",
        "By Tuesday the roads were flooded, and the school closed for the rest of the week.",
    ]


def test_weak_chrome_words_inside_the_body_survive() -> None:
    raw = (
        "The committee met twice before the summer break to agree the new timetable.\n\n"
        "Video\n\n"
        "The recording of the second meeting has been published on the council website.\n"
    )
    assert parse_clip(raw).paragraphs[1] == "Video"


def test_chrome_next_to_chrome_goes_even_mid_article() -> None:
    raw = (
        "The committee met twice before the summer break to agree the new timetable.\n\n"
        "Share this article\nFacebook\nEmail\n\n"
        "The recording of the second meeting has been published on the council website.\n"
    )
    assert len(parse_clip(raw).paragraphs) == 2


def test_dropped_lines_separate_paragraphs() -> None:
    raw = (
        "The first paragraph ends here with a full stop.\nAdvertisement\n"
        "The second paragraph starts after the advert.\n"
    )
    assert parse_clip(raw).paragraphs == [
        "The first paragraph ends here with a full stop.",
        "The second paragraph starts after the advert.",
    ]


def test_list_items_in_a_clip_are_paragraphs() -> None:
    raw = "What to bring on the walk:\n- water\n- a map\n- a hat\n"
    assert parse_clip(raw).paragraphs == [
        "What to bring on the walk:",
        "- water",
        "- a map",
        "- a hat",
    ]


def test_published_beats_updated_and_updated_is_a_fallback() -> None:
    body = "\n\nThe council voted on Monday to keep the library open for another year.\n"
    both = parse_clip("Library stays open\n\nUpdated: 3 March 2024\nPublished: 1 March 2024" + body)
    assert both.published == "2024-03-01"
    only_updated = parse_clip("Library stays open\n\nLast updated 3 March 2024 10:15" + body)
    assert only_updated.published == "2024-03-03T10:15:00"


def test_agency_from_dateline_and_source_url() -> None:
    raw = (
        "Source: https://news.example.com/a/123\n\n"
        "Ferry services resume after storm\n\nFeb 2, 2024\n\n"
        "HARBOURTON (AP) — Ferry services resumed on Friday after two days of storms.\n"
    )
    article = parse_clip(raw)
    assert article.source == "AP"
    assert article.url == "https://news.example.com/a/123"
    assert article.title == "Ferry services resume after storm"
    assert article.paragraphs[0].startswith("HARBOURTON (AP) — Ferry")


def test_all_caps_byline_with_role() -> None:
    raw = "Town hall gets solar roof\n\nBY JOHN O'NEILL, SENIOR REPORTER\n\nThe roof was fitted."
    assert parse_clip(raw).author == "John O'Neill"


def test_crlf_and_ansi_in_a_raw_string() -> None:
    raw = "\x1b[1mBold Headline Here\x1b[0m\r\n\r\nBy Ana Silva\r\n\r\nA first line\r\nwrapped.\r\n"
    article = parse_clip(raw)
    assert article.title == "Bold Headline Here"
    assert article.paragraphs == ["A first line wrapped."]


def test_header_on_consecutive_lines_with_kicker_caption_and_role() -> None:
    raw = (
        "Environment\n"
        "Rivers in the north hit record lows after dry winter\n"
        "Water companies say reservoirs are at their lowest for thirty years, and hosepipe\n"
        "bans are likely\n"
        "Photograph: Sam Lee/Getty Images\n"
        "Ana Pereira Environment correspondent\n"
        "Tue 20 Feb 2024 11.42 GMT\n"
        "Last modified on Wed 21 Feb 2024 09.00 GMT\n\n"
        "Rivers across the north have fallen to record lows after the driest winter on record.\n"
    )
    article = parse_clip(raw)
    assert article.title == "Rivers in the north hit record lows after dry winter"
    assert article.author == "Ana Pereira"
    assert article.published == "2024-02-20T11:42:00"
    assert article.paragraphs == [
        "Water companies say reservoirs are at their lowest for thirty years, and hosepipe "
        "bans are likely",
        "Rivers across the north have fallen to record lows after the driest winter on record.",
    ]


def test_title_case_headline_over_a_date_is_not_an_author() -> None:
    article = parse_clip(
        "My Summer Garden\n\nJune 3, 2023\n\n"
        "The roses came first, then the beans, and by July the plot was a jungle.\n"
    )
    assert (article.title, article.author, article.published) == (
        "My Summer Garden",
        None,
        "2023-06-03",
    )


def test_wrapped_lines_that_look_like_metadata_stay_in_their_sentence() -> None:
    raw = (
        "The council said the plan was first agreed by ministers at a meeting held in\n"
        "May 2004.\n\n"
        "Officials said the review would be led by the transport committee, chaired by\n"
        "Jane Holt, Senior Reporter at the time, with support from two engineers.\n"
    )
    assert parse_clip(raw).paragraphs == [
        "The council said the plan was first agreed by ministers at a meeting held in May 2004.",
        "Officials said the review would be led by the transport committee, chaired by "
        "Jane Holt, Senior Reporter at the time, with support from two engineers.",
    ]


def test_line_break_with_room_for_the_next_word_is_a_paragraph_break() -> None:
    raw = (
        "The ferry left at dawn, as it has done every day since the harbour reopened\n"
        "after the storm, carrying mail, bread and a handful of passengers.\n"
        "Nobody waved.\n"
        "On the far shore the bus was already waiting with its engine running.\n"
    )
    assert parse_clip(raw).paragraphs == [
        "The ferry left at dawn, as it has done every day since the harbour reopened after "
        "the storm, carrying mail, bread and a handful of passengers.",
        "Nobody waved.",
        "On the far shore the bus was already waiting with its engine running.",
    ]


def test_short_lines_are_a_menu_only_next_to_chrome() -> None:
    poem = "Roses are red\nViolets are blue\nSugar is sweet\nAnd so are you\n"
    assert parse_clip(poem).paragraphs == poem.strip().split("\n")
    menu = (
        "Skip to content\nClimate crisis\nScience and tech\nGood food\n\n"
        "A Big Headline About Things\n\nBy Jo Bloggs\n\n"
        "The body text is here and it is long enough to count as prose.\n"
    )
    article = parse_clip(menu)
    assert article.title == "A Big Headline About Things"
    assert article.paragraphs == ["The body text is here and it is long enough to count as prose."]


def test_hyphen_at_a_wrap_closes_up() -> None:
    raw = "The cash-\nstrapped council met again on Tuesday evening to discuss the budget.\n"
    assert parse_clip(raw).paragraphs == [
        "The cash-strapped council met again on Tuesday evening to discuss the budget."
    ]


@pytest.mark.parametrize(
    ("line", "author", "when", "source"),
    [
        ("By Jane Doe", "Jane Doe", None, None),
        ("By Jane Doe and John Roe", "Jane Doe and John Roe", None, None),
        ("By Jane Doe, Reuters", "Jane Doe", None, "Reuters"),
        ("Written by Sam Patel", "Sam Patel", None, None),
        ("Jane Doe | Staff Writer", "Jane Doe", None, None),
        ("By Jane Doe | Feb 20, 2024 | 4 min read", "Jane Doe", "2024-02-20", None),
        ("Posted on March 3, 2023 by Sam Patel", "Sam Patel", "2023-03-03", None),
        ("Published: 20 February 2024", None, "2024-02-20", None),
        ("Source: Associated Press", None, None, "Associated Press"),
        ("Ana Pereira Environment correspondent", "Ana Pereira", None, None),
    ],
)
def test_meta_lines(line: str, author: str | None, when: str | None, source: str | None) -> None:
    meta = read_meta_line(line)
    assert meta is not None
    assert (meta.author, meta.when(), meta.origin()) == (author, when, source)


@pytest.mark.parametrize(
    "line",
    [
        "By the time she arrived",
        "By Design",
        "Jane Doe",
        "Home | World",
        "Sources said no.",
        "John Reade, an analyst at UBS. The IMF values its gold reserves at",
    ],
)
def test_not_meta_lines(line: str) -> None:
    assert read_meta_line(line) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Feb 20, 2024 11:42 AM", "2024-02-20T11:42:00"),
        ("20 February 2024", "2024-02-20"),
        ("2024-02-20", "2024-02-20"),
        ("2024-02-20T11:42:00+01:00", "2024-02-20T11:42:00"),
        ("Tue 20 Feb 2024 11.42 GMT", "2024-02-20T11:42:00"),
        ("Tuesday, February 20, 2024", "2024-02-20"),
        ("11:42 AM ET, Tue February 20, 2024", "2024-02-20T11:42:00"),
        ("Feb. 20, 2024, 9:07 p.m. EST", "2024-02-20T21:07:00"),
        ("20/02/2024", "2024-02-20"),
        ("20.02.2024", "2024-02-20"),
        ("02/03/2024", None),  # day-first or month-first: not guessed
        ("3 hours ago", None),
        ("2024-02-30", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert is_date(text)
    assert parse_date(text) == iso


def test_not_dates() -> None:
    assert not is_date("By Tuesday")
    assert not is_date("Rates rose in 2024")


# --- Markdown --------------------------------------------------------------------------


def test_markdown_without_heading_or_front_matter() -> None:
    article = parse_markdown("Just a paragraph with _emphasis_.\n\nAnd [another](x).\n")
    assert (article.title, article.author, article.published, article.source) == (None,) * 4
    assert article.text == "Just a paragraph with emphasis.\n\nAnd another."
    assert [b.kind for b in article.blocks] == ["paragraph", "paragraph"]
    assert article.marks == [Mark("emphasis", 22, 30)]
    assert article.links == [Link(37, 44, "x")]


def test_markdown_front_matter_title_differs_from_heading() -> None:
    raw = "---\ntitle: Short title\nauthors: [Ana Silva, Ben Cole]\n---\n# Long heading\n\nText.\n"
    article = parse_markdown(raw)
    assert article.title == "Short title"
    assert article.author == "Ana Silva and Ben Cole"
    assert article.paragraphs == ["Long heading", "Text."]
    assert [(b.kind, b.level) for b in article.blocks] == [("heading", 1), ("paragraph", 0)]


def test_markdown_front_matter_source_name_and_bad_date() -> None:
    raw = "---\nsource: The Garden Post\ndate: sometime last spring\nurl: https://x.example\n---\nHi.\n"
    article = parse_markdown(raw)
    assert (article.source, article.published, article.url) == (
        "The Garden Post",
        None,
        "https://x.example",
    )


def test_markdown_images_html_and_tables() -> None:
    raw = (
        "# T\n\n[![badge](b.svg)](https://ci)\n\n<script>alert(1)</script>\n\n"
        "Press the ![gear](g.png) icon, then <b>save</b>.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    article = parse_markdown(raw)
    # The script goes; a lone image is its alt text, one in a sentence reads as its alt text.
    assert [b.kind for b in article.blocks] == ["caption", "paragraph", "table"]
    assert article.paragraphs == ["badge", "Press the gear icon, then save.", "a\tb\n1\t2"]
    assert article.links == [Link(0, 5, "https://ci")]
    cells = [[article.text[a:b] for a, b in row] for row in article.blocks[2].rows]
    assert cells == [["a", "b"], ["1", "2"]]


def test_parse_article_dispatch() -> None:
    raw = "# Heading\n\nSome text here."
    assert parse_article(raw, suffix=".md").title == "Heading"
    assert parse_article(raw, suffix="MARKDOWN").title == "Heading"
    assert parse_article(raw, suffix=".txt").paragraphs[0].startswith("# Heading")
    assert parse_article(raw).paragraphs[0].startswith("# Heading")


# --- the model -------------------------------------------------------------------------


def test_article_text_words_and_round_trip() -> None:
    article = Article.from_paragraphs(
        title="T",
        author="A",
        published="2024-02-20",
        source="S",
        paragraphs=["Don't stop — it's well-known.", "• Two words"],
        url="https://example.com",
    )
    assert article.text == "Don't stop — it's well-known.\n\n• Two words"
    assert article.words == 6
    data = article.to_dict()
    assert data["text"] == article.text
    assert [b["kind"] for b in data["blocks"]] == ["paragraph", "paragraph"]
    assert Article.from_dict(data) == article
    assert Article.from_dict({"paragraphs": ["x"]}) == Article.from_paragraphs(
        None, None, None, None, ["x"]
    )


@pytest.mark.parametrize("bad", [{"title": 3, "paragraphs": []}, {"paragraphs": "text"}])
def test_from_dict_rejects_wrong_types(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="article field"):
        Article.from_dict(bad)
