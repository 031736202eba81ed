"""Analyses on disk, one gzipped JSON file per (content hash, analyzer version).

The engine owns this format, since only it builds Analysis values; the store only lends
the folder (Library.cache_dir), the entries' naming (reader.store.home.content_key, so a
deleted article's analyses go to the trash with it) and atomic writes, and so imports
nothing from reader.nlp.

A cache entry is a pure function of its key, so a damaged or half-written file is
simply recomputed; entries are still written atomically so a reader never sees one
half-written. An entry holds the text's full SHA-256, not the text itself: the caller has
the text, and a book analysed chapter by chapter would otherwise store itself once per
chapter.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from reader.nlp.analysis import Analysis
from reader.store.fileio import write_atomic
from reader.store.home import content_key


class AnalysisCache:
    def __init__(self, directory: Path, version: str) -> None:
        self.directory = directory
        self.version = version

    def path_for(self, text: str, prose: Sequence[tuple[int, int]] | None = None) -> Path:
        """Named by the text first, so the store finds a text's entries by its key alone;
        which parts are prose is part of the name too, since it changes the analysis."""
        return self.directory / f"{content_key(text)}-{self.version}{_prose_key(prose)}.json.gz"

    def get(self, text: str, prose: Sequence[tuple[int, int]] | None = None) -> Analysis | None:
        path = self.path_for(text, prose)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
            if not isinstance(data, dict) or data.get("sha256") != _digest(text):
                return None  # another text with the same short key, or a damaged entry
            analysis = Analysis.from_dict({**data, "text": text})
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError, KeyError, TypeError, RecursionError):
            return None  # damaged entry: recompute and overwrite
        return analysis

    def put(self, analysis: Analysis, prose: Sequence[tuple[int, int]] | None = None) -> None:
        """Write the entry atomically; a full disk or read-only home only loses the cache."""
        data = analysis.to_dict()
        data["sha256"] = _digest(data.pop("text"))
        payload = gzip.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), mtime=0)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path_for(analysis.text, prose), payload)
        except OSError:
            return


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _prose_key(prose: Sequence[tuple[int, int]] | None) -> str:
    if prose is None:
        return ""
    flat = ",".join(f"{start}-{end}" for start, end in prose)
    return "-p" + hashlib.sha256(flat.encode("ascii")).hexdigest()[:10]
