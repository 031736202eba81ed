"""Analyses on disk, one gzipped JSON file per (content hash, analyzer version).

A cache entry is a pure function of its key, so a damaged or half-written file is
simply recomputed; entries are still written atomically so a reader never sees one
half-written.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path

from reader.nlp.analysis import Analysis


def content_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            return None  # damaged entry: recompute and overwrite
        return analysis if analysis.text == text else None

    def put(self, analysis: Analysis) -> None:
        """Write the entry atomically; a full disk or read-only home only loses the cache."""
        path = self.path_for(analysis.text)
        payload = gzip.compress(
            json.dumps(analysis.to_dict(), ensure_ascii=False).encode("utf-8"), mtime=0
        )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".gz")
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
