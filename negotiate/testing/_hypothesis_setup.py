"""The target of negotiate's ``hypothesis`` entry point (see pyproject.toml).

Hypothesis calls :func:`_register` when it is imported and negotiate is
installed, so that ``st.from_type(negotiate.Scenario)`` and
``st.from_type(negotiate.Issue)`` work without importing negotiate.testing.
Registration only builds (lazy) strategies; nothing is drawn at import time.
"""

from __future__ import annotations


def _register() -> None:
    """Register strategies for negotiate's model types with Hypothesis."""
    from hypothesis import strategies as st

    from negotiate.model import Issue, Scenario
    from negotiate.testing import strategies

    st.register_type_strategy(Scenario, strategies.scenarios())
    st.register_type_strategy(Issue, strategies.issues())
