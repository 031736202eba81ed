"""Markdown keeps its shape: headings, lists, quotes, code, tables and inline styling.

The guide fixture holds one of each construct; the tests pin the blocks it becomes and that
every range (code, cells, marks, links) points at the author's words in `Article.text`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import cli
from reader.article import Article, parse_article, parse_markdown, read_text_file
from reader.article.document import BLOCK_KINDS
from reader.sources.base import Locator
from reader.sources.markdown import MarkdownSource

GUIDE = Path(__file__).parent / "markdown_structure" / "guide.md"

PYTHON = "def read(sensor):\n    level = sensor.level()\n\n    return round(level, 2)"


@pytest.fixture(scope="module")
def guide() -> Article:
    return parse_markdown(GUIDE.read_text(encoding="utf-8"))


def _shape(article: Article) -> list[tuple[str, int, int | None, str]]:
    return [(b.kind, b.level, b.number, article.block_text(b)) for b in article.blocks]


def test_the_guide_keeps_its_blocks(guide: Article) -> None:
    assert (guide.title, guide.author, guide.published) == (
        "Setting Up a Tide Gauge",
        "Ines Duarte",
        "2024-03-02",
    )
    assert _shape(guide) == [
        (
            "paragraph",
            0,
            None,
            "A gauge needs a steady mount, a clear view of the water and the tide.py script. "
            "See the field manual or https://tides.example/help.",
        ),
        ("heading", 2, None, "Installing the script"),
        ("paragraph", 0, None, "Copy the script, then run it once by hand:"),
        ("code", 0, None, PYTHON),
        ("code", 0, None, "$ tide --check\n    ok"),
        ("heading", 3, None, "Checklist"),
        ("list_item", 1, None, "Mount the bracket"),
        ("list_item", 2, None, "Tighten the top bolts"),
        ("list_item", 2, None, "Check the level"),
        ("list_item", 1, None, "[ ] Calibrate the sensor"),
        ("list_item", 1, None, "[x] Order spare batteries"),
        ("list_item", 1, 3, "Power on the logger"),
        ("list_item", 1, 4, "Wait for the green light"),
        ("paragraph", 1, None, "Keep the lid closed while it starts."),  # the item's 2nd
        ("list_item", 1, 5, "Record the first reading"),
        ("quote", 1, None, "Check the gauge after every storm."),
        ("quote", 2, None, "The sea always finds the weak bolt."),
        (
            "table",
            0,
            None,
            "Part\tTorque\tNotes\nTop bolt\t12 Nm\thand tight\nBase\t20 Nm\tsee table",
        ),
        ("rule", 0, None, "* * *"),
        ("caption", 0, None, "The gauge on the harbour wall"),
        ("paragraph", 0, None, "That is all it takes."),
    ]
    assert guide.text == "\n\n".join(guide.paragraphs)


def test_code_is_verbatim_with_its_language(guide: Article) -> None:
    code = [b for b in guide.blocks if b.kind == "code"]
    assert [b.language for b in code] == ["python", None]  # fenced, then indented
    assert guide.text[code[0].start : code[0].end] == PYTHON
    assert guide.prose_spans() == [(b.start, b.end) for b in guide.blocks if b.is_prose]


def test_table_cells_are_ranges_of_their_words(guide: Article) -> None:
    (table,) = [b for b in guide.blocks if b.kind == "table"]
    cells = [[guide.text[a:b] for a, b in row] for row in table.rows]
    assert cells == [
        ["Part", "Torque", "Notes"],
        ["Top bolt", "12 Nm", "hand tight"],
        ["Base", "20 Nm", "see table"],
    ]


def test_marks_and_links_point_at_their_words(guide: Article) -> None:
    marks = [(m.kind, guide.text[m.start : m.end]) for m in guide.marks]
    assert marks == [
        ("emphasis", "steady"),
        ("strong", "clear"),
        ("code", "tide.py"),
        ("emphasis", "top"),
        ("emphasis", "hand"),  # inside a table cell
    ]
    links = [(guide.text[link.start : link.end], link.href) for link in guide.links]
    assert links == [
        ("field manual", "../manual/gauges.md"),  # relative, as written
        ("https://tides.example/help", "https://tides.example/help"),  # an autolink
        ("table", "#base"),
    ]


def test_the_structure_survives_the_store(guide: Article) -> None:
    restored = Article.from_dict(json.loads(json.dumps(guide.to_dict())))
    assert restored == guide
    assert {b.kind for b in restored.blocks} == BLOCK_KINDS  # the guide has one of each
    assert restored.marks and restored.links


def test_the_source_reads_markdown_files_with_their_shape() -> None:
    (article,) = MarkdownSource().read(GUIDE.read_bytes(), Locator(path=str(GUIDE)))
    assert article == parse_article(read_text_file(GUIDE), suffix=".md")
    assert {b.kind for b in article.blocks} >= {"heading", "list_item", "code", "table"}


def test_nesting_the_model_does_not_have() -> None:
    raw = (
        "> ## A heading in a quote\n>\n> - a list in a quote\n\n"
        "- > a quote opening an item\n\n"
        "7. ```sh\n   make\n   ```\n\n   After the code.\n\n"
        "[![The chart](c.png)](big.png)\n\n"
        "Line one  \nline two\\\nthree <br> four\n"
    )
    article = parse_markdown(raw)
    assert _shape(article) == [
        ("quote", 1, None, "A heading in a quote"),  # not taken for the title
        ("list_item", 1, None, "a list in a quote"),
        ("quote", 1, None, "a quote opening an item"),
        ("code", 0, None, "make"),
        ("paragraph", 1, None, "After the code."),
        ("caption", 0, None, "The chart"),
        ("paragraph", 0, None, "Line one line two three four"),
    ]
    assert article.title is None
    assert article.blocks[3].language == "sh"
    links = [(article.text[link.start : link.end], link.href) for link in article.links]
    assert links == [("The chart", "big.png")]  # a linked image's caption keeps the link


def test_lists_number_from_their_start_and_images_without_alt_leave_nothing() -> None:
    article = parse_markdown("0. zero\n1. one\n\n- bullet\n\n![](x.png)\n\n---\n\n12) twelve\n")
    assert _shape(article) == [
        ("list_item", 1, 0, "zero"),
        ("list_item", 1, 1, "one"),
        ("list_item", 1, None, "bullet"),
        ("rule", 0, None, "* * *"),
        ("list_item", 1, 12, "twelve"),
    ]


def test_strong_emphasis_and_code_inside_links_and_headings() -> None:
    article = parse_markdown(
        "#\n\n# Title\n\n## A *styled* `heading`\n\n[**bold link**](https://x.example)\n"
    )
    assert article.title == "Title"  # an empty "#" does not hide it
    assert _shape(article) == [
        ("heading", 2, None, "A styled heading"),
        ("paragraph", 0, None, "bold link"),
    ]
    marks = [(m.kind, article.text[m.start : m.end]) for m in article.marks]
    assert marks == [("emphasis", "styled"), ("code", "heading"), ("strong", "bold link")]
    assert [(article.text[lk.start : lk.end], lk.href) for lk in article.links] == [
        ("bold link", "https://x.example")
    ]


@pytest.mark.parametrize(
    ("raw", "kind", "number", "text"),
    [
        ("- " * 10_000 + "the deepest *item*\n", "list_item", None, "the deepest item"),
        ("1. " * 10_000 + "the deepest item\n", "list_item", 1, "the deepest item"),
        ("> " * 10_000 + "the deepest quotation\n", "quote", None, "the deepest quotation"),
        ("> - " * 5_000 + "the deepest mix\n", "list_item", None, "the deepest mix"),
    ],
    ids=["bullets", "numbers", "quotes", "quoted-lists"],
)
def test_ten_thousand_levels_keep_their_text(
    raw: str, kind: str, number: int | None, text: str
) -> None:
    article = parse_markdown(raw)
    (block,) = article.blocks
    assert (block.kind, block.number, article.block_text(block)) == (kind, number, text)
    assert 1 <= block.level <= 64  # what the store accepts
    assert Article.from_dict(article.to_dict()) == article


def test_too_deep_items_are_items_at_the_deepest_level() -> None:
    raw = "".join("  " * depth + f"- item {depth}\n" for depth in range(30)) + "\nAfter.\n"
    article = parse_markdown(raw)
    assert article.paragraphs == [f"item {depth}" for depth in range(30)] + ["After."]
    levels = [b.level for b in article.blocks if b.kind == "list_item"]
    assert levels[:10] == list(range(1, 11))
    assert levels == sorted(levels) and max(levels) <= 64
    assert Article.from_dict(article.to_dict()) == article


def test_a_two_megabyte_article_parses(tmp_path: Path) -> None:
    essay = Path(__file__).parent.parent / "sample_articles" / "the-case-for-slow-reading.md"
    guide = GUIDE.read_text(encoding="utf-8").split("---\n", 2)[2]
    body = guide + "\n" + essay.read_text(encoding="utf-8").split("---\n", 2)[2] + "\n"
    copies = 2_000_000 // len(body) + 1
    path = tmp_path / "long.md"
    path.write_text(body * copies, encoding="utf-8")
    article = parse_article(read_text_file(path), suffix=".md")
    kinds = [b.kind for b in article.blocks]
    assert kinds.count("code") == 2 * copies
    assert kinds.count("table") == copies
    assert article.text.count(PYTHON) == copies


def test_analyze_json_reads_a_markdown_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    assert cli.main(["analyze", "--json", str(GUIDE)]) == 0
    data = json.loads(capsys.readouterr().out)
    text = data["text"]
    assert data["title"] == "Setting Up a Tide Gauge"
    assert PYTHON in text
    code_start = text.index(PYTHON)
    for sentence in data["sentences"]:  # no sentence is read out of the code
        assert sentence["end"] <= code_start or sentence["start"] >= code_start + len(PYTHON)
