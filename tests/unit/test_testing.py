"""Tests for negotiate.testing: the Hypothesis strategies users import.

Emptiness and non-emptiness of generated scenarios are checked against the
plain brute force in tests/brute.py (and against the zone engine when it is
available); "can it generate X" checks use ``hypothesis.find``, as
Hypothesis's own quality tests do.
"""

from __future__ import annotations

import functools
import math
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import negotiate as ng
import negotiate.testing
from negotiate.model import Issue, Scenario
from negotiate.rules import Compare, comparisons, depth, evaluate, issues_of, parse
from negotiate.testing import (
    issues,
    outcomes,
    parties,
    red_lines,
    rules,
    scenarios,
    variations,
)
from negotiate.testing._hypothesis_setup import _register
from tests import brute

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"


@functools.cache
def flagship() -> Scenario:
    return ng.load(FLAGSHIP)

# "Can it generate X?" checks: search without shrinking (the examples are thrown away).
FIND = settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck),
                phases=[Phase.generate], database=None, derandomize=True)
# "What does it shrink to?" checks.
SHRINK = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None, derandomize=True)  # shrinking is a heuristic: pin the run

try:
    from negotiate.analysis.zone import agreement_zone
except ImportError:  # being written in parallel
    agreement_zone = None  # type: ignore[assignment]

needs_zone = pytest.mark.skipif(
    agreement_zone is None, reason="negotiate.analysis.zone.agreement_zone is not available yet"
)


def exact(x: float) -> Fraction:
    return Fraction(Decimal(repr(float(x))))


def order(s: Scenario) -> dict[str, tuple[str, ...]]:
    return {issue.id: issue.option_ids for issue in s.issues}


def exact_values(s: Scenario, party_id: str, issue_id: str) -> list[Fraction]:
    """Exact option values of a stated preference (listed order), from the model."""
    pref = s.party(party_id).preferences[issue_id]
    options = s.issue(issue_id).option_ids
    if pref.values is not None:
        return [exact(pref.values.get(o, 0.0)) for o in options]
    assert pref.ranking is not None
    n = len(pref.ranking)
    return [Fraction(1) if n == 1 else Fraction(n - 1 - pref.ranking.index(o), n - 1)
            for o in options]


def red_line_ids(s: Scenario) -> list[str]:
    return [r.id for p in s.parties for r in p.red_lines]


# -- the package --------------------------------------------------------------------------


def test_public_names() -> None:
    assert sorted(negotiate.testing.__all__) == [
        "issues", "outcomes", "parties", "red_lines", "rules", "scenarios", "variations",
    ]
    for name in negotiate.testing.__all__:
        assert callable(getattr(negotiate.testing, name))


def _run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120,
    )


def test_import_negotiate_does_not_import_hypothesis() -> None:
    result = _run("""
        import sys
        import negotiate
        assert "negotiate.testing" not in sys.modules
        assert "hypothesis" not in sys.modules, "import negotiate pulled in hypothesis"
    """, env={"HYPOTHESIS_NO_PLUGINS": "1"})
    assert result.returncode == 0, result.stderr


def test_missing_hypothesis_gives_install_hint() -> None:
    result = _run("""
        import sys
        sys.modules["hypothesis"] = None  # as if it were not installed
        try:
            import negotiate.testing
        except ImportError as exc:
            print(exc)
        else:
            raise SystemExit("no ImportError")
    """)
    assert result.returncode == 0, result.stderr
    assert 'pip install "negotiate[testing]"' in result.stdout


def test_register_makes_from_type_work() -> None:
    _register()

    @settings(max_examples=10)
    @given(st.from_type(Scenario), st.from_type(Issue))
    def check(s: Scenario, issue: Issue) -> None:
        assert isinstance(s, Scenario) and ng.validate(s.model_dump()) == s
        assert isinstance(issue, Issue) and len(issue.options) >= 2

    check()


