"""The NLP reads prose only, and `reader analyze --json` reports the document's shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import cli
from reader.article import Article
from reader.article.document import DocumentBuilder, Run
from reader.nlp.analyzer import analyze, masked

CODE = 'def greet():\n    print("Alice Walker met John Smith in Paris.")\n\n    return None'


def _article() -> Article:
    builder = DocumentBuilder()
    builder.prose("heading", ["Harbour news"], level=1)
    builder.paragraph("Helen Marsh closed the Brackenmouth barrier on Tuesday. The tide rose.")
    builder.code(CODE, "python")
    builder.table([[["Port"], ["Keeper"]], [["Saltry"], ["George Baird of London"]]])
    builder.prose("list_item", ["Boats stayed in Saltry harbour"], level=1)
    builder.rule()
    builder.paragraph("Nobody was hurt")
    return Article.from_builder(builder, title="Harbour news")


def test_prose_is_everything_but_code_tables_and_breaks() -> None:
    article = _article()
    prose = article.prose_spans()
    assert prose is not None
    kinds = {b.kind for b in article.blocks if (b.start, b.end) in prose}
    assert kinds == {"heading", "paragraph", "list_item"}
    blank = masked(article.text, prose)
    assert len(blank) == len(article.text)
    code = next(b for b in article.blocks if b.kind == "code")
    assert blank[code.start : code.end].strip() == ""
    assert blank[code.start : code.end].count("\n") == CODE.count("\n")  # lines stay lines
    assert Article.from_paragraphs("T", None, None, None, ["One.", "Two."]).prose_spans() is None


def test_no_sentence_or_name_comes_from_code_or_a_table() -> None:
    article = _article()
    analysis = analyze(article.text, prose=article.prose_spans())
    prose_blocks = [b for b in article.blocks if b.is_prose]
    for sentence in analysis.sentences:
        block = next(b for b in article.blocks if b.start <= sentence.start < b.end)
        assert block.is_prose, article.text[sentence.start : sentence.end]
        assert sentence.end <= block.end  # never across a block boundary
    assert len(analysis.sentences) == 5  # heading, two in the paragraph, the item, the last
    names = {e.name for e in analysis.entities}
    assert "Helen Marsh" in names
    assert not names & {"Alice Walker", "John Smith", "George Baird", "Paris", "London"}
    for entity in analysis.entities:
        for mention in entity.mentions:
            assert any(b.start <= mention.start < b.end for b in prose_blocks)
    # Read as all prose, the same text does find the names in the code.
    everything = analyze(article.text)
    assert {"Alice Walker", "John Smith"} & {e.name for e in everything.entities}


def test_the_cache_tells_the_prose_reading_from_the_plain_one(tmp_path: Path) -> None:
    article = _article()
    plain = analyze(article.text, tmp_path)
    prose = analyze(article.text, tmp_path, prose=article.prose_spans())
    assert len(list(tmp_path.glob("*.json.gz"))) == 2
    assert len(plain.sentences) != len(prose.sentences)
    cached = analyze(article.text, tmp_path, prose=article.prose_spans())
    assert (cached.sentences, cached.entities) == (prose.sentences, prose.entities)


GUIDE = """\
# Tide tables

Read them with *care*, **always**, and check the [almanac](https://example.org/a) with `tide --now`.

1. Find your port.
2. Note the height.

```sh
tide --port saltry
    --days 3
```
"""


def test_analyze_json_reports_blocks_marks_and_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    path = tmp_path / "guide.md"
    path.write_text(GUIDE, encoding="utf-8")
    assert cli.main(["analyze", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    text = data["text"]
    blocks = data["blocks"]
    assert [b["kind"] for b in blocks] == ["paragraph", "list_item", "list_item", "code"]
    assert [b.get("number") for b in blocks[1:3]] == [1, 2]
    assert [b.get("level") for b in blocks[1:3]] == [1, 1]
    code = blocks[3]
    assert code["language"] == "sh"
    assert text[code["start"] : code["end"]] == "tide --port saltry\n    --days 3"
    marks = {(m["kind"], text[m["start"] : m["end"]]) for m in data["marks"]}
    assert marks == {("emphasis", "care"), ("strong", "always"), ("code", "tide --now")}
    assert [(text[link["start"] : link["end"]], link["href"]) for link in data["links"]] == [
        ("almanac", "https://example.org/a")
    ]
    for key in ("url", "site", "lang"):
        assert key in data
    assert data["chapters"] == []  # no heading left once the title is taken
    assert not any(code["start"] <= s["start"] < code["end"] for s in data["sentences"])


def test_analyze_json_of_raw_text_is_one_paragraph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    path = tmp_path / "plain.txt"
    path.write_text("Just one line of text.", encoding="utf-8")
    assert cli.main(["analyze", "--json", "--raw", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["blocks"] == [{"kind": "paragraph", "start": 0, "end": len(data["text"])}]
    assert data["marks"] == [] and data["links"] == []


def test_runs_keep_marks_and_links_on_the_right_words() -> None:
    builder = DocumentBuilder()
    builder.prose(
        "paragraph",
        ["Read ", Run("the  tables", frozenset({"strong"})), " and ", Run("more", href="x")],
    )
    article = Article.from_builder(builder)
    assert article.text == "Read the tables and more"
    (mark,) = article.marks
    assert article.text[mark.start : mark.end] == "the tables"
    (link,) = article.links
    assert (article.text[link.start : link.end], link.href) == ("more", "x")
    assert Article.from_dict(article.to_dict()) == article


def test_chapters_are_the_books_own_else_the_top_level_headings() -> None:
    from reader.article.document import Chapter

    builder = DocumentBuilder()
    builder.prose("heading", ["Part one"], level=2)
    builder.paragraph("Text.")
    builder.prose("heading", ["A section"], level=3)
    builder.paragraph("More text.")
    builder.prose("heading", ["Part two"], level=2)
    article = Article.from_builder(builder)
    assert [
        (c.title, article.text[c.start :].split("\n")[0]) for c in article.table_of_contents()
    ] == [
        ("Part one", "Part one"),
        ("Part two", "Part two"),
    ]
    own = Article.from_builder(DocumentBuilder(), chapters=[Chapter("Two", 5), Chapter("One", 0)])
    assert [c.title for c in own.table_of_contents()] == ["One", "Two"]
    again = Article.from_dict(article.to_dict() | {"chapters": [{"title": "X", "start": 0}]})
    assert again.chapters == [Chapter("X", 0)]
