"""Uncertainty in the model: red-line confidence defaults and ``[low, high]`` ranges.

Importance, option values and reservations may be written as a range ``[low, high]``
(read as uniform on it). The analyses that do not deal with uncertainty see the
nominal value, the midpoint, in the usual field; the range itself is kept in a
companion field (``importance_range``, ``values_range``, ``reservation_range``) and
written back as ``[low, high]`` when the scenario is dumped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, Strict

from negotiate.model._base import _Problems

__all__ = ["DEFAULT_CONFIDENCE", "NonNegativeInput", "Range", "UnitInput"]

#: Probability that a red line is real and binding when it states no ``confidence``,
#: by stance. Overridable per call (``ng.robustness(s, confidence={"inferred": 0.3})``).
DEFAULT_CONFIDENCE: Mapping[str, float] = {"stated": 1.0, "reported": 0.75, "inferred": 0.5}

#: An uncertain number ``(low, high)``, read as uniform on [low, high].
Range = tuple[float, float]

_NonNegative = Annotated[float, Strict(), Field(ge=0.0)]
_Unit = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
#: What a file may write for an importance: a number >= 0 or a range of two (JSON Schema).
NonNegativeInput = _NonNegative | tuple[_NonNegative, _NonNegative]
#: What a file may write for a value or a reservation: a number in [0, 1] or a range of two.
UnitInput = _Unit | tuple[_Unit, _Unit]


def range_error(value: Any, what: str, low: float | None, high: float | None) -> str | None:
    """Why ``value`` is not a valid range within [low, high] (None when it is one)."""
    if len(value) != 2 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        return f"{what} range must be two numbers [low, high], got {list(value)!r}"
    a, b = float(value[0]), float(value[1])
    if not (a == a and b == b and abs(a) != float("inf") and abs(b) != float("inf")):
        return f"{what} range [{a:g}, {b:g}] must hold finite numbers"
    if (low is not None and a < low) or (high is not None and b > high):
        bounds = f"[{low:g}, {high:g}]" if high is not None else f">= {low:g}"
        return f"{what} range [{a:g}, {b:g}] must lie within {bounds}"
    return None


def _check_order(value: Any, what: str) -> None:
    """low > high: well-formed for the JSON Schema, so a consistency problem."""
    a, b = float(value[0]), float(value[1])
    if a > b:
        raise _Problems(
            [((), f"{what} range [{a:g}, {b:g}] has low > high; write it as [{b:g}, {a:g}]")]
        )


def midpoint(value: Any) -> float:
    """Midpoint in decimal arithmetic: [0.2, 0.4] gives 0.3, not 0.30000000000000004."""
    return float((Decimal(repr(float(value[0]))) + Decimal(repr(float(value[1])))) / 2)


def to_midpoint(what: str, low: float | None, high: float | None) -> Callable[[Any], Any]:
    """A before-validator: a range ``[low, high]`` becomes its midpoint (the nominal value)."""

    def convert(value: Any) -> Any:
        if isinstance(value, list | tuple):
            problem = range_error(value, what, low, high)
            if problem:
                raise ValueError(problem)
            _check_order(value, what)
            return midpoint(value)
        return value

    return convert


def valid_range(value: Any, low: float | None, high: float | None) -> Range | None:
    """``value`` as a range when it is a valid one, else None."""
    if (isinstance(value, list | tuple) and range_error(value, "", low, high) is None
            and float(value[0]) <= float(value[1])):
        return (float(value[0]), float(value[1]))
    return None


def values_to_midpoints(value: Any) -> Any:
    """A before-validator for ``values``: each range becomes its midpoint."""
    if isinstance(value, Mapping):
        out = {}
        for option, v in value.items():
            if isinstance(v, list | tuple):
                problem = range_error(v, f"value of option '{option}'", 0.0, 1.0)
                if problem:
                    raise ValueError(problem)
                _check_order(v, f"value of option '{option}'")
                v = midpoint(v)
            out[option] = v
        return out
    return value


def _matches(nominal: Any, kept: Any) -> bool:
    """Whether ``kept`` is a range whose midpoint is ``nominal`` (as a model holds it)."""
    return (
        isinstance(kept, list | tuple)
        and range_error(kept, "", None, None) is None
        and isinstance(nominal, int | float)
        and not isinstance(nominal, bool)
        and midpoint(kept) == nominal
    )


def no_range_field(data: Mapping[str, Any], field: str, written: str) -> None:
    """Refuse a companion field written by hand.

    A model that is validated again (``Scenario.replace``, re-checking an edited copy)
    carries the companion field beside its nominal value: that is accepted when it is
    empty or agrees with the nominal value (its midpoint), so nothing changes.
    """
    if field not in data or data[field] is None:
        return
    kept, nominal = data[field], data.get(written)
    if isinstance(nominal, list | tuple):
        return  # the range written in the main field wins
    if isinstance(kept, Mapping):
        consistent = isinstance(nominal, Mapping) and all(
            _matches(nominal.get(option), r) for option, r in kept.items()
        )
    else:
        consistent = _matches(nominal, kept)
    if not consistent:
        raise ValueError(f"write the range as '{written}: [low, high]', not as '{field}'")
