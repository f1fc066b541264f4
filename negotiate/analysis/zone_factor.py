"""Exact red-line engines for one linkage component (a private helper of `zone`).

The red lines inside a linkage component form a small constraint network
over the component's issues. :class:`ComponentEngine` counts, samples and
enumerates its solutions exactly by *variable elimination*: the issues are
put in a *generation order* and eliminated in reverse; eliminating issue
``v`` multiplies every table that mentions it into a table ``psi_v`` over
``v`` and its *context* (issues that come earlier in the generation order),
then sums ``v`` out. Afterwards

- the number of solutions is the product of the scalars left over;
- a partial assignment of the first issues in generation order extends to a
  solution exactly when every ``psi_v`` seen so far is positive at it, so
  enumeration in generation order never backtracks;
- drawing each issue in generation order with probability proportional to
  ``psi_v`` (given the context) samples the solutions uniformly.

A component whose tables would be too large is *listed* instead (its local
product filtered by its red lines) when the product is at most
:data:`LIST_LIMIT`.

The generation order is the issue order whenever its tables stay below
:data:`TABLE_LIMIT` entries, so that enumeration is lexicographic in issue
order; otherwise a weighted min-fill order is used. A component for which
neither order keeps the tables small, and that is too large to list, is
*opaque*: only checks and sampling of the whole local product are offered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._tuning import ZONE_CACHED_ROWS as _CACHED_ROWS
from negotiate._tuning import ZONE_LIST_LIMIT as LIST_LIMIT
from negotiate._tuning import ZONE_TABLE_LIMIT as TABLE_LIMIT
from negotiate.space import CompiledScenario

__all__ = [
    "TABLE_LIMIT",
    "ComponentEngine",
    "linkage_components",
]

Array = npt.NDArray[Any]
IntArray = npt.NDArray[np.int64]

#: Counts below this fit in int64 with room for products of two factors' worth of slack.
_INT64_SAFE = 1 << 62


def linkage_components(c: CompiledScenario, rules: Iterable[int]) -> list[tuple[int, ...]]:
    """Groups of issues linked by the given rules (indices into ``c.rules``; all issues
    are covered), from the scenario's component layer (:mod:`negotiate._linkage`).

    Sorted by smallest issue index; each group sorted.

    Examples
    --------
    >>> from negotiate.analysis.zone_factor import linkage_components
    >>> from negotiate.space import compile_scenario
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y]}, {id: b, options: [x, y]}, {id: c, options: [x, y]}]
    ... parties: [{id: p, red_lines: [{id: r, rule: "a == x or c == x"}]}]
    ... ''')
    >>> linkage_components(compile_scenario(s), [0])
    [(0, 2), (1,)]
    """
    return list(c.linkage.components_of(c.rules[r].scope for r in rules))


def _largest_table(
    scopes: Sequence[Sequence[int]], order: Sequence[int], sizes: Mapping[int, int]
) -> int:
    """Entries of the largest table built when eliminating in reverse of ``order``."""
    sets: list[frozenset[int]] = [frozenset(s) for s in scopes]
    largest = 1
    for v in reversed(order):
        involved = [s for s in sets if v in s]
        sets = [s for s in sets if v not in s]
        union = frozenset().union(*involved) | {v}
        largest = max(largest, math.prod(sizes[u] for u in union))
        rest = union - {v}
        if rest:
            sets.append(rest)
    return largest


def _min_fill_order(
    issues: Sequence[int], scopes: Sequence[Sequence[int]], sizes: Mapping[int, int]
) -> list[int]:
    """A generation order: the reverse of a greedy weighted min-fill elimination.

    Ties are broken by the table size and then by the issue index, so the
    order is deterministic.
    """
    adjacent: dict[int, set[int]] = {v: set() for v in issues}
    for scope in scopes:
        for a in scope:
            adjacent[a].update(b for b in scope if b != a)
    eliminated: list[int] = []
    remaining = set(issues)
    while remaining:
        best: tuple[int, int, int] | None = None
        for v in sorted(remaining):
            neighbours = sorted(adjacent[v])
            fill = sum(
                1
                for j, a in enumerate(neighbours)
                for b in neighbours[j + 1:]
                if b not in adjacent[a]
            )
            key = (fill, sizes[v] * math.prod(sizes[u] for u in neighbours), v)
            if best is None or key < best:
                best = key
        assert best is not None
        v = best[2]
        neighbours = sorted(adjacent[v])
        for a in neighbours:
            adjacent[a].discard(v)
            adjacent[a].update(b for b in neighbours if b != a)
        del adjacent[v]
        remaining.discard(v)
        eliminated.append(v)
    return eliminated[::-1]


class ComponentEngine:
    """Exact counting, sampling and enumeration for one linkage component.

    Parameters
    ----------
    c : CompiledScenario
    issues : tuple of int
        The component's issues, sorted.
    red_lines : sequence of int
        Indices of the red lines inside the component (non-constant scope).

    Attributes
    ----------
    issues : tuple of int
    red_lines : tuple of int
    product : int
        Size of the component's local outcome space.
    order : tuple of int or None
        Generation order (None when the component is opaque).
    in_issue_order : bool
        The generation order is the issue order (enumeration is lexicographic).
    count : int or None
        Number of local assignments satisfying the red lines (None when opaque).
    tractable : bool
        Whether ``count``, ``rows``, ``first`` and ``sample`` are available.

    Examples
    --------
    >>> import numpy as np
    >>> from negotiate.analysis.zone_factor import ComponentEngine
    >>> from negotiate.space import compile_scenario
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}, {id: b, options: [x, y]}]
    ... parties: [{id: p, red_lines: [{id: r, rule: "a == x -> b == y"}]}]
    ... ''')
    >>> e = ComponentEngine(compile_scenario(s), (0, 1), [0])
    >>> e.count, e.in_issue_order, e.first()
    (5, True, (0, 1))
    >>> e.rows(10).tolist()
    [[0, 1], [1, 0], [1, 1], [2, 0], [2, 1]]
    >>> e.sample(np.random.default_rng(0), 3).shape
    (3, 2)
    """

    def __init__(self, c: CompiledScenario, issues: tuple[int, ...], red_lines: Sequence[int]):
        self.c = c
        self.issues = issues
        self.red_lines = tuple(red_lines)
        self.sizes = {i: c.sizes[i] for i in issues}
        self.product = math.prod(self.sizes.values())
        self.position = {i: j for j, i in enumerate(issues)}
        scopes = [c.rules[r].scope for r in self.red_lines]
        self.order: tuple[int, ...] | None = None
        self.in_issue_order = False
        self.count: int | None = None
        self._psi: dict[int, tuple[tuple[int, ...], Array]] = {}
        self._psi_float: dict[int, tuple[tuple[int, ...], npt.NDArray[np.float64]]] = {}
        self._listed: IntArray | None = None
        self._rows: IntArray | None = None
        # red lines grouped by the last issue of their scope (for opaque checks)
        self.closing: dict[int, list[int]] = {}
        for r in self.red_lines:
            self.closing.setdefault(c.rules[r].scope[-1], []).append(r)
        if all(math.prod(self.sizes[i] for i in s) <= TABLE_LIMIT for s in scopes):
            if _largest_table(scopes, issues, self.sizes) <= TABLE_LIMIT:
                self.order, self.in_issue_order = issues, True
            else:
                order = tuple(_min_fill_order(issues, scopes, self.sizes))
                if _largest_table(scopes, order, self.sizes) <= TABLE_LIMIT:
                    self.order = order
        if self.order is not None:
            self._eliminate()
        elif self.product <= LIST_LIMIT:
            self._list()

    @property
    def tractable(self) -> bool:
        """Whether exact counting and sampling are available."""
        return self.order is not None or self._listed is not None

    def _list(self) -> None:
        kept = [chunk[self.holds(chunk)] for chunk in self.c.iter_product(self.issues)]
        self._listed = np.concatenate(kept).astype(np.int64)
        self._listed.flags.writeable = False
        self.count = len(self._listed)

    # -- variable elimination ----------------------------------------------------------------

    def _factor(self, r: int, dtype: Any, position: Mapping[int, int]) -> tuple[
        tuple[int, ...], Array
    ]:
        scope = self.c.rules[r].scope
        grids = np.ix_(*[np.arange(self.sizes[i], dtype=np.int64) for i in scope])
        shape = tuple(self.sizes[i] for i in scope)
        holds = np.broadcast_to(self.c.red_line_holds(r, dict(zip(scope, grids, strict=True))),
                                shape)
        ordered = sorted(range(len(scope)), key=lambda j: position[scope[j]])
        table = np.transpose(holds, ordered).astype(np.int64)
        if dtype is object:
            table = table.astype(object)
        return tuple(scope[j] for j in ordered), table

    def _eliminate(self) -> None:
        assert self.order is not None
        position = {v: j for j, v in enumerate(self.order)}
        dtype: Any = np.int64 if self.product < _INT64_SAFE else object
        factors = [self._factor(r, dtype, position) for r in self.red_lines]
        scalar = 1
        for v in reversed(self.order):
            involved = [f for f in factors if v in f[0]]
            factors = [f for f in factors if v not in f[0]]
            context = tuple(
                sorted({u for vs, _ in involved for u in vs} - {v}, key=position.__getitem__)
            )
            axes = (*context, v)
            shape = tuple(self.sizes[u] for u in axes)
            table: Array = np.ones(shape, dtype=dtype)
            for variables, t in involved:
                table = table * t.reshape(
                    tuple(self.sizes[u] if u in variables else 1 for u in axes)
                )
            self._psi[v] = (context, table)
            message = table.sum(axis=-1)
            if context:
                factors.append((context, message))
            else:
                scalar *= int(message)
        self.count = scalar
        for v, (context, table) in self._psi.items():
            if table.dtype == object:
                top = max(int(x) for x in table.flat) or 1
                floats = np.array([int(x) / top for x in table.flat], dtype=np.float64)
                self._psi_float[v] = (context, floats.reshape(table.shape))
            else:
                self._psi_float[v] = (context, table.astype(np.float64))

    # -- queries -----------------------------------------------------------------------------

    @property
    def eliminated(self) -> bool:
        """Whether elimination tables exist (see :meth:`allowed`)."""
        return bool(self._psi)

    def allowed(self, v: int) -> tuple[tuple[int, ...], npt.NDArray[np.bool_]]:
        """Context of issue ``v`` and, indexed by the context's options then ``v``'s,
        whether the option extends a partial solution (requires :attr:`eliminated`)."""
        context, table = self._psi[v]
        return context, np.asarray(table != 0, dtype=bool)

    def options(self, v: int, x: Sequence[int]) -> IntArray:
        """Options of issue ``v`` that extend the assignment ``x`` (indexed by issue).

        Only for components in issue order, when ``x`` already holds every
        earlier issue of the component.
        """
        context, table = self._psi[v]
        return np.flatnonzero(table[tuple(x[u] for u in context)]).astype(np.int64)

    def check_options(self, v: int, x: Sequence[int]) -> IntArray:
        """Options of issue ``v`` under which every red line ending at ``v`` holds
        (``x`` holds every earlier issue). Used for opaque components."""
        allowed = np.ones(self.sizes[v], dtype=bool)
        column = np.arange(self.sizes[v], dtype=np.int64)
        for r in self.closing.get(v, ()):
            columns: dict[int, Any] = {u: x[u] for u in self.c.rules[r].scope if u != v}
            columns[v] = column
            allowed &= np.broadcast_to(self.c.red_line_holds(r, columns), allowed.shape)
        return np.flatnonzero(allowed).astype(np.int64)

    def holds(self, rows: IntArray) -> npt.NDArray[np.bool_]:
        """Whether each row (columns in the order of ``issues``) meets every red line."""
        columns = {i: rows[:, j] for j, i in enumerate(self.issues)}
        mask = np.ones(len(rows), dtype=bool)
        for r in self.red_lines:
            mask &= np.broadcast_to(self.c.red_line_holds(r, columns), mask.shape)
        return mask

    def rows(self, limit: int) -> IntArray | None:
        """Every satisfying assignment, lexicographic in issue order, as rows whose
        columns follow ``issues``; None when opaque or when there are more than ``limit``."""
        if self.count is None or self.count > limit:
            return None
        if self._listed is not None:
            return self._listed
        if self._rows is not None:
            return self._rows
        rows = self._enumerate()
        if len(rows) <= _CACHED_ROWS:
            rows.flags.writeable = False
            self._rows = rows
        return rows

    def _enumerate(self) -> IntArray:
        assert self.order is not None and self.count is not None
        if self.count == 0:
            return np.zeros((0, len(self.issues)), dtype=np.int64)
        n = 1
        columns: dict[int, IntArray] = {}
        for v in self.order:
            context, table = self._psi[v]
            weights = table[tuple(columns[u] for u in context)] if context else np.broadcast_to(
                table, (n, self.sizes[v])
            )
            which, option = np.nonzero(weights)
            columns = {u: a[which] for u, a in columns.items()}
            columns[v] = option.astype(np.int64)
            n = len(option)
        if not self.issues:
            return np.zeros((n, 0), dtype=np.int64)
        rows = np.stack([columns[i] for i in self.issues], axis=1).astype(np.int64)
        if not self.in_issue_order and len(rows):
            rows = rows[np.lexsort(rows.T[::-1])]
        return rows

    def first(self) -> tuple[int, ...] | None:
        """The first satisfying assignment in generation order (lexicographically
        first when in issue order); None when there is none or when opaque."""
        if not self.count:
            return None
        if self._listed is not None:
            return tuple(int(k) for k in self._listed[0])
        assert self.order is not None
        x: dict[int, int] = {}
        for v in self.order:
            context, table = self._psi[v]
            x[v] = int(np.flatnonzero(table[tuple(x[u] for u in context)])[0])
        return tuple(x[i] for i in self.issues)

    def sample(self, rng: np.random.Generator, n: int) -> IntArray:
        """``n`` satisfying assignments drawn uniformly and independently (columns
        follow ``issues``). Requires a tractable component with a positive count."""
        assert self.count
        if self._listed is not None:
            return self._listed[rng.integers(0, len(self._listed), size=n)]
        assert self.order is not None
        columns: dict[int, IntArray] = {}
        for v in self.order:
            context, table = self._psi_float[v]
            size = self.sizes[v]
            weights = (
                table[tuple(columns[u] for u in context)] if context
                else np.broadcast_to(table, (n, size))
            )
            cumulative = np.cumsum(weights, axis=1)
            draw = rng.random(n) * cumulative[:, -1]
            chosen = (cumulative <= draw[:, None]).sum(axis=1)
            last = size - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)
            columns[v] = np.minimum(chosen, last).astype(np.int64)
        if not self.issues:
            return np.zeros((n, 0), dtype=np.int64)
        return np.stack([columns[i] for i in self.issues], axis=1)

    def sample_product(self, rng: np.random.Generator, n: int) -> IntArray:
        """``n`` uniform draws from the component's whole local product."""
        if not self.issues:
            return np.zeros((n, 0), dtype=np.int64)
        return np.stack(
            [rng.integers(0, self.sizes[i], size=n, dtype=np.int64) for i in self.issues], axis=1
        )
