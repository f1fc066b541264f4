"""The two textbook examples: a zone, a frontier and four bargaining solutions, checked against
a brute-force enumeration of every outcome (``tests.brute``)."""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.model import Outcome, Scenario
from tests import brute

FOLDER = Path(__file__).resolve().parents[2] / "examples" / "textbook"

# file -> (zone size, number of frontier points), found by brute force and pinned.
EXPECTED = {
    "car-sale.yaml": (53, 11),
    "three-party-coalition.yaml": (12, 12),
}

SOLUTIONS = {
    "nash": ng.nash_bargaining_solution,
    "kalai_smorodinsky": ng.kalai_smorodinsky_solution,
    "egalitarian": ng.egalitarian_solution,
    "utilitarian": ng.utilitarian_solution,
}


@functools.cache
def load(name: str) -> Scenario:
    return ng.load(FOLDER / name)


@functools.cache
def brute_zone(name: str) -> tuple[Outcome, ...]:
    return tuple(brute.zone(load(name)))


@functools.cache
def brute_frontier(name: str) -> tuple[tuple[Outcome, tuple[Fraction, ...]], ...]:
    return tuple(brute.pareto(load(name)))


@pytest.fixture(params=sorted(EXPECTED))
def name(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def test_shipped_textbook_examples_are_the_expected_ones() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.yaml")) == sorted(EXPECTED)


def test_zone_is_not_empty_and_matches_brute_force(name: str) -> None:
    s = load(name)
    zone = ng.agreement_zone(s)
    expected = brute_zone(name)
    assert not zone.is_empty
    assert zone.count == len(expected) == EXPECTED[name][0]
    assert list(zone) == list(expected)  # both in lexicographic order
    assert zone.witness in expected


def test_frontier_matches_brute_force(name: str) -> None:
    s = load(name)
    frontier = ng.pareto_frontier(s)
    expected = brute_frontier(name)
    assert len(frontier) == EXPECTED[name][1]
    assert {tuple(point.exact_utilities.values()) for point in frontier} == {u for _, u in expected}
    outcomes = [o for point in frontier for o in point.outcomes()]
    assert sorted(map(str, outcomes)) == sorted(str(o) for o, _ in expected)
    assert sum(point.count for point in frontier) == len(expected)
    for point in frontier:
        for party, value in point.exact_utilities.items():
            assert value == brute.utility(s, party, point.outcome)


def _objective(s: Scenario, method: str, u: dict[str, float], ideal: dict[str, float]) -> float:
    gains = {p.id: u[p.id] - p.reservation for p in s.parties}
    if method == "nash":
        return math.prod(
            float(max(g, 0.0) ** p.power) for p, g in zip(s.parties, gains.values(), strict=True)
        )
    if method == "kalai_smorodinsky":
        return min(
            1.0 if ideal[p.id] == p.reservation else gains[p.id] / (ideal[p.id] - p.reservation)
            for p in s.parties
        )
    if method == "egalitarian":
        return min(gains.values())
    return sum(u.values())


@pytest.mark.parametrize("method", sorted(SOLUTIONS))
def test_bargaining_solutions_are_on_the_frontier_acceptable_and_optimal(
    name: str, method: str
) -> None:
    s = load(name)
    solution = SOLUTIONS[method](s)
    assert solution.name == method
    frontier_outcomes = {o for o, _ in brute_frontier(name)}
    assert solution.outcome in frontier_outcomes
    assert solution.point in ng.pareto_frontier(s)
    for party in s.parties:
        assert ng.is_acceptable(s, party.id, solution.outcome)
        assert brute.acceptable(s, party.id, solution.outcome)
        assert solution.utilities[party.id] == pytest.approx(
            float(brute.utility(s, party.id, solution.outcome))
        )
    # Optimal among all zone outcomes, by brute force.
    utilities = [
        {p.id: float(brute.utility(s, p.id, o)) for p in s.parties} for o in brute_zone(name)
    ]
    ideal = {p.id: max(u[p.id] for u in utilities) for p in s.parties}
    best = max(_objective(s, method, u, ideal) for u in utilities)
    chosen = _objective(s, method, dict(solution.utilities), ideal)
    assert chosen == pytest.approx(best, abs=1e-9)
    assert solution.value == pytest.approx(best, abs=1e-9)


def test_proposal_verdicts() -> None:
    verdicts = {
        ("car-sale.yaml", "sticker"): {"buyer": "rejects", "dealer": "accepts"},
        ("car-sale.yaml", "split-the-difference"): {"buyer": "accepts", "dealer": "accepts"},
        ("three-party-coalition.yaml", "liberal-draft"): {
            "greens": "rejects", "liberals": "accepts", "social": "rejects",
        },
        ("three-party-coalition.yaml", "mediator-package"): {
            "greens": "accepts", "liberals": "accepts", "social": "accepts",
        },
    }
    for (name, proposal), expected in verdicts.items():
        s = load(name)
        e = ng.evaluate_proposal(s, proposal)
        assert {v.party: v.verdict for v in e.parties} == expected
        outcome = Outcome(s.proposal(proposal).terms)  # complete proposals
        assert {p.id: brute.acceptable(s, p.id, outcome) for p in s.parties} == {
            p: v == "accepts" for p, v in expected.items()
        }
        # The nearest deal is in the zone and changes exactly the listed terms.
        assert e.nearest in brute_zone(name)
        assert {i for i, _, _ in e.changes} == {
            i for i, o in outcome.items() if e.nearest[i] != o
        }
