"""Validation in one pass: every problem of a scenario document at once, as structured data.

pydantic checks types and shapes (what the JSON Schema checks too); `reference_problems`
checks what no schema can see (ids used across the document). When the types are wrong,
pydantic never reaches the cross-reference check, so it runs here on the raw data as well:
four mistakes give four problems. Nothing is joined into text and parsed back: problems
raised inside validators travel as `_Problems` objects in pydantic's error context.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from negotiate.errors import RuleSyntaxError
from negotiate.model._base import Path, _Problems
from negotiate.model._checks import reference_problems


@dataclass(frozen=True)
class Found:
    """One problem before it gets a file position."""

    path: Path
    message: str
    kind: str  # "schema" or "consistency"
    on_key: bool = False  # about the key itself (unknown field, bad key), not its value


def _is_tag(part: str | int) -> bool:
    # pydantic names union members and validator functions inside `loc`; they are not keys.
    return isinstance(part, str) and (
        part.startswith(("function-", "json-or-python[", "nullable[", "lax-or-strict["))
        or part in {"compare", "member", "not", "and", "or", "implies", "const", "[key]"}
    )


def _field_names() -> list[str]:
    from negotiate import model

    names: set[str] = set()
    for cls in vars(model).values():
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            names.update(cls.model_fields)
    return sorted(names)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return f"a {'mapping' if isinstance(value, Mapping) else type(value).__name__}"


def _number_hint(value: Any) -> str:
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return "; write the number without quotes"
    return ""


def _message(error: Any, errors: list[Any]) -> str | None:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    if kind == "missing":
        return "required field is missing" + (
            "; scenario files start with 'format: 1'" if loc == ("format",) else ""
        )
    if kind == "too_short":
        if any(len(o["loc"]) > len(loc) and tuple(o["loc"][: len(loc)]) == loc for o in errors):
            return None  # an item was invalid and pydantic dropped it: the item error says why
        return f"needs at least {ctx.get('min_length', 1)} entry, found none"
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else ""
        close = difflib.get_close_matches(name, _field_names(), n=1)
        return f"unknown field '{name}'" + (f"; did you mean '{close[0]}'?" if close else "")
    if kind == "literal_error" and loc == ("format",):
        return (f"unsupported format {_shown(value)}; this version of negotiate reads "
                "'format: 1'")
    if kind == "string_pattern_mismatch":
        allowed = ("letters, digits, '_', '-' and '.'" if "\\-" in str(ctx.get("pattern", ""))
                   else "letters, digits and '_' (it appears in rules)")
        return f"{_shown(value)} is not a valid id: use {allowed}"
    if kind == "string_too_short":
        return "must not be empty"
    if not str(error["msg"]).startswith("Input should"):
        return str(error["msg"]).removeprefix("Value error, ")  # written by negotiate
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), expected, n=1, cutoff=0.5)
        return (f"expected one of {', '.join(expected)}, got {_shown(value)}"
                + (f"; did you mean '{close[0]}'?" if close else ""))
    if kind in ("float_type", "float_parsing", "int_type"):
        return f"expected a number, got {_shown(value)}{_number_hint(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {_shown(value)}"
    if kind == "string_type":
        return f"expected text, got {_shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value), got {_shown(value)}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {_shown(value)}"
    bounds = {"less_than_equal": ("at most", "le"), "less_than": ("less than", "lt"),
              "greater_than_equal": ("at least", "ge"), "greater_than": ("greater than", "gt")}
    if kind in bounds:
        words, key = bounds[kind]
        unit = "; option values lie in [0, 1]" if len(loc) > 1 and loc[-2] == "values" else ""
        return f"must be {words} {_shown(ctx.get(key))}, got {_shown(value)}{unit}"
    return str(error["msg"]).removeprefix("Value error, ")


def _from_validation_error(exc: ValidationError) -> tuple[list[Found], bool]:
    """The problems in a ValidationError, and whether the cross-reference check ran."""
    errors = exc.errors(include_url=False)
    found: list[Found] = []
    references_ran = False
    for error in errors:
        on_key = "[key]" in error["loc"]
        loc: Path = tuple(part for part in error["loc"] if not _is_tag(part))
        original = (error.get("ctx") or {}).get("error")
        if isinstance(original, _Problems):
            references_ran = references_ran or loc == ()
            found.extend(Found(loc + where, what, "consistency") for where, what in original.problems)
            continue
        if isinstance(original, RuleSyntaxError):
            found.append(Found(loc, str(original), "consistency"))
            continue
        message = _message(error, errors)
        if message is not None:
            found.append(Found(loc, message, "schema", on_key or error["type"] == "extra_forbidden"))
    return found, references_ran


def _document_order(data: Any, path: Path) -> tuple[int, ...]:
    key: list[int] = []
    node = data
    for part in path:
        if isinstance(node, Mapping):
            keys = list(node)
            index = keys.index(part) if part in keys else len(keys)
            key.append(index)
            node = node.get(part)
        elif isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
            key.append(part)
            node = node[part]
        else:
            key.append(1 << 30)
            node = None
    return tuple(key)


def collect(data: Any) -> tuple[Any, list[Found]]:
    """Validate scenario data: ``(scenario, [])`` or ``(None, every problem in document order)``."""
    from negotiate.model.scenario import Scenario

    try:
        return Scenario.model_validate(data), []
    except ValidationError as exc:
        found, references_ran = _from_validation_error(exc)
    if not references_ran:
        seen = {(f.path, f.message) for f in found}
        found += [Found(path, message, "consistency") for path, message in reference_problems(data)
                  if (path, message) not in seen]
    found.sort(key=lambda f: _document_order(data, f.path))
    return None, found