def test_entry_point_registers_when_hypothesis_is_imported(tmp_path: Path) -> None:
    """Install the entry point pyproject.toml declares (as pip would) and import hypothesis."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    target = pyproject["project"]["entry-points"]["hypothesis"]["_"]
    assert target == "negotiate.testing._hypothesis_setup:_register"
    dist = tmp_path / "negotiate_probe-0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: negotiate-probe\nVersion: 0.0\n")
    (dist / "entry_points.txt").write_text(f"[hypothesis]\n_ = {target}\n")
    result = _run(f"""
        import sys, warnings
        sys.path.insert(0, {str(tmp_path)!r})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import hypothesis
            from hypothesis import given, settings, strategies as st
        assert not caught, [str(w.message) for w in caught]
        from negotiate import Scenario

        @settings(max_examples=5, database=None)
        @given(st.from_type(Scenario))
        def check(s):
            assert isinstance(s, Scenario)
        check()
        print("ok")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# -- scenarios: planted feasibility --------------------------------------------------------


@given(scenarios(feasible=True))
def test_feasible_true_has_a_nonempty_zone(s: Scenario) -> None:
    assert brute.zone(s), "scenarios(feasible=True) produced an empty zone"


@given(scenarios(feasible=False))
def test_feasible_false_has_an_empty_zone(s: Scenario) -> None:
    assert not brute.zone(s), "scenarios(feasible=False) produced a non-empty zone"


@given(scenarios(feasible=True, max_issues=8, max_options=3, max_parties=3,
                 max_rule_issues=3))
def test_feasible_true_on_larger_spaces(s: Scenario) -> None:
    assert brute.zone(s)


@given(scenarios(feasible=False, max_issues=8, max_options=3, max_parties=3,
                 max_rule_issues=3))
def test_feasible_false_on_larger_spaces(s: Scenario) -> None:
    assert not brute.zone(s)


@needs_zone
@given(scenarios(feasible=st.booleans()))
def test_zone_engine_agrees_with_planting(s: Scenario) -> None:
    assert agreement_zone is not None
    assert agreement_zone(s).is_empty == (not brute.zone(s))


@needs_zone
@settings(max_examples=20)
@given(st.booleans().flatmap(lambda feasible: st.tuples(
    st.just(feasible), scenarios(feasible=feasible, min_issues=12, max_issues=25,
                                 max_options=5, max_rule_issues=3))))
def test_planting_holds_on_spaces_too_large_for_brute_force(
    pair: tuple[bool, Scenario],
) -> None:
    assert agreement_zone is not None
    feasible, s = pair
    z = agreement_zone(s)
    assert z.is_empty is (not feasible)
    if feasible:
        assert z.witness is not None
        assert all(ng.is_acceptable(s, p.id, z.witness) for p in s.parties)


def test_feasible_false_plants_both_kinds_of_conflict() -> None:
    # a clash of red lines alone ...
    find(scenarios(feasible=False),
         lambda s: not brute.feasible(s, red_line_ids(s)), settings=FIND)
    # ... and one that needs a reservation: the red lines alone leave room.
    s = find(scenarios(feasible=False),
             lambda s: brute.feasible(s, red_line_ids(s)), settings=FIND)
    assert not brute.zone(s)


def test_feasible_none_gives_both_empty_and_nonempty_zones() -> None:
    find(scenarios(), lambda s: bool(brute.zone(s)), settings=FIND)
    find(scenarios(), lambda s: not brute.zone(s), settings=FIND)


# -- scenarios: validity and knobs ---------------------------------------------------------


@given(scenarios(feasible=st.sampled_from([None, True, False]), details=st.booleans(),
                 ordered=st.sampled_from([None, True, False])))
def test_every_generated_scenario_validates(s: Scenario) -> None:
    assert ng.validate(s.model_dump(mode="json")) == s
    assert Scenario.model_validate(s.model_dump()) == s
    for party in s.parties:
        for red_line in party.red_lines:
            for node in comparisons(red_line.rule):
                issue = s.issue(node.issue)
                if isinstance(node, Compare) and node.op not in ("==", "!="):
                    assert issue.ordered


