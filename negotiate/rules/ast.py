"""The syntax tree of the rule language: frozen pydantic nodes tagged by ``kind``.

A red-line rule such as ``tariff != high or quota == yes`` is stored as a tree
of the seven node types below. :data:`Rule` is their discriminated union; its
JSON form is stable (every node carries its ``kind``), so a tree can be written
to and read back from a scenario file with :class:`pydantic.TypeAdapter`.

Every valid tree is at most :data:`MAX_DEPTH` levels deep, renders to text that
parses back to the same tree, and prints as that text (``str(node)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    model_validator,
)

__all__ = [
    "MAX_DEPTH",
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
    "is_identifier",
    "issues_of",
]

MAX_DEPTH = 64
"""How deep a rule tree may be (a comparison alone has depth 1)."""

RESERVED_WORDS: frozenset[str] = frozenset({"and", "or", "not", "in", "implies", "true", "false"})
"""The lowercase words of the rule language; they cannot be issue or option ids."""

_ID_RE = re.compile(r"[A-Za-z0-9_]+")


def is_identifier(text: object) -> bool:
    """Tell whether `text` can be an issue or option id in a rule.

    An *identifier* is a non-empty string of ASCII letters, digits and ``_``
    that is not one of the :data:`RESERVED_WORDS`.

    Parameters
    ----------
    text : object
        The candidate id.

    Returns
    -------
    bool
        True when `text` is a valid id.

    Examples
    --------
    >>> from negotiate.rules import is_identifier
    >>> is_identifier("russia_takes_all"), is_identifier("2025")
    (True, True)
    >>> is_identifier("a-b"), is_identifier("and"), is_identifier("")
    (False, False, False)
    """
    return (
        isinstance(text, str) and _ID_RE.fullmatch(text) is not None and text not in RESERVED_WORDS
    )


def _check_identifier(value: str) -> str:
    if value in RESERVED_WORDS:
        raise ValueError(f"{value!r} is a reserved word of the rule language and cannot be an id")
    return value


Identifier = Annotated[
    str,
    Field(pattern=r"^[A-Za-z0-9_]+$", min_length=1),
    AfterValidator(_check_identifier),
]
"""An issue or option id: ASCII letters, digits and ``_``, not a reserved word."""


class _Node(BaseModel):
    """Common base of the syntax-tree nodes (private)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    _depth: int = PrivateAttr(default=1)

    def __str__(self) -> str:
        from negotiate.rules.render import render

        return render(self)  # type: ignore[arg-type]


class Const(_Node):
    """A constant rule: ``true`` (always holds) or ``false`` (never holds)."""

    kind: Literal["const"] = "const"
    """Node tag."""
    value: bool = Field(strict=True)
    """The constant truth value."""


CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
"""The operators of :class:`Compare`."""


class Compare(_Node):
    """A comparison of an issue with one option, e.g. ``tariff >= low``.

    ``==`` and ``!=`` test the chosen option. ``<``, ``<=``, ``>`` and ``>=``
    follow the order in which the issue lists its options (only allowed on
    ordered issues): the first listed option is the lowest, so ``x < y``
    means x is listed before y.
    """

    kind: Literal["compare"] = "compare"
    """Node tag."""
    issue: Identifier
    """Id of the issue compared."""
    op: CompareOp
    """The comparison operator."""
    option: Identifier
    """Id of the option the issue's chosen option is compared with."""


class Member(_Node):
    """A set-membership test, e.g. ``donetsk in {russia_takes_all, ukraine_withdraws}``.

    With ``negated=True`` it is ``not in``: the chosen option is none of the
    listed ones.
    """

    kind: Literal["member"] = "member"
    """Node tag."""
    issue: Identifier
    """Id of the issue tested."""
    options: tuple[Identifier, ...] = Field(min_length=1)
    """The option ids of the set, in the order written (at least one)."""
    negated: bool = Field(default=False, strict=True)
    """True for ``not in``, False for ``in``."""


def _set_depth(node: _Node, children: tuple[_Node, ...]) -> None:
    value = 1 + max(child._depth for child in children)
    if value > MAX_DEPTH:
        raise ValueError(f"the rule is nested more than {MAX_DEPTH} levels deep")
    node._depth = value


