"""One pass over a text: sentences, then entities, then key sentences.

The models load once per process, on first use (each module caches its own), so
importing this module is cheap and `reader --help` or the TUI's first paint never
wait for them. Results are cached on disk by (content hash, ANALYZER_VERSION):
bump the version whenever a model or an algorithm changes what `analyze` returns.
"""

from __future__ import annotations

from pathlib import Path

from reader.nlp.analysis import Analysis

ANALYZER_VERSION = "1"


def analyze_text(text: str) -> Analysis:
    """Analyse `text` with no cache; offsets in the result index `text`."""
    from reader.nlp.entities import find_mentions, group_entities
    from reader.nlp.keysentences import rank_key_sentences
    from reader.nlp.sentences import split_sentences

    sentences = split_sentences(text)
    mentions = find_mentions(text, sentences)
    return Analysis(
        text=text,
        sentences=sentences,
        entities=group_entities(text, mentions),
        key_sentences=rank_key_sentences(text, sentences, mentions=mentions),
    )


def analyze(text: str, cache_dir: Path | None = None) -> Analysis:
    """Analyse `text`, reading and filling the on-disk cache when `cache_dir` is given."""
    if cache_dir is None:
        return analyze_text(text)
    from reader.store.analysis_cache import AnalysisCache

    cache = AnalysisCache(cache_dir, ANALYZER_VERSION)
    cached = cache.get(text)
    if cached is not None:
        return cached
    result = analyze_text(text)
    cache.put(result)
    return result
