"""Odd text must neither hang the reader nor be garbled by it.

Each hang test feeds an input at a size where a formerly quadratic pattern took minutes (the
figures in the comments were measured on the code before the fix), under a generous guard
that fails the test instead of letting it run on; no test asserts on a duration. Each also
checks what came out, so a fix that "works" by dropping the text fails as well.
"""

from __future__ import annotations

import base64
import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from reader.article import clean_text, decode_bytes, parse_article, read_text_file
from reader.nlp.analyzer import analyze_text
from reader.nlp.keysentences import is_boilerplate
from reader.nlp.tokens import word_spans

GUARD_S = 30

_BODY = (
    "The tide barrier across the harbour mouth opened on Tuesday, ten years after the city "
    "council first voted to build it, and the first high tide passed without any flooding."
)


class Hang(Exception):
    pass


@contextmanager
def hang_guard(seconds: int = GUARD_S) -> Iterator[None]:
    """Fail with `Hang` if the block is still running after `seconds` (SIGALRM; the regex
    engine checks for signals, so even a runaway search is interrupted)."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds} s: a quadratic pattern is back")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _clip(middle: str) -> str:
    return f"Harbour barrier opens\n\nBy Jane Doe\n\n{_BODY}\n\n{middle}\n\n{_BODY}\n"


# ---------------------------------------------------------------- formerly quadratic inputs


def test_a_200_kb_run_of_spaces_inside_a_line(tmp_path: Path) -> None:
    # Menu and title separators, "in Place" bylines: > 180 s before the fix.
    path = tmp_path / "gap.txt"
    path.write_text(_clip("The words before the gap" + " " * 200_000 + "and after it."))
    with hang_guard():
        article = parse_article(read_text_file(path), suffix=".txt")
    assert article.title == "Harbour barrier opens"
    assert article.author == "Jane Doe"
    assert "The words before the gap and after it." in article.paragraphs


def test_a_run_of_tabs_in_the_page_header() -> None:
    # The header's lines go through the title splitter and the "in Place" byline rule too.
    raw = "Harbour barrier opens" + "\t" * 100_000 + "x\n\n" + _clip("More text follows here.")
    with hang_guard():
        article = parse_article(raw, suffix=".txt")
    assert _BODY in article.paragraphs


def test_a_long_gap_inside_a_byline_in_the_page_header() -> None:
    # "Name in Place" bylines: `\s+in\s+…` was retried from every space of the gap.
    raw = (
        "Harbour barrier opens\n\nOmar" + " " * 200_000 + "Haddad in Lisbon\n"
        "Tue 20 Feb 2024 11.42 GMT\n\n" + _BODY + "\n"
    )
    with hang_guard():
        article = parse_article(raw, suffix=".txt")
    assert article.author is not None and article.author.split() == ["Omar", "Haddad"]
    assert article.published == "2024-02-20T11:42:00"
    assert article.paragraphs == [_BODY]


def test_a_200_kb_base64_image_in_a_clip() -> None:
    # The e-mail pattern `\S+@\S+\.\w+` scanned the image from every character: 46 s for
    # a 100 KB clip in the audit, about two minutes for this one.
    payload = base64.b64encode(random.Random(1).randbytes(150_000)).decode("ascii")
    raw = _clip(f"The chart: ![chart](data:image/png;base64,{payload}) as the page showed it.")
    with hang_guard():
        article = parse_article(decode_bytes(raw.encode(), "clip.txt"), suffix=".txt")
        analysis = analyze_text(article.text)
        # The pattern itself, on the image as the key-sentence filter meets it unstripped:
        assert not is_boilerplate(f"The chart: {payload} as the page showed it.")
    assert "The chart: chart as the page showed it." in article.text  # the alt text stays
    assert payload[:40] not in article.text
    assert analysis.key_sentences  # the prose around the image is still ranked


def test_an_at_sign_dense_token_in_a_sentence() -> None:
    # With no "." after its "@"s the old e-mail pattern was cubic on the token.
    sentence = "Readers wrote to " + "@" * 50_000 + " about the barrier and the tides."
    with hang_guard():
        assert is_boilerplate(sentence) is False
        analysis = analyze_text(_BODY + "\n\n" + sentence)
    text = analysis.text
    # The run of "@" is no word: the sentence reads on either side of it.
    assert [text[s.start : s.end] for s in analysis.sentences] == [
        _BODY,
        "Readers wrote to",
        "about the barrier and the tides.",
    ]


def test_short_lines_with_an_address_are_still_boilerplate() -> None:
    assert is_boilerplate("Write to the newsroom at tips@harbour-times.example.com please.")
    assert is_boilerplate("More at https://example.com/story and on our pages today.")
    assert not is_boilerplate("The council met on Tuesday and voted for the new barrier plan.")


def test_unterminated_terminal_strings_in_a_log() -> None:
    # 8-bit DCS introducers without a terminator: each rescanned the rest of the line.
    text = "Build log: " + "\x90step " * 40_000 + "done."
    with hang_guard():
        cleaned = clean_text(text)
    assert cleaned == "Build log: " + "step " * 40_000 + "done."
    assert clean_text("a\x1bPq#0;2;0;0;0\x1b\\b") == "ab"  # a terminated one goes whole
    assert clean_text("a\x1bPrest") == "arest"  # an unterminated one leaves its text


def test_a_long_newsletter_promo_line() -> None:
    # `newsletter.*cue` rescanned the line from every "newsletter" in it when no cue followed.
    promo = "Related: " + "newsletter " * 20_000
    with hang_guard():
        article = parse_article(_clip(promo), suffix=".txt")
    assert article.paragraphs == [_BODY, _BODY]


def test_front_matter_with_long_runs(tmp_path: Path) -> None:
    # A lazy key before `\s*`, the comment pattern and the [[wiki link]] pattern.
    path = tmp_path / "note.md"
    path.write_text(
        "---\n"
        "title: The barrier" + " " * 100_000 + "opens\n"
        "source: Harbour Times" + " " * 200_000 + "x\n"
        "author: " + "[[" * 100_000 + "\n"
        "tags" + " " * 100_000 + "x\n"
        "---\n\n" + _BODY + "\n"
    )
    with hang_guard():
        article = parse_article(read_text_file(path), suffix=".md")
    assert article.title == "The barrier" + " " * 100_000 + "opens"
    assert article.source is not None and article.source.startswith("Harbour Times")
    assert article.paragraphs == [_BODY]


def test_wiki_links_in_front_matter_are_unwrapped() -> None:
    article = parse_article(
        "---\nauthor: [[People/Jane Doe|Jane Doe]]\nsource: [[Harbour Times]] # a comment\n"
        "---\n\n" + _BODY,
        suffix=".md",
    )
    assert (article.author, article.source) == ("Jane Doe", "Harbour Times")


# ---------------------------------------------------------------- nothing lost, nothing slow


def test_deeply_nested_quotes_keep_their_text() -> None:
    # markdown-it stops at 20 levels and silently drops what is deeper.
    with hang_guard():
        article = parse_article("> " * 50_000 + "the deepest *quotation*\n", suffix=".md")
    assert article.paragraphs == ["the deepest quotation"]


def test_deeply_nested_lists_keep_every_item() -> None:
    raw = "".join("  " * depth + f"- item {depth}\n" for depth in range(40)) + "\nAfter.\n"
    article = parse_article(raw, suffix=".md")
    assert article.paragraphs == [f"item {depth}" for depth in range(40)] + ["After."]


def test_a_paragraph_of_pure_markup_is_kept_as_written() -> None:
    raw = "[" * 100_000 + "the middle" + "]" * 100_000
    with hang_guard():
        article = parse_article(raw, suffix=".md")
        analysis = analyze_text(article.text)
    assert article.paragraphs == [raw]  # kept for the reader to see...
    assert analysis.sentences == []  # ...but it holds no sentence to rank or name


def test_a_run_of_marks_is_one_token() -> None:
    text = "Before " + "*_" * 10 + " after ======== end... --"
    words = [text[a:b] for a, b in word_spans(text)]
    assert words == ["Before", "*_" * 10, "after", "========", "end", "...", "--"]
    quoted = "said.\")'"
    assert [quoted[a:b] for a, b in word_spans(quoted)] == ["said", ".", '"', ")", "'"]


def test_a_megabyte_of_blank_lines() -> None:
    raw = "Harbour barrier opens\n\n" + _BODY + "\n" * 1_000_000 + _BODY + "\n"
    with hang_guard():
        article = parse_article(raw, suffix=".txt")
    assert article.paragraphs == [_BODY, _BODY]
    assert article == parse_article(raw.replace("\n" * 1_000_000, "\n\n"), suffix=".txt")


# ---------------------------------------------------------------- mixed encodings

_UTF8_PART = (
    "“It’s a naïve café,” she said — and left.\n"
    "The harbour’s new barrier cost €40 million.\n"
    "Zürich and Köln sent engineers.\n"
)
_LATIN1_PART = "Crème brûlée at the café.\nA déjà vu in São Paulo.\n"


def test_a_file_half_utf8_half_latin1_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_bytes(_UTF8_PART.encode("utf-8") + _LATIN1_PART.encode("latin-1"))
    assert read_text_file(path) == _UTF8_PART + _LATIN1_PART


def test_latin1_lines_in_the_middle_of_a_utf8_article(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    utf8 = _UTF8_PART.encode("utf-8")
    path.write_bytes(utf8 + b"\r\n" + "Señor Muñoz, 1ª edición.".encode("cp1252") + b"\r\n" + utf8)
    assert read_text_file(path) == _UTF8_PART + "\nSeñor Muñoz, 1ª edición.\n" + _UTF8_PART


def test_a_damaged_character_among_utf8_lines_stays_utf8() -> None:
    # A truncated download: one broken sequence, every other character valid UTF-8.
    data = _UTF8_PART.encode("utf-8") + "It’s over “now”".encode() + b"\xe2\x80"
    assert decode_bytes(data, "x") == _UTF8_PART + "It’s over “now”\ufffd"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Crème brûlée and a déjà vu.\nAt the café in Zürich.\n", "latin-1"),
        ("“It’s a naïve café,” she said.\nShe left — quickly.\n", "cp1252"),
    ],
)
def test_wholly_legacy_files_are_read_as_before(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec), "x") == text


def test_ascii_lines_are_no_evidence_of_utf8() -> None:
    # Most lines are valid UTF-8 here only because they are ASCII: no line shows UTF-8, so
    # the file is read whole, as Latin-1.
    text = "Menu\n\nStarters\nSoup\nCrème brûlée\nDesserts\nCafé\n"
    assert decode_bytes(text.encode("latin-1"), "x") == text


# ---------------------------------------------------------------- what is not prose


def test_an_image_pasted_as_a_data_uri_leaves_its_alt_text_not_its_bytes() -> None:
    payload = base64.b64encode(random.Random(3).randbytes(30_000)).decode("ascii")
    article = parse_article(
        _clip(
            f"Here is the chart: ![tide heights](data:image/png;base64,{payload}) as shown. "
            f"And a bare one, data:image/gif;base64,{payload} too."
        ),
        suffix=".txt",
    )
    text = article.text
    assert "Here is the chart: tide heights as shown." in text
    assert payload[:40] not in text and "base64" not in text
    assert _BODY in text


def test_a_megabyte_token_is_kept_in_the_text_but_not_read_as_words() -> None:
    blob = "abcdefghij" * 100_000
    text = f"Helen Marsh wrote this. {blob} Then Tom Reyes answered her."
    with hang_guard():
        analysis = analyze_text(text)
    assert analysis.text == text
    start = text.index(blob)
    for span in analysis.sentences:  # no sentence reaches into the blob
        assert span.end <= start or span.start >= start + len(blob)
    assert [text[s.start : s.end] for s in analysis.sentences] == [
        "Helen Marsh wrote this.",
        "Then Tom Reyes answered her.",
    ]
    assert {e.name for e in analysis.entities} >= {"Helen Marsh", "Tom Reyes"}


def test_a_megabyte_of_blank_lines_in_markdown() -> None:
    raw = "# Barrier\n\n" + _BODY + "\n" * 1_000_000 + _BODY + "\n"
    with hang_guard():
        article = parse_article(raw, suffix=".md")
    assert article.paragraphs == [_BODY, _BODY]


def test_a_data_uri_image_in_markdown_keeps_its_alt_text() -> None:
    payload = base64.b64encode(random.Random(4).randbytes(300_000)).decode("ascii")
    raw = f"# Barrier\n\n{_BODY}\n\nThe chart: ![tide heights](data:image/png;base64,{payload}).\n"
    with hang_guard():
        article = parse_article(raw, suffix=".md")
    assert article.paragraphs == [_BODY, "The chart: tide heights."]
