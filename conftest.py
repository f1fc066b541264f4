"""Doctests always assume ``import negotiate as ng``."""

import pytest

import negotiate as ng


@pytest.fixture(autouse=True)
def _add_ng(doctest_namespace: dict[str, object]) -> None:
    doctest_namespace["ng"] = ng
