"""ng.compare and ``negotiate diff``: what changed between two snapshots, matched by id."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import negotiate as ng
from negotiate.cli import main
from negotiate.rules import parse, render
from tests import brute

ROOT = Path(__file__).resolve().parents[2]
DECEMBER = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"
JANUARY = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"

BASE = """\
format: 1
id: t
sources: [{id: S1}, {id: S2}]
issues:
  - {id: tariff, options: [none, low, high], ordered: true}
  - {id: quota, options: ["yes", "no"]}
parties:
  - id: A
    red_lines:
      - {id: a1, rule: "tariff == none", stance: stated, sources: [S1, S2], note: "said so"}
  - id: B
    red_lines:
      - {id: b1, rule: "tariff >= low"}
      - {id: b2, rule: "quota == yes"}
proposals:
  - {id: p, terms: {tariff: low, quota: "yes"}}
  - {id: gone, terms: {tariff: none}}
"""


def scenario(text: str = BASE, **edits: Any) -> ng.Scenario:
    data = yaml.safe_load(text)
    for path, value in edits.items():
        *keys, last = path.split("__")
        target = data
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is None:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return ng.Scenario.model_validate(data)


def test_identical_snapshots_are_unchanged() -> None:
    c = ng.compare(scenario(), scenario())
    assert c.is_unchanged
    assert "nothing changed" in str(c)
    assert all(not v.changed for v in c.verdicts)
    assert len(c.verdicts) == 2 * 2  # two proposals in both, two parties


def test_layout_of_a_rule_and_order_of_sources_do_not_count() -> None:
    after = scenario(parties__0__red_lines__0__rule="(tariff==none)",
                     parties__0__red_lines__0__sources=["S2", "S1"])
    assert ng.compare(scenario(), after).red_lines_changed == ()


def test_each_field_is_reported_when_it_changes() -> None:
    after = scenario(
        parties__0__red_lines__0__rule="tariff <= low",
        parties__0__red_lines__0__stance="reported",
        parties__0__red_lines__0__sources=["S1"],
        parties__0__red_lines__0__note="reworded",
    )
    (change,) = ng.compare(scenario(), after).red_lines_changed
    assert change.id == "a1"
    assert change.fields == ("rule", "stance", "sources", "note")
    assert change.before["rule"] == "tariff == none" and change.after["rule"] == "tariff <= low"
    assert change.before["sources"] == ["S1", "S2"] and change.after["sources"] == ["S1"]
    assert (change.before["stance"], change.after["stance"]) == ("stated", "reported")


def test_a_renamed_red_line_is_removed_and_added() -> None:
    after = scenario(parties__1__red_lines__1__id="b2-renamed")
    c = ng.compare(scenario(), after)
    assert c.red_lines_added == ("b2-renamed",) and c.red_lines_removed == ("b2",)
    assert c.red_lines_changed == ()


def test_a_red_line_moving_party_is_a_change() -> None:
    data = yaml.safe_load(BASE)
    moved = data["parties"][1]["red_lines"].pop(1)
    data["parties"][0]["red_lines"].append(moved)
    (change,) = ng.compare(scenario(), ng.Scenario.model_validate(data)).red_lines_changed
    assert change.id == "b2" and change.fields == ("party",)
    assert (change.before["party"], change.after["party"]) == ("B", "A")


def test_issues_options_and_proposals() -> None:
    data = yaml.safe_load(BASE)
    data["issues"][0]["options"] = ["none", "low", "mid", "high"]
    data["issues"][1]["options"] = ["yes", "no", "maybe"]
    data["issues"].append({"id": "labour", "options": ["weak", "strong"]})
    data["proposals"] = [data["proposals"][0], {"id": "new", "terms": {"quota": "no"}}]
    c = ng.compare(scenario(), ng.Scenario.model_validate(data))
    assert c.issues_added == ("labour",) and c.issues_removed == ()
    assert c.options_added == ("tariff.mid", "quota.maybe") and c.options_removed == ()
    assert c.proposals_added == ("new",) and c.proposals_removed == ("gone",)
    assert {v.proposal for v in c.verdicts} == {"p"}
    back = ng.compare(ng.Scenario.model_validate(data), scenario())
    assert back.options_removed == ("tariff.mid", "quota.maybe")
    assert back.issues_removed == ("labour",)


def _minimal_conflicts(s: ng.Scenario) -> set[frozenset[str]]:
    ids = [c for c in brute.constraint_ids(s) if not c.endswith(":reservation")]
    found: set[frozenset[str]] = set()
    for k in range(1, len(ids) + 1):
        for subset in itertools.combinations(ids, k):
            if any(f <= set(subset) for f in found):
                continue
            if not brute.feasible(s, subset):
                found.add(frozenset(subset))
    return found


def _verdict(s: ng.Scenario, proposal: str, party: str) -> str:
    terms = s.proposal(proposal).terms
    completions = [o for o in brute.outcomes(s) if all(o[i] == v for i, v in terms.items())]
    ok = [brute.acceptable(s, party, o) for o in completions]
    return "accepts" if all(ok) else "rejects" if not any(ok) else "undecided"


def test_conclusions_against_brute_force() -> None:
    before = scenario()
    after = scenario(parties__0__red_lines__0__rule="tariff <= low",
                     parties__1__red_lines__1__rule="quota == no")
    c = ng.compare(before, after)
    assert c.zone_before == (not brute.zone(before)) and c.zone_after == (not brute.zone(after))
    old, new = _minimal_conflicts(before), _minimal_conflicts(after)
    assert {frozenset(x) for x in c.conflicts_appeared} == new - old
    assert {frozenset(x) for x in c.conflicts_resolved} == old - new
    assert c.conflicts_resolved  # a1 + b1 no longer clash
    for v in c.verdicts:
        assert v.before == _verdict(before, v.proposal, v.party)
        assert v.after == _verdict(after, v.proposal, v.party)
    assert any(v.changed for v in c.verdicts)


def _red_line_table(path: Path) -> dict[str, dict[str, Any]]:
    """Red lines straight from the YAML, not through negotiate."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {r["id"]: r | {"party": p["id"]} for p in data["parties"] for r in p.get("red_lines", [])}


