"""The constraint problem behind deadlock analysis (internal): a compiled scenario with
its constraints numbered ``0..m-1`` (red lines in scenario order, then the reservation
of every party whose reservation binds), their integer costs and the welfare weights.
The searches over it are in :mod:`negotiate.analysis.deadlock_search`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate.errors import ScenarioError
from negotiate.space import CompiledScenario, exact

__all__ = ["BoolArray", "Problem"]

#: Integer objectives must stay well inside int64 for CP-SAT.
_INT_BOUND = 2**50

BoolArray = npt.NDArray[np.bool_]


def _lcm_int(values: Iterable[Fraction]) -> int:
    d = 1
    for v in values:
        d = math.lcm(d, v.denominator)
    return d


@dataclass(frozen=True)
class Problem:
    """A compiled scenario with its numbered constraints, costs and welfare weights."""

    c: CompiledScenario
    ids: tuple[str, ...]
    """Constraint ids: red lines in scenario order, then ``<party>:reservation``."""
    owner: tuple[int, ...]
    """Index of the party each constraint belongs to."""
    red_line: tuple[int | None, ...]
    """Index into ``c.red_lines`` for a red line, else None."""
    reservation: tuple[int | None, ...]
    """Party index for a reservation constraint, else None."""
    scope: tuple[tuple[int, ...], ...]
    """Issues each constraint reads."""
    cost: tuple[int, ...]
    """Integer cost of each constraint (all 1 unless weighted)."""
    cost_unit: Fraction
    """cost[j] / cost_unit is the cost as written."""
    welfare: tuple[tuple[int, ...], ...]
    """welfare[i][k]: contribution of option k of issue i to the sum of normalised utilities,
    as integers on a common scale (exact when ``welfare_exact``)."""
    welfare_exact: bool

    @property
    def m(self) -> int:
        return len(self.ids)

    def holds(self, j: int, columns: Mapping[int, Any]) -> BoolArray:
        """Whether constraint j holds on columns of option indices (broadcasting).

        A reservation adds the constant utility of the issues not in ``columns``:
        right whenever ``columns`` covers every issue where that utility varies.
        """
        c = self.c
        r = self.red_line[j]
        if r is not None:
            return c.red_line_holds(r, columns)
        p = self.reservation[j]
        assert p is not None
        offset = sum(c.tables[p][i][0] for i in range(c.n_issues) if i not in columns)
        total = c.party_utilities(p, columns) + offset
        return np.asarray(total >= c.thresholds[p], dtype=bool)

    def crossed(self, indices: Sequence[int]) -> tuple[int, ...]:
        """Constraints a full outcome (option indices) crosses, in constraint order."""
        columns = dict(enumerate(indices))
        return tuple(j for j in range(self.m) if not bool(self.holds(j, columns)))

    def welfare_of(self, indices: Sequence[int], issues: Sequence[int]) -> int:
        return sum(self.welfare[i][k] for i, k in zip(issues, indices, strict=True))

    @classmethod
    def build(cls, c: CompiledScenario, *, weighted: bool) -> Problem:
        s = c.scenario
        ids: list[str] = []
        owner: list[int] = []
        red_line: list[int | None] = []
        reservation: list[int | None] = []
        scope: list[tuple[int, ...]] = []
        costs: list[Fraction] = []
        for r, compiled in enumerate(c.red_lines):
            ids.append(compiled.id)
            owner.append(compiled.party)
            red_line.append(r)
            reservation.append(None)
            scope.append(compiled.scope)
            costs.append(exact(compiled.cost))
        for p, party in enumerate(s.parties):
            if not c.binding[p]:
                continue
            ids.append(party.reservation_id)
            owner.append(p)
            red_line.append(None)
            reservation.append(p)
            scope.append(tuple(i for i, row in enumerate(c.tables[p]) if min(row) != max(row)))
            costs.append(exact(party.reservation_cost))
        if weighted:
            unit = _lcm_int(costs)
            int_costs = [int(x * unit) for x in costs]
            if sum(int_costs) >= _INT_BOUND:
                raise ScenarioError(_cost_range_message(s, ids, costs))
        else:
            unit, int_costs = 1, [1] * len(costs)
        welfare, welfare_exact = _welfare_table(c)
        return cls(
            c=c, ids=tuple(ids), owner=tuple(owner), red_line=tuple(red_line),
            reservation=tuple(reservation), scope=tuple(scope), cost=tuple(int_costs),
            cost_unit=Fraction(unit), welfare=welfare, welfare_exact=welfare_exact,
        )


def _cost_range_message(s: Any, ids: Sequence[str], costs: Sequence[Fraction]) -> str:
    """Why weighted relaxations refuse these costs, naming the fields (exact costs would
    need integers past CP-SAT's 64-bit range)."""
    where: dict[str, str] = {}
    for p, party in enumerate(s.parties):
        where[party.reservation_id] = f"parties[{p}].reservation_cost"
        for k, red_line in enumerate(party.red_lines):
            where[red_line.id] = f"parties[{p}].red_lines[{k}].cost"
    low = min(range(len(costs)), key=lambda j: costs[j])
    high = max(range(len(costs)), key=lambda j: costs[j])
    shown = [f"{where.get(ids[j], ids[j])} = {float(costs[j])!r}"
             for j in dict.fromkeys((low, high))]
    return (
        f"{' and '.join(shown)}: weighted relaxations add costs up exactly in 64-bit "
        "integers, and these costs (their range and decimals) need more; give costs a "
        "narrower range (e.g. between 0.001 and 1000) with fewer decimals, or use "
        "weighted=False"
    )


def _welfare_table(c: CompiledScenario) -> tuple[tuple[tuple[int, ...], ...], bool]:
    """Sum of normalised utilities per (issue, option) on one integer scale:
    ``utility_sum * L`` for a common multiple L, exact Python ints of any size. The
    flag says whether the sums fit CP-SAT's range as they are (else `CpOracle.best`
    scales them and re-checks exactly)."""
    factor = 1
    for scale in c.scales:
        factor = math.lcm(factor, scale.numerator)
    weights = [factor * scale.denominator // scale.numerator for scale in c.scales]
    table = tuple(
        tuple(sum(w * c.tables[p][i][k] for p, w in enumerate(weights)) for k in range(size))
        for i, size in enumerate(c.sizes)
    )
    return table, sum(max(row) for row in table) < _INT_BOUND
