"""Property tests: the Pareto frontier and the bargaining solutions against brute force.

Everything is compared with ``tests/brute.py``, which walks every outcome
with exact fractions and shares no code with the frontier engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis.bargaining import (
    BargainingSolution,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_bargaining_solution,
    utilitarian_solution,
)
from negotiate.analysis.pareto import Frontier, is_pareto_optimal, pareto_frontier
from negotiate.model import Outcome, Scenario
from tests import brute

Vector = tuple[Fraction, ...]

VALUES = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 1.0])
IMPORTANCES = st.sampled_from([0, 0.5, 1, 1, 2, 3])
RESERVATIONS = st.sampled_from([0.0, 0.0, 0.0, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6])
POWERS = st.sampled_from([1.0, 1.0, 2.0, 0.5, 1.5])


def _exact(x: float) -> Fraction:
    return Fraction(Decimal(repr(float(x))))


@st.composite
def scenario_dicts(
    draw: st.DrawFn,
    *,
    min_parties: int = 1,
    max_parties: int = 4,
    rankings: bool = True,
    red_lines: bool = True,
    powers: bool = True,
) -> dict[str, Any]:
    """A small random scenario as a dict: 1-4 issues of 2-4 options, red lines over
    1-2 issues, coarse values (so that ties in utility are common)."""
    n_issues = draw(st.integers(1, 4))
    issues: list[dict[str, Any]] = []
    for j in range(n_issues):
        size = draw(st.integers(2, 4))
        issues.append({
            "id": f"i{j}",
            "options": [f"o{k}" for k in range(size)],
            "ordered": draw(st.booleans()),
        })
    parties = []
    rule_id = 0
    for p in range(draw(st.integers(min_parties, max_parties))):
        preferences: dict[str, Any] = {}
        for issue in issues:
            if draw(st.integers(0, 3)) == 0:
                continue
            options = issue["options"]
            if rankings and draw(st.integers(0, 3)) == 0:
                preference: dict[str, Any] = {"ranking": draw(st.permutations(options))}
            else:
                preference = {"values": {o: draw(VALUES) for o in options}}
            preferences[issue["id"]] = {"importance": draw(IMPORTANCES), **preference}
        if preferences and all(pref["importance"] == 0 for pref in preferences.values()):
            next(iter(preferences.values()))["importance"] = 1
        rules = []
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2])) if red_lines else 0):
            a = draw(st.sampled_from(issues))
            b = draw(st.sampled_from(issues))
            oa = draw(st.sampled_from(a["options"]))
            ob = draw(st.sampled_from(b["options"]))
            forms = [
                f"{a['id']} != {oa}",
                f"{a['id']} == {oa} or {b['id']} != {ob}",
                f"{a['id']} in {{{oa}, {ob if a is b else a['options'][0]}}}",
                f"not ({a['id']} == {oa} and {b['id']} == {ob})",
            ]
            if a["ordered"] and b["ordered"]:
                forms.append(f"{a['id']} >= {oa} -> {b['id']} <= {ob}")
            rules.append({"id": f"r{rule_id}", "rule": draw(st.sampled_from(forms))})
            rule_id += 1
        parties.append({
            "id": f"P{p}",
            "reservation": draw(RESERVATIONS) if preferences else 0.0,
            "power": draw(POWERS) if powers else 1.0,
            "preferences": preferences,
            "red_lines": rules,
        })
    return {"format": 1, "id": "random", "issues": issues, "parties": parties}


def scenarios(**kwargs: Any) -> st.SearchStrategy[Scenario]:
    return scenario_dicts(**kwargs).map(ng.validate)


# -- brute-force references ------------------------------------------------------------------


def _utilities(s: Scenario, outcome: Outcome) -> Vector:
    return tuple(brute.utility(s, p.id, outcome) for p in s.parties)


def _indices(s: Scenario, outcome: Outcome) -> tuple[int, ...]:
    return tuple(issue.option_ids.index(outcome[issue.id]) for issue in s.issues)


def _brute_groups(s: Scenario) -> dict[Vector, list[Outcome]]:
    """Undominated zone utility vectors -> their outcomes (lexicographic)."""
    groups: dict[Vector, list[Outcome]] = {}
    for outcome, vector in brute.pareto(s):
        groups.setdefault(vector, []).append(outcome)
    return groups


def _vector(point: Any) -> Vector:
    return tuple(point.exact_utilities.values())


# -- the frontier ----------------------------------------------------------------------------


@given(scenarios())
def test_frontier_is_exactly_the_undominated_zone(s: Scenario) -> None:
    frontier = pareto_frontier(s)
    groups = _brute_groups(s)
    assert {_vector(p) for p in frontier} == set(groups)
    assert len(frontier) == len(groups)
    for point in frontier:
        outcomes = groups[_vector(point)]
        assert point.count == len(outcomes)
        listed = list(point.outcomes())
        assert len(listed) == len(set(listed)) == point.count
        assert set(listed) == set(outcomes)
        assert listed[0] == point.outcome
        # The representative: lexicographically smallest option indices.
        assert point.outcome == min(outcomes, key=lambda o: _indices(s, o))
        for party, value in point.utilities.items():
            assert value == float(point.exact_utilities[party])
            assert value == ng.utility(s, party, point.outcome)
    # Sorted by utility vector, descending lexicographically.
    vectors = [_vector(p) for p in frontier]
    assert vectors == sorted(vectors, reverse=True)
    assert frontier.outcome_count == sum(len(v) for v in groups.values())
    assert frontier.is_empty == (not brute.zone(s))


@given(scenarios())
def test_zone_frontier_is_red_line_frontier_inside_the_reservation_box(s: Scenario) -> None:
    # Dropping every reservation leaves the red-line-feasible set F; its Pareto set,
    # restricted to u_p >= r_p (with the acceptance tolerance), is the zone's frontier.
    data = s.model_dump(mode="json")
    for party in data["parties"]:
        party["reservation"] = 0.0
    free = ng.validate(data)
    reservations = [_exact(p.reservation) - brute.TOL for p in s.parties]
    boxed = {
        vector for vector in _brute_groups(free)
        if all(u >= r for u, r in zip(vector, reservations, strict=True))
    }
    assert {_vector(p) for p in pareto_frontier(s)} == boxed


@given(scenarios(max_parties=3), st.data())
def test_is_pareto_optimal_matches_brute_force(s: Scenario, data: st.DataObject) -> None:
    outcome = Outcome({
        issue.id: data.draw(st.sampled_from(issue.option_ids)) for issue in s.issues
    })
    optimal = {o for outcomes in _brute_groups(s).values() for o in outcomes}
    assert is_pareto_optimal(s, outcome) == (outcome in optimal)
    assert is_pareto_optimal(s, outcome, frontier=pareto_frontier(s)) == (outcome in optimal)


# -- bargaining solutions --------------------------------------------------------------------


def _objectives(s: Scenario) -> dict[str, Callable[[Outcome], Any]]:
    """Each solution's objective, computed exactly from the brute-force zone."""
    zone = brute.zone(s)
    reservations = [_exact(p.reservation) for p in s.parties]
    weights = [_exact(p.power) for p in s.parties]
    common = math.lcm(*(w.denominator for w in weights))
    exponents = [int(w * common) for w in weights]  # same order as prod g ** power

    def gains(o: Outcome) -> list[Fraction]:
        return [max(Fraction(0), u - r)
                for u, r in zip(_utilities(s, o), reservations, strict=True)]

    ideal = [max(_utilities(s, o)[p] for o in zone) for p in range(len(s.parties))]

    def nash(o: Outcome) -> tuple[int, Fraction]:
        positive = [(g, e) for g, e in zip(gains(o), exponents, strict=True) if g > 0]
        return len(positive), math.prod((g**e for g, e in positive), start=Fraction(1))

    def kalai_smorodinsky(o: Outcome) -> Fraction:
        return min(
            g / (top - r) if top - r > 0 else Fraction(1)
            for g, top, r in zip(gains(o), ideal, reservations, strict=True)
        )

    return {
        "nash": nash,
        "kalai_smorodinsky": kalai_smorodinsky,
        "egalitarian": lambda o: min(gains(o)),
        "utilitarian": lambda o: sum(_utilities(s, o)),
    }


