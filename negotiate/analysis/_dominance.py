
"""Pareto dominance filtering of integer utility vectors.

The machinery behind :mod:`negotiate.analysis.pareto`: given rows of integer
utilities (one column per party), :func:`_pareto_mask` finds the rows that no
other row weakly dominates. Two columns take a sort and a sweep; more take a
divide-and-conquer dominance test (:func:`_covered`) on dense ranks, after a
cheap Z-order pass (:func:`_morton`, :func:`_near_dominated`) that drops most
dominated rows of large inputs. Everything here is exact integer comparison.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

from negotiate._tuning import DOMINANCE_PREFILTER as _PREFILTER

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]



class _Deadline(Protocol):
    """What :func:`_pareto_mask` needs of a time limit: a check that raises once it is past."""

    def check(self, where: str) -> None: ...


def _lex_desc(v: IntArray) -> IntArray:
    """Row order sorting ``v`` descending lexicographically (column 0 first)."""
    return np.lexsort(tuple(-v[:, j] for j in reversed(range(v.shape[1])))).astype(np.int64)


def _unique_desc(v: IntArray) -> tuple[IntArray, IntArray]:
    """Unique rows of ``v`` in descending lexicographic order, and each row's index in them."""
    n = len(v)
    if n == 0:
        return v, np.zeros(0, dtype=np.int64)
    order = _lex_desc(v)
    sorted_v = v[order]
    new = np.ones(n, dtype=bool)
    if v.shape[1]:
        new[1:] = np.any(sorted_v[1:] != sorted_v[:-1], axis=1)
    else:
        new[1:] = False
    ids = np.cumsum(new) - 1
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = ids
    return sorted_v[new], inverse


def _ranks(v: IntArray) -> IntArray:
    """Replace each column by dense ranks (keeps every comparison, bounds the values by n)."""
    out = np.empty(v.shape, dtype=np.int64)  # ranks are small even when v holds big ints
    for j in range(v.shape[1]):
        _, inverse = np.unique(v[:, j], return_inverse=True)
        out[:, j] = inverse.reshape(-1)
    return out


