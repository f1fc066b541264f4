"""MARCO, k-best merging and the concession search behind :mod:`negotiate.analysis.deadlock`
(internal; the blocks and oracles they work on are in :mod:`negotiate.analysis.deadlock_search`).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate._deadline import Deadline
from negotiate._tuning import MARCO_EXPLORE_CAP as EXPLORE_CAP
from negotiate.analysis.deadlock_problem import _INT_BOUND, Problem
from negotiate.analysis.deadlock_search import CpOracle, Indices, Local, TableOracle
from negotiate.solver import Model, new_cp_model, new_solver, run
from negotiate.space import exact

__all__ = ["EXPLORE_CAP", "MarcoResult", "concession", "k_best", "marco", "product_limited"]


# -- minimal conflicting sets --------------------------------------------------------------------


@dataclass(frozen=True)
class MarcoResult:
    """What MARCO found in one block."""

    muses: tuple[Local, ...]
    """Minimal unsatisfiable subsets, at most ``limit``, smallest first."""
    complete: bool
    """``muses`` lists every MUS."""
    exhausted: bool
    """The map was exhausted: ``msses`` lists every maximal satisfiable set."""
    msses: tuple[tuple[Local, Indices], ...]
    """Maximal satisfiable sets met, each with a local witness."""




def marco(
    oracle: TableOracle | CpOracle,
    limit: int,
    clock: Deadline,
    *,
    explore: bool = False,
) -> MarcoResult:
    """Minimal unsatisfiable subsets of a block, smallest first (MARCO).

    The map solver proposes an unexplored subset of minimum size. If it is
    infeasible it is a MUS: each proper subset is smaller, hence explored, hence
    inside a known satisfiable set. If it is feasible it is grown to a maximal
    satisfiable set, whose subsets are blocked. The map is exhausted exactly
    when every MUS and every maximal satisfiable set has been found. The search
    stops once a MUS
    beyond ``limit`` turns up, unless ``explore``: then it goes on, keeping no
    more MUSes, until the map is exhausted. Either way it gives up (incomplete)
    after EXPLORE_CAP sets met past the limit.
    """
    from ortools.sat.python import cp_model

    m = len(oracle.block.members)
    cp = new_cp_model()
    s = [cp.new_bool_var(f"s{q}") for q in range(m)]
    cp.minimize(sum(s))
    found: list[Local] = []
    msses: list[tuple[Local, Indices]] = []
    total = 0
    extra = 0

    def result(exhausted: bool) -> MarcoResult:
        return MarcoResult(
            tuple(found[:limit]), exhausted and total <= limit, exhausted, tuple(msses)
        )

    while True:
        if clock.expired:
            return result(False)
        solver = new_solver(clock)
        status = run(solver, cp)
        if status == cp_model.INFEASIBLE:
            return result(True)
        if status != cp_model.OPTIMAL:
            return result(False)
        seed = frozenset(q for q in range(m) if solver.boolean_value(s[q]))
        ok, witness = oracle.check(seed, clock)
        if ok is None:
            return result(False)
        if total >= limit:
            extra += 1
            if extra > EXPLORE_CAP:
                return result(False)
        if ok:
            assert witness is not None
            mss, local = oracle.grow(seed, witness, clock)
            msses.append((mss, local))
            outside = [s[q] for q in range(m) if q not in mss]
            if not outside:
                return result(True)  # the whole block is satisfiable
            cp.add_bool_or(outside)
        else:
            total += 1
            if len(found) < limit:
                found.append(seed)
            elif not explore:
                return result(False)  # one more exists beyond the limit
            cp.add_bool_or([s[q].Not() for q in sorted(seed)])


# -- near deals ----------------------------------------------------------------------------------


def k_best(
    factors: Sequence[Sequence[tuple[int, int, Indices]]],
    k: int,
    deadline: Deadline | None = None,
) -> list[tuple[int, int, tuple[int, ...]]]:
    """The k smallest sums over independent factors, each a sorted list of
    ``(violation, -welfare, local)`` entries.

    Returns ``(violation, -welfare, choice)`` with ``choice[f]`` the entry taken in
    factor f; ties are popped in the order of the choice vectors. When ``deadline``
    passes, the ones found so far are returned (fewer than k).

    Choices are kept sparse (the factors whose pick is not their first entry), so
    thousands of free issues cost memory in proportion to ``k`` times the number of
    factors, not its square. The heap key orders sparse choices exactly as their
    dense vectors: a pick on an earlier factor makes a vector larger.
    """
    if any(not entries for entries in factors):
        return []
    base_v = sum(entries[0][0] for entries in factors)
    base_w = sum(entries[0][1] for entries in factors)
    varying = [f for f, entries in enumerate(factors) if len(entries) > 1]
    Sparse = tuple[tuple[int, int], ...]

    def key(sparse: Sparse) -> tuple[int, int, tuple[tuple[int, int], ...], Sparse]:
        v = base_v + sum(factors[f][q][0] - factors[f][0][0] for f, q in sparse)
        w = base_w + sum(factors[f][q][1] - factors[f][0][1] for f, q in sparse)
        return v, w, tuple((-f, q) for f, q in sparse), sparse

    heap = [key(())]
    seen: set[Sparse] = {()}
    out: list[tuple[int, int, tuple[int, ...]]] = []
    while heap and len(out) < k:
        if deadline is not None and deadline.expired and out:
            break
        v, w, _, sparse = heapq.heappop(heap)
        picks = dict(sparse)
        choice = [0] * len(factors)
        for f, q in sparse:
            choice[f] = q
        out.append((v, w, tuple(choice)))
        if len(out) == k:
            break
        for f in varying:
            q = picks.get(f, 0)
            if q + 1 < len(factors[f]):
                nxt = tuple(sorted({**picks, f: q + 1}.items()))
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, key(nxt))
    return out


# -- concession ----------------------------------------------------------------------------------


def concession(problem: Problem, clock: Deadline) -> tuple[float | None, Indices | None, bool]:
    """The least amount t by which every binding reservation must drop for an
    outcome to meet all red lines and every ``utility_p >= reservation_p - t``.

    One CP-SAT solve maximising ``min_p (u_p - r_p)`` over the red-line-feasible
    outcomes. Returns ``(t, outcome indices, proven)``; t is 0 when no drop is
    needed and None when red lines alone admit no outcome or time ran out.
    """
    from ortools.sat.python import cp_model

    c = problem.c
    parties = [p for p in range(c.n_parties) if c.binding[p]]
    if not parties:
        return None, None, False
    reservations = [exact(c.scenario.parties[p].reservation) for p in parties]
    factor = 1
    for p, r in zip(parties, reservations, strict=True):
        factor = math.lcm(factor, c.scales[p].numerator, r.denominator)
    coefficients = [factor * c.scales[p].denominator // c.scales[p].numerator for p in parties]
    offsets = [int(r * factor) for r in reservations]
    bound = max(w * c.max_sums[p] for w, p in zip(coefficients, parties, strict=True)) + factor
    # a coefficient can overflow even when the party's utility is 0 everywhere
    approximate = bound >= _INT_BOUND or max(coefficients) >= _INT_BOUND
    if approximate:  # too many decimals: work on a 1e-9 grid
        factor = 10**9
        coefficients = [0] * len(parties)
        offsets = [round(float(r) * factor) for r in reservations]
    model = Model(c)
    model.add_all(reservations=False)
    z = model.cp.new_int_var(-factor, factor, "z")
    for q, p in enumerate(parties):
        if approximate:
            terms = [
                round(float(Fraction(w) / c.scales[p]) * factor)
                for row in c.tables[p] for w in row
            ]
            expr = cp_model.LinearExpr.weighted_sum([v for row in model.x for v in row], terms)
            model.cp.add(expr - offsets[q] >= z)
        else:
            model.cp.add(coefficients[q] * model.utility_expr(p) - offsets[q] >= z)
    model.cp.maximize(z)
    result = model.solve(clock)
    if result.indices is None:
        return None, None, result.status == "infeasible"
    value = int(model.last_solver.value(z))
    return max(0.0, -value / factor), result.indices, result.status == "optimal"


def product_limited(
    lists: Sequence[Sequence[Any]], limit: int
) -> tuple[list[tuple[Any, ...]], bool]:
    """The first ``limit`` items of the Cartesian product, and whether that is all of it."""
    total = math.prod(len(x) for x in lists)
    return list(itertools.islice(itertools.product(*lists), limit)), total <= limit
