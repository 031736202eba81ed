"""Precision of the entities pane on the sample articles, from verdicts judged by hand.

`benchmarks/entities_judged.md` holds every row the pane listed for `sample_articles/`
before and after the grouping fixes of issue 10, each judged ok / type / dup / no. This
prints those two lists' figures and the current pipeline's, judged by the same verdicts: a
row the pipeline now shows that no one has judged is counted and named as unjudged, so a
change in the pipeline shows up here instead of passing for a measured figure.

    python -m benchmarks.bench_entity_precision
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from benchmarks.table import Row, render

ROOT = Path(__file__).resolve().parent.parent
JUDGED = Path(__file__).resolve().parent / "entities_judged.md"
SAMPLES = ROOT / "sample_articles"
VERDICTS = ("ok", "type", "dup", "no")
_ROW = re.compile(r"\| (ok|type|dup|no|\?) \| (\w+) \| (.+?) \| (\d+) \| (.*?) \|$")

Key = tuple[str, str, str]  # article, name, kind


def read_judged(path: Path = JUDGED) -> dict[str, list[tuple[Key, str]]]:
    """{"before": [((article, name, kind), verdict), …], "after": […]}, in listed order."""
    lists: dict[str, list[tuple[Key, str]]] = {}
    current: list[tuple[Key, str]] = []
    article = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = lists.setdefault(line[3:].strip().lower(), [])
        elif line.startswith("### "):
            article = line[4:].strip()
        elif match := _ROW.match(line):
            verdict, kind, name, _, _ = match.groups()
            current.append(((article, name, kind), verdict))
    return lists


def current_rows() -> list[Key]:
    """What the pane lists for each sample article now (the analysis, no corrections)."""
    from reader.article import parse_article, read_text_file
    from reader.nlp.analyzer import analyze_text

    rows: list[Key] = []
    for path in sorted(SAMPLES.iterdir()):
        text = parse_article(read_text_file(path), suffix=path.suffix).text
        rows += [(path.name, e.name, e.label) for e in analyze_text(text).entities]
    return rows


def _metrics(verdicts: list[str]) -> dict[str, float | str]:
    counts = Counter(verdicts)
    judged = sum(counts[v] for v in VERDICTS)
    metrics: dict[str, float | str] = {"rows": str(len(verdicts))}
    metrics |= {v: str(counts[v]) for v in VERDICTS}
    metrics["unjudged"] = str(len(verdicts) - judged)
    metrics["precision"] = counts["ok"] / judged if judged else "-"
    return metrics


def run(data: Path | None = None) -> list[Row]:
    """`data` is unused (the samples ship with the project); kept for `make bench`."""
    judged = read_judged()
    rows = [
        Row("entities pane", "sample_articles", when, _metrics([v for _, v in judged[when]]))
        for when in ("before", "after")
    ]
    verdicts = _lookup(judged["after"])
    now = [verdicts.get(key, "?") for key in current_rows()]
    rows.append(Row("entities pane", "sample_articles", "current", _metrics(now)))
    return rows


def _lookup(judged: list[tuple[Key, str]]) -> dict[Key, str]:
    """The first verdict of each row: a repeat of a name is the one judged dup."""
    found: dict[Key, str] = {}
    for key, verdict in judged:
        found.setdefault(key, verdict)
    return found


def unjudged() -> list[Key]:
    after = _lookup(read_judged()["after"])
    return [key for key in current_rows() if key not in after]


def main() -> int:
    print(render(run()))
    missing = unjudged()
    if missing:
        print(f"\n{len(missing)} rows the pipeline lists now are not judged in {JUDGED.name}:")
        for article, name, kind in missing:
            print(f"  {article}: {name} ({kind})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
