"""Unit tests of the agreement-zone engine (negotiate.analysis.zone)."""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any, ClassVar
from unittest import mock

import pytest

import negotiate as ng
from negotiate.analysis import zone_engine, zone_factor
from negotiate.analysis.zone import (
    AgreementZone,
    CountEstimate,
    acceptable_outcomes,
    agreement_zone,
)
from negotiate.errors import (
    CountTooLargeError,
    InvalidArgumentError,
    NoAgreementError,
    ScenarioError,
    SearchLimitError,
)
from negotiate.solver import Model, SolveResult
from tests import brute

TOY = """
format: 1
id: toy-trade
issues:
  - id: tariff
    ordered: true
    options: [{id: none}, {id: low}, {id: high}]
  - id: quota
    options: [{id: "yes"}, {id: "no"}]
parties:
  - id: A
    reservation: 0.3
    preferences:
      tariff: {importance: 2, values: {none: 1.0, low: 0.6, high: 0.0}}
      quota: {importance: 1, ranking: ["no", "yes"]}
    red_lines:
      - {id: a-no-high, rule: "tariff != high"}
  - id: B
    preferences:
      tariff: {importance: 1, ranking: [high, low, none]}
    red_lines:
      - {id: b-quota-or-tariff, rule: "quota == yes or tariff >= low"}
"""


def scenario(issues: list[dict[str, Any]], parties: list[dict[str, Any]]) -> ng.Scenario:
    return ng.validate({"format": 1, "id": "t", "issues": issues, "parties": parties})


def chain(n: int, k: int) -> ng.Scenario:
    """n issues of k options; red lines 'i{j} != o0 or i{j+1} != o0' for even j, and
    'i{j} != o1' for j divisible by 3 (so the count has a closed form)."""
    issues = [{"id": f"i{j}", "options": [f"o{m}" for m in range(k)]} for j in range(n)]
    red_lines = [{"id": f"pair{j}", "rule": f"i{j} != o0 or i{j + 1} != o0"}
                 for j in range(0, n - 1, 2)]
    red_lines += [{"id": f"single{j}", "rule": f"i{j} != o1"} for j in range(0, n, 3)]
    return scenario(issues, [{"id": "p", "red_lines": red_lines}])


def chain_count(n: int, k: int) -> int:
    """Closed form for `chain` (independent of the engine)."""
    total = 1
    for j in range(0, n, 2):
        pair = [j, j + 1] if j + 1 < n else [j]
        if len(pair) == 2:
            # pairs of options (a, b) minus (o0, o0), with o1 banned where j % 3 == 0
            a_opts = k - (1 if pair[0] % 3 == 0 else 0)
            b_opts = k - (1 if pair[1] % 3 == 0 else 0)
            total *= a_opts * b_opts - 1
        else:
            total *= k - (1 if pair[0] % 3 == 0 else 0)
    return total


class TestToyScenario:
    """The DESIGN.md example, worked out by hand.

    A: utility = (2*v_tariff + v_quota)/3 with v(none,low,high) = (1, .6, 0) and
    v(no, yes) = (1, 0); reservation 0.3; never tariff=high.
    B: never (quota=no and tariff=none).
    Outcomes: none/yes 2/3 ok; none/no crosses B; low/yes 0.4 ok; low/no 0.733 ok;
    high/* crosses A. So the zone is none/yes, low/yes, low/no.
    """

    expected: ClassVar[list[dict[str, str]]] = [
        {"tariff": "none", "quota": "yes"},
        {"tariff": "low", "quota": "yes"},
        {"tariff": "low", "quota": "no"},
    ]

    def test_zone(self) -> None:
        z = agreement_zone(ng.loads(TOY))
        assert not z.is_empty
        assert z.count == 3
        assert list(z) == self.expected
        assert z.witness == self.expected[0]

    def test_party_views(self) -> None:
        s = ng.loads(TOY)
        a = acceptable_outcomes(s, "A")
        assert list(a) == [
            {"tariff": "none", "quota": "yes"},
            {"tariff": "none", "quota": "no"},
            {"tariff": "low", "quota": "yes"},
            {"tariff": "low", "quota": "no"},
        ]
        b = acceptable_outcomes(s, "B")
        assert b.count == 5 and {"tariff": "none", "quota": "no"} not in b
        assert a.binding_parties == ("A",) and b.binding_parties == ()

    def test_membership(self) -> None:
        z = agreement_zone(ng.loads(TOY))
        assert {"tariff": "low", "quota": "no"} in z
        assert ng.Outcome(tariff="high", quota="yes") not in z
        assert "tariff=low" not in z  # not a mapping
        with pytest.raises(ScenarioError, match="unknown option"):
            _ = {"tariff": "medium", "quota": "no"} in z

    def test_str_and_to_dict(self) -> None:
        z = agreement_zone(ng.loads(TOY))
        text = str(z)
        assert "toy-trade" in text and "3 outcomes" in text and "tariff=none" in text
        data = z.to_dict()
        assert data == {
            "scenario": "toy-trade", "party": None, "is_empty": False,
            "witness": {"tariff": "none", "quota": "yes"}, "count": 3,
        }
        json.dumps(data)
        assert "acceptable to 'B'" in str(acceptable_outcomes(ng.loads(TOY), "B"))


