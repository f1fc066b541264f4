"""Regression tests for problems found in review."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.analysis import relax

ROOT = Path(__file__).resolve().parents[2]
TOY = (ROOT / "tests" / "data" / "toy.yaml").read_text()


def test_equal_scenarios_stay_equal_after_analysis() -> None:
    a, b = ng.loads(TOY), ng.loads(TOY)
    assert not ng.agreement_zone(a).is_empty and not ng.agreement_zone(b).is_empty
    assert a == b


def test_tiny_values_compare_exactly_without_overflow() -> None:
    s = ng.loads(
        "format: 1\nid: t\nissues: [{id: a, options: [x, y]}]\n"
        "parties: [{id: p, reservation: 0.5, preferences: {a: {importance: 1, values: {x: 1.0e-20}}}}]"
    )
    assert ng.agreement_zone(s).is_empty
    assert ng.evaluate_proposal(s, {}).parties[0].verdict == "rejects"
    s = ng.loads(
        "format: 1\nid: t\nissues: [{id: a, options: [x, y]}]\n"
        "parties: [{id: p, reservation: 1.0e-21, preferences: {a: {importance: 1, values: {x: 1.0e-20}}}}]"
    )
    # within the documented 1e-9 tolerance both options are acceptable
    from tests import brute

    assert list(ng.agreement_zone(s)) == brute.zone(s) == [{"a": "x"}, {"a": "y"}]


@pytest.mark.parametrize("party", [123, None, ["A"]])
def test_party_ids_that_are_not_text(party: object) -> None:
    s = ng.loads(TOY)
    with pytest.raises(ng.ScenarioError, match="unknown party"):
        ng.utility(s, party, {"tariff": "low", "quota": "no"})  # type: ignore[arg-type]


@pytest.mark.parametrize("terms", [{"tariff": "lo w"}, {"tariff": None}])
def test_bad_terms_give_a_scenario_error(terms: dict[str, object]) -> None:
    with pytest.raises(ng.ScenarioError, match="unknown option"):
        ng.evaluate_proposal(ng.loads(TOY), terms)  # type: ignore[arg-type]


@pytest.mark.parametrize("constraints", [None, [1]])
def test_relax_refuses_what_is_not_ids(constraints: object) -> None:
    with pytest.raises(ng.InvalidArgumentError, match="constraints="):
        relax(ng.loads(TOY), constraints)  # type: ignore[arg-type]


def test_an_invalid_item_is_not_also_reported_as_missing() -> None:
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads("format: 1\nid: t\nissues: [{id: q, options: [a], ordered: yes}]\nparties: [{id: p}]")
    assert [p.location for p in info.value.problems] == ["issues[0].ordered"]


def test_cli_survives_a_terminal_that_cannot_show_unicode() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "negotiate", "analyze", str(ROOT / "tests" / "data" / "toy.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT), "PATH": ""},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "AGREEMENT ZONE" in result.stdout
