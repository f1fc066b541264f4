"""Near deals: the outcomes that come closest to being acceptable to every party
(:func:`near_deals`, also importable from :mod:`negotiate.analysis.deadlock`)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from negotiate._deadline import Deadline
from negotiate.analysis._checks import check_arguments, check_choice, check_time_limit
from negotiate.analysis.deadlock_marco import k_best
from negotiate.analysis.deadlock_results import NearDeal
from negotiate.analysis.deadlock_search import (
    METHODS,
    CpOracle,
    Problem,
    TableOracle,
    blocks_of,
    oracle_for,
)
from negotiate.analysis.near_select import NEAR_DEAL_POOL, distinct_best, fair_order
from negotiate.errors import ScenarioError
from negotiate.model import Scenario
from negotiate.space import CompiledScenario, compile_scenario

__all__ = ["DEFAULT_TIME_LIMIT", "near_deals", "require_coherent"]

#: Default time limit of the search, in seconds (as for :func:`explain_deadlock`).
DEFAULT_TIME_LIMIT = 60.0


def require_coherent(
    c: CompiledScenario, oracles: Sequence[TableOracle | CpOracle], clock: Deadline
) -> None:
    """Raise `ScenarioError` when the coherence constraints alone admit no outcome
    (then no red line is to blame, and no relaxation of red lines helps)."""
    bad = [c.rules[r].id for r in c.hard if not c.rules[r].scope
           and not bool(c.red_line_holds(r, {}))]
    for oracle in oracles:
        if not oracle.block.hard:
            continue
        if isinstance(oracle, TableOracle):
            ok: bool | None = len(oracle.rows) > 0
        else:
            ok, _ = oracle.check(frozenset(), clock)
        if ok is False:
            bad.extend(c.rules[r].id for r in oracle.block.hard)
    if bad:
        raise ScenarioError(
            f"the coherence constraints {', '.join(bad)} admit no outcome together: no "
            "outcome obeys them all, whatever the parties demand; fix the constraints"
        )


def _ideal_utility(c: CompiledScenario, p: int, clock: Deadline) -> float:
    """Party p's best utility over the coherent outcomes (those the constraints allow)."""
    best = c.utility(p, sum(max(table) for table in c.tables[p]))
    if not c.constraints:
        return best
    from negotiate.solver import Model

    model = Model(c)  # the coherence constraints are part of every model
    model.cp.maximize(model.utility_expr(p))
    result = model.solve(clock)
    if result.indices is None:  # out of time: the unconstrained best bounds it
        return best
    return c.utility(p, c.int_utility(p, result.indices))