class TestEmptyZones:
    def test_constant_false_red_line(self) -> None:
        s = scenario([{"id": "a", "options": ["x", "y"]}],
                     [{"id": "p", "red_lines": [{"id": "never", "rule": "false"}]}])
        z = agreement_zone(s)
        assert z.is_empty and z.count == 0 and z.witness is None and list(z) == []
        assert z.red_line_count == 0
        with pytest.raises(NoAgreementError, match="nothing to sample"):
            z.sample(3)
        assert "empty" in str(z)
        assert z.to_dict()["count"] == 0

    def test_clashing_red_lines(self) -> None:
        s = scenario(
            [{"id": "a", "options": ["x", "y"]}, {"id": "b", "options": ["x", "y"]}],
            [{"id": "p", "red_lines": [{"id": "r1", "rule": "a == x"}]},
             {"id": "q", "red_lines": [{"id": "r2", "rule": "a == y or b == y"},
                                       {"id": "r3", "rule": "b == x"}]}],
        )
        z = agreement_zone(s)
        assert z.is_empty and z.count == 0
        assert acceptable_outcomes(s, "q").count == 1

    def test_reservations_empty_the_zone(self) -> None:
        # p wants a=x, q wants a=y, both insist on at least 0.6 of what they care about
        s = scenario(
            [{"id": "a", "options": ["x", "y"]}, {"id": "b", "options": ["u", "v", "w"]}],
            [{"id": "p", "reservation": 0.6,
              "preferences": {"a": {"importance": 3, "ranking": ["x", "y"]},
                              "b": {"importance": 1, "ranking": ["u", "v", "w"]}}},
             {"id": "q", "reservation": 0.6,
              "preferences": {"a": {"importance": 3, "ranking": ["y", "x"]},
                              "b": {"importance": 1, "ranking": ["u", "v", "w"]}}}],
        )
        assert brute.count(s) == 0
        for limit in (zone_engine._MATERIALISE_LIMIT, 0):  # listed block, then the solver
            with mock.patch.object(zone_engine, "_MATERIALISE_LIMIT", limit):
                z = agreement_zone(s)
                assert z.is_empty and z.witness is None and z.count == 0 and list(z) == []

    def test_party_without_preferences_but_a_reservation(self) -> None:
        s = scenario([{"id": "a", "options": ["x", "y"]}],
                     [{"id": "p", "reservation": 0.5}])
        assert agreement_zone(s).is_empty
        assert agreement_zone(s).count == 0


