"""The results of :mod:`negotiate.analysis.pareto`: `Frontier` and `FrontierPoint`
(and the private back-pointer structures that expand a point into its outcomes)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from negotiate._results import Result
from negotiate._text import big_count, json_count
from negotiate.model import Outcome
from negotiate.space import CompiledScenario

__all__ = ["Frontier", "FrontierPoint"]

IntArray = npt.NDArray[np.int64]

#: Rows of a frontier shown by ``str(frontier)``.
_SHOWN = 20


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Component:
    """A linkage component: its red-line-feasible rows, grouped by utility vector."""

    issues: tuple[int, ...]
    rows: IntArray
    """Feasible assignments of ``issues`` (lexicographic)."""
    group_start: IntArray
    """Rows of local frontier group g: ``group_rows[group_start[g]:group_start[g + 1]]``."""
    group_rows: IntArray


@dataclass(frozen=True, eq=False)
class _Stage:
    """Back-pointers of one fold step: node n was reached from (parent, group) pairs
    ``parent[start[n]:start[n + 1]]``, sorted so the first gives the representative."""

    start: IntArray
    parent: IntArray
    group: IntArray


@dataclass(frozen=True, eq=False)
class _Expansion:
    """Everything needed to list the outcomes behind a frontier point, lazily."""

    c: CompiledScenario
    components: tuple[_Component, ...]
    stages: tuple[_Stage, ...]

    def outcomes(self, node: int) -> Iterator[Outcome]:
        """Every outcome of final node ``node``, representative first, each once."""
        stages = self.stages
        last = len(stages) - 1
        nodes = [0] * len(stages)
        pointer = [0] * len(stages)
        groups = [0] * len(stages)
        nodes[last] = node
        pointer[last] = int(stages[last].start[node])
        level = last
        while level <= last:
            stage = stages[level]
            if pointer[level] < int(stage.start[nodes[level] + 1]):
                groups[level] = int(stage.group[pointer[level]])
                if level == 0:
                    yield from self._product(groups)
                    pointer[level] += 1
                else:
                    parent = int(stage.parent[pointer[level]])
                    level -= 1
                    nodes[level] = parent
                    pointer[level] = int(stages[level].start[parent])
            else:
                level += 1
                if level <= last:
                    pointer[level] += 1

    def _product(self, groups: Sequence[int]) -> Iterator[Outcome]:
        c = self.c
        choices = []
        for component, g in zip(self.components, groups, strict=True):
            lo, hi = int(component.group_start[g]), int(component.group_start[g + 1])
            choices.append(component.group_rows[lo:hi])
        slots: list[str] = [""] * c.n_issues
        for picked in itertools.product(*choices):
            for component, r in zip(self.components, picked, strict=True):
                row = component.rows[int(r)]
                for j, i in enumerate(component.issues):
                    slots[i] = c.option_ids[i][int(row[j])]
            yield Outcome(dict(zip(c.issue_ids, slots, strict=True)))


@dataclass(frozen=True)
class FrontierPoint(Result):
    """A Pareto-optimal utility vector and the zone outcomes that achieve it.

    Attributes
    ----------
    outcome : Outcome
        The representative outcome: among the outcomes with exactly these
        utilities, the one whose option indices (in issue order, options in
        listed order) are lexicographically smallest.
    utilities : mapping of str to float
        Each party's utility, in party order (read-only).
    count : int
        How many outcomes have exactly these utilities (at least 1; can be
        astronomically large when some issues matter to nobody).

    Examples
    --------
    >>> from negotiate.analysis.pareto import pareto_frontier
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y]}, {id: b, options: [u, v]}]
    ... parties: [{id: p, preferences: {a: {importance: 1, ranking: [x, y]}}}]
    ... ''')
    >>> point = pareto_frontier(s)[0]
    >>> point.outcome, dict(point.utilities), point.count
    (Outcome({'a': 'x', 'b': 'u'}), {'p': 1.0}, 2)
    >>> [str(o) for o in point.outcomes()]
    ['a=x, b=u', 'a=x, b=v']
    >>> point.to_dict()
    {'outcome': {'a': 'x', 'b': 'u'}, 'utilities': {'p': 1.0}, 'count': 2}
    """

    outcome: Outcome
    utilities: Mapping[str, float]
    count: int
    _ints: tuple[int, ...] = field(repr=False, compare=False, default=())
    _scales: tuple[Fraction, ...] = field(repr=False, compare=False, default=())
    _expansion: _Expansion | None = field(repr=False, compare=False, default=None)
    _node: int = field(repr=False, compare=False, default=0)

    def __hash__(self) -> int:
        return hash((self.outcome, tuple(self.utilities.items()), self.count))

    def __getstate__(self) -> dict[str, Any]:  # a mappingproxy cannot be pickled
        return {**self.__dict__, "utilities": dict(self.utilities)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, utilities=MappingProxyType(state["utilities"]))

    @property
    def exact_utilities(self) -> dict[str, Fraction]:
        """Each party's utility as an exact fraction (the floats are these, rounded).

        Examples
        --------
        >>> from negotiate.analysis.pareto import pareto_frontier
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y, z]}]
        ... parties: [{id: p, preferences: {a: {importance: 1, ranking: [z, y, x]}}}]
        ... ''')
        >>> pareto_frontier(s)[0].exact_utilities
        {'p': Fraction(1, 1)}
        """
        return {
            party: Fraction(v) / scale
            for party, v, scale in zip(self.utilities, self._ints, self._scales, strict=True)
        }

    def outcomes(self) -> Iterator[Outcome]:
        """Iterate lazily over all ``count`` outcomes with exactly these utilities.

        The representative :attr:`outcome` comes first; the order is
        deterministic and each outcome comes once. Take what you need with
        :func:`itertools.islice`: ``count`` can be astronomically large.

        Yields
        ------
        Outcome

        Examples
        --------
        >>> import itertools
        >>> from negotiate.analysis.pareto import pareto_frontier
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y]}, {id: b, options: [u, v, w]}]
        ... parties: [{id: p, preferences: {a: {importance: 1, ranking: [y, x]}}}]
        ... ''')
        >>> point = pareto_frontier(s)[0]
        >>> point.count, [o["b"] for o in itertools.islice(point.outcomes(), 2)]
        (3, ['u', 'v'])
        """
        if self._expansion is None:
            yield self.outcome
            return
        yield from self._expansion.outcomes(self._node)

    def __str__(self) -> str:
        utilities = ", ".join(f"{p}={u:.4g}" for p, u in self.utilities.items())
        more = f" (and {big_count(self.count - 1)} more outcome(s) with the same utilities)" if (
            self.count > 1) else ""
        return f"{self.outcome} -> {utilities}{more}"


@dataclass(frozen=True)
class Frontier(Result, Sequence[FrontierPoint]):
    """The Pareto frontier of a scenario's agreement zone.

    A sequence of :class:`FrontierPoint`, one per Pareto-optimal utility
    vector, sorted by utility vector in descending lexicographic order
    (first party's utility highest first, ties by the second party, ...).
    Empty when the zone is empty.

    Attributes
    ----------
    scenario : str
        The scenario id.
    parties : tuple of str
        Party ids, in scenario order (the order of every ``utilities``).
    points : tuple of FrontierPoint

    Examples
    --------
    >>> from negotiate.analysis.pareto import pareto_frontier
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, ranking: [x, y, z]}}}
    ...   - {id: q, preferences: {a: {importance: 1, ranking: [z, y, x]}}}
    ... ''')
    >>> f = pareto_frontier(s)
    >>> len(f), f.parties, [str(p.outcome) for p in f]
    (3, ('p', 'q'), ['a=x', 'a=y', 'a=z'])
    >>> print(f)
    Pareto frontier of t: 3 points (3 outcomes)
         p      q  count  outcome
    1.0000 0.0000      1  a=x
    0.5000 0.5000      1  a=y
    0.0000 1.0000      1  a=z
    """

    scenario: str
    parties: tuple[str, ...]
    points: tuple[FrontierPoint, ...]
    _compiled: CompiledScenario | None = field(repr=False, compare=False, default=None)
    _ints: IntArray | None = field(repr=False, compare=False, default=None)

    def __hash__(self) -> int:
        return hash((self.scenario, self.parties, self.points))

    def __len__(self) -> int:
        return len(self.points)

    @overload
    def __getitem__(self, index: int) -> FrontierPoint: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[FrontierPoint, ...]: ...

    def __getitem__(self, index: int | slice) -> FrontierPoint | tuple[FrontierPoint, ...]:
        return self.points[index]

    def __iter__(self) -> Iterator[FrontierPoint]:
        return iter(self.points)

    @property
    def is_empty(self) -> bool:
        """True when the agreement zone (hence the frontier) is empty."""
        return not self.points

    @property
    def outcome_count(self) -> int:
        """Number of Pareto-optimal outcomes (the sum of the points' counts)."""
        return sum(p.count for p in self.points)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``scenario``, ``parties``, ``outcome_count``, ``points``
        (the generated one with the computed ``outcome_count``).

        Examples
        --------
        >>> from negotiate.analysis.pareto import pareto_frontier
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y]}]
        ... parties: [{id: p, preferences: {a: {importance: 1, ranking: [y, x]}}}]
        ... ''')
        >>> pareto_frontier(s).to_dict()["points"]
        [{'outcome': {'a': 'y'}, 'utilities': {'p': 1.0}, 'count': 1}]
        """
        out = super().to_dict()
        out["outcome_count"] = json_count(self.outcome_count)
        out["points"] = out.pop("points")
        return out

    def __str__(self) -> str:
        if not self.points:
            return f"Pareto frontier of {self.scenario}: empty (no agreement zone)"
        n, total = len(self.points), self.outcome_count
        lines = [
            f"Pareto frontier of {self.scenario}: {n} point{'s' if n != 1 else ''} "
            f"({big_count(total)} outcome{'s' if total != 1 else ''})"
        ]
        widths = [max(6, len(p)) for p in self.parties]
        count_width = max(5, *(len(big_count(p.count)) for p in self.points[:_SHOWN]))
        header = " ".join(p.rjust(w) for p, w in zip(self.parties, widths, strict=True))
        lines.append(f"{header} {'count'.rjust(count_width)}  outcome")
        for point in self.points[:_SHOWN]:
            cells = " ".join(
                f"{u:.4f}".rjust(w) for u, w in zip(point.utilities.values(), widths, strict=True)
            )
            lines.append(f"{cells} {big_count(point.count).rjust(count_width)}  {point.outcome}")
        if n > _SHOWN:
            lines.append(f"... and {n - _SHOWN} more points")
        return "\n".join(lines)