@given(st.data())
def test_size_knobs_are_respected(data: st.DataObject) -> None:
    lo_i, lo_o, lo_p = (data.draw(st.integers(1, 3)) for _ in range(3))
    hi_i, hi_o, hi_p = (data.draw(st.integers(lo, lo + 3)) for lo in (lo_i, lo_o, lo_p))
    red, rule_issues, rule_depth = (data.draw(st.integers(lo, 3)) for lo in (0, 1, 1))
    s = data.draw(scenarios(
        min_issues=lo_i, max_issues=hi_i, min_options=lo_o, max_options=hi_o,
        min_parties=lo_p, max_parties=hi_p, max_red_lines=red,
        max_rule_issues=rule_issues, max_rule_depth=rule_depth,
    ))
    assert lo_i <= len(s.issues) <= hi_i
    assert all(lo_o <= len(i.options) <= hi_o for i in s.issues)
    assert lo_p <= len(s.parties) <= hi_p
    for party in s.parties:
        assert len(party.red_lines) <= red
        for red_line in party.red_lines:
            assert len(issues_of(red_line.rule)) <= rule_issues
            assert depth(red_line.rule) <= rule_depth


@given(scenarios(ordered=True))
def test_ordered_true_orders_every_issue(s: Scenario) -> None:
    assert all(issue.ordered for issue in s.issues)


@given(scenarios(ordered=False))
def test_ordered_false_orders_no_issue(s: Scenario) -> None:
    assert not any(issue.ordered for issue in s.issues)


@given(scenarios(reservations=False, feasible=st.sampled_from([None, True])))
def test_reservations_false_leaves_reservations_at_zero(s: Scenario) -> None:
    assert all(party.reservation == 0 for party in s.parties)


@given(scenarios(details=True))
def test_numbers_lie_on_the_documented_grids(s: Scenario) -> None:
    for party in s.parties:
        assert (exact(party.reservation) * 20).denominator == 1
        for pref in party.preferences.values():
            assert pref.importance in (1, 2, 3, 4, 5)
            for value in (pref.values or {}).values():
                assert (exact(value) * 20).denominator == 1


@given(scenarios(min_issues=st.integers(2, 3), max_issues=st.just(3),
                 feasible=st.just(True), ordered=st.just(True)))
def test_knobs_accept_strategies(s: Scenario) -> None:
    assert 2 <= len(s.issues) <= 3 and all(i.ordered for i in s.issues)
    assert brute.zone(s)


def test_strategies_can_be_large_and_small() -> None:
    big = find(scenarios(max_issues=40, max_options=10, max_parties=6),
               lambda s: len(s.issues) >= 30 and len(s.parties) >= 5
               and max(len(i.options) for i in s.issues) >= 8, settings=FIND)
    assert len(big.issues) >= 30
    small = find(scenarios(), lambda s: len(s.issues) == 1 and len(s.parties) == 1
                 and len(s.issues[0].options) == 2, settings=FIND)
    assert small.outcome_count == 2
    find(scenarios(), lambda s: all(i.ordered for i in s.issues) and len(s.issues) >= 2,
         settings=FIND)
    find(scenarios(), lambda s: not any(i.ordered for i in s.issues) and len(s.issues) >= 2,
         settings=FIND)
    find(scenarios(), lambda s: len({i.ordered for i in s.issues}) == 2, settings=FIND)


def test_examples_shrink_to_small_readable_scenarios() -> None:
    s = find(scenarios(), lambda s: True, settings=SHRINK)
    assert [i.id for i in s.issues] == ["i0"] and s.issues[0].option_ids == ("a", "b")
    assert [p.id for p in s.parties] == ["A"]
    assert s.parties[0].red_lines == () and s.parties[0].reservation == 0
    # Usually "i0 == a" against "not i0 == a"; shrinking is a heuristic, so only
    # the size is pinned here.
    deadlock = find(scenarios(feasible=False), lambda s: True, settings=SHRINK)
    texts = [str(r.rule) for p in deadlock.parties for r in p.red_lines]
    assert len(deadlock.issues) <= 2 and len(deadlock.parties) == 1 and len(texts) <= 2
    assert all(len(t) <= len("not i0 == a") for t in texts), texts