class TestLargeRedLineCounts:
    def test_forty_issues_exact(self) -> None:
        s = chain(40, 6)
        z = agreement_zone(s)
        assert z.count == chain_count(40, 6)
        assert z.red_line_count == z.count
        assert len(z.components) == 20  # one per pair of issues

    def test_counts_beyond_int64(self) -> None:
        s = chain(100, 6)
        count = agreement_zone(s).count
        assert count == chain_count(100, 6) and count > 2**63

    def test_big_component_counted_by_elimination(self) -> None:
        # one component over 30 issues (a path of red lines), 6^30 > 2^62 outcomes
        n, k = 30, 6
        issues = [{"id": f"i{j}", "options": [f"o{m}" for m in range(k)]} for j in range(n)]
        red_lines = [{"id": f"r{j}", "rule": f"i{j} != o0 or i{j + 1} != o0"}
                     for j in range(n - 1)]
        s = scenario(issues, [{"id": "p", "red_lines": red_lines}])
        # independent count: a path with no two adjacent o0 choices (transfer matrix)
        zero, other = 1, k - 1
        for _ in range(n - 1):
            zero, other = other, (zero + other) * (k - 1)
        z = agreement_zone(s)
        assert len(z.components) == 1
        assert z.count == zero + other
        first = z.witness
        assert first is not None and first == next(iter(z))
        assert all(o in z for o in z.sample(50, seed=2))

    def test_iteration_is_lazy_and_lexicographic(self) -> None:
        z = agreement_zone(chain(40, 6))
        first = [o for _, o in zip(range(4), z, strict=False)]
        # i38 = o0 first, so i39 != o0 (pair red line) and i39 != o1 (39 is a multiple of 3)
        assert [o["i39"] for o in first] == ["o2", "o3", "o4", "o5"]
        # i0 cannot be o1 (0 is a multiple of 3); with i0 = o0, i1 cannot be o0
        assert all(o["i0"] == "o0" and o["i1"] == "o1" and o["i38"] == "o0" for o in first)


class TestReservationCounts:
    def reserved(self, n: int, reservation: float) -> ng.Scenario:
        issues = [{"id": f"i{j}", "options": ["a", "b", "c"]} for j in range(n)]
        parties = [
            {"id": "p", "reservation": reservation,
             "preferences": {f"i{j}": {"importance": j + 1, "ranking": ["a", "b", "c"]}
                             for j in range(n)}},
            {"id": "q", "reservation": reservation,
             "preferences": {f"i{j}": {"importance": n - j, "ranking": ["c", "b", "a"]}
                             for j in range(n)},
             "red_lines": [{"id": "q1", "rule": "i0 != a or i1 != a"}]},
        ]
        return scenario(issues, parties)

    @pytest.mark.parametrize("path", ["listed", "meet-in-the-middle", "issue-steps"])
    def test_exact_count_matches_brute_force(self, path: str) -> None:
        s = self.reserved(7, 0.45)
        expected = brute.count(s)
        assert 0 < expected < 3**7
        patches = {"listed": {"_MATERIALISE_LIMIT": 10**6},
                   "meet-in-the-middle": {"_MATERIALISE_LIMIT": 0},
                   "issue-steps": {"_MATERIALISE_LIMIT": 0, "_PART_LIMIT": 0}}[path]
        with mock.patch.multiple(zone_engine, **patches):
            z = agreement_zone(s)
            assert z.count == expected
            assert z.witness in z
            assert all(o in z for o in z.sample(20, seed=0))

    def test_exact_count_with_wide_integer_utilities(self) -> None:
        # many decimals make the exact integer utilities exceed 32 bits
        issues = [{"id": f"i{j}", "options": ["a", "b", "c"]} for j in range(6)]
        parties = [
            {"id": f"p{p}", "reservation": round(0.4 + 0.000013 * p, 6),
             "preferences": {f"i{j}": {"importance": round(1.000001 + 0.123457 * ((j + p) % 4), 6),
                                       "values": {"a": 0.987654, "b": round(0.400001 * p, 6),
                                                  "c": 0.333333}}
                             for j in range(6)}}
            for p in range(3)
        ]
        s = scenario(issues, parties)
        from negotiate.space import compile_scenario

        assert max(compile_scenario(s).max_sums) > 2**31
        expected = brute.count(s)
        assert 0 < expected < 3**6
        with mock.patch.multiple(zone_engine, _MATERIALISE_LIMIT=0, _PART_LIMIT=0):
            assert agreement_zone(s).count == expected

    def test_count_too_large_points_to_the_estimate(self) -> None:
        s = self.reserved(14, 0.45)
        z = agreement_zone(s, max_enumeration=1000)
        assert not z.is_empty  # emptiness does not need the count
        with pytest.raises(CountTooLargeError, match=r"estimate_count\(samples="):
            _ = z.count
        estimate = z.estimate_count(samples=4000, seed=3)
        assert not estimate.exact and estimate.samples == 4000
        assert estimate.low <= estimate.value <= estimate.high
        exact = agreement_zone(s).count  # the default budget is enough here
        assert estimate.low <= exact <= estimate.high
        assert z.to_dict()["count"] is None
        assert "too many outcomes to count exactly" in str(z)

    def test_count_too_large_on_an_empty_zone_is_zero(self) -> None:
        s = self.reserved(14, 0.95)
        z = agreement_zone(s, max_enumeration=10)
        assert z.count == 0

    def test_emptiness_does_not_count(self) -> None:
        z = agreement_zone(self.reserved(9, 0.45))
        assert not z.is_empty
        assert z._engine._count is None

    def test_estimate_is_exact_when_no_reservation_binds(self) -> None:
        estimate = agreement_zone(chain(12, 4)).estimate_count()
        assert estimate == CountEstimate(chain_count(12, 4), chain_count(12, 4),
                                         chain_count(12, 4), 0.95, 0, 0, True)
        assert str(estimate).startswith("exactly")
        json.dumps(estimate.to_dict())


