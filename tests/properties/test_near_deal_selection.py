"""Near deals as listed to people (``diverse=True``): distinct, fair, ranked as stated.

Cross-checked against brute force on small random scenarios, with the numpy
tables and with every block forced through CP-SAT.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis.deadlock import near_deals
from negotiate.analysis.near_select import fair_order
from tests import brute
from tests.properties.test_deadlock_properties import ENGINES, _cost, _engine, _violated, scenarios


@ENGINES
@given(s=scenarios(), k=st.integers(1, 6), weighted=st.booleans())
def test_diverse_near_deals_are_distinct_correct_and_fair(
    engine: str, s: ng.Scenario, k: int, weighted: bool
) -> None:
    with _engine(engine):
        deals = near_deals(s, k, weighted=weighted, time_limit=None, diverse=True)
    table = _violated(s)
    violated = dict(table)

    def cost(v: frozenset[str]) -> Fraction:
        return sum((_cost(s, c, weighted) for c in v), Fraction(0))

    assert 1 <= len(deals) <= k
    sets = [frozenset(d.crossed) for d in deals]
    for d, crossed in zip(deals, sets, strict=True):
        assert crossed == violated[d.outcome]  # what it says it crosses is what it crosses
        assert d.violation == pytest.approx(float(cost(crossed)))
        for p in s.parties:
            best = max(brute.utility(s, p.id, o) for o in brute.outcomes(s))
            assert d.losses[p.id] == pytest.approx(float(best - brute.utility(s, p.id, d.outcome)))
    # distinct, and none gives up all of another's set and more
    for a in range(len(sets)):
        for b in range(len(sets)):
            if a != b:
                assert not sets[a] <= sets[b]
    # the first is as small as any outcome gets; levels never go down
    least = min(cost(v) for _, v in table)
    assert cost(sets[0]) == least
    assert [d.violation for d in deals] == sorted(d.violation for d in deals)
    # as many as asked when enough equally small sets exist
    smallest = {v for _, v in table if cost(v) == least}
    if len(smallest) >= k:
        assert len(deals) == k and all(cost(x) == least for x in sets)
    # fairness: when equally small deals ask different groups of parties to give way,
    # not every slot goes to one group
    groups = {tuple(p.id for p in s.parties if any(c in v for c in _own(p))) for v in smallest}
    if len(groups) >= 2 and k >= 2:
        listed = {tuple(d.crossed_by_party) for d in deals if d.violation == float(least)}
        assert len(listed) >= 2


def _own(p: ng.model.Party) -> set[str]:
    return {r.id for r in p.red_lines} | {p.reservation_id}


@given(
    items=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 3), st.integers(0, 5)),
        max_size=12,
    ),
    k=st.integers(1, 8),
)
def test_fair_order_takes_turns_within_a_level(items: list[tuple[str, int, int]], k: int) -> None:
    picked = fair_order(
        items, k, violation=lambda d: d[1], worst_loss=lambda d: d[2], welfare=lambda d: 0,
        conceding=lambda d: (d[0],),
    )
    assert len(picked) == min(k, len(items))
    assert sorted(picked, key=lambda d: d[1]) == picked  # lines crossed first
    for level in {d[1] for d in picked}:
        here = [d for d in picked if d[1] == level]
        available = {d[0] for d in items if d[1] == level}
        counts = {g: sum(1 for d in here if d[0] == g) for g in available}
        for g in available:
            left = sum(1 for d in items if d[1] == level and d[0] == g) > counts[g]
            if left:  # turns: a group with items left has at most one slot fewer than any
                assert counts[g] >= max(counts.values()) - 1
        for g in available:  # within a group, by the worst-off party's loss
            losses = [d[2] for d in here if d[0] == g]
            assert losses == sorted(losses)
