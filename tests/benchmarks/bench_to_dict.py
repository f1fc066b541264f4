"""Benchmark the JSON documents of results (run on demand, not part of the test suite).

Usage: python tests/benchmarks/bench_to_dict.py [--repeat N]

``to_dict()`` is generated from the fields (negotiate/_results.py) and compiled once per
class. Prints, per example file, the best-of-N wall time of ``Frontier.to_dict()`` and of
``Analysis.to_dict()`` (the document of ``negotiate analyze --json``), and the size of the
frontier. Compare against another checkout by running this script from it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run from a checkout

import negotiate as ng  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"{'example':34} {'points':>7} {'Frontier.to_dict':>17} {'Analysis.to_dict':>17}")
    for path in sorted((ROOT / "examples").glob("*/*.yaml")):
        a = ng.analyze(ng.load(path))
        frontier = a.frontier
        points = 0 if frontier is None else len(frontier)
        f = best(frontier.to_dict, args.repeat) if frontier is not None else 0.0
        whole = best(a.to_dict, args.repeat)
        print(f"{path.stem:34} {points:7d} {f * 1e3:14.2f} ms {whole * 1e3:14.2f} ms")


if __name__ == "__main__":
    main()
