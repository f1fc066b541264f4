"""Deadlock explanations and near deals, cross-checked against the brute-force reference.

Each property runs twice: with the numpy tables (the default for small blocks) and
with every block forced through CP-SAT (``TABLE_LIMIT = 0``).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis import deadlock, deadlock_marco, deadlock_search
from negotiate.analysis.deadlock import explain_deadlock, near_deals
from tests import brute

OPTION_NAMES = ["o0", "o1", "o2", "o3"]
RESERVATIONS = [0.0, 0.0, 0.2, 0.4, 0.5, 0.6, 0.75, 0.9]
COSTS = [1.0, 1.0, 0.5, 2.0, 3.0]


@st.composite
def _rule(draw: st.DrawFn, issues: list[dict[str, Any]]) -> str:
    def atom(issue: dict[str, Any]) -> str:
        options = issue["options"]
        kind = draw(st.sampled_from(["==", "!=", "in", "not in", "cmp"]))
        if kind in ("in", "not in"):
            chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=len(options),
                                   unique=True))
            return f"{issue['id']} {kind} {{{', '.join(chosen)}}}"
        if kind == "cmp" and issue["ordered"]:
            op = draw(st.sampled_from(["<", "<=", ">", ">="]))
            return f"{issue['id']} {op} {draw(st.sampled_from(options))}"
        op = "==" if kind == "cmp" else kind
        return f"{issue['id']} {op} {draw(st.sampled_from(options))}"

    shape = draw(st.sampled_from(["one", "one", "or", "and", "implies", "nand", "const"]))
    if shape == "const":
        return draw(st.sampled_from(["false", "true"]))
    first = draw(st.sampled_from(issues))
    if shape == "one":
        return atom(first)
    second = draw(st.sampled_from(issues))
    a, b = atom(first), atom(second)
    return {"or": f"{a} or {b}", "and": f"{a} and {b}", "implies": f"{a} -> {b}",
            "nand": f"not ({a} and {b})"}[shape]


@st.composite
def scenarios(draw: st.DrawFn, max_parties: int = 4) -> ng.Scenario:
    """Small random scenarios: 1-4 issues of 2-4 options, 1-4 parties, red lines over
    1-2 issues (now and then a constant), reservations and costs."""
    n_issues = draw(st.integers(1, 4))
    issues: list[dict[str, Any]] = [
        {"id": f"i{n}", "options": OPTION_NAMES[: draw(st.integers(2, 4))],
         "ordered": draw(st.booleans())}
        for n in range(n_issues)
    ]
    parties = []
    red_line_count = 0
    for p in range(draw(st.integers(1, max_parties))):
        preferences = {}
        for issue in issues:
            importance = draw(st.sampled_from([0, 1, 1, 2, 3]))
            if importance == 0:
                continue
            if draw(st.booleans()):
                ranking = draw(st.permutations(issue["options"]))
                preferences[issue["id"]] = {"importance": importance, "ranking": list(ranking)}
            else:
                values = {o: draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])) for o in issue["options"]}
                preferences[issue["id"]] = {"importance": importance, "values": values}
        red_lines = []
        for _ in range(draw(st.integers(0, 3))):
            red_lines.append({"id": f"r{red_line_count}", "rule": draw(_rule(issues)),
                              "cost": draw(st.sampled_from(COSTS))})
            red_line_count += 1
        parties.append({
            "id": f"P{p}", "name": f"Party {p}", "preferences": preferences,
            "reservation": draw(st.sampled_from(RESERVATIONS)) if preferences else 0.0,
            "reservation_cost": draw(st.sampled_from(COSTS)),
            "red_lines": red_lines,
        })
    constraints = draw(st.lists(_rule(issues), max_size=2)) if draw(st.booleans()) else []
    return brute.with_constraints(
        {"format": 1, "id": "random", "issues": issues, "parties": parties}, constraints
    )


@contextmanager
def _engine(name: str) -> Iterator[None]:
    """``table``: the default; ``cpsat``: every block through CP-SAT; ``cpsat-opt``: the
    same, with relaxations found by optimisation instead of read off MARCO's map."""
    if name == "table":
        yield
        return

    def unexhausted(*args: Any, **kwargs: Any) -> deadlock_marco.MarcoResult:
        return dataclasses.replace(deadlock_marco.marco(*args, **kwargs), exhausted=False)

    with patch.object(deadlock_search, "TABLE_LIMIT", 0):
        if name == "cpsat-opt":
            with patch.object(deadlock, "marco", unexhausted):
                yield
        else:
            yield


