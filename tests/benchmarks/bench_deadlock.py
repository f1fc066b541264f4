"""Benchmark explain_deadlock and near_deals on random scenarios.

Run:  python tests/benchmarks/bench_deadlock.py [--quick] [--time-limit SECONDS]

Scenarios are N issues x K options x P parties with 3-8 short red lines per
party (over one or two issues) and planted clashes that empty the zone:

- ``red``: reservations 0 (they never bind): the zone is emptied by red lines.
- ``red+res``: the same with a reservation of 0.3 per party, which binds (it can
  reject some outcome) without taking part in any clash.
- ``tight``: no planted clash; reservations high enough that the zone is empty
  only because of them (the hard case: reservations couple every issue).
- ``flagship``: the shipped examples/ukraine-2025 scenarios (16 issues, 4 parties),
  and ``flagship-like``, a random stand-in of the same shape.

Columns: seconds for ``explain_deadlock(limit=1)`` (first conflict), for the full
``explain_deadlock`` (limit 20), and for ``near_deals(k=5)``; the numbers of
conflicts and relaxations found, whether each list is complete, and the
concession (how much every reservation must drop). Peak RSS at the end.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

import negotiate as ng
from negotiate.analysis.deadlock import explain_deadlock, near_deals


def _options(k: int) -> list[str]:
    return [f"o{j}" for j in range(k)]


def random_scenario(
    n: int, k: int, parties: int, *, seed: int, reservation: float, plant: int,
    spread: int | None = None, per_party: tuple[int, int] = (3, 8),
) -> ng.Scenario:
    """Red lines read issues among the first ``spread`` (all by default)."""
    rng = random.Random(seed)
    spread = n if spread is None else spread
    issues = [{"id": f"i{i}", "options": _options(k), "ordered": True} for i in range(n)]
    people: list[dict[str, Any]] = []
    count = 0
    for p in range(parties):
        preferences = {
            f"i{i}": {"importance": rng.randint(1, 5),
                      "values": {o: rng.choice([0.0, 0.2, 0.5, 0.8, 1.0]) for o in _options(k)}}
            for i in rng.sample(range(n), max(2, n // 2))
        }
        red_lines = []
        for _ in range(rng.randint(*per_party)):
            a, b = rng.sample(range(spread), 2)
            oa, ob = rng.randrange(k), rng.randrange(k)
            rule = rng.choice([
                f"i{a} != o{oa}",
                f"i{a} == o{oa} -> i{b} != o{ob}",
                f"i{a} >= o{min(oa, k - 2)} or i{b} <= o{ob}",
            ])
            red_lines.append({"id": f"p{p}-r{count}", "rule": rule})
            count += 1
        people.append({"id": f"P{p}", "name": f"Party {p}", "reservation": reservation,
                       "preferences": preferences, "red_lines": red_lines})
    for c in range(plant):  # planted clashes: two parties want disjoint halves of one issue
        i = rng.randrange(n)
        p, q = rng.sample(range(parties), 2)
        low = ", ".join(f"o{j}" for j in range(k // 2))
        high = ", ".join(f"o{j}" for j in range(k // 2, k))
        people[p]["red_lines"].append({"id": f"clash{c}-a", "rule": f"i{i} in {{{low}}}"})
        people[q]["red_lines"].append({"id": f"clash{c}-b", "rule": f"i{i} in {{{high}}}"})
    return ng.validate({"format": 1, "id": f"bench-{n}-{seed}", "issues": issues,
                        "parties": people})


def tight_scenario(n: int, k: int, parties: int, *, seed: int) -> ng.Scenario:
    """Random red lines and no planted clash; reservations raised until the zone is empty."""
    base = random_scenario(n, k, parties, seed=seed, reservation=0.0, plant=0)
    data = base.model_dump(mode="json")
    for level in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        for party in data["parties"]:
            party["reservation"] = level
        s = ng.validate(data)
        x = explain_deadlock(s, limit=1, time_limit=30)
        if x.is_deadlocked is not False:
            return s
    return s


def flagship_like(seed: int = 0) -> ng.Scenario:
    """A stand-in for the flagship: 16 issues, 4 parties, territorial-style clashes."""
    rng = random.Random(seed)
    sizes = [3, 4, 5, 3, 4, 3, 4, 3, 5, 3, 4, 3, 3, 4, 3, 5]
    issues = [{"id": f"x{i}", "options": _options(k), "ordered": True}
              for i, k in enumerate(sizes)]
    names = ["Russia", "Ukraine", "United States", "Europe"]
    people = []
    for name in names:
        preferences = {
            f"x{i}": {"importance": rng.randint(1, 5),
                      "ranking": rng.sample(_options(sizes[i]), sizes[i])}
            for i in range(16) if rng.random() < 0.7
        }
        red_lines = []
        for r in range(rng.randint(3, 6)):
            a, b = rng.sample(range(16), 2)
            oa, ob = rng.randrange(sizes[a]), rng.randrange(sizes[b])
            rule = rng.choice([f"x{a} != o{oa}", f"x{a} == o{oa} -> x{b} != o{ob}"])
            red_lines.append({"id": f"{name[:2].lower()}-{r}", "rule": rule})
        people.append({"id": name.replace(" ", "_"), "name": name, "reservation": 0.2,
                       "preferences": preferences, "red_lines": red_lines})
    people[0]["red_lines"].append({"id": "ru-donbas", "rule": "x0 in {o1, o2}"})
    people[1]["red_lines"].append({"id": "ua-no-withdrawal", "rule": "x0 == o0"})
    people[0]["red_lines"].append({"id": "ru-no-nato", "rule": "x1 == o0"})
    people[3]["red_lines"].append({"id": "eu-guarantee", "rule": "x1 != o0 or x2 >= o2"})
    people[0]["red_lines"].append({"id": "ru-no-troops", "rule": "x2 <= o1"})
    return ng.validate({"format": 1, "id": "flagship-like", "issues": issues,
                        "parties": people})


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(label: str, s: ng.Scenario, time_limit: float) -> None:
    t1, first = _timed(lambda: explain_deadlock(s, limit=1, time_limit=time_limit))
    t2, full = _timed(lambda: explain_deadlock(s, time_limit=time_limit))
    t3, deals = _timed(lambda: near_deals(s, 5, time_limit=time_limit))
    concession = "-" if full.concession is None else f"{full.concession:.4f}"
    best = f"{deals[0].violation:g}" if deals else "-"
    print(
        f"| {label:<32} | {full.is_deadlocked!s:<5} | {t1:7.2f} | {t2:7.2f} | "
        f"{len(full.conflicts):3d} {'c' if full.conflicts_complete else 'i'} | "
        f"{len(full.relaxations):3d} {'c' if full.relaxations_complete else 'i'} "
        f"(size {len(full.relaxations[0].constraints) if full.relaxations else '-'}) | "
        f"{concession:>8} | {t3:6.2f} ({best}) |",
        flush=True,
    )
    del first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes only")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    explain_deadlock(flagship_like(), time_limit=5)  # warm up (import, JIT of nothing)
    print("| scenario                         | dead  | first s | full s  | conflicts | "
          "relaxations      | concess. | near s (best) |")
    print("|---|---|---|---|---|---|---|---|")
    root = Path(__file__).resolve().parents[2] / "examples" / "ukraine-2025"
    for path in sorted(root.glob("*.yaml")):
        run(f"flagship {path.stem}", ng.load(path), args.time_limit)
    run("flagship-like 16x3-5x4", flagship_like(), args.time_limit)
    sizes = [20, 40] if args.quick else [20, 40, 100]
    for n in sizes:
        for seed in range(2):
            s = random_scenario(n, 6, 5, seed=seed, reservation=0.0, plant=3)
            run(f"red N={n} seed={seed}", s, args.time_limit)
    for n in sizes:
        s = random_scenario(n, 6, 5, seed=5, reservation=0.0, plant=12)
        run(f"red, 12 clashes N={n}", s, args.time_limit)
        s = random_scenario(n, 6, 5, seed=6, reservation=0.0, plant=2, spread=n // 4,
                            per_party=(6, 10))
        run(f"red, dense N={n}", s, args.time_limit)
    for n in sizes:
        s = random_scenario(n, 6, 5, seed=7, reservation=0.3, plant=3)
        run(f"red+res N={n}", s, args.time_limit)
    for n in [12, 20] if args.quick else [12, 20, 40, 100]:
        s = tight_scenario(n, 6, 4 if n <= 20 else 5, seed=3)
        run(f"tight N={n}", s, args.time_limit)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {rss:.0f} MiB; time limit {args.time_limit:g} s per call")


if __name__ == "__main__":
    main()