def test_rule_shapes_are_all_reachable() -> None:
    def has(kind: str) -> Callable[[Scenario], bool]:
        return lambda s: any(
            kind in {type(n).__name__ for n in _nodes(r.rule)}
            for p in s.parties for r in p.red_lines
        )

    for kind in ("Compare", "Member", "Const", "Not", "And", "Or", "Implies"):
        find(scenarios(), has(kind), settings=FIND)
    find(scenarios(), lambda s: any(
        isinstance(n, Compare) and n.op in ("<", "<=", ">", ">=")
        for p in s.parties for r in p.red_lines for n in comparisons(r.rule)), settings=FIND)
    for stance in ("stated", "reported", "inferred"):
        find(scenarios(), lambda s, stance=stance: any(
            r.stance == stance for p in s.parties for r in p.red_lines), settings=FIND)


def _nodes(rule: Any) -> list[Any]:
    out = [rule]
    for child in (getattr(rule, "operands", ()) or ()):
        out += _nodes(child)
    for name in ("operand", "left", "right"):
        if getattr(rule, name, None) is not None:
            out += _nodes(getattr(rule, name))
    return out


# -- rules, red lines, issues, parties, outcomes -------------------------------------------

SMALL = ng.loads("""
format: 1
id: small
issues:
  - {id: tariff, options: [none, low, high], ordered: true}
  - {id: quota, options: [yes, no]}
  - {id: single, options: [only]}
parties: [{id: A}]
""")


@given(rules(SMALL))
def test_rules_are_valid_for_the_issues(rule: Any) -> None:
    for node in comparisons(rule):
        issue = SMALL.issue(node.issue)
        options = (node.option,) if isinstance(node, Compare) else node.options
        assert set(options) <= set(issue.option_ids)
        if isinstance(node, Compare) and node.op not in ("==", "!="):
            assert issue.ordered
    data = SMALL.model_dump()
    data["parties"][0]["red_lines"] = [{"id": "r", "rule": rule}]
    assert ng.validate(data).parties[0].red_lines[0].rule == rule


@given(rules(SMALL, texts=True))
def test_rule_texts_parse_back(text: str) -> None:
    assert isinstance(text, str)
    assert str(parse(text)) == text


@given(rules(), rules(texts=True))
def test_rules_without_issues(rule: Any, text: str) -> None:
    assert depth(rule) <= 3 and len(issues_of(rule)) <= 2
    parse(text)


@given(st.data(), st.booleans())
def test_rules_hold_or_fail_where_asked(data: st.DataObject, holds: bool) -> None:
    at = data.draw(outcomes(SMALL))
    kwargs = {"holds_at": at} if holds else {"fails_at": at}
    rule = data.draw(rules(SMALL, max_depth=5, max_issues=3, **kwargs))
    assert evaluate(rule, at, order(SMALL)) is holds
    assert depth(rule) <= 5


@given(red_lines(SMALL, id="x-1", stance="reported"))
def test_red_lines(red_line: ng.RedLine) -> None:
    assert red_line.id == "x-1" and red_line.stance == "reported"
    assert set(issues_of(red_line.rule)) <= {"tariff", "quota", "single"}


@given(st.lists(red_lines(SMALL), min_size=2, max_size=4, unique_by=lambda r: r.id))
def test_red_line_ids_vary(lines: list[ng.RedLine]) -> None:
    assert len({r.id for r in lines}) == len(lines)


@given(issues(min_options=1, max_options=30, ordered=True), issues(id="x"))
def test_issues(issue: Issue, named: Issue) -> None:
    assert 1 <= len(issue.options) <= 30 and issue.ordered
    assert issue.option_ids[:2] == ("a", "b")[: len(issue.options)]
    assert len(set(issue.option_ids)) == len(issue.options)
    assert named.id == "x" and 2 <= len(named.options) <= 4


