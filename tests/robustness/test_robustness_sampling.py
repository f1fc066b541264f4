"""Monte Carlo robustness: coverage of the exact answer, drawn numbers checked by brute
force, determinism, early stopping, time limits."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis import relax
from negotiate.analysis.robustness import resolve_confidence
from negotiate.analysis.robustness_sample import Sampler, sample_stream
from negotiate.results import Robustness
from negotiate.space import compile_scenario
from negotiate.testing import scenarios
from tests import brute
from tests.robustness._reference import with_confidences


def _plain(r: Robustness) -> dict[str, Any]:
    d = r.to_dict()
    d.pop("elapsed")
    return d


@st.composite
def contested_scenarios(draw: st.DrawFn) -> ng.Scenario:
    """Small scenarios with a planted conflict and every red line uncertain, so that
    P(agreement) is rarely 0 or 1 (a coverage test on certain answers proves little)."""
    s = draw(scenarios(max_issues=3, max_options=3, max_parties=3, max_red_lines=2,
                       feasible=False, reservations=False))
    levels = st.sampled_from([0.2, 0.4, 0.6, 0.8, 0.95])
    return with_confidences(s, {r.id: draw(levels) for p in s.parties for r in p.red_lines})


def test_exact_answer_lies_in_the_sampled_interval_in_at_least_90_percent_of_cases() -> None:
    covered: list[bool] = []
    strict: list[bool] = []

    @given(s=contested_scenarios())
    @settings(max_examples=50, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    def one(s: ng.Scenario) -> None:
        exact = ng.robustness(s, method="exact")
        sampled = ng.robustness(s, method="monte_carlo", samples=200, seed=len(covered))
        assert sampled.method == "monte_carlo" and sampled.samples == 200
        low, high = sampled.interval
        covered.append(low - 1e-12 <= exact.p_agreement <= high + 1e-12)
        strict.append(0 < exact.p_agreement < 1)

    one()
    assert len(covered) >= 40, "too few distinct scenarios were drawn"
    assert sum(strict) >= 0.5 * len(strict), "most answers should be uncertain"
    assert sum(covered) / len(covered) >= 0.9, covered


def _drawn_scenario(sampler: Sampler, u: np.ndarray) -> ng.Scenario:
    """The scenario a sample's numbers describe, for the brute-force reference.

    Built with ``model_copy`` (no validation): drawn numbers have full float precision,
    which a scenario file would refuse as too fine to compare exactly; the reference
    compares them exactly anyway.
    """
    numbers = sampler.low + u * sampler.width
    numbers = np.where(sampler.clip, np.clip(numbers, 0.0, 1.0), numbers)
    parties = []
    for p, (party, rows) in enumerate(zip(sampler.s.parties, sampler.layout, strict=True)):
        prefs = {}
        for i, first, _n in rows or []:
            issue = sampler.s.issues[i]
            prefs[issue.id] = party.preferences[issue.id].model_copy(update={
                "importance": float(numbers[first]),
                "values": {o: float(numbers[first + 1 + k])
                           for k, o in enumerate(issue.option_ids)},
                "ranking": None,
            })
        parties.append(party.model_copy(update={
            "preferences": prefs, "reservation": float(numbers[sampler.reservation_at[p]]),
        }))
    return sampler.s.model_copy(update={"parties": tuple(parties)})


@st.composite
def ranged_scenarios(draw: st.DrawFn) -> ng.Scenario:
    s = draw(scenarios(max_issues=3, max_options=3, max_parties=2, max_red_lines=2))
    data = s.model_dump(mode="json")
    for party in data["parties"]:
        if draw(st.booleans()):
            r = draw(st.sampled_from([0.0, 0.2, 0.4, 0.6]))
            party["reservation"] = [r, r + draw(st.sampled_from([0.0, 0.1, 0.4]))]
        for pref in party.get("preferences", {}).values():
            if draw(st.booleans()) and pref["importance"] > 0:
                w = pref["importance"]
                pref["importance"] = [w / 2, w * 2]
    return ng.validate(data)


@given(s=ranged_scenarios(), spread=st.sampled_from([None, 0.3]),
       seed=st.integers(0, 1000))
@settings(max_examples=40, deadline=None)
def test_each_sample_agrees_with_brute_force_on_the_drawn_numbers(
    s: ng.Scenario, spread: float | None, seed: int
) -> None:
    q, _ = resolve_confidence(s, None)
    compiled = compile_scenario(s)
    plan = json.dumps({
        "scenario": s.model_dump(mode="json"),
        "confidence": [q[x.id] for x in compiled.red_lines],
        "spread": spread, "solve_limit": None, "proposals": [],
    })
    sampler = Sampler(plan)
    reservations = [f"{p.id}:reservation" for p in s.parties]
    for k in range(5):
        rng = sample_stream(seed, k)
        present = rng.random(len(compiled.red_lines)) < sampler.q
        u = rng.random(len(sampler.low))
        variant = sampler.variant(u) if sampler.numeric else sampler.c
        chosen = tuple(int(x) for x in np.flatnonzero(present))
        empty, _ = sampler.empty(variant, chosen)
        drawn = _drawn_scenario(sampler, u)
        ids = [compiled.red_lines[x].id for x in chosen]
        assert empty == (not brute.feasible(drawn, ids + reservations)), (k, ids)


ONE_NUMBER = """
format: 1
id: t
issues: [{id: a, options: [x, y]}, {id: b, options: [u, v]}]
parties:
  - id: p
    reservation: %s
    preferences: {a: {importance: 1, values: {x: %s, y: 0}}}
