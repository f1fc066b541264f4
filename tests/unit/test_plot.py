"""negotiate.plot: the pictures show what the analysis says (nodes, colours, bars, labels)."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import matplotlib
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import negotiate as ng
from negotiate.graphs import conflict_graph
from negotiate.plot import (
    STANCE_COLOURS,
    VERDICT_COLOURS,
    plot_conflict_graph,
    plot_frontier,
    plot_linkage_graph,
    plot_tornado,
    plot_utilities,
    plot_verdicts,
)

ROOT = Path(__file__).resolve().parents[2]
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"


@pytest.fixture(scope="module")
def january() -> ng.Scenario:
    return ng.load(JANUARY)


@pytest.fixture(scope="module")
def analysis(january: ng.Scenario) -> Any:
    return ng.analyze(january)


def node_colours(ax: Any) -> list[str]:
    """One hex colour per drawn node (networkx draws nodes as PathCollections)."""
    colours = []
    for collection in ax.collections:
        offsets = collection.get_offsets()
        faces = collection.get_facecolors()
        if len(offsets) and len(faces) and type(collection).__name__ == "PathCollection":
            colours += [to_hex(faces[min(k, len(faces) - 1)], keep_alpha=False)
                        for k in range(len(offsets))]
    return colours


def test_conflict_graph_nodes_coloured_by_stance(january: ng.Scenario, analysis: Any) -> None:
    figure = plot_conflict_graph(january, deadlock=analysis.deadlock)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    colours = node_colours(ax)
    stances = [r.stance for p in january.parties for r in p.red_lines]
    assert len(colours) == len(stances)
    for stance in set(stances):
        assert colours.count(STANCE_COLOURS[stance].lower()) == stances.count(stance)
    G = conflict_graph(january, deadlock=analysis.deadlock)
    labels = {t.get_text() for t in ax.texts}
    assert set(G.nodes) <= labels
    assert {"United States", "Russia", "Ukraine", "Europe"} <= labels
    edges = sum(len(c.get_paths()) for c in ax.collections
                if type(c).__name__ == "LineCollection")
    assert edges == G.number_of_edges()
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"stated", "reported", "inferred", "clash head-on"} <= legend


def test_conflict_graph_is_deterministic(january: ng.Scenario, analysis: Any) -> None:
    def svg() -> str:
        buffer = io.StringIO()
        with matplotlib.rc_context({"svg.hashsalt": "fixed"}):  # clip-path ids are random
            plot_conflict_graph(january, deadlock=analysis.deadlock).savefig(
                buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    assert svg() == svg()


def test_linkage_graph(january: ng.Scenario) -> None:
    ax = plot_linkage_graph(january).axes[0]
    G = ng.linkage_graph(january)
    assert len(node_colours(ax)) == G.number_of_nodes()
    texts = [t.get_text() for t in ax.texts]
    assert set(G.nodes) <= set(texts)
    assert len(texts) == G.number_of_nodes() + 1  # and one line saying what grey means


def test_verdict_matrix(january: ng.Scenario, analysis: Any) -> None:
    ax = plot_verdicts(january, evaluations=analysis.proposals).axes[0]
    texts = [t.get_text().split("\n")[0] for t in ax.texts]
    expected = [v.verdict for e in analysis.proposals for v in e.parties]
    assert texts == expected
    assert [t.get_text() for t in ax.get_yticklabels()] == [p.id for p in january.proposals]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "United States", "Russia", "Ukraine", "Europe"]
    image = ax.images[0].get_array()
    order = list(VERDICT_COLOURS)
    assert [order[int(x)] for x in image.ravel()] == expected


def test_utilities_bars_against_reservations(january: ng.Scenario, analysis: Any) -> None:
    figure = plot_utilities(january, evaluations=analysis.proposals)
    assert len(figure.axes) == len(january.parties)
    for j, (ax, party) in enumerate(zip(figure.axes, january.parties, strict=True)):
        assert len(ax.patches) == len(january.proposals)
        assert ax.get_xlabel() == "utility"
        (line,) = [x for x in ax.lines if x.get_linestyle() == "--"]
        assert line.get_xdata()[0] == pytest.approx(party.reservation)
        for bar, e in zip(ax.patches, analysis.proposals, strict=True):
            v = e.parties[j]
            assert to_hex(bar.get_facecolor(), keep_alpha=False) == VERDICT_COLOURS[v.verdict].lower()
            low, high = v.utility
            assert bar.get_x() <= low + 1e-9 and bar.get_x() + bar.get_width() >= high - 1e-9


def test_frontier_two_parties_scatter() -> None:
    s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y, z]}, {id: b, options: [u, v]}]
parties:
  - {id: p, preferences: {a: {importance: 2, ranking: [x, y, z]}, b: {importance: 1, ranking: [u, v]}}}
  - {id: q, preferences: {a: {importance: 1, ranking: [z, y, x]}, b: {importance: 1, ranking: [v, u]}}}
""")
    frontier = ng.pareto_frontier(s)
    solutions = {"nash": ng.nash_bargaining_solution(s, frontier=frontier)}
    ax = plot_frontier(frontier, solutions=solutions).axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("utility of p", "utility of q")
    points = ax.collections[0].get_offsets()
    assert len(points) == len(frontier)
    assert sorted(map(tuple, points.tolist())) == sorted(
        (pt.utilities["p"], pt.utilities["q"]) for pt in frontier)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["frontier point", "nash"]


