"""Exact counting under reservation utilities (a private helper of `zone`).

Reservations couple every issue a binding party cares about, so those
issues form one *coupled block*. The block is described as a sequence of
*steps*:

- a *part* step is a whole linkage component, given as its distinct
  integer utility vectors with multiplicities;
- an *issue* step assigns one issue of a larger component, in the
  component's generation order, with the options allowed given its
  *context* (earlier issues of the component it depends on; see
  :mod:`negotiate.analysis.zone_factor`, whose elimination tables make
  every allowed step extend to a solution).

A *state* is the assignment of the issues later steps still depend on (the
*frontier*) together with a utility vector, weighted by how many partial
outcomes share it; equal states are merged. The count is found
*meet-in-the-middle* when the steps can be cut where the frontier is empty
(between components):

- the first half of the steps is folded into *deficit* states (how much
  each party still needs, clipped at 0), dropping states that cannot be
  completed even with the best of the remaining steps;
- the second half is folded into *sum* states, clipped at the largest
  deficit any first-half state has;
- the halves are joined by counting pairs whose sums cover the deficits:
  sorting and binary search for one party, chunked vectorised comparison
  after sorting on one party for several.

A block that is one densely linked component cannot be cut; its deficit
states are simply folded to the end.

Merging equal states is what keeps coarse utility grids (rankings, small
integer importances) cheap; on fine grids the work is about the square
root of the number of outcomes of the block for each half plus the number
of pairs joined. Every step counts its work against a budget, and the
count gives up (returns None) rather than exceed it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate._tuning import COUNT_CHUNK as _CHUNK
from negotiate._tuning import COUNT_JOIN_DISCOUNT as _JOIN_DISCOUNT
from negotiate._tuning import COUNT_MAX_STATES as MAX_STATES
from negotiate._tuning import COUNT_PENDING as _PENDING

__all__ = ["MAX_STATES", "IssueStep", "PartStep", "count_block", "merge"]

IntArray = npt.NDArray[np.int64]
Array = npt.NDArray[Any]

_FLOAT_EXACT = 1 << 53


@dataclass(frozen=True)
class PartStep:
    """A whole component: distinct utility vectors (m x P) and their multiplicities."""

    vectors: IntArray
    counts: IntArray


@dataclass(frozen=True)
class IssueStep:
    """One issue of a component, assigned given its context."""

    issue: int
    context: tuple[int, ...]
    allowed: npt.NDArray[np.bool_]
    """Shape (sizes of the context issues..., options of ``issue``)."""
    utilities: IntArray
    """Shape (options, P): each option's integer utility for each party."""


Step = PartStep | IssueStep


def _packed_keys(states: IntArray, spans: Sequence[int] | None = None) -> list[IntArray]:
    """Integer keys (most significant first) that order rows like lexicographic order:
    consecutive columns packed into one int64 while their value ranges fit.
    ``spans`` (column j holds values in ``0..spans[j]-1``) saves a pass when known."""
    if spans is None:
        low = states.min(axis=0)
        spans = [int(x) for x in states.max(axis=0) - low + 1]
    else:
        low = np.zeros(states.shape[1], dtype=np.int64)
    keys: list[IntArray] = []
    key: IntArray | None = None
    room = 1
    for j, span in enumerate(spans):
        if span >= (1 << 62):  # exact big integers (object arrays): a key of their own
            if key is not None:
                keys.append(key)
            keys.append(states[:, j] - low[j])
            key, room = None, 1
            continue
        column = (states[:, j] - low[j]).astype(np.int64)
        if key is None or room * span >= (1 << 62):
            if key is not None:
                keys.append(key)
            key, room = column, span
        else:
            key = key * span + column
            room *= span
    if key is not None:
        keys.append(key)
    return keys


