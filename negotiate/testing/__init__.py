"""Hypothesis strategies for property-testing negotiation scenarios.

Hypothesis is an optional dependency: ``pip install "negotiate[testing]"``.
``import negotiate`` never imports this package (nor Hypothesis); import it
from your tests::

    from negotiate.testing import scenarios, variations

The strategies live in :mod:`negotiate.testing.strategies` and are
re-exported here: :func:`issues`, :func:`parties`, :func:`rules`,
:func:`red_lines`, :func:`scenarios`, :func:`outcomes` and
:func:`variations`. When negotiate is installed, ``st.from_type(Scenario)``
also works (a ``hypothesis`` entry point registers :func:`scenarios`).

Examples
--------
>>> from hypothesis import given, settings
>>> from negotiate.testing import scenarios
>>> @settings(max_examples=10)
... @given(scenarios(feasible=True))
... def test_generated_scenarios_validate(s):
...     assert ng.validate(s.model_dump()) == s
>>> test_generated_scenarios_validate()
"""

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "negotiate.testing needs Hypothesis, an optional dependency of negotiate; "
        'install it with: pip install "negotiate[testing]"'
    ) from exc

from negotiate.testing.strategies import (
    issues,
    outcomes,
    parties,
    red_lines,
    rules,
    scenarios,
    variations,
)

__all__ = [
    "issues",
    "outcomes",
    "parties",
    "red_lines",
    "rules",
    "scenarios",
    "variations",
]
