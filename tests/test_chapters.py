"""Chapters of books and papers: where they come from, and what is grouped by them."""

from __future__ import annotations

from pathlib import Path

from reader.article import Article
from reader.article.document import DocumentBuilder
from reader.store import Library
from reader.study.export import export_markdown


def book() -> Article:
    builder = DocumentBuilder()
    builder.paragraph("A preface before any chapter.")
    for number, title in enumerate(("The harbour", "The storm", "The morning after"), 1):
        builder.prose("heading", [f"Chapter {number}: {title}"], level=1)
        for line in range(3):
            builder.paragraph(f"In chapter {number} the tide rose, line {line}. Boats waited.")
    return Article.from_builder(builder, title="A book of tides", author="Helen Marsh")


def _span(article: Article, piece: str) -> tuple[int, int]:
    start = article.text.index(piece)
    return start, start + len(piece)


def test_the_markdown_export_groups_highlights_and_notes_by_chapter(tmp_path: Path) -> None:
    article = book()
    assert [c.title for c in article.table_of_contents()] == [
        "Chapter 1: The harbour",
        "Chapter 2: The storm",
        "Chapter 3: The morning after",
    ]
    with Library.open(tmp_path / "home") as library:
        aid = library.add_article(article).article.id
        library.add_highlight(aid, *_span(article, "In chapter 3 the tide rose, line 0."))
        library.add_highlight(aid, *_span(article, "In chapter 1 the tide rose, line 2."))
        library.add_note(aid, *_span(article, "A preface before any chapter."), "Why a preface?")
        library.add_note(aid, *_span(article, "In chapter 3 the tide rose, line 1."), "Dawn.")
        [page] = export_markdown(library, tmp_path / "out")
    text = page.read_text(encoding="utf-8")
    highlights = text[text.index("## Highlights") : text.index("## Notes")]
    assert [line for line in highlights.splitlines() if line.startswith("###")] == [
        "### Chapter 1: The harbour",
        "### Chapter 3: The morning after",
    ]
    assert highlights.index("chapter 1 the tide") < highlights.index("chapter 3 the tide")
    notes = text[text.index("## Notes") :]
    assert [line for line in notes.splitlines() if line.startswith("###")] == [
        "### Before the first chapter",
        "### Chapter 3: The morning after",
    ]


def test_an_article_without_chapters_has_no_chapter_headings(tmp_path: Path) -> None:
    article = Article.from_paragraphs("Plain", None, None, None, ["One line here.", "Two."])
    with Library.open(tmp_path / "home") as library:
        aid = library.add_article(article).article.id
        library.add_highlight(aid, 0, len("One line here."))
        [page] = export_markdown(library, tmp_path / "out")
    assert "###" not in page.read_text(encoding="utf-8")