class TestSampling:
    def test_uniform(self) -> None:
        # eight acceptable outcomes; 8000 draws give each about 1000
        s = scenario(
            [{"id": "a", "options": ["x", "y", "z"]}, {"id": "b", "options": ["x", "y", "z"]}],
            [{"id": "p", "red_lines": [{"id": "r", "rule": "a != x or b != x"}]}],
        )
        drawn = agreement_zone(s).sample(8000, seed=11)
        counts = Counter(drawn)
        assert len(counts) == 8
        assert all(800 < c < 1200 for c in counts.values())

    def test_uniform_under_reservations_by_rejection(self) -> None:
        s = TestReservationCounts().reserved(6, 0.5)
        zone = brute.zone(s)
        with mock.patch.object(zone_engine, "_MATERIALISE_LIMIT", 0):
            drawn = agreement_zone(s).sample(60 * len(zone), seed=5)
        counts = Counter(drawn)
        assert set(counts) <= set(zone)
        assert len(counts) == len(zone)
        assert max(counts.values()) < 3 * min(counts.values())

    def test_reproducible(self) -> None:
        s = chain(20, 5)
        assert agreement_zone(s).sample(10, seed=3) == agreement_zone(s).sample(10, seed=3)
        assert agreement_zone(s).sample(10, seed=3) != agreement_zone(s).sample(10, seed=4)
        assert agreement_zone(s).sample(0) == ()

    def test_too_thin_for_rejection(self) -> None:
        s = TestReservationCounts().reserved(7, 0.7)
        assert brute.count(s) == 1  # of 3^7 = 2187 outcomes
        with mock.patch.multiple(zone_engine, _MATERIALISE_LIMIT=0, _MIN_TRIES=1000,
                                 _TRIES_PER_SAMPLE=1):
            z = agreement_zone(s)
            assert not z.is_empty
            with pytest.raises(SearchLimitError, match="too thin"):
                z.sample(100, seed=0)


