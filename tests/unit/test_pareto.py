"""Unit tests of the Pareto frontier (expected values derived by hand in the comments)."""

from __future__ import annotations

import itertools
import json
import math
import pickle
from fractions import Fraction

import numpy as np
import pytest

import negotiate as ng
from negotiate.analysis._dominance import _lex_desc, _pareto_mask
from negotiate.analysis.pareto import (
    Frontier,
    FrontierPoint,
    is_pareto_optimal,
    pareto_frontier,
)
from negotiate.errors import (
    CountTooLargeError,
    InvalidArgumentError,
    ScenarioError,
    SearchLimitError,
)
from negotiate.model import Outcome, Scenario
from tests import brute

# Two parties with opposite tastes on two issues: a and b are separate components, and
# the utility vector (1/2, 1/2) is reached by two different pairs of local choices.
CROSS = """
format: 1
id: cross
issues: [{id: a, options: [x, y]}, {id: b, options: [u, v]}]
parties:
  - {id: P, preferences: {a: {importance: 1, values: {x: 1.0}}, b: {importance: 1, values: {v: 1.0}}}}
  - {id: Q, preferences: {a: {importance: 1, values: {y: 1.0}}, b: {importance: 1, values: {u: 1.0}}}}
"""

# The sale scenario: buyer = (2 * price + speed) / 3, seller = (price + speed) / 2 with
# rankings. Utilities (buyer, seller): low,slow (2/3, 1/2); low,fast (1, 0);
# mid,slow (1/3, 3/4); mid,fast (2/3, 1/4); high,slow (0, 1); high,fast (1/3, 1/2).
SALE = """
format: 1
id: sale
issues:
  - {id: price, options: [low, mid, high], ordered: true}
  - {id: speed, options: [slow, fast]}
parties:
  - id: buyer
    preferences:
      price: {importance: 2, ranking: [low, mid, high]}
      speed: {importance: 1, ranking: [fast, slow]}
  - id: seller
    reservation: RES
    preferences:
      price: {importance: 1, ranking: [high, mid, low]}
      speed: {importance: 1, ranking: [slow, fast]}
"""


def sale(reservation: float = 0.0) -> Scenario:
    return ng.loads(SALE.replace("RES", str(reservation)))


def outcomes_of(frontier: Frontier) -> list[str]:
    return [str(p.outcome) for p in frontier]


class TestFrontier:
    def test_sale_without_reservation(self) -> None:
        f = pareto_frontier(sale())
        # mid,fast (2/3, 1/4) is dominated by low,slow; high,fast (1/3, 1/2) by mid,slow.
        assert outcomes_of(f) == [
            "price=low, speed=fast", "price=low, speed=slow",
            "price=mid, speed=slow", "price=high, speed=slow",
        ]
        assert [p.exact_utilities for p in f] == [
            {"buyer": 1, "seller": 0},
            {"buyer": Fraction(2, 3), "seller": Fraction(1, 2)},
            {"buyer": Fraction(1, 3), "seller": Fraction(3, 4)},
            {"buyer": 0, "seller": 1},
        ]
        assert f.parties == ("buyer", "seller")
        assert f.scenario == "sale"

    def test_reservation_cuts_the_frontier(self) -> None:
        # seller needs 1/2: low,fast (seller 0) leaves the zone; nothing new becomes efficient.
        f = pareto_frontier(sale(0.5))
        assert outcomes_of(f) == [
            "price=low, speed=slow", "price=mid, speed=slow", "price=high, speed=slow",
        ]
        # 0.76 leaves only high,slow (seller 1): high,fast is gone with seller 1/2.
        assert outcomes_of(pareto_frontier(sale(0.76))) == ["price=high, speed=slow"]

    def test_ties_over_several_decompositions(self) -> None:
        f = pareto_frontier(ng.loads(CROSS))
        assert [p.count for p in f] == [1, 2, 1]
        middle = f[1]
        assert dict(middle.utilities) == {"P": 0.5, "Q": 0.5}
        # Representative: smallest option indices, (x, u) = (0, 0) before (y, v) = (1, 1).
        assert middle.outcome == {"a": "x", "b": "u"}
        assert list(middle.outcomes()) == [
            Outcome({"a": "x", "b": "u"}), Outcome({"a": "y", "b": "v"}),
        ]
        assert f.outcome_count == 4

    def test_representative_is_smallest_among_interleaved_components(self) -> None:
        # A red line links a and c (b stays alone); every outcome ties (nobody cares).
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}, {id: b, options: [u, v]}, {id: c, options: [m, n]}]
parties: [{id: P, red_lines: [{id: r, rule: "a == y or c == n"}]}]
""")
        [point] = pareto_frontier(s)
        # Feasible (a, c): (x, n), (y, m), (y, n); with b free: 6 outcomes.
        assert point.count == 6
        assert point.outcome == {"a": "x", "b": "u", "c": "n"}
        listed = list(point.outcomes())
        assert len(set(listed)) == 6 and listed[0] == point.outcome
        assert set(listed) == set(brute.zone(s))

    def test_astronomically_many_ties_are_counted_not_listed(self) -> None:
        issues = ", ".join(f"{{id: z{j}, options: [p, q]}}" for j in range(80))
        s = ng.loads(f"""
