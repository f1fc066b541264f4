"""Render a rule syntax tree as canonical rule-language text."""

from __future__ import annotations

from negotiate.rules.ast import And, Compare, Const, Implies, Member, Not, Or, Rule

__all__ = ["render"]

# Binding strength of each node type, loosest first.
_IMPLIES, _OR, _AND, _NOT, _ATOM = range(1, 6)


def _level(rule: Rule) -> int:
    if isinstance(rule, Implies):
        return _IMPLIES
    if isinstance(rule, Or):
        return _OR
    if isinstance(rule, And):
        return _AND
    if isinstance(rule, Not):
        return _NOT
    return _ATOM


def _child(rule: Rule, above: int) -> str:
    """Render `rule`, in parentheses unless it binds more tightly than `above`."""
    text = render(rule)
    return text if _level(rule) > above else f"({text})"


def render(rule: Rule) -> str:
    """Render a syntax tree as canonical rule text.

    The *canonical* text uses single spaces, ``->`` for implication,
    ``{a, b}`` for sets and only the parentheses needed to keep the tree's
    structure, so that ``parse(render(rule)) == rule`` for every valid tree.
    A child ``And`` of an ``And`` (and an ``Or`` of an ``Or``, and the left
    side of an implication that is itself an implication) is parenthesised.

    Parameters
    ----------
    rule : Rule
        A syntax tree.

    Returns
    -------
    str
        The canonical text. ``str(rule)`` returns the same.

    See Also
    --------
    parse : the inverse.

    Examples
    --------
    >>> from negotiate.rules import parse, render
    >>> render(parse("(a==x)and((b!=y or c in{u,v}))  implies not(d<w)"))
    'a == x and (b != y or c in {u, v}) -> not d < w'
    >>> render(parse("(p == q -> r == s) -> t == u"))
    '(p == q -> r == s) -> t == u'
    >>> str(parse("x not in {a}"))
    'x not in {a}'
    """
    if isinstance(rule, Const):
        return "true" if rule.value else "false"
    if isinstance(rule, Compare):
        return f"{rule.issue} {rule.op} {rule.option}"
    if isinstance(rule, Member):
        word = "not in" if rule.negated else "in"
        return f"{rule.issue} {word} {{{', '.join(rule.options)}}}"
    if isinstance(rule, Not):
        return "not " + _child(rule.operand, _AND)
    if isinstance(rule, And):
        return " and ".join(_child(operand, _AND) for operand in rule.operands)
    if isinstance(rule, Or):
        return " or ".join(_child(operand, _OR) for operand in rule.operands)
    return f"{_child(rule.left, _IMPLIES)} -> {_child(rule.right, _IMPLIES - 1)}"
