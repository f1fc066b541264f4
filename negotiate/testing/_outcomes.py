"""The ``outcomes`` strategy (re-exported by :mod:`negotiate.testing.strategies`)."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from negotiate.model import Outcome, Scenario
from negotiate.testing._checks import is_strategy

__all__ = ["outcomes"]


def outcomes(scenario: Scenario | SearchStrategy[Scenario]) -> SearchStrategy[Outcome]:
    """Return a strategy of outcomes of a scenario: one option on every issue.

    Parameters
    ----------
    scenario : Scenario or strategy of Scenario
        Whose outcome space to draw from.

    Returns
    -------
    SearchStrategy of Outcome

    Examples
    --------
    >>> from hypothesis import given
    >>> from negotiate.testing import outcomes
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, mid, high]}, {id: speed, options: [slow, fast]}]
    ... parties: [{id: buyer, preferences: {price: {importance: 1, ranking: [low, mid, high]}}}]
    ... ''')
    >>> @given(outcomes(s))
    ... def test_utility_in_unit_interval(outcome):
    ...     assert 0.0 <= ng.utility(s, "buyer", outcome) <= 1.0
    >>> test_utility_in_unit_interval()

    Examples shrink toward the first listed option of every issue.
    """
    if is_strategy(scenario):
        return scenario.flatmap(outcomes)  # type: ignore[union-attr]
    if not isinstance(scenario, Scenario):
        raise InvalidArgument(
            f"scenario={scenario!r} must be a Scenario (or a strategy of scenarios); "
            "pass e.g. scenario=ng.load(path)"
        )
    ids = [issue.id for issue in scenario.issues]
    return st.tuples(*(st.sampled_from(issue.option_ids) for issue in scenario.issues)).map(
        lambda combo: Outcome(dict(zip(ids, combo, strict=True)))
    )
