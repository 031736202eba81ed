"""Properties of the article readers on arbitrary input, checked with hypothesis.

The example tests pin what known pages become; these check what must hold for *any* input,
so the odd file nobody thought of cannot crash an import or slip control characters, blank
paragraphs or half-cleaned text into the store. Derandomized and without an example
database, so CI runs the same examples every time and writes nothing.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.article import (
    Article,
    InputError,
    clean_text,
    decode_bytes,
    parse_clip,
    parse_markdown,
)

PROPERTIES = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces that exercise the readers' rules: page chrome, bylines, Markdown structure, escape
# sequences, every kind of line break, and the characters the cleaners remove.
_FRAGMENTS = [
    "\n", "\n\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", "\t", "  ", "\xa0",
    "\u200b", "\ufeff", "\x00", "\x07", "\x7f", "\x1b", "\x1b[31m", "\x1b[0m", "\x1b]8;;u\x1b\\",
    "\x1bPq\x1b\\", "\x9b1m", "\x90", "\x9c", "\x9d", "By ", "Jane Doe", "Staff Writer",
    "Published 3 March 2024", "Updated: Feb 20, 2024 11:42 AM", "Reuters", "Home | World | ",
    "Share this article", "Advertisement", "Related: ", "© 2024 The Times", "Subscribe",
    "https://example.com/a", "a@b.com", "> ", "- ", "* ", "1. ", "# ", "## ", "---\n",
    "title: A title\n", "author: [[Jane Doe]]\n", "```\n", "    code\n", "| a | b |\n",
    "|---|---|\n", "*", "_", "**", "[", "]", "[[", "]]", "(", ")", "![alt](x.png)",
    "[link](http://x)", "<br>", "<div>", "</div>", "\\", "`", "~~", "...", "—", "’",
    "Harbour", "barrier", "The council voted on Tuesday.", "It rose 5%.", "Mr. Smith",
]  # fmt: skip

_TEXT = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=8)), max_size=40).map(
    "".join
)

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


def _no_controls(text: str) -> bool:
    return all(ch in "\n\t" or unicodedata.category(ch) != "Cc" for ch in text)


def _check_article(article: Article) -> None:
    assert article.text == "\n\n".join(article.paragraphs)
    for block in article.blocks:
        text = article.block_text(block)
        assert text.strip(), "an empty block"
        if block.is_prose:  # code keeps its line breaks and blank lines, prose has none
            assert "\n" not in text, (block.kind, text)
    fields = [article.title, article.author, article.published, article.source, article.url]
    for value in [*article.paragraphs, *(f for f in fields if f is not None)]:
        assert _no_controls(value), repr(value)
        assert clean_text(value) == value, repr(value)
    # Paragraph breaks neither make nor merge words.
    assert article.words == len(_WORD.findall(article.text))
    assert Article.from_dict(article.to_dict()) == article


@PROPERTIES
@given(_TEXT)
def test_clean_text_is_idempotent_and_leaves_no_controls(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    assert _no_controls(once)
    assert "\r" not in once and "\x1b" not in once


@PROPERTIES
@given(_TEXT)
def test_parse_clip_returns_a_clean_article(raw: str) -> None:
    try:
        article = parse_clip(raw)
    except InputError:
        return
    _check_article(article)


@PROPERTIES
@given(_TEXT)
def test_parse_markdown_returns_a_clean_article(raw: str) -> None:
    try:
        article = parse_markdown(raw)
    except InputError:
        return
    _check_article(article)


_BYTES = st.one_of(
    st.binary(max_size=300),
    _TEXT.map(lambda s: s.encode("utf-8")),
    _TEXT.map(lambda s: s.encode("utf-16")),
    _TEXT.map(lambda s: s.encode("latin-1", errors="replace")),
    _TEXT.map(lambda s: s.encode("cp1252", errors="replace")),
    st.tuples(_TEXT, _TEXT).map(
        lambda pair: pair[0].encode("utf-8") + b"\n" + pair[1].encode("latin-1", errors="replace")
    ),
)


@PROPERTIES
@given(_BYTES)
def test_decode_bytes_gives_clean_text_or_input_error(data: bytes) -> None:
    try:
        text = decode_bytes(data, "x")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert text.strip()
    assert _no_controls(text)
    assert clean_text(text) == text


@PROPERTIES
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_utf8_text_decodes_to_itself(text: str) -> None:
    if not clean_text(text).strip():
        return
    assert decode_bytes(text.encode("utf-8"), "x") == clean_text(text)
