"""`make bench`: run every benchmark in one process and print the figures side by side."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from benchmarks.table import Row, render

SUITES = [
    "sentences",
    "ner",
    "keysent",
    "entity_precision",
    "speed",
    "adversarial",
    "store",
    "study",
    "ui",
    "web",
    "pdf",
    "books",
    "feeds",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--only", choices=SUITES, action="append", help="run only these suites")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data}: corpus folder not found (expected ../shared/data)")
    rows: list[Row] = []
    for suite in args.only or SUITES:
        module = importlib.import_module(f"benchmarks.bench_{suite}")
        started = time.perf_counter()
        print(f"running {suite}...", file=sys.stderr, flush=True)
        rows.extend(module.run(args.data))
        print(f"  {suite}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(render(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
