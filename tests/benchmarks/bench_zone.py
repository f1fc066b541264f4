"""Benchmark the agreement-zone engine (run on demand, not part of the test suite).

Usage: python tests/benchmarks/bench_zone.py [--quick]

Prints one table row per case: wall time (after OR-Tools is imported once),
peak traced Python/numpy memory (tracemalloc) and the answer. Scenarios are
random but seeded: N issues x K options x P parties, every party cares about
every issue (integer importances 1..9, values on a 0.01 grid), about 5 red
lines per party over 1-3 issues each (clauses such as ``a != x or b in {...}``),
and reservations set so they bind.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

import negotiate as ng
from negotiate.analysis.zone import agreement_zone
from negotiate.errors import CountTooLargeError


def scenario(
    n: int,
    k: int,
    parties: int,
    *,
    red_lines: int = 5,
    reservation: float = 0.0,
    seed: int = 0,
    grid: float = 0.01,
) -> ng.Scenario:
    """A random scenario of n issues x k options (see the module docstring)."""
    rng = random.Random(seed)
    issues = [
        {"id": f"i{i}", "options": [f"o{j}" for j in range(k)], "ordered": True} for i in range(n)
    ]
    steps = round(1 / grid)
    data_parties = []
    counter = 0
    for p in range(parties):
        preferences = {
            f"i{i}": {
                "importance": rng.randint(1, 9),
                "values": {f"o{j}": rng.randint(0, steps) / steps for j in range(k)},
            }
            for i in range(n)
        }
        rules = []
        for _ in range(red_lines):
            width = rng.randint(1, 3)
            chosen = rng.sample(range(n), width)
            literals = []
            for i in chosen:
                if rng.random() < 0.5:
                    literals.append(f"i{i} != o{rng.randrange(k)}")
                else:
                    subset = sorted(rng.sample(range(k), rng.randint(1, k - 1)))
                    literals.append(f"i{i} in {{{', '.join(f'o{j}' for j in subset)}}}")
            rules.append({"id": f"r{counter}", "rule": " or ".join(literals)})
            counter += 1
        data_parties.append(
            {"id": f"p{p}", "reservation": reservation, "preferences": preferences,
             "red_lines": rules}
        )
    return ng.validate({"format": 1, "id": f"bench-{n}x{k}x{parties}", "issues": issues,
                        "parties": data_parties})


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = fn()
    except CountTooLargeError as exc:
        result = f"CountTooLargeError ({str(exc)[:40]}...)"
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, result


def row(label: str, fn: Callable[[], Any]) -> None:
    elapsed, peak, result = measure(fn)
    print(f"| {label:<58} | {elapsed:8.3f} | {peak:8.1f} | {result!s:<28} |", flush=True)


def fmt(x: int) -> str:
    return f"{x:.3e}" if x >= 10**6 else str(x)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the slowest scaling rows")
    args = parser.parse_args()
    import ortools.sat.python.cp_model  # noqa: F401  (import cost ~1 s, paid once)

    print("| case | s | peak MiB (tracemalloc) | result |")
    print("|---|---:|---:|---|")

    # 1. emptiness + witness, 100 x 6 x 5 with binding reservations
    for seed in range(3):
        s = scenario(100, 6, 5, reservation=0.55, seed=seed)

        def witness(s: ng.Scenario = s) -> str:
            z = agreement_zone(s)
            return f"empty={z.is_empty}, witness={'yes' if z.witness else 'no'}"

        row(f"witness 100x6x5, res 0.55, seed {seed}", witness)
    s = scenario(100, 6, 5, reservation=0.75, seed=0)
    row("emptiness 100x6x5, res 0.75 (reservations empty it)",
        lambda: agreement_zone(s, time_limit=60).is_empty)

    # 2. exact count, red lines only, 40 x 6
    for parties in (5, 10):
        s = scenario(40, 6, parties, seed=1)
        row(f"count 40x6x{parties}, red lines only", lambda s=s: fmt(agreement_zone(s).count))
    s = scenario(100, 6, 10, seed=1)
    row("count 100x6x10, red lines only", lambda: fmt(agreement_zone(s).count))

    # 3. exact count with binding reservations, scaling in the product size
    sizes = [9, 10, 11, 12] if args.quick else [9, 10, 11, 12, 13]
    for n in sizes:
        for parties, reservation in ((2, 0.5), (5, 0.45)):
            s = scenario(n, 6, parties, reservation=reservation, seed=2)
            row(
                f"count {n}x6x{parties} ({6**n:.1e} outcomes), res {reservation}",
                lambda s=s: fmt(agreement_zone(s).count),
            )
            if 6**n > 10**8:
                row(
                    "  same, max_enumeration=10^8",
                    lambda s=s: fmt(agreement_zone(s, max_enumeration=10**8).count),
                )
    # coarse utility grid: merging equal partial utilities reaches further
    for n in (16, 20, 40):
        s = scenario(n, 6, 3, reservation=0.5, seed=3, grid=0.25)
        row(f"count {n}x6x3 ({6**n:.1e}), values on a 0.25 grid",
            lambda s=s: fmt(agreement_zone(s).count))

    # 4. estimates beyond exact reach
    s = scenario(40, 6, 5, reservation=0.5, seed=4)
    row("estimate_count 40x6x5, res 0.5, 10k samples",
        lambda: agreement_zone(s).estimate_count(samples=10_000))
    row("count 40x6x5, res 0.5 (default budget)", lambda: agreement_zone(s).count)

    # 5. lazy iteration and sampling
    s = scenario(40, 6, 5, reservation=0.5, seed=4)
    row("first 1000 outcomes 40x6x5, res 0.5",
        lambda: sum(1 for _, _ in zip(range(1000), agreement_zone(s), strict=False)))
    row("sample(1000) 40x6x5, res 0.5",
        lambda: len(agreement_zone(s).sample(1000, seed=1)))
    s = scenario(40, 6, 5, seed=4)
    row("sample(10000) 40x6x5, red lines only",
        lambda: len(agreement_zone(s).sample(10_000, seed=1)))
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident set size of the whole run: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