@given(st.data())
def test_parties_accept_the_outcome_asked(data: st.DataObject) -> None:
    deal = data.draw(outcomes(SMALL))
    party = data.draw(parties(SMALL, id="B", accepts=deal, max_red_lines=5))
    s = ng.validate(SMALL.model_dump() | {"parties": [party.model_dump()]})
    assert brute.acceptable(s, "B", deal)
    assert ng.is_acceptable(s, "B", deal)
    assert all(r.id.startswith("B-r") for r in party.red_lines)


@given(parties())
def test_parties_without_issues(party: ng.Party) -> None:
    assert 0 <= party.reservation <= 1


@given(scenarios().flatmap(lambda s: st.tuples(st.just(s), outcomes(s))))
def test_outcomes_are_complete_and_valid(pair: tuple[Scenario, ng.Outcome]) -> None:
    s, outcome = pair
    assert s.check_outcome(outcome) == outcome
    assert list(outcome) == [i.id for i in s.issues]


@given(outcomes(scenarios()))
def test_outcomes_of_a_scenario_strategy(outcome: ng.Outcome) -> None:
    assert next(iter(outcome)) == "i0"


def test_outcomes_reach_every_option() -> None:
    for tariff in ("none", "low", "high"):
        find(outcomes(SMALL), lambda o, t=tariff: o["tariff"] == t, settings=FIND)


# -- variations ----------------------------------------------------------------------------


def _check_variation(
    s: Scenario, v: Scenario, *, importance: float, values: float, reservation: float,
    drop_inferred: bool, max_dropped: int | None = None,
) -> None:
    assert ng.validate(v.model_dump()) == v
    # same ids, same structure
    assert (v.id, v.title, v.issues, v.sources, v.proposals) == (
        s.id, s.title, s.issues, s.sources, s.proposals)
    assert [p.id for p in v.parties] == [p.id for p in s.parties]
    dropped = set(red_line_ids(s)) - set(red_line_ids(v))
    assert set(red_line_ids(v)) <= set(red_line_ids(s))
    if not drop_inferred:
        assert not dropped
    for r in dropped:
        assert s.red_line(r)[1].stance == "inferred"
    if max_dropped is not None:
        assert len(dropped) <= max_dropped
    for old, new in zip(s.parties, v.parties, strict=True):
        for r in new.red_lines:
            assert r == s.red_line(r.id)[1]
        assert set(new.preferences) == set(old.preferences)
        assert 0 <= new.reservation <= 1
        assert abs(exact(new.reservation) - exact(old.reservation)) <= exact(reservation)
        for issue_id, pref in new.preferences.items():
            before = old.preferences[issue_id]
            assert pref.importance >= 0
            assert abs(exact(pref.importance) - exact(before.importance)) <= exact(importance)
            for a, b in zip(exact_values(v, new.id, issue_id),
                            exact_values(s, old.id, issue_id), strict=True):
                assert 0 <= a <= 1 and abs(a - b) <= exact(values)
        if any(p.importance > 0 for p in old.preferences.values()):
            assert any(p.importance > 0 for p in new.preferences.values())


BOUNDS = st.sampled_from([0.0, 0.05, 0.1, 0.2, 0.5])


@given(st.data())
def test_variations_keep_ids_and_stay_within_bounds(data: st.DataObject) -> None:
    s = data.draw(scenarios(details=st.booleans()), label="scenario")
    kwargs = {
        "importance": data.draw(BOUNDS), "values": data.draw(BOUNDS),
        "reservation": data.draw(BOUNDS), "drop_inferred": data.draw(st.booleans()),
    }
    if kwargs["drop_inferred"]:
        kwargs["max_dropped"] = data.draw(st.none() | st.integers(0, 2))
    v = data.draw(variations(s, **kwargs), label="variation")
    _check_variation(s, v, **kwargs)


