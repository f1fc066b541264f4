"""The Pareto frontier of the agreement zone, computed exactly by decomposition.

An outcome of the agreement zone is *Pareto-optimal* (efficient) when no
other zone outcome is at least as good for every party and better for one.
:func:`pareto_frontier` finds every Pareto-optimal utility vector with the
outcomes that achieve it, without enumerating the outcome space: utilities
are additive over issues and red lines only couple the issues of one linkage
component, so the frontier of the whole is the Pareto-filtered Minkowski sum
of the components' frontiers. :func:`is_pareto_optimal` is the matching
predicate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate._tuning import FRONTIER_CHUNK as _CHUNK
from negotiate._tuning import FRONTIER_LOCAL_LIMIT as _LOCAL_LIMIT
from negotiate._tuning import FRONTIER_MERGE_ROWS
from negotiate.analysis._dominance import _pareto_mask, _pivot_pruned, _unique_desc
from negotiate.analysis.pareto_results import (
    Frontier,
    FrontierPoint,
    _Component,
    _Expansion,
    _Stage,
)
from negotiate.errors import CountTooLargeError, InvalidArgumentError
from negotiate.model import Outcome, Scenario
from negotiate.space import CompiledScenario, compile_scenario, red_lines_within

__all__ = [
    "DEFAULT_MAX_POINTS",
    "DEFAULT_TIME_LIMIT",
    "Frontier",
    "FrontierPoint",
    "is_pareto_optimal",
    "pareto_frontier",
]

IntArray = npt.NDArray[np.int64]

#: Default cap on the number of frontier points kept at any stage of the computation.
DEFAULT_MAX_POINTS = 200_000
#: Default time limit of a frontier computation, in seconds.
DEFAULT_TIME_LIMIT = 60.0
#: Local row sets at least this large are pruned by pivots before sorting (a linear pass
#: that only pays off when the sort it shortens is long).
_PRUNE_FROM = 256


# -- public functions ------------------------------------------------------------------------


def pareto_frontier(
    s: Scenario,
    *,
    max_points: int = DEFAULT_MAX_POINTS,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> Frontier:
    """The Pareto frontier of the agreement zone: every efficient utility vector.

    A zone outcome is *Pareto-optimal* when no other zone outcome is at least
    as good for every party and strictly better for at least one. The
    frontier has one point per Pareto-optimal utility vector; outcomes that
    tie in every party's utility are grouped in one point (its ``count``, a
    representative ``outcome``, and a lazy ``outcomes()`` iterator).

    Parameters
    ----------
    s : Scenario
    max_points : int, optional
        Give up (``CountTooLargeError``) when a stage of the computation would
        keep more than this many points (default 200,000).
    time_limit : float, Deadline or None, optional
        Seconds for the whole computation (default 60); None for no limit. When
        they run out, ``SearchLimitError`` is raised (the one rule of
        :mod:`negotiate._deadline`).

    Returns
    -------
    Frontier
        Sorted by utility vector, descending lexicographically in party order.
        Empty when no outcome is acceptable to every party.

    Raises
    ------
    InvalidArgumentError
        If ``s`` is not a Scenario, or ``max_points`` / ``time_limit`` are invalid.
    SearchLimitError
        If the time limit ran out first.
    CountTooLargeError
        If the frontier is out of reach within ``max_points``, or a linkage component (issues tied together by red lines) has more
        than 2,000,000 partial assignments meeting its red lines.

    See Also
    --------
    is_pareto_optimal : whether one outcome is on the frontier.
    negotiate.analysis.bargaining : bargaining solutions, chosen on this frontier.

    Notes
    -----
    Exact: utilities are compared as integers (see ``negotiate.space``), with
    no sampling and no discretisation. Each linkage component's red-line
    feasible assignments are enumerated and reduced to their own Pareto set
    (a locally dominated assignment can always be swapped for its dominator,
    which every red line still allows and no reservation rejects). The
    components are then folded one by one: Minkowski sum, merge of equal
    sums (keeping back-pointers, so tied outcomes can be listed), Pareto
    filter, and removal of partial sums that cannot reach some party's
    reservation even with the best of the remaining components. The filter
    is a sort and sweep for two parties and a divide-and-conquer dominance
    test for more, ``O(n log^(P-1) n)`` for ``n`` candidate sums. Cost grows
    with the size of the frontier, which grows quickly with the number of
    parties.

    Reservations are exact too: with ``F`` the red-line-feasible outcomes and
    ``Z`` = F ∩ {u_p >= r_p for all p} the zone, the Pareto set of ``Z`` is
    the Pareto set of ``F`` intersected with the reservation box, because
    that box is upward closed: whatever dominates a point in it is in it.

    The frontier is cached on the compiled scenario: asking again, and the
    bargaining solutions, reuse it instead of recomputing.

    Determinism: points are sorted by exact utility vector; a point's
    representative outcome is the lexicographically smallest option-index
    vector among its outcomes; ``outcomes()`` lists them in a fixed order.

    Examples
    --------
    >>> from negotiate.analysis.pareto import pareto_frontier
    >>> s = ng.loads('''
    ... format: 1
    ... id: trade
    ... issues:
    ...   - {id: tariff, options: [none, low, high], ordered: true}
    ...   - {id: quota, options: [yes, no]}
    ... parties:
    ...   - id: A
    ...     preferences:
    ...       tariff: {importance: 2, values: {none: 1.0, low: 0.6, high: 0.0}}
    ...       quota: {importance: 1, ranking: [no, yes]}
    ...     red_lines: [{id: a1, rule: "tariff != high"}]
    ...   - id: B
    ...     reservation: 0.3
    ...     preferences:
    ...       tariff: {importance: 1, ranking: [high, low, none]}
    ...       quota: {importance: 1, ranking: [yes, no]}
    ... ''')
    >>> f = pareto_frontier(s)
    >>> [(str(p.outcome), round(p.utilities["A"], 3), p.utilities["B"]) for p in f]
    [('tariff=none, quota=yes', 0.667, 0.5), ('tariff=low, quota=yes', 0.4, 0.75)]

    ``tariff=none, quota=no`` would give A 1.0 but B only 0.0, below B's reservation.
    """
    c = _compiled(s)
    _check_limits(max_points, time_limit)
    cached = c.cache.get("frontier")
    if isinstance(cached, Frontier):
        return cached  # the frontier is a pure function of the compiled scenario
    clock = Deadline.coerce(time_limit)
    frontier = _frontier(c, max_points, clock)
    c.cache["frontier"] = frontier
    return frontier


def is_pareto_optimal(
    s: Scenario,
    outcome: Mapping[str, str],
    *,
    frontier: Frontier | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> bool:
    """Whether an outcome is in the agreement zone and Pareto-optimal in it.

    Parameters
    ----------
    s : Scenario
    outcome : Outcome or mapping of issue id to option id
    frontier : Frontier, optional
        The frontier of ``s`` if already computed (else it is computed).
    max_points, time_limit
        As in :func:`pareto_frontier`.

    Returns
    -------
    bool

    Raises
    ------
    ScenarioError
        If the outcome is not a complete outcome of ``s``.
    InvalidArgumentError
        If ``frontier`` belongs to another scenario, or another argument is
        out of range or of the wrong type.
    CountTooLargeError
        As in :func:`pareto_frontier`.

    Examples
    --------
    >>> from negotiate.analysis.pareto import is_pareto_optimal
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, values: {x: 1.0, y: 0.5}}}}
    ...   - {id: q, preferences: {a: {importance: 1, values: {x: 0.0, y: 0.5}}}}
    ... ''')
    >>> [is_pareto_optimal(s, {"a": o}) for o in ("x", "y", "z")]
    [True, True, False]
    """
    c = _compiled(s)
    indices = c.indices(outcome)
    if frontier is None:
        frontier = pareto_frontier(s, max_points=max_points, time_limit=time_limit)
    else:
        _check_frontier(c, frontier)
    vector = tuple(c.int_utility(p, indices) for p in range(c.n_parties))
    if not any(tuple(point._ints) == vector for point in frontier.points):
        return False
    # Same utilities as a frontier point: Pareto-optimal if it is in the zone at all.
    columns = dict(enumerate(indices))
    return all(bool(c.red_line_holds(r, columns)) for r in range(len(c.rules)))


# -- argument checks -------------------------------------------------------------------------


def _compiled(s: object) -> CompiledScenario:
    if not isinstance(s, Scenario):
        raise InvalidArgumentError(
            f"s=<{type(s).__name__}> must be a Scenario (from ng.load, ng.loads or ng.validate)"
        )
    return compile_scenario(s)


def _check_limits(max_points: object, time_limit: object) -> None:
    if isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 1:
        raise InvalidArgumentError(f"max_points={max_points!r} must be a positive integer")
    if time_limit is not None and not isinstance(time_limit, Deadline) and (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int | float)
        or not (math.isfinite(time_limit) and time_limit > 0)
    ):
        raise InvalidArgumentError(
            f"time_limit={time_limit!r} must be a positive number of seconds or None"
        )


def _check_frontier(c: CompiledScenario, frontier: object) -> None:
    """Raise `InvalidArgumentError` unless ``frontier`` is a `Frontier` computed for ``c``'s scenario."""
    if not isinstance(frontier, Frontier):
        raise InvalidArgumentError(
            f"frontier=<{type(frontier).__name__}> must be a Frontier from pareto_frontier"
        )
    other = frontier._compiled
    if other is not c and (
        other is None
        or frontier.scenario != c.scenario.id
        or other.party_ids != c.party_ids
        or other.tables != c.tables
        or other.thresholds != c.thresholds
        or other.rules != c.rules
    ):
        raise InvalidArgumentError(
            f"frontier=<Frontier of '{frontier.scenario}'> was computed for another scenario; "
            f"it must be the frontier of this one ('{c.scenario.id}'): pass pareto_frontier(s)"
        )


# -- the computation -------------------------------------------------------------------------


def _fold(
    partial: IntArray, local: IntArray, need: IntArray, clock: Deadline
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """One fold step: Pareto set of ``partial + local`` among the sums that still can
    reach ``need`` (threshold minus the best of the remaining components).

    Returns (points, node, parent, group): the new points, sorted descending, and one
    (parent, group) pair per way of reaching each, with ``node`` its point index."""
    n_local = len(local)
    width = partial.shape[1]
    per_chunk = max(1, _CHUNK // max(1, n_local))
    kept_sums: list[IntArray] = []
    kept_parent: list[IntArray] = []
    kept_group: list[IntArray] = []
    for lo in range(0, len(partial), per_chunk):
        block = partial[lo:lo + per_chunk]
        sums = (block[:, None, :] + local[None, :, :]).reshape(-1, width)
        ok = np.flatnonzero(np.all(sums >= need, axis=1))  # sum k = (parent, group) pair
        sums, parent, group = sums[ok], ok // n_local + lo, ok % n_local
        unique, inverse = _unique_desc(sums)
        mask = _pareto_mask(unique, clock)
        if per_chunk >= len(partial):  # one chunk: its Pareto set is the answer
            clock.check("the Pareto frontier (combining components)")
            rows = np.flatnonzero(mask[inverse])
            node_of = np.cumsum(mask) - 1
            return unique[mask], node_of[inverse[rows]], parent[rows], group[rows]
        keep = mask[inverse]
        kept_sums.append(sums[keep])
        kept_parent.append(parent[keep])
        kept_group.append(group[keep])
        clock.check("the Pareto frontier (combining components)")
    sums = np.concatenate(kept_sums)
    parent = np.concatenate(kept_parent)
    group = np.concatenate(kept_group)
    unique, inverse = _unique_desc(sums)
    mask = _pareto_mask(unique, clock)  # several chunks (one returned above)
    keep = mask[inverse]
    node_of = np.cumsum(mask) - 1
    return unique[mask], node_of[inverse[keep]], parent[keep], group[keep]


def _feasible_rows(
    c: CompiledScenario, issues: tuple[int, ...]
) -> tuple[IntArray, IntArray] | None:
    """Assignments of ``issues`` (sorted) meeting every red line inside them, in
    lexicographic order, with each one's utility vector (one column per party); None
    when a partial product exceeds the local limit.

    Built one issue at a time, applying each red line as soon as its scope is assigned,
    so only a fraction of the product is ever materialised when red lines bite."""
    inside = red_lines_within(c, issues)
    width = c.n_parties
    if any(not c.rules[r].scope and not bool(c.red_line_holds(r, {})) for r in inside):
        return np.zeros((0, len(issues)), np.int64), np.zeros((0, width), c.int_dtype)
    position = {i: j for j, i in enumerate(issues)}
    due: list[list[int]] = [[] for _ in issues]
    for r in inside:
        if c.rules[r].scope:
            due[max(position[i] for i in c.rules[r].scope)].append(r)
    tables = c.np_issue_tables
    if not any(due):  # a plain product: every row at once, lexicographic
        if math.prod(c.sizes[i] for i in issues) > _LOCAL_LIMIT:
            return None
        shape = tuple(c.sizes[i] for i in issues)
        rows = np.indices(shape, dtype=np.int64).reshape(len(issues), -1).T
        vectors = np.zeros((1, width), dtype=c.int_dtype)
        for i in issues:
            vectors = (vectors[:, None, :] + tables[i][None, :, :]).reshape(-1, width)
        return rows, vectors
    rows = np.zeros((1, 0), dtype=np.int64)
    vectors = np.zeros((1, width), dtype=c.int_dtype)
    for j, i in enumerate(issues):
        k = c.sizes[i]
        if len(rows) * k > _LOCAL_LIMIT:
            return None
        rows = np.concatenate(
            [np.repeat(rows, k, axis=0), np.tile(np.arange(k, dtype=np.int64), len(rows))[:, None]],
            axis=1,
        )
        vectors = (vectors[:, None, :] + tables[i][None, :, :]).reshape(-1, width)
        if due[j]:
            columns = {issues[m]: rows[:, m] for m in range(j + 1)}
            keep = np.ones(len(rows), dtype=bool)
            for r in due[j]:
                keep &= np.broadcast_to(c.red_line_holds(r, columns), keep.shape)
            rows, vectors = rows[keep], vectors[keep]
    return rows, vectors


def _local(c: CompiledScenario, issues: tuple[int, ...]) -> tuple[_Component, IntArray] | None:
    """A component's local Pareto set with its groups of tied rows (None if infeasible)."""
    found = _feasible_rows(c, issues)
    if found is None:
        names = ", ".join(c.issue_ids[i] for i in issues)
        raise CountTooLargeError(
            f"the issues {names} are tied together by red lines into one block whose "
            f"assignments (after applying its red lines) exceed the {_LOCAL_LIMIT} the exact "
            "frontier enumerates; split or simplify the red lines that link them"
        )
    rows, vectors = found
    if len(rows) == 0:
        return None
    if len(rows) >= _PRUNE_FROM and c.n_parties > 1 and max(
        max(c.max_sums), -min(c.min_sums)) * (c.n_parties + 2) < 2**62:
        # Drop rows a few Pareto-optimal pivots strictly dominate: the sort below then
        # sees only candidates. Kept rows stay in lexicographic order.
        kept = np.flatnonzero(_pivot_pruned(vectors))
        rows, vectors = rows[kept], vectors[kept]
    unique, inverse = _unique_desc(vectors)
    mask = _pareto_mask(unique)
    new_index = np.cumsum(mask) - 1
    member = mask[inverse]
    row_ids = np.flatnonzero(member)
    group_of = new_index[inverse[member]]
    order = np.argsort(group_of, kind="stable")  # rows stay lexicographic within a group
    counts = np.bincount(group_of, minlength=int(mask.sum()))
    start = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    component = _Component(issues, rows, start, row_ids[order].astype(np.int64))
    return component, unique[mask]


def _merged_components(c: CompiledScenario) -> list[tuple[int, ...]]:
    """The linkage components, consecutive small ones merged for two parties.

    With two parties a local Pareto set is a chain (a handful of points), so one
    enumeration of up to ``FRONTIER_MERGE_ROWS`` joint rows and one fold beat a fold
    per small component. With more parties local Pareto sets stay large and folding
    component by component prunes better, so nothing is merged. Either way the frontier
    is the same (red lines never span two components)."""
    components = [tuple(issues) for issues in c.components()]
    if c.n_parties != 2:
        return components
    merged: list[tuple[int, ...]] = []
    current: list[int] = []
    rows = 1
    for issues in components:
        size = math.prod(c.sizes[i] for i in issues)
        if current and rows * size > FRONTIER_MERGE_ROWS:
            merged.append(tuple(sorted(current)))
            current, rows = [], 1
        current.extend(issues)
        rows *= size
    if current:
        merged.append(tuple(sorted(current)))
    return merged


def _frontier(c: CompiledScenario, max_points: int, clock: Deadline) -> Frontier:
    # Why the result is exact, ties included. Let F be the outcomes meeting every red
    # line, B = {u : u_p >= t_p for every party p} the reservation box, Z = F ∩ B the zone.
    # (1) B is upward closed, so Pareto(Z) = Pareto(F) ∩ B: if u in Z had a dominator v in
    #     F, then v >= u puts v in B, hence in Z; and if u in F ∩ B has no dominator in F
    #     it has none in Z, a subset of F. (tests: the "reservation box" property test.)
    # (2) Let o be an outcome with a Pareto-optimal vector u, and a its partial sum over
    #     the first j components. If another partial sum a' (feasible on those components)
    #     dominated a, swapping it in would give an outcome of F (red lines never span two
    #     components) with vector a' + (u - a), which dominates u and lies in B: impossible.
    #     So filtering partial sums (and, for j = 1 component alone, the local vectors)
    #     never loses a decomposition of a frontier point; equal sums are merged with all
    #     their back-pointers, so every outcome with vector u is found.
    # (3) A partial sum that cannot reach t_p even with the best of the remaining
    #     components only extends to outcomes outside B; it cannot dominate a kept sum
    #     (a dominator has a larger bound), so dropping it before filtering is safe.
    empty = Frontier(c.scenario.id, c.party_ids, (), c, np.zeros((0, c.n_parties), np.int64))
    n_parties = c.n_parties
    components: list[_Component] = []
    locals_: list[IntArray] = []
    for issues in _merged_components(c):
        found = _local(c, tuple(issues))
        if found is None:
            return empty
        components.append(found[0])
        locals_.append(found[1])
        clock.check("the Pareto frontier (enumerating components)")
    thresholds = np.asarray(c.thresholds, dtype=c.int_dtype)
    best = np.stack([v.max(axis=0) for v in locals_])
    remaining = np.cumsum(best[::-1], axis=0)[::-1]  # remaining[j] = sum of best[j:]
    big_counts = math.prod(c.sizes) >= 2**62
    count_type: Any = object if big_counts else np.int64

    points = np.zeros((1, n_parties), dtype=c.int_dtype)
    rep = np.full((1, c.n_issues), -1, dtype=np.int64)
    counts = np.ones(1, dtype=count_type)
    stages: list[_Stage] = []
    assigned: list[int] = []
    for j, (component, local) in enumerate(zip(components, locals_, strict=True)):
        after = remaining[j + 1] if j + 1 < len(components) else np.zeros(n_parties, c.int_dtype)
        new_points, node, parent, group = _fold(points, local, thresholds - after, clock)
        if len(new_points) == 0:
            return empty
        if len(new_points) > max_points:
            raise CountTooLargeError(
                f"the Pareto frontier has more than max_points={max_points} points after "
                f"{j + 1} of {len(components)} issue groups; raise max_points (it costs "
                "time and memory), or use fewer parties or issues"
            )
        # Representatives: each pair's candidate is the parent's representative with the
        # group's first (lexicographically smallest) row; a node keeps its smallest one.
        assigned = sorted([*assigned, *component.issues])
        candidate = rep[parent]
        first_rows = component.rows[component.group_rows[component.group_start[:-1]]]
        candidate[:, list(component.issues)] = first_rows[group]
        if len(node) > len(new_points):
            keys = (*(candidate[:, i] for i in reversed(assigned)), node)
            order = np.lexsort(keys)
        else:
            order = np.argsort(node, kind="stable")
        node, parent, group = node[order], parent[order], group[order]
        starts = np.zeros(len(new_points) + 1, dtype=np.int64)
        np.cumsum(np.bincount(node, minlength=len(new_points)), out=starts[1:])
        rep = candidate[order][starts[:-1]]
        sizes = np.diff(component.group_start).astype(count_type)
        counts = np.add.reduceat(counts[parent] * sizes[group], starts[:-1])
        stages.append(_Stage(starts, parent, group))
        points = new_points
        clock.check("the Pareto frontier (combining components)")

    expansion = _Expansion(c, tuple(components), tuple(stages))
    floats = _to_floats(c, points)
    issue_ids, option_ids, party_ids, scales = c.issue_ids, c.option_ids, c.party_ids, c.scales
    pick = tuple.__getitem__
    result = []
    for k, (ints, utilities, row, count) in enumerate(
        zip(points.tolist(), floats.tolist(), rep.tolist(), counts.tolist(), strict=True)
    ):
        outcome = Outcome._trusted(dict(zip(issue_ids, map(pick, option_ids, row), strict=True)))
        result.append(FrontierPoint(
            outcome, MappingProxyType(dict(zip(party_ids, utilities, strict=True))),
            int(count), tuple(ints), scales, expansion, k,
        ))
    return Frontier(c.scenario.id, c.party_ids, tuple(result), c, points)


def _to_floats(c: CompiledScenario, ints: IntArray) -> npt.NDArray[np.float64]:
    """Normalised utilities (rows of integer utilities, one column per party) as floats,
    each the correctly rounded value of the exact fraction, like `CompiledScenario.utility`."""
    out = np.empty(ints.shape, dtype=np.float64)
    for p, scale in enumerate(c.scales):
        column = ints[:, p]
        top = int(np.abs(column).max(initial=0)) * scale.denominator
        if top < 2**53 and scale.numerator < 2**53 and scale.denominator < 2**53:
            # Both operands exact in float64: IEEE division rounds correctly.
            out[:, p] = (column * scale.denominator).astype(np.float64) / scale.numerator
        else:
            # int / int is correctly rounded in Python, however large the operands
            out[:, p] = [(int(v) * scale.denominator) / scale.numerator for v in column.tolist()]
    return out
