"""Relaxing a scenario: the same scenario without some constraints."""

from __future__ import annotations

from collections.abc import Iterable

from negotiate.errors import InvalidArgumentError, ScenarioError
from negotiate.model import Scenario
from negotiate.model.scenario import ensure_valid

__all__ = ["relax", "relaxable"]


def relaxable(s: Scenario, constraints: str | Iterable[str]) -> list[str]:
    """The ids of ``constraints`` (one id or several), checked: each must name a red
    line or ``<party>:reservation``, never a coherence constraint. Order kept, repeats
    dropped.

    Raises
    ------
    ScenarioError
        If an id names no red line or party (with a did-you-mean).
    InvalidArgumentError
        If ``constraints`` is not ids, or an id names a coherence constraint.

    Examples
    --------
    >>> from negotiate.analysis.relax import relaxable
    >>> s = ng.load("examples/textbook/car-sale.yaml")
    >>> relaxable(s, [s.parties[0].reservation_id] * 2)
    ['buyer:reservation']
    """
    if isinstance(constraints, str):
        constraints = [constraints]  # one id, not its characters
    given = list(constraints) if isinstance(constraints, Iterable) else None
    if given is None or not all(isinstance(c, str) for c in given):
        raise InvalidArgumentError(
            f"constraints={constraints!r} must be a constraint id or a list of them "
            "(red-line ids and '<party>:reservation')"
        )
    wanted = list(dict.fromkeys(given))
    red_lines = {r.id for p in s.parties for r in p.red_lines}
    reservations = {p.reservation_id: p.id for p in s.parties}
    coherence = {c.id for c in s.constraints}
    for constraint in wanted:
        if constraint in coherence:
            raise InvalidArgumentError(
                f"'{constraint}' is a coherence constraint: it holds in every outcome and is "
                "never relaxed (give red-line ids or '<party>:reservation')"
            )
        if constraint not in red_lines and constraint not in reservations:
            if constraint.endswith(":reservation"):
                s.party(constraint.removesuffix(":reservation"))  # raises with a suggestion
            s.red_line(constraint)  # raises with a suggestion
            raise ScenarioError(f"unknown constraint '{constraint}'")  # pragma: no cover
    return wanted


def relax(s: Scenario, constraints: str | Iterable[str]) -> Scenario:
    """The scenario without the given constraints.

    A constraint is a red-line id or ``<party>:reservation`` (which sets that
    party's reservation to 0). Use it to look at the deal space that opens
    when a relaxation found by :func:`negotiate.explain_deadlock` is made.

    Parameters
    ----------
    s : Scenario
    constraints : str or iterable of str
        A red-line id or ``<party>:reservation`` id, or several.

    Returns
    -------
    Scenario
        A new, validated scenario; ``s`` is unchanged.

    Raises
    ------
    ScenarioError
        If an id names no red line or party.
    InvalidArgumentError
        If an id names a coherence constraint (those are never relaxed).

    Examples
    --------
    >>> from negotiate.analysis.relax import relax
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y]}]
    ... parties:
    ...   - {id: p, reservation: 0.5, red_lines: [{id: p1, rule: "a == x"}],
    ...      preferences: {a: {importance: 1, ranking: [x, y]}}}
    ... ''')
    >>> r = relax(s, ["p1", "p:reservation"])
    >>> r.parties[0].red_lines, r.parties[0].reservation
    ((), 0.0)
    """
    s = ensure_valid(s)  # an unvalidated model_copy: ScenarioError, not a crash below
    drop = set(relaxable(s, constraints))
    data = s.model_dump(mode="python")
    for party in data["parties"]:
        party["red_lines"] = [r for r in party["red_lines"] if r["id"] not in drop]
        if f"{party['id']}:reservation" in drop:
            party["reservation"] = 0.0
    return Scenario.model_validate(data)
