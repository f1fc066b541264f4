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

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from negotiate.model import Issue, Outcome, Party, RedLine, Scenario
from negotiate.rules import Rule, render
from negotiate.testing._build import (
    STANCES,
    draw_details,
    draw_issue,
    draw_party,
    draw_scoped_rule,
    idents,
    names,
    party_id,
    plant_conflict,
)
from negotiate.testing._checks import (
    check_bool,
    check_int,
    check_issue_list,
    check_outcome,
    check_range,
    is_strategy,
    resolve,
)
from negotiate.testing._outcomes import outcomes
from negotiate.testing._variations import variations

__all__ = [
    "issues",
    "outcomes",
    "parties",
    "red_lines",
    "rules",
    "scenarios",
    "variations",
]


# -- rules ---------------------------------------------------------------------------------


@st.composite
def _rules(
    draw: DrawFn, issues: Any, texts: Any, max_depth: Any, max_issues: Any,
    holds_at: Any, fails_at: Any,
) -> Rule | str:
    issue_list = (
        tuple(draw_issue(draw, f"i{k}", 2, 4, None) for k in range(draw(st.integers(1, 3))))
        if issues is None else check_issue_list("issues", resolve(draw, issues))
    )
    texts = resolve(draw, texts)
    max_depth = resolve(draw, max_depth)
    max_issues = resolve(draw, max_issues)
    check_bool("texts", texts)
    check_int("max_depth", max_depth, 1)
    check_int("max_issues", max_issues, 1)
    at, target = None, None
    if holds_at is not None:
        at, target = check_outcome("holds_at", resolve(draw, holds_at), issue_list), True
    if fails_at is not None:
        at, target = check_outcome("fails_at", resolve(draw, fails_at), issue_list), False
    rule = draw_scoped_rule(draw, issue_list, max_issues, max_depth, at, target)
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
    if issues is not None and not is_strategy(issues):
        issues = check_issue_list("issues", issues)
    check_bool("texts", texts)
    check_int("max_depth", max_depth, 1)
    check_int("max_issues", max_issues, 1)
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
            if value is not None and not is_strategy(value):
                check_outcome(name, value, issues)
    return _rules(issues, texts, max_depth, max_issues, holds_at, fails_at)


# -- issues, red lines, parties ------------------------------------------------------------


@st.composite
def _issues(draw: DrawFn, id: Any, min_options: Any, max_options: Any, ordered: Any) -> Issue:
    issue_id = resolve(draw, id) if id is not None else draw(names())
    min_options = resolve(draw, min_options)
    max_options = resolve(draw, max_options)
    ordered = resolve(draw, ordered)
    check_int("min_options", min_options, 1)
    check_int("max_options", max_options, 1)
    check_range("min_options", min_options, "max_options", max_options)
    check_bool("ordered", ordered, optional=True)
    return draw_issue(draw, issue_id, min_options, max_options, ordered)


def issues(
    *,
    id: str | SearchStrategy[str] | None = None,
    min_options: int | SearchStrategy[int] = 2,
    max_options: int | SearchStrategy[int] = 4,
    ordered: bool | SearchStrategy[bool | None] | None = None,
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
    if id is not None and not is_strategy(id) and not isinstance(id, str):
        raise InvalidArgument(f"id={id!r} must be a str; pass e.g. id='tariff'")
    check_int("min_options", min_options, 1)
    check_int("max_options", max_options, 1)
    check_range("min_options", min_options, "max_options", max_options)
    check_bool("ordered", ordered, optional=True)
    return _issues(id, min_options, max_options, ordered)


@st.composite
def _red_lines(
    draw: DrawFn, issues: Any, id: Any, stance: Any, max_depth: Any, max_issues: Any,
    holds_at: Any, fails_at: Any,
) -> RedLine:
    rule = draw(rules(issues, max_depth=max_depth, max_issues=max_issues, holds_at=holds_at,
                      fails_at=fails_at))
    red_line_id = resolve(draw, id) if id is not None else draw(idents())
    stance = resolve(draw, stance) if stance is not None else draw(st.sampled_from(STANCES))
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
    if id is not None and not is_strategy(id) and not isinstance(id, str):
        raise InvalidArgument(f"id={id!r} must be a str; pass e.g. id='a-no-high'")
    if stance is not None and not is_strategy(stance) and stance not in STANCES:
        raise InvalidArgument(
            f"stance={stance!r} must be one of {STANCES}; pass e.g. stance='inferred'"
        )
    return _red_lines(issues, id, stance, max_depth, max_issues, holds_at, fails_at)


@st.composite
def _parties(
    draw: DrawFn, issues: Any, id: Any, max_red_lines: Any, max_rule_issues: Any,
    max_rule_depth: Any, reservation: Any, accepts: Any,
) -> Party:
    issue_list = (
        tuple(draw_issue(draw, f"i{k}", 2, 4, None) for k in range(draw(st.integers(1, 3))))
        if issues is None else check_issue_list("issues", resolve(draw, issues))
    )
    pid = resolve(draw, id) if id is not None else draw(idents())
    knobs = {
        "max_red_lines": resolve(draw, max_red_lines),
        "max_rule_issues": resolve(draw, max_rule_issues),
        "max_rule_depth": resolve(draw, max_rule_depth),
    }
    check_int("max_red_lines", knobs["max_red_lines"], 0)
    check_int("max_rule_issues", knobs["max_rule_issues"], 1)
    check_int("max_rule_depth", knobs["max_rule_depth"], 1)
    reservation = resolve(draw, reservation)
    check_bool("reservation", reservation)
    at = None if accepts is None else check_outcome(
        "accepts", resolve(draw, accepts), issue_list
    )
    data = draw_party(draw, issue_list, pid, reservation=reservation, accepts=at, **knobs)
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
) -> SearchStrategy[Party]:
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
    if issues is not None and not is_strategy(issues):
        issues = check_issue_list("issues", issues)
    if id is not None and not is_strategy(id) and not isinstance(id, str):
        raise InvalidArgument(f"id={id!r} must be a str; pass e.g. id='A'")
    check_int("max_red_lines", max_red_lines, 0)
    check_int("max_rule_issues", max_rule_issues, 1)
    check_int("max_rule_depth", max_rule_depth, 1)
    check_bool("reservation", reservation)
    if accepts is not None:
        if issues is None:
            raise InvalidArgument(
                "accepts names an outcome, so the issues must be known; pass issues=..."
            )
        if isinstance(issues, tuple) and not is_strategy(accepts):
            check_outcome("accepts", accepts, issues)
    return _parties(issues, id, max_red_lines, max_rule_issues, max_rule_depth, reservation,
                    accepts)


