"""Unit tests of explain_deadlock and near_deals on small hand-checked scenarios."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import patch

import pytest

import negotiate as ng
from negotiate.analysis import crossed_red_lines, deadlock_search
from negotiate.analysis.deadlock import (
    DeadlockExplanation,
    explain_deadlock,
    near_deals,
)

TOY = """
format: 1
id: toy
issues: [{id: tariff, options: [none, low, high], ordered: true}]
parties:
  - {id: A, name: Alpha, red_lines: [{id: a1, rule: "tariff == none"}]}
  - {id: B, name: Beta, red_lines: [{id: b1, rule: "tariff >= low"}]}
"""

# Two clashes on separate issues: x (a1 vs b1) and y (c1 vs d1); z is free.
TWO_CLASHES = """
format: 1
id: two
issues:
  - {id: x, options: [x0, x1, x2]}
  - {id: y, options: [y0, y1]}
  - {id: z, options: [z0, z1]}
parties:
  - id: A
    red_lines:
      - {id: a1, rule: "x == x0", cost: 2}
      - {id: c1, rule: "y == y0"}
  - id: B
    red_lines:
      - {id: b1, rule: "x in {x1, x2}", cost: 0.5}
      - {id: d1, rule: "y == y1"}
"""

# Reservations alone clash: each side needs its end of the price scale.
PRICE = """
format: 1
id: price
issues: [{id: price, options: [low, mid, high], ordered: true}]
parties:
  - {id: buyer, reservation: 0.6, preferences: {price: {importance: 1, ranking: [low, mid, high]}}}
  - {id: seller, reservation: 0.6, preferences: {price: {importance: 1, ranking: [high, mid, low]}}}
"""


def _cp_only() -> Any:
    return patch.object(deadlock_search, "TABLE_LIMIT", 0)


class TestExplainDeadlock:
    def test_toy_conflict_and_relaxations(self) -> None:
        x = explain_deadlock(ng.loads(TOY))
        assert x.is_deadlocked is True and x.witness is None
        assert [c.constraints for c in x.conflicts] == [("a1", "b1")]
        assert x.conflicts[0].parties == ("A", "B")
        assert x.conflicts[0].issues == ("tariff",)
        assert x.conflicts_complete and x.relaxations_complete
        # dropping a1 leaves tariff in {low, high}; dropping b1 leaves tariff == none
        got = {r.constraints: (r.zone_size, r.witness) for r in x.relaxations}
        assert got[("a1",)][0] == 2 and got[("a1",)][1]["tariff"] in ("low", "high")
        assert got[("b1",)] == (1, ng.Outcome({"tariff": "none"}))
        assert [r.cost for r in x.relaxations] == [1.0, 1.0]

    def test_plain_words(self) -> None:
        text = str(explain_deadlock(ng.loads(TOY)))
        assert text.startswith("No outcome is acceptable to all 2 parties.")
        assert ("Smallest clash: Alpha's red line a1 (inferred, no source cited; tariff == none) "
                "with Beta's red line b1 (inferred, no source cited; tariff >= low) on issue "
                "tariff.") in text
        assert "Dropping any one of a1 or b1" in text
        assert "Alpha: a1 clashes with Beta" in text

    def test_by_party(self) -> None:
        x = explain_deadlock(ng.loads(TOY))
        alpha, beta = x.by_party
        assert (alpha.party, alpha.name, alpha.in_conflicts, alpha.clashes_with) == (
            "A", "Alpha", ("a1",), ("B",)
        )
        assert beta.in_relaxations == ("b1",)

    def test_agreement_zone_is_not_an_error(self) -> None:
        s = ng.loads(TOY.replace('"tariff == none"', '"tariff != high"'))
        x = explain_deadlock(s)
        assert x.is_deadlocked is False
        assert x.conflicts == () and x.relaxations == ()
        assert x.witness == {"tariff": "low"}  # the only outcome both accept
        assert str(x) == "An outcome acceptable to all 2 parties exists, for example tariff=low."

    def test_independent_clashes_combine(self) -> None:
        x = explain_deadlock(ng.loads(TWO_CLASHES))
        assert [c.constraints for c in x.conflicts] == [("a1", "b1"), ("c1", "d1")]
        assert [r.constraints for r in x.relaxations] == [
            ("a1", "c1"), ("a1", "d1"), ("c1", "b1"), ("b1", "d1")
        ]
        sizes = {r.constraints: r.zone_size for r in x.relaxations}
        # x: 2 options left without a1, 1 without b1; y: 1 either way; z free (2)
        assert sizes == {("a1", "c1"): 4, ("a1", "d1"): 4, ("c1", "b1"): 2, ("b1", "d1"): 2}
        for r in x.relaxations:
            assert r.witness["z"] in ("z0", "z1")

    def test_weighted_relaxations_use_costs(self) -> None:
        x = explain_deadlock(ng.loads(TWO_CLASHES), weighted=True)
        # b1 costs 0.5 < a1's 2; c1 and d1 cost 1 each
        assert [r.constraints for r in x.relaxations] == [("c1", "b1"), ("b1", "d1")]
        assert [r.cost for r in x.relaxations] == [1.5, 1.5]
        assert "total cost 1.5" in str(x)

    def test_limits_cut_lists_and_say_so(self) -> None:
        x = explain_deadlock(ng.loads(TWO_CLASHES), limit=1)
        assert len(x.conflicts) == 1 and not x.conflicts_complete
        assert len(x.relaxations) == 1 and not x.relaxations_complete
        assert "may exist" in str(x)

    def test_reservations_clash_and_concession(self) -> None:
        x = explain_deadlock(ng.loads(PRICE))
        assert [c.constraints for c in x.conflicts] == [("buyer:reservation",
                                                         "seller:reservation")]
        assert x.conflicts[0].issues == ()
        # dropping one reservation leaves the other side's end of the scale
        assert {r.constraints: (r.witness["price"], r.zone_size) for r in x.relaxations} == {
            ("buyer:reservation",): ("high", 1),
            ("seller:reservation",): ("low", 1),
        }
        # at mid both get 0.5: every reservation must drop by 0.1
        assert x.concession == pytest.approx(0.1)
        assert x.concession_witness == {"price": "mid"}
        assert "drop by 0.1" in str(x)

    def test_constant_false_red_line(self) -> None:
        s = ng.loads(TOY.replace('"tariff == none"', '"false"'))
        x = explain_deadlock(s)
        assert [c.constraints for c in x.conflicts] == [("a1",)]
        assert "admits no outcome on its own" in str(x)
        assert [(r.constraints, r.zone_size) for r in x.relaxations] == [(("a1",), 2)]

    def test_one_party_against_itself(self) -> None:
        s = ng.loads("""
