"""One integer model of a scenario in OR-Tools CP-SAT, shared by the engines.

Each issue is a set of one-hot Boolean variables. A red line or a
reservation is added either as a hard constraint or guarded by a literal
(``guard => constraint``), which is what deadlock analysis and near-deal
search need. Solving uses one worker and a fixed seed, so results are
deterministic for a given OR-Tools version.

OR-Tools is imported when a model is first built or solved, not with this
module, so ``import negotiate`` does not pay for loading it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from negotiate.rules import Atom, LAnd, LConst, LNot, LOr, Lowered
from negotiate.space import CompiledScenario

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = ["Model", "SolveResult", "nnf"]


def nnf(node: Lowered, negate: bool = False) -> Lowered:
    """Push negations down to the atoms (an atom's negation is its complement)."""
    if isinstance(node, Atom):
        if negate:
            return Atom(node.issue, tuple(not a for a in node.allowed))
        return node
    if isinstance(node, LConst):
        return LConst(node.value != negate)
    if isinstance(node, LNot):
        return nnf(node.x, not negate)
    if isinstance(node, LAnd):
        children = tuple(nnf(x, negate) for x in node.xs)
        return LOr(children) if negate else LAnd(children)
    if isinstance(node, LOr):
        children = tuple(nnf(x, negate) for x in node.xs)
        return LAnd(children) if negate else LOr(children)
    raise TypeError(f"unknown lowered node {node!r}")


@dataclass
class SolveResult:
    """Status and, when feasible, the option index chosen on each issue."""

    status: str
    """'feasible', 'optimal', 'infeasible' or 'unknown' (time limit)."""
    indices: tuple[int, ...] | None
    objective: float | None = None

    @property
    def found(self) -> bool:
        return self.indices is not None


class Model:
    """A CP-SAT model over a compiled scenario's issues.

    Parameters
    ----------
    c : CompiledScenario
    """

    def __init__(self, c: CompiledScenario) -> None:
        from ortools.sat.python import cp_model

        self.c = c
        self.cp = cp_model.CpModel()
        self.x: list[list[cp_model.IntVar]] = []
        for i, size in enumerate(c.sizes):
            row = [self.cp.new_bool_var(f"x{i}_{k}") for k in range(size)]
            self.cp.add_exactly_one(row)
            self.x.append(row)
        #: (party, guard) of reservations added scaled (checked exactly by `solve`).
        self._inexact: list[tuple[int, cp_model.IntVar | None]] = []

    # -- constraints -------------------------------------------------------------------------

    def add_rule(self, rule: Lowered, guard: cp_model.IntVar | None = None) -> None:
        """Add ``guard => rule`` (or the rule itself when guard is None)."""
        self._implied(nnf(rule), guard)

    def _enforce(self, ct: cp_model.Constraint, guard: cp_model.IntVar | None) -> None:
        if guard is not None:
            ct.only_enforce_if(guard)

    def _atom_literals(self, atom: Atom) -> list[cp_model.IntVar]:
        return [self.x[atom.issue][k] for k, ok in enumerate(atom.allowed) if ok]

    def _implied(self, node: Lowered, guard: cp_model.IntVar | None) -> None:
        if isinstance(node, LConst):
            if not node.value:
                if guard is None:
                    self.cp.add_bool_or([])  # infeasible
                else:
                    self.cp.add(guard == 0)
            return
        if isinstance(node, Atom):
            self._enforce(self.cp.add_bool_or(self._atom_literals(node)), guard)
            return
        if isinstance(node, LAnd):
            for child in node.xs:
                self._implied(child, guard)
            return
        if isinstance(node, LOr):
            literals: list[cp_model.IntVar] = []
            for child in node.xs:
                if isinstance(child, Atom):
                    literals.extend(self._atom_literals(child))
                elif isinstance(child, LConst):
                    if child.value:
                        return
                else:
                    aux = self.cp.new_bool_var("")
                    self._implied(child, aux)
                    literals.append(aux)
            self._enforce(self.cp.add_bool_or(literals), guard)
            return
        raise TypeError(f"unexpected node {node!r} (not in negation normal form)")

    def add_red_line(self, r: int, guard: cp_model.IntVar | None = None) -> None:
        """Add red line ``r`` (index into ``c.red_lines``), optionally guarded."""
        self.add_rule(self.c.red_lines[r].rule, guard)

    def utility_expr(self, p: int) -> cp_model.LinearExpr:
        """Party p's integer utility as a linear expression: ``c.tables[p]`` exactly when
        ``c.cp_shifts[p] == 0``, else the scaled-down ``c.cp_tables[p]``."""
        from ortools.sat.python import cp_model

        return cp_model.LinearExpr.weighted_sum(
            [v for row in self.x for v in row],
            [w for row in self.c.cp_tables[p] for w in row],
        )

    def add_reservation(self, p: int, guard: cp_model.IntVar | None = None) -> None:
        """Add ``utility_p >= threshold_p``, optionally guarded.

        When the party's exact integer table is too large for CP-SAT, a scaled
        relaxation is added (it admits every acceptable outcome) and `solve` checks
        each solution against the exact table, cutting off the rare outcome the
        relaxation admits wrongly (`_repair`), so results stay exact.
        """
        if not self.c.binding[p]:
            return
        ct = self.cp.add(self.utility_expr(p) >= self.c.cp_thresholds[p])
        self._enforce(ct, guard)
        if self.c.cp_shifts[p]:
            self._inexact.append((p, guard))

    def _repair(self, indices: Sequence[int]) -> bool:
        """Check a solution against every scaled reservation exactly; for each one it
        breaks while enforced, add a cut that forbids the party's options of this
        solution (under the same guard). True when a cut was added (solve again)."""
        cut = False
        for p, guard in self._inexact:
            if self.c.int_utility(p, indices) >= self.c.thresholds[p]:
                continue
            if guard is not None and not self._guard_true(guard):
                continue
            relevant = [i for i, row in enumerate(self.c.tables[p]) if min(row) != max(row)]
            clause = [self.x[i][indices[i]].Not() for i in relevant]
            self._enforce(self.cp.add_bool_or(clause), guard)
            cut = True
        return cut

    def _guard_true(self, guard: cp_model.IntVar) -> bool:
        solver = getattr(self, "last_solver", None)
        return solver is not None and bool(solver.boolean_value(guard))

    def add_all(self, *, red_lines: bool = True, reservations: bool = True) -> None:
        """Add every red line and binding reservation as hard constraints."""
        if red_lines:
            for r in range(len(self.c.red_lines)):
                self.add_red_line(r)
        if reservations:
            for p in range(self.c.n_parties):
                self.add_reservation(p)

    def fix(self, issue: int, option: int) -> None:
        """Fix issue ``issue`` to option ``option``."""
        self.cp.add(self.x[issue][option] == 1)

    # -- solving -----------------------------------------------------------------------------

    def solve(
        self,
        *,
        time_limit: float | None = None,
        assumptions: Sequence[cp_model.IntVar] = (),
    ) -> SolveResult:
        """Solve (deterministically: one worker, fixed seed).

        Solutions are exact: a solution that meets a scaled reservation only
        approximately is cut off and the model solved again (`_repair`).
        """
        import time

        from ortools.sat.python import cp_model

        start = time.perf_counter()

        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        if time_limit is not None:
            solver.parameters.max_time_in_seconds = max(0.0, float(time_limit))
        self.cp.clear_assumptions()
        if assumptions:
            self.cp.add_assumptions(list(assumptions))
        status = solver.solve(self.cp)
        self.last_solver = solver
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            indices = tuple(
                next(k for k, v in enumerate(row) if solver.boolean_value(v)) for row in self.x
            )
            objective = solver.objective_value if self.cp.has_objective() else None
            if self._inexact and self._repair(indices):  # exactness: see _repair
                left = None if time_limit is None else time_limit - (time.perf_counter() - start)
                if left is not None and left <= 0:
                    return SolveResult("unknown", None)
                return self.solve(time_limit=left, assumptions=assumptions)
            return SolveResult(
                "optimal" if status == cp_model.OPTIMAL else "feasible", indices, objective
            )
        if status == cp_model.INFEASIBLE:
            return SolveResult("infeasible", None)
        return SolveResult("unknown", None)
