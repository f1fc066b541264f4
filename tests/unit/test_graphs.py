"""Unit tests of negotiate.graphs: the linkage graph and the agreement graph."""

from __future__ import annotations

import itertools
from typing import Any
from unittest import mock

import networkx as nx
import pytest

import negotiate as ng
from negotiate.analysis.zone import agreement_zone
from negotiate.analysis.zone_engine import ZoneEngine
from negotiate.errors import CountTooLargeError, GraphTooLargeError
from negotiate.graphs import agreement_graph, linkage_graph
from tests import brute

SCENARIO = """
format: 1
id: links
issues:
  - {id: a, options: [x, y, z], ordered: true}
  - {id: b, options: [x, y]}
  - {id: c, options: [x, y]}
  - {id: d, options: [x, y]}
  - {id: e, options: [x, y, z], ordered: true}
parties:
  - id: P
    preferences: {a: {importance: 1, ranking: [x, y, z]}}
    red_lines:
      - {id: p1, rule: "a == x -> b == y"}
      - {id: p2, rule: "a <= z"}
  - id: Q
    preferences: {b: {importance: 1, ranking: [y, x]}, c: {importance: 1, ranking: [x, y]}}
    red_lines:
      - {id: q1, rule: "b == x or c == x or a >= y"}
      - {id: q2, rule: "d != y"}
  - id: R
    red_lines:
      - {id: r1, rule: "a != z or b != x"}
"""


def load() -> ng.Scenario:
    return ng.loads(SCENARIO)


class TestLinkageGraph:
    def test_nodes(self) -> None:
        s = load()
        g = linkage_graph(s)
        assert list(g.nodes) == ["a", "b", "c", "d", "e"]
        assert g.nodes["a"]["issue"] == s.issue("a")
        assert g.nodes["a"]["options"] == 3 and g.nodes["b"]["options"] == 2
        assert g.nodes["a"]["red_lines"] == ["p1", "q1", "r1"]  # p2 holds everywhere
        assert g.nodes["d"]["red_lines"] == ["q2"]
        assert g.nodes["e"]["red_lines"] == []
        assert g.graph["scenario"] == "links"

    def test_edges(self) -> None:
        g = linkage_graph(load())
        assert {frozenset(e) for e in g.edges} == {
            frozenset("ab"), frozenset("ac"), frozenset("bc"),
        }
        assert g.edges["a", "b"] == {
            "red_lines": ["p1", "q1", "r1"], "parties": ["P", "Q", "R"], "constraints": [],
        }
        assert g.edges["b", "c"] == {"red_lines": ["q1"], "parties": ["Q"], "constraints": []}

    def test_components_are_the_engine_components(self) -> None:
        s = load()
        g = linkage_graph(s)
        index = {issue.id: i for i, issue in enumerate(s.issues)}
        from_graph = sorted(
            tuple(sorted(index[n] for n in comp)) for comp in nx.connected_components(g)
        )
        assert from_graph == list(agreement_zone(s).components)

    def test_reservations_add_no_edges(self) -> None:
        s = ng.validate({
            "format": 1, "id": "t",
            "issues": [{"id": "a", "options": ["x", "y"]}, {"id": "b", "options": ["x", "y"]}],
            "parties": [{"id": "p", "reservation": 0.9, "preferences": {
                "a": {"importance": 1, "ranking": ["x", "y"]},
                "b": {"importance": 1, "ranking": ["x", "y"]}}}],
        })
        assert linkage_graph(s).number_of_edges() == 0


class TestAgreementGraph:
    def test_matches_brute_force(self) -> None:
        s = load()
        zone = brute.zone(s)
        g = agreement_graph(s)
        assert list(g.nodes) == [str(o) for o in zone]
        name = str(zone[0])
        assert name.startswith("a=") and ", b=" in name
        for o in zone:
            utilities = g.nodes[str(o)]["utilities"]
            assert utilities == {p.id: ng.utility(s, p.id, o) for p in s.parties}
            assert g.nodes[str(o)]["outcome"] == o
        pairs = {
            frozenset((str(u), str(v))) for u, v in itertools.combinations(zone, 2)
            if sum(u[i] != v[i] for i in u) == 1
        }
        assert {frozenset(e) for e in g.edges} == pairs

    def test_edge_attributes(self) -> None:
        g = agreement_graph(load())
        u, v, data = next(iter(g.edges(data=True)))
        ou, ov = g.nodes[u]["outcome"], g.nodes[v]["outcome"]
        issue = data["issue"]
        assert [i for i in ou if ou[i] != ov[i]] == [issue]
        order = load().issue(issue).option_ids
        low, high = data["options"]
        assert {low, high} == {ou[issue], ov[issue]}
        assert order.index(low) < order.index(high)

    def test_limit(self) -> None:
        s = load()
        size = brute.count(s)
        assert agreement_graph(s, limit=size).number_of_nodes() == size
        with pytest.raises(GraphTooLargeError, match=rf"has {size} outcomes, more than limit="):
            agreement_graph(s, limit=size - 1)
        with pytest.raises(ng.InvalidArgumentError, match="limit=-1"):
            agreement_graph(s, limit=-1)

    def test_limit_when_the_count_is_out_of_reach(self) -> None:
        s = load()

        def too_large(self: Any) -> int:
            raise CountTooLargeError("out of reach")

        with mock.patch.object(ZoneEngine, "count", too_large):
            with pytest.raises(GraphTooLargeError, match="more than limit=3 outcomes"):
                agreement_graph(s, limit=3)
            assert agreement_graph(s, limit=100).number_of_nodes() == brute.count(s)

    def test_empty_zone(self) -> None:
        s = ng.validate({
            "format": 1, "id": "t", "issues": [{"id": "a", "options": ["x", "y"]}],
            "parties": [{"id": "p", "red_lines": [{"id": "r", "rule": "false"}]}],
        })
        g = agreement_graph(s)
        assert g.number_of_nodes() == 0 and g.number_of_edges() == 0

    def test_components_are_deal_families(self) -> None:
        # a == x with b anything, or a == z with b == y: one family, two concessions wide
        s = ng.validate({
            "format": 1, "id": "t",
            "issues": [{"id": "a", "options": ["x", "y", "z"]}, {"id": "b", "options": ["x", "y"]}],
            "parties": [{"id": "p", "red_lines": [
                {"id": "r", "rule": "a == x or (a == z and b == y)"}]}],
        })
        g = agreement_graph(s)
        components = sorted(sorted(c) for c in nx.connected_components(g))
        assert components == [["a=x, b=x", "a=x, b=y", "a=z, b=y"]]
        assert nx.shortest_path_length(g, "a=x, b=x", "a=z, b=y") == 2
        # (x, x) or (z, y) only: two deals with no single concession between them
        s2 = ng.validate({
            "format": 1, "id": "t",
            "issues": [{"id": "a", "options": ["x", "y", "z"]}, {"id": "b", "options": ["x", "y"]}],
            "parties": [{"id": "p", "red_lines": [
                {"id": "r", "rule": "(a == x and b == x) or (a == z and b == y)"}]}],
        })
        assert nx.number_connected_components(agreement_graph(s2)) == 2
