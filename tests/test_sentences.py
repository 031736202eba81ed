"""The shipped sentence splitter: news abbreviations, layout rules, offsets; no corpus needed."""

from __future__ import annotations

import gzip
import json
import stat
import sys

import pytest

from reader.nlp.analysis import Span
from reader.nlp.sentences import MODEL_PATH, split_sentences


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def check_invariants(text: str, spans: list[Span]) -> None:
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip()
        assert not text[previous_end : span.start].strip(), "non-space text left uncovered"
        previous_end = span.end
    assert not text[previous_end:].strip()


@pytest.mark.parametrize(
    "text",
    [
        "The U.N. Security Council met on Friday. It voted against the plan.",
        "Officials in the U.S. Congress disagreed. The vote was delayed.",
        "The talks resume on Feb. 20 in Geneva. Both sides will attend.",
        "Gen. Smith led the troops into the city. The siege ended.",
        "Acme Inc. said profits rose. Its shares climbed 5%.",
        "Mr. Powers has bought the company. He plans to expand it.",
        "Sen. Specter was vice chairman of the committee. He voted no.",
        "She moved to St. Louis in 1990. Her family followed.",
        "Dr. Jones and Prof. Lee signed the letter, e.g. the first draft. It was sent.",
    ],
)
def test_abbreviations_do_not_split(text: str) -> None:
    assert len(texts(text)) == 2


def test_abbreviation_at_the_end_of_a_sentence_still_splits() -> None:
    text = "The company moved its headquarters to the U.S. The move cost $2 million."
    assert texts(text) == [
        "The company moved its headquarters to the U.S.",
        "The move cost $2 million.",
    ]


def test_company_suffix_before_a_new_sentence_splits() -> None:
    text = "He is an analyst at Salomon Brothers Inc. Gerard Wood disagreed with him."
    assert len(texts(text)) == 2


@pytest.mark.parametrize(
    "text",
    [
        "The Lord of the Rings was written by J. R. R. Tolkien in England.",
        "President George W. Bush spoke to reporters on Monday.",
        "A consultant at Arthur D. Little Inc. in Cambridge said so.",
        "The deal was proposed by A.P. Green Industries last week.",
    ],
)
def test_initials_do_not_split(text: str) -> None:
    assert texts(text) == [text]


def test_numbers_and_decimals() -> None:
    text = "Inflation rose 3.5 per cent in May. The Prime Minister lives at No. 10 Downing Street."
    assert texts(text) == [
        "Inflation rose 3.5 per cent in May.",
        "The Prime Minister lives at No. 10 Downing Street.",
    ]


def test_quote_after_full_stop_stays_with_its_sentence() -> None:
    text = 'He said "Stop." Then he left the room.'
    assert texts(text) == ['He said "Stop."', "Then he left the room."]


def test_quoted_question_followed_by_lower_case_continues() -> None:
    text = '"Why would we sell?" he asked. Nobody answered.'
    assert texts(text) == ['"Why would we sell?" he asked.', "Nobody answered."]


def test_abbreviation_followed_by_opening_quote_splits() -> None:
    text = 'He works for Acme Corp. "Until the new product ships, we wait," he said.'
    assert texts(text)[0] == "He works for Acme Corp."


def test_ellipses() -> None:
    assert len(texts("He paused... then he went on talking.")) == 1
    assert len(texts("The refund pool . . . may not be held hostage.")) == 1


def test_blank_line_always_splits_even_without_punctuation() -> None:
    text = "Markets Rally on Rate Hopes\n\nBy Jane Doe\n\nShares rose on Monday."
    assert texts(text) == ["Markets Rally on Rate Hopes", "By Jane Doe", "Shares rose on Monday."]


def test_blank_line_with_spaces_splits() -> None:
    assert texts("First line without stop\n  \t\nSecond paragraph.") == [
        "First line without stop",
        "Second paragraph.",
    ]


def test_single_newline_never_splits() -> None:
    text = "The minister said the\nbudget would be cut by ten per cent next year."
    assert texts(text) == [text]
    # A line ending in an abbreviation is treated exactly like a space.
    wrapped = "Talks with Mr.\nPowers and Gen.\nSmith went well."
    assert texts(wrapped) == [wrapped]


def test_hard_wrapped_paragraph_splits_at_real_sentence_ends() -> None:
    text = (
        "The central bank raised rates on\n"
        "Thursday. Analysts had expected the\n"
        "move. Markets fell by 2 per cent\n"
        "in early trading."
    )
    assert texts(text) == [
        "The central bank raised rates on\nThursday.",
        "Analysts had expected the\nmove.",
        "Markets fell by 2 per cent\nin early trading.",
    ]


def test_numbered_list_item_is_one_sentence() -> None:
    text = "Things to do:\n\n1.\nBuy a new car.\n\n2. Take a long holiday."
    assert texts(text) == ["Things to do:", "1.\nBuy a new car.", "2. Take a long holiday."]


def test_run_in_heading_is_its_own_sentence() -> None:
    assert texts("COPPER: Futures prices rose. Gold fell.") == [
        "COPPER:",
        "Futures prices rose.",
        "Gold fell.",
    ]


def test_offsets_are_stripped_ordered_and_cover_the_text() -> None:
    text = '  \n (CNN) Mr. Smith went to Washington.  "It is done."\tHe left. \n\n  Next para.  \n'
    spans = split_sentences(text)
    check_invariants(text, spans)
    assert [text[s.start : s.end] for s in spans] == [
        "(CNN) Mr. Smith went to Washington.",
        '"It is done."',
        "He left.",
        "Next para.",
    ]
    assert all(isinstance(s, Span) for s in spans)


def test_invariants_on_awkward_text() -> None:
    text = 'Wait... what?! "No." (Really.) Yes.\n\n\n...\n\nEnd . . . . Fin.\r\nOK'
    check_invariants(text, split_sentences(text))


@pytest.mark.parametrize("text", ["", "   ", "\n\n \t\n"])
def test_empty_or_whitespace_gives_no_sentences(text: str) -> None:
    assert split_sentences(text) == []


def test_no_punctuation_is_one_sentence() -> None:
    assert texts("just some words") == ["just some words"]


def test_model_file_is_small_compressed_json_with_mode_644() -> None:
    assert MODEL_PATH.name.endswith(".json.gz")
    assert stat.S_IMODE(MODEL_PATH.stat().st_mode) == 0o644
    assert MODEL_PATH.stat().st_size < 500_000
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        model = json.load(fh)
    for key in ("abbrev_types", "collocations", "sent_starters", "ortho_context"):
        assert model[key]
    assert {"u.s", "u.n", "feb", "gen", "inc", "mr"} <= set(model["abbrev_types"])


def test_import_does_not_load_nltk() -> None:
    import subprocess

    code = "import sys, reader.nlp.sentences; print('nltk' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
