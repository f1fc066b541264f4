"""The search engines behind :mod:`negotiate.analysis.deadlock` (internal).

Everything here works on a :class:`Problem` (defined in
:mod:`negotiate.analysis.deadlock_problem`): the compiled scenario plus its
*constraints*, numbered ``0..m-1`` (red lines in scenario order, then the
reservation of every party whose reservation binds), each with an integer
cost and a scope (the issues it reads; for a reservation, the issues on
which the party's utility varies).

The constraints split into independent *blocks*: issues linked by a shared
constraint end up in one block, and a constraint with an empty scope
(``true``, ``false``, an unreachable reservation) is a block of its own. A
conflict lives inside one block, a relaxation is one minimum relaxation per
infeasible block, and violations and utilities add up over blocks, so each
block is analysed on its own. A block whose local outcome space has at most
:data:`TABLE_LIMIT` rows is tabulated with numpy (every question is then
answered exactly by array operations); a larger block is handed to CP-SAT
through :class:`negotiate.solver.Model`, under the caller's time limit.
OR-Tools itself is imported only by the functions that call it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate._tuning import DEADLOCK_TABLE_LIMIT as TABLE_LIMIT
from negotiate._tuning import DEADLOCK_TABLE_LIMIT_FORCED as TABLE_LIMIT_FORCED
from negotiate._tuning import MARCO_GROW_WORK as GROW_WORK
from negotiate.analysis.deadlock_problem import _INT_BOUND, BoolArray, Problem
from negotiate.solver import Model, new_solver, run

__all__ = [
    "METHODS",
    "TABLE_LIMIT",
    "Block",
    "BlockRelaxations",
    "CpOracle",
    "Problem",
    "TableOracle",
    "blocks_of",
    "oracle_for",
]

IntArray = npt.NDArray[np.int64]
Indices = tuple[int, ...]


# -- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Issues and the constraints living on them (global indices, sorted)."""

    issues: tuple[int, ...]
    members: tuple[int, ...]
    hard: tuple[int, ...] = ()
    """Coherence constraints on the block's issues (indices into ``c.rules``): hard
    background, never members, so never in a conflict or a relaxation."""


def blocks_of(problem: Problem) -> tuple[list[Block], list[int]]:
    """Independent blocks of constraints, and the free issues no constraint reads.

    Components come from the scenario's component layer (:mod:`negotiate._linkage`),
    linking issues by red lines, reservations and coherence constraints. Blocks with
    an empty scope (constant constraints) come first, in constraint order; then
    blocks by smallest issue. A block may hold only coherence constraints (no
    members): it is always satisfiable and only shapes witnesses and counts.
    """
    c = problem.c
    n = c.n_issues
    hard_scopes = [c.rules[r].scope for r in c.hard]
    parts = c.linkage.components_of([*problem.scope, *hard_scopes])
    part_of = [0] * n
    for q, part in enumerate(parts):
        for i in part:
            part_of[i] = q
    constant = [Block((), (j,)) for j in range(problem.m) if not problem.scope[j]]
    grouped: dict[int, list[int]] = {}
    for j, sc in enumerate(problem.scope):
        if sc:
            grouped.setdefault(part_of[sc[0]], []).append(j)
    hard: dict[int, list[int]] = {}
    for r in c.hard:
        if c.rules[r].scope:
            hard.setdefault(part_of[c.rules[r].scope[0]], []).append(r)
    touched = sorted(set(grouped) | set(hard))
    blocks = [
        Block(parts[q], tuple(grouped.get(q, ())), tuple(hard.get(q, ()))) for q in touched
    ]
    free = [i for i in range(n) if part_of[i] not in set(touched)]
    return constant + blocks, free


# -- oracles -------------------------------------------------------------------------------------

Local = frozenset[int]  # positions into Block.members


@dataclass(frozen=True)
class BlockRelaxations:
    """Minimum relaxations of one block: dropped local sets with witnesses."""

    cost: int
    items: tuple[tuple[Local, Indices, int | None], ...]
    """(dropped positions, local witness on the block's issues, local zone count or None)."""
    complete: bool
    minimum: bool
    """The cost is proven minimum."""


