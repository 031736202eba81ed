"""One pass over a text: sentences, then entities, then key sentences.

The models load once per process, on first use (each module caches its own), so
importing this module is cheap and `reader --help` or the TUI's first paint never
wait for them. Results are cached on disk by (content hash, ANALYZER_VERSION). The version joins a
code version (bump `_CODE_VERSION` when an algorithm changes what `analyze` returns) with a
digest of the shipped model files, so retraining a model can never serve stale analyses.

Progress: a 50,000-word article takes seconds, most of them in the entity tagger, so
`analyze` takes an optional `on_progress(stage, done, total)` (stages "sentences", "names",
"key sentences"), called at most about a hundred times a stage however long the text, and
an optional `on_partial(analysis)` that gets the sentences and entities as soon as they are
final, before the key sentences are ranked. The result is the same with or without them.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reader.nlp.analysis import (
    Analysis,
    Mention,
    PartialCallback,
    ProgressCallback,
    Prose,
    Span,
)

# 3: runs of 1,000+ characters without a space are not read as words
# 4: the whole key-sentence ranking is kept (more_key_sentences)
# 5: only prose blocks are read (code, tables and breaks are not)
# 6: cache entries hold the text's hash, not the text
_CODE_VERSION = "6"
MODELS_DIR = Path(__file__).resolve().parent / "models"


@functools.cache
def analyzer_version() -> str:
    """`_CODE_VERSION` plus a digest of the model files (read once per process, ~2 MB)."""
    digest = hashlib.sha256()
    for path in sorted(MODELS_DIR.glob("*")):
        if path.is_file():
            digest.update(path.name.encode("utf-8"))
            digest.update(path.read_bytes())
    return f"{_CODE_VERSION}.{digest.hexdigest()[:10]}"


def __getattr__(name: str) -> str:
    # ANALYZER_VERSION stays a plain-looking constant for callers, computed on first use so
    # importing this module reads no model file.
    if name == "ANALYZER_VERSION":
        return analyzer_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# A run this long without a space is no word of any language: a base64 blob, a pasted
# line of symbols, a token of a megabyte. Starting only where a run starts keeps the
# search linear.
_NOT_PROSE = re.compile(r"(?<!\S)\S{1000,}")


def prose_only(text: str) -> str:
    """`text` with each such run blanked out, same length, so every offset still holds.

    The models would spend seconds on a megabyte of them (every piece a new word to the
    entity tagger, every dot a candidate sentence end to Punkt) and find nothing. The
    blank is a paragraph of its own, so no sentence reaches across it and the tokenizer
    never walks it.
    """
    return _NOT_PROSE.sub(lambda m: "\n\n" + " " * (len(m.group()) - 4) + "\n\n", text)


def masked(text: str, prose: Prose) -> str:
    """`text` with everything outside `prose` blanked, same length, so offsets still hold.

    Line breaks stay, so a blanked code block is blank lines: no sentence starts in it,
    none reaches across it, and the tagger never reads its identifiers as names.
    """
    if prose is None:
        return text
    parts: list[str] = []
    position = 0
    for start, end in sorted(prose):
        if start < position:
            start = position
        if start > position:
            parts.append(_blank(text[position:start]))
        if end > start:
            parts.append(text[start:end])
            position = end
    parts.append(_blank(text[position:]))
    return "".join(parts)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(piece: str) -> str:
    return _NOT_NEWLINE.sub(" ", piece)


def analyze_text(
    text: str,
    *,
    prose: Prose = None,
    on_progress: ProgressCallback | None = None,
    on_partial: PartialCallback | None = None,
) -> Analysis:
    """Analyse `text` with no cache; offsets in the result index `text`."""
    from reader.nlp.entities import group_entities
    from reader.nlp.keysentences import key_sentence_ranking
    from reader.nlp.sentences import split_sentences

    prose_text = prose_only(masked(text, prose))
    meter = Meter(on_progress, "sentences", 1)
    meter.at(0)
    sentences = split_sentences(prose_text)
    meter.at(1)
    # Tagging is four fifths of the stage and grouping the mentions the last fifth: on a
    # long article with many names the grouping can take a while too.
    names = Meter(on_progress, "names", 5 * len(sentences))
    mentions = find_mentions(prose_text, sentences, names)
    entities = group_entities(prose_text, mentions)
    names.at(names.total)
    if on_partial is not None:
        on_partial(Analysis(text, list(sentences), list(entities), []))
    meter = Meter(on_progress, "key sentences", 1)
    meter.at(0)
    ranking, default = key_sentence_ranking(prose_text, sentences, mentions=mentions)
    meter.at(1)
    return Analysis(text, sentences, entities, ranking[:default], ranking[default:])


STEPS = 100
"""A stage reports at most this many steps (plus its start): every whole per cent."""


class Meter:
    """One stage's progress, passed on only when it crosses the next step of `STEPS`."""

    def __init__(self, report: ProgressCallback | None, stage: str, total: int) -> None:
        self.report = report
        self.stage = stage
        self.total = max(1, total)
        self._next = 0

    def at(self, done: int) -> None:
        done = min(done, self.total)
        if self.report is None or done < self._next:
            return
        self.report(self.stage, done, self.total)
        step = done * STEPS // self.total + 1  # the next whole step past `done`
        self._next = -(-step * self.total // STEPS)


def find_mentions(text: str, sentences: Sequence[Span], meter: Meter) -> list[Mention]:
    """`reader.nlp.entities.find_mentions`, one sentence at a time so the meter moves.

    It moves the meter from 0 to 4 × the sentences, in four equal parts: tokenising, the
    document's features (one block: they need the whole document), the first CRF pass and
    the second. A test holds it to give exactly what `entities.find_mentions` gives.
    """
    from reader.nlp.entities import LABELS, load_model
    from reader.nlp.iob import iob_chunks
    from reader.nlp.tokens import word_spans

    n = len(sentences)
    meter.at(0)
    if not text.strip():
        meter.at(4 * n)
        return []
    model = load_model()
    spans = []
    for i, sentence in enumerate(sentences, 1):
        found = word_spans(text, sentence.start, sentence.end)
        if found:
            spans.append(found)
        meter.at(i)
    if not spans:
        meter.at(4 * n)
        return []
    words = [[text[a:b] for a, b in sp] for sp in spans]
    feats = model.extractor.document(words)
    meter.at(2 * n)
    tags = _tag_all(model.stage1, feats, meter, 2 * n, n)
    if model.stage2 is not None:
        feats = model.extractor.with_votes(words, feats, tags)
        tags = _tag_all(model.stage2, feats, meter, 3 * n, n)
    meter.at(4 * n)
    mentions: list[Mention] = []
    for sp, sentence_tags in zip(spans, tags, strict=True):
        for i, j, kind in iob_chunks(sentence_tags):
            mentions.append(Mention(sp[i][0], sp[j - 1][1], LABELS[kind]))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _tag_all(
    tagger: Any, feats: list[list[list[str]]], meter: Meter, base: int, width: int
) -> list[list[str]]:
    """Each sentence's tags, moving the meter from `base` to `base + width`."""
    out: list[list[str]] = []
    for i, x in enumerate(feats, 1):
        out.append(list(tagger.tag(x)) if x else [])
        meter.at(base + i * width // len(feats))
    return out


def analyze(
    text: str,
    cache_dir: Path | None = None,
    *,
    prose: Prose = None,
    on_progress: ProgressCallback | None = None,
    on_partial: PartialCallback | None = None,
) -> Analysis:
    """Analyse `text`, reading and filling the on-disk cache when `cache_dir` is given.

    A cached analysis is returned at once, without progress or a partial result.
    """
    if cache_dir is None:
        return analyze_text(text, prose=prose, on_progress=on_progress, on_partial=on_partial)
    from reader.nlp.cache import AnalysisCache

    cache = AnalysisCache(cache_dir, analyzer_version())
    cached = cache.get(text, prose)
    if cached is not None:
        return cached
    result = analyze_text(text, prose=prose, on_progress=on_progress, on_partial=on_partial)
    cache.put(result, prose)
    return result


def call_analyzer(
    analyzer: Callable[..., Analysis],
    text: str,
    on_progress: ProgressCallback | None = None,
    on_partial: PartialCallback | None = None,
    *,
    prose: Prose = None,
) -> Analysis:
    """`analyzer(text)`, handing it the prose ranges and the callbacks only if it takes them.

    The app accepts any `text -> Analysis` callable in place of the engine (tests and
    snapshots pass instant fakes); only those written to report progress get to.
    """
    try:
        parameters = inspect.signature(analyzer).parameters
    except (TypeError, ValueError):  # a callable without a signature: call it plainly
        parameters = {}  # type: ignore[assignment]
    extra: dict[str, Any] = {}
    if "prose" in parameters and prose is not None:
        extra["prose"] = prose
    if "on_progress" in parameters:
        extra |= {"on_progress": on_progress, "on_partial": on_partial}
    return analyzer(text, **extra)
