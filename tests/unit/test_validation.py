"""Validation in one pass, with positions; editing a scenario; re-checks of unvalidated copies."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis import near_deals, relax
from negotiate.model import Scenario
from negotiate.model.scenario import ensure_valid
from negotiate.rules import render

ROOT = Path(__file__).resolve().parents[2]
CAR = ROOT / "examples" / "textbook" / "car-sale.yaml"

FOUR_MISTAKES = """\
format: 1
id: t
issues:
  - {id: donetsk, options: [kept, ceded]}
  - {id: nato, options: [closed, open]}
parties:
  - id: ru
    reservation: true
    red_lines:
      - {id: ru-1, rule: "donetk == ceded"}
  - id: ua
    reservation: '0.5'
proposals:
  - {id: plan, terms: {nato: maybe}}
"""


def test_four_mistakes_give_four_problems_with_lines() -> None:
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads(FOUR_MISTAKES, name="talks.yaml")
    got = [(p.location, p.line, p.column, p.kind) for p in info.value.problems]
    assert got == [
        ("parties[0].reservation", 8, 18, "schema"),
        ("parties[0].red_lines[0].rule", 10, 26, "consistency"),
        ("parties[1].reservation", 12, 18, "schema"),
        ("proposals[0].terms.nato", 14, 30, "consistency"),
    ]
    text = str(info.value)
    assert text.splitlines()[0] == "talks.yaml: 4 problem(s) in the scenario:"
    assert "did you mean 'donetsk'?" in text
    assert "expected a number, got '0.5'; write the number without quotes (line 12, column 18)" in text
    # every line is `location: message (line L, column C)`
    for problem, line in zip(info.value.problems, text.splitlines()[1:], strict=True):
        assert line == f"  - {problem}"


def test_json_files_get_positions_too(tmp_path: Path) -> None:
    data = yaml.safe_load(FOUR_MISTAKES.replace("{nato: maybe}", "{nato: 'maybe'}"))
    path = tmp_path / "talks.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    lines = path.read_text().splitlines()
    with pytest.raises(ng.ScenarioError) as info:
        ng.load(path)
    for problem in info.value.problems:
        assert problem.line is not None and problem.column is not None
        # the position points at the offending value in the file
        key = problem.location.rsplit(".", 1)[-1].split("[")[0]
        assert f'"{key}"' in lines[problem.line - 1], (problem, lines[problem.line - 1])
    assert len(info.value.problems) == 4


def test_unknown_field_points_at_the_key_and_suggests() -> None:
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads("format: 1\nid: t\nissues: [{id: a, options: [x]}]\nparties:\n  - id: p\n    powr: 2\n")
    (problem,) = info.value.problems
    assert (problem.location, problem.line, problem.column) == ("parties[0].powr", 6, 5)
    assert problem.message == "unknown field 'powr'; did you mean 'power'?"


def test_validate_of_plain_data_has_no_positions() -> None:
    with pytest.raises(ng.ScenarioError) as info:
        ng.validate({"format": 1, "id": 5, "issues": [{"id": "a", "options": ["x"]}],
                     "parties": [{"id": "p"}]})
    (problem,) = info.value.problems
    assert problem.line is None and str(problem) == (
        "id: ids are text, got the number 5; put the id in quotes, as in '5'"
    )


def test_a_broken_issue_does_not_cascade_into_unknown_issue_errors() -> None:
    text = FOUR_MISTAKES.replace("{id: donetsk, options: [kept, ceded]}", "{id: donetsk, options: 5}")
    text = text.replace("donetk == ceded", "donetsk == cededd")
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads(text)
    where = [p.location for p in info.value.problems]
    assert where == [
        "issues[0].options", "parties[0].reservation", "parties[1].reservation",
        "proposals[0].terms.nato",
    ], "options of donetsk are unreadable: no option of it is reported unknown"
    text = text.replace("{id: donetsk, options: 5}", "{id: 'don etsk', options: [kept]}")
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads(text)
    assert not any("unknown issue" in p.message for p in info.value.problems), (
        "an issue id that is not an id makes every issue id uncertain: no 'unknown issue'"
    )


def test_numbers_of_any_precision_load() -> None:
    """Issue 16: every finite number is accepted (no 'round to 6 decimals')."""
    text = ("format: 1\nid: t\nissues: [{id: a, options: [x, y]}, {id: b, options: [x, y]}]\n"
            "parties:\n  - {id: p, preferences: {a: {importance: 0.1234567891234567, values: "
            "{x: 0.1234567890123}}, b: {importance: 0.7777777777777, values: {x: 0.000000001234567}}}}\n")
    s = ng.loads(text)
    assert s.parties[0].preferences["a"].importance == 0.1234567891234567


# -- editing ------------------------------------------------------------------------------


def test_replace_validates_the_edit() -> None:
    s = ng.load(CAR)
    buyer = s.parties[0]
    edited = s.replace(parties=[buyer.model_copy(update={"reservation": 0.25}), *s.parties[1:]])
    assert edited.parties[0].reservation == 0.25 and edited.parties[1] == s.parties[1]
    assert ensure_valid(edited) is edited
    with pytest.raises(ng.ScenarioError) as info:
        s.replace(parties=[buyer.model_copy(update={"reservation": 7, "power": "2"})])
    assert [p.location for p in info.value.problems] == [
        "parties[0].reservation", "parties[0].power"
    ]
    with pytest.raises(ng.ScenarioError, match=r"unknown field.*'partys'.*did you mean 'parties'"):
        s.replace(partys=[])


def test_replace_accepts_plain_data_and_parses_rules() -> None:
    s = ng.load(CAR)
    rule = f"{s.issues[0].id} == {s.issues[0].option_ids[0]}"
    party = s.parties[0].model_dump(mode="json") | {"red_lines": [{"id": "new", "rule": rule}]}
    edited = s.replace(parties=[party, *s.parties[1:]])
    assert render(edited.parties[0].red_lines[0].rule) == rule


def _unvalidated(s: Scenario, **party_changes: Any) -> Scenario:
    party = s.parties[0].model_copy(update=party_changes)
    return s.model_copy(update={"parties": (party, *s.parties[1:])})


ANALYSES: dict[str, Callable[[Scenario], object]] = {
    "agreement_zone": lambda s: ng.agreement_zone(s).is_empty,
    "explain_deadlock": ng.explain_deadlock,
    "pareto_frontier": lambda s: ng.pareto_frontier(s, time_limit=10),
    "evaluate_proposal": lambda s: ng.evaluate_proposal(s, s.proposals[0].id),
    "utility": lambda s: ng.utility(s, s.parties[0].id, {i.id: i.option_ids[0] for i in s.issues}),
    "linkage_graph": ng.linkage_graph,
    "near_deals": near_deals,
    "relax": lambda s: relax(s, s.parties[1].red_lines[0].id),
    "dumps": ng.dumps,
}


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_model_copy_that_skipped_validation_is_rejected_by_analyses(name: str) -> None:
    s = ng.load(CAR)
    bad = _unvalidated(s, reservation=7)
    with pytest.raises(ng.ScenarioError) as info:
        ANALYSES[name](bad)
    assert [p.location for p in info.value.problems] == ["parties[0].reservation"]
    assert "must be at most 1, got 7" in str(info.value)
    red_line = s.parties[0].red_lines[0]
    as_text = _unvalidated(s, red_lines=(red_line.model_copy(update={"rule": "price == x"}),))
    with pytest.raises(ng.ScenarioError, match=r"Scenario\.replace"):
        ANALYSES[name](as_text)


def test_a_validated_scenario_is_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    s = ng.load(CAR)
    copy = s.model_copy()  # skipped validation, but valid: checked once, then trusted

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")

    assert ensure_valid(copy) is copy
    monkeypatch.setattr("negotiate.io.validate", fail)
    assert ensure_valid(s) is s
    assert ensure_valid(copy) is copy
    ng.agreement_zone(s)


# -- one source of truth for "too many decimals" -------------------------------------------------

DECIMALS = st.integers(0, 14).flatmap(
    lambda places: st.integers(0, 10**places).map(lambda n: float(Decimal(n) / 10**places))
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DECIMALS, DECIMALS, DECIMALS), min_size=1, max_size=4))
def test_what_validation_accepts_the_engine_can_compile(rows: list[tuple[float, float, float]]) -> None:
    from negotiate.space import compile_scenario

    issues = [{"id": f"i{k}", "options": ["x", "y"]} for k in range(len(rows))]
    prefs = {f"i{k}": {"importance": w, "values": {"x": a, "y": b}}
             for k, (w, a, b) in enumerate(rows)}
    data = {"format": 1, "id": "t", "issues": issues, "parties": [{"id": "p", "preferences": prefs}]}
    try:
        s = ng.validate(data)
    except ng.ScenarioError as error:
        assert all("too many decimals" in p.message or "all importances are 0" in p.message
                   for p in error.problems), str(error)
        return
    compile_scenario(s)  # never "too many decimals" for an accepted scenario


def test_a_misspelt_stance_gets_a_suggestion_and_its_position() -> None:
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads("format: 1\nid: t\nissues: [{id: a, options: [x]}]\nparties:\n  - id: p\n"
                 "    red_lines: [{id: r, rule: 'a == x', stance: stted}]\n")
    (problem,) = info.value.problems
    assert (problem.location, problem.line, problem.column) == ("parties[0].red_lines[0].stance", 6, 49)
    assert problem.message == (
        "expected one of stated, reported, inferred, got 'stted'; did you mean 'stated'?"
    )
