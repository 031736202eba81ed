"""The study loop in the TUI, driven through the pilot: highlights, notes on highlights,
review, search, the summary page, tags, export and the keys they add.

Every test checks the screen and what the store holds afterwards (reopened read-only).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from reader.store import Library
from reader.ui.dialogs.confirm import ConfirmDialog
from reader.ui.dialogs.export import ExportDialog
from reader.ui.dialogs.keys import KeysDialog
from reader.ui.dialogs.note import NoteDialog
from reader.ui.dialogs.tags import TagsDialog, parse_tags
from reader.ui.panes.notes import NotesPane
from reader.ui.screens.library import LibraryScreen, filter_records
from reader.ui.screens.reading import ReadingScreen
from reader.ui.screens.review import ReviewScreen
from reader.ui.screens.search import SearchScreen, marked_text
from reader.ui.screens.summary import SummaryScreen, summary_lines
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze
from tests.ui_helpers import make_app, reading, settle

TEXT = barrier_article().text
SENTENCES = [(s.start, s.end) for s in fake_analyze(TEXT).sentences]


def option_texts(option_list: OptionList) -> list[str]:
    return [str(option_list.get_option_at_index(i).prompt) for i in range(option_list.option_count)]


def static_text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_highlights_and_a_note_survive_a_restart_and_u_removes_one(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("j", "h")  # sentence 1 alone
        await pilot.pause()
        assert screen.view.highlights == [SENTENCES[1]]
        await pilot.press("j", "j", "j", "v", "j", "j")  # select sentences 4..6
        selection: tuple[int, int] | None = screen.view.selection
        assert selection == (4, 6)
        await pilot.press("h")
        await pilot.pause()
        assert not screen.view.selection  # closed by h
        three = (SENTENCES[4][0], SENTENCES[6][1])
        assert screen.view.highlights == [SENTENCES[1], three]
        await pilot.press("k", "k", "k", "k", "k")  # back on sentence 1, highlighted
        assert screen.view.cursor == 1
        await pilot.press("n")  # on a highlight: the highlight's note
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert dialog.heading == "Note on the highlight"
        dialog.query_one(TextArea).insert("Who else was in the control room?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Who else was in the control room?" in " ".join(
            option_texts(screen.query_one(NotesPane))
        )
        await pilot.press("ctrl+q")
    with Library.open(seeded_home, read_only=True) as lib:
        stored = [(h.start, h.end, h.note) for h in lib.highlights(barrier_id)]
        assert lib.notes(barrier_id) == []  # the note lives on the highlight
    assert stored == [
        (*SENTENCES[1], "Who else was in the control room?"),
        (*three, ""),
    ]
    assert TEXT[three[0] : three[1]].startswith("Tom Reyes said")
    assert TEXT[three[0] : three[1]].endswith("on the harbour wall to watch.")

    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.view.highlights == [SENTENCES[1], three]
        notes = " ".join(option_texts(screen.query_one(NotesPane)))
        assert "Who else was in the control room?" in notes
        screen.jump_to(SENTENCES[5][0])  # inside the three-sentence highlight
        await pilot.press("u")
        await pilot.pause()
        assert screen.view.highlights == [SENTENCES[1]]
        screen.jump_to(SENTENCES[1][0])
        await pilot.press("u")  # it has a note: asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.view.highlights == [SENTENCES[1]]
    with Library.open(seeded_home, read_only=True) as lib:
        assert [(h.start, h.end) for h in lib.highlights(barrier_id)] == [SENTENCES[1]]


async def test_highlight_style_differs_from_key_sentences_and_mentions(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        view = reading(app).view
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            styles = {
                name: view.get_component_rich_style(f"article-view--{name}").bgcolor
                for name in ("highlight", "key", "mention", "cursor")
            }
            assert styles["highlight"] is not None
            others = {styles[name] for name in ("key", "mention", "cursor")}
            assert styles["highlight"] not in others, (theme, styles)


async def test_review_rates_two_cards_exactly_as_fsrs_schedules(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    from fsrs import Card, Rating, Scheduler

    with Library.open(seeded_home) as lib:
        lib.add_highlight(barrier_id, *SENTENCES[2], note="1.8 m: a record?")
        lib.add_highlight(barrier_id, *SENTENCES[8])
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        assert "2 cards to review" in static_text(app.screen, "#library-status")
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "2 due" in static_text(screen, "#review-title")
        card = screen.card
        assert card is not None and card.passage == TEXT[slice(*SENTENCES[2])]
        assert "Brackenmouth tide barrier closes" in static_text(screen, "#card-source")
        assert static_text(screen, "#card-context") == TEXT[slice(*SENTENCES[1])]
        assert "1.8 m: a record?" not in static_text(screen, "#card-note")
        await pilot.press("space")
        assert "1.8 m: a record?" in static_text(screen, "#card-note")
        first = card.id
        await pilot.press("3")
        await pilot.pause()
        assert "1 due" in static_text(screen, "#review-title")
        second = screen.card
        assert second is not None and second.passage == TEXT[slice(*SENTENCES[8])]
        await pilot.press("space")
        assert "(no note)" in static_text(screen, "#card-note")
        await pilot.press("1")
        await pilot.pause()
        assert "0 due" in static_text(screen, "#review-title")
        assert "Nothing to review now." in static_text(screen, "#card-passage")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert "to review" not in static_text(app.screen, "#library-status")

    scheduler = Scheduler(desired_retention=0.9)
    expected = {
        first: scheduler.review_card(Card(due=FIXED_NOW), Rating.Good, FIXED_NOW)[0].due,
        second.id: scheduler.review_card(Card(due=FIXED_NOW), Rating.Again, FIXED_NOW)[0].due,
    }
    assert expected[first] == FIXED_NOW + timedelta(minutes=10)
    with Library.open(seeded_home, read_only=True) as lib:
        saved = {card_id: due for card_id, (_aid, due) in lib.review_due_index().items()}
    assert saved == {card_id: due.timestamp() for card_id, due in expected.items()}


async def test_review_o_opens_the_passage_in_the_article(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, *SENTENCES[10], "Twice more?")
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        await pilot.press("o")
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert screen.view.cursor_span == SENTENCES[10]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_search_finds_a_word_only_in_a_note_and_opens_its_sentence(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_note(barrier_id, *SENTENCES[9], "Ask the zeppelin enthusiasts about it.")
    assert "zeppelin" not in TEXT
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await settle(pilot, wait_for_workers)  # the index is built in a worker
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"zeppelin")
        await pilot.pause()
        assert [(h.kind, h.article_id) for h in screen.hits] == [("note", barrier_id)]
        assert "zeppelin" in option_texts(screen.query_one("#hits", OptionList))[0]
        await pilot.press("enter", "enter")  # to the hits, then open the first
        await settle(pilot, wait_for_workers)
        assert reading(app).view.cursor_span == SENTENCES[9]
        # a word of the text: the hit is the sentence holding it
        await pilot.press("escape", "f")
        await settle(pilot, wait_for_workers)
        await pilot.press(*"dawn", "enter", "enter")
        await settle(pilot, wait_for_workers)
        assert reading(app).view.cursor_span == SENTENCES[13]
    # the index stays current with changes made while the app runs
    with Library.open(seeded_home, read_only=True) as lib:
        assert (lib.home / "search.sqlite").exists()


async def test_other_articles_that_mention_an_entity(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("m")  # nothing chosen yet
        await pilot.pause()
        assert app.screen is screen
        assert screen.analysis is not None
        names = [e.name for e in screen.analysis.entities]
        screen._select_entity(names.index("Brackenmouth"))
        await pilot.press("m")
        await settle(pilot, wait_for_workers)
        search = app.screen
        assert isinstance(search, SearchScreen)
        found = {h.article_id for h in search.hits}
        assert len(found) == len(search.hits) == 2  # the two other articles, once each
        assert barrier_id not in found
        hit = search.hits[0]
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        other = reading(app)
        assert other is not screen and other.record.id == hit.article_id
        start, end = other.view.cursor_span
        assert start <= hit.start < end
        assert "Brackenmouth" in other.text[start:end]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_summary_lists_key_sentences_highlights_and_notes_in_order(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_highlight(barrier_id, SENTENCES[7][0], SENTENCES[8][1], note="Norfolk!")
        lib.add_note(barrier_id, *SENTENCES[12], "Good news.")
        lib.add_note(barrier_id, *SENTENCES[1], "The control room.")
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("S")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        lines = screen.plain
        assert len(lines) == screen.query_one(OptionList).option_count
        order = [line.split()[1] for line in lines if line.startswith(("★", "┃", "✎"))]
        # key sentences 0, 3, 6 (the fake analyzer's), note on 1, highlight 7-8, note on 12
        assert order == ["key", "note", "key", "key", "highlight", "note"]
        joined = "\n".join(lines)
        assert joined.index("The steel gates") < joined.index("The control room.")
        assert joined.index("Norfolk!") < joined.index("Good news.")
        for name in ("Helen Marsh", "Brackenmouth", "Alder Estuary Trust"):
            assert name in joined
        # jump: the highlight's line
        option_list = screen.query_one(OptionList)
        index = next(i for i, line in enumerate(lines) if line.startswith("┃"))
        option_list.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert reading(app).view.cursor_span == SENTENCES[7]

    # from the library: S on the selected row opens the summary; enter opens the article
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("S")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        lines = screen.plain
        option_list = screen.query_one(OptionList)
        option_list.highlighted = next(i for i, t in enumerate(lines) if "Good news." in t)
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        assert reading(app).view.cursor_span == SENTENCES[12]


def test_summary_lines_merge_in_reading_order() -> None:
    analysis = fake_analyze(TEXT)
    lines = summary_lines(TEXT, analysis, [], [])
    assert [line.start for line in lines] == sorted(line.start for line in lines)
    assert [line.kind for line in lines] == ["key"] * 3
    assert summary_lines(TEXT, None, [], []) == []


async def test_tags_dialog_adds_a_tag_and_tag_filter_narrows(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)
        await pilot.press(*"coast, floods", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert "#coast #floods" in str(screen.query_one(DataTable).get_cell(barrier_id, "tags"))
        await pilot.press("slash", *"tag:coast")
        await pilot.pause()
        assert [r.id for r in screen.shown] == [barrier_id]
        assert screen.query_one(DataTable).row_count == 1
        await pilot.press("escape", "T")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TagsDialog)
        assert dialog.query_one(Input).value == "coast, floods"
        dialog.query_one(Input).value = "coast"  # remove one
        await pilot.press("enter")
        await pilot.pause()
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.get(barrier_id).tags == ("coast",)

    # the reading screen's T edits the same tags
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)
        await pilot.press(*", tide", "enter")
        await pilot.pause()
        assert reading(app).record.tags == ("coast", "tide")
    with Library.open(seeded_home, read_only=True) as lib:
        assert lib.get(barrier_id).tags == ("coast", "tide")


def test_tag_terms_and_words_combine() -> None:
    from dataclasses import replace

    from reader.store.records import ArticleRecord

    base = ArticleRecord("a" * 16, "Tide report", None, None, "Coast News", 10, "", None, 0, 0,
                         None, False, 0.0, ("coast",))  # fmt: skip
    other = replace(base, id="b" * 16, title="Budget", tags=("Politics",))
    assert filter_records([base, other], "tag:COAST") == [base]
    assert filter_records([base, other], "tag:politics budget") == [other]
    assert filter_records([base, other], "tag:politics tide") == []
    assert filter_records([base, other], "tag:") == [base, other]
    assert parse_tags(" a, b ,, A ,c d") == ["a", "b", "c d"]


async def test_export_writes_markdown_for_the_selected_article(
    seeded_home: Path, barrier_id: str, tmp_path: Path
) -> None:
    with Library.open(seeded_home) as lib:
        lib.add_highlight(barrier_id, *SENTENCES[2], note="Record?")
    out = tmp_path / "export"
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one(Input).value.endswith("reader-export")
        dialog.query_one(Input).value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        files = sorted(out.glob("*.md"))
        assert [f.name for f in files] == ["brackenmouth-tide-barrier-closes.md"]
        assert "> The surge peaked at 1.8 metres." in files[0].read_text()
        assert "Record?" in files[0].read_text()
        await pilot.press("E")  # all articles: the folder used last is offered
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert len(list(out.glob("*.md"))) == 3


async def test_keys_lists_the_study_keys(seeded_home: Path, barrier_id: str) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, KeysDialog)
        keys, described = (column._cells for column in dialog.table.columns)
        rows = {str(d): str(k) for k, d in zip(keys, described, strict=True)}
        expected = {
            "Review": "r",
            "Reverse sort": "R",
            "Tags": "T",
            "Summary": "S",
            "Export to Markdown": "e",
            "Export all to Markdown": "E",
        }
        for what, key in expected.items():
            assert rows.get(what) == key, (what, rows)
        assert rows["Search"].startswith("f")
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, KeysDialog)
        reading_keys = {str(d) for d in dialog.table.columns[1]._cells}
        for what in ("Highlight", "Select sentences", "Remove highlight", "Summary", "Tags",
                     "Other articles naming the entity"):  # fmt: skip
            assert what in reading_keys


def test_marked_snippets_are_safe_text() -> None:
    text = marked_text("the \x02zeppelin\x03 [bold]x[/] crew")
    assert text.plain == "the zeppelin [bold]x[/] crew"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["zeppelin"]


async def test_search_from_the_reading_screen_moves_within_the_article(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home, open_article=barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        await pilot.press("ctrl+f")
        await settle(pilot, wait_for_workers)
        await pilot.press(*"dawn", "enter", "enter")
        await settle(pilot, wait_for_workers)
        assert app.screen is screen  # same article: no second reading screen
        assert len([s for s in app.screen_stack if isinstance(s, ReadingScreen)]) == 1
        assert screen.view.cursor_span == SENTENCES[13]


async def test_every_study_action_is_in_the_palette(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    app = make_app(seeded_home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        library = app.screen
        assert isinstance(library, LibraryScreen)
        names = {name for name, _, _ in library.palette_commands()}
        for wanted in (
            "Review cards due (highlights, notes, key sentences)",
            "Search articles, notes and highlights",
            "Summary of the selected article",
            "Tags of the selected article",
            "Export the selected article to Markdown",
            "Export all articles to Markdown",
            "Reverse the sort order",
        ):
            assert wanted in names
        table = library.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(barrier_id))
        await pilot.press("enter")
        await settle(pilot, wait_for_workers)
        names = {name for name, _, _ in reading(app).palette_commands()}
        for wanted in (
            "Highlight the current sentence (or the selection)",
            "Select several sentences to highlight",
            "Remove the highlight here",
            "Summary page: key sentences, highlights, notes",
            "Tags of this article",
            "Export this article to Markdown",
            "Other articles that mention Helen Marsh",
        ):
            assert wanted in names
        # running one from the palette: the summary page opens
        await pilot.press("ctrl+p", *"summary page", "enter")
        await settle(pilot, wait_for_workers)
        assert isinstance(app.screen, SummaryScreen)


async def test_f_twice_on_an_article_read_elsewhere_makes_it_a_source_of_cards(
    tmp_path: Path, wait_for_workers: Any
) -> None:
    """Archived in Pocket: finished, but no key-sentence cards. In the app, F (not
    finished) then F (finished) makes it the reader's own, and its sentences count."""
    from reader.store.library_waiting import ImportedPage

    home = tmp_path / "home"
    with Library.open(home) as library:
        page = ImportedPage(barrier_article(), "https://example.org/barrier", finished=True)
        [added] = library.add_imported([page])
        aid = added.article.id
        assert library.get(aid).finished and library.review_sources()[1] == set()
    app = make_app(home, open_article=aid)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        assert "finished" in str(reading(app).query_one("#status").render())
        await pilot.press("F")
        await pilot.pause()
        with Library.open(home, read_only=True) as library:
            assert not library.get(aid).finished
            assert library.review_sources()[1] == set()
        await pilot.press("F")
        await pilot.pause()
        with Library.open(home, read_only=True) as library:
            assert library.get(aid).finished
            assert library.review_sources()[1] == {aid}