@settings(max_examples=20)
@given(st.data())
def test_variations_of_the_flagship(data: st.DataObject) -> None:
    s = flagship()
    v = data.draw(variations(s, importance=0.2, values=0.1, reservation=0.05,
                             drop_inferred=True, max_dropped=1))
    _check_variation(s, v, importance=0.2, values=0.1, reservation=0.05,
                     drop_inferred=True, max_dropped=1)


@given(st.data())
def test_zero_bounds_give_the_scenario_back(data: st.DataObject) -> None:
    s = data.draw(scenarios(details=True))
    assert data.draw(variations(s, importance=0, values=0, reservation=0)) == s


NEAR = ng.loads("""
format: 1
id: near
issues:
  - {id: donetsk, options: [ua_holds, pullback, withdraws], ordered: true}
  - {id: nato, options: [open, ban]}
parties:
  - id: us
    reservation: 0.15
    preferences:
      donetsk: {importance: 3, values: {ua_holds: 0.3, pullback: 0.5, withdraws: 1.0}}
      nato: {importance: 2, ranking: [ban, open]}
    red_lines:
      - {id: us-1, rule: "nato == ban", stance: inferred}
      - {id: us-2, rule: "donetsk != ua_holds", stance: stated}
  - id: ua
    red_lines:
      - {id: ua-1, rule: "donetsk <= pullback", stance: inferred}
      - {id: ua-2, rule: "nato == open", stance: reported}
""")


def test_variations_reach_their_bounds_and_move_every_kind_of_number() -> None:
    s = NEAR
    us = s.party("us")
    find(variations(s, importance=0.2),
         lambda v: v.party("us").preferences["donetsk"].importance
         == us.preferences["donetsk"].importance + 0.2, settings=FIND)
    find(variations(s, importance=0.2),
         lambda v: v.party("us").preferences["donetsk"].importance
         == us.preferences["donetsk"].importance - 0.2, settings=FIND)
    find(variations(s, importance=0, values=0.1),
         lambda v: v.party("us").preferences["donetsk"] != us.preferences["donetsk"],
         settings=FIND)
    find(variations(s, importance=0, reservation=0.05),
         lambda v: v.party("us").reservation == 0.1, settings=FIND)
    inferred = ["us-1", "ua-1"]
    v = find(variations(s, importance=0, drop_inferred=True),
             lambda v: len(red_line_ids(v)) == len(red_line_ids(s)) - len(inferred),
             settings=FIND)
    assert not set(inferred) & set(red_line_ids(v))


def test_variations_of_rankings_become_values_within_bounds() -> None:
    s = ng.loads("""
format: 1
id: r
issues: [{id: x, options: [a, b, c, d]}]
parties: [{id: A, preferences: {x: {importance: 1, ranking: [a, b, c, d]}}}]
""")  # values 1, 2/3, 1/3, 0: two of them are not decimals
    v = find(variations(s, importance=0, values=0.1),
             lambda v: v.parties[0].preferences["x"].ranking is None, settings=FIND)
    _check_variation(s, v, importance=0, values=0.1, reservation=0, drop_inferred=False)


def test_importance_keeps_one_positive_issue() -> None:
    s = ng.loads("""
format: 1
id: k
issues: [{id: x, options: [a, b]}, {id: y, options: [a, b]}]
parties: [{id: A, preferences: {x: {importance: 0.1, ranking: [a, b]},
                                y: {importance: 0.05, ranking: [b, a]}}}]
""")

    @given(variations(s, importance=0.5))
    def check(v: Scenario) -> None:
        prefs = v.parties[0].preferences
        assert prefs["x"].importance > 0 and prefs["y"].importance >= 0

    check()
    find(variations(s, importance=0.5),
         lambda v: v.parties[0].preferences["y"].importance == 0, settings=FIND)


@given(variations(scenarios(feasible=True, reservations=False), importance=0.5, values=0.5))
def test_variations_of_a_scenario_strategy(v: Scenario) -> None:
    # Moving importances and values cannot break red lines, and with every
    # reservation at 0 each party accepts the planted outcome whatever its utility.
    assert v.id == "generated"
    assert brute.zone(v)


# -- invalid arguments ---------------------------------------------------------------------

