"""The shared base of result objects: a frozen dataclass whose ``to_dict()`` is generated.

Every result an analysis returns (zones, conflicts, frontiers, bargaining
solutions, evaluations, the whole analysis...) is a frozen dataclass deriving
from `Result`. Its JSON document is generated from its fields, in field order:

- an `Outcome`, or any nested result, becomes its own ``to_dict()``;
- tuples and lists become lists, mappings dicts (values converted the same way);
- integers go through :func:`negotiate._text.json_count`, so counts of any size
  stay exact (a count of more than 4,300 digits becomes a string of digits);
- fields whose name starts with ``_`` are left out, and so is a field marked
  ``field(metadata=doc(skip=True))``; ``doc(key=...)`` renames a field (a tuple
  of keys nests it: ``("zone", "before")``) and ``doc(convert=f)`` puts
  ``f(value)`` in the document instead of the value.

The body of each class's ``to_dict`` is written from its fields and compiled once
(as `dataclasses` writes ``__init__``). A result whose document has computed keys
overrides ``to_dict`` and calls ``super().to_dict()`` first. These documents are
contracts (``negotiate analyze --json``, ``diff --json``, ``robustness --json``):
tests/unit/test_results_dict.py pins each one against a reference written out key
by key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from negotiate._text import json_count

__all__ = ["Result", "doc", "json_value"]

_KEY = "negotiate.doc"

#: Types put into a document as they are (the fast path of `json_value`).
_PLAIN = frozenset({str, float, bool, type(None)})
_SEQUENCES = frozenset({tuple, list})
_MAPPINGS = frozenset({dict, MappingProxyType})


def doc(
    *, skip: bool = False, key: str | tuple[str, ...] | None = None,
    convert: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """Field metadata saying how a field appears in the generated ``to_dict()``.

    Parameters
    ----------
    skip : bool
        Leave the field out of the document.
    key : str or tuple of str, optional
        The key to use instead of the field's name; a tuple nests the value
        under several keys (``("red_lines", "added")``).
    convert : callable, optional
        Called on the value; its result goes into the document as it is.

    Examples
    --------
    >>> from dataclasses import dataclass, field
    >>> from negotiate._results import Result, doc
    >>> @dataclass(frozen=True)
    ... class Pair(Result):
    ...     left: tuple[int, ...]
    ...     right: str = field(default="", metadata=doc(key="other", convert=str.upper))
    ...     note: str = field(default="", metadata=doc(skip=True))
    >>> Pair((1, 2), "x", "hidden").to_dict()
    {'left': [1, 2], 'other': 'X'}
    """
    return {_KEY: (skip, key, convert)}


def json_value(value: Any) -> Any:
    """``value`` in JSON-ready form: results and outcomes by their ``to_dict()``,
    tuples and lists as lists, mappings as dicts, integers exact (:func:`json_count`).

    Examples
    --------
    >>> from negotiate._results import json_value
    >>> json_value({"a": (1, 2), "b": [ng.Outcome({"x": "y"})], "c": None, "d": True})
    {'a': [1, 2], 'b': [{'x': 'y'}], 'c': None, 'd': True}
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is int:
        return json_count(value)
    if kind in _SEQUENCES:
        return [v if type(v) in _PLAIN else json_value(v) for v in value]
    if kind in _MAPPINGS:
        return {k: v if type(v) in _PLAIN else json_value(v) for k, v in value.items()}
    if isinstance(value, str | float | bool):
        return value
    if isinstance(value, int):
        return json_count(value)
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, Mapping):
        return {k: v if type(v) in _PLAIN else json_value(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [v if type(v) in _PLAIN else json_value(v) for v in value]
    return value


_BUILT: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _built(cls: type) -> Callable[[Any], dict[str, Any]]:
    """The generated ``to_dict`` body of ``cls``: one dict display, written from its fields
    and compiled once (as `dataclasses` writes ``__init__``), so a result with many nested
    results (a frontier of thousands of points) is turned into JSON at plain-dict speed."""
    known = _BUILT.get(cls)
    if known is not None:
        return known
    env: dict[str, Any] = {"_v": json_value}
    tree: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        skip, key, convert = f.metadata.get(_KEY, (False, None, None))
        if skip or f.name.startswith("_"):
            continue
        if convert is None:
            expression = f"_v(self.{f.name})"
        else:
            env[f"_c_{f.name}"] = convert
            expression = f"_c_{f.name}(self.{f.name})"
        path = (f.name,) if key is None else (key,) if isinstance(key, str) else tuple(key)
        where = tree
        for part in path[:-1]:
            where = where.setdefault(part, {})
        where[path[-1]] = expression

    def display(node: dict[str, Any]) -> str:
        return "{" + ", ".join(
            f"{k!r}: {display(v) if isinstance(v, dict) else v}" for k, v in node.items()
        ) + "}"

    exec(f"def to_dict(self):\n    return {display(tree)}\n", env)
    _BUILT[cls] = env["to_dict"]
    return _BUILT[cls]


class Result:
    """Mixin for a frozen result dataclass: ``to_dict()`` generated from the fields.

    See the module documentation for the rules; `doc` gives per-field metadata.
    """

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields (nested results and outcomes as dicts,
        tuples as lists, counts exact)."""
        return _built(type(self))(self)