format: 1
id: self
issues: [{id: x, options: [a, b]}]
parties:
  - {id: A, red_lines: [{id: r1, rule: "x == a"}, {id: r2, rule: "x == b"}]}
  - {id: B}
""")
        x = explain_deadlock(s)
        assert [c.parties for c in x.conflicts] == [("A",)]
        assert x.by_party[0].clashes_with == ()
        assert "with its own constraints only" in str(x)

    def test_cp_engine_gives_the_same_answer(self) -> None:
        for text in (TOY, TWO_CLASHES, PRICE):
            s = ng.loads(text)
            table = explain_deadlock(s)
            with _cp_only():
                cp = explain_deadlock(s)
            assert cp.conflicts == table.conflicts
            assert [r.constraints for r in cp.relaxations] == [
                r.constraints for r in table.relaxations
            ]
            assert all(r.zone_size is None for r in cp.relaxations)

    def test_to_dict_is_json(self) -> None:
        x = explain_deadlock(ng.loads(TWO_CLASHES))
        data = json.loads(json.dumps(x.to_dict()))
        assert data["is_deadlocked"] is True
        assert data["conflicts"][0] == {
            "constraints": ["a1", "b1"], "parties": ["A", "B"], "issues": ["x"], "minimal": True
        }
        assert set(data["relaxations"][0]["witness"]) == {"x", "y", "z"}
        assert data["labels"]["a1"] == "A's red line a1 (inferred, no source cited; x == x0)"

    def test_deterministic(self) -> None:
        s = ng.loads(TWO_CLASHES)
        assert explain_deadlock(s) == explain_deadlock(s)
        assert str(explain_deadlock(s)) == str(explain_deadlock(s))

    def test_time_limit_runs_out(self) -> None:
        with _cp_only():
            x = explain_deadlock(ng.loads(TOY), time_limit=1e-9)
        assert x.is_deadlocked is None
        assert not x.conflicts_complete and not x.relaxations_complete
        assert "could not be decided" in str(x)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"limit": 0}, "limit=0"),
            ({"limit": 2.5}, "limit=2.5"),
            ({"time_limit": -1}, "time_limit=-1"),
            ({"time_limit": float("nan")}, "time_limit=nan"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        with pytest.raises(ng.InvalidArgumentError, match=message):
            explain_deadlock(ng.loads(TOY), **kwargs)  # type: ignore[arg-type]

    def test_not_a_scenario(self) -> None:
        with pytest.raises(ng.InvalidArgumentError, match="must be a Scenario"):
            explain_deadlock({"id": "x"})  # type: ignore[arg-type]

    def test_result_is_frozen(self) -> None:
        x = explain_deadlock(ng.loads(TOY))
        assert isinstance(x, DeadlockExplanation)
        with pytest.raises(AttributeError):
            x.is_deadlocked = False  # type: ignore[misc]


class TestNearDeals:
    def test_toy(self) -> None:
        deals = near_deals(ng.loads(TOY), 3)
        assert [d.violation for d in deals] == [1.0, 1.0, 1.0]
        assert {d.outcome["tariff"]: d.crossed for d in deals} == {
            "none": ("b1",), "low": ("a1",), "high": ("a1",)
        }
        assert deals[0].crossed_by_party == {"B": ("b1",)}

    def test_ties_go_to_higher_total_utility(self) -> None:
        # every outcome crosses one reservation; the sums of utilities are 1 at every price
        deals = near_deals(ng.loads(PRICE), 3)
        assert {deals[0].outcome["price"], deals[1].outcome["price"]} == {"low", "high"}
        assert {deals[0].crossed, deals[1].crossed} == {
            ("seller:reservation",), ("buyer:reservation",)
        }
        assert all(d.violation == 1.0 for d in deals[:2])
        mid = next(d for d in deals if d.outcome["price"] == "mid")
        assert mid.crossed == ("buyer:reservation", "seller:reservation")
        assert mid.violation == 2.0 and deals[-1] is mid
        assert mid.utilities == {"buyer": 0.5, "seller": 0.5}

    def test_zone_first(self) -> None:
        s = ng.loads(TOY.replace('"tariff == none"', '"tariff != high"'))
        deals = near_deals(s, 2)
        assert deals[0].outcome == {"tariff": "low"} and deals[0].crossed == ()
        assert "acceptable to every party" in str(deals[0])
        assert deals[1].violation == 1.0

    def test_weighted(self) -> None:
        deals = near_deals(ng.loads(TWO_CLASHES), 1, weighted=True)
        assert set(deals[0].crossed) == {"b1", "c1"} or set(deals[0].crossed) == {"b1", "d1"}
        assert deals[0].violation == 1.5

    def test_k_larger_than_space(self) -> None:
        assert len(near_deals(ng.loads(TOY), 10)) == 3

    def test_to_dict_is_json(self) -> None:
        data = json.loads(json.dumps([d.to_dict() for d in near_deals(ng.loads(PRICE), 2)]))
        assert set(data[0]["utilities"]) == {"buyer", "seller"}

    def test_bad_k(self) -> None:
        with pytest.raises(ng.InvalidArgumentError, match="k=0"):
            near_deals(ng.loads(TOY), 0)


class TestFlagship:
    """The shipped Ukraine scenario (16 issues, 4 parties, binding reservations)."""

    PATH = "examples/ukraine-2025/talks-2025-12-02.yaml"

    @pytest.fixture(scope="class")
    @classmethod
    def scenario(cls) -> ng.Scenario:
        from pathlib import Path

        return ng.load(Path(__file__).resolve().parents[2] / cls.PATH)

    def test_donetsk_clash_is_found(self, scenario: ng.Scenario) -> None:
        from negotiate.rules import evaluate

        x = explain_deadlock(scenario)
        assert x.is_deadlocked and x.conflicts_complete and x.relaxations_complete
        # derived independently: no donetsk option meets both rules, each alone is met
        _, ru = scenario.red_line("ru-donbas")
        _, ua = scenario.red_line("ua-no-withdrawal")
        order = {i.id: i.option_ids for i in scenario.issues}
        options = order["donetsk"]
        both = [o for o in options if evaluate(ru.rule, {"donetsk": o}, order)
                and evaluate(ua.rule, {"donetsk": o}, order)]
        assert both == []
        assert ("ru-donbas", "ua-no-withdrawal") in [c.constraints for c in x.conflicts]
        assert "Russia's red line ru-donbas" in str(x)

    def test_relaxation_witnesses_are_acceptable_once_relaxed(
        self, scenario: ng.Scenario
    ) -> None:
        from negotiate.analysis.relax import relax

        x = explain_deadlock(scenario)
        assert x.relaxations
        for r in x.relaxations:
            relaxed = relax(scenario, r.constraints)
            assert all(ng.is_acceptable(relaxed, p.id, r.witness) for p in relaxed.parties)
            # and the witness crosses exactly the dropped red lines in the original
            crossed = {c for p in scenario.parties
                       for c in crossed_red_lines(scenario, p.id, r.witness)}
            assert crossed <= set(r.constraints)


def test_concession_with_a_tiny_importance_and_a_utility_of_zero_everywhere() -> None:
    # Found by Hypothesis: importance 1e-300 makes the exact scale factor of the party
    # overflow CP-SAT's integers although its utility is 0 everywhere; the concession
    # then falls back to the 1e-9 grid instead of failing inside OR-Tools.
    s = ng.loads('''
format: 1
id: tiny
issues: [{id: i0, options: [o0, o1, o2]}, {id: i1, options: [o0, o1]}]
parties:
  - {id: P0, preferences: {i0: {importance: 1e-17, values: {o0: 1e-17, o1: 1e-17, o2: 1e-17}}}}
  - {id: P2, reservation: 0.5,
     preferences: {i1: {importance: 1e-300, values: {o0: 0.0, o1: 0.0}}}}
''')
    x = explain_deadlock(s, time_limit=None)
    assert x.is_deadlocked is True
    assert x.concession == pytest.approx(0.5)
