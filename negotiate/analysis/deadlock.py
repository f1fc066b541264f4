"""Explaining deadlock: which red lines clash, and what is the least that would have to give.

When no outcome is acceptable to every party, :func:`explain_deadlock` says
why and what would open an agreement zone, and :func:`near_deals` lists the
outcomes that come closest. Both speak of *constraints*: every red line
(by its id) and the reservation of every party whose reservation can reject
some outcome (as ``<party>:reservation``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np

from negotiate._deadline import Deadline
from negotiate._text import possessive
from negotiate.analysis._checks import check_arguments, check_choice, check_time_limit
from negotiate.analysis.deadlock_marco import concession, marco, product_limited
from negotiate.analysis.deadlock_near import DEFAULT_TIME_LIMIT, near_deals, require_coherent
from negotiate.analysis.deadlock_results import (
    Conflict,
    DeadlockExplanation,
    NearDeal,
    PartyDeadlock,
    Relaxation,
)
from negotiate.analysis.deadlock_search import (
    METHODS,
    Block,
    BlockRelaxations,
    CpOracle,
    Problem,
    TableOracle,
    blocks_of,
    oracle_for,
)
from negotiate.model import Outcome, Scenario
from negotiate.rules import render
from negotiate.space import CompiledScenario, compile_scenario

__all__ = [
    "Conflict",
    "DeadlockExplanation",
    "NearDeal",
    "PartyDeadlock",
    "Relaxation",
    "explain_deadlock",
    "near_deals",
]

#: Default number of conflicts and of relaxations listed.
DEFAULT_LIMIT = 20


# -- helpers -------------------------------------------------------------------------------------

def _labels(problem: Problem) -> dict[str, str]:
    s = problem.c.scenario
    labels = {}
    for j, cid in enumerate(problem.ids):
        party = s.parties[problem.owner[j]]
        r = problem.red_line[j]
        if r is not None:
            _, red_line = s.red_line(cid)
            # provenance travels with every red line named: stance and sources
            cited = f": {', '.join(red_line.sources)}" if red_line.sources else ", no source cited"
            labels[cid] = (
                f"{possessive(party.name)} red line {cid} "
                f"({red_line.stance}{cited}; {render(red_line.rule)})"
            )
        else:
            labels[cid] = (
                f"{possessive(party.name)} reservation (utility at least {party.reservation:g})"
            )
    return labels


def _free_options(problem: Problem, free: Sequence[int]) -> dict[int, int]:
    """Best-welfare option of each free issue (ties: first listed)."""
    best = {}
    for i in free:
        row = problem.welfare[i]
        best[i] = min(range(len(row)), key=lambda k: (-row[k], k))
    return best


def _assemble(c: CompiledScenario, parts: Sequence[tuple[Sequence[int], Sequence[int]]]) -> Outcome:
    indices = [0] * c.n_issues
    for issues, local in parts:
        for i, k in zip(issues, local, strict=True):
            indices[i] = int(k)
    return c.outcome(indices)


def _conflict(problem: Problem, members: Sequence[int], minimal: bool) -> Conflict:
    c = problem.c
    issues: set[int] = set()
    for j in members:
        r = problem.red_line[j]
        if r is not None:
            issues.update(c.red_lines[r].scope)
    parties = sorted({problem.owner[j] for j in members})
    return Conflict(
        constraints=tuple(problem.ids[j] for j in sorted(members)),
        parties=tuple(c.party_ids[p] for p in parties),
        issues=tuple(c.issue_ids[i] for i in sorted(issues)),
        minimal=minimal,
    )


def _by_party(
    problem: Problem, conflicts: Sequence[Conflict], relaxations: Sequence[Relaxation]
) -> tuple[PartyDeadlock, ...]:
    s = problem.c.scenario
    owner = {cid: s.parties[problem.owner[j]].id for j, cid in enumerate(problem.ids)}
    order = {cid: j for j, cid in enumerate(problem.ids)}
    views = []
    for party in s.parties:
        own: set[str] = set()
        partners: set[str] = set()
        for conflict in conflicts:
            mine = [x for x in conflict.constraints if owner[x] == party.id]
            if mine:
                own.update(mine)
                partners.update(p for p in conflict.parties if p != party.id)
        relaxed = {x for r in relaxations for x in r.constraints if owner[x] == party.id}
        views.append(PartyDeadlock(
            party=party.id,
            name=party.name,
            in_conflicts=tuple(sorted(own, key=order.__getitem__)),
            clashes_with=tuple(p.id for p in s.parties if p.id in partners),
            in_relaxations=tuple(sorted(relaxed, key=order.__getitem__)),
        ))
    return tuple(views)


def _sub_clock(clock: Deadline, share: float) -> Deadline:
    remaining = clock.remaining()
    return clock.within(None if remaining is None else remaining * share)


# -- the analyses --------------------------------------------------------------------------------


def explain_deadlock(
    s: Scenario,
    *,
    limit: int = DEFAULT_LIMIT,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
    weighted: bool = False,
    method: str = "auto",
) -> DeadlockExplanation:
    """Explain why no outcome is acceptable to every party, and what would have to give.

    A *minimal conflicting set* (a conflict) is a set of constraints that no
    outcome meets together while every proper subset is met by some outcome.
    A *minimum relaxation* is a set of constraints of least size (or least
    total cost) whose removal leaves some outcome acceptable to every party.
    Constraints are the red lines (by id) and the reservations of parties
    whose reservation can reject an outcome (``<party>:reservation``). The
    scenario's coherence constraints are hard background: only coherent
    outcomes count, they are never a conflict member nor relaxed, and a
    conflict is minimal given them.

    Parameters
    ----------
    s : Scenario
    limit : int, optional
        Most conflicts, and most relaxations, to list (default 20).
    time_limit : float, Deadline or None, optional
        Seconds for the whole analysis (default 60); None for no limit. What is
        found by then comes back with ``conflicts_complete`` or
        ``relaxations_complete`` False (this result never raises
        ``SearchLimitError``).
    weighted : bool, optional
        If True, relaxations minimise the total cost of what is dropped: each
        red line's ``cost`` and each party's ``reservation_cost`` (both default
        1, so equal costs give the same sets as counting). Conflicts are the
        same either way.
    method : {"auto", "table", "cp-sat"}, optional
        The engine for each block of linked issues: ``"table"`` tabulates every
        local outcome with numpy (exact, memory grows with the block),
        ``"cp-sat"`` asks the CP-SAT solver, ``"auto"`` (default) tabulates blocks
        of at most 250,000 local outcomes and solves larger ones. Same answers
        (up to time limits); only speed and memory differ.

    Returns
    -------
    DeadlockExplanation
        On a scenario with an agreement zone: ``is_deadlocked`` False and a
        witness, no conflicts.

    Raises
    ------
    InvalidArgumentError
        If ``s`` is not a Scenario, or ``limit``, ``time_limit`` or ``method`` is
        out of range.
    ScenarioError
        If the coherence constraints alone admit no outcome.

    See Also
    --------
    near_deals : the outcomes that cross the fewest constraints.

    Notes
    -----
    Issues linked by a shared constraint form a *block* (a reservation links
    every issue its party cares about); conflicts live inside one block and a
    relaxation is one minimum relaxation per deadlocked block, so each block
    is solved on its own. A block of at most 250,000 local outcomes is
    tabulated with numpy; a larger one goes to CP-SAT. Conflicts are
    enumerated by MARCO with a minimum-size map: each conflict found is
    minimal and they come smallest first. Relaxations are read off the table;
    on a CP-SAT block they are the cheapest complements of the maximal
    satisfiable sets MARCO met when its map was exhausted, and otherwise come
    from minimising the dropped cost in CP-SAT and enumerating every optimum
    with blocking clauses. Reservations couple every issue of their party,
    which makes large blocks slow: when MARCO spends half its time on a
    CP-SAT block without finding a conflict, one is found by deletion instead
    (``minimal`` False when the time limit cut that short too). With a time
    limit, conflicts get half the time, relaxations two thirds of what is
    left, and the concession the rest.

    Determinism: conflicts are ordered by size, then by the scenario order of
    their constraints; relaxations by the scenario order of their
    constraints. A relaxation's witness is, on tabulated blocks, the outcome
    with the largest sum of utilities (first listed on ties), and on issues
    no constraint reads, the option with the largest sum of utilities.

    Examples
    --------
    >>> from negotiate.analysis.deadlock import explain_deadlock
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> x = explain_deadlock(s)
    >>> x.is_deadlocked, [c.constraints for c in x.conflicts]
    (True, [('a1', 'b1')])
    >>> [(r.constraints, r.zone_size) for r in x.relaxations]
    [(('a1',), 2), (('b1',), 1)]
    >>> print(x)  # doctest: +NORMALIZE_WHITESPACE
    No outcome is acceptable to all 2 parties.
    Smallest clash: A's red line a1 (inferred, no source cited; tariff == none) with B's
      red line b1 (inferred, no source cited; tariff >= low) on issue tariff.
    Dropping any one of a1 or b1 opens an agreement zone:
      - a1: a zone of 2 outcomes, for example tariff=low
      - b1: a zone of 1 outcome, for example tariff=none
    By party:
      - A: a1 clashes with B
      - B: b1 clashes with A
    """
    check_arguments(s, limit=limit)
    check_time_limit(time_limit)
    method = check_choice("method", method, METHODS)
    clock = Deadline.coerce(time_limit)
    c = compile_scenario(s)
    problem = Problem.build(c, weighted=weighted)
    blocks, free = blocks_of(problem)
    oracles = [oracle_for(problem, b, method) for b in blocks]
    require_coherent(c, oracles, clock)
    best_free = _free_options(problem, free)
    free_parts = (tuple(free), tuple(best_free[i] for i in free))
    labels = _labels(problem)
    names = {party.id: party.name for party in s.parties}
    read = {
        cid: tuple(c.issue_ids[i] for i in problem.scope[j]) if problem.red_line[j] is not None
        else ()
        for j, cid in enumerate(problem.ids)
    }

    status: list[bool | None] = []
    witnesses: list[tuple[int, ...] | None] = []
    for oracle in oracles:
        ok, local = _feasible(oracle, clock)
        status.append(ok)
        witnesses.append(local)
    if all(ok is True for ok in status):
        parts = [(b.issues, w) for b, w in zip(blocks, witnesses, strict=True) if w is not None]
        return DeadlockExplanation(
            scenario=s.id, is_deadlocked=False, witness=_assemble(c, [free_parts, *parts]),
            conflicts=(), conflicts_complete=True, relaxations=(), relaxations_complete=True,
            weighted=weighted, by_party=_by_party(problem, (), ()), labels=labels,
            party_names=names, constraint_issues=read,
        )
    if not any(ok is False for ok in status):
        return DeadlockExplanation(
            scenario=s.id, is_deadlocked=None, witness=None, conflicts=(),
            conflicts_complete=False, relaxations=(), relaxations_complete=False,
            weighted=weighted, by_party=_by_party(problem, (), ()), labels=labels,
            party_names=names, constraint_issues=read,
        )
    open_blocks = [q for q, ok in enumerate(status) if ok is not True]
    conflicts, conflicts_complete, msses = _conflicts(
        problem, oracles, open_blocks, limit, _sub_clock(clock, 1 / 2)
    )
    relaxations, relaxations_complete = _relaxations(
        problem, blocks, oracles, witnesses, open_blocks, free_parts, limit, msses,
        _sub_clock(clock, 2 / 3),
    )
    t: float | None = None
    t_witness: Outcome | None = None
    if any(c.binding):
        value, indices, _ = concession(problem, clock)
        t = value
        t_witness = None if indices is None else c.outcome(indices)
    return DeadlockExplanation(
        scenario=s.id, is_deadlocked=True, witness=None,
        conflicts=conflicts, conflicts_complete=conflicts_complete,
        relaxations=relaxations, relaxations_complete=relaxations_complete,
        weighted=weighted, by_party=_by_party(problem, conflicts, relaxations),
        concession=t, concession_witness=t_witness, labels=labels, party_names=names,
        constraint_issues=read,
    )


def _feasible(
    oracle: TableOracle | CpOracle, clock: Deadline
) -> tuple[bool | None, tuple[int, ...] | None]:
    """Whether a block's constraints hold together; a (best-welfare, if tabulated) witness."""
    everything = frozenset(range(len(oracle.block.members)))
    if isinstance(oracle, TableOracle):
        rows = [int(r) for r in np.flatnonzero(oracle.sat.all(axis=1))]
        if not rows:
            return False, None
        best = max(rows, key=lambda r: (int(oracle.welfare[r]), -r))
        return True, tuple(int(v) for v in oracle.rows[best])
    return oracle.check(everything, clock)


