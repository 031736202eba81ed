"""How many key sentences: `reader analyze --key-sentences N|P%`, and + / - in the app.

The ranking is made once and kept whole; a count only cuts it, so every cut must be the
pick that size would have made, and changing the count never analyses again.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import OptionList

from reader import cli
from reader.article import parse_article
from reader.nlp.analysis import Analysis, KeySentence
from reader.nlp.analyzer import analyze_text, prose_only
from reader.nlp.keysentences import _diverse, _Sent, key_sentence_ranking, rank_key_sentences
from reader.store import Library
from reader.store.settings import KEY_SENTENCES, key_sentence_count
from reader.ui.app import ReaderApp
from reader.ui.panes.key_sentences import KeyItem
from reader.ui.widgets.item_option import item_of
from tests.conftest import FIXED_NOW, fake_analyze
from tests.ui_helpers import burst, keys_handled, reading, settle

SAMPLES = Path(__file__).resolve().parent.parent / "sample_articles"


@cache
def sample(name: str) -> str:
    path = SAMPLES / name
    return parse_article(path.read_text(encoding="utf-8"), suffix=path.suffix).text


# ------------------------------------------------------------------ the ranking


@pytest.mark.parametrize("name", ["harbour-tide-barrier.txt", "the-case-for-slow-reading.md"])
def test_every_cut_of_the_kept_ranking_is_the_pick_of_that_size(name: str) -> None:
    from reader.nlp.entities import find_mentions
    from reader.nlp.sentences import split_sentences

    prose = prose_only(sample(name))
    sentences = split_sentences(prose)
    mentions = find_mentions(prose, sentences)
    analysis = analyze_text(sample(name))
    ranking = analysis.key_sentences + analysis.more_key_sentences
    assert analysis.key_sentences == rank_key_sentences(prose, sentences, mentions=mentions)
    assert len(ranking) > len(analysis.key_sentences)
    for k in range(1, len(ranking) + 2):
        assert analysis.top_key_sentences(k) == rank_key_sentences(
            prose, sentences, k=k, mentions=mentions
        )
    assert key_sentence_ranking(prose, sentences, mentions=mentions, limit=2)[0] == ranking[:2]


def plain_greedy(
    order: list[int], sents: list[_Sent], threshold: float, limit: int | None
) -> list[int]:
    """The pick as it was written before the ranking was kept whole: the oracle."""

    def overlap(a: _Sent, b: _Sent) -> float:
        sa, sb = set(a.content), set(b.content)
        if not sa or not sb:
            return 0.0
        return len(sa & sb) / min(len(sa), len(sb))

    chosen: list[int] = []
    for j in order:
        if any(overlap(sents[j], sents[c]) >= threshold for c in chosen):
            continue
        if any(sents[j].raw.strip() == sents[c].raw.strip() for c in chosen):
            continue
        chosen.append(j)
        if len(chosen) == limit:
            break
    return chosen


WORDS = ["harbour", "barrier", "gates", "storm", "night", "crew", "council", "tide", "the"]


@given(
    raws=st.lists(
        st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join), min_size=1, max_size=25
    ),
    threshold=st.sampled_from([0.0, 0.3, 0.5, 0.6, 1.0, 1.5]),
    limit=st.one_of(st.none(), st.integers(1, 30)),
    seed=st.randoms(use_true_random=False),
)
def test_the_indexed_pick_is_the_plain_greedy_pick(
    raws: list[str], threshold: float, limit: int | None, seed: Any
) -> None:
    sents = [_Sent(i, raw) for i, raw in enumerate(raws)]
    order = list(range(len(sents)))
    seed.shuffle(order)
    assert _diverse(order, sents, threshold, limit) == plain_greedy(order, sents, threshold, limit)


def test_the_kept_ranking_survives_the_cache_format() -> None:
    analysis = analyze_text(sample("harbour-tide-barrier.txt"))
    assert analysis.more_key_sentences
    again = Analysis.from_dict(analysis.to_dict())
    assert again.to_dict() == analysis.to_dict()
    assert [k.sentence for k in again.more_key_sentences] == [
        k.sentence for k in analysis.more_key_sentences
    ]
    older = analysis.to_dict()
    del older["more_key_sentences"]
    assert Analysis.from_dict(older).more_key_sentences == []
    broken = analysis.to_dict()
    broken["more_key_sentences"] = [{"sentence": 10**6, "score": 0.5}]
    with pytest.raises(ValueError):
        Analysis.from_dict(broken)


def test_top_key_sentences_cuts_the_ranking() -> None:
    keys = [KeySentence(i, 1 - i / 10) for i in range(5)]
    analysis = Analysis("x", [], [], keys[:2], keys[2:])
    assert analysis.ranked == 5
    assert analysis.top_key_sentences(None) == keys[:2]
    assert analysis.top_key_sentences(4) == keys[:4]
    assert analysis.top_key_sentences(50) == keys
    assert analysis.top_key_sentences(0) == []


@pytest.mark.parametrize(
    ("stored", "count"),
    [
        (5, 5),
        (1, 1),
        (10_000, 10_000),
        (0, None),
        (-1, None),
        (10_001, None),
        ("5", None),
        (True, None),
        (2.0, None),
        (None, None),
    ],
)
def test_a_stored_count_is_used_only_when_it_is_one(stored: object, count: int | None) -> None:
    assert key_sentence_count(stored) == count


# ------------------------------------------------------------------ the CLI


@pytest.fixture
def clip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    path = tmp_path / "barrier.txt"
    path.write_text((SAMPLES / "harbour-tide-barrier.txt").read_text("utf-8"), "utf-8")
    return path


def analyze_json(clip: Path, *options: str, capsys: Any) -> dict[str, Any]:
    assert cli.main(["analyze", "--json", *options, str(clip)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    return data


def ranking_of(clip: Path) -> list[int]:
    article = parse_article(clip.read_text("utf-8"), suffix=".txt")
    analysis = analyze_text(article.text)
    return [k.sentence for k in analysis.key_sentences + analysis.more_key_sentences]


def test_analyze_prints_as_many_key_sentences_as_asked(clip: Path, capsys: Any) -> None:
    ranking = ranking_of(clip)
    default = analyze_json(clip, capsys=capsys)
    assert "more_key_sentences" not in default
    assert 0 < len(default["key_sentences"]) < len(ranking)
    for n in (1, len(default["key_sentences"]) + 2, 10_000):
        data = analyze_json(clip, "--key-sentences", str(n), capsys=capsys)
        assert [k["sentence"] for k in data["key_sentences"]] == ranking[:n]
        assert "more_key_sentences" not in data
    # A share of the sentences, rounded half up, at least one.
    sentences = len(default["sentences"])
    for percent in ("10%", "33.3%", "100%", "0.1%"):
        share = float(percent[:-1])
        wanted = max(1, math.floor(share * sentences / 100 + 0.5))
        data = analyze_json(clip, "--key-sentences", percent, capsys=capsys)
        assert [k["sentence"] for k in data["key_sentences"]] == ranking[:wanted]


def test_the_report_lists_the_chosen_number(clip: Path, capsys: Any) -> None:
    assert cli.main(["analyze", "--key-sentences", "4", str(clip)]) == 0
    out = capsys.readouterr().out
    listed = out.split("Key sentences")[1].strip().splitlines()
    assert [line.split(".")[0].strip() for line in listed] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "150%", "0%", "", "5.5", "10001", "%", "1e3"])
def test_a_bad_count_is_one_line_and_exit_2(clip: Path, capsys: Any, bad: str) -> None:
    assert cli.main(["analyze", "--key-sentences", bad, str(clip)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("reader: --key-sentences must be a whole number from 1 to 10,000")


# ------------------------------------------------------------------ the app


def ranked_fake(text: str) -> Analysis:
    """fake_analyze with its whole ranking kept: every sentence, longest first."""
    base = fake_analyze(text)
    order = sorted(
        range(len(base.sentences)), key=lambda i: base.sentences[i].start - base.sentences[i].end
    )
    keys = [KeySentence(i, 1.0 - rank / 100) for rank, i in enumerate(order)]
    return Analysis(text, base.sentences, base.entities, keys[:3], keys[3:])


def make(home: Path, barrier_id: str, calls: list[str] | None = None) -> ReaderApp:
    def analyzer(text: str) -> Analysis:
        if calls is not None:
            calls.append(text)
        return ranked_fake(text)

    return ReaderApp(home, open_article=barrier_id, analyzer=analyzer, now=lambda: FIXED_NOW)


def shown_keys(screen: Any) -> list[tuple[int, int]]:
    """The key sentences as the pane lists them, as spans, checked against the text marks."""
    pane = screen.query_one("#key-sentences", OptionList)
    spans = []
    for i in range(pane.option_count):
        option = pane.get_option_at_index(i)
        item = item_of(option, KeyItem)
        assert item is not None
        spans.append(screen.view.sentences[item.sentence])
    assert sorted(spans) == screen.view._key.spans  # the text marks the same sentences
    return spans


def expected(screen: Any, n: int) -> list[tuple[int, int]]:
    analysis = ranked_fake(screen.text)
    return [
        (analysis.sentences[k.sentence].start, analysis.sentences[k.sentence].end)
        for k in analysis.top_key_sentences(n)
    ]


def stored_count(home: Path) -> object:
    with Library.open(home, read_only=True) as library:
        return library.get_setting(KEY_SENTENCES, None)


async def test_plus_and_minus_change_the_pane_and_the_marks_and_are_remembered(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    calls: list[str] = []
    app = make(seeded_home, barrier_id, calls)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert shown_keys(screen) == expected(screen, 3)
        pane = screen.query_one("#key-sentences", OptionList)
        ranked = len(ranked_fake(screen.text).sentences)
        assert pane.border_subtitle == f"3 of {ranked} · + −"
        await pilot.press("plus")
        assert shown_keys(screen) == expected(screen, 4)
        assert pane.border_subtitle == f"4 of {ranked} · + −"
        assert app.library.get_setting(KEY_SENTENCES, None) == 4
        await pilot.press("minus", "minus", "minus")
        assert shown_keys(screen) == expected(screen, 1)
        await pilot.press("minus")  # one is the fewest
        assert shown_keys(screen) == expected(screen, 1)
        burst(app, "plus", "plus", "plus", "plus")  # typed fast: each one counts
        await keys_handled(pilot)
        assert shown_keys(screen) == expected(screen, 5)
        assert len(calls) == 1, "a new count cuts the kept ranking: no new analysis"
    assert stored_count(seeded_home) == 5

    app = make(seeded_home, barrier_id)  # another day, the same library
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        assert shown_keys(reading(app)) == expected(reading(app), 5)


async def test_plus_stops_at_the_whole_ranking(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as library:
        library.set_setting(KEY_SENTENCES, 10_000)  # more than this article has
    app = make(seeded_home, barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        every = len(ranked_fake(screen.text).sentences)
        assert len(shown_keys(screen)) == every
        await pilot.press("plus")
        assert len(shown_keys(screen)) == every
        await pilot.press("minus")
        assert len(shown_keys(screen)) == every - 1
    assert stored_count(seeded_home) == every - 1


async def test_a_damaged_stored_count_means_the_default(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home) as library:
        library.set_setting(KEY_SENTENCES, -4)
    app = make(seeded_home, barrier_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, wait_for_workers)
        screen = reading(app)
        assert shown_keys(screen) == expected(screen, 3)
        await pilot.press("plus")
        assert shown_keys(screen) == expected(screen, 4)
    assert stored_count(seeded_home) == 4


async def test_a_read_only_window_changes_the_count_without_saving_it(
    seeded_home: Path, barrier_id: str, wait_for_workers: Any
) -> None:
    with Library.open(seeded_home):  # another window holds the home
        app = make(seeded_home, barrier_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, wait_for_workers)
            screen = reading(app)
            assert app.library.read_only
            await pilot.press("plus", "plus")
            assert shown_keys(screen) == expected(screen, 5)
    assert stored_count(seeded_home) is None
