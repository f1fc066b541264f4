"""Answers do not depend on call order: the witness asked first or after iterating,
samples before or after counting, are the same."""

from __future__ import annotations

from unittest import mock

import pytest
from hypothesis import given

import negotiate as ng
from negotiate.analysis import zone_engine
from tests.properties.test_zone_properties import small_scenarios


def fresh(s: ng.Scenario) -> ng.Scenario:
    return ng.validate(s.model_dump(mode="json", exclude_none=True))


@pytest.mark.parametrize("limit", [0, 10**9])
@given(s=small_scenarios())
def test_witness_and_samples_do_not_depend_on_call_order(limit: int, s: ng.Scenario) -> None:
    with mock.patch.object(zone_engine, "_EMPTINESS_MATERIALISE_LIMIT", limit):
        first = ng.agreement_zone(fresh(s))
        witness_first = first.witness
        listed = list(first)
        samples_first = first.sample(5, seed=3) if listed else []
        later = ng.agreement_zone(fresh(s))
        if listed:
            assert later.sample(5, seed=3) == samples_first
        assert later.count == len(listed)
        assert later.witness == witness_first
        assert list(later) == listed
