"""Bad arguments raise InvalidArgumentError, naming the argument and its value."""

from __future__ import annotations

import inspect
import math
import pathlib
from collections.abc import Callable
from typing import Any

import pytest

import negotiate as ng
import negotiate.analysis
from negotiate.analysis import acceptable_outcomes, is_pareto_optimal, near_deals
from negotiate.graphs import agreement_graph

TOY = pathlib.Path(__file__).parent.parent / "data" / "toy.yaml"
OUTCOME = {"tariff": "low", "quota": "no"}

BARGAINING = [
    "nash_bargaining_solution",
    "kalai_smorodinsky_solution",
    "egalitarian_solution",
    "utilitarian_solution",
]

# (label, call, argument name): each call passes one bad value.
CASES: list[tuple[str, Callable[[ng.Scenario], Any], str]] = [
    ("agreement_zone time_limit=-1", lambda s: ng.agreement_zone(s, time_limit=-1), "time_limit"),
    ("agreement_zone time_limit=nan",
     lambda s: ng.agreement_zone(s, time_limit=math.nan), "time_limit"),
    ("agreement_zone time_limit='1'",
     lambda s: ng.agreement_zone(s, time_limit="1"), "time_limit"),  # type: ignore[arg-type]
    ("agreement_zone max_enumeration=-1",
     lambda s: ng.agreement_zone(s, max_enumeration=-1), "max_enumeration"),
    ("acceptable_outcomes time_limit=0",
     lambda s: acceptable_outcomes(s, "A", time_limit=0), "time_limit"),
    ("acceptable_outcomes max_enumeration=1.5",
     lambda s: acceptable_outcomes(s, "A", max_enumeration=1.5),  # type: ignore[arg-type]
     "max_enumeration"),
    ("zone.sample(-1)", lambda s: ng.agreement_zone(s).sample(-1), "n"),
    ("zone.sample(True)", lambda s: ng.agreement_zone(s).sample(True), "n"),
    ("zone.estimate_count samples=0",
     lambda s: ng.agreement_zone(s).estimate_count(samples=0), "samples"),
    ("zone.estimate_count confidence=1",
     lambda s: ng.agreement_zone(s).estimate_count(confidence=1), "confidence"),
    ("zone.estimate_count confidence='high'",
     lambda s: ng.agreement_zone(s).estimate_count(confidence="high"),  # type: ignore[arg-type]
     "confidence"),
    ("explain_deadlock limit=0", lambda s: ng.explain_deadlock(s, limit=0), "limit"),
    ("explain_deadlock time_limit=-1",
     lambda s: ng.explain_deadlock(s, time_limit=-1), "time_limit"),
    ("near_deals k=0", lambda s: near_deals(s, k=0), "k"),
    ("near_deals time_limit=inf", lambda s: near_deals(s, time_limit=math.inf), "time_limit"),
    ("pareto_frontier max_points=0", lambda s: ng.pareto_frontier(s, max_points=0), "max_points"),
    ("pareto_frontier time_limit=0", lambda s: ng.pareto_frontier(s, time_limit=0), "time_limit"),
    ("is_pareto_optimal max_points=-1",
     lambda s: is_pareto_optimal(s, OUTCOME, max_points=-1), "max_points"),
    ("is_pareto_optimal time_limit=-1",
     lambda s: is_pareto_optimal(s, OUTCOME, time_limit=-1), "time_limit"),
    ("is_pareto_optimal frontier=[]",
     lambda s: is_pareto_optimal(s, OUTCOME, frontier=[]),  # type: ignore[arg-type]
     "frontier"),
    *[
        (f"{name} max_points=0",
         lambda s, name=name: getattr(ng, name)(s, max_points=0), "max_points")
        for name in BARGAINING
    ],
    *[
        (f"{name} time_limit=-1",
         lambda s, name=name: getattr(ng, name)(s, time_limit=-1), "time_limit")
        for name in BARGAINING
    ],
    ("agreement_graph limit=-1", lambda s: agreement_graph(s, limit=-1), "limit"),
    ("agreement_graph limit='10'",
     lambda s: agreement_graph(s, limit="10"), "limit"),  # type: ignore[arg-type]
    ("analyze near_deals=-1", lambda s: ng.analyze(s, near_deals=-1), "near_deals"),
    ("analyze time_limit=0", lambda s: ng.analyze(s, time_limit=0), "time_limit"),
    ("evaluate_proposal proposal=42",
     lambda s: ng.evaluate_proposal(s, 42), "proposal"),  # type: ignore[arg-type]
    ("explain_deadlock s=None", lambda s: ng.explain_deadlock(None), "s"),  # type: ignore[arg-type]
    ("pareto_frontier s={}", lambda s: ng.pareto_frontier({}), "s"),  # type: ignore[arg-type]
    ("loads format='xml'", lambda s: ng.loads("format: 1", format="xml"), "format"),
    ("dumps format='xml'", lambda s: ng.dumps(s, format="xml"), "format"),
    ("robustness samples=0", lambda s: ng.robustness(s, samples=0), "samples"),
    ("robustness seed=-1", lambda s: ng.robustness(s, seed=-1), "seed"),
    ("robustness spread=-0.1", lambda s: ng.robustness(s, spread=-0.1), "spread"),
    ("robustness tolerance=1", lambda s: ng.robustness(s, tolerance=1), "tolerance"),
    ("robustness time_limit=-1", lambda s: ng.robustness(s, time_limit=-1), "time_limit"),
    ("compare time_limit=-1", lambda s: ng.compare(s, s, time_limit=-1), "time_limit"),
    ("conflict_graph time_limit=-1",
     lambda s: ng.conflict_graph(s, time_limit=-1), "time_limit"),
    ("robustness confidence={'inferred': 2}",
     lambda s: ng.robustness(s, confidence={"inferred": 2}), "confidence"),
]


@pytest.mark.parametrize(("call", "name"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_argument(call: Callable[[ng.Scenario], Any], name: str) -> None:
    with pytest.raises(ng.InvalidArgumentError) as info:
        call(ng.load(TOY))
    assert str(info.value).startswith(f"{name}="), str(info.value)
    assert "must" in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ng.NegotiateError)


def test_every_numeric_option_is_covered() -> None:
    """Each public function (top level and negotiate.analysis) with an int or float parameter
    has a case above."""
    covered = {label.split()[0] for label, _, _ in CASES}
    numeric = set()
    for module in (ng, negotiate.analysis):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                for parameter in inspect.signature(obj).parameters.values():
                    if "int" in str(parameter.annotation) or "float" in str(parameter.annotation):
                        numeric.add(name)
    assert numeric, "no public function has numeric options?"
    assert numeric <= covered, sorted(numeric - covered)


def test_scenario_content_errors_stay_scenario_errors() -> None:
    s = ng.load(TOY)
    with pytest.raises(ng.ScenarioError) as info:
        acceptable_outcomes(s, "C")
    assert not isinstance(info.value, ng.InvalidArgumentError)
    with pytest.raises(ng.ScenarioError) as info:
        ng.evaluate_proposal(s, "p9")
    assert not isinstance(info.value, ng.InvalidArgumentError)