format: 1
id: big
issues: [{{id: a, options: [x, y, w]}}, {issues}]
parties: [{{id: P, preferences: {{a: {{importance: 1, ranking: [y, x, w]}}}}}}]
""")
        [point] = pareto_frontier(s)
        assert point.count == 2**80
        assert point.outcome["a"] == "y"
        first = list(itertools.islice(point.outcomes(), 3))
        assert first[0] == point.outcome
        assert [o["z79"] for o in first] == ["p", "q", "p"]
        assert json.loads(json.dumps(pareto_frontier(s).to_dict()))["outcome_count"] == 2**80

    def test_empty_zone_gives_an_empty_frontier(self) -> None:
        s = ng.loads("""
format: 1
id: stuck
issues: [{id: a, options: [x, y]}]
parties:
  - {id: P, red_lines: [{id: p1, rule: "a == x"}]}
  - {id: Q, red_lines: [{id: q1, rule: "a == y"}]}
""")
        f = pareto_frontier(s)
        assert f.is_empty and len(f) == 0 and list(f) == []
        assert f.to_dict() == {"scenario": "stuck", "parties": ["P", "Q"],
                               "outcome_count": 0, "points": []}
        assert "empty" in str(f)

    def test_reservation_no_outcome_reaches(self) -> None:
        assert pareto_frontier(sale(0.9).model_copy()).is_empty is False  # high,slow: 1
        s = ng.loads(SALE.replace("RES", "0.5").replace("id: buyer", "id: buyer\n    "
                                                         "reservation: 0.7"))
        # buyer >= 0.7 needs low,fast (seller 0): no zone.
        assert pareto_frontier(s).is_empty

    def test_party_without_preferences(self) -> None:
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y, z]}]
parties:
  - {id: P, preferences: {a: {importance: 1, ranking: [z, y, x]}}}
  - {id: M}
""")
        [point] = pareto_frontier(s)
        assert point.outcome == {"a": "z"}
        assert dict(point.utilities) == {"P": 1.0, "M": 0.0}

    def test_str_and_to_dict(self) -> None:
        f = pareto_frontier(sale())
        text = str(f)
        assert text.splitlines()[0] == "Pareto frontier of sale: 4 points (4 outcomes)"
        assert "0.6667 0.5000" in text and "price=low, speed=slow" in text
        data = f.to_dict()
        assert json.loads(json.dumps(data)) == data
        assert data["points"][1] == {
            "outcome": {"price": "low", "speed": "slow"},
            "utilities": {"buyer": 2 / 3, "seller": 0.5},
            "count": 1,
        }
        assert str(f[1]) == "price=low, speed=slow -> buyer=0.6667, seller=0.5"

    def test_long_frontiers_are_cut_in_str(self) -> None:
        options = ", ".join(f"o{k}" for k in range(30))
        s = ng.loads(f"""
format: 1
id: line
issues: [{{id: a, options: [{options}]}}]
parties:
  - {{id: P, preferences: {{a: {{importance: 1, ranking: [{options}]}}}}}}
  - {{id: Q, preferences: {{a: {{importance: 1, ranking: [{", ".join(reversed(options.split(", ")))}]}}}}}}
""")
        f = pareto_frontier(s)
        assert len(f) == 30
        assert str(f).splitlines()[-1] == "... and 10 more points"

    def test_sequence_behaviour(self) -> None:
        f = pareto_frontier(sale())
        assert isinstance(f[0], FrontierPoint)
        assert f[-1] == f.points[3]
        assert f[1:3] == f.points[1:3]
        assert list(f) == list(f.points)
        assert f.index(f[2]) == 2 and f[2] in f
        assert len({f, pareto_frontier(sale())}) == 1  # hashable, equal when recomputed

    def test_pickle_round_trip(self) -> None:
        f = pareto_frontier(ng.loads(CROSS))
        copy = pickle.loads(pickle.dumps(f))
        assert copy == f
        assert list(copy[1].outcomes()) == list(f[1].outcomes())

    def test_utilities_are_read_only(self) -> None:
        point = pareto_frontier(sale())[0]
        with pytest.raises(TypeError):
            point.utilities["buyer"] = 0.0  # type: ignore[index]