def _conflicts(
    problem: Problem,
    oracles: Sequence[TableOracle | CpOracle],
    open_blocks: Sequence[int],
    limit: int,
    clock: Deadline,
) -> tuple[tuple[Conflict, ...], bool, dict[int, list[tuple[frozenset[int], tuple[int, ...]]]]]:
    """Conflicts of the open blocks, whether complete, and for each block whose MARCO
    map was exhausted, all its maximal satisfiable sets with witnesses."""
    found: list[Conflict] = []
    complete = True
    exhausted = {}
    for q in open_blocks:
        oracle = oracles[q]
        members = oracle.block.members
        # On a CP-SAT block, explore on past the limit: an exhausted map gives every
        # minimum relaxation without a (much slower) optimisation.
        cp_block = isinstance(oracle, CpOracle)
        found_here = marco(
            oracle, limit, _sub_clock(clock, 1 / 2) if cp_block else clock, explore=cp_block
        )
        if found_here.exhausted:
            exhausted[q] = list(found_here.msses)
        complete = complete and found_here.complete
        found.extend(
            _conflict(problem, [members[x] for x in mus], True) for mus in found_here.muses
        )
        if isinstance(oracle, CpOracle) and not found_here.muses and not found_here.complete:
            # MARCO ran out of time before its first conflict (reservations make every
            # check slow): shrink the whole block by deletion instead.
            core, minimal = oracle.deletion_mus(clock)
            found.append(_conflict(problem, [members[x] for x in core], minimal))
    order = {cid: j for j, cid in enumerate(problem.ids)}
    found.sort(key=lambda x: (len(x.constraints), [order[y] for y in x.constraints]))
    unique = list(dict.fromkeys(found))
    return tuple(unique[:limit]), complete and len(unique) <= limit, exhausted


