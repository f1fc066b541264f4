"""Utility and acceptability of a single outcome for a single party."""

from __future__ import annotations

from collections.abc import Mapping

from negotiate.model import Scenario
from negotiate.space import CompiledScenario, compile_scenario

__all__ = ["crossed_red_lines", "is_acceptable", "utility"]


def _party(c: CompiledScenario, party: str) -> int:
    """Index of a party id (`ScenarioError` with a suggestion when unknown)."""
    p = c.party_index.get(party) if isinstance(party, str) else None
    if p is None:
        c.scenario.party(party)  # raises with a suggestion
        raise AssertionError  # pragma: no cover
    return p


def utility(s: Scenario, party: str, outcome: Mapping[str, str]) -> float:
    """The utility of an outcome for a party, in [0, 1].

    *Utility* is ``sum_i importance_i * value_i(option_i)`` with the party's
    importances normalised to sum to 1. Issues the party states nothing
    about count for nothing.

    Parameters
    ----------
    s : Scenario
    party : str
        Party id.
    outcome : Outcome or mapping of issue id to option id
        Must pick an option on every issue.

    Returns
    -------
    float

    Raises
    ------
    ScenarioError
        If the party is unknown or the outcome is not a complete outcome of ``s``.

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, mid, high]}, {id: speed, options: [slow, fast]}]
    ... parties:
    ...   - id: buyer
    ...     preferences:
    ...       price: {importance: 3, ranking: [low, mid, high]}
    ...       speed: {importance: 1, values: {fast: 1.0}}
    ... ''')
    >>> ng.utility(s, "buyer", {"price": "mid", "speed": "fast"})
    0.625
    """
    c = compile_scenario(s)
    p = _party(c, party)
    return c.utility(p, c.int_utility(p, c.indices(outcome)))


def crossed_red_lines(s: Scenario, party: str, outcome: Mapping[str, str]) -> list[str]:
    """Ids of the party's red lines that the outcome crosses (in listed order).

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, high], ordered: true}]
    ... parties: [{id: seller, red_lines: [{id: no-low, rule: "price >= high"}]}]
    ... ''')
    >>> from negotiate.analysis import crossed_red_lines
    >>> crossed_red_lines(s, "seller", {"price": "low"})
    ['no-low']
    """
    c = compile_scenario(s)
    p = _party(c, party)
    return _crossed(c, p, c.indices(outcome))


def _crossed(c: CompiledScenario, p: int, indices: tuple[int, ...]) -> list[str]:
    columns = dict(enumerate(indices))
    return [
        red_line.id
        for r, red_line in enumerate(c.red_lines)
        if red_line.party == p and not bool(c.red_line_holds(r, columns))
    ]


def is_acceptable(s: Scenario, party: str, outcome: Mapping[str, str]) -> bool:
    """Whether a party accepts an outcome.

    An outcome is *acceptable* to a party when every red line of the party
    holds and its utility is at least its reservation (compared as
    ``utility >= reservation - 1e-9``, exactly for the numbers as written).

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, high], ordered: true}]
    ... parties:
    ...   - {id: seller, red_lines: [{id: no-low, rule: "price >= high"}]}
    ...   - {id: buyer, reservation: 0.5, preferences: {price: {importance: 1, ranking: [low, high]}}}
    ... ''')
    >>> ng.is_acceptable(s, "seller", {"price": "high"}), ng.is_acceptable(s, "buyer", {"price": "high"})
    (True, False)
    """
    c = compile_scenario(s)
    p = _party(c, party)
    indices = c.indices(outcome)
    return c.int_utility(p, indices) >= c.thresholds[p] and not _crossed(c, p, indices)
