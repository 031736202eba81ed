"""Key-sentence cards are clozes: a name, number or rare word is blanked out and `space`
shows it; every rating key says when the card would come back, and the card comes back
exactly then. Highlight and note cards keep revealing their note, and space is offered
only when there is something to reveal, under a label that says what."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from fsrs import Card, Rating, Scheduler
from textual.widgets._footer import FooterKey

from reader.nlp.analysis import Entity, Span
from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store import Library
from reader.study.cloze import BLANK, choose_blank, word_counts
from reader.study.review import ReviewDeck, short_interval
from reader.ui.screens.review import ReviewScreen
from tests.conftest import FIXED_NOW, barrier_article, barrier_sentences, fake_analyze
from tests.ui_helpers import make_app, settle

TEXT = barrier_article().text
SENTENCES = barrier_sentences()


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


def footer_labels(screen: Any) -> set[str]:
    return {key.description for key in screen.query(FooterKey)}


def test_the_blank_prefers_a_rare_long_name_then_a_number_then_a_rare_word() -> None:
    text = "Ann Lee met Ann Lee. The Harbour Trust and Ann Lee paid 1,250 pounds. It rained."
    s2 = text.index("The Harbour")
    e2 = text.index(" It rained")
    ann = Entity("Ann Lee", "PERSON", [Span(m, m + 7) for m in (0, 12, s2 + 22)])
    trust = Entity("Harbour Trust", "ORG", [Span(s2 + 4, s2 + 17)])
    # one mention of the Trust against three of Ann Lee: the rarer name is the question
    assert choose_blank(text, s2, e2, [ann, trust]) == (s2 + 4, s2 + 17)
    # no name inside: the number, whole
    sentence = "Costs rose to 1,250.5 pounds, about 12% more."
    assert sentence[slice(*choose_blank(sentence, 0, len(sentence))  # type: ignore[misc]
                          )] == "1,250.5"  # fmt: skip
    # neither: the longest of the rarest content words (article counts break the tie)
    article = "The crew cheered. The crew slept soundly. Everyone cheered."
    start = article.index("The crew slept")
    end = article.index(" Everyone")
    counts = word_counts(article)
    blank = choose_blank(article, start, end, (), lambda: counts)
    assert blank is not None and article[slice(*blank)] == "soundly"
    # never the whole sentence, never whitespace
    assert choose_blank("Norfolk.", 0, 8, [Entity("Norfolk", "PLACE", [Span(0, 7)])]) is None
    assert choose_blank("   ", 0, 3) is None
    assert short_interval(timedelta(minutes=10)) == "10 m"
    assert short_interval(timedelta(days=3, hours=2)) == "3 d"
    assert short_interval(timedelta(days=120)) == "4 mo"


def _finished_home(home: Path) -> str:
    """The barrier article finished, its analysis cached (as the reading screen leaves it),
    with one highlight with a note and one without."""
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(lib.load_article(aid).text))
        lib.add_highlight(aid, *SENTENCES[2], note="1.8 m: a record?")
        lib.add_highlight(aid, *SENTENCES[8])
        lib.save_progress(aid, position=0, progress=1.0, finished=True)
    return aid


async def test_a_key_sentence_card_blanks_a_name_and_space_shows_it(
    home: Path, wait_for_workers: Any
) -> None:
    aid = _finished_home(home)
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        card = screen.card
        assert card is not None and card.kind == "key" and (card.start, card.end) == SENTENCES[0]
        assert card.answer == "Brackenmouth"  # the only name in the sentence
        passage = _text(screen, "#card-passage")
        assert passage == f"The steel gates of the {BLANK} barrier swung shut late on Monday."
        assert "Brackenmouth" not in passage + _text(screen, "#card-note")
        assert "Show answer" in footer_labels(screen) and "Show note" not in footer_labels(screen)
        # each rating says what fsrs would do with a new card now, and nothing is recorded yet
        scheduler = Scheduler(desired_retention=0.9)
        status = _text(screen, "#review-status")
        for rating, name in ((1, "Again"), (2, "Hard"), (3, "Good")):
            due = scheduler.review_card(Card(due=FIXED_NOW), Rating(rating), FIXED_NOW)[0].due
            assert f"{rating} {name} · {short_interval(due - FIXED_NOW)}" in status
        assert "3 Good · 10 m" in status and "1 Again · 1 m" in status
        easy_shown = status.split("4 Easy · ")[1].split()[0]  # fuzzed by fsrs: as previewed
        with Library.open(home, read_only=True) as lib:
            assert lib.review_due_index() == {}
        await pilot.press("space")
        await pilot.pause()
        assert _text(screen, "#card-passage") == TEXT[slice(*SENTENCES[0])]
        assert "Answer: Brackenmouth" in _text(screen, "#card-note")
        await pilot.press("4")
        await settle(pilot, wait_for_workers)
        second = screen.card
        assert second is not None and second.kind == "highlight"  # text order: sentence 2
    with Library.open(home, read_only=True) as lib:
        saved = lib.review_due_index()
    easy_due = saved[f"k{aid}:{SENTENCES[0][0]}-{SENTENCES[0][1]}"][1]
    assert f"{round((easy_due - FIXED_NOW.timestamp()) / 86400)} d" == f"{easy_shown} d"


async def test_space_says_what_it_reveals_and_is_not_offered_for_nothing(
    home: Path, wait_for_workers: Any
) -> None:
    _finished_home(home)
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        kinds: dict[str, set[str]] = {}
        notes: dict[str, str] = {}
        while screen.card is not None:
            card = screen.card
            label = "note" if card.note else card.kind
            kinds[label] = footer_labels(screen) & {"Show answer", "Show note"}
            await pilot.press("space")
            await pilot.pause()
            notes[label] = _text(screen, "#card-note")
            await pilot.press("3")
            await settle(pilot, wait_for_workers)
    assert kinds == {"key": {"Show answer"}, "note": {"Show note"}, "highlight": set()}
    assert "1.8 m: a record?" in notes["note"]
    assert notes["highlight"] == "(no note)"  # space did nothing to a highlight without one


def test_a_rating_records_the_outcome_its_preview_showed(library: Library) -> None:
    aid = library.add_article(barrier_article()).article.id
    h = library.add_highlight(aid, *SENTENCES[2])
    deck = ReviewDeck(library)  # fsrs fuzzes intervals of days at random
    card_id = f"h{h.id}"
    library.save_review_state(card_id, aid, {}, FIXED_NOW.timestamp())  # rebuilt as new
    first = deck.rate(card_id, 4, FIXED_NOW)
    later = first + timedelta(hours=1)
    preview = deck.preview(card_id, later)
    assert library.review_state(card_id, aid) is not None
    before = library.review_due_index()[card_id]
    assert before[1] == first.timestamp()  # previewing recorded nothing
    when = later + timedelta(seconds=30)
    due = deck.rate(card_id, 3, when, preview=preview)
    assert due - when == preview.interval(3) > timedelta(days=2)
    stale = deck.preview(card_id, when)
    deck.rate(card_id, 1, when)  # a rating meanwhile: the older preview no longer applies
    assert deck.rate(card_id, 3, when, preview=stale) != stale.outcomes[3].due
