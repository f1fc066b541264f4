"""The domain model: outcomes, utilities, acceptability, lookups."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.analysis import crossed_red_lines
from negotiate.space import compile_scenario

TOY = ng.load(Path(__file__).parent.parent / "data" / "toy.yaml")


def test_outcome_is_an_immutable_hashable_mapping() -> None:
    o = ng.Outcome({"tariff": "low"}, quota="no")
    assert o == {"quota": "no", "tariff": "low"}
    assert hash(o) == hash(ng.Outcome(quota="no", tariff="low"))
    assert len({o, ng.Outcome(tariff="low", quota="no")}) == 1
    with pytest.raises(TypeError):
        o["tariff"] = "high"  # type: ignore[index]
    with pytest.raises(TypeError, match="option ids"):
        ng.Outcome({"tariff": 3})  # type: ignore[dict-item]


def test_utility_follows_the_definition() -> None:
    # A: tariff importance 2, values none 1.0 / low 0.6 / high 0; quota importance 1, ranking no > yes
    assert ng.utility(TOY, "A", {"tariff": "low", "quota": "no"}) == pytest.approx((2 * 0.6 + 1) / 3)
    assert ng.utility(TOY, "A", {"tariff": "high", "quota": "yes"}) == 0.0
    # B states only tariff: ranking high > low > none
    assert ng.utility(TOY, "B", {"tariff": "low", "quota": "yes"}) == 0.5


def test_acceptability_combines_red_lines_and_reservation() -> None:
    # A: reservation 0.3, red line tariff != high
    assert not ng.is_acceptable(TOY, "A", {"tariff": "high", "quota": "no"})
    assert crossed_red_lines(TOY, "A", {"tariff": "high", "quota": "no"}) == ["a-no-high"]
    # tariff low, quota yes: utility 1.2/3 = 0.4 >= 0.3
    assert ng.is_acceptable(TOY, "A", {"tariff": "low", "quota": "yes"})
    # B: quota == yes or tariff >= low
    assert not ng.is_acceptable(TOY, "B", {"tariff": "none", "quota": "no"})
    assert ng.is_acceptable(TOY, "B", {"tariff": "none", "quota": "yes"})


def test_reservation_comparison_is_exact_at_the_threshold() -> None:
    s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y, z, w]}]
parties: [{id: p, reservation: 0.3, preferences: {a: {importance: 1, values: {x: 0.3, y: 0.29999}}}}]
""")
    assert ng.is_acceptable(s, "p", {"a": "x"})
    assert not ng.is_acceptable(s, "p", {"a": "y"})


def test_compiled_utilities_are_exact_fractions() -> None:
    c = compile_scenario(TOY)
    indices = c.indices({"tariff": "low", "quota": "no"})
    assert c.exact_utility(0, c.int_utility(0, indices)) == Fraction(11, 15)


def test_unknown_party_and_bad_outcomes() -> None:
    with pytest.raises(ng.ScenarioError, match="did you mean 'A'"):
        ng.utility(TOY, "a", {"tariff": "low", "quota": "no"})
    with pytest.raises(ng.ScenarioError, match="missing issue"):
        ng.utility(TOY, "A", {"tariff": "low"})
    with pytest.raises(ng.ScenarioError, match="did you mean 'low'"):
        ng.is_acceptable(TOY, "A", {"tariff": "lo", "quota": "no"})
    with pytest.raises(ng.ScenarioError, match="unknown issue"):
        ng.is_acceptable(TOY, "A", {"tariff": "low", "quota": "no", "x": "y"})


def test_lookups() -> None:
    assert TOY.issue("tariff").ordered
    party, red_line = TOY.red_line("b-quota-or-tariff")
    assert party.id == "B" and red_line.stance == "inferred"
    with pytest.raises(ng.ScenarioError, match=r"unknown proposal 'p2' \(known: p1\)"):
        TOY.proposal("p2")
    assert TOY.outcome_count == 6


def test_models_are_frozen() -> None:
    with pytest.raises(Exception, match="frozen"):
        TOY.parties[0].reservation = 0.9  # type: ignore[misc]


def test_compile_cache_is_not_reused_by_copies() -> None:
    c = compile_scenario(TOY)
    changed = TOY.model_copy(update={"id": "other"})
    assert compile_scenario(changed) is not c
    assert compile_scenario(TOY) is c


@pytest.mark.parametrize(
    "fn", [ng.agreement_zone, ng.linkage_graph, ng.agreement_graph, ng.explain_deadlock]
)
def test_engines_refuse_what_is_not_a_scenario(fn: object) -> None:
    with pytest.raises(ng.InvalidArgumentError, match="must be a Scenario"):
        fn({"format": 1})  # type: ignore[operator]
