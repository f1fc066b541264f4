"""conflict_graph, write_graph and ``negotiate graph``: read back with networkx."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings

import negotiate as ng
from negotiate.cli import main
from negotiate.graphs import conflict_graph, write_graph
from negotiate.rules import render
from negotiate.testing import scenarios
from tests import brute

ROOT = Path(__file__).resolve().parents[2]
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"
TOY = ROOT / "tests" / "data" / "toy.yaml"


def minimal_conflicts(s: ng.Scenario) -> set[frozenset[str]]:
    ids = brute.constraint_ids(s)
    found: set[frozenset[str]] = set()
    for k in range(1, len(ids) + 1):
        for subset in itertools.combinations(ids, k):
            if not any(f <= set(subset) for f in found) and not brute.feasible(s, subset):
                found.add(frozenset(subset))
    return found


@settings(max_examples=25, deadline=None)
@given(scenarios(max_issues=3, max_options=3, max_parties=3, max_red_lines=2))
def test_edges_are_pairs_within_minimal_conflicts(s: ng.Scenario) -> None:
    G = conflict_graph(s, time_limit=None)
    conflicts = minimal_conflicts(s)
    expected = {frozenset(p) for c in conflicts for p in itertools.combinations(sorted(c), 2)}
    assert {frozenset(e) for e in G.edges} == expected
    red_lines = [r.id for p in s.parties for r in p.red_lines]
    assert list(G.nodes)[: len(red_lines)] == red_lines
    for node, data in G.nodes(data=True):
        assert data["conflicts"] == sum(node in c for c in conflicts)
        if data["kind"] == "reservation":
            assert data["conflicts"] > 0
    for u, v, data in G.edges(data=True):
        assert data["head_on"] == (frozenset((u, v)) in conflicts)


def test_flagship_conflict_graph_attributes() -> None:
    s = ng.load(JANUARY)
    G = conflict_graph(s)
    assert G.number_of_nodes() == sum(len(p.red_lines) for p in s.parties)
    party, red_line = s.red_line("ru-donbas")
    data = G.nodes["ru-donbas"]
    assert (data["party"], data["stance"], data["sources"]) == (
        party.id, red_line.stance, list(red_line.sources))
    assert data["rule"] == render(red_line.rule) and data["label"] == "ru-donbas"
    assert G.edges["ru-donbas", "ua-no-withdrawal"]["head_on"]


def attributes_round_trip(G: Any, back: Any) -> None:
    assert set(back.nodes) == {str(v) for v in G.nodes}
    assert {frozenset(map(str, e)) for e in back.edges} == {
        frozenset(map(str, e)) for e in G.edges}
    for node, data in back.nodes(data=True):
        assert data.get("label"), f"node {node} has no label"


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".json"])
@pytest.mark.parametrize("kind", ["linkage", "agreement", "conflict"])
def test_cli_graph_export_reads_back(
    kind: str, suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = JANUARY if kind != "agreement" else TOY
    out = tmp_path / f"g{suffix}"
    assert main(["graph", str(source), "--kind", kind, "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    s = ng.load(source)
    G = {"linkage": ng.linkage_graph, "agreement": ng.agreement_graph,
         "conflict": ng.conflict_graph}[kind](s)
    if suffix == ".graphml":
        back = nx.read_graphml(out)
    elif suffix == ".gexf":
        back = nx.read_gexf(out)
    else:
        back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    attributes_round_trip(G, back)
    if kind == "conflict":
        node = back.nodes["ua-znpp"]
        assert (node["party"], node["stance"]) == ("ukraine", "stated")
        assert json.loads(node["sources"]) == ["U2", "U12"]
    if kind == "linkage":
        assert int(back.nodes["donetsk"]["options"]) == len(s.issue("donetsk").options)


def test_write_graph_bad_suffix(tmp_path: Path) -> None:
    with pytest.raises(ng.InvalidArgumentError, match=r"use \.graphml, \.gexf or \.json"):
        write_graph(nx.Graph(), tmp_path / "g.dot")
    assert not list(tmp_path.iterdir())


def test_cli_graph_bad_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(TOY), "--kind", "linkage", "-o", str(tmp_path / "g.png")]) == 2
    assert "use .graphml, .gexf or .json" in capsys.readouterr().err
