"""Full-text search: hits in notes, texts and highlights map to offsets; the index heals."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.article import Article
from reader.store.library import Library
from reader.study.search import (
    INDEX_NAME,
    PASSAGE,
    SearchIndex,
    fts5_available,
    to_fts_query,
)
from tests.conftest import barrier_article, make_article


def test_this_python_has_fts5() -> None:
    assert fts5_available()


def test_finds_a_word_in_a_note_and_in_an_article_with_its_offset(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    library.add_article(make_article("Orbital freight startup raises funds", 200))
    text = library.load_article(aid).text
    sentence = "He praised the night crew."
    start = text.index(sentence)
    note = library.add_note(aid, start, start + len(sentence), "Ask about the lighthouse rota")
    with SearchIndex.open(library) as index:
        in_note = index.search("lighthouse")
        assert [(h.kind, h.article_id, h.start, h.end) for h in in_note] == [
            ("note", aid, note.start, note.end)
        ]
        assert in_note[0].snippet == "Ask about the [lighthouse] rota"
        assert in_note[0].title == "Brackenmouth tide barrier closes"
        in_text = index.search("praised")
        assert [h.kind for h in in_text] == ["article"]
        hit = in_text[0]
        assert text[hit.start : hit.end] == "praised" and hit.article_id == aid
        assert "[praised]" in hit.snippet and hit.score > 0
        stemmed = index.search("gate")  # Porter stemming: "gates" in the text
        assert text[stemmed[0].start : stemmed[0].end] == "gates"
        assert index.search("Alder Estuary")[0].kind == "article"


def test_short_paragraphs_are_searched_in_passages_with_exact_offsets(library: Library) -> None:
    """Forty short paragraphs, each naming one harbour: a few passage rows, not forty, and
    every hit lands on its word wherever in its passage that paragraph sits."""
    harbours = [f"Quay{n:02d}" for n in range(40)]  # digits: no two stem alike
    paragraphs = [f"The ferry called at {name} before the tide turned." for name in harbours]
    aid = library.add_article(
        Article.from_paragraphs("Crossings", None, None, None, paragraphs)
    ).article.id
    text = library.load_article(aid).text
    with SearchIndex.open(library) as index:
        passages = index._con.execute("SELECT count(*) FROM docs WHERE kind = 'para'").fetchone()
        assert passages[0] <= len(text) // PASSAGE + 1 < len(paragraphs)
        for name in harbours:
            [hit] = index.search(name)
            assert text[hit.start : hit.end] == name, name
        ferry = index.search("ferry", limit=100)
        assert len(ferry) == passages[0]  # one hit a passage: the first ferry in it
        assert [text[h.start : h.end] for h in ferry] == ["ferry"] * len(ferry)


def test_ranked_results_cover_titles_highlights_and_phrases(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    text = library.load_article(aid).text
    span = (text.index("Nobody was hurt."), text.index("Nobody was hurt.") + 16)
    library.add_highlight(aid, *span, note="relief")
    with SearchIndex.open(library) as index:
        kinds = [h.kind for h in index.search("relief")]
        assert kinds == ["highlight"]
        hits = index.search("hurt")
        assert {h.kind for h in hits} == {"highlight", "article"}
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        title_hit = index.search("tide barrier closes")[0]
        assert (title_hit.kind, title_hit.start, title_hit.end) == ("article", 0, 0)
        assert index.search('"harbour reopened"') and not index.search('"reopened harbour"')
        assert index.search("reopen*")
        assert index.search("NEAR( OR : -") == []  # FTS syntax is just text
        with pytest.raises(ValueError, match="Nothing to search"):
            index.search("  ?! ")


def test_index_follows_changes_live_and_catches_up_on_reopen(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        with SearchIndex.open(lib) as index:
            note = lib.add_note(aid, 0, 10, "kingfisher")
            assert [h.kind for h in index.search("kingfisher")] == ["note"]
            lib.update_note(note.id, "heron")
            assert index.search("kingfisher") == [] and index.search("heron")
            lib.delete_note(note.id)
            assert index.search("heron") == []
        # changed while no index was open: caught up when it opens again
        lib.add_note(aid, 0, 10, "cormorant")
        other = lib.add_article(make_article("Quiet parliament week", 100)).article.id
        lib.delete(aid)
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert index.search("cormorant") == []  # its article was deleted
        assert index.search("Brackenmouth")[0].article_id == other
        assert index.search("Helen") == []


def test_index_is_rebuilt_when_deleted_or_damaged(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_note(aid, 0, 10, "kingfisher")
        with SearchIndex.open(lib) as index:
            assert index.search("kingfisher")
    path = home / INDEX_NAME
    path.unlink()
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert index.notices == ["Building the search index for the first time."]
        assert index.search("kingfisher")[0].kind == "note"
    path.write_bytes(b"this is not a database" * 100)
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert len(index.notices) == 1 and "kept as search.sqlite.corrupt-" in index.notices[0]
        assert index.search("kingfisher") and index.search("surge")
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])  # truncated: damage past the first page
    with Library.open(home) as lib, SearchIndex.open(lib) as index:
        assert len(index.notices) == 1 and "malformed" in index.notices[0]
        assert index.search("kingfisher") and index.search("surge")
    assert len(list(home.glob("search.sqlite.corrupt-*"))) == 2


def test_read_only_library_still_keeps_the_index_current(home: Path) -> None:
    """`reader search` opens the library read-only (no TinyDB lock) yet finds new articles:
    the index is derived data with SQLite's own locking."""
    with Library.open(home) as lib:
        lib.add_article(barrier_article())
    with Library.open(home, read_only=True) as viewer, SearchIndex.open(viewer) as index:
        assert index.path == home / INDEX_NAME and index.search("surge")
    with Library.open(home) as lib:
        lib.add_article(
            Article.from_paragraphs("Kelp", None, None, None, ["Kelp forests grow fast."])
        )
    with Library.open(home, read_only=True) as viewer, SearchIndex.open(viewer) as index:
        assert {h.title for h in index.search("kelp")} == {"Kelp"}


def test_queries_are_quoted_for_fts() -> None:
    assert to_fts_query('tide "storm surge" barr* AND') == '"tide" "storm surge" "barr"* "AND"'