# -- scenarios ---------------------------------------------------------------------------------


_SCENARIO_KNOBS = ("min_issues", "max_issues", "min_options", "max_options", "min_parties",
                   "max_parties", "max_red_lines", "max_rule_issues", "max_rule_depth")
_KNOB_MINIMUM = {"max_red_lines": 0}


def _check_scenario_knobs(knobs: Mapping[str, Any]) -> None:
    for name in _SCENARIO_KNOBS:
        check_int(name, knobs[name], _KNOB_MINIMUM.get(name, 1))
    for what in ("issues", "options", "parties"):
        check_range(f"min_{what}", knobs[f"min_{what}"], f"max_{what}", knobs[f"max_{what}"])
    check_bool("ordered", knobs["ordered"], optional=True)
    check_bool("feasible", knobs["feasible"], optional=True)
    check_bool("reservations", knobs["reservations"])
    check_bool("details", knobs["details"])
    check_bool("random_ids", knobs["random_ids"])


@st.composite
def _scenarios(draw: DrawFn, knobs: Mapping[str, Any]) -> Scenario:
    k = {name: resolve(draw, value) for name, value in knobs.items()}
    _check_scenario_knobs(k)
    details: bool = k["details"]
    random_ids: bool = k["random_ids"]
    n_issues = draw(st.integers(k["min_issues"], k["max_issues"]))
    issue_ids = (
        draw(st.lists(names(), min_size=n_issues, max_size=n_issues, unique=True))
        if random_ids else [f"i{n}" for n in range(n_issues)]
    )
    issue_list = [
        draw_issue(draw, issue_id, k["min_options"], k["max_options"], k["ordered"], details,
                   random_ids)
        for issue_id in issue_ids
    ]
    feasible: bool | None = k["feasible"]
    planted = None
    if feasible:
        planted = Outcome({i.id: draw(st.sampled_from(i.option_ids)) for i in issue_list})
    source_ids = [f"s{n}" for n in range(draw(st.integers(0, 2)))] if details else []
    n_parties = draw(st.integers(k["min_parties"], k["max_parties"]))
    party_ids = (
        draw(st.lists(idents(), min_size=n_parties, max_size=n_parties, unique=True))
        if random_ids else [party_id(n) for n in range(n_parties)]
    )
    parties_data = [
        draw_party(
            draw, issue_list, pid, max_red_lines=k["max_red_lines"],
            max_rule_issues=k["max_rule_issues"], max_rule_depth=k["max_rule_depth"],
            reservation=k["reservations"], accepts=planted, sources=source_ids,
            details=details,
        )
        for pid in party_ids
    ]
    if feasible is False:
        plant_conflict(draw, issue_list, parties_data, k["max_rule_issues"],
                        k["max_rule_depth"])
    data: dict[str, Any] = {
        "format": 1,
        "id": draw(idents()) if random_ids else "generated",
        "issues": issue_list,
        "parties": parties_data,
    }
    if details:
        draw_details(draw, data, issue_list, source_ids)
    return Scenario.model_validate(data)


def scenarios(
    *,
    min_issues: int | SearchStrategy[int] = 1,
    max_issues: int | SearchStrategy[int] = 4,
    min_options: int | SearchStrategy[int] = 2,
    max_options: int | SearchStrategy[int] = 4,
    min_parties: int | SearchStrategy[int] = 1,
    max_parties: int | SearchStrategy[int] = 4,
    ordered: bool | SearchStrategy[bool | None] | None = None,
    feasible: bool | SearchStrategy[bool | None] | None = None,
    max_red_lines: int | SearchStrategy[int] = 3,
    max_rule_issues: int | SearchStrategy[int] = 2,
    max_rule_depth: int | SearchStrategy[int] = 3,
    reservations: bool | SearchStrategy[bool] = True,
    details: bool | SearchStrategy[bool] = False,
    random_ids: bool | SearchStrategy[bool] = False,
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
    random_ids : bool
        Draw the scenario, issue, option and party ids (any valid id, such as
        ``x_1`` or ``0e5``) instead of ``generated``, ``i0``, ``a``, ``A``.
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
        "reservations": reservations, "details": details, "random_ids": random_ids,
    }
    _check_scenario_knobs(knobs)
    return _scenarios(knobs)