class Not(_Node):
    """Negation: ``not operand`` holds when the operand does not."""

    kind: Literal["not"] = "not"
    """Node tag."""
    operand: Rule
    """The negated rule."""

    @model_validator(mode="after")
    def _depth_check(self) -> Not:
        _set_depth(self, (self.operand,))
        return self


class And(_Node):
    """Conjunction of two or more rules; holds when every operand holds.

    ``a and b and c`` is one node with three operands; ``(a and b) and c`` is
    an ``And`` whose first operand is an ``And``.
    """

    kind: Literal["and"] = "and"
    """Node tag."""
    operands: tuple[Rule, ...] = Field(min_length=2)
    """The joined rules, in the order written (at least two)."""

    @model_validator(mode="after")
    def _depth_check(self) -> And:
        _set_depth(self, self.operands)
        return self


class Or(_Node):
    """Disjunction of two or more rules; holds when at least one operand holds."""

    kind: Literal["or"] = "or"
    """Node tag."""
    operands: tuple[Rule, ...] = Field(min_length=2)
    """The joined rules, in the order written (at least two)."""

    @model_validator(mode="after")
    def _depth_check(self) -> Or:
        _set_depth(self, self.operands)
        return self


class Implies(_Node):
    """Implication ``left -> right``: holds unless left holds and right does not.

    ``a -> b -> c`` groups to the right, as ``a -> (b -> c)``.
    """

    kind: Literal["implies"] = "implies"
    """Node tag."""
    left: Rule
    """The condition."""
    right: Rule
    """What must hold when the condition holds."""

    @model_validator(mode="after")
    def _depth_check(self) -> Implies:
        _set_depth(self, (self.left, self.right))
        return self


Rule = Annotated[
    Const | Compare | Member | Not | And | Or | Implies,
    Field(discriminator="kind"),
]
"""A rule syntax tree: any node, told apart by its ``kind`` field."""

for _cls in (Not, And, Or, Implies):
    _cls.model_rebuild()


def _children(rule: Rule) -> tuple[Rule, ...]:
    if isinstance(rule, Not):
        return (rule.operand,)
    if isinstance(rule, And | Or):
        return rule.operands
    if isinstance(rule, Implies):
        return (rule.left, rule.right)
    return ()


def comparisons(rule: Rule) -> Iterator[Compare | Member]:
    """Iterate over the comparisons of a rule, left to right.

    Yields every :class:`Compare` and :class:`Member` node, in the order
    they appear in the rule's text; this is what a scenario validator checks
    against the known issues, options and ordered issues.

    Parameters
    ----------
    rule : Rule
        A syntax tree.

    Yields
    ------
    Compare or Member
        Each comparison node.

    Examples
    --------
    >>> from negotiate.rules import comparisons, parse
    >>> for node in comparisons(parse("a == x or not (b in {y, z} -> c >= w)")):
    ...     print(node)
    a == x
    b in {y, z}
    c >= w
    """
    stack: list[Rule] = [rule]
    while stack:
        node = stack.pop()
        if isinstance(node, Compare | Member):
            yield node
        else:
            stack.extend(reversed(_children(node)))


def issues_of(rule: Rule) -> tuple[str, ...]:
    """Return the issue ids a rule mentions, in order of first appearance.

    Parameters
    ----------
    rule : Rule
        A syntax tree.

    Returns
    -------
    tuple of str
        Each issue id once.

    Examples
    --------
    >>> from negotiate.rules import issues_of, parse
    >>> issues_of(parse("quota == yes or tariff >= low and quota != no"))
    ('quota', 'tariff')
    >>> issues_of(parse("true"))
    ()
    """
    return tuple(dict.fromkeys(node.issue for node in comparisons(rule)))


def depth(rule: Rule) -> int:
    """Return how deep a rule tree is: 1 for a leaf, 1 + the deepest child otherwise.

    Parameters
    ----------
    rule : Rule
        A syntax tree.

    Returns
    -------
    int
        The depth, at most :data:`MAX_DEPTH`.

    Examples
    --------
    >>> from negotiate.rules import depth, parse
    >>> depth(parse("a == b")), depth(parse("not (a == b and c == d)"))
    (1, 3)
    """
    return rule._depth
