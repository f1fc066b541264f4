"""Benchmark the whole analysis (``ng.analyze``) and the near-deal selection.

Run:  python tests/benchmarks/bench_analyze.py [--quick] [--time-limit SECONDS]

Rows: the shipped examples/ukraine-2025 scenarios, a random flagship-like
scenario and random scenarios with planted clashes (from bench_deadlock).
Columns: seconds for the whole ``analyze`` (evidence levels, what-ifs and
near deals included, one deadline), the number of what-ifs and of tied
relaxations, seconds for ``near_deals(k=5)`` as the k best outcomes and as the
distinct, fair list shown to people (``diverse=True``), and how many distinct
crossed sets and conceding groups each list has.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

import negotiate as ng
from negotiate.analysis.deadlock import near_deals
from tests.benchmarks.bench_deadlock import flagship_like, random_scenario

ROOT = Path(__file__).resolve().parents[2]


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(label: str, s: ng.Scenario, time_limit: float) -> None:
    t_all, a = _timed(lambda: ng.analyze(s, time_limit=time_limit))
    t_plain, plain = _timed(lambda: near_deals(s, 5, time_limit=time_limit))
    t_fair, fair = _timed(lambda: near_deals(s, 5, time_limit=time_limit, diverse=True))

    def shape(deals: Any) -> str:
        sets = len({d.crossed for d in deals})
        groups = len({tuple(d.crossed_by_party) for d in deals})
        return f"{sets}/{groups}"

    print(
        f"{label:<28} {t_all:8.2f} {len(a.what_ifs):3d}/{len(a.deadlock.relaxations):<3d} "
        f"{t_plain:8.2f} {shape(plain):>7} {t_fair:8.2f} {shape(fair):>7}"
        + ("  incomplete: " + ", ".join(a.incomplete) if a.incomplete else ""),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, smaller scenarios")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print(f"{'scenario':<28} {'analyze':>8} {'what-ifs':>7} {'k-best':>8} {'sets/grp':>7} "
          f"{'diverse':>8} {'sets/grp':>7}")
    for path in sorted((ROOT / "examples" / "ukraine-2025").glob("*.yaml")):
        run(path.stem, ng.load(path), args.time_limit)
    run("flagship-like", flagship_like(), args.time_limit)
    sizes = [(8, 3, 3)] if args.quick else [(8, 3, 3), (12, 4, 4), (20, 4, 4)]
    for n, k, p in sizes:
        run(f"random {n}x{k}x{p}", random_scenario(n, k, p, seed=1, reservation=0.3, plant=2), args.time_limit)


if __name__ == "__main__":
    main()
