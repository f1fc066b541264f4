"""Benchmark report generation on the flagship (run on demand, not part of the test suite).

Usage: python tests/benchmarks/bench_report.py [--repeat N]

Target: the late-January 2026 report with ``--compare`` December in under 5 s. Prints one
row per step (best of N runs, after imports are warm): the analysis, the comparison, each
picture, and the whole HTML and Markdown reports as ``negotiate report`` makes them.
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
from negotiate.plot import (  # noqa: E402
    plot_conflict_graph,
    plot_frontier,
    plot_utilities,
    plot_verdicts,
)
from negotiate.publish import render_report  # noqa: E402
from negotiate.publish._figures import inline_svg  # noqa: E402

DECEMBER = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"
TARGET = 5.0


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs (CPU time shows the cost
    when other processes share the machine), and the result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    jan, dec = ng.load(JANUARY), ng.load(DECEMBER)
    render_report(jan, format="md")  # warm imports (matplotlib, jinja2, OR-Tools)
    analysis = ng.analyze(jan)
    rows: list[tuple[str, float, float, str]] = []

    def row(name: str, fn: Callable[[], Any], what: Callable[[Any], str]) -> None:
        seconds, cpu, result = best(fn, args.repeat)
        rows.append((name, seconds, cpu, what(result)))

    row("analyze (January)", lambda: ng.analyze(jan), lambda a: f"{len(a.deadlock.conflicts)} conflicts")
    row("compare (December -> January)", lambda: ng.compare(dec, jan),
        lambda c: f"{len(c.red_lines_changed)} red lines changed")
    for name, make in (
        ("picture: conflict graph", lambda: plot_conflict_graph(jan, deadlock=analysis.deadlock)),
        ("picture: verdict matrix", lambda: plot_verdicts(jan, evaluations=analysis.proposals)),
        ("picture: utilities", lambda: plot_utilities(jan, evaluations=analysis.proposals)),
        ("picture: frontier", lambda: plot_frontier(analysis.frontier,
                                                     solutions=analysis.solutions)),
    ):
        row(name + " (to SVG)", lambda make=make, name=name: inline_svg(make(), "k", name, ""),
            lambda svg: f"{len(svg) // 1024} KiB")
    row("report HTML --compare", lambda: render_report(jan, compare=dec),
        lambda html: f"{len(html) // 1024} KiB")
    row("report Markdown --compare", lambda: render_report(jan, format="md", compare=dec),
        lambda md: f"{len(md) // 1024} KiB")
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'wall s':>7}  {'cpu s':>6}  result")
    for name, seconds, cpu, what in rows:
        print(f"{name:<{width}}  {seconds:7.2f}  {cpu:6.2f}  {what}")
    total, cpu = next((s, c) for n, s, c, _ in rows if n == "report HTML --compare")
    verdict = "within" if total < TARGET else "OVER"
    print(f"\nHTML report with --compare: {total:.2f} s wall ({cpu:.2f} s CPU), {verdict} the "
          f"{TARGET:g} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
