"""Review cards and their FSRS schedules, with `now` injected and fuzzing off."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Card, Rating, Scheduler

from reader.nlp.analysis import Analysis
from reader.store import NotFound
from reader.store.library import Library
from reader.study.review import ReviewDeck, describe_due, sentence_before
from tests.conftest import FIXED_NOW, barrier_article, fake_analyze, make_article


def _deck(lib: Library) -> ReviewDeck:
    return ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False), analyze=fake_analyze)


def _span(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


def test_two_cards_move_exactly_as_fsrs_schedules_them(home: Path) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        text = lib.load_article(aid).text
        h = lib.add_highlight(aid, *_span(text, "The surge peaked at 1.8 metres."), note="1.8 m")
        n = lib.add_note(aid, *_span(text, "Nobody was hurt."), "no one")
        deck = _deck(lib)
        assert deck.due_count(FIXED_NOW) == 2
        cards = deck.due_cards(FIXED_NOW)
        assert [c.id for c in cards] == [f"h{h.id}", f"n{n.id}"]
        first = cards[0]
        assert first.passage == "The surge peaked at 1.8 metres."
        assert first.context == "Helen Marsh watched from the control room."
        assert first.note == "1.8 m" and first.title == "Brackenmouth tide barrier closes"
        assert first.is_new
        due_h = deck.rate(first.id, 3, FIXED_NOW)
        due_n = deck.rate(cards[1].id, 4, FIXED_NOW)

    reference = Scheduler(enable_fuzzing=False)
    expected_h, _ = reference.review_card(Card(due=FIXED_NOW), Rating.Good, FIXED_NOW)
    expected_n, _ = reference.review_card(Card(due=FIXED_NOW), Rating.Easy, FIXED_NOW)
    assert due_h == expected_h.due and due_n == expected_n.due
    assert due_h == FIXED_NOW + timedelta(minutes=10)  # fsrs's second learning step

    with Library.open(home) as lib:  # the schedule survives reopening
        deck = _deck(lib)
        assert deck.due_count(FIXED_NOW) == 0
        later = due_h + timedelta(seconds=1)
        assert [c.id for c in deck.due_cards(later)] == [f"h{h.id}"]
        assert deck.due_cards(later)[0].due == due_h
        due_again = deck.rate(f"h{h.id}", 3, later)
        expected_again, _ = reference.review_card(expected_h, Rating.Good, later)
        assert due_again == expected_again.due > later + timedelta(hours=12)
        first_back, last_back = sorted((due_again, due_n))
        assert deck.due_count(first_back - timedelta(seconds=1)) == 0
        assert deck.due_count(first_back) == 1 and deck.due_count(last_back) == 2


def test_a_deleted_highlight_or_note_takes_its_card_with_it(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    h = library.add_highlight(aid, 0, 10, "x")
    n = library.add_note(aid, 20, 30, "y")
    deck = _deck(library)
    deck.rate(f"h{h.id}", 1, FIXED_NOW)
    assert deck.due_count(FIXED_NOW + timedelta(days=1)) == 2
    library.remove_highlight(h.id)
    assert [c.id for c in deck.due_cards(FIXED_NOW + timedelta(days=1))] == [f"n{n.id}"]
    assert library.review_states() == []
    with pytest.raises(NotFound):
        deck.rate(f"h{h.id}", 3, FIXED_NOW)
    library.delete(aid)
    assert deck.due_count(FIXED_NOW) == 0 and deck.due_cards(FIXED_NOW) == []


def test_finished_articles_give_key_sentence_cards_lazily(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    library.add_article(make_article("Unread", 200))
    calls: list[str] = []

    def analyze(text: str) -> Analysis:
        calls.append(text)
        return fake_analyze(text)

    deck = ReviewDeck(library, scheduler=Scheduler(enable_fuzzing=False), analyze=analyze)
    library.save_progress(aid, position=0, progress=1.0, finished=True)
    assert deck.due_count(FIXED_NOW) == 0  # never analysed: counted once the deck is built
    cards = deck.due_cards(FIXED_NOW)
    assert len(calls) == 1 and len(cards) == 3 and {c.kind for c in cards} == {"key"}
    text = library.load_article(aid).text
    keys = fake_analyze(text)
    expected = sorted(
        (keys.sentences[k.sentence] for k in keys.key_sentences), key=lambda s: s.start
    )
    assert [(c.start, c.end) for c in cards] == [(s.start, s.end) for s in expected]
    assert all(c.passage == text[c.start : c.end] and c.note == "" for c in cards)
    assert deck.due_count(FIXED_NOW) == 3
    deck.due_cards(FIXED_NOW)
    assert len(calls) == 1  # recorded, not analysed again
    library.add_highlight(aid, cards[0].start, cards[0].end, "mine")
    assert deck.due_count(FIXED_NOW) == 3  # the highlight replaces the same key sentence
    assert {c.kind for c in deck.due_cards(FIXED_NOW)} == {"key", "highlight"}


def test_bad_ratings_and_times_are_refused(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    h = library.add_highlight(aid, 0, 10)
    deck = _deck(library)
    for rating in (0, 5, True, "3"):
        with pytest.raises(ValueError, match="rating"):
            deck.rate(f"h{h.id}", rating, FIXED_NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone"):
        deck.rate(f"h{h.id}", 3, FIXED_NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="not a review card"):
        deck.rate("bogus", 3, FIXED_NOW)
    assert library.review_states() == []


def test_context_without_an_analysis_and_due_wording() -> None:
    text = "First one. Second one!\n\nThird one? Fourth."
    assert sentence_before(text, text.index("Fourth")) == "Third one?"
    assert sentence_before(text, text.index("Third")) == "Second one!"
    assert sentence_before(text, 0) == ""
    assert describe_due(FIXED_NOW + timedelta(minutes=10), FIXED_NOW) == "in 10 minutes"
    assert describe_due(FIXED_NOW + timedelta(days=3), FIXED_NOW) == "in 3 days"
    assert re.fullmatch(r"in \d+ hours?", describe_due(FIXED_NOW + timedelta(hours=5), FIXED_NOW))


def _recount(lib: Library, when: datetime) -> int:
    """The count the long way (every card source, one by one), to check the kept figures."""
    deck = _deck(lib)
    cutoff = when.timestamp()
    due_index = lib.review_due_index()
    sources, _ = deck._sources()
    return sum(1 for s in sources if (d := due_index.get(s.card_id)) is None or d[1] <= cutoff)


def test_the_kept_due_count_follows_every_change(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    text = library.load_article(aid).text
    deck = _deck(library)
    sources: list[int] = []
    real_sources = library.review_sources

    def counting_sources() -> Any:
        sources.append(1)
        return real_sources()

    library.review_sources = counting_sources  # type: ignore[method-assign]
    assert deck.due_count(FIXED_NOW) == 0
    assert deck.due_count(FIXED_NOW) == 0 and len(sources) == 1  # kept, not rebuilt
    h = library.add_highlight(aid, *_span(text, "The surge peaked at 1.8 metres."))
    assert deck.due_count(FIXED_NOW) == 1
    n = library.add_note(aid, *_span(text, "Nobody was hurt."), "no one")
    assert _deck(library).due_count(FIXED_NOW) == 2  # a new deck shares the figures
    due = deck.rate(f"h{h.id}", 3, FIXED_NOW)
    assert deck.due_count(FIXED_NOW) == 1 and deck.due_count(due) == 2
    library.remove_highlight(h.id)
    assert deck.due_count(due) == 1
    library.save_progress(aid, position=0, progress=1.0, finished=True)  # no event, still seen
    deck.refresh_key_sentences()
    assert deck.due_count(FIXED_NOW) == 4 == _recount(library, FIXED_NOW)
    key = deck.due_cards(FIXED_NOW)[0]
    library.add_highlight(aid, key.start, key.end)  # replaces that key sentence's card
    assert deck.due_count(FIXED_NOW) == 4
    library.delete_note(n.id)
    assert deck.due_count(FIXED_NOW) == 3 == _recount(library, FIXED_NOW)
    library.delete(aid)
    before = len(sources)
    assert deck.due_count(FIXED_NOW) == 0 and deck.due_count(FIXED_NOW + timedelta(days=9)) == 0
    assert len(sources) == before + 1  # rebuilt once after the change, not on every count


def test_a_read_only_window_sees_the_writer_change_the_count(home: Path) -> None:
    with Library.open(home) as writer:
        aid = writer.add_article(barrier_article()).article.id
        with Library.open(home) as reader:
            assert reader.read_only
            deck = _deck(reader)
            assert deck.due_count(FIXED_NOW) == 0
            h = writer.add_highlight(aid, 0, 10)
            assert deck.due_count(FIXED_NOW) == 1
            _deck(writer).rate(f"h{h.id}", 3, FIXED_NOW)
            assert deck.due_count(FIXED_NOW) == 0
            assert deck.due_count(FIXED_NOW + timedelta(days=1)) == 1
