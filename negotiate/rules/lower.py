"""Lower a rule to an integer-indexed tree for the engines, and evaluate it with numpy.

The engines number issues ``0..n-1`` and options ``0..k-1`` (in listed order).
:func:`lower` turns a rule into a small tree of frozen dataclasses in those
terms: every comparison becomes an :class:`Atom` saying, for each option of
one issue, whether it satisfies the comparison. :func:`evaluate_lowered`
evaluates such a tree on whole columns of option indices at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from negotiate.errors import ScenarioError
from negotiate.rules.ast import And, Compare, Const, Member, Not, Or, Rule

__all__ = [
    "Atom",
    "LAnd",
    "LConst",
    "LNot",
    "LOr",
    "Lowered",
    "evaluate_lowered",
    "lower",
    "scope",
    "simplify",
]


@dataclass(frozen=True, slots=True)
class Atom:
    """A test on one issue: which of its options satisfy it.

    Attributes
    ----------
    issue : int
        The issue index.
    allowed : tuple of bool
        ``allowed[k]`` is True when option ``k`` of the issue (0-based, in
        listed order) satisfies the test.
    """

    issue: int
    allowed: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class LNot:
    """Negation of a lowered rule."""

    x: Lowered


@dataclass(frozen=True, slots=True)
class LAnd:
    """Conjunction of lowered rules (True when `xs` is empty)."""

    xs: tuple[Lowered, ...]


@dataclass(frozen=True, slots=True)
class LOr:
    """Disjunction of lowered rules (False when `xs` is empty)."""

    xs: tuple[Lowered, ...]


@dataclass(frozen=True, slots=True)
class LConst:
    """A constant truth value."""

    value: bool


Lowered: TypeAlias = Atom | LNot | LAnd | LOr | LConst
"""A lowered rule: :class:`Atom`, :class:`LNot`, :class:`LAnd`, :class:`LOr` or :class:`LConst`."""

_ORDERED: dict[str, Callable[[int, int], bool]] = {
    "<": lambda k, p: k < p,
    "<=": lambda k, p: k <= p,
    ">": lambda k, p: k > p,
    ">=": lambda k, p: k >= p,
}


def _options(issue: str, option_order: Mapping[str, Sequence[str]]) -> list[str]:
    if issue not in option_order:
        raise ScenarioError(f"the rule mentions issue {issue!r}, whose options are not known")
    return list(option_order[issue])


def _position(issue: str, option: str, options: list[str]) -> int:
    try:
        return options.index(option)
    except ValueError:
        listed = ", ".join(repr(o) for o in options)
        raise ScenarioError(
            f"unknown option {option!r} for issue {issue!r}; its options are {listed}"
        ) from None


def _atom(
    node: Compare | Member,
    issue_index: Mapping[str, int],
    option_order: Mapping[str, Sequence[str]],
) -> Atom:
    if node.issue not in issue_index:
        raise ScenarioError(f"the rule mentions unknown issue {node.issue!r}")
    options = _options(node.issue, option_order)
    if isinstance(node, Member):
        for option in node.options:
            _position(node.issue, option, options)
        chosen = set(node.options)
        allowed = tuple((o in chosen) != node.negated for o in options)
    elif node.op in ("==", "!="):
        _position(node.issue, node.option, options)
        allowed = tuple((o == node.option) == (node.op == "==") for o in options)
    else:
        p = _position(node.issue, node.option, options)
        test = _ORDERED[node.op]
        allowed = tuple(test(k, p) for k in range(len(options)))
    return Atom(issue_index[node.issue], allowed)


def _lower(
    rule: Rule, issue_index: Mapping[str, int], option_order: Mapping[str, Sequence[str]]
) -> Lowered:
    if isinstance(rule, Const):
        return LConst(rule.value)
    if isinstance(rule, Compare | Member):
        return _atom(rule, issue_index, option_order)
    if isinstance(rule, Not):
        return LNot(_lower(rule.operand, issue_index, option_order))
    if isinstance(rule, And):
        return LAnd(tuple(_lower(x, issue_index, option_order) for x in rule.operands))
    if isinstance(rule, Or):
        return LOr(tuple(_lower(x, issue_index, option_order) for x in rule.operands))
    left = _lower(rule.left, issue_index, option_order)
    return LOr((LNot(left), _lower(rule.right, issue_index, option_order)))


def lower(
    rule: Rule,
    issue_index: Mapping[str, int],
    option_order: Mapping[str, Sequence[str]],
) -> Lowered:
    """Lower a rule to integer indices, ready for vectorised evaluation.

    Each comparison becomes an :class:`Atom` over the options of its issue
    (for ordered comparisons the first listed option is the lowest),
    ``a -> b`` becomes ``LOr((LNot(a), b))``, and the result is
    :func:`simplify`-ed.

    Parameters
    ----------
    rule : Rule
        A syntax tree.
    issue_index : mapping of str to int
        Issue id to issue index.
    option_order : mapping of str to sequence of str
        Issue id to its option ids, in listed order.

    Returns
    -------
    Lowered
        The lowered, simplified tree.

    Raises
    ------
    ScenarioError
        When the rule mentions an issue or option that is not known.

    Examples
    --------
    >>> from negotiate.rules import parse
    >>> from negotiate.rules.lower import lower
    >>> order = {"tariff": ["none", "low", "high"], "quota": ["yes", "no"]}
    >>> lower(parse("quota == yes or tariff >= low"), {"tariff": 0, "quota": 1}, order)
    LOr(xs=(Atom(issue=1, allowed=(True, False)), Atom(issue=0, allowed=(False, True, True))))
    >>> lower(parse("tariff <= high"), {"tariff": 0, "quota": 1}, order)
    LConst(value=True)
    """
    return simplify(_lower(rule, issue_index, option_order))


def _combine(xs: tuple[Lowered, ...], conjunction: bool) -> Lowered:
    """Simplify an ``LAnd`` (`conjunction`) or ``LOr`` of already simplified parts."""
    kind = LAnd if conjunction else LOr
    flat: list[Lowered] = []
    for x in xs:
        flat.extend(x.xs if isinstance(x, kind) else (x,))
    atoms: dict[int, int] = {}  # issue index -> position of its atom in `parts`
    parts: list[Lowered] = []
    for x in flat:
        if isinstance(x, LConst):
            if x.value != conjunction:
                return LConst(not conjunction)
            continue
        if isinstance(x, Atom) and x.issue in atoms:
            other = parts[atoms[x.issue]]
            if isinstance(other, Atom):
                pairs = zip(other.allowed, x.allowed, strict=True)
                allowed = tuple((a and b) if conjunction else (a or b) for a, b in pairs)
                parts[atoms[x.issue]] = Atom(x.issue, allowed)
                continue
        if isinstance(x, Atom):
            atoms[x.issue] = len(parts)
        parts.append(x)
    kept: list[Lowered] = []
    for part in parts:
        part = simplify(part) if isinstance(part, Atom) else part
        if isinstance(part, LConst):
            if part.value != conjunction:
                return LConst(not conjunction)
            continue
        kept.append(part)
    if not kept:
        return LConst(conjunction)
    if len(kept) == 1:
        return kept[0]
    return kind(tuple(kept))


def simplify(lowered: Lowered) -> Lowered:
    """Simplify a lowered rule without changing what it means.

    An atom every option satisfies becomes ``LConst(True)``, one that none
    satisfies ``LConst(False)``; constants are folded through ``LNot``,
    ``LAnd`` and ``LOr``; double negations cancel and a negated atom flips
    its ``allowed``; nested ``LAnd`` (or ``LOr``) are flattened, and atoms
    on the same issue inside one ``LAnd`` (or ``LOr``) are merged.

    Parameters
    ----------
    lowered : Lowered
        A lowered rule.

    Returns
    -------
    Lowered
        An equivalent, usually smaller, lowered rule.

    Examples
    --------
    >>> from negotiate.rules.lower import Atom, LAnd, LConst, LNot, simplify
    >>> simplify(LAnd((Atom(0, (True, True, False)), LNot(Atom(0, (True, False, False))))))
    Atom(issue=0, allowed=(False, True, False))
    >>> simplify(LNot(LAnd((LConst(True), Atom(1, (True, True))))))
    LConst(value=False)
    """
    if isinstance(lowered, LConst):
        return lowered
    if isinstance(lowered, Atom):
        if all(lowered.allowed):
            return LConst(True)
        if not any(lowered.allowed):
            return LConst(False)
        return lowered
    if isinstance(lowered, LNot):
        inner = simplify(lowered.x)
        if isinstance(inner, LConst):
            return LConst(not inner.value)
        if isinstance(inner, LNot):
            return inner.x
        if isinstance(inner, Atom):
            return Atom(inner.issue, tuple(not a for a in inner.allowed))
        return LNot(inner)
    parts = tuple(simplify(x) for x in lowered.xs)
    return _combine(parts, isinstance(lowered, LAnd))


def scope(lowered: Lowered) -> tuple[int, ...]:
    """Return the issue indices a lowered rule depends on, sorted.

    Parameters
    ----------
    lowered : Lowered
        A lowered rule.

    Returns
    -------
    tuple of int
        Sorted, without repeats; empty for a constant.

    Examples
    --------
    >>> from negotiate.rules.lower import Atom, LNot, LOr, scope
    >>> scope(LOr((Atom(3, (True, False)), LNot(Atom(1, (False, True))), Atom(3, (False, True)))))
    (1, 3)
    """
    found: set[int] = set()
    stack: list[Lowered] = [lowered]
    while stack:
        node = stack.pop()
        if isinstance(node, Atom):
            found.add(node.issue)
        elif isinstance(node, LNot):
            stack.append(node.x)
        elif isinstance(node, LAnd | LOr):
            stack.extend(node.xs)
    return tuple(sorted(found))


def evaluate_lowered(
    lowered: Lowered, columns: Mapping[int, npt.ArrayLike]
) -> npt.NDArray[np.bool_]:
    """Evaluate a lowered rule on columns of option indices, with numpy broadcasting.

    Parameters
    ----------
    lowered : Lowered
        A lowered rule.
    columns : mapping of int to integer array or int
        Issue index to the chosen option indices: an integer array, or a
        single int for an issue fixed to one option. It must cover
        :func:`scope` of the rule; arrays of different shapes broadcast
        against each other as in numpy.

    Returns
    -------
    numpy.ndarray of bool
        Whether the rule holds, with the broadcast shape of the columns used
        (0-dimensional when all of them are scalars, or for a constant).

    Raises
    ------
    ScenarioError
        When `columns` lacks an issue the rule depends on.
    TypeError
        When a column does not hold integers.

    Examples
    --------
    >>> import numpy as np
    >>> from negotiate.rules import parse
    >>> from negotiate.rules.lower import evaluate_lowered, lower
    >>> order = {"tariff": ["none", "low", "high"], "quota": ["yes", "no"]}
    >>> low = lower(parse("quota == yes or tariff >= low"), {"tariff": 0, "quota": 1}, order)
    >>> evaluate_lowered(low, {0: np.array([0, 1, 2, 0]), 1: np.array([1, 1, 1, 0])})
    array([False,  True,  True,  True])
    >>> evaluate_lowered(low, {0: np.arange(3)[:, None], 1: np.arange(2)[None, :]})
    array([[ True, False],
           [ True,  True],
           [ True,  True]])
    >>> evaluate_lowered(low, {0: 0, 1: 1})
    array(False)
    """
    if isinstance(lowered, LConst):
        return np.asarray(lowered.value, dtype=np.bool_)
    if isinstance(lowered, Atom):
        if lowered.issue not in columns:
            raise ScenarioError(f"no column given for issue index {lowered.issue}")
        column = np.asarray(columns[lowered.issue])
        if column.dtype.kind not in "iu":
            raise TypeError(
                f"the column of issue index {lowered.issue} must hold integer option "
                f"indices, not {column.dtype}"
            )
        return np.asarray(np.asarray(lowered.allowed, dtype=np.bool_)[column])
    if isinstance(lowered, LNot):
        return np.asarray(np.logical_not(evaluate_lowered(lowered.x, columns)))
    conjunction = isinstance(lowered, LAnd)
    result = np.asarray(conjunction, dtype=np.bool_)
    for x in lowered.xs:
        part = evaluate_lowered(x, columns)
        result = (result & part) if conjunction else (result | part)
    return np.asarray(result)
