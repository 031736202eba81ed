from __future__ import annotations

import re

import pytest

from reader.nlp.analysis import Mention, Span
from reader.nlp.keysentences import (
    _FALLBACK,
    _load_model,
    default_count,
    is_boilerplate,
    rank_key_sentences,
)


def split(text: str) -> list[Span]:
    """A naive splitter for tests: sentence-final punctuation or a line break."""
    spans = []
    for m in re.finditer(r"[^\n.!?]+(?:[.!?]+[\"”']?|(?=\n)|$)", text):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if m.group().strip():
            spans.append(Span(start, m.end()))
    return spans


ARTICLE = """\
Storm floods coastal towns
By Jane Doe

A powerful storm flooded three coastal towns on Tuesday, forcing thousands of residents to \
leave their homes before dawn. Emergency crews rescued forty people trapped on rooftops in the \
town of Westport, officials said. The storm brought winds of more than 90 miles per hour and \
dropped almost a foot of rain in twelve hours. Power was cut to about 50,000 homes across the \
region, and the utility said repairs could take a week.

Source: Reuters

Schools in the three towns will stay closed until Monday while engineers inspect the buildings. \
The governor declared a state of emergency and asked the federal government for disaster aid. \
Forecasters expect the storm to weaken as it moves inland over the mountains on Wednesday. \
Residents were told to boil drinking water until further notice from the health department.

Share this article
Click here to subscribe to our newsletter
"""

BOILERPLATE = ("By Jane Doe", "Source: Reuters", "Share this article", "Click here to subscribe")


def texts(text: str, spans: list[Span]) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def test_model_file_loads_with_current_features() -> None:
    model = _load_model()
    assert model is not _FALLBACK
    assert len(model["weights"]) == len(model["features"])


def test_ranking_contract() -> None:
    spans = split(ARTICLE)
    result = rank_key_sentences(ARTICLE, spans, k=4)
    assert 0 < len(result) <= 4
    indices = [r.sentence for r in result]
    assert len(set(indices)) == len(indices)
    assert all(0 <= i < len(spans) for i in indices)
    scores = [r.score for r in result]
    assert scores == sorted(scores, reverse=True)


def test_boilerplate_never_returned_even_with_large_k() -> None:
    spans = split(ARTICLE)
    sentences = texts(ARTICLE, spans)
    assert any(s.startswith("By Jane Doe") for s in sentences)
    assert any(s.startswith("Source: Reuters") for s in sentences)
    result = rank_key_sentences(ARTICLE, spans, k=len(spans))
    chosen = [sentences[r.sentence] for r in result]
    assert chosen
    for sentence in chosen:
        assert not sentence.startswith(BOILERPLATE), sentence
        assert sentence != "Storm floods coastal towns"  # a heading without a verb


def test_boilerplate_filter_keeps_real_sentences() -> None:
    assert is_boilerplate("By Friday, the company had lost most of its market value.") is False
    assert is_boilerplate("More than 100 people died in the attack on the market.") is False
    assert is_boilerplate("Share prices fell sharply on Monday after the announcement.") is False
    assert is_boilerplate("(CNN)")
    assert is_boilerplate("Last Updated: 10:02 GMT, 3 March 2015")
    assert is_boilerplate("Editor's note: This is an opinion piece written by a guest.")
    assert is_boilerplate("Read more")


def test_headline_line_with_a_verb_is_not_returned() -> None:
    text = (
        "Tide barrier closes for the first time as storm surge hits the estuary\n\n"
        "Thursday 7 March 2024\n\n"
        "The tide barrier on the Alder estuary closed for the first time on Wednesday night as a "
        "storm surge pushed water two metres above the normal high tide. Engineers said the gates "
        "held back the surge without damage, protecting about 4,000 homes in the lower town. The "
        "barrier cost 412 million pounds and took six years to build."
    )
    spans = split(text)
    chosen = {r.sentence for r in rank_key_sentences(text, spans, k=len(spans))}
    assert chosen
    assert 0 not in chosen  # the headline
    assert 1 not in chosen  # the dateline


def test_near_duplicates_are_not_both_returned() -> None:
    base = "The central bank raised interest rates by half a point on Thursday to fight inflation."
    dup = "The central bank raised interest rates by half a point on Thursday to fight prices."
    text = "\n".join(
        [
            base,
            dup,
            "Economists had expected a smaller increase after a weak month for retail sales.",
            "The decision was the fourth rate rise in a row this year, the bank said on Thursday.",
            "Mortgage lenders are expected to pass the higher costs on to homeowners within weeks.",
        ]
    )
    spans = split(text)
    assert len(spans) == 5
    chosen = {r.sentence for r in rank_key_sentences(text, spans, k=3)}
    assert not {0, 1} <= chosen


def test_identical_sentences_are_not_both_returned() -> None:
    line = "The mayor announced a new plan to build ten thousand affordable homes by 2030."
    text = f"{line}\n{line}\nCritics said the plan did not explain how the homes would be paid for."
    chosen = {r.sentence for r in rank_key_sentences(text, split(text), k=3)}
    assert not {0, 1} <= chosen


def test_mentions_are_optional_and_accepted() -> None:
    spans = split(ARTICLE)
    start = ARTICLE.index("Westport")
    mentions = [Mention(start, start + len("Westport"), "PLACE")]
    with_mentions = rank_key_sentences(ARTICLE, spans, k=3, mentions=mentions)
    without = rank_key_sentences(ARTICLE, spans, k=3)
    assert len(with_mentions) == len(without) == 3


def test_default_k_uses_default_count() -> None:
    spans = split(ARTICLE)
    result = rank_key_sentences(ARTICLE, spans)
    assert 1 <= len(result) <= 3


@pytest.mark.parametrize(
    ("n_sentences", "n_words", "low", "high"),
    [(25, 500, 3, 3), (30, 700, 3, 3), (350, 8000, 12, 15), (600, 20000, 12, 15)],
)
def test_default_count(n_sentences: int, n_words: int, low: int, high: int) -> None:
    assert low <= default_count(n_sentences, n_words) <= high


def test_default_count_grows_and_is_bounded_by_sentences() -> None:
    assert default_count(60, 2000) > default_count(25, 500)
    assert default_count(2, 8000) == 2
    assert default_count(0, 0) == 0


def test_empty_inputs() -> None:
    assert rank_key_sentences("", []) == []
    assert rank_key_sentences("By Jane Doe", [Span(0, 11)]) == []
    assert rank_key_sentences(ARTICLE, split(ARTICLE), k=0) == []
