"""The rule language of red lines: syntax tree, parser, rendering and evaluation.

A red line is written as text such as
``donetsk in {russia_takes_all, ukraine_withdraws} and (nato == path_open -> guarantees == none)``.
:func:`parse` turns the text into a tree of frozen pydantic nodes (:data:`Rule`),
:func:`render` turns a tree back into canonical text, and :func:`evaluate` checks
one outcome. Nothing here uses ``eval``. (The engines compile rules to an
integer-indexed form in :mod:`negotiate.rules.lower`; that is internal.)

Examples
--------
>>> from negotiate.rules import evaluate, parse
>>> rule = parse("tariff != high or quota == yes")
>>> evaluate(rule, {"tariff": "high", "quota": "yes"})
True
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING

from negotiate._moved import resolve_moved as _resolve_moved
from negotiate.rules.ast import (
    MAX_DEPTH,
    RESERVED_WORDS,
    And,
    Compare,
    CompareOp,
    Const,
    Identifier,
    Implies,
    Member,
    Not,
    Or,
    Rule,
    comparisons,
    depth,
    is_identifier,
    issues_of,
)
from negotiate.rules.evaluate import evaluate, option_position
from negotiate.rules.parser import MAX_LENGTH, parse
from negotiate.rules.render import render

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "RESERVED_WORDS",
    "And",
    "Compare",
    "CompareOp",
    "Const",
    "Identifier",
    "Implies",
    "Member",
    "Not",
    "Or",
    "Rule",
    "comparisons",
    "depth",
    "evaluate",
    "is_identifier",
    "issues_of",
    "option_position",
    "parse",
    "render",
]

#: The engines' lowered form, once exported here: it lives in :mod:`negotiate.rules.lower`.
#: The old spellings still resolve, with a DeprecationWarning (``lower`` itself cannot:
#: ``negotiate.rules.lower`` is the module).
_MOVED = {
    name: f"negotiate.rules.lower.{name}"
    for name in ("Atom", "LAnd", "LConst", "LNot", "LOr", "Lowered", "evaluate_lowered",
                 "scope", "simplify")
}

if not _TYPE_CHECKING:  # see negotiate/__init__.py: hidden from type checkers on purpose

    def __getattr__(name: str) -> object:
        return _resolve_moved(__name__, _MOVED, name)
