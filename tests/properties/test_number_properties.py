"""Property tests: numbers with many decimals (and extreme magnitudes) are answered exactly.

The random scenarios of the zone, frontier and deadlock property tests are redrawn
with fine numbers (12 to 17 significant digits, now and then 1e-300 or 1e300) and the
same brute-force checks (``tests/brute.py``, exact fractions) are run on them. CP-SAT
is also run with its integer range shrunk to a few bits (``CP_BOUND``), so its tables
are coarsely scaled and every answer rests on the exact check-and-cut repair.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate import space
from tests.properties import test_deadlock_properties as deadlock_props
from tests.properties import test_pareto_properties as pareto_props
from tests.properties import test_zone_properties as zone_props

#: 12 to 17 significant digits, in (0, 1].
FINE = st.integers(1, 10**17).map(lambda k: float(f"{k / 10**17:.{17}g}"))
IMPORTANCE = st.one_of(FINE, FINE, FINE, st.sampled_from([1e-300, 1e300, 0.1, 3.0]))
VALUE = st.one_of(FINE, st.sampled_from([0.0, 1.0, 0.5]))
RESERVATION = st.one_of(FINE, st.sampled_from([0.0, 0.5]))


@st.composite
def fine(draw: st.DrawFn, base: st.SearchStrategy[ng.Scenario]) -> ng.Scenario:
    """A scenario from ``base`` with every importance, value and reservation redrawn fine."""
    data: dict[str, Any] = draw(base).model_dump(mode="json", exclude_defaults=True)
    data["format"] = 1
    for party in data["parties"]:
        for pref in party.get("preferences", {}).values():
            if pref.get("importance"):
                pref["importance"] = draw(IMPORTANCE)
            if "values" in pref:
                pref["values"] = {o: draw(VALUE) for o in pref["values"]}
        if party.get("reservation"):
            party["reservation"] = draw(RESERVATION)
    return ng.validate(data)


@contextlib.contextmanager
def cp_bound(bits: int | None) -> Iterator[None]:
    """CP-SAT's coefficient range shrunk to ``bits`` bits (None: as shipped)."""
    if bits is None:
        yield
        return
    with mock.patch.object(space, "CP_BOUND", 2**bits):
        yield


BOUNDS = pytest.mark.parametrize("bits", [None, 6])


@BOUNDS
@pytest.mark.parametrize("path", sorted(zone_props.PATHS))
@given(s=fine(zone_props.small_scenarios()))
def test_zone_is_exact_for_fine_numbers(bits: int | None, path: str, s: ng.Scenario) -> None:
    with cp_bound(bits), zone_props.engine_path(path):
        zone_props.check_against(ng.agreement_zone(s), zone_props.brute.zone(s), path)


@given(s=fine(pareto_props.scenarios()))
def test_frontier_is_exact_for_fine_numbers(s: ng.Scenario) -> None:
    pareto_props.test_frontier_is_exactly_the_undominated_zone.hypothesis.inner_test(s)


@given(s=fine(pareto_props.scenarios(min_parties=2)))
def test_solutions_are_exact_for_fine_numbers(s: ng.Scenario) -> None:
    pareto_props.test_solutions_maximise_their_objective_on_the_frontier.hypothesis.inner_test(s)


@BOUNDS
@pytest.mark.parametrize("engine", ["table", "cpsat"])
@given(s=fine(deadlock_props.scenarios()))
def test_conflicts_are_exact_for_fine_numbers(
    bits: int | None, engine: str, s: ng.Scenario
) -> None:
    inner = deadlock_props.test_conflicts_are_infeasible_minimal_and_complete.hypothesis
    with cp_bound(bits):
        inner.inner_test(engine, s)


@BOUNDS
@given(s=fine(deadlock_props.scenarios()), weighted=st.booleans())
def test_relaxations_are_exact_for_fine_numbers(
    bits: int | None, s: ng.Scenario, weighted: bool
) -> None:
    inner = deadlock_props.test_relaxations_are_exactly_the_minimum_ones.hypothesis
    with cp_bound(bits):
        inner.inner_test("cpsat", s, weighted)


@given(s=fine(deadlock_props.scenarios()), k=st.integers(1, 6), weighted=st.booleans())
def test_near_deals_are_exact_for_fine_numbers(s: ng.Scenario, k: int, weighted: bool) -> None:
    inner = deadlock_props.test_near_deals_are_the_fewest_violation_outcomes.hypothesis
    for engine in ("table", "cpsat"):
        inner.inner_test(engine, s, k, weighted)