ENGINES = pytest.mark.parametrize("engine", ["table", "cpsat"])
ALL_ENGINES = pytest.mark.parametrize("engine", ["table", "cpsat", "cpsat-opt"])


# -- brute-force helpers (independent of negotiate.space and the solver) --------------------------


def _cost(s: ng.Scenario, cid: str, weighted: bool) -> Fraction:
    if not weighted:
        return Fraction(1)
    if cid.endswith(":reservation"):
        return Fraction(str(s.party(cid.removesuffix(":reservation")).reservation_cost))
    return Fraction(str(s.red_line(cid)[1].cost))


def _violated(s: ng.Scenario) -> list[tuple[ng.Outcome, frozenset[str]]]:
    ids = brute.constraint_ids(s)
    return [
        (o, frozenset(c for c in ids if not brute.constraint_holds(s, c, o)))
        for o in brute.outcomes(s)
    ]


def _all_muses(s: ng.Scenario, table: list[tuple[ng.Outcome, frozenset[str]]]) -> set[frozenset[str]]:
    ids = brute.constraint_ids(s)
    satisfied = [frozenset(ids) - v for _, v in table]

    def feasible(subset: frozenset[str]) -> bool:
        return any(subset <= ok for ok in satisfied)

    muses: set[frozenset[str]] = set()
    for size in range(1, len(ids) + 1):
        for combo in itertools.combinations(ids, size):
            subset = frozenset(combo)
            if any(m <= subset for m in muses):
                continue
            if not feasible(subset):
                muses.add(subset)
    return muses


# -- properties ----------------------------------------------------------------------------------


@ENGINES
@given(s=scenarios())
def test_conflicts_are_infeasible_minimal_and_complete(engine: str, s: ng.Scenario) -> None:
    with _engine(engine):
        x = explain_deadlock(s, time_limit=None)
    table = _violated(s)
    zone = [o for o, v in table if not v]
    assert x.is_deadlocked == (not zone)
    if zone:
        assert x.witness in zone
        assert x.conflicts == () and x.relaxations == ()
        return
    assert x.conflicts, "a deadlock has at least one conflict"
    for conflict in x.conflicts:
        assert conflict.minimal
        assert not brute.feasible(s, conflict.constraints)
        for member in conflict.constraints:
            assert brute.feasible(s, [c for c in conflict.constraints if c != member])
    sizes = [len(c.constraints) for c in x.conflicts]
    assert sizes == sorted(sizes)
    if len(brute.constraint_ids(s)) <= 12:
        expected = _all_muses(s, table)
        found = {frozenset(c.constraints) for c in x.conflicts}
        assert found <= expected
        assert x.conflicts_complete == (len(expected) <= 20)
        if x.conflicts_complete:
            assert found == expected
        else:  # the listed ones are the smallest
            assert max(sizes) <= min(len(m) for m in expected - found)


@ALL_ENGINES
@given(s=scenarios(), weighted=st.booleans())
def test_relaxations_are_exactly_the_minimum_ones(
    engine: str, s: ng.Scenario, weighted: bool
) -> None:
    with _engine(engine):
        x = explain_deadlock(s, weighted=weighted, time_limit=None)
    table = _violated(s)
    if x.is_deadlocked is False:
        return
    least = min(sum((_cost(s, c, weighted) for c in v), Fraction(0)) for _, v in table)
    expected = {v for _, v in table if sum((_cost(s, c, weighted) for c in v), Fraction(0)) == least}
    assert x.relaxations_complete
    assert {frozenset(r.constraints) for r in x.relaxations} == expected
    for r in x.relaxations:
        assert r.minimum
        assert r.cost == pytest.approx(float(least))
        kept = [c for c in brute.constraint_ids(s) if c not in r.constraints]
        assert all(brute.constraint_holds(s, c, r.witness) for c in kept)
        opened = sum(1 for _, v in table if v <= frozenset(r.constraints))
        assert r.zone_size in (None, opened)
        if engine == "table":
            assert r.zone_size == opened
        else:
            assert r.zone_size is None