def test_flagship_snapshots_red_lines_added_removed_changed() -> None:
    old, new = _red_line_table(DECEMBER), _red_line_table(JANUARY)
    c = ng.compare(ng.load(DECEMBER), ng.load(JANUARY))
    assert set(c.red_lines_added) == set(new) - set(old)
    assert set(c.red_lines_removed) == set(old) - set(new)

    def plain(r: dict[str, Any]) -> tuple[Any, ...]:
        rule = render(parse(r["rule"]))
        return (r["party"], rule, r.get("stance", "inferred"), frozenset(r.get("sources", [])),
                r.get("note", ""))

    expected = {i for i in set(old) & set(new) if plain(old[i]) != plain(new[i])}
    assert {x.id for x in c.red_lines_changed} == expected
    assert expected  # the snapshots do differ


def test_diff_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(DECEMBER), str(JANUARY), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    old, new = _red_line_table(DECEMBER), _red_line_table(JANUARY)
    assert set(doc["red_lines"]["added"]) == set(new) - set(old)
    assert set(doc["red_lines"]["removed"]) == set(old) - set(new)
    for change in doc["red_lines"]["changed"]:
        assert set(change["fields"]) <= {"party", "rule", "stance", "sources", "note",
                                         "confidence"}
        assert change["id"] in old and change["id"] in new
    for key in ("issues", "options", "proposals"):
        assert set(doc[key]) >= {"added", "removed"}
    assert doc["proposals"]["removed"] == ["us-ua-geneva"]
    assert doc["zone"] == {"before": True, "after": True}
    assert all(isinstance(x, list) for x in doc["conflicts"]["appeared"])
    assert {v["before"] for v in doc["verdicts"]} <= {"accepts", "rejects", "undecided"}
    assert {(v["proposal"], v["party"]) for v in doc["verdicts"]} == {
        (p, q) for p in ("us-28-point", "e3-counter") for q in ("us", "russia", "ukraine", "europe")
    }


def test_diff_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(DECEMBER), str(JANUARY)]) == 0
    out = capsys.readouterr().out
    old, new = _red_line_table(DECEMBER), _red_line_table(JANUARY)
    assert f"Red lines added ({len(set(new) - set(old))}):" in out
    assert "us-guarantees-need-donbas (United States, reported" in out
    assert "stance: inferred -> stated" in out


def test_diff_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["diff", str(DECEMBER), str(missing)]) == 2
    assert "nope.yaml" in capsys.readouterr().err


def test_compare_rejects_non_scenarios() -> None:
    with pytest.raises(ng.InvalidArgumentError, match="before=<str> must be a Scenario"):
        ng.compare("x", scenario())  # type: ignore[arg-type]
