"""`make models`: rebuild every shipped model from the corpora in ../shared/data.

Each trainer reads only training and development splits; test splits are for the
benchmarks alone. Outputs go to reader/nlp/models/ as compressed files, mode 644.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent / "models"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    parser.add_argument(
        "--only", choices=["punkt", "ner", "keysent"], action="append", help="train only these"
    )
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"{args.data}: corpus folder not found (expected ../shared/data)")
    from reader.nlp import train_keysent, train_ner, train_punkt

    trainers = {"punkt": train_punkt.main, "ner": train_ner.main, "keysent": train_keysent.main}
    for name, train in trainers.items():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        print(f"training {name}...", flush=True)
        train(args.data, args.out)
        print(f"  {name} done in {time.perf_counter() - started:.0f} s", flush=True)
    for path in args.out.iterdir():
        path.chmod(0o644)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