class TestLimitsAndErrors:
    @pytest.mark.parametrize("bad", [0, -3, 1.5, True, "10"])
    def test_max_points_must_be_a_positive_int(self, bad: object) -> None:
        with pytest.raises(InvalidArgumentError, match="max_points="):
            pareto_frontier(sale(), max_points=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [0, -1.0, math.nan, math.inf, True, "5"])
    def test_time_limit_must_be_positive(self, bad: object) -> None:
        with pytest.raises(InvalidArgumentError, match="time_limit="):
            pareto_frontier(sale(), time_limit=bad)  # type: ignore[arg-type]

    def test_not_a_scenario(self) -> None:
        with pytest.raises(InvalidArgumentError, match="must be a Scenario"):
            pareto_frontier({"format": 1})  # type: ignore[arg-type]

    def test_max_points_exceeded(self) -> None:
        with pytest.raises(CountTooLargeError, match="max_points=2"):
            pareto_frontier(sale(), max_points=2)
        assert len(pareto_frontier(sale(), max_points=4)) == 4

    def test_time_limit_exceeded(self) -> None:
        with pytest.raises(SearchLimitError, match="time limit of 1e-09 s"):
            pareto_frontier(sale(), time_limit=1e-9)

    def test_large_component_with_biting_red_lines(self) -> None:
        # 12 issues of 4 options chained by red lines "no two neighbours both differ from a":
        # one component of 4**12 = 16.8 million outcomes, few of them feasible. Nobody has
        # preferences, so the frontier is one point holding every feasible outcome.
        n = 12
        issues = ", ".join(f"{{id: i{j}, options: [a, b, c, d]}}" for j in range(n))
        rules = ", ".join(f'{{id: r{j}, rule: "i{j} == a or i{j + 1} == a"}}' for j in range(n - 1))
        s = ng.loads(f"format: 1\nid: chain\nissues: [{issues}]\n"
                     f"parties: [{{id: P, red_lines: [{rules}]}}]")
        # Count by hand: ends[x] = sequences so far ending in a / not a.
        ending_a, ending_other = 1, 3
        for _ in range(n - 1):
            ending_a, ending_other = ending_a + ending_other, ending_a * 3
        [point] = pareto_frontier(s)
        assert point.count == ending_a + ending_other
        assert point.outcome == {f"i{j}": "a" for j in range(n)}

    def test_component_too_large_to_enumerate(self) -> None:
        names = [f"i{j}" for j in range(11)]
        issues = ", ".join(f"{{id: {n}, options: [a, b, c, d]}}" for n in names)
        rule = " or ".join(f"{n} == a" for n in names)
        s = ng.loads(f"""
format: 1
id: linked
issues: [{issues}]
parties: [{{id: P, red_lines: [{{id: r, rule: "{rule}"}}]}}]
""")
        with pytest.raises(CountTooLargeError, match=r"i0, i1, .*, i10 are tied together"):
            pareto_frontier(s)


class TestIsParetoOptimal:
    def test_sale(self) -> None:
        s = sale(0.5)
        assert is_pareto_optimal(s, {"price": "mid", "speed": "slow"})
        # dominated by mid,slow
        assert not is_pareto_optimal(s, {"price": "high", "speed": "fast"})
        # efficient without the reservation, but outside the zone with it
        assert not is_pareto_optimal(s, {"price": "low", "speed": "fast"})
        assert is_pareto_optimal(sale(), {"price": "low", "speed": "fast"})

    def test_tied_outcomes_are_all_optimal(self) -> None:
        s = ng.loads(CROSS)
        f = pareto_frontier(s)
        assert all(is_pareto_optimal(s, o, frontier=f) for o in brute.zone(s))

    def test_same_utilities_but_a_red_line_crossed(self) -> None:
        # Nobody cares about b; Q refuses b == v. (x, v) has the utilities of (x, u).
        s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}, {id: b, options: [u, v]}]