@ENGINES
@given(s=scenarios(), k=st.integers(1, 6), weighted=st.booleans())
def test_near_deals_are_the_fewest_violation_outcomes(
    engine: str, s: ng.Scenario, k: int, weighted: bool
) -> None:
    with _engine(engine):
        deals = near_deals(s, k, weighted=weighted, time_limit=None)
    table = _violated(s)

    def key(outcome: ng.Outcome, violated: frozenset[str]) -> tuple[Fraction, Fraction]:
        cost = sum((_cost(s, c, weighted) for c in violated), Fraction(0))
        return cost, -sum((brute.utility(s, p.id, outcome) for p in s.parties), Fraction(0))

    expected = sorted(key(o, v) for o, v in table)[:k]
    violated = dict(table)
    got = [key(d.outcome, violated[d.outcome]) for d in deals]
    assert got == expected
    assert len({d.outcome for d in deals}) == len(deals)
    for d in deals:
        assert set(d.crossed) == violated[d.outcome]
        assert d.violation == pytest.approx(float(key(d.outcome, violated[d.outcome])[0]))
        assert d.proven
        for p in s.parties:
            assert d.utilities[p.id] == pytest.approx(float(brute.utility(s, p.id, d.outcome)))
            assert d.crossed_by_party.get(p.id, ()) == tuple(
                c for c in d.crossed if c in {r.id for r in p.red_lines} | {p.reservation_id}
            )


@given(s=scenarios())
def test_concession_is_the_egalitarian_shortfall(s: ng.Scenario) -> None:
    x = explain_deadlock(s, time_limit=None)
    if not x.is_deadlocked:
        return
    red_line_ids = [r.id for p in s.parties for r in p.red_lines]
    feasible_by_red_lines = [
        o for o in brute.outcomes(s) if all(brute.red_line_holds(s, r, o) for r in red_line_ids)
    ]
    binding = [p for p in s.parties
               if any(brute.utility(s, p.id, o) < Fraction(str(p.reservation)) - brute.TOL
                      for o in brute.outcomes(s))]
    if not binding or not feasible_by_red_lines:
        assert x.concession is None
        return
    shortfall = min(
        max(Fraction(str(p.reservation)) - brute.utility(s, p.id, o) for p in binding)
        for o in feasible_by_red_lines
    )
    assert x.concession == pytest.approx(max(0.0, float(shortfall)), abs=1e-9)
    assert x.concession_witness in feasible_by_red_lines


@given(s=scenarios())
def test_by_party_view_matches_the_conflicts(s: ng.Scenario) -> None:
    x = explain_deadlock(s, time_limit=None)
    for view in x.by_party:
        party = s.party(view.party)
        own = {r.id for r in party.red_lines} | {party.reservation_id}
        listed = {c for conflict in x.conflicts for c in conflict.constraints if c in own}
        assert set(view.in_conflicts) == listed
        partners = {
            q for conflict in x.conflicts if set(conflict.constraints) & own
            for q in conflict.parties if q != party.id
        }
        assert set(view.clashes_with) == partners
    assert explain_deadlock(s, time_limit=None) == x  # deterministic


@ALL_ENGINES
@given(s=scenarios(), limit=st.integers(1, 3))
def test_limits_keep_the_smallest_and_say_when_cut(engine: str, s: ng.Scenario, limit: int) -> None:
    with _engine(engine):
        x = explain_deadlock(s, limit=limit, time_limit=None)
    if not x.is_deadlocked or len(brute.constraint_ids(s)) > 12:
        return
    table = _violated(s)
    expected = _all_muses(s, table)
    found = {frozenset(c.constraints) for c in x.conflicts}
    assert len(found) == min(limit, len(expected)) and found <= expected
    assert x.conflicts_complete == (len(expected) <= limit)
    smallest = sorted(len(m) for m in expected)[: len(found)]
    assert sorted(len(c.constraints) for c in x.conflicts) == smallest
    least = min(len(v) for _, v in table)
    minimum = {v for _, v in table if len(v) == least}
    relaxed = {frozenset(r.constraints) for r in x.relaxations}
    assert len(relaxed) == min(limit, len(minimum)) and relaxed <= minimum
    assert x.relaxations_complete == (len(minimum) <= limit)