def near_deals(
    s: Scenario,
    k: int = 5,
    *,
    weighted: bool = False,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
    diverse: bool = False,
    method: str = "auto",
) -> tuple[NearDeal, ...]:
    """The k outcomes that cross the fewest constraints (or the least total cost).

    A *near deal* is an outcome that comes closest to being acceptable to
    every party. Crossing a red line counts as one violation, and so does a
    utility below the party's reservation (constraint ``<party>:reservation``).
    On a scenario with an agreement zone the first near deals are in the zone.

    Parameters
    ----------
    s : Scenario
    k : int, optional
        How many outcomes (default 5; fewer when the scenario has fewer).
    weighted : bool, optional
        If True, a crossed red line counts its ``cost`` and an unmet
        reservation its party's ``reservation_cost`` instead of 1.
    time_limit : float, Deadline or None, optional
        Seconds (default 60); None for no limit. Near deals found by then that
        are not proven best come back with ``proven`` False (this function never
        raises ``SearchLimitError``).
    diverse : bool, optional
        If True, list the near deals to show people instead of the k best
        outcomes: no two cross the same set of constraints (nor a superset
        of another's), ranked by violation, then by the worst-off party's loss,
        then by the sum of utilities, and equally small deals take turns
        between the groups of parties asked to give way (see
        :mod:`negotiate.analysis.near_select`). ``negotiate analyze`` lists these.
    method : {"auto", "table", "cp-sat"}, optional
        The engine for each block of linked issues: ``"table"`` tabulates every
        local outcome with numpy (exact, memory grows with the block),
        ``"cp-sat"`` asks the CP-SAT solver, ``"auto"`` (default) tabulates blocks
        of at most 250,000 local outcomes and solves larger ones. Same answers
        (up to time limits); only speed and memory differ.

    Returns
    -------
    tuple of NearDeal
        Ordered by violation, then by the largest sum of the parties'
        utilities; remaining ties are broken deterministically. Fewer than k
        (possibly none) when the time limit ran out first, or, when
        ``diverse``, when fewer distinct sets of crossed constraints exist.

    Raises
    ------
    InvalidArgumentError
        If ``s`` is not a Scenario, ``k`` is not a positive integer or
        ``time_limit`` or ``method`` is out of range.
    ScenarioError
        If the coherence constraints alone admit no outcome.

    See Also
    --------
    explain_deadlock

    Notes
    -----
    Violations and utilities add up over the independent blocks of linked
    issues (see :func:`explain_deadlock`), so the k best outcomes are merged
    from each block's k best: tabulated blocks sort their local outcomes
    exactly; larger blocks are asked to CP-SAT k times, each found outcome
    blocked before the next solve. The sum of utilities is compared exactly
    unless the numbers have too many decimals (then to 1e-9).

    Examples
    --------
    >>> from negotiate.analysis.deadlock import near_deals
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, preferences: {tariff: {importance: 1, ranking: [none, low, high]}},
    ...      red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> for deal in near_deals(s, 2):
    ...     print(deal)
    crosses B: b1; utilities A 1.000, B 0.000
        tariff=none
    crosses A: a1; utilities A 0.500, B 0.000
        tariff=low
    """
    check_arguments(s, k=k)
    check_time_limit(time_limit)
    method = check_choice("method", method, METHODS)
    clock = Deadline.coerce(time_limit)
    c = compile_scenario(s)
    problem = Problem.build(c, weighted=weighted)
    blocks, free = blocks_of(problem)
    factors: list[list[tuple[int, int, tuple[int, ...]]]] = []
    factor_issues: list[tuple[int, ...]] = []
    proven = True
    wanted = k * NEAR_DEAL_POOL if diverse else k
    oracles = [oracle_for(problem, block, method) for block in blocks]
    require_coherent(c, oracles, clock)
    for block, oracle in zip(blocks, oracles, strict=True):
        if diverse:
            entries, ok = distinct_best(oracle, wanted, clock)
        else:
            entries, ok = oracle.best(k, clock)
        proven = proven and ok
        factors.append(entries)
        factor_issues.append(block.issues)
    for i in free:
        row = problem.welfare[i]
        options: list[tuple[int, int, tuple[int, ...]]] = sorted(
            (0, -w, (option,)) for option, w in enumerate(row)
        )
        # diverse: other options of a free issue cross the same set, so only the best
        factors.append(options[:1] if diverse else options[:k])
        factor_issues.append((i,))
    ideal = [_ideal_utility(c, p, clock) for p in range(len(c.party_ids))]
    deals = []
    best = k_best(factors, wanted, clock)
    proven = proven and (len(best) == wanted or not clock.expired)
    for _, _, choice in best:
        indices = [0] * c.n_issues
        for f, pick in enumerate(choice):
            for i, option in zip(factor_issues[f], factors[f][pick][2], strict=True):
                indices[i] = option
        crossed = problem.crossed(indices)
        by_party: dict[str, list[str]] = {}
        for j in crossed:
            by_party.setdefault(c.party_ids[problem.owner[j]], []).append(problem.ids[j])
        cost = Fraction(sum(problem.cost[j] for j in crossed)) / problem.cost_unit
        utilities = {
            party: c.utility(p, c.int_utility(p, indices)) for p, party in enumerate(c.party_ids)
        }
        deals.append(NearDeal(
            outcome=c.outcome(indices),
            crossed=tuple(problem.ids[j] for j in crossed),
            crossed_by_party={p: tuple(by_party[p]) for p in c.party_ids if p in by_party},
            violation=float(cost),
            utilities=utilities,
            proven=proven,
            losses={
                party: max(0.0, ideal[p] - utilities[party])
                for p, party in enumerate(c.party_ids)
            },
        ))
    if diverse:
        deals = fair_order(
            deals, k,
            violation=lambda d: d.violation,
            worst_loss=lambda d: max(d.losses.values(), default=0.0),
            welfare=lambda d: sum(d.utilities.values()),
            conceding=lambda d: tuple(d.crossed_by_party),
        )
    return tuple(deals)