proposals:
  - {id: open, terms: {b: u}}
  - {id: both, terms: {a: x, b: v}}
"""


def test_a_ranged_value_gives_the_analytic_probability() -> None:
    # P(value of x >= reservation) with x ~ U[0, 1] and reservation 0.5 is 1/2; the open
    # proposal leaves a open, so p accepts only if a=y (utility 0) is acceptable: never.
    s = ng.loads(ONE_NUMBER % ("0.5", "[0, 1]"))
    r = ng.robustness(s, samples=2000, seed=3)
    assert r.method == "monte_carlo" and r.ranges == ("parties[0].preferences.a.values.x",)
    assert r.interval[0] <= 0.5 <= r.interval[1]
    assert r.proposals["open"]["p"] == 0.0
    assert r.proposals["both"]["p"] == r.p_agreement  # same event: v_x >= 0.5


def test_a_ranged_reservation_against_a_fixed_value() -> None:
    # utility of the best outcome is 0.6; reservation ~ U[0.4, 0.8] -> P = 0.5
    s = ng.loads(ONE_NUMBER % ("[0.4, 0.8]", "0.6"))
    r = ng.robustness(s, samples=2000, seed=5)
    assert r.interval[0] <= 0.5 <= r.interval[1]


def test_same_seed_same_result_other_seed_other_draws() -> None:
    s = ng.load("examples/textbook/car-sale.yaml")
    a = ng.robustness(s, samples=150, seed=7, spread=0.2)
    b = ng.robustness(s, samples=150, seed=7, spread=0.2)
    assert _plain(a) == _plain(b) and a.samples == 150
    assert "elapsed" in a.to_dict()


def test_threads_give_the_serial_result_and_tolerance_stops_at_the_same_chunk() -> None:
    s = ng.load("examples/textbook/three-party-coalition.yaml")
    serial = ng.robustness(s, samples=400, seed=2, spread=0.3, tolerance=0.08)
    with ThreadPoolExecutor(3) as pool:
        threaded = ng.robustness(s, samples=400, seed=2, spread=0.3, tolerance=0.08,
                                 executor=pool)
    assert _plain(serial) == _plain(threaded)
    assert serial.samples < 400 and serial.samples % 25 == 0
    assert any("stopped early" in m for m in serial.messages)
    assert (serial.interval[1] - serial.interval[0]) / 2 <= 0.08


def test_method_exact_with_ranges_samples_and_says_why() -> None:
    s = ng.loads(ONE_NUMBER % ("0.5", "[0, 1]"))
    r = ng.robustness(s, method="exact", samples=50)
    assert r.method == "monte_carlo" and "exact mode needs certain numbers" in r.messages[0]


def test_time_limit_raises_with_the_samples_so_far() -> None:
    s = ng.load("examples/textbook/car-sale.yaml")
    with pytest.raises(ng.SearchLimitError) as info:
        ng.robustness(s, method="monte_carlo", samples=10_000, time_limit=0)
    partial = info.value.partial
    assert isinstance(partial, Robustness) and 0 < partial.samples < 10_000


def test_progress_is_reported_per_chunk() -> None:
    s = ng.load("examples/textbook/car-sale.yaml")
    seen: list[tuple[int, int]] = []
    ng.robustness(s, method="monte_carlo", samples=60, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(25, 60), (50, 60), (60, 60)]


def test_flagship_sampled_agrees_with_exact_once_the_stated_clashes_are_conceded() -> None:
    s = relax(ng.load("examples/ukraine-2025/talks-2025-12-02.yaml"),
              ["ru-donbas", "ru-recognition", "ru-south"])
    exact = ng.robustness(s)
    sampled = ng.robustness(s, method="monte_carlo", samples=300, seed=1)
    assert exact.method == "exact" and 0 < exact.p_agreement < 1
    assert sampled.interval[0] <= exact.p_agreement <= sampled.interval[1]
    for red_line, value in exact.criticality.items():
        assert abs(sampled.criticality[red_line] - value) < 0.1, red_line
    for pid, per in exact.proposals.items():
        for key, value in per.items():
            assert abs(sampled.proposals[pid][key] - value) < 0.1, (pid, key)
