"""One way in per format: each `Source` turns the bytes of a file or a fetched page into
articles, and `reader.sources.registry` is the one place that says which source reads what.

Nothing here imports Textual, the store or the CLI; heavy parsers (lxml, trafilatura,
httpx) are imported inside the functions that use them, so start-up stays light.
"""

from __future__ import annotations

from reader.sources.base import Locator, Source

__all__ = ["Locator", "Source"]
