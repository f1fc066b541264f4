"""negotiate.graphs.exportable: graphs that GraphML and GEXF can store."""

from __future__ import annotations

import io
import json
import pathlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np
import pytest

import negotiate as ng
from negotiate.graphs import agreement_graph, exportable, linkage_graph

TOY = pathlib.Path(__file__).parent.parent / "data" / "toy.yaml"
PLAIN = (str, int, float, bool)


def graphs() -> list[tuple[str, Any]]:
    s = ng.load(TOY)
    return [("linkage", linkage_graph(s)), ("agreement", agreement_graph(s))]


def attributes(G: Any) -> list[dict[str, Any]]:
    return [G.graph, *(d for _, d in G.nodes(data=True)), *(d for _, _, d in G.edges(data=True))]


def graphml(G: Any) -> Any:
    buffer = io.BytesIO()
    nx.write_graphml(G, buffer)
    buffer.seek(0)
    return nx.read_graphml(buffer)


def gexf(G: Any) -> Any:
    buffer = io.BytesIO()
    nx.write_gexf(G, buffer)
    buffer.seek(0)
    return nx.read_gexf(buffer)


def test_the_raw_graphs_do_not_export() -> None:
    """The reason exportable exists; if networkx learns to write these, revisit the docs."""
    for _, G in graphs():
        with pytest.raises(Exception):  # noqa: B017 - networkx raises several types
            graphml(G)


@pytest.mark.parametrize(("kind", "G"), graphs(), ids=lambda v: v if isinstance(v, str) else "")
def test_all_attributes_are_plain(kind: str, G: Any) -> None:
    H = exportable(G)
    assert type(H) is type(G)
    assert list(H.nodes) == list(G.nodes) and list(H.edges) == list(G.edges)
    for data in attributes(H):
        for key, value in data.items():
            assert isinstance(key, str)
            assert type(value) in PLAIN, (kind, key, value)
    assert H.graph["scenario"] == "toy-trade"


@pytest.mark.parametrize("read", [graphml, gexf], ids=["graphml", "gexf"])
@pytest.mark.parametrize(("kind", "G"), graphs(), ids=lambda v: v if isinstance(v, str) else "")
def test_round_trip(read: Callable[[Any], Any], kind: str, G: Any) -> None:
    H = exportable(G)
    back = read(H)
    assert sorted(back.nodes) == sorted(H.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in H.edges}
    for node, data in H.nodes(data=True):
        for key, value in data.items():
            assert back.nodes[node][key] == value, (kind, node, key)
    for u, v, data in H.edges(data=True):
        for key, value in data.items():
            assert back.edges[u, v][key] == value, (kind, u, v, key)


def test_linkage_attributes() -> None:
    s = ng.load(TOY)
    H = exportable(linkage_graph(s))
    assert H.nodes["tariff"] == {
        "index": 0,
        "issue": "tariff",
        "options": 3,
        "red_lines": json.dumps(["a-no-high", "b-quota-or-tariff"]),
        "constraints": "[]",
    }
    assert json.loads(H.edges["tariff", "quota"]["parties"]) == ["B"]


def test_agreement_attributes() -> None:
    s = ng.load(TOY)
    G = agreement_graph(s)
    H = exportable(G)
    for node, data in G.nodes(data=True):
        plain = H.nodes[node]
        assert {i: plain[f"outcome_{i}"] for i in data["outcome"]} == data["outcome"].to_dict()
        assert {p: plain[f"utilities_{p}"] for p in data["utilities"]} == data["utilities"]
        assert set(plain) == {f"outcome_{i}" for i in data["outcome"]} | {
            f"utilities_{p}" for p in data["utilities"]
        }
    for u, v, data in G.edges(data=True):
        assert H.edges[u, v] == {"issue": data["issue"], "options": json.dumps(list(data["options"]))}


def test_input_is_not_changed_and_other_values() -> None:
    s = ng.load(TOY)
    G = nx.MultiDiGraph(when=None, ratio=Fraction(1, 4))
    G.add_node("x", party=s.parties[0], n=np.int64(3), f=np.float64(0.5), none=None,
               nested={"a": {"b": 1}}, ids={"z", "y"})
    G.add_edge("x", "y", key="k", issue=s.issues[0])
    H = exportable(G)
    assert isinstance(H, nx.MultiDiGraph)
    assert H.graph == {"ratio": 0.25}
    assert H.nodes["x"] == {"party": "A", "n": 3, "f": 0.5, "nested_a_b": 1, "ids": '["y", "z"]'}
    assert type(H.nodes["x"]["n"]) is int
    assert H.edges["x", "y", "k"] == {"issue": "tariff"}
    assert G.nodes["x"]["party"] is s.parties[0]
    graphml(H)  # writes


def test_bad_input() -> None:
    with pytest.raises(ng.InvalidArgumentError, match="G=<dict> must be a networkx graph"):
        exportable({})
    G = nx.Graph()
    G.add_node("x", a={"b": 1}, a_b=2)
    with pytest.raises(ng.InvalidArgumentError, match="'a_b'"):
        exportable(G)


def test_not_top_level() -> None:
    assert "exportable" not in ng.__all__ and not hasattr(ng, "exportable")
