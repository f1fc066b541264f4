"""Unit tests of the bargaining solutions (expected values derived by hand in the comments)."""

from __future__ import annotations

import json
import math
import pickle

import pytest

import negotiate as ng
from negotiate.analysis.bargaining import (
    BargainingSolution,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_bargaining_solution,
    utilitarian_solution,
)
from negotiate.analysis.pareto import pareto_frontier
from negotiate.errors import CountTooLargeError, InvalidArgumentError, NoAgreementError
from negotiate.model import Scenario
from tests.unit.test_pareto import CROSS, sale

ALL = (nash_bargaining_solution, kalai_smorodinsky_solution, egalitarian_solution,
       utilitarian_solution)


def one_issue(p_values: str, q_values: str, *, p_extra: str = "", q_extra: str = "") -> Scenario:
    """Parties P and Q on one issue a with options x, y, z."""
    return ng.loads(f"""
format: 1
id: one
issues: [{{id: a, options: [x, y, z]}}]
parties:
  - {{id: P, preferences: {{a: {{importance: 1, values: {{{p_values}}}}}}}{p_extra}}}
  - {{id: Q, preferences: {{a: {{importance: 1, values: {{{q_values}}}}}}}{q_extra}}}
""")


# Gains P (1, 0.6, 0.3) and Q (0.2, 0.5, 0.7) for x, y, z: all three are efficient.
P_VALUES, Q_VALUES = "x: 1.0, y: 0.6, z: 0.3", "x: 0.2, y: 0.5, z: 0.7"


class TestSale:
    """Seller reservation 1/2. Zone: low,slow (2/3, 1/2); mid,slow (1/3, 3/4);
    high,slow (0, 1); high,fast (1/3, 1/2). Gains (seller minus 1/2): (2/3, 0),
    (1/3, 1/4), (0, 1/2), (1/3, 0). Ideal: buyer 2/3, seller 1."""

    def test_nash(self) -> None:
        solution = nash_bargaining_solution(sale(0.5))
        assert solution.outcome == {"price": "mid", "speed": "slow"}
        assert solution.value == 1 / 12  # (1/3) * (1/4), the only positive product
        assert not solution.degenerate and solution.ties == ()

    def test_kalai_smorodinsky(self) -> None:
        # Ratios mid,slow: (1/3)/(2/3) = 1/2 and (1/4)/(1/2) = 1/2; elsewhere a ratio is 0.
        solution = kalai_smorodinsky_solution(sale(0.5))
        assert solution.outcome == {"price": "mid", "speed": "slow"}
        assert solution.value == 0.5

    def test_egalitarian(self) -> None:
        solution = egalitarian_solution(sale(0.5))
        assert solution.outcome == {"price": "mid", "speed": "slow"}
        assert solution.value == 0.25

    def test_utilitarian(self) -> None:
        # Sums: low,slow 7/6; mid,slow 13/12; high,slow 1; high,fast 5/6.
        solution = utilitarian_solution(sale(0.5))
        assert solution.outcome == {"price": "low", "speed": "slow"}
        assert solution.value == 7 / 6
        assert dict(solution.utilities) == {"buyer": 2 / 3, "seller": 0.5}


