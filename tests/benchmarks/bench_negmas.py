"""negotiate's Pareto frontier + Nash solution against NegMAS's, side by side (run on demand).

Usage: python tests/benchmarks/bench_negmas.py [--rounds 5] [--per-round 10] [--no-gc]

The domain is the one of issue 15: 8 issues x 5 options x 2 parties (390,625
outcomes), linear additive utilities with seeded random weights and values, no
red lines, reservations 0. NegMAS is only needed for this script, never by the
library: ``pip install negmas``; without it the script prints negotiate's figures
and a note.

What is timed, the same way on both sides (``time.perf_counter`` around the calls,
a fresh model each repetition so no side reuses anything from an earlier one):

- *analysis*: from the built model to the frontier and the Nash point.
  negotiate: ``pareto_frontier(s)`` then ``nash_bargaining_solution(s)`` on a
  freshly validated Scenario (so compiling it to integer tables, its linkage
  graph, the frontier and Nash are all inside; Nash reuses the frontier cached on
  the compiled scenario). NegMAS: ``pareto_frontier(ufuns, issues=issues)`` then
  ``nash_points(ufuns, frontier, issues=issues)`` on freshly built utility
  functions (the end-to-end path NegMAS's docstring recommends for ufuns + issues).
- *end to end*: the same plus building the model: negotiate ``ng.validate(dict)``,
  NegMAS ``make_issue`` x 8 and two ``LinearAdditiveUtilityFunction``.

Both are timed in wall-clock time and in CPU time of the process
(``time.process_time``, which a loaded machine disturbs much less). The garbage
collector is run before every timed run, on both sides, and stays on during it as
in normal use (``--no-gc`` pauses it during runs, as ``timeit`` does). The
runs are interleaved so both sides see the same machine load: ``--rounds`` rounds,
each one NegMAS run and ``--per-round`` negotiate runs (NegMAS takes seconds per
run), after one untimed warm-up run of each. Min and median are printed, and the
ratios of the medians and of the minima. Both answers are checked to agree (same
frontier size and Nash utilities). The machine load (``os.getloadavg``) is
printed before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
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


Times = tuple[float, float, float]  # analysis wall, analysis CPU, end-to-end wall (seconds)


class _Clock:
    """Wall and CPU time at a moment."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()


def _times(start: _Clock, built: _Clock, done: _Clock) -> Times:
    return done.wall - built.wall, done.cpu - built.cpu, done.wall - start.wall


def run_negotiate(data: dict[str, Any]) -> tuple[Times, int, tuple[float, ...]]:
    """(times, frontier points, Nash utilities)."""
    start = _Clock()
    s = ng.validate(data)
    built = _Clock()
    frontier = ng.pareto_frontier(s)
    between = time.perf_counter()
    nash = ng.nash_bargaining_solution(s)
    done = _Clock()
    NASH_AFTER_FRONTIER.append(done.wall - between)
    return _times(start, built, done), len(frontier), tuple(nash.utilities.values())


def run_negmas(
    weights: list[dict[str, float]], values: list[dict[str, dict[str, float]]]
) -> tuple[Times, int, tuple[float, ...]]:
    """(times, frontier points, Nash utilities)."""
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier

    start = _Clock()
    issues = [make_issue([f"o{j}" for j in range(N_OPTIONS)], name=f"i{i}")
              for i in range(N_ISSUES)]
    ufuns = []
    for w, v in zip(weights, values, strict=True):
        total = sum(w.values())
        ufuns.append(LinearAdditiveUtilityFunction(
            values=v, weights={i: x / total for i, x in w.items()}, issues=issues,
            reserved_value=0.0,
        ))
    built = _Clock()
    frontier, _ = pareto_frontier(ufuns, issues=issues)
    nash = nash_points(ufuns, frontier, issues=issues)
    done = _Clock()
    utilities = tuple(float(u) for u in nash[0][0]) if nash else ()
    return _times(start, built, done), len(frontier), utilities