def merge(
    states: IntArray, weights: Array, spans: Sequence[int] | None = None
) -> tuple[IntArray, Array]:
    """Merge equal rows of ``states`` (summing their ``weights``); rows come back sorted.

    ``spans``, when given, says column j holds values in ``0..spans[j]-1``.

    Examples
    --------
    >>> import numpy as np
    >>> from negotiate.analysis.zone_count import merge
    >>> rows, weights = merge(np.array([[1, 2], [0, 5], [1, 2]]), np.array([1, 1, 3]))
    >>> rows.tolist(), weights.tolist()
    ([[0, 5], [1, 2]], [1, 4])
    """
    if len(states) == 0:
        return states, weights
    if states.shape[1] == 0:
        return states[:1], np.asarray([weights.sum()], dtype=weights.dtype)
    keys = _packed_keys(states, spans)
    order = np.argsort(keys[0]) if len(keys) == 1 else np.lexsort(keys[::-1])
    different = np.zeros(len(order) - 1, dtype=bool)
    for key in keys:
        ordered = key[order]
        different |= ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(np.r_[True, different])
    merged = states[order[starts]]
    summed = np.add.reduceat(weights[order], starts)
    return merged, np.asarray(summed, dtype=weights.dtype)


class _Budget:
    def __init__(self, limit: int, deadline: Deadline | None = None) -> None:
        self.limit = limit
        self.used = 0
        self.deadline = deadline

    def check(self) -> None:
        """Raise SearchLimitError once the deadline (if any) has passed."""
        if self.deadline is not None:
            self.deadline.check("counting the agreement zone")

    def spend(self, amount: int) -> bool:
        self.check()
        self.used += amount
        return self.used <= self.limit


@dataclass
class _States:
    """Weighted states: one matrix whose first columns assign ``variables`` and
    whose other columns hold the utility values (deficits or sums)."""

    variables: list[int]
    matrix: IntArray
    weights: Array

    @property
    def assign(self) -> IntArray:
        return self.matrix[:, :len(self.variables)]

    @property
    def value(self) -> IntArray:
        return self.matrix[:, len(self.variables):]

    def merged(self, spans: Sequence[int] | None = None) -> _States:
        matrix, weights = merge(self.matrix, self.weights, spans)
        return _States(self.variables, matrix, weights)


def _later_needs(steps: Sequence[Step]) -> list[set[int]]:
    """needs[t]: issues that the steps after step t read as context."""
    needs: list[set[int]] = [set() for _ in steps]
    running: set[int] = set()
    for t in range(len(steps) - 1, -1, -1):
        needs[t] = set(running)
        step = steps[t]
        if isinstance(step, IssueStep):
            running |= set(step.context)
    return needs


def _clip(
    value: IntArray, deficit: bool, cap: IntArray, bound: IntArray | None
) -> tuple[IntArray, npt.NDArray[np.bool_] | None]:
    """Clip new values; for deficits also say which states can still be completed."""
    if deficit:
        assert bound is not None
        return value, np.asarray((value <= bound).all(axis=1), dtype=bool)
    return np.minimum(value, cap), None


def _expand_part(
    states: _States, step: PartStep, retained: list[int], deficit: bool, cap: IntArray,
    bound: IntArray | None,
) -> _States:
    count = len(step.vectors)
    rows = np.repeat(np.arange(len(states.weights)), count)
    choice = np.tile(np.arange(count), len(states.weights))
    if deficit:
        value = np.maximum(states.value[rows] - step.vectors[choice], 0)
    else:
        value = states.value[rows] + step.vectors[choice]
    value, ok = _clip(value, deficit, cap, bound)
    if ok is not None:
        rows, choice, value = rows[ok], choice[ok], value[ok]
    matrix = np.concatenate([states.matrix[np.ix_(rows, np.asarray(retained, dtype=np.int64))], value], axis=1)
    return _States(
        [states.variables[j] for j in retained], matrix, states.weights[rows] * step.counts[choice]
    )


