"""The shared GENIUS reference domains analyse as given and agree with the reference answers.

Read from ``../shared/reference-cases/genius`` (never copied into the repository);
skipped with the reason when that folder is absent.

Definitions (the folder's README): the ``*.json`` cases use GENIUS semantics (option
utility = evaluation / the issue's largest one, reservations on the same 0-1 scale),
like ``ng.load_genius``. NegMAS restricts its frontier to outcomes every party
accepts (our agreement zone), lists one outcome per distinct utility vector (ties under
``all_outcomes_with_these_utilities``), uses the reservations as disagreement point,
and its ``kalai_points`` is the egalitarian solution; its ``ks_points`` uses ideals
over the whole outcome space, unlike our Kalai-Smorodinsky, so it is not compared.
NegMAS computes in floating point: utilities are compared to 1e-9.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import negotiate as ng
from negotiate.genius import _ident

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference-cases" / "genius"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/reference-cases/genius")
pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/reference-cases/genius (reference data) is absent")

CASES = ["anac2012_CameraC", "anac2012_EnglandvsZimbabweA", "anac2013_DefensiveCharms"]
XML = {
    "anac2013-Animal": ("Animal.xml", ["Animal_util1.xml", "Animal_util2.xml"]),
    "genius-testIntDomain": ("test.xml", ["test_util1.xml", "test_util2.xml", "test_util3.xml"]),
}


def scenario_from_case(case: dict[str, Any]) -> ng.Scenario:
    """The JSON case as a scenario, every number as given (ids from the names)."""
    used: set[str] = set()
    issues, ids = [], {}
    for issue in case["issues"]:
        iid = _ident(issue["name"], used)
        option_used: set[str] = set()
        options = [{"id": _ident(o, option_used), "title": o} for o in issue["options"]]
        ids[issue["name"]] = (iid, {o["title"]: o["id"] for o in options})
        issues.append({"id": iid, "title": issue["name"], "options": options})
    parties, party_used = [], set()
    for party in case["parties"]:
        preferences = {
            ids[name][0]: {
                "importance": weight,
                "values": {ids[name][1][o]: v for o, v in party["option_utilities"][name].items()},
            }
            for name, weight in party["weights"].items()
        }
        parties.append({"id": _ident(party["name"], party_used, extra=".-"),
                        "reservation": party["reservation_value"], "preferences": preferences})
    return ng.validate({"format": 1, "id": "case", "issues": issues, "parties": parties})


def titles(s: ng.Scenario, outcome: ng.Outcome) -> dict[str, str]:
    """An outcome by issue and option names (titles), as the reference writes it."""
    return {issue.title: next(o.title for o in issue.options if o.id == outcome[issue.id])
            for issue in s.issues}


def close(a: Any, b: Any) -> bool:
    return all(abs(x - y) <= 1e-9 for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("name", CASES)
def test_json_case_agrees_with_negmas(name: str) -> None:
    case = json.loads((SHARED / f"{name}.json").read_text())
    reference = case["negmas"]
    s = scenario_from_case(case)
    assert s.outcome_count == case["outcome_space_size"]
    assert ng.agreement_zone(s).count == reference["zopa_size"]
    frontier = ng.pareto_frontier(s)
    expected = reference["pareto_frontier"]
    assert len(frontier.points) == len(expected)
    for point in frontier.points:
        mine = tuple(point.utilities.values())
        match = [e for e in expected if close(mine, e["utilities"])]
        assert len(match) == 1, f"frontier point {mine} not in the reference"
        assert titles(s, point.outcome) in match[0]["all_outcomes_with_these_utilities"]
    for solve, key in [(ng.nash_bargaining_solution, "nash_points"),
                       (ng.egalitarian_solution, "kalai_points_egalitarian"),
                       (ng.utilitarian_solution, "max_welfare_points")]:
        solution = solve(s)
        points = reference[key]
        assert any(close(tuple(solution.utilities.values()), p["utilities"]) for p in points), key
        assert any(titles(s, solution.outcome) == p["outcome"] for p in points) or any(
            titles(s, solution.outcome) in e["all_outcomes_with_these_utilities"]
            for e in expected if close(e["utilities"], tuple(solution.utilities.values())))


@pytest.mark.parametrize("folder", sorted(XML))
def test_xml_domain_imports_and_matches_the_answers(folder: str) -> None:
    base = SHARED / "xml" / folder
    answers = json.loads((base / "answers.json").read_text())
    domain, profiles = XML[folder]
    s = ng.load_genius(base / domain, [base / p for p in profiles])
    assert [p.id for p in s.parties] == answers["parties"]
    assert [(i.title, [o.title for o in i.options]) for i in s.issues] == [
        (i["name"], i.get("options") or [str(x) for x in range(i["lowerbound"], i["upperbound"] + 1)])
        for i in answers["issues"]]
    assert s.outcome_count == answers["outcome_count"]
    assert ng.agreement_zone(s).count == answers["zone_count"]
    for party in s.parties:
        assert party.reservation == answers["reservation_value"][party.id]
        assert answers["discount_factor"][party.id] in party.note
    for sample in answers["utilities_sample"]:
        outcome = {i.id: next(o.id for o in i.options if o.title == sample["outcome"][i.title])
                   for i in s.issues}
        got = [ng.utility(s, p.id, outcome) for p in s.parties]
        assert close(got, sample["utilities"]) or all(
            abs(g - u) <= 5e-13 for g, u in zip(got, sample["utilities"], strict=True))
    frontier = ng.pareto_frontier(s)
    mine = sorted(tuple(round(u, 9) for u in p.utilities.values()) for p in frontier.points)
    assert mine == sorted(tuple(v) for v in answers["frontier"])
    outcomes = [titles(s, p.outcome) for p in frontier.points]
    for vector, outcome in zip(answers["frontier"], answers["frontier_outcomes"], strict=True):
        k = mine.index(tuple(vector))
        point = sorted(frontier.points, key=lambda p: tuple(round(u, 9) for u in p.utilities.values()))[k]
        assert point.count >= 1
        assert outcome in outcomes or close(
            [ng.utility(s, p.id, {i.id: next(o.id for o in i.options if o.title == outcome[i.title])
                                  for i in s.issues}) for p in s.parties], vector)
    nash = ng.nash_bargaining_solution(s)
    assert any(close(tuple(nash.utilities.values()), u) for u in answers["nash"]["utilities"])
    assert titles(s, nash.outcome) == answers["nash"]["outcome"] or len(answers["nash"]["utilities"]) > 1


@pytest.mark.parametrize("folder", sorted(XML))
def test_xml_domain_round_trips_exactly(folder: str, tmp_path: Path) -> None:
    base = SHARED / "xml" / folder
    domain, profiles = XML[folder]
    s = ng.load_genius(base / domain, [base / p for p in profiles])
    files = ng.dump_genius(s, tmp_path)
    again = ng.load_genius(files[0], files[1:])
    assert [p.model_dump(exclude={"name"}) for p in again.parties] == [
        p.model_dump(exclude={"name"}) for p in s.parties]
    # GENIUS discrete issues carry no order: an integer issue comes back unordered
    assert [i.model_copy(update={"ordered": False}) for i in s.issues] == list(again.issues)