PAUSE_GC = False
#: negotiate's Nash call alone, after the frontier (wall seconds): it reuses the frontier
#: cached on the compiled scenario instead of recomputing it.
NASH_AFTER_FRONTIER: list[float] = []


def _timed(run: Callable[[], tuple[Times, int, tuple[float, ...]]]) -> tuple[
        Times, int, tuple[float, ...]]:
    gc.collect()
    if PAUSE_GC:
        gc.disable()
    try:
        return run()
    finally:
        gc.enable()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def _row(name: str, results: list[tuple[Times, int, tuple[float, ...]]]) -> list[float]:
    """min and median of each time column, in that order."""
    out: list[float] = []
    for k in range(3):
        column = [r[0][k] for r in results]
        out += [min(column), statistics.median(column)]
    print(f"| {name} | {len(results)} | " + " | ".join(f"{x * 1e3:.2f}" for x in out) + " |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="NegMAS runs (one per round)")
    parser.add_argument("--per-round", type=int, default=10, help="negotiate runs per round")
    parser.add_argument("--no-gc", action="store_true",
                        help="pause the garbage collector during timed runs (both sides)")
    args = parser.parse_args()
    global PAUSE_GC
    PAUSE_GC = args.no_gc
    data, weights, values = domain()
    print(f"domain: {N_ISSUES} issues x {N_OPTIONS} options x 2 parties "
          f"({N_OPTIONS ** N_ISSUES:,} outcomes); garbage collector "
          f"{'paused' if PAUSE_GC else 'on'} during runs; load average {_load()}")
    try:
        import negmas
    except ImportError:
        negmas = None
    _timed(lambda: run_negotiate(data))  # warm-up: imports and first-call costs
    if negmas is not None:
        _timed(lambda: run_negmas(weights, values))
    ours, theirs = [], []
    for _ in range(args.rounds):
        ours += [_timed(lambda: run_negotiate(data)) for _ in range(args.per_round)]
        if negmas is not None:
            theirs.append(_timed(lambda: run_negmas(weights, values)))
    del NASH_AFTER_FRONTIER[:-len(ours)]  # drop the warm-up
    _, points, nash = ours[0]
    assert all(r[1:] == (points, nash) for r in ours), "negotiate is not deterministic"
    print(f"load average after: {_load()}")
    print()
    print("| side | runs | analysis wall min ms | median | analysis CPU min ms | median "
          "| end-to-end wall min ms | median |")
    print("|---|---|---|---|---|---|---|---|")
    a = _row("negotiate", ours)
    nash_note = (f"(negotiate's Nash alone, after the frontier: median "
                 f"{statistics.median(NASH_AFTER_FRONTIER) * 1e3:.2f} ms wall; "
                 "it reuses the cached frontier)")
    if negmas is None:
        print(f"\nnegotiate: {points} frontier points; Nash utilities "
              f"{tuple(round(u, 4) for u in nash)}")
        print(nash_note)
        print("NegMAS is not installed (pip install negmas): no side-by-side figure")
        return 0
    b = _row(f"NegMAS {negmas.__version__}", theirs)
    print()
    _, their_points, their_nash = theirs[0]
    print(f"negotiate: {points} frontier points; Nash utilities "
          f"{tuple(round(u, 4) for u in nash)}")
    print(f"NegMAS:    {their_points} frontier points; Nash utilities "
          f"{tuple(round(u, 4) for u in their_nash)}")
    agree = their_points == points and all(
        abs(x - y) < 1e-9 for x, y in zip(nash, their_nash, strict=True))
    print(f"answers agree: {agree}")
    print(nash_note)
    for label, k in (("analysis, wall", 0), ("analysis, CPU", 2), ("end to end, wall", 4)):
        print(f"ratio NegMAS / negotiate, {label + ':':18} {b[k + 1] / a[k + 1]:8,.0f}x "
              f"(medians) {b[k] / a[k]:8,.0f}x (minima)")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