parties:
  - {id: P, preferences: {a: {importance: 1, ranking: [x, y]}}}
  - {id: Q, red_lines: [{id: q, rule: "b != v"}]}
""")
        assert is_pareto_optimal(s, {"a": "x", "b": "u"})
        assert not is_pareto_optimal(s, {"a": "x", "b": "v"})

    def test_bad_outcome_and_foreign_frontier(self) -> None:
        with pytest.raises(ScenarioError, match="missing issue"):
            is_pareto_optimal(sale(), {"price": "low"})
        with pytest.raises(InvalidArgumentError, match="another scenario"):
            is_pareto_optimal(sale(), {"price": "low", "speed": "slow"},
                              frontier=pareto_frontier(ng.loads(CROSS)))
        with pytest.raises(InvalidArgumentError, match="must be a Frontier"):
            is_pareto_optimal(sale(), {"price": "low", "speed": "slow"},
                              frontier=[])  # type: ignore[arg-type]
        # An equal scenario loaded twice shares its frontier.
        assert is_pareto_optimal(sale(), {"price": "low", "speed": "slow"},
                                 frontier=pareto_frontier(sale()))


def _naive_undominated(v: np.ndarray) -> np.ndarray:
    ge = np.all(v[None, :, :] >= v[:, None, :], axis=2)  # ge[i, j]: row j >= row i
    np.fill_diagonal(ge, False)
    return np.asarray(~ge.any(axis=1), dtype=bool)


class TestParetoFilter:
    """The dominance filter on its own, on inputs larger than the scenario tests reach
    (the cheap first pass only runs above 1,000 candidates)."""

    @pytest.mark.parametrize("width", [1, 2, 3, 4, 5])
    @pytest.mark.parametrize("n, spread", [(1, 5), (7, 3), (300, 20), (2500, 60), (2500, 8)])
    def test_matches_naive(self, width: int, n: int, spread: int) -> None:
        rng = np.random.default_rng(width * 1000 + n + spread)
        raw = rng.integers(0, spread, size=(n, width)).astype(np.int64)
        if width > 1:  # points near a plane: large frontiers, like Minkowski sums
            raw[:, -1] = spread * 2 - raw[:, :-1].sum(axis=1) // max(1, width - 1) + raw[:, -1]
        unique = np.unique(raw, axis=0)
        unique = unique[_lex_desc(unique)]
        np.testing.assert_array_equal(_pareto_mask(unique), _naive_undominated(unique))

    def test_four_parties_against_numpy_brute_force(self) -> None:
        # 4 parties, 6 issues of 4 options (4,096 outcomes, all in the zone).
        values = [[0.1, 0.6, 0.3, 0.9], [0.8, 0.2, 0.5, 0.0], [0.4, 0.7, 1.0, 0.2],
                  [0.3, 0.3, 0.9, 0.6]]
        issues = ", ".join(f"{{id: i{j}, options: [a, b, c, d]}}" for j in range(6))
        parties = []
        for p in range(4):
            prefs = ", ".join(
                f"i{j}: {{importance: {1 + (p * 3 + j) % 5}, values: "
                f"{{a: {values[p][j % 4]}, b: {values[(p + 1) % 4][(j + 1) % 4]}, "
                f"c: {values[(p + 2) % 4][(j + 2) % 4]}, d: {values[(p + 3) % 4][(j + 3) % 4]}}}}}"
                for j in range(6)
            )
            parties.append(f"  - {{id: P{p}, preferences: {{{prefs}}}}}")
        s = ng.loads("format: 1\nid: many\nissues: [" + issues + "]\nparties:\n"
                     + "\n".join(parties))
        outcomes = list(brute.outcomes(s))
        exact = [[brute.utility(s, p.id, o) for p in s.parties] for o in outcomes]
        scale = [math.lcm(*(u[p].denominator for u in exact)) for p in range(4)]
        ints = np.array([[int(u[p] * scale[p]) for p in range(4)] for u in exact])
        unique = np.unique(ints, axis=0)
        expected = {tuple(int(x) for x in row) for row in unique[_naive_undominated(unique)]}
        f = pareto_frontier(s)
        got = {tuple(int(u * k) for u, k in zip(p.exact_utilities.values(), scale, strict=True))
               for p in f}
        assert got == expected
        assert len(f) == len(expected) > 20
