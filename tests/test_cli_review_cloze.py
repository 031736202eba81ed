"""`reader review` in the terminal matches the app's Review screen: a key sentence is a
cloze (its blank shown, Enter reveals the answer), Enter is offered only when there is an
answer or a note to show, each rating says when the card would come back, and rating
records exactly that. `--json` gives the blank's offsets; `--list` shows the blank."""

from __future__ import annotations

import io
import itertools
import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from reader import cli
from reader.article import Article
from reader.nlp.analyzer import ANALYZER_VERSION
from reader.nlp.cache import AnalysisCache
from reader.store import Library
from reader.study.cloze import BLANK
from reader.study.review import ReviewDeck
from tests.conftest import FIXED_NOW, barrier_article, barrier_sentences, fake_analyze

SENTENCES = barrier_sentences()
TEXT = barrier_article().text
KEY_0 = SENTENCES[0]  # "The steel gates of the Brackenmouth barrier swung shut late on Monday."
LONG = (
    "The committee of the harbour debated the long and winding plan for the seaside "
    "promenade until late in the evening and finally approved it with 1250 votes."
)


class _Terminal(io.StringIO):
    """A scripted stdin or a captured stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _finish(lib: Library, aid: str) -> None:
    """Finished, with its analysis cached, as the reading screen leaves an article."""
    AnalysisCache(lib.cache_dir, ANALYZER_VERSION).put(fake_analyze(lib.load_article(aid).text))
    lib.save_progress(aid, position=0, progress=1.0, finished=True)


@pytest.fixture
def cloze_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The barrier article finished (key sentences 0, 3 and 6), a highlight with a note on
    sentence 2 and one without on sentence 8."""
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    with Library.open(home) as lib:
        aid = lib.add_article(barrier_article()).article.id
        lib.add_highlight(aid, *SENTENCES[2], note="1.8 m: a record?")
        lib.add_highlight(aid, *SENTENCES[8])
        _finish(lib, aid)
    return home, aid


def _interactive(monkeypatch: pytest.MonkeyPatch, keys: str) -> _Terminal:
    """Run `reader review` as from a terminal: its keys read one at a time from `keys`."""
    stdin, stdout = _Terminal(keys), _Terminal()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr("reader.cli.study._read_key", lambda: sys.stdin.read(1))
    return stdout