INVALID: list[tuple[Callable[..., Any], dict[str, Any], str]] = [
    (scenarios, {"min_issues": -1}, "min_issues=-1 must be >= 1; pass min_issues=1 or more"),
    (scenarios, {"min_issues": 0}, "min_issues=0 must be >= 1"),
    (scenarios, {"max_parties": "3"}, "max_parties='3' must be an int"),
    (scenarios, {"min_options": 5, "max_options": 3},
     "max_options=3 < min_options=5; pass max_options=5 or more"),
    (scenarios, {"max_red_lines": -1}, "max_red_lines=-1 must be >= 0"),
    (scenarios, {"feasible": 1}, "feasible=1 must be True, False or None"),
    (scenarios, {"ordered": "yes"}, "ordered='yes' must be True, False or None"),
    (scenarios, {"details": None}, "details=None must be True or False"),
    (scenarios, {"min_issues": True}, "min_issues=True must be an int"),
    (issues, {"min_options": 0}, "min_options=0 must be >= 1"),
    (issues, {"id": 3}, "id=3 must be a str"),
    (rules, {"issues": [], "texts": True}, "issues=[] must be a Scenario"),
    (rules, {"issues": SMALL, "max_depth": 0}, "max_depth=0 must be >= 1"),
    (rules, {"holds_at": {"x": "a"}}, "pass issues="),
    (rules, {"issues": SMALL, "holds_at": {"tariff": "low"}}, "on issue 'quota'"),
    (rules, {"issues": SMALL, "holds_at": {}, "fails_at": {}}, "pass at most one"),
    (red_lines, {"issues": SMALL, "stance": "guessed"}, "stance='guessed' must be one of"),
    (parties, {"issues": SMALL, "max_red_lines": -2}, "max_red_lines=-2 must be >= 0"),
    (parties, {"accepts": {"tariff": "low"}}, "pass issues="),
    (outcomes, {"scenario": {"id": "x"}}, "must be a Scenario"),
    (variations, {"scenario": None}, "scenario=None must be a Scenario"),
    (variations, {"scenario": SMALL, "importance": -0.1}, "importance=-0.1 must be a finite"),
    (variations, {"scenario": SMALL, "values": math.inf}, "values=inf must be a finite"),
    (variations, {"scenario": SMALL, "step": 0}, "step=0 must be a finite number > 0"),
    (variations, {"scenario": SMALL, "importance": 0.005},
     "importance=0.005 is smaller than step=0.01, so nothing would change; pass step=0.005"),
    (variations, {"scenario": SMALL, "max_dropped": 1},
     "max_dropped=1 has no effect with drop_inferred=False; pass drop_inferred=True"),
    (variations, {"scenario": SMALL, "drop_inferred": "yes"}, "drop_inferred='yes' must be"),
]


@pytest.mark.parametrize(("function", "kwargs", "message"), INVALID)
def test_invalid_arguments(
    function: Callable[..., Any], kwargs: dict[str, Any], message: str
) -> None:
    positional = [kwargs.pop(k) for k in ("scenario",) if k in kwargs]
    if function in (rules, red_lines, parties) and "issues" in kwargs:
        positional = [kwargs.pop("issues")]
    with pytest.raises(InvalidArgument, match=None) as info:
        function(*positional, **kwargs)
    assert message in str(info.value)
    assert isinstance(info.value, TypeError)  # Hypothesis's InvalidArgument is a TypeError


@pytest.mark.parametrize("strategy", [
    scenarios(min_issues=st.just(-1)),
    scenarios(feasible=st.just("maybe")),
    scenarios(min_parties=st.just(3), max_parties=2),
    variations(SMALL, importance=st.just(-1.0)),
    rules(st.just([])),
    issues(max_options=st.just(0)),
])
def test_invalid_drawn_arguments_raise_when_drawn(strategy: st.SearchStrategy[Any]) -> None:
    @given(strategy)
    def check(value: Any) -> None:
        raise AssertionError("should not be reached")

    with pytest.raises(InvalidArgument):
        check()
