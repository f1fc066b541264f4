"""Draw the pictures shown in docs/reports.md into docs/images/ (PNG).

Usage: python tools/make_doc_images.py

Run it after changing negotiate.plot or the flagship example, and commit the images.
Output is deterministic (fixed layouts, salted SVG ids, no dates in the files).
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's negotiate, not another installed one

import negotiate as ng  # noqa: E402
from negotiate.plot import (  # noqa: E402
    plot_conflict_graph,
    plot_frontier,
    plot_linkage_graph,
    plot_tornado,
    plot_utilities,
    plot_verdicts,
)

OUT = ROOT / "docs" / "images"
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"


def save(figure: object, name: str) -> None:
    for suffix, options in ((".png", {"dpi": 90}),):
        path = OUT / f"{name}{suffix}"
        with matplotlib.rc_context({"svg.hashsalt": name}):
            figure.savefig(  # type: ignore[attr-defined]
                path, metadata={"Software": None} if suffix == ".png" else {"Date": None},
                bbox_inches="tight", **options,
            )
        print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    s = ng.load(JANUARY)
    result = ng.analyze(s)
    save(plot_conflict_graph(s, deadlock=result.deadlock), "conflict-graph")
    save(plot_linkage_graph(s), "linkage-graph")
    save(plot_verdicts(s, evaluations=result.proposals), "verdicts")
    save(plot_utilities(s, evaluations=result.proposals), "utilities")
    save(plot_frontier(result.frontier, solutions=result.solutions,
                       title="What-if 1: Pareto frontier"),
         "frontier")
    # An illustrative tornado (made-up swings) until robustness results are in the docs.
    save(plot_tornado({"ru-donbas importance": (0.02, 0.31), "ua reservation": (0.05, 0.12),
                       "us power": (0.07, 0.09)}, baseline=0.08), "tornado")


if __name__ == "__main__":
    main()
