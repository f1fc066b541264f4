"""Benchmark the Hypothesis strategies of negotiate.testing.

Run:  python tests/benchmarks/bench_testing.py [--examples N]

For each strategy configuration, Hypothesis generates N examples (generate
phase only, no database, no shrinking) into a test that does nothing. Columns:
milliseconds per example (mean over the run, Hypothesis overhead included),
the mean outcome-space size (product of option counts; log10), the mean
number of red lines, and the peak Python memory of the run (tracemalloc).
A last table times ``find`` shrinking a planted deadlock to its minimal form.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.strategies import SearchStrategy

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import negotiate as ng  # noqa: E402
from negotiate.testing import scenarios, variations  # noqa: E402


def bench(strategy: SearchStrategy[Any], n: int) -> tuple[float, float, float, float]:
    sizes: list[float] = []
    red: list[int] = []

    def record(s: ng.Scenario) -> None:
        sizes.append(math.log10(s.outcome_count))
        red.append(sum(len(p.red_lines) for p in s.parties))

    def runner(examples: int) -> Callable[[], None]:
        return settings(  # type: ignore[no-any-return]
            max_examples=examples, database=None, deadline=None, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(record))

    start = time.perf_counter()
    runner(n)()
    elapsed = time.perf_counter() - start
    count = max(len(sizes), 1)
    result = 1000 * elapsed / count, sum(sizes) / count, sum(red) / count
    # Memory in a second, shorter run: tracemalloc slows Python down several-fold.
    sizes.clear()
    tracemalloc.start()
    runner(min(n, 20))()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (*result, peak / 2**20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=200)
    n = parser.parse_args().examples
    warnings.simplefilter("ignore")
    talks = ng.load(ROOT / "examples/ukraine-2025/talks-2025-12-02.yaml")
    cases: list[tuple[str, SearchStrategy[Any]]] = [
        ("scenarios()", scenarios()),
        ("scenarios(feasible=True)", scenarios(feasible=True)),
        ("scenarios(feasible=False)", scenarios(feasible=False)),
        ("scenarios(details=True, random_ids=True)", scenarios(details=True, random_ids=True)),
        ("scenarios(min_issues=30, max_issues=40)", scenarios(min_issues=30, max_issues=40)),
        ("scenarios(30-40 issues, 6-10 options, 6 parties)",
         scenarios(min_issues=30, max_issues=40, min_options=6, max_options=10,
                   min_parties=6, max_parties=6)),
        ("variations(flagship, importance=0.2)", variations(talks, importance=0.2)),
        ("variations(flagship, importance=.2, values=.1, reservation=.05)",
         variations(talks, importance=0.2, values=0.1, reservation=0.05)),
        ("variations(flagship, importance=0, drop_inferred=True)",
         variations(talks, importance=0, drop_inferred=True)),
    ]
    print(f"{n} examples each (generate phase only)\n")
    print(f"| {'strategy':<66} | ms/example | log10 outcomes | red lines | peak MiB |")
    print(f"|{'-' * 68}|-----------:|---------------:|----------:|---------:|")
    for name, strategy in cases:
        ms, size, red, peak = bench(strategy, n)
        print(f"| {name:<66} | {ms:10.1f} | {size:14.1f} | {red:9.1f} | {peak:8.1f} |")

    print("\n| find(..., lambda s: True) with shrinking | seconds | issues | rules |")
    print("|---|--:|--:|--:|")
    shrink = settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
    targets: list[tuple[str, SearchStrategy[Any], Callable[[Any], bool]]] = [
        ("scenarios()", scenarios(), lambda s: True),
        ("scenarios(feasible=False)", scenarios(feasible=False), lambda s: True),
    ]
    for name, strategy, condition in targets:
        start = time.perf_counter()
        s = find(strategy, condition, settings=shrink)
        elapsed = time.perf_counter() - start
        texts = [str(r.rule) for p in s.parties for r in p.red_lines]
        print(f"| {name} | {elapsed:.1f} | {len(s.issues)} | {'; '.join(texts) or '-'} |")


if __name__ == "__main__":
    main()