class TestNash:
    def test_plain(self) -> None:
        # Products x 0.2, y 0.3, z 0.21.
        solution = nash_bargaining_solution(one_issue(P_VALUES, Q_VALUES))
        assert solution.outcome == {"a": "y"}
        assert solution.value == pytest.approx(0.3)

    @pytest.mark.parametrize(
        "p_power, q_power, expected",
        [
            (1, 3, "z"),      # x 0.008, y 0.075, z 0.3 * 0.343 = 0.1029
            (3, 1, "x"),      # x 0.2, y 0.108, z 0.0189
            (0.5, 1.5, "z"),  # the same ordering as (1, 3)
            (2, 2, "y"),      # equal powers: plain Nash
        ],
    )
    def test_power_weighted(self, p_power: float, q_power: float, expected: str) -> None:
        s = one_issue(P_VALUES, Q_VALUES, p_extra=f", power: {p_power}",
                      q_extra=f", power: {q_power}")
        solution = nash_bargaining_solution(s)
        assert solution.outcome == {"a": expected}
        gains = [solution.utilities["P"], solution.utilities["Q"]]
        assert solution.value == pytest.approx(gains[0] ** p_power * gains[1] ** q_power)

    def test_powers_compared_by_logarithms(self) -> None:
        # 1 and 1.0000001 reduce to exponents of ten million: compared by sums of logs.
        # x: 0.2 ** 1.0000001, y: 0.3 * 0.5 ** 1e-7 ..., the plain-Nash order stays.
        s = one_issue(P_VALUES, Q_VALUES, q_extra=", power: 1.0000001")
        solution = nash_bargaining_solution(s)
        assert solution.outcome == {"a": "y"}
        assert solution.value == pytest.approx(0.6 * 0.5**1.0000001, rel=1e-12)

    def test_degenerate_when_a_party_cannot_gain(self) -> None:
        # M has no preferences: its gain is 0 everywhere. Among P and Q, plain Nash: y.
        s = ng.loads(f"""
format: 1
id: t
issues: [{{id: a, options: [x, y, z]}}]
parties:
  - {{id: P, preferences: {{a: {{importance: 1, values: {{{P_VALUES}}}}}}}}}
  - {{id: Q, preferences: {{a: {{importance: 1, values: {{{Q_VALUES}}}}}}}}}
  - {{id: M}}
""")
        solution = nash_bargaining_solution(s)
        assert solution.degenerate
        assert solution.outcome == {"a": "y"}
        assert solution.value == pytest.approx(0.3)
        assert "degenerate" in str(solution)

    def test_degenerate_prefers_more_parties_gaining(self) -> None:
        # Q's reservation 0.5: x leaves the zone; y gives Q gain 0 (product 0), z gives
        # P 0.3 and Q 0.2 (product 0.06): z, not degenerate.
        s = one_issue(P_VALUES, Q_VALUES, q_extra=", reservation: 0.5")
        solution = nash_bargaining_solution(s)
        assert solution.outcome == {"a": "z"} and not solution.degenerate
        # With Q needing 0.7, only z is in the zone and Q gains nothing there.
        s = one_issue(P_VALUES, Q_VALUES, q_extra=", reservation: 0.7")
        solution = nash_bargaining_solution(s)
        assert solution.outcome == {"a": "z"} and solution.degenerate
        assert solution.value == pytest.approx(0.3)  # the product over P alone


    def test_degenerate_when_no_outcome_lets_all_gain(self) -> None:
        # Every party can gain somewhere, but x leaves Q at 0 and y leaves P at 0.
        # Fallback: most parties gaining (2 each), then their product: 1 * 0.5 both; leximin
        # of gains (0, 0.5, 1) both; frontier order: x (P's utility 1 first).
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties:
  - {id: P, preferences: {a: {importance: 1, values: {x: 1.0}}}}
  - {id: Q, preferences: {a: {importance: 1, values: {y: 1.0}}}}
  - {id: R, preferences: {a: {importance: 1, values: {x: 0.5, y: 0.5}}}}
""")
        solution = nash_bargaining_solution(s)
        assert solution.degenerate and solution.value == 0.5
        assert solution.outcome == {"a": "x"}
        assert [str(t.outcome) for t in solution.ties] == ["a=y"]


    def test_nobody_can_gain(self) -> None:
        # P gets 0.5 everywhere and needs 0.5: one point (x and y tie), no gain anywhere.
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties: [{id: P, reservation: 0.5, preferences: {a: {importance: 1, values: {x: 0.5, y: 0.5}}}}]
""")
        solution = nash_bargaining_solution(s)
        assert solution.degenerate and solution.value == 0.0
        assert solution.outcome == {"a": "x"} and solution.point.count == 2