class TableOracle:
    """A block tabulated with numpy: every local assignment and which constraints it meets."""

    exact_counts = True

    def __init__(self, problem: Problem, block: Block) -> None:
        self.problem = problem
        self.block = block
        c = problem.c
        chunks = list(c.iter_product(block.issues))
        self.rows: IntArray = np.concatenate(chunks) if chunks else np.zeros((1, 0), np.int64)
        columns = {i: self.rows[:, pos] for pos, i in enumerate(block.issues)}
        if block.hard:  # only coherent local outcomes exist
            coherent = np.ones(len(self.rows), dtype=bool)
            for r in block.hard:
                coherent &= np.broadcast_to(c.red_line_holds(r, columns), coherent.shape)
            self.rows = self.rows[coherent]
            columns = {i: self.rows[:, pos] for pos, i in enumerate(block.issues)}
        size = len(self.rows)
        self.sat: BoolArray = np.stack(
            [np.broadcast_to(problem.holds(j, columns), (size,)) for j in block.members]
            or [np.ones(size, dtype=bool)], axis=1
        )[:, : len(block.members)]
        self.costs = np.asarray([problem.cost[j] for j in block.members], dtype=np.int64)
        dtype: Any = np.int64 if problem.welfare_exact else object  # exact big ints
        welfare = np.zeros(size, dtype=dtype)
        for pos, i in enumerate(block.issues):
            row = np.empty(len(problem.welfare[i]), dtype=dtype)
            row[:] = list(problem.welfare[i])
            welfare = welfare + row[self.rows[:, pos]]
        self.welfare = welfare

    def _row(self, r: int) -> Indices:
        return tuple(int(v) for v in self.rows[r])

    def _covering(self, subset: Local) -> BoolArray:
        if not subset:
            return np.ones(len(self.rows), dtype=bool)
        return np.asarray(self.sat[:, sorted(subset)].all(axis=1))

    def check(self, subset: Local, clock: Deadline) -> tuple[bool | None, Indices | None]:
        cover = self._covering(subset)
        if not cover.any():
            return False, None
        return True, self._row(int(np.argmax(cover)))

    def grow(self, subset: Local, witness: Indices, clock: Deadline) -> tuple[Local, Indices]:
        """A maximal satisfiable superset of ``subset`` and a local outcome meeting it."""
        # The covering row meeting most constraints meets a maximal set: a strict
        # superset would be met by some row meeting more.
        counts = np.where(self._covering(subset), self.sat.sum(axis=1), -1)
        best = int(np.argmax(counts))
        return frozenset(int(q) for q in np.flatnonzero(self.sat[best])), self._row(best)

    def relaxations(self, limit: int, clock: Deadline) -> BlockRelaxations:
        violation = (~self.sat).astype(np.int64) @ self.costs
        least = int(violation.min())
        rows = np.flatnonzero(violation == least)
        # Best witness per dropped set: highest welfare, then first row.
        order = rows[np.lexsort((rows, -self.welfare[rows]))]
        seen: dict[Local, int] = {}
        for r in order:
            dropped = frozenset(int(q) for q in np.flatnonzero(~self.sat[r]))
            seen.setdefault(dropped, int(r))
        items = []
        for dropped in sorted(seen, key=lambda d: sorted(d)):
            keep = np.ones(self.sat.shape[1], dtype=bool)
            keep[sorted(dropped)] = False
            count = int(self.sat[:, keep].all(axis=1).sum())
            items.append((dropped, self._row(seen[dropped]), count))
        complete = len(items) <= limit
        return BlockRelaxations(least, tuple(items[:limit]), complete, True)

    def best(self, k: int, clock: Deadline) -> tuple[list[tuple[int, int, Indices]], bool]:
        violation = (~self.sat).astype(np.int64) @ self.costs
        order = np.lexsort((np.arange(len(self.rows)), -self.welfare, violation))[:k]
        return [
            (int(violation[r]), -int(self.welfare[r]), self._row(int(r))) for r in order
        ], True

    def count_all(self) -> int:
        return int(self.sat.all(axis=1).sum())