def _expand_issue(
    states: _States, step: IssueStep, retained: list[int], deficit: bool, cap: IntArray,
    bound: IntArray | None,
) -> _States:
    where = {v: j for j, v in enumerate(states.variables)}
    index = tuple(  # option columns are small: int64 even when the matrix holds big ints
        states.matrix[:, where[u]].astype(np.int64) for u in step.context)
    size = step.allowed.shape[-1]
    allowed = step.allowed[index] if index else np.broadcast_to(
        step.allowed, (len(states.weights), size)
    )
    known = len(states.variables)
    keep_new = known in retained
    old_columns = [j for j in retained if j < known]
    width = len(old_columns) + keep_new
    value_columns = states.matrix.shape[1] - known
    pieces = []
    for option in range(size):
        rows = np.flatnonzero(allowed[:, option])
        if deficit:
            value = np.maximum(states.matrix[rows, known:] - step.utilities[option], 0)
        else:
            value = states.matrix[rows, known:] + step.utilities[option]
        value, ok = _clip(value, deficit, cap, bound)
        if ok is not None:
            rows, value = rows[ok], value[ok]
        matrix = np.empty((len(rows), width + value_columns), dtype=states.matrix.dtype)
        matrix[:, :len(old_columns)] = states.matrix[np.ix_(rows, np.asarray(old_columns, dtype=np.int64))]
        if keep_new:
            matrix[:, len(old_columns)] = option
        matrix[:, width:] = value
        pieces.append(_States([], matrix, states.weights[rows]))
    variables = [*states.variables, step.issue]
    return _concat(pieces, [variables[j] for j in retained])