class TestKalaiSmorodinsky:
    def test_plain(self) -> None:
        # Ideal P 1, Q 0.7. Ratios: x (1, 2/7), y (0.6, 5/7), z (0.3, 1): min 0.6 at y.
        solution = kalai_smorodinsky_solution(one_issue(P_VALUES, Q_VALUES))
        assert solution.outcome == {"a": "y"} and solution.value == 0.6

    def test_party_at_its_ideal_counts_as_satisfied(self) -> None:
        # M gets 0.5 everywhere and needs 0.5: ideal == reservation, so its ratio is 1.
        # P and R as P and Q of test_plain: y, with min ratio 0.6 and no tie.
        s = ng.loads(f"""
format: 1
id: t
issues: [{{id: a, options: [x, y, z]}}]
parties:
  - {{id: P, preferences: {{a: {{importance: 1, values: {{{P_VALUES}}}}}}}}}
  - {{id: M, reservation: 0.5, preferences: {{a: {{importance: 1, values: {{x: 0.5, y: 0.5, z: 0.5}}}}}}}}
  - {{id: R, preferences: {{a: {{importance: 1, values: {{{Q_VALUES}}}}}}}}}
""")
        solution = kalai_smorodinsky_solution(s)
        assert solution.outcome == {"a": "y"}
        assert solution.value == 0.6 and solution.ties == ()


class TestTiesAndLeximin:
    def test_utilitarian_tie_broken_by_leximin(self) -> None:
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y, z]}]
parties:
  - {id: p, preferences: {a: {importance: 1, ranking: [x, y, z]}}}
  - {id: q, preferences: {a: {importance: 1, ranking: [z, y, x]}}}
""")
        # Every outcome sums to 1; leximin of gains: y (1/2, 1/2) beats x and z (0, 1).
        solution = utilitarian_solution(s)
        assert solution.outcome == {"a": "y"}
        assert [str(t.outcome) for t in solution.ties] == ["a=x", "a=z"]
        assert "2 other frontier point(s)" in str(solution)

    def test_egalitarian_leximin_over_frontier_order(self) -> None:
        # x (0.2, 0.8, 0.5) and y (0.2, 0.6, 0.7): both min 0.2; sorted gains (0.2, 0.5, 0.8)
        # and (0.2, 0.6, 0.7): leximin picks y, although x comes first on the frontier.
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties:
  - {id: P, preferences: {a: {importance: 1, values: {x: 0.2, y: 0.2}}}}
  - {id: Q, preferences: {a: {importance: 1, values: {x: 0.8, y: 0.6}}}}
  - {id: R, preferences: {a: {importance: 1, values: {x: 0.5, y: 0.7}}}}
""")
        assert [str(p.outcome) for p in pareto_frontier(s)] == ["a=x", "a=y"]
        solution = egalitarian_solution(s)
        assert solution.outcome == {"a": "y"}
        assert [str(t.outcome) for t in solution.ties] == ["a=x"]

    def test_grouped_outcomes_are_reported(self) -> None:
        solution = nash_bargaining_solution(ng.loads(CROSS))
        # (1/2, 1/2) reached by (x, u) and (y, v); the representative is (x, u).
        assert solution.outcome == {"a": "x", "b": "u"}
        assert solution.point.count == 2
        assert solution.to_dict()["count"] == 2
        assert "2 outcomes have exactly these utilities" in str(solution)


class TestScaleDependence:
    """Egalitarian and utilitarian compare utilities across parties, so rescaling one
    party's values (and reservation) can change them; Nash and K-S cannot."""

    def test_egalitarian_and_utilitarian_change(self) -> None:
        # P (x 0.8, y 0.4), Q (x 0.3, y 0.9): egalitarian y (0.4 > 0.3).
        # P scaled by 1/4: (0.2, 0.1): egalitarian x (0.2 > 0.1).
        before = one_issue("x: 0.8, y: 0.4", "x: 0.3, y: 0.9")
        after = one_issue("x: 0.2, y: 0.1", "x: 0.3, y: 0.9")
        assert egalitarian_solution(before).outcome == {"a": "y"}
        assert egalitarian_solution(after).outcome == {"a": "x"}
        for s in (before, after):  # Nash: 0.24 < 0.36, scaled 0.06 < 0.09
            assert nash_bargaining_solution(s).outcome == {"a": "y"}
        # P (x 1.0, y 0.4), Q (x 0.2, y 0.7): sums 1.2 > 1.1, so x; P scaled by 1/5:
        # (0.2, 0.08): sums 0.4 < 0.78, so y.
        before = one_issue("x: 1.0, y: 0.4", "x: 0.2, y: 0.7")
        after = one_issue("x: 0.2, y: 0.08", "x: 0.2, y: 0.7")
        assert utilitarian_solution(before).outcome == {"a": "x"}
        assert utilitarian_solution(after).outcome == {"a": "y"}
        for s in (before, after):
            assert kalai_smorodinsky_solution(s).outcome == nash_bargaining_solution(
                s).outcome == {"a": "y"}