SOLVERS: dict[str, Callable[..., BargainingSolution]] = {
    "nash": nash_bargaining_solution,
    "kalai_smorodinsky": kalai_smorodinsky_solution,
    "egalitarian": egalitarian_solution,
    "utilitarian": utilitarian_solution,
}


@given(scenarios(min_parties=2))
def test_solutions_maximise_their_objective_on_the_frontier(s: Scenario) -> None:
    zone = brute.zone(s)
    if not zone:
        for solve in SOLVERS.values():
            with pytest.raises(ng.NoAgreementError):
                solve(s)
        return
    frontier = pareto_frontier(s)
    on_frontier = set(_brute_groups(s))
    for name, objective in _objectives(s).items():
        solution = SOLVERS[name](s, frontier=frontier)
        assert solution.name == name
        best = max(objective(o) for o in zone)
        assert objective(solution.outcome) == best
        assert _vector(solution.point) in on_frontier
        assert solution.outcome in zone
        # Ties: exactly the other frontier vectors reaching the optimum.
        optimal = {_utilities(s, o) for o in zone if objective(o) == best} & on_frontier
        reported = {_vector(solution.point)} | {_vector(t) for t in solution.ties}
        assert reported == optimal
        assert len(solution.ties) == len(optimal) - 1
        if name == "nash":
            assert solution.degenerate == (best[0] < len(s.parties))