class TestEnginePaths:
    def test_min_fill_order(self) -> None:
        # a path a-c-e-b-d of red lines listed out of order: eliminating in issue order
        # builds a 3-issue table, min-fill only 2-issue tables
        issues = [{"id": x, "options": ["p", "q", "r"]} for x in "abcde"]
        rules = ["a != p or c != p", "c != q or e != q", "e != r or b != r", "b != p or d != q"]
        s = scenario(issues, [{"id": "P", "red_lines": [
            {"id": f"r{j}", "rule": rule} for j, rule in enumerate(rules)]}])
        with mock.patch.object(zone_factor, "TABLE_LIMIT", 9):
            z = agreement_zone(s)
            engine = z._engine.engines[0]
            assert engine.tractable and not engine.in_issue_order
            assert z.count == brute.count(s)
            assert list(z) == brute.zone(s)
            assert z.witness == brute.zone(s)[0]
            assert all(o in z for o in z.sample(30, seed=1))

    def test_opaque_component_uses_the_solver(self) -> None:
        s = chain(6, 3)
        with mock.patch.multiple(zone_factor, TABLE_LIMIT=2, LIST_LIMIT=2):
            z = agreement_zone(s)
            assert z._engine.opaque
            assert not z.is_empty and z.witness in brute.zone(s)
            with pytest.raises(CountTooLargeError, match="estimate_count"):
                _ = z.count
            with pytest.raises(CountTooLargeError):
                _ = z.red_line_count
            assert list(z) == brute.zone(s)
            estimate = z.estimate_count(samples=5000, seed=2)
            assert estimate.low <= brute.count(s) <= estimate.high

    def test_solver_time_limit(self) -> None:
        s = TestReservationCounts().reserved(9, 0.45)
        with mock.patch.object(zone_engine, "_MATERIALISE_LIMIT", 0), mock.patch.object(
            Model, "solve", return_value=SolveResult("unknown", None)
        ):
            z = agreement_zone(s, time_limit=0.5)
            with pytest.raises(SearchLimitError, match=r"time_limit=0.5"):
                _ = z.is_empty

    def test_many_issues_with_binding_reservations(self) -> None:
        n = 100
        issues = [{"id": f"i{j}", "options": [f"o{m}" for m in range(6)]} for j in range(n)]
        parties = []
        for p in range(5):
            prefs = {f"i{j}": {"importance": 1 + (j * (p + 3)) % 7,
                               "values": {f"o{m}": ((m + p * j) % 6) / 5 for m in range(6)}}
                     for j in range(n)}
            red = [{"id": f"p{p}r{j}", "rule": f"i{(7 * p + 13 * j) % n} != o{j % 6} or "
                                                f"i{(7 * p + 13 * j + 1) % n} != o0"}
                   for j in range(5)]
            parties.append({"id": f"p{p}", "reservation": 0.55, "preferences": prefs,
                            "red_lines": red})
        s = scenario(issues, parties)
        z = agreement_zone(s)
        witness = z.witness
        assert witness is not None
        assert all(ng.is_acceptable(s, p.id, witness) for p in s.parties)
        assert witness == agreement_zone(s).witness  # deterministic


class TestArguments:
    def test_bad_options(self) -> None:
        s = ng.loads(TOY)
        with pytest.raises(InvalidArgumentError, match="time_limit"):
            agreement_zone(s, time_limit=0)
        with pytest.raises(InvalidArgumentError, match="max_enumeration"):
            agreement_zone(s, max_enumeration=-1)
        with pytest.raises(ScenarioError, match="unknown party"):
            acceptable_outcomes(s, "C")
        z = agreement_zone(s)
        with pytest.raises(InvalidArgumentError, match="n=-1"):
            z.sample(-1)
        with pytest.raises(InvalidArgumentError, match="samples"):
            z.estimate_count(samples=0)
        with pytest.raises(InvalidArgumentError, match="confidence"):
            z.estimate_count(confidence=1.0)

    def test_zone_object_is_frozen(self) -> None:
        z = agreement_zone(ng.loads(TOY))
        assert isinstance(z, AgreementZone)
        with pytest.raises(AttributeError):
            z.party = "A"  # type: ignore[misc]

    def test_component_rows(self) -> None:
        z = agreement_zone(ng.loads(TOY))
        assert z.components == ((0, 1),)
        rows = z.component_rows(0)
        assert rows is not None
        assert rows.tolist() == [[0, 0], [1, 0], [1, 1]]  # red lines only
        assert z.compiled.issue_ids == ("tariff", "quota")
        assert z.component_rows(0, limit=2) is None
        assert math.prod(len(o) for o in z.compiled.option_ids) == 6
