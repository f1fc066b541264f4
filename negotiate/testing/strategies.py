"""Hypothesis strategies for issues, parties, rules, red lines, scenarios and outcomes.

Every strategy builds valid data *by construction* (no filtering): rules only
use ordered comparisons on ordered issues, preferences only mention known
options, ids are unique, and ``scenarios(feasible=True)`` /
``scenarios(feasible=False)`` plant an agreement or a conflict instead of
hoping for one. Examples shrink toward small, readable scenarios: one issue
with two options, one party, no red lines, ids such as ``i0``, ``a``, ``A``
and ``A-r0``.

Numbers lie on decimal grids so that exact integer compilation stays small:
importances are integers 1-5, option values and reservations multiples of
0.05 (rankings give evenly spaced values as usual). :func:`variations` moves
numbers in steps of ``step`` (0.01 by default).

Arguments of the strategies accept a value or a strategy of values (as in
``hypothesis.extra.numpy.arrays``); concrete values are checked when the
strategy is built, drawn ones when they are drawn, and bad values raise
:class:`hypothesis.errors.InvalidArgument` naming ``argument=value`` and a fix.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from negotiate.model import Issue, Outcome, Party, RedLine, Scenario
from negotiate.rules import (
    RESERVED_WORDS,
    And,
    Compare,
    CompareOp,
    Const,
    Implies,
    Member,
    Not,
    Or,
    Rule,
    render,
)

__all__ = [
    "issues",
    "outcomes",
    "parties",
    "red_lines",
    "rules",
    "scenarios",
    "variations",
]

T = TypeVar("T")

#: Option values and reservations are multiples of this grid.
GRID = 20  # 1/20 = 0.05
#: Importances are integers in this range.
IMPORTANCE_RANGE = (1, 5)
STANCES: tuple[str, ...] = ("stated", "reported", "inferred")

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_NAME_ALPHABET = _LETTERS + "0123456789_"
_IDENT_ALPHABET = _NAME_ALPHABET + "-."
_ORDERED_OPS: tuple[CompareOp, ...] = ("<", "<=", ">", ">=")
_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), max_size=20
)


# -- argument checking ---------------------------------------------------------------------


def _is_strategy(value: object) -> bool:
    return isinstance(value, SearchStrategy)


def _check_int(name: str, value: object, minimum: int) -> None:
    if _is_strategy(value):
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(
            f"{name}={value!r} must be an int (or a strategy of ints); pass e.g. {name}={minimum}"
        )
    if value < minimum:
        raise InvalidArgument(
            f"{name}={value!r} must be >= {minimum}; pass {name}={minimum} or more"
        )


def _check_range(lo_name: str, lo: object, hi_name: str, hi: object) -> None:
    if isinstance(lo, int) and isinstance(hi, int) and hi < lo:
        raise InvalidArgument(
            f"Cannot have {hi_name}={hi!r} < {lo_name}={lo!r}; pass {hi_name}={lo} or more, "
            f"or lower {lo_name}"
        )


def _check_bool(name: str, value: object, *, optional: bool = False) -> None:
    if _is_strategy(value) or isinstance(value, bool) or (optional and value is None):
        return
    allowed = "True, False or None" if optional else "True or False"
    raise InvalidArgument(
        f"{name}={value!r} must be {allowed} (or a strategy of those); "
        f"pass e.g. {name}={'None' if optional else 'True'}"
    )


def _check_number(name: str, value: object, *, positive: bool = False) -> None:
    if _is_strategy(value):
        return
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise InvalidArgument(
            f"{name}={value!r} must be a number (or a strategy of numbers); pass e.g. {name}=0.1"
        )
    if not math.isfinite(float(value)) or value < 0 or (positive and value == 0):
        need = "> 0" if positive else ">= 0"
        raise InvalidArgument(
            f"{name}={value!r} must be a finite number {need}; pass e.g. {name}=0.1"
        )


def _check_issue_list(name: str, value: object) -> tuple[Issue, ...]:
    """Return the issues of a Scenario or a sequence of Issue objects (checked)."""
    if isinstance(value, Scenario):
        return value.issues
    if (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) > 0
        and all(isinstance(i, Issue) for i in value)
    ):
        ids = [i.id for i in value]
        if len(set(ids)) != len(ids):
            raise InvalidArgument(
                f"{name} has duplicate issue ids {sorted({i for i in ids if ids.count(i) > 1})}; "
                "pass issues with unique ids"
            )
        return tuple(value)
    raise InvalidArgument(
        f"{name}={value!r} must be a Scenario, a non-empty sequence of Issue objects, or a "
        f"strategy of those; pass e.g. {name}=scenario.issues"
    )


def _check_outcome(name: str, value: object, issues: Sequence[Issue]) -> Outcome:
    if not isinstance(value, Mapping):
        raise InvalidArgument(
            f"{name}={value!r} must be a mapping of issue id to option id; "
            f"pass e.g. {name}={{'{issues[0].id}': '{issues[0].option_ids[0]}', ...}}"
        )
    for issue in issues:
        if value.get(issue.id) not in issue.option_ids:
            raise InvalidArgument(
                f"{name}={dict(value)!r} must choose one of {list(issue.option_ids)} on issue "
                f"'{issue.id}'; pass an option on every issue"
            )
    return Outcome({issue.id: str(value[issue.id]) for issue in issues})


def _resolve(draw: DrawFn, value: Any) -> Any:
    """Draw ``value`` when it is a strategy, else return it as is."""
    return draw(value) if _is_strategy(value) else value


# -- small pieces --------------------------------------------------------------------------


def _option_id(k: int) -> str:
    return _LETTERS[k] if k < len(_LETTERS) else f"o{k}"


def _party_id(k: int) -> str:
    return _LETTERS[k].upper() if k < len(_LETTERS) else f"P{k}"


def _not_reserved(text: str) -> str:
    return text + "_" if text in RESERVED_WORDS else text


def _names() -> SearchStrategy[str]:
    """Issue/option ids: letters, digits and ``_``; never a reserved word."""
    return st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=8).map(_not_reserved)


def _idents() -> SearchStrategy[str]:
    """Party, red-line, source and proposal ids (may also contain ``-`` and ``.``)."""
    return st.text(alphabet=_IDENT_ALPHABET, min_size=1, max_size=8)


def _exact(x: float) -> Fraction:
    return Fraction(Decimal(repr(float(x))))


def _draw_issue(
    draw: DrawFn, issue_id: str, min_options: int, max_options: int, ordered: bool | None,
    details: bool = False,
) -> Issue:
    n = draw(st.integers(min_options, max_options))
    is_ordered = draw(st.booleans()) if ordered is None else ordered
    data: dict[str, Any] = {"id": issue_id, "ordered": is_ordered}
    if details:
        data["title"] = draw(_TEXT)
        data["description"] = draw(_TEXT)
        data["options"] = [{"id": _option_id(k), "title": draw(_TEXT)} for k in range(n)]
    else:
        data["options"] = [_option_id(k) for k in range(n)]
    return Issue.model_validate(data)


# -- rules ---------------------------------------------------------------------------------


def _compare_holds(op: str, chosen: int, option: int) -> bool:
    return {
        "==": chosen == option,
        "!=": chosen != option,
        "<": chosen < option,
        "<=": chosen <= option,
        ">": chosen > option,
        ">=": chosen >= option,
    }[op]


def _draw_compare(
    draw: DrawFn, issue: Issue, at: Outcome | None, target: bool | None
) -> Compare:
    ops: tuple[CompareOp, ...] = ("==", "!=") + (_ORDERED_OPS if issue.ordered else ())
    op: CompareOp = draw(st.sampled_from(ops))
    options = issue.option_ids
    if at is None or target is None:
        return Compare(issue=issue.id, op=op, option=draw(st.sampled_from(options)))
    chosen = options.index(at[issue.id])
    fits = [o for k, o in enumerate(options) if _compare_holds(op, chosen, k) == target]
    if not fits:  # e.g. "x < ?" is never true at the lowest option: fall back to ==/!=
        return Compare(issue=issue.id, op="==" if target else "!=", option=at[issue.id])
    return Compare(issue=issue.id, op=op, option=draw(st.sampled_from(fits)))


def _draw_subset(draw: DrawFn, options: Sequence[str], *, min_size: int) -> list[str]:
    if not options:
        return []
    picked = draw(
        st.lists(st.sampled_from(range(len(options))), min_size=min_size,
                 max_size=len(options), unique=True)
    )
    return [options[k] for k in sorted(picked)]


def _draw_member(
    draw: DrawFn, issue: Issue, at: Outcome | None, target: bool | None
) -> Member:
    negated = draw(st.booleans())
    options = issue.option_ids
    if at is None or target is None:
        return Member(issue=issue.id, options=tuple(_draw_subset(draw, options, min_size=1)),
                      negated=negated)
    chosen = at[issue.id]
    others = [o for o in options if o != chosen]
    need_in = target != negated  # membership that makes the node evaluate to target
    if not need_in and not others:  # a one-option issue: the set must hold the option
        negated, need_in = not negated, True
    if need_in:
        rest = _draw_subset(draw, others, min_size=0)
        chosen_set = [o for o in options if o == chosen or o in rest]
    else:
        chosen_set = _draw_subset(draw, others, min_size=1)
    return Member(issue=issue.id, options=tuple(chosen_set), negated=negated)


def _draw_rule(
    draw: DrawFn, issues: Sequence[Issue], depth: int, at: Outcome | None, target: bool | None
) -> Rule:
    """A random rule over ``issues``; when ``at`` and ``target`` are given, the rule
    evaluates to ``target`` at the outcome ``at`` (built so, never filtered)."""
    if depth <= 1 or not draw(st.booleans()):
        kind = draw(st.integers(0, 19))  # shrinks to a comparison; constants are rare
        issue = draw(st.sampled_from(issues))
        if kind <= 11:
            return _draw_compare(draw, issue, at, target)
        if kind <= 18:
            return _draw_member(draw, issue, at, target)
        return Const(value=draw(st.booleans()) if target is None else target)
    node = draw(st.sampled_from(("and", "or", "not", "implies")))

    def sub(goal: bool | None) -> Rule:
        return _draw_rule(draw, issues, depth - 1, at, goal)

    def free() -> bool | None:
        return None if target is None else draw(st.booleans())

    if node == "not":
        return Not(operand=sub(None if target is None else not target))
    if node == "implies":
        if target is None:
            return Implies(left=sub(None), right=sub(None))
        if not target:
            return Implies(left=sub(True), right=sub(False))
        if draw(st.booleans()):
            return Implies(left=sub(free()), right=sub(True))
        return Implies(left=sub(False), right=sub(free()))
    n = draw(st.integers(2, 3))
    # And is true iff all operands are; Or is false iff all operands are.
    uniform = (node == "and") == bool(target)
    special = draw(st.integers(0, n - 1))
    goals: list[bool | None] = []
    for k in range(n):
        if target is None or uniform:
            goals.append(target)
        else:  # one operand decides (false for And, true for Or); the others are free
            goals.append(target if k == special else free())
    operands = tuple(sub(goal) for goal in goals)
    return And(operands=operands) if node == "and" else Or(operands=operands)


def _draw_scoped_rule(
    draw: DrawFn, issues: Sequence[Issue], max_issues: int, max_depth: int,
    at: Outcome | None, target: bool | None,
) -> Rule:
    picked = draw(
        st.lists(st.sampled_from(range(len(issues))), min_size=1,
                 max_size=min(max_issues, len(issues)), unique=True)
    )
    chosen = [issues[k] for k in sorted(picked)]
    depth = draw(st.integers(1, max_depth))
    return _draw_rule(draw, chosen, depth, at, target)


@st.composite
def _rules(
    draw: DrawFn, issues: Any, texts: Any, max_depth: Any, max_issues: Any,
    holds_at: Any, fails_at: Any,
) -> Rule | str:
    issue_list = (
        tuple(_draw_issue(draw, f"i{k}", 2, 4, None) for k in range(draw(st.integers(1, 3))))
        if issues is None else _check_issue_list("issues", _resolve(draw, issues))
    )
    texts = _resolve(draw, texts)
    max_depth = _resolve(draw, max_depth)
    max_issues = _resolve(draw, max_issues)
    _check_bool("texts", texts)
    _check_int("max_depth", max_depth, 1)
    _check_int("max_issues", max_issues, 1)
    at, target = None, None
    if holds_at is not None:
        at, target = _check_outcome("holds_at", _resolve(draw, holds_at), issue_list), True
    if fails_at is not None:
        at, target = _check_outcome("fails_at", _resolve(draw, fails_at), issue_list), False
    rule = _draw_scoped_rule(draw, issue_list, max_issues, max_depth, at, target)
    return render(rule) if texts else rule


def rules(
    issues: Scenario | Sequence[Issue] | SearchStrategy[Any] | None = None,
    *,
    texts: bool | SearchStrategy[bool] = False,
    max_depth: int | SearchStrategy[int] = 3,
    max_issues: int | SearchStrategy[int] = 2,
    holds_at: Mapping[str, str] | SearchStrategy[Mapping[str, str]] | None = None,
    fails_at: Mapping[str, str] | SearchStrategy[Mapping[str, str]] | None = None,
) -> SearchStrategy[Any]:
    """Return a strategy of red-line rules: syntax trees, or their canonical texts.

    A *rule* is a tree of :mod:`negotiate.rules` nodes (``Compare``,
    ``Member``, ``Const``, ``Not``, ``And``, ``Or``, ``Implies``) valid for
    the given issues: every comparison names a known issue and option, and
    ``<``, ``<=``, ``>``, ``>=`` appear only on ordered issues.

    Parameters
    ----------
    issues : Scenario, sequence of Issue, strategy of those, or None
        The issues rules may mention. None draws one to three small issues
        (ids ``i0``, ``i1``, ...; options ``a``, ``b``, ...).
    texts : bool
        True gives the canonical text (``negotiate.rules.render``) instead of
        the tree.
    max_depth : int
        Deepest tree (1 = a single comparison or constant).
    max_issues : int
        Most distinct issues one rule mentions.
    holds_at, fails_at : mapping of issue id to option id, optional
        An outcome at which every generated rule holds (or fails), built so
        rather than filtered. At most one of the two.

    Returns
    -------
    SearchStrategy
        Of ``Rule`` trees, or of ``str`` when ``texts=True``.

    Raises
    ------
    hypothesis.errors.InvalidArgument
        On an invalid argument, naming it and a fix.

    Examples
    --------
    >>> from hypothesis import given
    >>> from negotiate.rules import evaluate, parse
    >>> from negotiate.testing import rules
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties: [{id: A}]
    ... ''')
    >>> @given(rules(s, texts=True, holds_at={"tariff": "low"}))
    ... def test(text):
    ...     assert evaluate(parse(text), {"tariff": "low"}, {"tariff": ["none", "low", "high"]})
    >>> test()

    Examples shrink toward a single comparison ``issue == first option``.
    """
    if issues is not None and not _is_strategy(issues):
        issues = _check_issue_list("issues", issues)
    _check_bool("texts", texts)
    _check_int("max_depth", max_depth, 1)
    _check_int("max_issues", max_issues, 1)
    if holds_at is not None and fails_at is not None:
        raise InvalidArgument(
            f"holds_at={holds_at!r} and fails_at={fails_at!r} were both given; pass at most one"
        )
    if issues is None and (holds_at is not None or fails_at is not None):
        raise InvalidArgument(
            "holds_at/fails_at name an outcome, so the issues must be known; pass issues=..."
        )
    if isinstance(issues, tuple):
        for name, value in (("holds_at", holds_at), ("fails_at", fails_at)):
            if value is not None and not _is_strategy(value):
                _check_outcome(name, value, issues)
    return _rules(issues, texts, max_depth, max_issues, holds_at, fails_at)


# -- issues, red lines, parties ------------------------------------------------------------


@st.composite
def _issues(draw: DrawFn, id: Any, min_options: Any, max_options: Any, ordered: Any) -> Issue:
    issue_id = _resolve(draw, id) if id is not None else draw(_names())
    min_options = _resolve(draw, min_options)
    max_options = _resolve(draw, max_options)
    ordered = _resolve(draw, ordered)
    _check_int("min_options", min_options, 1)
    _check_int("max_options", max_options, 1)
    _check_range("min_options", min_options, "max_options", max_options)
    _check_bool("ordered", ordered, optional=True)
    return _draw_issue(draw, issue_id, min_options, max_options, ordered)


def issues(
    *,
    id: str | SearchStrategy[str] | None = None,
    min_options: int | SearchStrategy[int] = 2,
    max_options: int | SearchStrategy[int] = 4,
    ordered: bool | None | SearchStrategy[bool | None] = None,
) -> SearchStrategy[Issue]:
    """Return a strategy of issues (:class:`negotiate.Issue`).

    Options are named ``a``, ``b``, ``c``, ... (``o26``, ``o27``, ... past
    the alphabet), in listed order.

    Parameters
    ----------
    id : str, optional
        The issue id; by default a short identifier is drawn.
    min_options, max_options : int
        How many options the issue has (at least 1).
    ordered : bool or None
        True or False for every issue; None draws it.

    Returns
    -------
    SearchStrategy of Issue

    Examples
    --------
    >>> from hypothesis import given
    >>> from negotiate.testing import issues
    >>> @given(issues(id="tariff", min_options=3, max_options=3, ordered=True))
    ... def test(issue):
    ...     assert issue.option_ids == ("a", "b", "c") and issue.ordered
    >>> test()

    Examples shrink toward fewer options and ``ordered=False``.
    """
    if id is not None and not _is_strategy(id) and not isinstance(id, str):
        raise InvalidArgument(f"id={id!r} must be a str; pass e.g. id='tariff'")
    _check_int("min_options", min_options, 1)
    _check_int("max_options", max_options, 1)
    _check_range("min_options", min_options, "max_options", max_options)
    _check_bool("ordered", ordered, optional=True)
    return _issues(id, min_options, max_options, ordered)


def _draw_red_line(
    draw: DrawFn, issue_list: Sequence[Issue], red_line_id: str, *, stance: str | None,
    max_issues: int, max_depth: int, at: Outcome | None, target: bool | None,
    sources: Sequence[str] = (), details: bool = False,
) -> dict[str, Any]:
    rule = _draw_scoped_rule(draw, issue_list, max_issues, max_depth, at, target)
    data: dict[str, Any] = {
        "id": red_line_id,
        "rule": rule,
        "stance": stance if stance is not None else draw(st.sampled_from(STANCES)),
    }
    if details:
        data["sources"] = _draw_subset(draw, sources, min_size=0)
        data["note"] = draw(_TEXT)
        data["cost"] = draw(st.sampled_from((1.0, 0.5, 2.0, 3.0)))
    return data


@st.composite
def _red_lines(
    draw: DrawFn, issues: Any, id: Any, stance: Any, max_depth: Any, max_issues: Any,
    holds_at: Any, fails_at: Any,
) -> RedLine:
    rule = draw(rules(issues, max_depth=max_depth, max_issues=max_issues, holds_at=holds_at,
                      fails_at=fails_at))
    red_line_id = _resolve(draw, id) if id is not None else draw(_idents())
    stance = _resolve(draw, stance) if stance is not None else draw(st.sampled_from(STANCES))
    if stance not in STANCES:
        raise InvalidArgument(f"stance={stance!r} must be one of {STANCES}")
    return RedLine(id=red_line_id, rule=rule, stance=stance)


def red_lines(
    issues: Scenario | Sequence[Issue] | SearchStrategy[Any] | None = None,
    *,
    id: str | SearchStrategy[str] | None = None,
    stance: str | SearchStrategy[str] | None = None,
    max_depth: int | SearchStrategy[int] = 3,
    max_issues: int | SearchStrategy[int] = 2,
    holds_at: Mapping[str, str] | SearchStrategy[Mapping[str, str]] | None = None,
    fails_at: Mapping[str, str] | SearchStrategy[Mapping[str, str]] | None = None,
) -> SearchStrategy[RedLine]:
    """Return a strategy of red lines (:class:`negotiate.RedLine`) over the given issues.

    Parameters
    ----------
    issues : Scenario, sequence of Issue, strategy of those, or None
        As for :func:`rules`.
    id : str, optional
        The red-line id; by default a short id is drawn.
    stance : {"stated", "reported", "inferred"}, optional
        By default drawn.
    max_depth, max_issues, holds_at, fails_at
        As for :func:`rules`.

    Returns
    -------
    SearchStrategy of RedLine

    Examples
    --------
    >>> from hypothesis import given
    >>> from negotiate.rules import evaluate
    >>> from negotiate.testing import red_lines
    >>> s = ng.loads("format: 1\\nid: t\\nissues: [{id: q, options: [yes, no]}]\\nparties: [{id: A}]")
    >>> @given(red_lines(s, stance="inferred", fails_at={"q": "no"}))
    ... def test(red_line):
    ...     assert red_line.stance == "inferred"
    ...     assert not evaluate(red_line.rule, {"q": "no"})
    >>> test()

    Examples shrink as :func:`rules` does.
    """
    rules(issues, max_depth=max_depth, max_issues=max_issues, holds_at=holds_at,
          fails_at=fails_at)  # checks the shared arguments now
    if id is not None and not _is_strategy(id) and not isinstance(id, str):
        raise InvalidArgument(f"id={id!r} must be a str; pass e.g. id='a-no-high'")
    if stance is not None and not _is_strategy(stance) and stance not in STANCES:
        raise InvalidArgument(
            f"stance={stance!r} must be one of {STANCES}; pass e.g. stance='inferred'"
        )
    return _red_lines(issues, id, stance, max_depth, max_issues, holds_at, fails_at)


def _value_fractions(pref: Mapping[str, Any], issue: Issue) -> list[Fraction]:
    """Exact value of each option (listed order) for a preference given as plain data."""
    if pref.get("values") is not None:
        return [_exact(pref["values"].get(o, 0.0)) for o in issue.option_ids]
    ranking = list(pref["ranking"])
    n = len(ranking)
    return [Fraction(1) if n == 1 else Fraction(n - 1 - ranking.index(o), n - 1)
            for o in issue.option_ids]


def _exact_utility(
    prefs: Mapping[str, Mapping[str, Any]], issue_list: Sequence[Issue],
    choose: Mapping[str, Sequence[str]],
) -> Fraction:
    """Best exact utility when each issue's option is limited to ``choose[issue]``."""
    total = sum((_exact(p["importance"]) for p in prefs.values()), Fraction(0))
    if total == 0:
        return Fraction(0)
    acc = Fraction(0)
    for issue in issue_list:
        pref = prefs.get(issue.id)
        if pref is None:
            continue
        values = _value_fractions(pref, issue)
        acc += _exact(pref["importance"]) * max(
            values[issue.option_ids.index(o)] for o in choose[issue.id]
        )
    return acc / total


def _draw_preferences(draw: DrawFn, issue_list: Sequence[Issue]) -> dict[str, dict[str, Any]]:
    prefs: dict[str, dict[str, Any]] = {}
    for issue in issue_list:
        if not draw(st.booleans()):
            continue
        importance = float(draw(st.integers(*IMPORTANCE_RANGE)))
        if draw(st.booleans()):
            values = {}
            for option in issue.option_ids:
                k = draw(st.integers(0, GRID))
                if k:
                    values[option] = k / GRID
            prefs[issue.id] = {"importance": importance, "values": values}
        else:
            ranking = draw(st.permutations(issue.option_ids))
            prefs[issue.id] = {"importance": importance, "ranking": list(ranking)}
    return prefs


def _draw_party(
    draw: DrawFn, issue_list: Sequence[Issue], party_id: str, *, max_red_lines: int,
    max_rule_issues: int, max_rule_depth: int, reservation: bool, accepts: Outcome | None,
    sources: Sequence[str] = (), details: bool = False,
) -> dict[str, Any]:
    """A party as plain data; when ``accepts`` is given, the party accepts that outcome."""
    prefs = _draw_preferences(draw, issue_list)
    n_red = draw(st.integers(0, max_red_lines))
    red = [
        _draw_red_line(
            draw, issue_list, f"{party_id}-r{k}", stance=None, max_issues=max_rule_issues,
            max_depth=max_rule_depth, at=accepts, target=None if accepts is None else True,
            sources=sources, details=details,
        )
        for k in range(n_red)
    ]
    data: dict[str, Any] = {"id": party_id, "preferences": prefs, "red_lines": red}
    if reservation:
        if accepts is None:
            top = GRID
        else:
            u = _exact_utility(prefs, issue_list, {k: (v,) for k, v in accepts.items()})
            top = math.floor(u * GRID)
        data["reservation"] = draw(st.integers(0, top)) / GRID
    if details:
        data["name"] = draw(_TEXT)
        data["power"] = draw(st.sampled_from((1.0, 0.5, 2.0, 1.5)))
        data["reservation_cost"] = draw(st.sampled_from((1.0, 0.5, 2.0)))
    return data


@st.composite
def _parties(
    draw: DrawFn, issues: Any, id: Any, max_red_lines: Any, max_rule_issues: Any,
    max_rule_depth: Any, reservation: Any, accepts: Any,
) -> Any:
    issue_list = (
        tuple(_draw_issue(draw, f"i{k}", 2, 4, None) for k in range(draw(st.integers(1, 3))))
        if issues is None else _check_issue_list("issues", _resolve(draw, issues))
    )
    party_id = _resolve(draw, id) if id is not None else draw(_idents())
    knobs = {
        "max_red_lines": _resolve(draw, max_red_lines),
        "max_rule_issues": _resolve(draw, max_rule_issues),
        "max_rule_depth": _resolve(draw, max_rule_depth),
    }
    _check_int("max_red_lines", knobs["max_red_lines"], 0)
    _check_int("max_rule_issues", knobs["max_rule_issues"], 1)
    _check_int("max_rule_depth", knobs["max_rule_depth"], 1)
    reservation = _resolve(draw, reservation)
    _check_bool("reservation", reservation)
    at = None if accepts is None else _check_outcome(
        "accepts", _resolve(draw, accepts), issue_list
    )
    data = _draw_party(draw, issue_list, party_id, reservation=reservation, accepts=at, **knobs)
    return Party.model_validate(data)


def parties(
    issues: Scenario | Sequence[Issue] | SearchStrategy[Any] | None = None,
    *,
    id: str | SearchStrategy[str] | None = None,
    max_red_lines: int | SearchStrategy[int] = 3,
    max_rule_issues: int | SearchStrategy[int] = 2,
    max_rule_depth: int | SearchStrategy[int] = 3,
    reservation: bool | SearchStrategy[bool] = True,
    accepts: Mapping[str, str] | SearchStrategy[Mapping[str, str]] | None = None,
) -> SearchStrategy[Any]:
    """Return a strategy of parties (:class:`negotiate.Party`) with positions on the issues.

    Each issue gets, or not, a preference: an integer importance 1-5 and
    either option values (multiples of 0.05; zeros left out) or a ranking.
    Red lines have ids ``<party>-r0``, ``<party>-r1``, ...

    Parameters
    ----------
    issues : Scenario, sequence of Issue, strategy of those, or None
        The issues on the table; None draws one to three small issues.
    id : str, optional
        The party id; by default a short id is drawn.
    max_red_lines : int
        Most red lines (0 or more).
    max_rule_issues, max_rule_depth : int
        Passed on as ``max_issues`` and ``max_depth`` of :func:`rules`.
    reservation : bool
        Draw a reservation (a multiple of 0.05); False leaves it at 0.
    accepts : mapping of issue id to option id, optional
        An outcome the party must accept: its red lines hold there and its
        reservation is at most its utility there.

    Returns
    -------
    SearchStrategy of Party

    Examples
    --------
    >>> from hypothesis import given
    >>> from negotiate.testing import parties
    >>> s = ng.loads("format: 1\\nid: t\\nissues: [{id: q, options: [yes, no]}]\\nparties: [{id: A}]")
    >>> deal = {"q": "no"}
    >>> @given(parties(s, id="B", accepts=deal))
    ... def test(party):
    ...     s2 = s.model_copy(update={"parties": (party,)})
    ...     assert ng.is_acceptable(ng.validate(s2.model_dump()), "B", deal)
    >>> test()

    Examples shrink toward a party with no preferences, no red lines and
    reservation 0.
    """
    if issues is not None and not _is_strategy(issues):
        issues = _check_issue_list("issues", issues)
    if id is not None and not _is_strategy(id) and not isinstance(id, str):
        raise InvalidArgument(f"id={id!r} must be a str; pass e.g. id='A'")
    _check_int("max_red_lines", max_red_lines, 0)
    _check_int("max_rule_issues", max_rule_issues, 1)
    _check_int("max_rule_depth", max_rule_depth, 1)
    _check_bool("reservation", reservation)
    if accepts is not None:
        if issues is None:
            raise InvalidArgument(
                "accepts names an outcome, so the issues must be known; pass issues=..."
            )
        if isinstance(issues, tuple) and not _is_strategy(accepts):
            _check_outcome("accepts", accepts, issues)
    return _parties(issues, id, max_red_lines, max_rule_issues, max_rule_depth, reservation,
                    accepts)


# -- scenarios -----------------------------------------------------------------------------


def _negation(draw: DrawFn, parts: Sequence[Rule]) -> Rule:
    """A rule that contradicts the conjunction of ``parts`` (so all cannot hold together)."""
    if len(parts) == 1:
        return Not(operand=parts[0])
    form = draw(st.integers(0, 2))
    if form == 0:
        return Not(operand=And(operands=tuple(parts)))
    if form == 1:
        return Implies(left=parts[0], right=Not(operand=parts[1]))
    return Or(operands=tuple(Not(operand=p) for p in parts))


def _plant_conflict(
    draw: DrawFn, issue_list: Sequence[Issue], parties_data: list[dict[str, Any]],
    max_rule_issues: int, max_rule_depth: int,
) -> None:
    """Change ``parties_data`` in place so that no outcome is acceptable to everyone."""

    def add(party: dict[str, Any], rule: Rule) -> None:
        n = len(party["red_lines"])
        party["red_lines"].append(
            {"id": f"{party['id']}-r{n}", "rule": rule,
             "stance": draw(st.sampled_from(STANCES))}
        )

    kind = draw(st.sampled_from(("red_lines", "reservation")))
    if kind == "reservation" and _plant_reservation_conflict(draw, issue_list, parties_data, add):
        return
    # Red lines R1 (.., R2) held by some parties and "not (R1 and R2)" by another.
    parts = [
        _draw_scoped_rule(draw, issue_list, max_rule_issues, max_rule_depth, None, None)
        for _ in range(draw(st.integers(1, 2)))
    ]
    for part in parts:
        add(parties_data[draw(st.integers(0, len(parties_data) - 1))], part)
    add(parties_data[draw(st.integers(0, len(parties_data) - 1))], _negation(draw, parts))


def _plant_reservation_conflict(
    draw: DrawFn, issue_list: Sequence[Issue], parties_data: list[dict[str, Any]], add: Any,
) -> bool:
    """Raise one party's reservation above the best utility it can get (after, if need
    be, a red line that rules out its best option on one issue). False if impossible."""
    p = draw(st.integers(0, len(parties_data) - 1))
    party = parties_data[p]
    prefs = party["preferences"]
    allowed = {issue.id: issue.option_ids for issue in issue_list}
    best = _exact_utility(prefs, issue_list, allowed)
    if best == 0:
        return False  # (utility 0 everywhere: a conflict, but not an instructive one)
    if best == 1:
        # Find an issue that matters, with an option worth less than the best one.
        candidates = []
        for issue in issue_list:
            pref = prefs.get(issue.id)
            if pref is None or pref["importance"] == 0:
                continue
            values = _value_fractions(pref, issue)
            top = max(values)
            if min(values) < top:
                candidates.append((issue, [o for o, v in zip(issue.option_ids, values,
                                                                strict=True) if v == top]))
        if not candidates:
            return False
        issue, tops = draw(st.sampled_from(candidates))
        owner = parties_data[draw(st.integers(0, len(parties_data) - 1))]
        add(owner, Member(issue=issue.id, options=tuple(tops), negated=True))
        allowed[issue.id] = tuple(o for o in issue.option_ids if o not in tops)
        best = _exact_utility(prefs, issue_list, allowed)
    reservation = Fraction(math.floor(best * GRID) + 1, GRID)
    if reservation > 1 or reservation - best <= Fraction(2, 10**9):
        return False  # (cannot happen with the grids used here; kept for safety)
    party["reservation"] = float(reservation)
    return True


def _draw_details(
    draw: DrawFn, data: dict[str, Any], issue_list: Sequence[Issue], source_ids: Sequence[str]
) -> None:
    data["title"] = draw(_TEXT)
    data["description"] = draw(_TEXT)
    if draw(st.booleans()):
        data["as_of"] = draw(st.dates(_dt.date(1900, 1, 1), _dt.date(2100, 12, 31)))
    data["sources"] = [
        {"id": sid, "title": draw(_TEXT), "publisher": draw(_TEXT),
         "date": draw(st.none() | st.dates(_dt.date(1900, 1, 1), _dt.date(2100, 12, 31))),
         "url": draw(st.sampled_from(("", "https://example.org/a", "https://example.org/b?x=1")))}
        for sid in source_ids
    ]

    def partial_terms() -> dict[str, str]:
        chosen = _draw_subset(draw, [i.id for i in issue_list], min_size=0)
        return {i.id: draw(st.sampled_from(i.option_ids)) for i in issue_list if i.id in chosen}

    data["proposals"] = [
        {"id": f"p{k}", "title": draw(_TEXT), "terms": partial_terms(),
         "sources": _draw_subset(draw, source_ids, min_size=0), "note": draw(_TEXT)}
        for k in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        data["status_quo"] = partial_terms()


_SCENARIO_KNOBS = ("min_issues", "max_issues", "min_options", "max_options", "min_parties",
                   "max_parties", "max_red_lines", "max_rule_issues", "max_rule_depth")
_KNOB_MINIMUM = {"max_red_lines": 0}


def _check_scenario_knobs(knobs: Mapping[str, Any]) -> None:
    for name in _SCENARIO_KNOBS:
        _check_int(name, knobs[name], _KNOB_MINIMUM.get(name, 1))
    for what in ("issues", "options", "parties"):
        _check_range(f"min_{what}", knobs[f"min_{what}"], f"max_{what}", knobs[f"max_{what}"])
    _check_bool("ordered", knobs["ordered"], optional=True)
    _check_bool("feasible", knobs["feasible"], optional=True)
    _check_bool("reservations", knobs["reservations"])
    _check_bool("details", knobs["details"])


@st.composite
def _scenarios(draw: DrawFn, knobs: Mapping[str, Any]) -> Scenario:
    k = {name: _resolve(draw, value) for name, value in knobs.items()}
    _check_scenario_knobs(k)
    details: bool = k["details"]
    issue_list = [
        _draw_issue(draw, f"i{n}", k["min_options"], k["max_options"], k["ordered"], details)
        for n in range(draw(st.integers(k["min_issues"], k["max_issues"])))
    ]
    feasible: bool | None = k["feasible"]
    planted = None
    if feasible:
        planted = Outcome({i.id: draw(st.sampled_from(i.option_ids)) for i in issue_list})
    source_ids = [f"s{n}" for n in range(draw(st.integers(0, 2)))] if details else []
    parties_data = [
        _draw_party(
            draw, issue_list, _party_id(n), max_red_lines=k["max_red_lines"],
            max_rule_issues=k["max_rule_issues"], max_rule_depth=k["max_rule_depth"],
            reservation=k["reservations"], accepts=planted, sources=source_ids,
            details=details,
        )
        for n in range(draw(st.integers(k["min_parties"], k["max_parties"])))
    ]
    if feasible is False:
        _plant_conflict(draw, issue_list, parties_data, k["max_rule_issues"],
                        k["max_rule_depth"])
    data: dict[str, Any] = {
        "format": 1,
        "id": "generated",
        "issues": issue_list,
        "parties": parties_data,
    }
    if details:
        _draw_details(draw, data, issue_list, source_ids)
    return Scenario.model_validate(data)


def scenarios(
    *,
    min_issues: int | SearchStrategy[int] = 1,
    max_issues: int | SearchStrategy[int] = 4,
    min_options: int | SearchStrategy[int] = 2,
    max_options: int | SearchStrategy[int] = 4,
    min_parties: int | SearchStrategy[int] = 1,
    max_parties: int | SearchStrategy[int] = 4,
    ordered: bool | None | SearchStrategy[bool | None] = None,
    feasible: bool | None | SearchStrategy[bool | None] = None,
    max_red_lines: int | SearchStrategy[int] = 3,
    max_rule_issues: int | SearchStrategy[int] = 2,
    max_rule_depth: int | SearchStrategy[int] = 3,
    reservations: bool | SearchStrategy[bool] = True,
    details: bool | SearchStrategy[bool] = False,
) -> SearchStrategy[Scenario]:
    """Return a strategy of valid scenarios (:class:`negotiate.Scenario`).

    Issues are ``i0``, ``i1``, ... with options ``a``, ``b``, ...; parties
    ``A``, ``B``, ...; red lines ``A-r0``, ``A-r1``, ... with a drawn stance;
    the scenario id is ``generated``.

    *Planted feasibility*: ``feasible=True`` first picks an outcome, then
    only generates red lines that hold there (random trees built to
    evaluate to true at it) and reservations at most each party's utility
    there, so the agreement zone contains that outcome. ``feasible=False``
    plants a conflict: red lines ``R1`` (and ``R2``) held by some parties and
    one that contradicts them (``not R1``, ``not (R1 and R2)``,
    ``R1 -> not R2`` or ``not R1 or not R2``) held by another (or the same)
    party; or a reservation above the best utility the party can get (after
    a red line that rules out its best option on one issue, when needed).
    Either way the zone is provably empty. ``feasible=None`` plants nothing.

    Parameters
    ----------
    min_issues, max_issues : int
        How many issues (at least 1).
    min_options, max_options : int
        How many options each issue has (at least 1).
    min_parties, max_parties : int
        How many parties (at least 1).
    ordered : bool or None
        Make every issue ordered (True), none (False), or draw it per issue (None).
    feasible : bool or None
        Plant an agreement (True), a conflict (False), or nothing (None).
    max_red_lines : int
        Most random red lines per party (a planted conflict adds up to 3 more).
    max_rule_issues, max_rule_depth : int
        Most issues one red line mentions, and the deepest rule tree.
    reservations : bool
        Draw reservations (multiples of 0.05); False leaves them at 0
        (except a planted reservation conflict).
    details : bool
        Also draw titles, descriptions and notes (any text), a date, sources
        cited by red lines and proposals, proposals with partial terms, a
        status quo, powers and costs: what a round-trip test needs.

    Every argument accepts a value or a strategy of values.

    Returns
    -------
    SearchStrategy of Scenario

    Raises
    ------
    hypothesis.errors.InvalidArgument
        On an invalid argument, naming it and a fix.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from negotiate.testing import outcomes, scenarios
    >>> from hypothesis import strategies as st
    >>> with_outcome = scenarios(feasible=False).flatmap(
    ...     lambda s: st.tuples(st.just(s), outcomes(s)))
    >>> @settings(max_examples=20)
    ... @given(with_outcome)
    ... def test_someone_refuses(pair):
    ...     s, outcome = pair
    ...     assert not all(ng.is_acceptable(s, p.id, outcome) for p in s.parties)
    >>> test_someone_refuses()

    Examples shrink toward one issue with two unordered options, one party,
    no red lines, no reservation (plus the planted conflict).
    """
    knobs: dict[str, Any] = {
        "min_issues": min_issues, "max_issues": max_issues, "min_options": min_options,
        "max_options": max_options, "min_parties": min_parties, "max_parties": max_parties,
        "ordered": ordered, "feasible": feasible, "max_red_lines": max_red_lines,
        "max_rule_issues": max_rule_issues, "max_rule_depth": max_rule_depth,
        "reservations": reservations, "details": details,
    }
    _check_scenario_knobs(knobs)
    return _scenarios(knobs)


# -- outcomes ------------------------------------------------------------------------------


def outcomes(scenario: Scenario | SearchStrategy[Scenario]) -> SearchStrategy[Outcome]:
    """Return a strategy of outcomes of a scenario: one option on every issue.

    Parameters
    ----------
    scenario : Scenario or strategy of Scenario
        Whose outcome space to draw from.

    Returns
    -------
    SearchStrategy of Outcome

    Examples
    --------
    >>> from hypothesis import given
    >>> from negotiate.testing import outcomes
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, mid, high]}, {id: speed, options: [slow, fast]}]
    ... parties: [{id: buyer, preferences: {price: {importance: 1, ranking: [low, mid, high]}}}]
    ... ''')
    >>> @given(outcomes(s))
    ... def test_utility_in_unit_interval(outcome):
    ...     assert 0.0 <= ng.utility(s, "buyer", outcome) <= 1.0
    >>> test_utility_in_unit_interval()

    Examples shrink toward the first listed option of every issue.
    """
    if _is_strategy(scenario):
        return scenario.flatmap(outcomes)  # type: ignore[union-attr]
    if not isinstance(scenario, Scenario):
        raise InvalidArgument(
            f"scenario={scenario!r} must be a Scenario (or a strategy of scenarios); "
            "pass e.g. scenario=ng.load(path)"
        )
    ids = [issue.id for issue in scenario.issues]
    return st.tuples(*(st.sampled_from(issue.option_ids) for issue in scenario.issues)).map(
        lambda combo: Outcome(dict(zip(ids, combo, strict=True)))
    )


# -- variations ----------------------------------------------------------------------------


def _moved(
    draw: DrawFn, value: Fraction, bound: Fraction, step: Fraction, lo: Fraction,
    hi: Fraction | None, *, floor_above: Fraction | None = None,
) -> Fraction:
    """``value`` moved on a grid of ``step`` by at most ``bound``, kept in [lo, hi].

    The grid is centred on ``value`` when it is a finite decimal, else it is
    the multiples of ``step``. ``floor_above`` (if given) keeps the result > it.
    """
    low = max(lo, value - bound)
    high = value + bound if hi is None else min(hi, value + bound)
    origin = value if _is_decimal(value) else Fraction(0)
    k_lo = math.ceil((low - origin) / step)
    k_hi = math.floor((high - origin) / step)
    if floor_above is not None:
        k_lo = max(k_lo, math.floor((floor_above - origin) / step) + 1)
    if k_lo > k_hi:
        return value
    centre = min(max(round((value - origin) / step), k_lo), k_hi)
    return origin + (centre + draw(st.integers(k_lo - centre, k_hi - centre))) * step


def _is_decimal(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _as_float(value: Fraction) -> float:
    """The float whose shortest repr is the decimal ``value`` (when it is one)."""
    if _is_decimal(value):
        return float(Decimal(value.numerator) / Decimal(value.denominator))
    return float(value)


@st.composite
def _variations(draw: DrawFn, scenario: Any, knobs: Mapping[str, Any]) -> Scenario:
    s = _resolve(draw, scenario)
    if not isinstance(s, Scenario):
        raise InvalidArgument(f"scenario={s!r} must be a Scenario; pass e.g. ng.load(path)")
    k = {name: _resolve(draw, value) for name, value in knobs.items()}
    _check_variation_knobs(k)
    step = _exact(k["step"])
    imp_bound, val_bound, res_bound = (
        _exact(k["importance"]), _exact(k["values"]), _exact(k["reservation"])
    )
    data = s.model_dump()
    issue_by_id = {issue.id: issue for issue in s.issues}
    dropped = 0
    for party in data["parties"]:
        prefs: dict[str, dict[str, Any]] = party["preferences"]
        # The party's most important issue keeps a positive importance.
        keeper = max(prefs, key=lambda i: prefs[i]["importance"], default=None)
        for issue_id, pref in prefs.items():
            w = _exact(pref["importance"])
            if imp_bound:
                keep_positive = issue_id == keeper and w > 0
                pref["importance"] = _as_float(_moved(
                    draw, w, imp_bound, step, Fraction(0), None,
                    floor_above=Fraction(0) if keep_positive else None,
                ))
            if val_bound:
                _vary_values(draw, pref, issue_by_id[issue_id], val_bound, step)
        if res_bound:
            party["reservation"] = _as_float(_moved(
                draw, _exact(party["reservation"]), res_bound, step, Fraction(0), Fraction(1)
            ))
        if k["drop_inferred"]:
            kept = []
            for red_line in party["red_lines"]:
                limit = k["max_dropped"]
                if (red_line["stance"] == "inferred" and (limit is None or dropped < limit)
                        and draw(st.booleans())):
                    dropped += 1
                    continue
                kept.append(red_line)
            party["red_lines"] = kept
    return Scenario.model_validate(data)


def _vary_values(
    draw: DrawFn, pref: dict[str, Any], issue: Issue, bound: Fraction, step: Fraction
) -> None:
    exact_values = _value_fractions(pref, issue)
    moved = [_moved(draw, v, bound, step, Fraction(0), Fraction(1)) for v in exact_values]
    if pref.get("ranking") is not None:
        if moved == exact_values or not all(_is_decimal(v) for v in moved):
            return  # unchanged, or no grid point within the bound: keep the ranking
        pref["ranking"] = None
        pref["values"] = {}
    listed = pref["values"]
    pref["values"] = {
        o: _as_float(v) for o, v in zip(issue.option_ids, moved, strict=True)
        if o in listed or v != 0
    }


_VARIATION_NUMBERS = ("importance", "values", "reservation")


def _check_variation_knobs(k: Mapping[str, Any]) -> None:
    for name in _VARIATION_NUMBERS:
        _check_number(name, k[name])
    _check_number("step", k["step"], positive=True)
    _check_bool("drop_inferred", k["drop_inferred"])
    if k["max_dropped"] is not None:
        _check_int("max_dropped", k["max_dropped"], 0)
    if _is_strategy(k["step"]):
        return
    for name in _VARIATION_NUMBERS:
        bound = k[name]
        if not _is_strategy(bound) and 0 < bound < k["step"]:
            raise InvalidArgument(
                f"{name}={bound!r} is smaller than step={k['step']!r}, so nothing would "
                f"change; pass step={bound!r} or less"
            )
    if k["drop_inferred"] is False and k["max_dropped"] is not None:
        raise InvalidArgument(
            f"max_dropped={k['max_dropped']!r} has no effect with drop_inferred=False; "
            "pass drop_inferred=True"
        )


def variations(
    scenario: Scenario | SearchStrategy[Scenario],
    *,
    importance: float | SearchStrategy[float] = 0.2,
    values: float | SearchStrategy[float] = 0.0,
    reservation: float | SearchStrategy[float] = 0.0,
    drop_inferred: bool | SearchStrategy[bool] = False,
    max_dropped: int | SearchStrategy[int] | None = None,
    step: float | SearchStrategy[float] = 0.01,
) -> SearchStrategy[Scenario]:
    """Return a strategy of scenarios near a given one: its *variations*.

    A variation has the same ids (scenario, issues, options, parties,
    proposals, sources, red lines) with some numbers moved:

    - each stated importance by at most ``importance``, kept >= 0 (a
      party's most important issue keeps a positive importance, so the
      variation stays valid);
    - each option value by at most ``values``, kept in [0, 1] (a ranking
      turns into the equivalent values when they move);
    - each reservation by at most ``reservation``, kept in [0, 1];
    - with ``drop_inferred=True``, some red lines with stance
      ``inferred`` are left out (at most ``max_dropped`` of them).

    Bounds are absolute, on the numbers *as written* (importances are not
    normalised first: with importances 1-5, ``importance=0.2`` moves each by
    up to 0.2). Numbers move in multiples of ``step`` from their written
    value (or, for a value that is not a finite decimal, such as a third
    from a ranking, to multiples of ``step``), so variations compile to
    small exact integers. A bound of 0 leaves those numbers as written.

    Parameters
    ----------
    scenario : Scenario or strategy of Scenario
        The scenario to vary.
    importance, values, reservation : float
        Largest absolute change of each such number (>= 0).
    drop_inferred : bool
        Whether inferred red lines may be dropped.
    max_dropped : int, optional
        Most inferred red lines dropped in one variation (default: any).
    step : float
        Grid of the changes (> 0; at most each non-zero bound).

    Returns
    -------
    SearchStrategy of Scenario

    Raises
    ------
    hypothesis.errors.InvalidArgument
        On an invalid argument, naming it and a fix.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from negotiate.testing import variations
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, high], ordered: true}]
    ... parties:
    ...   - {id: seller, red_lines: [{id: no-low, rule: "price >= high"}]}
    ...   - id: buyer
    ...     reservation: 0.2
    ...     preferences: {price: {importance: 1, values: {low: 1.0, high: 0.5}}}
    ... ''')
    >>> @settings(max_examples=30)
    ... @given(variations(s, values=0.3, reservation=0.1))
    ... def test_buyer_still_accepts_high(v):
    ...     assert ng.is_acceptable(v, "buyer", {"price": "high"})
    >>> test_buyer_still_accepts_high()

    Examples shrink toward the scenario itself.
    """
    if not _is_strategy(scenario) and not isinstance(scenario, Scenario):
        raise InvalidArgument(
            f"scenario={scenario!r} must be a Scenario (or a strategy of scenarios); "
            "pass e.g. scenario=ng.load(path)"
        )
    knobs: dict[str, Any] = {
        "importance": importance, "values": values, "reservation": reservation,
        "drop_inferred": drop_inferred, "max_dropped": max_dropped, "step": step,
    }
    _check_variation_knobs(knobs)
    return _variations(scenario, knobs)
