"""Coherence constraints against brute force, in every engine.

Each scenario here has one to three coherence constraints (rules every outcome
obeys). The brute-force reference (tests/brute.py) walks only coherent outcomes,
so the existing brute-force properties of the zone, the agreement graph, the
frontier, deadlock analysis and near deals are rerun unchanged on these
scenarios; a few extra properties check that constraint ids never appear in a
conflict or relaxation and that proposal evaluation stays coherent.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis import near_deals
from negotiate.errors import ScenarioError
from tests import brute
from tests.properties import test_deadlock_properties as dp
from tests.properties import test_zone_properties as zp


def _issue_dicts(s: ng.Scenario) -> list[dict[str, Any]]:
    return [{"id": i.id, "options": list(i.option_ids), "ordered": i.ordered} for i in s.issues]


@st.composite
def constrained(draw: st.DrawFn, base: st.SearchStrategy[ng.Scenario]) -> ng.Scenario:
    """A scenario of ``base`` with 1-3 coherence constraints that admit some outcome."""
    s = draw(base)
    issues = _issue_dicts(s)
    rules = draw(st.lists(zp.rules(issues).filter(lambda r: r not in ("true", "false")),
                          min_size=1, max_size=3))
    data = s.model_dump(mode="json", exclude_none=True)
    data.pop("constraints", None)
    out = brute.with_constraints(data, rules)
    if not out.constraints:
        out = brute.with_constraints(data, rules[:1])
    return out


@given(s=constrained(zp.small_scenarios()))
@pytest.mark.parametrize("path", sorted(zp.PATHS))
def test_zone(path: str, s: ng.Scenario) -> None:
    zp.test_zone_agrees_with_brute_force.hypothesis.inner_test(path=path, s=s)  # type: ignore[attr-defined]


@given(s=constrained(zp.small_scenarios()))
def test_acceptable_outcomes(s: ng.Scenario) -> None:
    zp.test_acceptable_outcomes_agree_with_brute_force.hypothesis.inner_test(  # type: ignore[attr-defined]
        path="default", s=s)


@given(s=constrained(zp.small_scenarios()))
def test_agreement_graph(s: ng.Scenario) -> None:
    zp.test_agreement_graph_agrees_with_brute_force.hypothesis.inner_test(s=s)  # type: ignore[attr-defined]


@given(s=constrained(zp.small_scenarios()))
def test_frontier_and_solutions(s: ng.Scenario) -> None:
    expected = brute.pareto(s)
    frontier = ng.pareto_frontier(s)
    got = {tuple(p.exact_utilities.values()) for p in frontier}
    assert got == {u for _, u in expected}
    for point in frontier:
        assert brute.coherent(s, point.outcome)
    if not expected:
        with pytest.raises(ng.NoAgreementError):
            ng.nash_bargaining_solution(s)
        return
    solution = ng.nash_bargaining_solution(s)
    assert brute.coherent(s, solution.outcome)
    assert solution.outcome in brute.zone(s)


@dp.ENGINES
@given(s=constrained(dp.scenarios()))
def test_conflicts(engine: str, s: ng.Scenario) -> None:
    dp.test_conflicts_are_infeasible_minimal_and_complete.hypothesis.inner_test(  # type: ignore[attr-defined]
        engine=engine, s=s)


@dp.ALL_ENGINES
@given(s=constrained(dp.scenarios()), weighted=st.booleans())
def test_relaxations(engine: str, s: ng.Scenario, weighted: bool) -> None:
    dp.test_relaxations_are_exactly_the_minimum_ones.hypothesis.inner_test(  # type: ignore[attr-defined]
        engine=engine, s=s, weighted=weighted)
    ids = {k.id for k in s.constraints}
    with dp._engine(engine):
        x = ng.explain_deadlock(s, weighted=weighted, time_limit=None)
    for group in [*(c.constraints for c in x.conflicts), *(r.constraints for r in x.relaxations)]:
        assert not ids & set(group)
    for r in x.relaxations:
        assert brute.coherent(s, r.witness)


@dp.ENGINES
@given(s=constrained(dp.scenarios()), k=st.integers(1, 6))
def test_near_deals(engine: str, s: ng.Scenario, k: int) -> None:
    with dp._engine(engine):
        deals = near_deals(s, k, time_limit=None)
    coherent = list(brute.outcomes(s))
    assert len(deals) == min(k, len(coherent))
    for deal in deals:
        assert deal.outcome in coherent
        assert not {c.id for c in s.constraints} & set(deal.crossed)
    # the least violation among coherent outcomes comes first
    ids = brute.constraint_ids(s)
    least = min(sum(not brute.constraint_holds(s, c, o) for c in ids) for o in coherent)
    assert deals[0].violation == least


@given(s=constrained(zp.small_scenarios()), data=st.data())
def test_proposal_nearest_is_coherent(s: ng.Scenario, data: st.DataObject) -> None:
    terms = {i.id: data.draw(st.sampled_from(i.option_ids)) for i in s.issues
             if data.draw(st.booleans())}
    evaluation = ng.evaluate_proposal(s, terms)
    zone = brute.zone(s)
    assert (evaluation.nearest is None) == (not zone)
    if evaluation.nearest is not None:
        assert evaluation.nearest in zone
        kept = sum(evaluation.nearest[i] == o for i, o in terms.items())
        assert kept == max(sum(z[i] == o for i, o in terms.items()) for z in zone)


def test_linkage_graph_links_issues_through_constraints() -> None:
    s = ng.validate({
        "format": 1, "id": "t",
        "issues": [{"id": "a", "options": ["x", "y"]}, {"id": "b", "options": ["x", "y"]},
                   {"id": "c", "options": ["x", "y"]}],
        "parties": [{"id": "p", "red_lines": [{"id": "r", "rule": "a == x"}]}],
        "constraints": [{"id": "k", "rule": "a == x -> b == y"}],
    })
    G = ng.linkage_graph(s)
    assert G.edges["a", "b"]["constraints"] == ["k"] and G.edges["a", "b"]["red_lines"] == []
    assert G.nodes["b"]["constraints"] == ["k"]
    from negotiate.space import compile_scenario

    assert compile_scenario(s).components() == ((0, 1), (2,))
    assert [str(o) for o in ng.agreement_zone(s)] == ["a=x, b=y, c=x", "a=x, b=y, c=y"]


def test_incoherent_constraints_are_a_scenario_error() -> None:
    s = ng.validate({
        "format": 1, "id": "t",
        "issues": [{"id": "a", "options": ["x", "y"]}],
        "parties": [{"id": "p", "red_lines": [{"id": "r", "rule": "a == x"}]}],
        "constraints": [{"id": "k1", "rule": "a == x"}, {"id": "k2", "rule": "a == y"}],
    })
    assert ng.agreement_zone(s).is_empty
    with pytest.raises(ScenarioError, match="k1, k2 admit no outcome"):
        ng.explain_deadlock(s)
    with pytest.raises(ScenarioError, match="admit no outcome"):
        near_deals(s)


def _canonical_nearest(s: ng.Scenario, terms: dict[str, str]) -> ng.Outcome | None:
    """Brute force: among zone outcomes keeping the most terms, issue by issue the
    proposed option if possible, else the nearest on the scale (ordered) or the
    earliest listed."""
    zone = brute.zone(s)
    if not zone:
        return None
    most = max(sum(z[i] == o for i, o in terms.items()) for z in zone)
    best = [z for z in zone if sum(z[i] == o for i, o in terms.items()) == most]
    for issue in s.issues:
        options = list(issue.option_ids)
        proposed = terms.get(issue.id)
        if proposed is not None:
            k = options.index(proposed)
            order = (sorted(range(len(options)), key=lambda j: (abs(j - k), j))
                     if issue.ordered else [k] + [j for j in range(len(options)) if j != k])
            options = [issue.option_ids[j] for j in order]
        for option in options:
            narrowed = [z for z in best if z[issue.id] == option]
            if narrowed:
                best = narrowed
                break
    assert len(best) == 1
    return best[0]


@given(s=zp.small_scenarios(), data=st.data())
def test_nearest_is_the_canonical_one(s: ng.Scenario, data: st.DataObject) -> None:
    terms = {i.id: data.draw(st.sampled_from(i.option_ids)) for i in s.issues
             if data.draw(st.booleans())}
    assert ng.evaluate_proposal(s, terms).nearest == _canonical_nearest(s, terms)
