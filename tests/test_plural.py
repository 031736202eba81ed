"""No message says "1 notes": every count in words goes through reader.plural."""

from __future__ import annotations

from reader.plural import counted
from reader.study.importer import ImportReport


def test_counted() -> None:
    assert counted(1, "note") == "1 note"
    assert counted(0, "note") == "0 notes"
    assert counted(12_000, "article") == "12,000 articles"
    assert counted(2, "entry", "entries") == "2 entries"


def test_import_summary_says_one_of_each_in_the_singular() -> None:
    report = ImportReport(mode="restore", articles_added=1, notes_added=1, highlights_added=1)
    report.review_states = 1
    report.settings = 1
    assert report.summary() == (
        "Restored 1 article, 1 note, 1 highlight, 1 review schedule and 1 setting."
    )
