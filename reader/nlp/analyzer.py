"""One pass over a text: sentences, then entities, then key sentences.

The models load once per process, on first use (each module caches its own), so
importing this module is cheap and `reader --help` or the TUI's first paint never
wait for them. Results are cached on disk by (content hash, ANALYZER_VERSION). The version joins a
code version (bump `_CODE_VERSION` when an algorithm changes what `analyze` returns) with a
digest of the shipped model files, so retraining a model can never serve stale analyses.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from reader.nlp.analysis import Analysis

_CODE_VERSION = "3"  # 3: runs of 1,000+ characters without a space are not read as words
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


def analyze_text(text: str) -> Analysis:
    """Analyse `text` with no cache; offsets in the result index `text`."""
    from reader.nlp.entities import find_mentions, group_entities
    from reader.nlp.keysentences import rank_key_sentences
    from reader.nlp.sentences import split_sentences

    prose = prose_only(text)
    sentences = split_sentences(prose)
    mentions = find_mentions(prose, sentences)
    return Analysis(
        text=text,
        sentences=sentences,
        entities=group_entities(prose, mentions),
        key_sentences=rank_key_sentences(prose, sentences, mentions=mentions),
    )


def analyze(text: str, cache_dir: Path | None = None) -> Analysis:
    """Analyse `text`, reading and filling the on-disk cache when `cache_dir` is given."""
    if cache_dir is None:
        return analyze_text(text)
    from reader.store.analysis_cache import AnalysisCache

    cache = AnalysisCache(cache_dir, analyzer_version())
    cached = cache.get(text)
    if cached is not None:
        return cached
    result = analyze_text(text)
    cache.put(result)
    return result
