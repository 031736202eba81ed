"""Analyses on disk, one gzipped JSON file per (content hash, analyzer version).

The engine owns this format, since only it builds Analysis values; the store only lends
the folder (Library.cache_dir), the entries' naming (reader.store.home.content_key, so a
deleted article's analyses go to the trash with it) and atomic writes, and so imports
nothing from reader.nlp.

A cache entry is a pure function of its key, so a damaged or half-written file is
simply recomputed; entries are still written atomically so a reader never sees one
half-written.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from reader.nlp.analysis import Analysis
from reader.store.fileio import write_atomic
from reader.store.home import content_key


class AnalysisCache:
    def __init__(self, directory: Path, version: str) -> None:
        self.directory = directory
        self.version = version

    def path_for(self, text: str) -> Path:
        return self.directory / f"{content_key(text)}-{self.version}.json.gz"

    def get(self, text: str) -> Analysis | None:
        path = self.path_for(text)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
            analysis = Analysis.from_dict(data)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, ValueError, KeyError, TypeError, RecursionError):
            return None  # damaged entry: recompute and overwrite
        return analysis if analysis.text == text else None

    def put(self, analysis: Analysis) -> None:
        """Write the entry atomically; a full disk or read-only home only loses the cache."""
        payload = gzip.compress(
            json.dumps(analysis.to_dict(), ensure_ascii=False).encode("utf-8"), mtime=0
        )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path_for(analysis.text), payload)
        except OSError:
            return
