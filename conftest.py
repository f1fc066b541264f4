"""Shared pytest setup for tests, doctests in negotiate/ and the docs.

Doctests always assume ``import negotiate as ng``. Property tests use a
modest Hypothesis profile by default (CI); set
``NEGOTIATE_HYPOTHESIS_PROFILE=heavy`` for long runs, ``explore`` for a CI-sized run
with fresh random examples, ``dev`` for quick ones.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

import negotiate as ng

# "ci" is derandomized: the same examples on every run, so CI never flakes; "dev" and
# "heavy" explore new examples each run (and keep failures in .hypothesis/).
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("explore", max_examples=60, deadline=None)
settings.register_profile(
    "heavy", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("NEGOTIATE_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _add_ng(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["ng"] = ng
