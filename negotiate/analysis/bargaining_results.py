"""The result of :mod:`negotiate.analysis.bargaining`: `BargainingSolution`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from negotiate._results import Result, doc
from negotiate._text import big_count, json_count
from negotiate.analysis.pareto import FrontierPoint
from negotiate.model import Outcome

__all__ = ["BargainingSolution"]

_TITLES = {
    "nash": "Nash bargaining solution",
    "kalai_smorodinsky": "Kalai–Smorodinsky solution",
    "egalitarian": "Egalitarian solution",
    "utilitarian": "Utilitarian solution",
}


@dataclass(frozen=True)
class BargainingSolution(Result):
    """A bargaining solution: the chosen outcome, its utilities, and what it maximises.

    Attributes
    ----------
    name : str
        ``"nash"``, ``"kalai_smorodinsky"``, ``"egalitarian"`` or ``"utilitarian"``.
    outcome : Outcome
        The chosen outcome (the representative outcome of :attr:`point`).
    utilities : mapping of str to float
        Each party's utility for it, in party order (read-only).
    value : float
        The maximised objective (for a degenerate Nash solution, the product
        over the parties that gain, see :func:`nash_bargaining_solution`).
    point : FrontierPoint
        The chosen frontier point; ``point.count`` outcomes have exactly
        these utilities and ``point.outcomes()`` lists them.
    ties : tuple of FrontierPoint
        The other frontier points whose objective value equals the chosen
        one's (in frontier order); the documented tie-break chose among them.
    degenerate : bool
        Nash only: True when every zone outcome leaves some party at its
        disagreement point, so the plain Nash product is 0 everywhere.

    Examples
    --------
    >>> from negotiate.analysis.bargaining import utilitarian_solution
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, ranking: [x, y, z]}}}
    ...   - {id: q, preferences: {a: {importance: 1, ranking: [z, y, x]}}}
    ... ''')
    >>> solution = utilitarian_solution(s)
    >>> solution.outcome, solution.value, [str(t.outcome) for t in solution.ties]
    (Outcome({'a': 'y'}), 1.0, ['a=x', 'a=z'])
    """

    name: str
    outcome: Outcome
    utilities: Mapping[str, float]
    value: float
    point: FrontierPoint = field(metadata=doc(key="count", convert=lambda p: json_count(p.count)))
    ties: tuple[FrontierPoint, ...]
    degenerate: bool = False

    def __hash__(self) -> int:
        return hash((self.name, self.point, self.value))

    def __getstate__(self) -> dict[str, Any]:  # a mappingproxy cannot be pickled
        return {**self.__dict__, "utilities": dict(self.utilities)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, utilities=MappingProxyType(state["utilities"]))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the solution: the generated one (``point`` as its
        ``count``), with ``ties`` (as frontier-point dicts) last.

        Examples
        --------
        >>> from negotiate.analysis.bargaining import egalitarian_solution
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y]}]
        ... parties: [{id: p, preferences: {a: {importance: 1, ranking: [y, x]}}}]
        ... ''')
        >>> egalitarian_solution(s).to_dict()
        {'name': 'egalitarian', 'outcome': {'a': 'y'}, 'utilities': {'p': 1.0}, 'value': 1.0,
         'count': 1, 'degenerate': False, 'ties': []}
        """
        out = super().to_dict()
        out["ties"] = out.pop("ties")
        return out

    def __str__(self) -> str:
        title = _TITLES.get(self.name, self.name)
        utilities = ", ".join(f"{p}={u:.4f}" for p, u in self.utilities.items())
        lines = [f"{title}: {self.outcome}", f"  utilities {utilities}; value {self.value:.6g}"]
        if self.degenerate:
            lines.append(
                "  degenerate: no outcome gives every party more than its reservation; "
                "maximised over the parties that gain"
            )
        if self.point.count > 1:
            lines.append(f"  {big_count(self.point.count)} outcomes have exactly these utilities")
        if self.ties:
            lines.append(
                f"  {len(self.ties)} other frontier point(s) reach the same value, "
                f"e.g. {self.ties[0].outcome}"
            )
        return "\n".join(lines)
