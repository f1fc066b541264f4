"""Choosing which near deals to list: distinct, fair, ranked in a stated order.

The search (:mod:`negotiate.analysis.deadlock_search`) finds outcomes that
cross few constraints. Listed as they come, the best few often cross the
same constraints and differ only on issues nobody's red lines read, and
they may all ask the same party to give way. This module picks the list
that is shown instead:

- **distinct**: no two listed near deals cross the same set of constraints
  (and none crosses a superset of another's set: it would give up all of
  that and more);
- **ranked** by the number (or cost) of constraints crossed, then by the
  *worst-off party's loss* (the largest shortfall of a party's utility from
  the best it could get anywhere), then by the sum of utilities;
- **fair**: among near deals crossing equally few constraints, slots go in
  turn to each group of conceding parties (the parties whose constraints a
  deal crosses), so one party's concessions never take every slot while
  another party's are just as small.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from negotiate._deadline import Deadline

__all__ = ["NEAR_DEAL_POOL", "RANKING", "distinct_best", "fair_order"]

#: Candidates examined per near deal listed: ``near_deals(s, k, diverse=True)``
#: gathers up to ``NEAR_DEAL_POOL * k`` outcomes with distinct crossed sets
#: (each linked block contributes that many) before ranking and picking k.
NEAR_DEAL_POOL = 4

#: How listed near deals are ordered, in words (printed beside them).
RANKING = (
    "distinct sets of crossed red lines, ranked by the number crossed, then by the "
    "worst-off party's loss (utility short of the best it could get), then by the sum of "
    "utilities; equally small deals take turns between the parties asked to give way"
)

Entry = tuple[int, int, tuple[int, ...]]
T = TypeVar("T")


def distinct_best(oracle: Any, k: int, clock: Any) -> tuple[list[Entry], bool]:
    """Up to k local outcomes of a block, the best for each distinct set of crossed
    constraints, never a superset of an earlier one; sorted by (violation, -welfare).

    ``oracle`` is a block oracle of the deadlock search (tabulated or CP-SAT);
    ``clock`` anything with ``remaining()`` (seconds left or None). Returns the
    entries ``(violation, -welfare, local outcome)`` and whether the list is
    proven (not cut short by the time limit).
    """
    if hasattr(oracle, "sat"):
        return _distinct_table(oracle, k), True
    return _distinct_cp(oracle, k, clock)


def _distinct_table(oracle: Any, k: int) -> list[Entry]:
    crossed = ~np.asarray(oracle.sat)
    violation = crossed.astype(np.int64) @ oracle.costs
    order = np.lexsort((np.arange(len(crossed)), -oracle.welfare, violation))
    kept: list[frozenset[int]] = []
    out: list[Entry] = []
    seen: set[bytes] = set()
    for r in order:
        row = int(r)
        key = np.packbits(crossed[row]).tobytes()
        if key in seen:
            continue
        seen.add(key)
        pattern = frozenset(int(q) for q in np.flatnonzero(crossed[row]))
        if any(earlier <= pattern for earlier in kept):
            continue
        kept.append(pattern)
        out.append((int(violation[row]), -int(oracle.welfare[row]), oracle._row(row)))
        if len(out) >= k or not pattern:
            break
    return out


def _distinct_cp(oracle: Any, k: int, clock: Any) -> tuple[list[Entry], bool]:
    from negotiate.solver import Model

    problem = oracle.problem
    block = oracle.block
    model = Model(problem.c)
    guards = [model.cp.new_bool_var(f"g{q}") for q in range(len(block.members))]
    for q, j in enumerate(block.members):
        oracle._add(model, j, guards[q])
    costs = [problem.cost[j] for j in block.members]
    violation = sum(w * (1 - g) for w, g in zip(costs, guards, strict=True))
    rows = [problem.welfare[i] for i in block.issues]
    top = sum(max(row) for row in rows)
    spread = top - sum(min(row) for row in rows) + 1
    welfare = sum(
        w * model.x[i][v] for i, row in zip(block.issues, rows, strict=True)
        for v, w in enumerate(row) if w
    )
    if sum(costs) * spread + spread < 2**50:
        model.cp.minimize(violation * spread + (top - welfare))
    else:  # welfare does not fit beside the violation: order by violation only
        model.cp.minimize(violation)
    found: list[Entry] = []
    proven = True
    while len(found) < k:
        remaining = clock.remaining()
        if remaining is not None and remaining <= 0:
            proven = False
            break
        result = model.solve(
            Deadline(None if remaining is None else remaining / (k - len(found)))
        )
        if result.indices is None:
            proven = proven and result.status == "infeasible"
            break
        proven = proven and result.status == "optimal"
        local = oracle._local(result.indices)
        met = oracle._met(local)
        crossed = [q for q in range(len(costs)) if q not in met]
        found.append((
            sum(costs[q] for q in crossed), -problem.welfare_of(local, block.issues), local
        ))
        if not crossed:
            break  # every other set is a superset of the empty one
        # the next outcome meets at least one of these: no superset of this set again
        model.cp.add_bool_or([guards[q] for q in crossed])
    found.sort(key=lambda item: (item[0], item[1]))
    return found, proven


def fair_order(
    items: Sequence[T],
    k: int,
    *,
    violation: Callable[[T], float],
    worst_loss: Callable[[T], float],
    welfare: Callable[[T], float],
    conceding: Callable[[T], tuple[str, ...]],
) -> list[T]:
    """Pick k of ``items`` (in their given order on full ties) by :data:`RANKING`.

    Items are ranked by (violation, worst_loss, -welfare). Level by level of
    violation, the groups of conceding parties take turns: the next slot goes
    to the group with the fewest slots so far, ties to the group whose best
    remaining item ranks first.

    Examples
    --------
    >>> from negotiate.analysis.near_select import fair_order
    >>> deals = [("ru", 1), ("ru", 1), ("ru", 1), ("ua", 1), ("ru", 2)]
    >>> fair_order(deals, 3, violation=lambda d: d[1], worst_loss=lambda d: 0,
    ...            welfare=lambda d: 0, conceding=lambda d: (d[0],))
    [('ru', 1), ('ua', 1), ('ru', 1)]
    """
    ranked = sorted(
        range(len(items)),
        key=lambda i: (violation(items[i]), worst_loss(items[i]), -welfare(items[i]), i),
    )
    picked: list[T] = []
    start = 0
    while start < len(ranked) and len(picked) < k:
        level = violation(items[ranked[start]])
        end = start
        while end < len(ranked) and violation(items[ranked[end]]) == level:
            end += 1
        groups: dict[tuple[str, ...], list[int]] = {}
        for i in ranked[start:end]:
            groups.setdefault(conceding(items[i]), []).append(i)
        taken = dict.fromkeys(groups, 0)
        while len(picked) < k and any(groups.values()):
            group = min(
                (g for g in groups if groups[g]),
                key=lambda g: (taken[g], ranked.index(groups[g][0])),
            )
            picked.append(items[groups[group].pop(0)])
            taken[group] += 1
        start = end
    return picked