class CpOracle:
    """A block answered by CP-SAT (for local spaces too large to tabulate).

    One model holds every constraint of the block behind a guard literal. A
    check fixes the guards in the proto (1 for the constraints asked about,
    0 for the others) instead of passing assumptions: the solver then sees
    the same problem as a freshly built model, which SOLVER-NOTES measured to
    be much faster than assumptions when reservations are tight, without the
    cost of rebuilding the model in Python. Growing a satisfiable set to a
    maximal one is a single solve maximising the number of guards that hold.
    """

    exact_counts = False

    def __init__(self, problem: Problem, block: Block) -> None:
        self.problem = problem
        self.block = block
        self._models: dict[str, tuple[Model, list[Any]]] = {}

    # models ----------------------------------------------------------------------------------

    def _add(self, model: Model, j: int, guard: Any = None) -> None:
        r = self.problem.red_line[j]
        if r is not None:
            model.add_red_line(r, guard)
        else:
            p = self.problem.reservation[j]
            assert p is not None
            model.add_reservation(p, guard)

    def _model(self, kind: str) -> tuple[Model, list[Any]]:
        """The guarded model for checks (``check``) or for growing (``grow``)."""
        if kind not in self._models:
            model = Model(self.problem.c)
            guards = [model.cp.new_bool_var(f"g{q}") for q in range(len(self.block.members))]
            for q, j in enumerate(self.block.members):
                self._add(model, j, guards[q])
            if kind == "grow":
                model.cp.maximize(sum(guards))
            self._models[kind] = (model, guards)
        return self._models[kind]

    @staticmethod
    def _fix(model: Model, guards: Sequence[Any], subset: Local, others: tuple[int, int]) -> None:
        for q, g in enumerate(guards):
            domain = model.cp.proto.variables[g.index].domain
            domain[0], domain[1] = (1, 1) if q in subset else others

    def _local(self, indices: Sequence[int]) -> Indices:
        return tuple(indices[i] for i in self.block.issues)

    def _met(self, local: Indices) -> Local:
        columns = dict(zip(self.block.issues, local, strict=True))
        return frozenset(
            q for q, j in enumerate(self.block.members) if bool(self.problem.holds(j, columns))
        )

    # questions -------------------------------------------------------------------------------

    def check(self, subset: Local, clock: Deadline) -> tuple[bool | None, Indices | None]:
        if clock.expired:
            return None, None
        model, guards = self._model("check")
        self._fix(model, guards, subset, (0, 0))
        result = model.solve(clock)
        if result.indices is not None:
            return True, self._local(result.indices)
        return (False if result.status == "infeasible" else None), None

    def grow(self, subset: Local, witness: Indices, clock: Deadline) -> tuple[Local, Indices]:
        """A satisfiable superset of ``subset`` (maximal unless time ran out) and a
        local outcome meeting it."""
        from ortools.sat.python import cp_model

        current = self._met(witness) | subset
        if clock.expired:
            return current, witness
        model, guards = self._model("grow")
        self._fix(model, guards, current, (0, 1))
        # Bounded by deterministic work, not seconds, so the result does not depend on
        # the machine's speed; tight reservations make this optimisation hard.
        solver = new_solver(clock)
        solver.parameters.max_deterministic_time = GROW_WORK
        status = run(solver, model.cp)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            local = tuple(
                next(k for k, v in enumerate(model.x[i]) if solver.boolean_value(v))
                for i in self.block.issues
            )
            met = self._met(local)
            if len(met) > len(current):
                current, witness = met, local
            if status == cp_model.OPTIMAL:
                return current, witness  # a maximum, hence maximal, satisfiable set
        for q in range(len(self.block.members)):  # time ran out: finish greedily
            if q in current:
                continue
            ok, local2 = self.check(current | {q}, clock)
            if ok is None:
                break
            if ok and local2 is not None:
                current, witness = self._met(local2), local2
        return current, witness

    def relaxations_from(
        self, msses: Sequence[tuple[Local, Indices]], limit: int
    ) -> BlockRelaxations:
        """Minimum relaxations read off a complete list of maximal satisfiable sets.

        Every minimal correction set is the complement of a maximal satisfiable
        set, so when MARCO exhausted its map the cheapest complements are all the
        minimum relaxations, each with the witness found while growing.
        """
        everything = frozenset(range(len(self.block.members)))
        costs = [self.problem.cost[j] for j in self.block.members]
        dropped = {everything - mss: local for mss, local in msses}
        least = min(sum(costs[q] for q in d) for d in dropped)
        items = sorted(
            ((d, local, None) for d, local in dropped.items()
             if sum(costs[q] for q in d) == least),
            key=lambda item: sorted(item[0]),
        )
        return BlockRelaxations(least, tuple(items[:limit]), len(items) <= limit, True)

    def deletion_mus(self, clock: Deadline) -> tuple[Local, bool]:
        """Shrink the whole block (known infeasible) by deletion: (core, proven minimal)."""
        core = set(range(len(self.block.members)))
        minimal = True
        for q in range(len(self.block.members)):
            if q not in core:
                continue
            ok, _ = self.check(frozenset(core - {q}), clock)
            if ok is False:
                core.discard(q)
            elif ok is None:
                minimal = False
                if clock.expired:
                    break
        return frozenset(core), minimal and not clock.expired

    def relaxations(self, limit: int, clock: Deadline) -> BlockRelaxations:
        model = Model(self.problem.c)
        guards = [model.cp.new_bool_var(f"g{q}") for q in range(len(self.block.members))]
        for q, j in enumerate(self.block.members):
            self._add(model, j, guards[q])
        costs = [self.problem.cost[j] for j in self.block.members]
        dropped_cost = sum(w * (1 - g) for w, g in zip(costs, guards, strict=True))
        model.cp.minimize(dropped_cost)
        first = model.solve(clock)
        if first.indices is None:
            return BlockRelaxations(0, (), False, False)
        least = sum(w for w, g in zip(costs, guards, strict=True)
                    if not model.last_solver.boolean_value(g))
        minimum = first.status == "optimal"
        model.cp.clear_objective()  # type: ignore[no-untyped-call]
        model.cp.add(dropped_cost <= least)
        items: list[tuple[Local, Indices, int | None]] = []
        result = first
        complete = False
        while result.indices is not None:
            dropped = frozenset(
                q for q, g in enumerate(guards) if not model.last_solver.boolean_value(g)
            )
            items.append((dropped, self._local(result.indices), None))
            if not minimum:
                break
            model.cp.add_bool_or([guards[q] for q in sorted(dropped)])
            result = model.solve(clock)
            if result.status == "infeasible":
                complete = len(items) <= limit
                break
            if len(items) >= limit and result.indices is not None:
                break  # one more exists: the list is cut at the limit
        items.sort(key=lambda item: sorted(item[0]))
        return BlockRelaxations(least, tuple(items[:limit]), complete, minimum)

    def best(self, k: int, clock: Deadline) -> tuple[list[tuple[int, int, Indices]], bool]:
        problem = self.problem
        model = Model(problem.c)
        guards = [model.cp.new_bool_var(f"g{q}") for q in range(len(self.block.members))]
        for q, j in enumerate(self.block.members):
            self._add(model, j, guards[q])
        costs = [problem.cost[j] for j in self.block.members]
        violation = sum(w * (1 - g) for w, g in zip(costs, guards, strict=True))
        exact_rows = [problem.welfare[i] for i in self.block.issues]
        # Welfare enters the objective scaled down by 2**shift when it does not fit beside
        # the violation; each issue then loses less than 1 unit, so an outcome that beats
        # another exactly has an objective less than `slack` above it: solutions come in
        # objective order and are collected until none within the slack can remain.
        shift = 0
        while True:
            # less each issue's least welfare (a constant: the order is unchanged)
            rows = [[(w - min(row)) >> shift for w in row] for row in exact_rows]
            top = sum(max(row) for row in rows)
            spread = top - sum(min(row) for row in rows) + 1
            if (sum(costs) + 1) * spread < _INT_BOUND:
                break
            shift = max(shift + 1, (spread * (sum(costs) + 1)).bit_length() - 49 + shift)
        slack = len(rows) if shift else 0
        welfare = sum(
            w * model.x[i][k] for i, row in zip(self.block.issues, rows, strict=True)
            for k, w in enumerate(row) if w
        )
        model.cp.minimize(violation * spread + (top - welfare))
        found: list[tuple[int, int, Indices]] = []
        objectives: list[int] = []
        proven = True
        while True:
            if len(found) >= k:
                if not slack:
                    break
                kth = sorted(range(len(found)), key=lambda f: found[f][:2])[k - 1]
            remaining = clock.remaining()  # share the time among the deals still to find
            result = model.solve(
                clock.within(None if remaining is None else remaining / max(1, k - len(found)))
            )
            if result.indices is None:
                proven = proven and result.status == "infeasible"
                break
            objective = round(result.objective or 0)
            if len(found) >= k and objective >= objectives[kth] + slack:
                break
            proven = proven and result.status == "optimal"
            local = self._local(result.indices)
            met = self._met(local)
            cost = sum(w for q, w in enumerate(costs) if q not in met)
            found.append((cost, -problem.welfare_of(local, self.block.issues), local))
            objectives.append(objective)
            model.cp.add_bool_or(
                [model.x[i][v].Not() for i, v in zip(self.block.issues, local, strict=True)]
            )
        found.sort(key=lambda item: (item[0], item[1]))
        return found[:k], proven


#: The engines of deadlock analysis and near deals (``method=``).
METHODS = ("auto", "table", "cp-sat")


def oracle_for(problem: Problem, block: Block, method: str = "auto") -> TableOracle | CpOracle:
    """The engine for one block: ``"table"`` (numpy over every local outcome),
    ``"cp-sat"`` (the solver), or ``"auto"``: a table when the block's local space has
    at most TABLE_LIMIT rows, else CP-SAT. A forced table is refused beyond
    ``TABLE_LIMIT_FORCED`` rows (its memory would be out of reach)."""
    size = math.prod(problem.c.sizes[i] for i in block.issues)
    if method == "cp-sat":
        return CpOracle(problem, block)
    if method == "table":
        if size > TABLE_LIMIT_FORCED:
            from negotiate.errors import InvalidArgumentError

            raise InvalidArgumentError(
                f"method='table' would tabulate a block of {size:,} local outcomes (more than "
                f"{TABLE_LIMIT_FORCED:,}); use method='auto' or method='cp-sat'"
            )
        return TableOracle(problem, block)
    if size <= TABLE_LIMIT:
        return TableOracle(problem, block)
    return CpOracle(problem, block)
