"""Benchmark: the cost of exact numbers (12 decimals) against the same domain rounded to 6.

Random GENIUS-like domains (fixed seeds): every importance, option value and
reservation drawn uniformly with 12 decimals. The 12-decimal scenario's integer
utilities need more than 64 bits, so numpy works on exact Python ints and CP-SAT
on scaled tables with an exact check; rounded to 6 decimals everything fits int64.
For each case the script times compile, zone count, witness (CP-SAT), Pareto
frontier, the four bargaining solutions and a deadlock explanation (red lines
added so there is one), and prints both rows and the ratio.

Usage (from the repository root, with ``PYTHONPATH=.``)::

    python tests/benchmarks/bench_numbers.py            # best of 3
    python tests/benchmarks/bench_numbers.py --repeat 1
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

import negotiate as ng
from negotiate.space import compile_scenario

# (label, issues, options, parties, reservation)
CASES = [
    ("2p 6x5 (ANAC-sized)", 6, 5, 2, 0.6),
    ("2p 12x5", 12, 5, 2, 0.6),
    ("3p 8x4", 8, 4, 3, 0.5),
]


def domain(issues: int, options: int, parties: int, reservation: float, digits: int,
           seed: int, deadlocked: bool = False) -> ng.Scenario:
    rng = random.Random(seed)

    def fine() -> float:
        return round(rng.random(), 12)

    data: dict[str, Any] = {
        "format": 1, "id": f"bench-{digits}",
        "issues": [{"id": f"i{k}", "options": [f"o{j}" for j in range(options)]}
                   for k in range(issues)],
        "parties": [],
    }
    for p in range(parties):
        preferences = {}
        for k in range(issues):
            values = {f"o{j}": round(fine(), digits) for j in range(options)}
            values[f"o{rng.randrange(options)}"] = 1.0
            preferences[f"i{k}"] = {"importance": round(fine() + 1e-6, digits), "values": values}
        data["parties"].append({
            "id": f"p{p}", "reservation": round(reservation + fine() / 10, digits),
            "preferences": preferences,
            "red_lines": [{"id": f"r{p}", "rule": (
                f"i0 {'==' if p == 0 else '!='} o0" if deadlocked
                else f"i0 != o{p % options} or i1 == o0")}],
        })
    return ng.validate(data)


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(make: Callable[[], ng.Scenario], deadlocked: Callable[[], ng.Scenario],
            repeat: int) -> dict[str, float]:
    out: dict[str, float] = {}

    def fresh(step: Callable[[ng.Scenario], object]) -> Callable[[], object]:
        def run() -> object:
            return step(make())  # a fresh scenario: no cached compile or frontier
        return run

    out["compile"] = timed(fresh(compile_scenario), repeat)
    out["count"] = timed(fresh(lambda s: ng.agreement_zone(s).count), repeat)
    out["witness"] = timed(fresh(lambda s: ng.agreement_zone(s, time_limit=60).witness), repeat)
    out["frontier"] = timed(fresh(ng.pareto_frontier), repeat)

    def solutions(s: ng.Scenario) -> None:
        f = ng.pareto_frontier(s)
        for solve in (ng.nash_bargaining_solution, ng.kalai_smorodinsky_solution,
                      ng.egalitarian_solution, ng.utilitarian_solution):
            solve(s, frontier=f)

    out["frontier+solutions"] = timed(fresh(solutions), repeat)
    out["deadlock"] = timed(lambda: ng.explain_deadlock(deadlocked(), time_limit=60), repeat)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    columns = ["compile", "count", "witness", "frontier", "frontier+solutions", "deadlock"]
    print(f"{'case':<22} {'digits':>6} {'int64':>5} " + " ".join(f"{c:>18}" for c in columns))
    for label, *shape in CASES:
        rows = {}
        for digits in (12, 6):
            def make(d: int = digits, stuck: bool = False, shape: Any = tuple(shape)) -> ng.Scenario:
                return domain(*shape, d, seed=7, deadlocked=stuck)
            s = make()
            fits = compile_scenario(s).fits_int64
            zone = ng.agreement_zone(s).count
            rows[digits] = measure(make, lambda d=digits: make(d, True), args.repeat)
            cells = " ".join(f"{rows[digits][c] * 1000:>15.1f} ms" for c in columns)
            print(f"{label:<22} {digits:>6} {'yes' if fits else 'no':>5} {cells}  (zone {zone})")
        ratio = " ".join(f"{rows[12][c] / max(rows[6][c], 1e-9):>17.2f}x" for c in columns)
        print(f"{'':<22} {'12/6':>6} {'':>5} {ratio}")


if __name__ == "__main__":
    main()
