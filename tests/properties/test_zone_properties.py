"""Property tests: the agreement-zone engine and the agreement graph agree with brute force.

Small random scenarios (1-4 issues of 2-4 options, 1-4 parties, red lines over
1-2 issues, reservations) are checked against ``tests/brute.py`` on every
code path of the engine: the default one, and with the limits that pick a path
lowered so that the listed block, the issue-by-issue count, brute-force listed
components and opaque components (solver and rejection sampling) are used.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis import zone_engine, zone_factor
from negotiate.analysis.zone import acceptable_outcomes, agreement_zone
from negotiate.errors import CountTooLargeError
from negotiate.graphs import agreement_graph
from tests import brute

VALUES = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]
RESERVATIONS = [0.0, 0.0, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0]


@st.composite
def atoms(draw: st.DrawFn, issues: list[dict[str, Any]]) -> str:
    issue = draw(st.sampled_from(issues))
    name, options = issue["id"], issue["options"]
    option = draw(st.sampled_from(options))
    kinds = ["==", "!=", "in", "not in"] + (["<", "<=", ">", ">="] if issue["ordered"] else [])
    kind = draw(st.sampled_from(kinds))
    if kind in ("in", "not in"):
        chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=len(options),
                               unique=True))
        return f"{name} {kind} {{{', '.join(chosen)}}}"
    return f"{name} {kind} {option}"


@st.composite
def rules(draw: st.DrawFn, issues: list[dict[str, Any]]) -> str:
    shape = draw(st.sampled_from(["atom", "atom", "binary", "not", "constant"]))
    if shape == "constant":
        return draw(st.sampled_from(["true", "false"]))
    if shape == "atom":
        return draw(atoms(issues))
    if shape == "not":
        return f"not ({draw(atoms(issues))})"
    operator = draw(st.sampled_from(["and", "or", "->"]))
    return f"({draw(atoms(issues))}) {operator} ({draw(atoms(issues))})"


@st.composite
def small_scenarios(draw: st.DrawFn) -> ng.Scenario:
    """Scenarios small enough for brute force, with red lines and reservations."""
    issues = [
        {"id": f"i{i}", "options": [f"o{j}" for j in range(draw(st.integers(2, 4)))],
         "ordered": draw(st.booleans())}
        for i in range(draw(st.integers(1, 4)))
    ]
    parties = []
    counter = itertools.count()
    for p in range(draw(st.integers(1, 4))):
        preferences: dict[str, Any] = {}
        for issue in issues:
            if not draw(st.booleans()):
                continue
            importance = draw(st.sampled_from([0.5, 1, 2, 3])) if not preferences else draw(
                st.sampled_from([0, 0.5, 1, 2, 3]))
            if draw(st.booleans()):
                ranking = draw(st.permutations(issue["options"]))
                preferences[issue["id"]] = {"importance": importance, "ranking": ranking}
            else:
                values = {o: draw(st.sampled_from(VALUES)) for o in issue["options"]}
                preferences[issue["id"]] = {"importance": importance, "values": values}
        red_lines = [
            {"id": f"r{next(counter)}", "rule": draw(rules(issues))}
            for _ in range(draw(st.integers(0, 3)))
        ]
        reservation = draw(st.sampled_from(RESERVATIONS)) if preferences else draw(
            st.sampled_from([0.0, 0.0, 0.5]))
        parties.append({"id": f"p{p}", "reservation": reservation, "preferences": preferences,
                        "red_lines": red_lines})
    constraints = draw(st.lists(rules(issues), max_size=2)) if draw(st.booleans()) else []
    return brute.with_constraints(
        {"format": 1, "id": "random", "issues": issues, "parties": parties}, constraints
    )


#: Engine paths: the limits that choose a path, lowered to force it.
PATHS: dict[str, list[tuple[Any, str, int]]] = {
    "default": [],
    "solver-and-issue-steps": [
        (zone_engine, "_MATERIALISE_LIMIT", 0), (zone_engine, "_PART_LIMIT", 0),
    ],
    "listed-components": [
        (zone_factor, "TABLE_LIMIT", 4), (zone_engine, "_MATERIALISE_LIMIT", 0),
    ],
    "opaque-components": [
        (zone_factor, "TABLE_LIMIT", 4), (zone_factor, "LIST_LIMIT", 4),
        (zone_engine, "_MATERIALISE_LIMIT", 0),
    ],
}


@contextlib.contextmanager
def engine_path(name: str) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for module, attribute, value in PATHS[name]:
            stack.enter_context(mock.patch.object(module, attribute, value))
        yield


def check_against(z: Any, expected: list[ng.Outcome], path: str) -> None:
    assert z.is_empty == (not expected)
    listed = list(z)
    assert listed == expected  # same outcomes, same lexicographic order
    try:
        assert z.count == len(expected)
    except CountTooLargeError:
        assert path == "opaque-components" and z._engine.opaque
    witness = z.witness
    if expected:
        assert witness in expected
        if path == "default":
            assert witness == expected[0]
        drawn = z.sample(25, seed=7)
        assert len(drawn) == 25 and all(o in expected for o in drawn)
        assert drawn == z.sample(25, seed=7)
    else:
        assert witness is None
        with pytest.raises(ng.NoAgreementError):
            z.sample(1)
    for outcome in expected[:3]:
        assert outcome in z
    estimate = z.estimate_count(samples=500, seed=1)
    assert estimate.low <= estimate.value <= estimate.high
    if estimate.exact:
        assert estimate.value == len(expected)


@pytest.mark.parametrize("path", sorted(PATHS))
@given(s=small_scenarios())
def test_zone_agrees_with_brute_force(path: str, s: ng.Scenario) -> None:
    with engine_path(path):
        check_against(agreement_zone(s), brute.zone(s), path)


@pytest.mark.parametrize("path", ["default", "solver-and-issue-steps"])
@given(s=small_scenarios())
def test_acceptable_outcomes_agree_with_brute_force(path: str, s: ng.Scenario) -> None:
    with engine_path(path):
        for party in s.parties:
            expected = [o for o in brute.outcomes(s) if brute.acceptable(s, party.id, o)]
            check_against(acceptable_outcomes(s, party.id), expected, path)


@given(s=small_scenarios())
def test_agreement_graph_agrees_with_brute_force(s: ng.Scenario) -> None:
    zone = brute.zone(s)
    graph = agreement_graph(s, limit=len(zone))
    assert list(graph.nodes) == [str(o) for o in zone]
    for o in zone:
        data = graph.nodes[str(o)]
        assert data["outcome"] == o
        for party in s.parties:
            assert data["utilities"][party.id] == pytest.approx(
                float(brute.utility(s, party.id, o)), abs=1e-12)
    expected_edges = set()
    for a, b in itertools.combinations(zone, 2):
        differ = [i for i in a if a[i] != b[i]]
        if len(differ) == 1:
            expected_edges.add(frozenset((str(a), str(b))))
            assert graph.edges[str(a), str(b)]["issue"] == differ[0]
    assert {frozenset(e) for e in graph.edges} == expected_edges
    if zone:
        with pytest.raises(ng.GraphTooLargeError):
            agreement_graph(s, limit=len(zone) - 1)