def test_frontier_parallel_coordinates(analysis: Any) -> None:
    ax = plot_frontier(analysis.frontier, solutions=analysis.solutions).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(analysis.frontier.parties)
    assert len(ax.collections[0].get_segments()) == len(analysis.frontier)
    assert len([x for x in ax.lines if len(x.get_xdata()) == 4]) == len(analysis.solutions)


def test_tornado_bars_sorted_by_swing() -> None:
    data = {"small": (0.2, 0.25), "big": (0.0, 0.9), "mid": (0.1, 0.5)}
    ax = plot_tornado(data, baseline=0.3).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["big", "mid", "small"]
    assert len(ax.patches) == 2 * len(data)
    assert ax.get_xlabel() == "probability of an agreement zone"


def test_tornado_bad_input() -> None:
    with pytest.raises(ng.InvalidArgumentError, match="no low/high"):
        plot_tornado({"x": object()})


def test_plot_into_given_axes(january: ng.Scenario) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    assert plot_linkage_graph(january, ax=ax) is figure


def test_tornado_of_single_swings() -> None:
    result = SimpleNamespace(sensitivity={"a": 0.1, "b": -0.4, "c": 0.0}, p_agreement=0.3)
    ax = plot_tornado(result).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a", "c"]
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([-0.4, 0.1, 0.0])
    assert ax.get_xlabel() == "P(agreement) without the red line − with it"


DRAW = """
import sys
import negotiate as ng
from negotiate.plot import plot_conflict_graph, plot_linkage_graph
s = ng.load(sys.argv[1])
for figure in (plot_linkage_graph(s), plot_conflict_graph(s)):
    for c in figure.axes[0].collections:
        print([[round(float(x), 6) for x in row] for row in c.get_offsets()])
"""


def test_layouts_do_not_depend_on_string_hashing() -> None:
    """Same picture in every process (set and dict orders of strings vary with the hash seed)."""
    import os
    import subprocess
    import sys

    def run(seed: str) -> str:
        env = dict(os.environ, PYTHONHASHSEED=seed)
        return subprocess.run([sys.executable, "-c", DRAW, str(JANUARY)], env=env, check=True,
                              capture_output=True, text=True, cwd=ROOT).stdout

    first = run("1")
    assert first.count("\n") >= 3
    assert run("2") == first and run("3") == first
