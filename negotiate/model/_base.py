"""Shared pieces of the domain model: id types, model configuration, small helpers."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, StringConstraints

from negotiate.rules import parse

#: Acceptability compares ``utility >= reservation - ACCEPTANCE_TOLERANCE``.
#: The tolerance only absorbs floating-point summation noise.
ACCEPTANCE_TOLERANCE = 1e-9

#: Words of the rule language that cannot be issue or option ids.
RESERVED_WORDS = frozenset({"and", "or", "not", "in", "implies", "true", "false"})


def _id_from_scalar(value: Any) -> Any:
    # YAML may read an id such as ``2024`` as a number; ids are always text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _not_reserved(value: str) -> str:
    if value in RESERVED_WORDS:
        raise ValueError(
            f"'{value}' is a reserved word of the rule language and cannot be an issue or "
            f"option id; pick another id such as '{value}_'"
        )
    return value


#: Issue and option ids: letters, digits and ``_`` (they appear in rules).
Name = Annotated[
    str,
    BeforeValidator(_id_from_scalar),
    StringConstraints(pattern=r"^[A-Za-z0-9_]+$", min_length=1, max_length=100),
]
#: Party, red line, source and proposal ids: letters, digits, ``_``, ``-``, ``.``.
Ident = Annotated[
    str,
    BeforeValidator(_id_from_scalar),
    StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=1, max_length=100),
]

Stance = Literal["stated", "reported", "inferred"]

_CONFIG = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value}")
    return value


def _close(name: object, known: Iterable[str]) -> str:
    name = str(name)
    known = list(known)
    same_case = [k for k in known if k.lower() == name.lower()]
    matches = same_case or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def _rule_from_text(value: Any) -> Any:
    if isinstance(value, str):
        return parse(value)
    return value
