"""The frontier on blocks large enough for the pivot pre-pass (256+ rows), against brute force.

The scenarios of ``test_pareto_properties`` stay below the size where
``pareto._local`` prunes rows by pivots before sorting; these have 5-6 issues of
3-4 options (243-4,096 outcomes, still cheap to enumerate), two or three parties
and optional red lines tying issues into one block, so both the plain-product and
the red-line paths of ``_feasible_rows`` run with the pre-pass.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis._dominance import _pivot_pruned
from negotiate.analysis.pareto import pareto_frontier
from tests import brute

VALUES = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 1.0])


@st.composite
def block_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n_issues = draw(st.integers(5, 6))
    issues = [{"id": f"i{j}", "options": [f"o{k}" for k in range(draw(st.integers(3, 4)))]}
              for j in range(n_issues)]
    parties = []
    for p in range(draw(st.integers(2, 3))):
        preferences = {
            issue["id"]: {"importance": draw(st.sampled_from([1, 2, 3])),
                          "values": {o: draw(VALUES) for o in issue["options"]}}
            for issue in issues
        }
        rules = []
        for r in range(draw(st.integers(0, 2))):
            a, b = draw(st.sampled_from(issues)), draw(st.sampled_from(issues))
            rules.append({"id": f"r{p}_{r}", "rule": (
                f"not ({a['id']} == {draw(st.sampled_from(a['options']))} and "
                f"{b['id']} == {draw(st.sampled_from(b['options']))})")})
        parties.append({"id": f"P{p}", "preferences": preferences, "red_lines": rules,
                        "reservation": draw(st.sampled_from([0.0, 0.0, 0.3]))})
    return {"format": 1, "id": "blocks", "issues": issues, "parties": parties}


@settings(max_examples=40, deadline=None)
@given(block_scenarios())
def test_frontier_matches_brute_force_on_large_blocks(data: dict[str, Any]) -> None:
    s = ng.validate(data)
    groups: dict[tuple[Fraction, ...], list[Any]] = {}
    for outcome, vector in brute.pareto(s):
        groups.setdefault(vector, []).append(outcome)
    frontier = pareto_frontier(s)
    assert {tuple(p.exact_utilities.values()) for p in frontier} == set(groups)
    for point in frontier:
        outcomes = groups[tuple(point.exact_utilities.values())]
        assert point.count == len(outcomes)
        assert set(point.outcomes()) == set(outcomes)


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 5), st.integers(1, 400), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_pivot_prune_drops_only_strictly_dominated_rows(
    width: int, n: int, spread: int, seed: int
) -> None:
    v = np.random.default_rng(seed).integers(-spread, spread + 1, size=(n, width))
    kept = _pivot_pruned(v)
    ge = np.all(v[None, :, :] >= v[:, None, :], axis=2)  # ge[i, j]: row j >= row i
    eq = np.all(v[None, :, :] == v[:, None, :], axis=2)
    strictly_dominated = (ge & ~eq).any(axis=1)
    assert not np.any(~kept & ~strictly_dominated)  # every dropped row is dominated
    assert kept.any()  # a pivot itself is never dropped
