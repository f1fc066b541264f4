"""Argument checks shared by the analyses: a bad argument gets an `InvalidArgumentError`
naming it and saying what would be right, before any work starts."""

from __future__ import annotations

import math
from collections.abc import Sequence

from negotiate._deadline import Deadline
from negotiate.errors import InvalidArgumentError
from negotiate.model import Scenario

__all__ = [
    "check_arguments",
    "check_choice",
    "check_non_negative",
    "check_positive",
    "check_probability",
    "check_time_limit",
]


def check_arguments(s: object, **counts: int) -> None:
    """``s`` is a Scenario and each of ``counts`` a positive integer.

    Examples
    --------
    >>> from negotiate.analysis._checks import check_arguments
    >>> check_arguments("x")
    Traceback (most recent call last):
    ...
    negotiate.errors.InvalidArgumentError: s=<str> must be a Scenario (from ng.load, ng.loads or ng.validate)
    """
    if not isinstance(s, Scenario):
        raise InvalidArgumentError(
            f"s=<{type(s).__name__}> must be a Scenario (from ng.load, ng.loads or ng.validate)"
        )
    for name, value in counts.items():
        check_positive(name, value)


def check_positive(name: str, value: object) -> None:
    """``value`` is an integer >= 1 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name}={value!r} must be a positive integer")


def check_non_negative(name: str, value: object) -> None:
    """``value`` is an integer >= 0 (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"{name}={value!r} must be a non-negative integer")


def check_probability(name: str, value: object) -> None:
    """``value`` is a number strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise InvalidArgumentError(
            f"{name}={value!r} must be a number strictly between 0 and 1"
        )


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """``value`` is one of ``choices``; returned as a str."""
    if value not in choices:
        raise InvalidArgumentError(
            f"{name}={value!r} must be one of {', '.join(repr(m) for m in choices)}"
        )
    return str(value)


def check_time_limit(time_limit: object, *, finite: bool = True) -> None:
    """``time_limit`` is None, a `Deadline` or a positive number of seconds (finite
    unless ``finite`` is False, when infinity means no limit)."""
    if time_limit is None or isinstance(time_limit, Deadline):
        return
    if isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or not (
        time_limit > 0 and (math.isfinite(time_limit) or not finite)
    ):
        raise InvalidArgumentError(
            f"time_limit={time_limit!r} must be a positive number of seconds or None"
        )