class TestErrors:
    STUCK = """
format: 1
id: stuck
issues: [{id: a, options: [x, y]}]
parties:
  - {id: P, red_lines: [{id: p1, rule: "a == x"}]}
  - {id: Q, red_lines: [{id: q1, rule: "a == y"}]}
"""

    @pytest.mark.parametrize("solve", ALL)
    def test_empty_zone_raises_with_explanation(self, solve: object) -> None:
        s = ng.loads(self.STUCK)
        with pytest.raises(NoAgreementError, match="agreement zone is empty") as info:
            solve(s)  # type: ignore[operator]
        explanation = info.value.explanation
        assert explanation is not None
        assert [c.constraints for c in explanation.conflicts] == [("p1", "q1")]  # type: ignore[attr-defined]

    def test_empty_zone_with_a_given_frontier(self) -> None:
        s = ng.loads(self.STUCK)
        with pytest.raises(NoAgreementError):
            nash_bargaining_solution(s, frontier=pareto_frontier(s))

    def test_foreign_frontier(self) -> None:
        with pytest.raises(InvalidArgumentError, match="another scenario"):
            utilitarian_solution(sale(0.5), frontier=pareto_frontier(sale()))
        with pytest.raises(InvalidArgumentError, match="must be a Frontier"):
            utilitarian_solution(sale(), frontier="frontier")  # type: ignore[arg-type]

    def test_limits_are_passed_on(self) -> None:
        with pytest.raises(CountTooLargeError, match="max_points=1"):
            egalitarian_solution(sale(), max_points=1)
        with pytest.raises(InvalidArgumentError, match="time_limit="):
            egalitarian_solution(sale(), time_limit=-1)
        with pytest.raises(InvalidArgumentError, match="must be a Scenario"):
            egalitarian_solution(None)  # type: ignore[arg-type]


class TestResults:
    def test_to_dict_and_str(self) -> None:
        solution = nash_bargaining_solution(sale(0.5))
        data = solution.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert data == {
            "name": "nash",
            "outcome": {"price": "mid", "speed": "slow"},
            "utilities": {"buyer": 1 / 3, "seller": 0.75},
            "value": 1 / 12,
            "count": 1,
            "degenerate": False,
            "ties": [],
        }
        assert str(solution).splitlines()[0] == "Nash bargaining solution: price=mid, speed=slow"

    def test_frozen_and_reusing_the_frontier(self) -> None:
        s = sale(0.5)
        frontier = pareto_frontier(s)
        for solve in ALL:
            solution = solve(s, frontier=frontier)
            assert isinstance(solution, BargainingSolution)
            assert solution == solve(s)
            assert solution.point in frontier
            with pytest.raises(AttributeError):
                solution.value = 0.0  # type: ignore[misc]
        assert math.isclose(kalai_smorodinsky_solution(s).value, 0.5)

    def test_pickle_round_trip(self) -> None:
        solution = nash_bargaining_solution(ng.loads(CROSS))
        copy = pickle.loads(pickle.dumps(solution))
        assert copy == solution
        assert list(copy.point.outcomes()) == list(solution.point.outcomes())
        with pytest.raises(TypeError):
            copy.utilities["P"] = 1.0  # type: ignore[index, unused-ignore]
