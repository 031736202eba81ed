"""The tokeniser must cut text as CoNLL-2003 did, or the entity model sees unfamiliar tokens."""

from __future__ import annotations

from reader.nlp.tokens import word_spans


def _words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [text[a:b] for a, b in word_spans(text, start, end)]


def test_abbreviations_stay_whole() -> None:
    assert _words("The U.S. and U.N. met Mr. J. Smith of Acme Inc. today.") == [
        "The", "U.S.", "and", "U.N.", "met", "Mr.", "J.", "Smith", "of", "Acme", "Inc.",
        "today", ".",
    ]  # fmt: skip


def test_clitics_are_split_off() -> None:
    assert _words("Clinton's aide didn't say they're sure it can't") == [
        "Clinton", "'s", "aide", "did", "n't", "say", "they", "'re", "sure", "it", "ca", "n't",
    ]  # fmt: skip


def test_curly_apostrophes_and_quotes() -> None:
    assert _words("“Putin’s plan,” she said — wasn’t it?") == [
        "“", "Putin", "’s", "plan", ",", "”", "she", "said", "—", "was", "n’t", "it", "?",
    ]  # fmt: skip


def test_hyphens_numbers_and_names_with_apostrophes() -> None:
    text = "A U.S.-led, 10-year deal of 1,000.5 tonnes on 1996-08-22 won 6-4 by O'Brien"
    assert _words(text) == [
        "A", "U.S.-led", ",", "10-year", "deal", "of", "1,000.5", "tonnes", "on", "1996-08-22",
        "won", "6-4", "by", "O'Brien",
    ]  # fmt: skip


def test_dashes_ellipsis_and_sentence_final_dot() -> None:
    assert _words("Wait -- what... It rose 5%.") == [
        "Wait", "--", "what", "...", "It", "rose", "5", "%", ".",
    ]  # fmt: skip


def test_offsets_map_back_to_text_within_a_window() -> None:
    text = "First sentence. Second one, with Mr. Brown's dog."
    start = text.index("Second")
    spans = word_spans(text, start, len(text))
    assert spans[0] == (start, start + len("Second"))
    assert all(start <= a < b <= len(text) for a, b in spans)
    assert [text[a:b] for a, b in spans][-4:] == ["Brown", "'s", "dog", "."]
    # Nothing but whitespace is skipped.
    joined = "".join(text[a:b] for a, b in spans)
    assert joined == "".join(text[start:].split())


def test_empty_text() -> None:
    assert word_spans("") == []
    assert word_spans("   \n") == []
