"""Shared fixtures: a temporary home, a seeded library, a fast fake analyzer, worker waits.

Generic on purpose (other test files use them): every home is under tmp_path, seeding
goes through `Library.add_article`, and nothing touches the network or the real home.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from reader.article import Article
from reader.nlp.analysis import Analysis, Entity, KeySentence, Span


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (the Textual pilot's) on a fresh event loop; no plugin needed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


# The same examples on every run, and no example database in the checkout: CI stays
# repeatable. Run with `--hypothesis-profile=explore` to search afresh.
settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=1000, database=None, deadline=None)
settings.load_profile("repeatable")

FIXED_NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)

NAMES = ("Helen Marsh", "Tom Reyes", "Brackenmouth", "Alder Estuary Trust", "Norfolk")
LABELS = {
    "Helen Marsh": "PERSON",
    "Tom Reyes": "PERSON",
    "Brackenmouth": "PLACE",
    "Norfolk": "PLACE",
    "Alder Estuary Trust": "ORG",
}

BARRIER_PARAGRAPHS = [
    "The steel gates of the Brackenmouth barrier swung shut late on Monday. "
    "Helen Marsh watched from the control room. The surge peaked at 1.8 metres.",
    "Engineers from the Alder Estuary Trust had rehearsed the closure for months. "
    "Tom Reyes said the gates held without trouble. He praised the night crew.",
    "Residents of Brackenmouth gathered on the harbour wall to watch. "
    "Some had driven from Norfolk to see it. Helen Marsh thanked them for staying calm.",
    "The Trust will publish a full report next spring. "
    "Tom Reyes expects the barrier to close twice more this winter. "
    "Brackenmouth council will meet on Friday.",
    "Nobody was hurt. The harbour reopened at dawn. Helen Marsh went home to sleep.",
]


def barrier_article(**overrides: Any) -> Article:
    fields: dict[str, Any] = {
        "title": "Brackenmouth tide barrier closes",
        "author": "Helen Marsh",
        "published": "2024-02-20",
        "source": "Coast News",
        "paragraphs": list(BARRIER_PARAGRAPHS),
    }
    fields.update(overrides)
    return Article.from_paragraphs(**fields)


def make_article(title: str, words: int, *, source: str | None = "Synthetic") -> Article:
    """A deterministic article of about `words` words in 60-word paragraphs."""
    sentence = "The committee met in Brackenmouth on Tuesday to discuss the plan"
    per = len(sentence.split())
    paragraphs: list[str] = []
    count = 0
    while count < words:
        paragraphs.append(" ".join(f"{sentence} number {count + i}." for i in range(5)))
        count += 5 * (per + 2)
    return Article.from_paragraphs(title, "Test Author", "2024-01-01", source, paragraphs)


_SENTENCE = re.compile(r"\S.*?[.!?](?=\s|$)", re.S)


def fake_analyze(text: str) -> Analysis:
    """Deterministic, instant: regex sentences, the fixed NAMES, the three longest sentences."""
    sentences: list[Span] = []
    for match in _SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        sentences.append(Span(start, end))
    entities = []
    for name in NAMES:
        mentions = [Span(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
        if mentions:
            entities.append(Entity(name, LABELS[name], mentions))
    by_length = sorted(range(len(sentences)), key=lambda i: sentences[i].start - sentences[i].end)
    keys = [KeySentence(i, 1.0 - rank / 10) for rank, i in enumerate(by_length[:3])]
    return Analysis(text, sentences, entities, keys)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def library(home: Path) -> Iterator[Any]:
    """An open Library on the temporary home, closed after the test."""
    from reader.store import Library

    lib = Library.open(home)
    try:
        yield lib
    finally:
        lib.close()


@pytest.fixture
def seeded_home(home: Path) -> Path:
    """A home holding the barrier article plus two short synthetic ones (library closed)."""
    from reader.store import Library

    with Library.open(home) as lib:
        lib.add_article(barrier_article())
        lib.add_article(make_article("Orbital freight startup raises funds", 300, source="Wire"))
        lib.add_article(make_article("A quiet week in parliament", 120, source="Gazette"))
    return home


@pytest.fixture
def barrier_id(seeded_home: Path) -> str:
    from reader.store import Library

    with Library.open(seeded_home, read_only=True) as lib:
        return next(r.id for r in lib.articles() if r.title.startswith("Brackenmouth"))


@pytest.fixture
def wait_for_workers() -> Callable[[Any], Awaitable[None]]:
    """Wait until every worker of the app has finished (harlequin's helper, generalised)."""

    async def wait(app: Any) -> None:
        workers = [w for w in app.workers if not w.is_finished]
        if workers:
            await app.workers.wait_for_complete(workers)

    return wait


def barrier_sentences() -> list[tuple[int, int]]:
    """The barrier article's sentences as the fake analyzer splits them (start, end)."""
    return [(s.start, s.end) for s in fake_analyze(barrier_article().text).sentences]


@pytest.fixture
def studied_home(seeded_home: Path, barrier_id: str) -> Path:
    """The seeded home plus study marks on the barrier article (library closed): a
    highlight with a note on sentence 2, a two-sentence highlight (7-8) and a note on 12."""
    from reader.store import Library

    sentences = barrier_sentences()
    with Library.open(seeded_home) as lib:
        lib.add_highlight(barrier_id, *sentences[2], note="1.8 m: the highest in years?")
        lib.add_highlight(barrier_id, sentences[7][0], sentences[8][1])
        lib.add_note(barrier_id, *sentences[12], "Good: nobody hurt.")
    return seeded_home
