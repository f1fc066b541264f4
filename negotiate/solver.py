"""One integer model of a scenario in OR-Tools CP-SAT, shared by the engines.

Each issue is a set of one-hot Boolean variables. A red line or a
reservation is added either as a hard constraint or guarded by a literal
(``guard => constraint``), which is what deadlock analysis and near-deal
search need. Solving uses one worker and a fixed seed, so results are
deterministic for a given OR-Tools version.

OR-Tools is imported when a model is first built or solved, not with this
module, so ``import negotiate`` does not pay for loading it.

This module is the one place where CP-SAT models and solvers are made
(:func:`new_cp_model`, :func:`new_solver`, :class:`Model`) and run
(:func:`run`): every solve gets the time left on the caller's
:class:`~negotiate._deadline.Deadline`, CP-SAT's own SIGINT handler is off, and
the solve runs in a worker thread while the calling thread waits in short
intervals, so Ctrl-C interrupts it within a fraction of a second: the search is
stopped and ``KeyboardInterrupt`` is raised in the caller.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negotiate._deadline import Deadline
from negotiate._tuning import INTERRUPT_POLL, INTERRUPT_SETTLE
from negotiate.rules.lower import Atom, LAnd, LConst, LNot, LOr, Lowered
from negotiate.space import CompiledScenario

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = ["Model", "SolveResult", "new_cp_model", "new_solver", "nnf", "run"]


def new_cp_model() -> cp_model.CpModel:
    """An empty CP-SAT model (for models over other variables than outcomes)."""
    from ortools.sat.python import cp_model

    return cp_model.CpModel()


def new_solver(deadline: Deadline | None = None) -> cp_model.CpSolver:
    """A deterministic CP-SAT solver (one worker, fixed seed, no SIGINT handler of its
    own) limited to the time left on ``deadline``."""
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.catch_sigint_signal = False
    limit = None if deadline is None else deadline.solver_limit()
    if limit is not None:
        solver.parameters.max_time_in_seconds = limit
    return solver


def run(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
    """``solver.solve(model)``, interruptible by Ctrl-C.

    In the main thread the solve runs in a worker thread while this thread waits
    in steps of ``INTERRUPT_POLL`` seconds; on ``KeyboardInterrupt`` the search is
    stopped, the worker joined and the interrupt re-raised.
    """
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model)
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["status"] = solver.solve(model)
        except BaseException as error:  # pragma: no cover - re-raised below
            box["error"] = error

    worker = threading.Thread(target=work, name="negotiate-cp-sat", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(INTERRUPT_POLL)
    except KeyboardInterrupt:
        solver.stop_search()
        worker.join()
        # A stopped CP-SAT search finishes tearing down its thread just after the
        # join; exiting during that makes OR-Tools abort (rc 134), so let it settle.
        time.sleep(INTERRUPT_SETTLE)
        raise
    if "error" in box:
        raise box["error"]
    return box["status"]


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
    issues : sequence of int, optional
        Only these issues (a union of linkage components): the others get no
        variables, and their option index in a solution is -1. Add only rules that
        read these issues. By default every issue.
    """

    def __init__(self, c: CompiledScenario, issues: Sequence[int] | None = None) -> None:
        from ortools.sat.python import cp_model

        self.c = c
        self.cp = cp_model.CpModel()
        self.x: list[list[cp_model.IntVar]] = []
        inside = set(range(c.n_issues) if issues is None else issues)
        for i, size in enumerate(c.sizes):
            row = [self.cp.new_bool_var(f"x{i}_{k}") for k in range(size)] if i in inside else []
            if row:
                self.cp.add_exactly_one(row)
            self.x.append(row)
        #: (party, guard) of reservations added scaled (checked exactly by `solve`).
        self._inexact: list[tuple[int, cp_model.IntVar | None]] = []
        for r in c.hard:  # coherence constraints shape the outcome space of every model
            if set(c.rules[r].scope) <= inside:
                self.add_red_line(r)

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
        """Add rule ``r`` (index into ``c.rules``: a red line or a constraint), optionally guarded."""
        self.add_rule(self.c.rules[r].rule, guard)

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
        deadline: Deadline | None = None,
        *,
        assumptions: Sequence[cp_model.IntVar] = (),
        solver: cp_model.CpSolver | None = None,
    ) -> SolveResult:
        """Solve (deterministically: one worker, fixed seed) within the time left on
        ``deadline``; status 'unknown' when that ran out first.

        Solutions are exact: a solution that meets a scaled reservation only
        approximately is cut off and the model solved again (`_repair`).
        """
        from ortools.sat.python import cp_model

        given = solver
        if solver is None:
            solver = new_solver(deadline)
        self.cp.clear_assumptions()
        if assumptions:
            self.cp.add_assumptions(list(assumptions))
        status = run(solver, self.cp)
        self.last_solver = solver
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            indices = tuple(
                next((k for k, v in enumerate(row) if solver.boolean_value(v)), -1)
                for row in self.x
            )
            objective = solver.objective_value if self.cp.has_objective() else None
            if self._inexact and self._repair(indices):  # exactness: see _repair
                if deadline is not None and deadline.expired:
                    return SolveResult("unknown", None)
                return self.solve(deadline, assumptions=assumptions, solver=given)
            return SolveResult(
                "optimal" if status == cp_model.OPTIMAL else "feasible", indices, objective
            )
        if status == cp_model.INFEASIBLE:
            return SolveResult("infeasible", None)
        return SolveResult("unknown", None)