def _relaxations(
    problem: Problem,
    blocks: Sequence[Block],
    oracles: Sequence[TableOracle | CpOracle],
    witnesses: Sequence[tuple[int, ...] | None],
    open_blocks: Sequence[int],
    free_parts: tuple[tuple[int, ...], tuple[int, ...]],
    limit: int,
    msses: Mapping[int, Sequence[tuple[frozenset[int], tuple[int, ...]]]],
    clock: Deadline,
) -> tuple[tuple[Relaxation, ...], bool]:
    c = problem.c
    per_block: dict[int, BlockRelaxations] = {}
    for q in open_blocks:
        oracle = oracles[q]
        if isinstance(oracle, CpOracle) and q in msses:
            per_block[q] = oracle.relaxations_from(msses[q], limit)
        else:
            per_block[q] = oracle.relaxations(limit, clock)
    lists = [per_block[q].items for q in open_blocks]
    combos, complete = product_limited(lists, limit)
    complete = complete and all(r.complete for r in per_block.values())
    minimum = all(r.minimum for r in per_block.values())
    fixed = [free_parts]
    closed_count = math.prod(c.sizes[i] for i in free_parts[0])
    countable = all(o.exact_counts for o in oracles)
    for q, (block, local) in enumerate(zip(blocks, witnesses, strict=True)):
        if q in per_block:
            continue
        assert local is not None
        fixed.append((block.issues, local))
        oracle = oracles[q]
        if isinstance(oracle, TableOracle):
            closed_count *= oracle.count_all()
    relaxations = []
    for combo in combos:
        dropped: list[int] = []
        parts = list(fixed)
        count: int | None = closed_count if countable else None
        for q, (local_dropped, local, local_count) in zip(open_blocks, combo, strict=True):
            members = blocks[q].members
            dropped.extend(members[x] for x in local_dropped)
            parts.append((blocks[q].issues, local))
            if count is not None and local_count is not None:
                count *= local_count
        cost = Fraction(sum(problem.cost[j] for j in dropped)) / problem.cost_unit
        relaxations.append(Relaxation(
            constraints=tuple(problem.ids[j] for j in sorted(dropped)),
            cost=float(cost),
            witness=_assemble(c, parts),
            zone_size=count,
            minimum=minimum,
        ))
    order = {cid: j for j, cid in enumerate(problem.ids)}
    relaxations.sort(key=lambda r: [order[x] for x in r.constraints])
    return tuple(relaxations), complete