def _covered(coords: IntArray, segment: IntArray, source: BoolArray) -> BoolArray:
    """For each non-source row: whether a source row of the same segment is >= it in
    every column (at least two columns of small non-negative integers, e.g. ranks)."""
    n, d = coords.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    # Sort by segment, then first column descending, sources first among equals. The
    # order among equal keys does not matter: every answer depends only on which
    # sources come before a query, and that set is fixed by the key.
    top = int(coords[:, 0].max()) + 1
    key = (segment * top + (top - 1 - coords[:, 0])) * 2 + (~source)
    order = np.argsort(key)
    c_sorted, s_sorted, src_sorted = coords[order], segment[order], source[order]
    result = np.zeros(n, dtype=bool)
    if d == 2:
        # Running maximum of the second column over the sources seen so far in the segment
        # (offset by segment so one cumulative maximum serves every segment).
        big = int(c_sorted[:, 1].max()) + 2
        value = np.where(src_sorted, c_sorted[:, 1] + 1, 0)
        running = np.maximum.accumulate(s_sorted * big + value) - s_sorted * big
        result[order] = ~src_sorted & (running >= c_sorted[:, 1] + 1)
        return result
    # Divide and conquer on the first column: at each level, sources in the upper half of a
    # block against queries in its lower half, on the remaining columns.
    starts = np.flatnonzero(np.r_[True, s_sorted[1:] != s_sorted[:-1]])
    lengths = np.diff(np.r_[starts, n])
    position = np.arange(n) - np.repeat(starts, lengths)
    segment_index = np.repeat(np.arange(len(starts)), lengths)
    longest = int(lengths.max())
    found = np.zeros(n, dtype=bool)
    half = 1
    while half < longest:
        upper = (position // half) % 2 == 0
        chosen = np.flatnonzero(upper == src_sorted)
        if chosen.size:
            # Blocks are numbered in sorted order, so their ids never decrease.
            block = segment_index[chosen] * (longest // (2 * half) + 1) + position[chosen] // (
                2 * half)
            sub_segment = np.cumsum(np.r_[False, block[1:] != block[:-1]])
            found[chosen] |= _covered(c_sorted[chosen, 1:], sub_segment, src_sorted[chosen])
        half *= 2
    result[order] = found
    return result


def _morton(ranks: IntArray, bits: int = 15) -> npt.NDArray[np.uint64]:
    """Z-order codes of rows of ranks: a row >= another in every column has a code >= its."""
    n, d = ranks.shape
    top = max(1, int(ranks.max()))
    q = (ranks * ((1 << bits) - 1)) // top
    code = np.zeros(n, dtype=np.uint64)
    for b in range(bits - 1, -1, -1):
        for j in range(d):
            code = (code << np.uint64(1)) | ((q[:, j] >> b) & 1).astype(np.uint64)
    return code


def _near_dominated(ranks: IntArray, width: int = 64) -> BoolArray:
    """Rows dominated by one of the ``width`` rows just before them (ranks of unique rows)."""
    n = len(ranks)
    columns = [np.ascontiguousarray(ranks[:, j]) for j in range(ranks.shape[1])]
    dominated = np.zeros(n, dtype=bool)
    for t in range(1, min(width, n - 1) + 1):
        hit = columns[0][:-t] >= columns[0][t:]
        for column in columns[1:]:
            hit &= column[:-t] >= column[t:]
        dominated[t:] |= hit
    return dominated


def _pivot_pruned(v: IntArray) -> BoolArray:
    """Rows of ``v`` not strictly dominated by a few *pivot* rows (int64 rows, below 2**60).

    Each pivot maximises a positive integer-weighted sum of the columns, so it is
    Pareto-optimal; a row it strictly dominates (>= in every column, > in one) is not,
    whatever rows tie with it. Only those rows are dropped: exact, whatever the weights.
    A cheap linear pass before sorting large inputs."""
    n, width = v.shape
    columns = [np.ascontiguousarray(v[:, j]) for j in range(width)]
    weights = [[1] * width] + [[1 + 2 * (j == k) for j in range(width)] for k in range(width)]
    dropped = np.zeros(n, dtype=bool)
    for w in weights:
        score = columns[0] * w[0]
        for j in range(1, width):
            score = score + columns[j] * w[j]
        pivot = int(np.argmax(score))
        below = columns[0] <= columns[0][pivot]
        less = columns[0] < columns[0][pivot]
        for j in range(1, width):
            below &= columns[j] <= columns[j][pivot]
            less |= columns[j] < columns[j][pivot]
        dropped |= below & less
    return ~dropped


def _pareto_mask(u: IntArray, clock: _Deadline | None = None) -> BoolArray:
    """Undominated rows of ``u`` (unique rows, sorted descending lexicographically)."""
    n, width = u.shape
    if n <= 1:
        return np.ones(n, dtype=bool)
    if width == 1:
        mask = np.zeros(n, dtype=bool)
        mask[0] = True
        return mask
    if width == 2:
        second = u[:, 1]
        previous = np.empty(n, dtype=second.dtype)  # int64, or object for exact big ints
        previous[0] = second.min() - 1
        previous[1:] = np.maximum.accumulate(second[:-1])
        return np.asarray(second > previous, dtype=bool)
    ranks = _ranks(u)
    alive = np.arange(n)
    if n > _PREFILTER:
        # Cheap first pass: in Z-order (descending) a dominator comes before what it
        # dominates and is usually close; drop rows dominated by a near predecessor,
        # for a few orders of the columns. Only truly dominated rows are dropped.
        for shift in range(min(width, 4)):
            v = ranks[alive]
            order = np.argsort(_morton(np.roll(v, -shift, axis=1)), kind="stable")[::-1]
            alive = np.sort(alive[order[~_near_dominated(v[order])]])
    # Exact: a row is dominated iff an earlier row (>= on column 0) is >= on the others.
    coords = ranks[alive][:, 1:]
    m = len(alive)
    position = np.arange(m)
    dominated = np.zeros(m, dtype=bool)
    half = 1
    while half < m:
        upper = (position // half) % 2 == 0
        dominated |= _covered(coords, position // (2 * half), upper)
        half *= 2
        if clock is not None:
            clock.check("filtering dominated points")
    mask = np.zeros(n, dtype=bool)
    mask[alive[~dominated]] = True
    return mask
