"""The sample library a new home starts with, so `make run` opens something to read.

The samples ship inside the wheel as reader/sample_articles; in a source checkout
they are the repository's top-level sample_articles/.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.store import Library

SEEDED_KEY = "seeded"


def samples_dir() -> Path:
    package = Path(__file__).resolve().parent
    installed = package / "sample_articles"
    return installed if installed.is_dir() else package.parent / "sample_articles"


def seed_if_empty(library: Library) -> int:
    """Import the samples into a home that has never been seeded; return how many were added.

    A reader who deletes every sample keeps an empty library: seeding happens once per home.
    """
    if library.get_setting(SEEDED_KEY, False) or library.articles():
        return 0
    from reader.article import InputError
    from reader.sources.registry import read_path, supported_suffixes

    suffixes = supported_suffixes()
    added = 0
    for path in sorted(samples_dir().glob("*")):
        if path.suffix.lower() not in suffixes:
            continue
        try:
            articles = read_path(path)
        except InputError:
            continue
        for article in articles:
            added += library.add_article(article, origin=None).added
    library.set_setting(SEEDED_KEY, True)
    return added
