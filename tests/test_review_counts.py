"""The library's "N cards to review" and the review screen's "N due" are one count, equal to
the cards the store can actually show.

They used to differ: the library counted before the key sentences of a finished article
were ever recorded (the review screen records them first), counted the cards of an
article whose text is gone (the review screen skips them), did not see the key sentences
a read-only window keeps in memory, and never counted again while it sat open.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fsrs import Scheduler

from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store import Library
from reader.study.review import ReviewDeck
from reader.ui.app import ReaderApp
from reader.ui.screens.library import LibraryScreen
from reader.ui.screens.review import ReviewScreen
from tests.conftest import FIXED_NOW, barrier_article, barrier_sentences, fake_analyze, make_article
from tests.ui_helpers import make_app, settle, wait_until

SENTENCES = barrier_sentences()


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).render())


def library_count(app: Any) -> int:
    assert isinstance(app.screen, LibraryScreen)
    status = _text(app.screen, "#library-status")
    found = re.search(r"(\d+) cards? to review", status)
    return int(found.group(1)) if found else 0


def review_count(app: Any) -> int:
    assert isinstance(app.screen, ReviewScreen)
    found = re.search(r"(\d+) due", _text(app.screen, "#review-title"))
    assert found is not None
    return int(found.group(1))


def store_count(home: Path, now: datetime) -> int:
    """The cards the store holds, counted from its records one by one: every highlight and
    note of an article whose text is there, every recorded key sentence of a finished
    article not covered by a highlight, less those scheduled for later."""
    with Library.open(home, read_only=True) as lib:
        present = {r.id for r in lib.articles() if (lib.articles_dir / f"{r.id}.json.gz").exists()}
        finished = {r.id for r in lib.articles() if r.finished}
        due = lib.review_due_index()
        cards = [f"h{h.id}" for h in lib.all_highlights() if h.article_id in present]
        cards += [f"n{n.id}" for n in lib.all_notes() if n.article_id in present]
        marked = {(h.article_id, h.start, h.end) for h in lib.all_highlights()}
        for aid, (_version, spans) in lib.key_sentence_index().items():
            if aid in finished and aid in present:
                cards += [f"k{aid}:{a}-{b}" for a, b in spans if (aid, a, b) not in marked]
    return sum(1 for c in cards if c not in due or due[c][1] <= now.timestamp())


def _differing_home(home: Path) -> tuple[str, str]:
    """A finished article whose key sentences were never recorded, a highlight and a note on
    it, and a highlight on an article whose text file has gone."""
    with Library.open(home) as lib:
        barrier = lib.add_article(barrier_article()).article.id
        lost = lib.add_article(make_article("Lost piece", 80)).article.id
        lib.add_highlight(barrier, *SENTENCES[2], note="1.8 m")
        lib.add_note(barrier, *SENTENCES[12], "nobody hurt")
        lib.add_highlight(lost, 0, 20, "gone with its text")
        lib.save_progress(barrier, position=0, progress=1.0, finished=True)
        assert lib.key_sentence_index() == {}
    (home / "articles" / f"{lost}.json.gz").unlink()
    return barrier, lost


async def test_library_and_review_show_the_count_the_store_holds(
    home: Path, wait_for_workers: Any
) -> None:
    barrier, _lost = _differing_home(home)
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        in_library = library_count(app)
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        in_review = review_count(app)
        assert isinstance(app.screen, ReviewScreen)
        shown = len(app.screen.cards)
        await pilot.press("escape")
        await settle(pilot, wait_for_workers)
        back_in_library = library_count(app)
    # highlight + note + the three key sentences; the lost article's highlight cannot be shown
    assert in_library == in_review == shown == back_in_library == 5
    assert store_count(home, FIXED_NOW) == 5
    with Library.open(home, read_only=True) as lib:  # recorded by the library's count
        assert len(lib.key_sentence_index()[barrier][1]) == 3


async def test_a_read_only_window_counts_the_key_sentences_it_keeps_in_memory(
    home: Path, wait_for_workers: Any
) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_highlight(aid, *SENTENCES[2])
        lib.save_progress(aid, position=0, progress=1.0, finished=True)
        AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(lib.load_article(aid).text))
    with Library.open(home) as holder:  # another window holds the home: the app reads only
        app = make_app(home)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, wait_for_workers)
            assert app.library.read_only
            in_library = library_count(app)
            await pilot.press("r")
            await settle(pilot, wait_for_workers)
            in_review = review_count(app)
            await pilot.press("escape")
            await settle(pilot, wait_for_workers)
            assert in_library == in_review == library_count(app) == 4
        assert holder.key_sentence_index() == {}  # a read-only window records nothing


async def test_the_library_counts_again_when_a_card_falls_due(
    home: Path, wait_for_workers: Any
) -> None:
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        first = lib.add_highlight(aid, *SENTENCES[2])
        lib.add_note(aid, *SENTENCES[12], "nobody hurt")
        due = ReviewDeck(lib, scheduler=Scheduler(enable_fuzzing=False)).rate(
            f"h{first.id}", 3, FIXED_NOW
        )
    clock = [due - timedelta(seconds=0.2)]
    app = ReaderApp(home, analyzer=fake_analyze, now=lambda: clock[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        assert library_count(app) == 1 == store_count(home, clock[0])
        clock[0] = due + timedelta(seconds=1)
        await wait_until(pilot, lambda: library_count(app) == 2)
        await pilot.press("r")
        await settle(pilot, wait_for_workers)
        assert isinstance(app.screen, ReviewScreen)
        assert review_count(app) == 2 == len(app.screen.cards) == store_count(home, clock[0])


def test_a_count_leaves_out_a_text_found_damaged_for_every_deck(home: Path) -> None:
    """Read-only, a damaged text stays where it is: the deck that finds it tells the
    library's other decks, so the status line's count drops with the review's."""
    with Library.open(home) as lib:
        good = lib.add_article(barrier_article()).article.id
        bad = lib.add_article(make_article("Torn", 80)).article.id
        lib.add_highlight(good, 0, 20)
        lib.add_highlight(bad, 0, 20)
    (home / "articles" / f"{bad}.json.gz").write_bytes(b"not gzip at all")
    with Library.open(home) as _holder, Library.open(home) as lib:
        assert lib.read_only
        assert ReviewDeck(lib).due_count(FIXED_NOW) == 2  # nothing has read the text yet
        deck = ReviewDeck(lib)
        assert [c.article_id for c in deck.due_cards(FIXED_NOW)] == [good]
        assert deck.due_count(FIXED_NOW) == ReviewDeck(lib).due_count(FIXED_NOW) == 1
        assert len(deck.notices) == 1 and "Torn" in deck.notices[0]
    with Library.open(home) as lib:  # the writer moves the damaged text aside at once
        deck = ReviewDeck(lib)
        assert len(deck.due_cards(FIXED_NOW)) == 1
        assert ReviewDeck(lib).due_count(FIXED_NOW) == 1
        lib.add_article(make_article("Torn", 80))  # added again: its text is back
        assert ReviewDeck(lib).due_count(FIXED_NOW) == 2 == len(deck.due_cards(FIXED_NOW))
