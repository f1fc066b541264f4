"""Evaluate a rule syntax tree on one outcome (a pure tree walk, never ``eval``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from negotiate.errors import ScenarioError
from negotiate.rules.ast import And, Compare, Const, Member, Not, Or, Rule, issues_of

__all__ = ["evaluate", "option_position"]


def option_position(
    issue: str, option: str, option_order: Mapping[str, Sequence[str]] | None
) -> int:
    """Return where `option` is listed among the options of `issue` (0 = first = lowest).

    Parameters
    ----------
    issue : str
        The issue id.
    option : str
        The option id.
    option_order : mapping of str to sequence of str, or None
        Each issue's option ids, in listed order.

    Returns
    -------
    int
        The 0-based position.

    Raises
    ------
    ScenarioError
        When the issue has no option list, or does not list `option`.

    Examples
    --------
    >>> from negotiate.rules import option_position
    >>> option_position("tariff", "high", {"tariff": ["none", "low", "high"]})
    2
    """
    if option_order is None or issue not in option_order:
        raise ScenarioError(
            f"the options of issue {issue!r} are not known; "
            "pass option_order to compare options by their order"
        )
    options = option_order[issue]
    try:
        return list(options).index(option)
    except ValueError:
        listed = ", ".join(repr(o) for o in options)
        raise ScenarioError(
            f"unknown option {option!r} for issue {issue!r}; its options are {listed}"
        ) from None


def _compare(node: Compare, chosen: str, option_order: Mapping[str, Sequence[str]] | None) -> bool:
    if node.op == "==":
        return chosen == node.option
    if node.op == "!=":
        return chosen != node.option
    left = option_position(node.issue, chosen, option_order)
    right = option_position(node.issue, node.option, option_order)
    if node.op == "<":
        return left < right
    if node.op == "<=":
        return left <= right
    if node.op == ">":
        return left > right
    return left >= right


def _walk(
    rule: Rule, outcome: Mapping[str, str], option_order: Mapping[str, Sequence[str]] | None
) -> bool:
    if isinstance(rule, Const):
        return rule.value
    if isinstance(rule, Compare):
        return _compare(rule, outcome[rule.issue], option_order)
    if isinstance(rule, Member):
        return (outcome[rule.issue] in rule.options) != rule.negated
    if isinstance(rule, Not):
        return not _walk(rule.operand, outcome, option_order)
    if isinstance(rule, And):
        return all([_walk(x, outcome, option_order) for x in rule.operands])
    if isinstance(rule, Or):
        return any([_walk(x, outcome, option_order) for x in rule.operands])
    left = _walk(rule.left, outcome, option_order)
    right = _walk(rule.right, outcome, option_order)
    return not left or right


def evaluate(
    rule: Rule,
    outcome: Mapping[str, str],
    option_order: Mapping[str, Sequence[str]] | None = None,
) -> bool:
    """Tell whether an outcome satisfies a rule.

    ``==``, ``!=``, ``in`` and ``not in`` compare option ids. ``<``, ``<=``,
    ``>`` and ``>=`` compare positions in `option_order`: the first listed
    option is the lowest, so ``x < y`` means x is listed before y. Whether
    the issue is *ordered* is not checked here (the scenario validator does
    that). Every comparison is evaluated (no short-circuit), so a problem in
    any part of the rule is reported whatever the other parts say.

    Parameters
    ----------
    rule : Rule
        A syntax tree.
    outcome : mapping of str to str
        Issue id to chosen option id; must cover every issue of the rule.
    option_order : mapping of str to sequence of str, optional
        Each issue's option ids in listed order. Needed only for ordered
        comparisons (``<`` and friends).

    Returns
    -------
    bool
        True when the rule holds for the outcome.

    Raises
    ------
    ScenarioError
        When the outcome lacks an issue the rule mentions, or an ordered
        comparison involves an issue or option that `option_order` does not
        list.

    Examples
    --------
    >>> from negotiate.rules import evaluate, parse
    >>> order = {"tariff": ["none", "low", "high"], "quota": ["yes", "no"]}
    >>> rule = parse("quota == yes or tariff >= low")
    >>> evaluate(rule, {"tariff": "low", "quota": "no"}, order)
    True
    >>> evaluate(rule, {"tariff": "none", "quota": "no"}, order)
    False
    >>> evaluate(rule, {"quota": "no"}, order)
    Traceback (most recent call last):
    ...
    negotiate.errors.ScenarioError: the outcome has no option for issue 'tariff', which the rule ...
    """
    missing = [issue for issue in issues_of(rule) if issue not in outcome]
    if missing:
        names = ", ".join(repr(issue) for issue in missing)
        noun = "issue" if len(missing) == 1 else "issues"
        raise ScenarioError(
            f"the outcome has no option for {noun} {names}, which the rule {str(rule)!r} needs"
        )
    return _walk(rule, outcome, option_order)
