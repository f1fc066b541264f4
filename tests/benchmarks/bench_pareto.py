"""Benchmark: exact Pareto frontier and the four bargaining solutions.

Random linear-additive scenarios (importances and option values drawn
uniformly and rounded to 2 decimals, fixed seeds). For each case the script
times the frontier, then the four solutions reusing it, and reports the
frontier size, the number of Pareto-optimal outcomes and peak memory.

Usage (from the repository root, with the package installed or ``PYTHONPATH=.``)::

    python tests/benchmarks/bench_pareto.py            # every case, best of 3
    python tests/benchmarks/bench_pareto.py --repeat 1 --quick
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import sys
import time
import tracemalloc
from typing import Any

import negotiate as ng
from negotiate.analysis.bargaining import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_bargaining_solution,
    utilitarian_solution,
)
from negotiate.analysis.pareto import pareto_frontier
from negotiate.space import compile_scenario

SOLUTIONS = (
    nash_bargaining_solution,
    kalai_smorodinsky_solution,
    egalitarian_solution,
    utilitarian_solution,
)

# (label, issues, options, parties, red lines, reservation, target seconds or None)
CASES: list[tuple[str, int, int, int, int, float, float | None]] = [
    ("2p 10x5", 10, 5, 2, 0, 0.0, 0.1),
    ("2p 10x5 res 0.55", 10, 5, 2, 0, 0.55, None),
    ("3p 10x5", 10, 5, 3, 0, 0.0, 1.0),
    ("2p 40x6", 40, 6, 2, 0, 0.0, 1.0),
    ("2p 100x6", 100, 6, 2, 0, 0.0, None),
    ("3p 20x5", 20, 5, 3, 0, 0.0, None),
    ("4p 16x5 20 red lines", 16, 5, 4, 20, 0.0, 2.0),
    ("4p 16x5", 16, 5, 4, 0, 0.0, None),
    ("4p 16x5 res 0.55", 16, 5, 4, 0, 0.55, None),
]
QUICK = {"2p 10x5", "3p 10x5", "2p 40x6", "4p 16x5 20 red lines"}


def scenario(
    n_issues: int, n_options: int, n_parties: int, red_lines: int, reservation: float, seed: int
) -> ng.Scenario:
    """A random scenario: 2-decimal importances and values; red lines link two issues."""
    rng = random.Random(seed)
    options = [f"o{k}" for k in range(n_options)]
    issues = [{"id": f"i{j}", "options": options, "ordered": True} for j in range(n_issues)]
    parties: list[dict[str, Any]] = []
    for p in range(n_parties):
        preferences = {
            f"i{j}": {
                "importance": round(rng.uniform(0.01, 1.0), 2),
                "values": {o: round(rng.random(), 2) for o in options},
            }
            for j in range(n_issues)
        }
        parties.append({"id": f"P{p}", "reservation": reservation,
                        "preferences": preferences, "red_lines": []})
    for r in range(red_lines):
        a, b = rng.sample(range(n_issues), 2)
        rule = f"i{a} >= {rng.choice(options)} or i{b} <= {rng.choice(options)}"
        parties[r % n_parties]["red_lines"].append({"id": f"r{r}", "rule": rule})
    return ng.validate({"format": 1, "id": "bench", "issues": issues, "parties": parties})


def run(s: ng.Scenario) -> tuple[float, float, Any]:
    compile_scenario(s)
    start = time.perf_counter()
    frontier = pareto_frontier(s, time_limit=None)
    middle = time.perf_counter()
    if not frontier.is_empty:
        for solve in SOLUTIONS:
            solve(s, frontier=frontier)
    end = time.perf_counter()
    return middle - start, end - middle, frontier


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    parser.add_argument("--quick", action="store_true", help="only the four target cases")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args()
    header = (f"{'case':<22} {'outcomes':>9} {'points':>7} {'Pareto outcomes':>15} "
              f"{'frontier s':>10} {'4 solutions s':>13} {'total s':>8} {'target s':>8} "
              f"{'peak MiB':>8}")
    print(header)
    print("-" * len(header))
    for label, n, k, p, red_lines, reservation, target in CASES:
        if args.quick and label not in QUICK:
            continue
        best = (math.inf, math.inf)
        frontier = None
        for rep in range(args.repeat):
            s = scenario(n, k, p, red_lines, reservation, seed=1)
            t_frontier, t_solutions, frontier = run(s)
            if rep == 0 or t_frontier + t_solutions < sum(best):
                best = (t_frontier, t_solutions)
        peak = "-"
        if not args.no_memory:
            s = scenario(n, k, p, red_lines, reservation, seed=1)
            compile_scenario(s)
            tracemalloc.start()
            run(s)
            peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.0f}"
            tracemalloc.stop()
        assert frontier is not None
        outcomes = f"{k ** n:.1e}" if k**n >= 10**6 else str(k**n)
        pareto_outcomes = frontier.outcome_count
        shown = f"{pareto_outcomes:.1e}" if pareto_outcomes >= 10**9 else str(pareto_outcomes)
        print(f"{label:<22} {outcomes:>9} {len(frontier):>7} {shown:>15} {best[0]:>10.3f} "
              f"{best[1]:>13.3f} {sum(best):>8.3f} {target if target else '':>8} {peak:>8}",
              flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmax RSS of the whole run: {rss:.0f} MiB; Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
