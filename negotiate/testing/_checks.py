"""Argument checks shared by the strategies (private).

Errors are :class:`hypothesis.errors.InvalidArgument`, worded as Hypothesis
words its own: ``name=value``, what is expected, and a fix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from negotiate.model import Issue, Outcome, Scenario


def is_strategy(value: object) -> bool:
    return isinstance(value, SearchStrategy)


def check_int(name: str, value: object, minimum: int) -> None:
    if is_strategy(value):
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(
            f"{name}={value!r} must be an int (or a strategy of ints); pass e.g. {name}={minimum}"
        )
    if value < minimum:
        raise InvalidArgument(
            f"{name}={value!r} must be >= {minimum}; pass {name}={minimum} or more"
        )


def check_range(lo_name: str, lo: object, hi_name: str, hi: object) -> None:
    if isinstance(lo, int) and isinstance(hi, int) and hi < lo:
        raise InvalidArgument(
            f"Cannot have {hi_name}={hi!r} < {lo_name}={lo!r}; pass {hi_name}={lo} or more, "
            f"or lower {lo_name}"
        )


def check_bool(name: str, value: object, *, optional: bool = False) -> None:
    if is_strategy(value) or isinstance(value, bool) or (optional and value is None):
        return
    allowed = "True, False or None" if optional else "True or False"
    raise InvalidArgument(
        f"{name}={value!r} must be {allowed} (or a strategy of those); "
        f"pass e.g. {name}={'None' if optional else 'True'}"
    )


def check_number(name: str, value: object, *, positive: bool = False) -> None:
    if is_strategy(value):
        return
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise InvalidArgument(
            f"{name}={value!r} must be a number (or a strategy of numbers); pass e.g. {name}=0.1"
        )
    if not math.isfinite(float(value)) or value < 0 or (positive and value == 0):
        need = "> 0" if positive else ">= 0"
        raise InvalidArgument(
            f"{name}={value!r} must be a finite number {need}; pass e.g. {name}=0.1"
        )


def check_issue_list(name: str, value: object) -> tuple[Issue, ...]:
    """Return the issues of a Scenario or a sequence of Issue objects (checked)."""
    if isinstance(value, Scenario):
        return value.issues
    if (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) > 0
        and all(isinstance(i, Issue) for i in value)
    ):
        ids = [i.id for i in value]
        if len(set(ids)) != len(ids):
            raise InvalidArgument(
                f"{name} has duplicate issue ids {sorted({i for i in ids if ids.count(i) > 1})}; "
                "pass issues with unique ids"
            )
        return tuple(value)
    raise InvalidArgument(
        f"{name}={value!r} must be a Scenario, a non-empty sequence of Issue objects, or a "
        f"strategy of those; pass e.g. {name}=scenario.issues"
    )


def check_outcome(name: str, value: object, issues: Sequence[Issue]) -> Outcome:
    if not isinstance(value, Mapping):
        raise InvalidArgument(
            f"{name}={value!r} must be a mapping of issue id to option id; "
            f"pass e.g. {name}={{'{issues[0].id}': '{issues[0].option_ids[0]}', ...}}"
        )
    for issue in issues:
        if value.get(issue.id) not in issue.option_ids:
            raise InvalidArgument(
                f"{name}={dict(value)!r} must choose one of {list(issue.option_ids)} on issue "
                f"'{issue.id}'; pass an option on every issue"
            )
    return Outcome({issue.id: str(value[issue.id]) for issue in issues})


def resolve(draw: DrawFn, value: Any) -> Any:
    """Draw ``value`` when it is a strategy, else return it as is."""
    return draw(value) if is_strategy(value) else value