def _rescaled(data: dict[str, Any], party: int, factor: Fraction) -> Scenario:
    """The scenario with one party's option values and reservation multiplied by factor."""

    def scale(x: float) -> float:
        value = _exact(x) * factor
        return float(Decimal(value.numerator) / Decimal(value.denominator))

    copy = {**data, "parties": [dict(p) for p in data["parties"]]}
    target = copy["parties"][party]
    target["reservation"] = scale(target["reservation"])
    target["preferences"] = {
        issue: {**pref, "values": {o: scale(v) for o, v in pref["values"].items()}}
        for issue, pref in target["preferences"].items()
    }
    return ng.validate(copy)


def _groups(points: Sequence[Any]) -> set[frozenset[Outcome]]:
    return {frozenset(p.outcomes()) for p in points}


def _optimal_groups(solution: BargainingSolution) -> set[frozenset[Outcome]]:
    return _groups([solution.point, *solution.ties])


@given(
    scenario_dicts(min_parties=2, rankings=False),
    st.data(),
    st.sampled_from([Fraction(1, 2), Fraction(1, 4), Fraction(1, 5), Fraction(2, 5),
                     Fraction(4, 5)]),
)
def test_nash_and_kalai_smorodinsky_are_invariant_under_rescaling(
    data: dict[str, Any], draw: st.DataObject, factor: Fraction
) -> None:
    s = ng.validate(data)
    party = draw.draw(st.integers(0, len(s.parties) - 1))
    t = _rescaled(data, party, factor)
    frontier_s, frontier_t = pareto_frontier(s), pareto_frontier(t)
    # The frontier keeps the same outcomes; only one party's utilities scale.
    assert _groups(frontier_s) == _groups(frontier_t)
    for a, b in zip(frontier_s, frontier_t, strict=True):
        assert set(a.outcomes()) == set(b.outcomes())
        expected = dict(a.exact_utilities)
        expected[s.parties[party].id] *= factor
        assert b.exact_utilities == expected
    if frontier_s.is_empty:
        return
    nash_s, nash_t = nash_bargaining_solution(s), nash_bargaining_solution(t)
    assert nash_s.degenerate == nash_t.degenerate
    # Invariance holds unless no outcome lets every party that can gain somewhere gain
    # at once (then products over different sets of parties are compared; documented).
    reservations = [_exact(p.reservation) for p in s.parties]
    gaining = [[u > r for u, r in zip(_vector(point), reservations, strict=True)]
               for point in frontier_s]
    can_gain = [any(column) for column in zip(*gaining, strict=True)]
    if any(all(g or not c for g, c in zip(row, can_gain, strict=True)) for row in gaining):
        assert _optimal_groups(nash_s) == _optimal_groups(nash_t)
    ks_s, ks_t = kalai_smorodinsky_solution(s), kalai_smorodinsky_solution(t)
    assert _optimal_groups(ks_s) == _optimal_groups(ks_t)
    assert ks_s.value == ks_t.value
    # The leximin tie-break compares raw gains, so among tied points it may choose
    # differently; both choices are in the invariant set of maximisers.


@given(scenarios(min_parties=2, max_parties=3))
def test_results_are_deterministic_and_json_ready(s: Scenario) -> None:
    import json

    first, second = pareto_frontier(s), pareto_frontier(s)
    assert first == second
    assert json.loads(json.dumps(first.to_dict())) == first.to_dict()
    if first.is_empty:
        return
    for solve in SOLVERS.values():
        a, b = solve(s), solve(s, frontier=first)
        assert a == b
        assert json.loads(json.dumps(a.to_dict())) == a.to_dict()


def test_frontier_type_is_a_sequence() -> None:
    assert issubclass(Frontier, Sequence)
