"""Shared pieces of the domain model: id types, model configuration, small helpers."""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from negotiate.rules import parse

#: A location inside a scenario document: keys and list indices, outermost first.
Path = tuple[str | int, ...]

#: Acceptability compares ``utility >= reservation - ACCEPTANCE_TOLERANCE``.
#: The tolerance only absorbs floating-point summation noise.
ACCEPTANCE_TOLERANCE = 1e-9

#: Words of the rule language that cannot be issue or option ids.
RESERVED_WORDS = frozenset({"and", "or", "not", "in", "implies", "true", "false"})


class _Problems(ValueError):
    """Problems the JSON Schema cannot see (unknown ids, duplicates, rule syntax ...).

    Raised inside model validators; pydantic wraps it in its ValidationError and
    `negotiate.io` takes the structured ``problems`` back out (never the text).
    """

    def __init__(self, problems: Sequence[tuple[Path, str]]):
        self.problems = list(problems)
        super().__init__(
            "\n".join(f"{_render(where)}: {what}" if where else what for where, what in problems)
        )


def _render(path: Path) -> str:
    """``('parties', 1, 'red_lines', 0, 'rule')`` -> ``parties[1].red_lines[0].rule``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _text_id(value: Any) -> Any:
    # Ids are text. YAML reads ``2024`` (or ``007``, ``0x1F``) as a number, which would
    # silently change the id: refuse it, as the JSON Schema does, and say how to fix it.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError(
            "string_type",
            "ids are text, got the number {value}; put the id in quotes, as in '{value}'",
            {"value": value},
        )
    return value


def _not_reserved(value: str) -> str:
    if value in RESERVED_WORDS:
        raise _Problems([(
            (),
            f"'{value}' is a reserved word of the rule language and cannot be an issue or "
            f"option id; pick another id such as '{value}_'",
        )])
    return value


def _date_or_text(value: Any) -> Any:
    # The JSON Schema takes a date as text (YYYY-MM-DD); YAML keeps dates as text too.
    if isinstance(value, _dt.datetime) or not isinstance(value, str | _dt.date):
        raise PydanticCustomError(
            "date_type", "expected a date written as YYYY-MM-DD, got {value}",
            {"value": repr(value)},
        )
    return value


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError(
            "literal_error", "expected 1, got {value}", {"value": str(value).lower()}
        )
    return value


#: The pattern of issue and option ids.
NAME_PATTERN = r"^[A-Za-z0-9_]+$"
#: The pattern of party, red line, source and proposal ids.
IDENT_PATTERN = r"^[A-Za-z0-9_.\-]+$"

#: Issue and option ids: letters, digits and ``_`` (they appear in rules).
Name = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=NAME_PATTERN, min_length=1, max_length=100),
    BeforeValidator(_text_id),  # last, so it runs first and the schema keeps the pattern
]
#: Party, red line, source and proposal ids: letters, digits, ``_``, ``-``, ``.``.
Ident = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=IDENT_PATTERN, min_length=1, max_length=100),
    BeforeValidator(_text_id),
]

Stance = Literal["stated", "reported", "inferred"]

#: Free text (titles, notes): a string, never a number or a boolean.
Text = Annotated[str, Strict()]
#: A number as the JSON Schema has it: an int or a float, never a boolean or text.
Number = Annotated[float, Strict()]
#: A value of an option in [0, 1].
Unit = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
#: A calendar date, given as a date or as ``YYYY-MM-DD`` text.
Date = Annotated[
    _dt.date,
    BeforeValidator(_date_or_text),
    WithJsonSchema({"type": "string", "format": "date"}),
]
#: The file format version (``1``; ``true`` is not ``1``).
FormatVersion = Annotated[Literal[1], BeforeValidator(_not_bool)]

_CONFIG = ConfigDict(
    frozen=True,
    extra="forbid",
    use_attribute_docstrings=True,
    # Nested models passed in (Scenario.replace, ensure_valid) are checked again, never trusted.
    revalidate_instances="always",
)


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError(
            "finite_number", "{what} must be a finite number, got {value}",
            {"what": what, "value": value},
        )
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
    if not isinstance(value, BaseModel | Mapping):  # a syntax tree (or its data) passes on
        raise PydanticCustomError(
            "string_type", "a rule is text in the rule language, such as \"a == x\"; got {value}",
            {"value": repr(value)},
        )
    return value
