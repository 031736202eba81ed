"""One row per (dataset, system): the figures every benchmark reports, rendered side by side."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Row:
    section: str
    dataset: str
    system: str
    metrics: dict[str, float | str] = field(default_factory=dict)


def _fmt(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.1f}"
    return str(value)


def render(rows: Iterable[Row]) -> str:
    """Markdown tables, one per section, columns in first-seen order."""
    sections: dict[str, list[Row]] = {}
    for row in rows:
        sections.setdefault(row.section, []).append(row)
    out: list[str] = []
    for section, items in sections.items():
        columns: list[str] = []
        for row in items:
            columns.extend(k for k in row.metrics if k not in columns)
        header = ["dataset", "system", *columns]
        body = [
            [row.dataset, row.system, *(_fmt(row.metrics.get(c)) for c in columns)] for row in items
        ]
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

        def line(cells: list[str], widths: list[int] = widths) -> str:
            return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

        out.append(f"### {section}\n")
        out.append(line(header))
        out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        out.extend(line(r) for r in body)
        out.append("")
    return "\n".join(out)
