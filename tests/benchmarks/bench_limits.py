"""The slow cases of issue 15, each under ``time_limit=5`` (run on demand, not in the suite).

Usage: python tests/benchmarks/bench_limits.py [--time-limit 5] [--case NAME]

Every case must return, or raise a documented error (``SearchLimitError``,
``GraphTooLargeError``, ``CountTooLargeError``), within about twice the time
limit. Prints one row per case: elapsed wall time, peak RSS growth, and what
came back.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_zone import scenario

import negotiate as ng
from negotiate.analysis import near_deals
from negotiate.errors import NegotiateError


def frontier_case(limit: float) -> Any:
    s = scenario(40, 8, 5, red_lines=0, seed=3)
    return f"{len(ng.pareto_frontier(s, time_limit=limit))} points"


def proposal_case(limit: float) -> Any:
    s = scenario(200, 20, 6, red_lines=34, reservation=0.3, seed=0)
    terms = {f"i{i}": "o0" for i in range(0, 200, 2)}
    e = ng.evaluate_proposal(s, terms, time_limit=limit)
    return f"accepted by {len(e.accepted_by)}; nearest {'found' if e.nearest else 'none'}"


def near_deals_case(limit: float) -> Any:
    issues = [{"id": f"i{i}", "options": ["a", "b"]} for i in range(5000)]
    prefs = {f"i{i}": {"importance": 1 + i % 7, "ranking": ["a", "b"] if i % 3 else ["b", "a"]}
             for i in range(5000)}
    s = ng.validate({"format": 1, "id": "free", "issues": issues,
                     "parties": [{"id": "p", "preferences": prefs},
                                 {"id": "q", "preferences": dict(list(prefs.items())[::2])}]})
    return f"{len(near_deals(s, 5, time_limit=limit))} near deals"


def zone_iter_case(limit: float) -> Any:
    s = scenario(30, 6, 3, red_lines=5, reservation=0.7, seed=0)
    z = ng.agreement_zone(s, time_limit=limit)
    first = next(iter(z), None)
    return "empty" if first is None else "first outcome found"


def graph_case(limit: float) -> Any:
    s = scenario(30, 6, 3, red_lines=5, reservation=0.45, seed=0)
    g = ng.agreement_graph(s, limit=10_000, time_limit=limit)
    return f"{g.number_of_nodes()} nodes"


def analyze_case(limit: float) -> Any:
    from negotiate.cli import main

    path = Path("/tmp/negotiate-bench-limits.yaml")
    ng.dump(scenario(30, 6, 4, red_lines=5, reservation=0.6, seed=0), path)
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        rc = main(["analyze", str(path), "--time-limit", str(limit)])
    return f"analyze rc {rc}"


CASES: dict[str, Callable[[float], Any]] = {
    "pareto_frontier 40x8x5": frontier_case,
    "evaluate_proposal 200x20x6, 200 red lines": proposal_case,
    "near_deals 5,000 free binary issues": near_deals_case,
    "next(iter(zone)) 30x6x3 tight": zone_iter_case,
    "agreement_graph 30x6x3": graph_case,
    "analyze --time-limit 30x6x4": analyze_case,
}


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--case", default=None, help="run only cases whose name contains this")
    args = parser.parse_args()
    import ortools.sat.python.cp_model  # noqa: F401  (import cost paid once)

    print(f"time_limit={args.time_limit:g} s; each case must end within ~2x that\n")
    print("| case | elapsed s | peak RSS MiB | result |")
    print("|---|---:|---:|---|")
    for name, case in CASES.items():
        if args.case and args.case not in name:
            continue
        start = time.perf_counter()
        try:
            result = case(args.time_limit)
        except NegotiateError as error:
            result = f"{type(error).__name__}: {str(error)[:60]}..."
        elapsed = time.perf_counter() - start
        print(f"| {name} | {elapsed:.2f} | {rss_mib():.0f} | {result} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