def test_interactive_review_blanks_reveals_and_rates_as_previewed(
    cloze_home: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, aid = cloze_home
    # fsrs fuzzes intervals of days at random: make every second draw differ, so a rating
    # scheduled afresh would not land on the interval the prompt showed
    draws = itertools.cycle([0.0, 0.999])
    monkeypatch.setattr("fsrs.scheduler.random", lambda: next(draws))
    # k0: reveal, Easy · h2 (note): reveal, Good · k3: Again unrevealed · k6: Hard ·
    # h8 (no note): Enter does nothing, then quit
    out = _interactive(monkeypatch, "\n4\n3" + "1" + "2" + "\nq")
    assert cli.main(["review", "--now", FIXED_NOW.isoformat()]) == 0
    blocks = out.getvalue().split("\n[")[1:]
    assert [b.split("]")[0] for b in blocks] == ["1/5", "2/5", "3/5", "4/5", "5/5"]
    key, noted, _k3, _k6, bare = (b.splitlines() for b in blocks)

    sentence = TEXT[slice(*KEY_0)]
    assert key[1] == f"  » {sentence.replace('Brackenmouth', BLANK)}"
    assert "Brackenmouth" not in key[1] + key[2]
    prompt = key[2]
    assert prompt.startswith("  Enter: show answer   1 Again · 1 m   2 Hard · 6 m   3 Good · 10 m")
    assert prompt.endswith("   q: quit")
    easy_days = int(prompt.split("4 Easy · ")[1].split(" d")[0])
    assert key[3] == "  Answer: Brackenmouth"
    assert key[4] == f"  Easy — back in {easy_days} days."

    assert noted[3].startswith("  Enter: show note   1 Again · 1 m")
    assert noted[4] == "  Note: 1.8 m: a record?"
    assert noted[5] == "  Good — back in 10 minutes."

    assert bare[3].startswith("  1 Again · 1 m") and "Enter" not in bare[3]
    assert bare[4:] == ["", "Reviewed 4 cards."]  # Enter showed nothing: no "(no note)"

    with Library.open(home, read_only=True) as lib:
        saved = lib.review_due_index()
        h_noted, h_bare = sorted(lib.highlights(aid), key=lambda h: h.start)
    start = FIXED_NOW.timestamp()
    assert saved[f"k{aid}:{KEY_0[0]}-{KEY_0[1]}"][1] == start + easy_days * 86400
    assert saved[f"h{h_noted.id}"][1] == start + 600
    assert f"h{h_bare.id}" not in saved and len(saved) == 4


def test_session_records_the_interval_its_prompt_showed_even_later(
    cloze_home: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader rates a while after the prompt: the card comes back the shown interval
    after the rating, not a newly fuzzed one."""
    home, _aid = cloze_home
    draws = itertools.cycle([0.0, 0.999])
    monkeypatch.setattr("fsrs.scheduler.random", lambda: next(draws))
    times = iter([FIXED_NOW, FIXED_NOW + timedelta(seconds=40)])
    with Library.open(home) as lib:
        deck = ReviewDeck(lib)
        cards = deck.due_cards(FIXED_NOW, limit=1)
        out = io.StringIO()
        keys = iter("4q")
        status = cli.review_session(
            deck, cards, read_key=lambda: next(keys), out=out, clock=lambda: next(times)
        )
        assert status == 0
        shown = int(out.getvalue().split("4 Easy · ")[1].split(" d")[0])
        due = lib.review_due_index()[cards[0].id][1]
    assert due == (FIXED_NOW + timedelta(seconds=40, days=shown)).timestamp()


def test_json_gives_the_blank_and_list_shows_it(
    cloze_home: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    home, aid = cloze_home
    with Library.open(home) as lib:
        vote = lib.add_article(
            Article.from_paragraphs("Harbour vote", None, None, None, [LONG + " It rained."])
        )
        _finish(lib, vote.article.id)
    now = FIXED_NOW.isoformat()
    assert cli.main(["review", "--json", "--now", now]) == 0
    cards = json.loads(capsys.readouterr().out)
    fields = {"id", "kind", "article_id", "title", "start", "end", "passage", "context"}
    assert all(set(c) == fields | {"note", "due", "cloze"} for c in cards)
    by_kind = {(c["article_id"], c["kind"], c["start"]): c for c in cards}
    first = by_kind[(aid, "key", KEY_0[0])]
    assert first["passage"] == TEXT[slice(*KEY_0)] and first["end"] == KEY_0[1]
    cloze = first["cloze"]
    assert cloze == {"start": 23, "end": 35, "answer": "Brackenmouth"}
    assert first["passage"][cloze["start"] : cloze["end"]] == "Brackenmouth"
    trust = by_kind[(aid, "key", SENTENCES[3][0])]["cloze"]
    assert trust["answer"] == "Alder Estuary Trust"
    assert [c["cloze"] for c in cards if c["kind"] == "highlight"] == [None, None]

    assert cli.main(["review", "--list", "--now", now]) == 0
    listed = capsys.readouterr().out
    assert f"      The steel gates of the {BLANK} barrier swung shut late on Monday." in listed
    assert "      Engineers from the Alder Estuary Trust" not in listed
    assert "      The surge peaked at 1.8 metres." in listed  # a highlight: in full
    # a long sentence is cut so that its blank stays in sight
    long_line = next(line for line in listed.splitlines() if "promenade" in line)
    assert long_line.endswith(f"finally approved it with {BLANK} votes.")
    assert long_line.startswith("      …") and len(long_line.strip()) == 90
