"""Ingest throughput: the pipeline's words/s next to the raw embedder's words/s, same text, one run.

    .venv/bin/python evals/bench_ingest.py                       # 2 copies of sources/, best of 2 rounds
    .venv/bin/python evals/bench_ingest.py --copies 4 --rounds 3 --no-baseline

A thin entry into the ingest section of evals/bench.py (method in README, "Benchmarks"): the
documents' words per second through ``Assistant.ingest`` into a fresh index, the raw
embedder's words per second on the same chunk texts (and on them with the title header the
pipeline embeds), the header's extra model tokens, and the naive baseline's ingest.
Any option of evals/bench.py can be added; the last value given wins.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402 - evals/ is not a package


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    return bench.main(["--only", "ingest", "--copies", "2", "--rounds", "2", *args])


if __name__ == "__main__":
    sys.exit(main())
