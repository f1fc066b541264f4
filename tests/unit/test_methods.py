"""``method=`` on the analyses with more than one engine: validated, and every engine
gives the same answer."""

from __future__ import annotations

import pytest
from hypothesis import given

import negotiate as ng
from negotiate.analysis import near_deals
from tests.properties.test_deadlock_properties import scenarios


@pytest.mark.parametrize("bad", ["fast", "", None, 3])
def test_unknown_method_is_refused(bad: object) -> None:
    s = ng.loads("format: 1\nid: t\nissues: [{id: a, options: [x, y]}]\nparties: [{id: p}]\n")
    with pytest.raises(ng.InvalidArgumentError, match="method="):
        ng.explain_deadlock(s, method=bad)  # type: ignore[arg-type]
    with pytest.raises(ng.InvalidArgumentError, match="method="):
        near_deals(s, method=bad)  # type: ignore[arg-type]


@given(s=scenarios())
def test_engines_agree(s: ng.Scenario) -> None:
    table = ng.explain_deadlock(s, method="table", time_limit=None)
    solver = ng.explain_deadlock(s, method="cp-sat", time_limit=None)
    assert table.is_deadlocked == solver.is_deadlocked
    assert {c.constraints for c in table.conflicts} == {c.constraints for c in solver.conflicts}
    assert {r.constraints for r in table.relaxations} == {
        r.constraints for r in solver.relaxations
    }
    deals_t = near_deals(s, 3, method="table", time_limit=None)
    deals_s = near_deals(s, 3, method="cp-sat", time_limit=None)
    assert [d.violation for d in deals_t] == [d.violation for d in deals_s]