def _fold(
    states: _States,
    steps: Sequence[Step],
    needs: Sequence[set[int]],
    *,
    deficit: bool,
    cap: IntArray,
    bound: Sequence[IntArray],
    budget: _Budget,
) -> _States | None:
    """Fold steps into states, merging equal states after each step.

    Deficit states subtract and clip at 0 and are dropped when a column is
    larger than ``bound[t]`` (the most the steps after step ``t`` can add).
    Sum states add and clip at ``cap``. Assignment columns not needed by later
    steps are dropped. Returns None when the budget runs out.
    """
    sizes = {s.issue: s.allowed.shape[-1] for s in steps if isinstance(s, IssueStep)}
    for t, step in enumerate(steps):
        if len(states.weights) == 0:
            return states
        fanout = len(step.vectors) if isinstance(step, PartStep) else step.allowed.shape[-1]
        if not budget.spend(len(states.weights) * fanout):
            return None
        variables = list(states.variables)
        if isinstance(step, IssueStep):
            variables.append(step.issue)
        retained = [j for j, v in enumerate(variables) if v in needs[t]]
        stride = max(1, _CHUNK // max(1, fanout))
        limit = bound[t] if deficit else None
        top = limit if limit is not None else cap
        spans = [sizes[variables[j]] for j in retained] + [int(x) + 1 for x in top]
        pieces: list[_States] = []
        pending = 0
        for start in range(0, len(states.weights), stride):
            chunk = _States(
                states.variables, states.matrix[start:start + stride],
                states.weights[start:start + stride],
            )
            if isinstance(step, PartStep):
                piece = _expand_part(chunk, step, retained, deficit, cap, limit)
            else:
                piece = _expand_issue(chunk, step, retained, deficit, cap, limit)
            pieces.append(piece)
            pending += len(piece.weights)
            budget.check()
            if pending > _PENDING:
                merged = _concat(pieces, piece.variables).merged(spans)
                if len(merged.weights) > MAX_STATES:
                    return None
                pieces, pending = [merged], len(merged.weights)
        states = _concat(pieces, pieces[0].variables).merged(spans)
        if len(states.weights) > MAX_STATES:
            return None
    return states


def _concat(pieces: Sequence[_States], variables: list[int]) -> _States:
    return _States(
        list(variables),
        np.concatenate([p.matrix for p in pieces]),
        np.concatenate([p.weights for p in pieces]),
    )


def _join(
    deficits: IntArray, dweights: Array, sums: IntArray, sweights: Array, budget: _Budget
) -> int | None:
    """Number of (deficit, sum) pairs, weighted, with sum >= deficit in every column."""
    if len(deficits) == 0 or len(sums) == 0:
        return 0
    width = deficits.shape[1]
    if width == 0:
        return int(dweights.sum()) * int(sweights.sum())
    tail_total = int(sweights.sum())
    order = np.lexsort(sums.T[::-1])
    sums, sweights = sums[order], sweights[order]
    first = sums[:, 0]
    if width == 1:
        if not budget.spend((len(deficits) + len(sums)) // _JOIN_DISCOUNT):
            return None
        suffix = np.concatenate([np.cumsum(sweights[::-1])[::-1], np.zeros(1, sweights.dtype)])
        where = np.searchsorted(first, deficits[:, 0], side="left")
        return int((dweights * suffix[where]).sum())
    starts = np.searchsorted(first, deficits[:, 0], side="left")
    order = np.argsort(-starts, kind="stable")
    deficits, dweights, starts = deficits[order], dweights[order], starts[order]
    use_float = tail_total < _FLOAT_EXACT
    sw_float = sweights.astype(np.float64) if use_float else sweights
    total = 0
    n, m = len(deficits), len(sums)
    a = 0
    while a < n:
        length = max(1, m - int(starts[a]))
        b = min(n, a + max(1, _CHUNK // length))
        length = max(1, m - int(starts[b - 1]))
        b = min(b, a + max(1, _CHUNK // length))
        s = int(starts[b - 1])
        if not budget.spend((b - a) * (m - s) * width // _JOIN_DISCOUNT):
            return None
        if s < m:
            mask = np.asarray((sums[None, s:, :] >= deficits[a:b, None, :]).all(axis=2))
            per: Array
            if use_float:
                per = np.rint(mask.astype(np.float64) @ sw_float[s:]).astype(np.int64)
            else:
                per = np.array([int(sweights[s:][row].sum()) for row in mask], dtype=object)
            total += int((dweights[a:b] * per).sum())
        a = b
    return total


def _maxima(step: Step, width: int) -> IntArray:
    if isinstance(step, PartStep):
        if len(step.vectors) == 0:
            return np.zeros(width, dtype=step.vectors.dtype)
        return np.asarray(step.vectors.max(axis=0))
    return np.asarray(step.utilities.max(axis=0))


def _split(steps: Sequence[Step], needs: Sequence[set[int]]) -> int:
    """Where to cut the steps in two: a point no later step reads an earlier issue
    at (the frontier is empty), balancing the (log) branching of the halves.
    ``len(steps)`` (no cut: a plain forward count) when there is no such point."""
    logs = [
        math.log(max(1, len(s.vectors) if isinstance(s, PartStep) else s.allowed.shape[-1]))
        for s in steps
    ]
    assigned: set[int] = set()
    total = sum(logs)
    best, best_gap = len(steps), total
    acc = 0.0
    for t, step in enumerate(steps):
        if isinstance(step, IssueStep):
            assigned.add(step.issue)
        acc += logs[t]
        cut = t + 1
        if cut < len(steps) and not (needs[t] & assigned):
            gap = abs(total - 2 * acc)
            if gap < best_gap:
                best, best_gap = cut, gap
    return best


def count_block(
    steps: Sequence[Step], need: IntArray, *, total: int, budget: int,
    deadline: Deadline | None = None,
) -> int | None:
    """Count the outcomes of the steps whose utility reaches ``need`` in every column.

    Parameters
    ----------
    steps : sequence of PartStep or IssueStep
        The coupled block.
    need : array of int64, shape (P,)
        Threshold per party (after subtracting constant contributions).
    total : int
        Number of outcomes of the steps ignoring ``need`` (sets the integer type).
    budget : int
        Largest amount of work: (state, choice) pairs folded, plus comparisons
        in the join divided by 32. At most :data:`MAX_STATES` merged states are
        kept at any time.
    deadline : Deadline or None, optional
        Checked before each step and join; when it has passed,
        :class:`~negotiate.errors.SearchLimitError` is raised.

    Returns
    -------
    int or None
        The exact count, or None when the budget would be exceeded.

    Raises
    ------
    SearchLimitError
        When ``deadline`` passes before the count is done.

    Examples
    --------
    Two independent components with utility vectors for two parties (the
    second vector of the first component stands for two assignments); count
    the choices whose sum gives each party at least 3: (0,3)+(3,3),
    (2,1)+(1,2) twice, (2,1)+(3,3) twice and (3,0)+(3,3).

    >>> import numpy as np
    >>> from negotiate.analysis.zone_count import PartStep, count_block
    >>> first = PartStep(np.array([[0, 3], [2, 1], [3, 0]]), np.array([1, 2, 1]))
    >>> second = PartStep(np.array([[1, 2], [3, 3]]), np.array([1, 1]))
    >>> count_block([first, second], np.array([3, 3]), total=8, budget=100)
    6
    """
    width = len(need)
    dtype: Any = np.int64 if total < (1 << 62) else object
    if width == 0 or total == 0:
        return total
    big = any((s.vectors if isinstance(s, PartStep) else s.utilities).dtype == object
              for s in steps) or np.asarray(need).dtype == object
    rest = [np.zeros(width, dtype=object if big else np.int64)]
    for step in reversed(steps):
        rest.append(rest[-1] + _maxima(step, width))
    rest.reverse()  # rest[t] = most that steps t.. can add
    clipped = np.maximum(need, 0).astype(object if big else np.int64)
    if (clipped > rest[0]).any():
        return 0
    # states hold small integers: use 32 bits when every sum fits (halves memory);
    # exact Python ints (object) when they do not fit 62 bits
    largest = int(rest[0].max()) + int(clipped.max())
    cell: Any = np.int32 if largest < (1 << 31) else np.int64 if largest < (1 << 62) else object
    clipped = clipped.astype(cell)
    rest = [r.astype(cell) for r in rest]
    steps = [
        PartStep(s.vectors.astype(cell), s.counts.astype(dtype)) if isinstance(s, PartStep)
        else IssueStep(s.issue, s.context, s.allowed, s.utilities.astype(cell))
        for s in steps
    ]
    needs = _later_needs(steps)
    split = _split(steps, needs)
    meter = _Budget(budget, deadline)
    start = _States([], clipped[None, :], np.ones(1, dtype=dtype))
    head = _fold(start, steps[:split], needs[:split], deficit=True,
                 cap=clipped, bound=rest[1:split + 1], budget=meter)
    if head is None:
        return None
    if len(head.weights) == 0:
        return 0
    if split == len(steps):
        return int(head.weights[(head.value == 0).all(axis=1)].sum())
    columns = np.flatnonzero(head.value.max(axis=0) > 0)
    deficits = head.value[:, columns]
    cap = deficits.max(axis=0) if len(columns) else np.zeros(0, cell)
    tail_steps: list[Step] = [
        PartStep(s.vectors[:, columns], s.counts) if isinstance(s, PartStep)
        else IssueStep(s.issue, s.context, s.allowed, s.utilities[:, columns])
        for s in steps[split:]
    ]
    initial = _States([], np.zeros((1, len(columns)), cell), np.ones(1, dtype=dtype))
    tail = _fold(initial, tail_steps, needs[split:], deficit=False,
                 cap=cap, bound=[], budget=meter)
    if tail is None:
        return None
    return _join(deficits, head.weights, tail.value, tail.weights, meter)
