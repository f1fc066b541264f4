"""Drawing helpers behind the strategies (private): issues, rules, parties, conflicts.

Everything is built valid by construction; see :mod:`negotiate.testing.strategies`
for the public strategies and the grids the numbers lie on.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from negotiate.model import Issue, Outcome
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
)

#: Option values and reservations are multiples of 1/GRID (0.05).
GRID = 20
#: Importances are integers in this range.
IMPORTANCE_RANGE = (1, 5)
#: The stances a red line can have.
STANCES: tuple[str, ...] = ("stated", "reported", "inferred")

LETTERS = "abcdefghijklmnopqrstuvwxyz"
NAME_ALPHABET = LETTERS + "0123456789_"
IDENT_ALPHABET = NAME_ALPHABET + "-."
ORDERED_OPS: tuple[CompareOp, ...] = ("<", "<=", ">", ">=")
#: Free text (titles, notes): any characters but lone surrogates (not encodable as UTF-8).
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)


def option_id(k: int) -> str:
    return LETTERS[k] if k < len(LETTERS) else f"o{k}"


def party_id(k: int) -> str:
    return LETTERS[k].upper() if k < len(LETTERS) else f"P{k}"


def not_reserved(text: str) -> str:
    return text + "_" if text in RESERVED_WORDS else text


def names() -> SearchStrategy[str]:
    """Issue/option ids: letters, digits and ``_``; never a reserved word."""
    return st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=8).map(not_reserved)


def idents() -> SearchStrategy[str]:
    """Party, red-line, source and proposal ids (may also contain ``-`` and ``.``)."""
    return st.text(alphabet=IDENT_ALPHABET, min_size=1, max_size=8)


def exact(x: float) -> Fraction:
    return Fraction(Decimal(repr(float(x))))


def draw_issue(
    draw: DrawFn, issue_id: str, min_options: int, max_options: int, ordered: bool | None,
    details: bool = False, random_ids: bool = False,
) -> Issue:
    n = draw(st.integers(min_options, max_options))
    is_ordered = draw(st.booleans()) if ordered is None else ordered
    ids = (draw(st.lists(names(), min_size=n, max_size=n, unique=True)) if random_ids
           else [option_id(k) for k in range(n)])
    data: dict[str, Any] = {"id": issue_id, "ordered": is_ordered}
    if details:
        data["title"] = draw(TEXT)
        data["description"] = draw(TEXT)
        data["options"] = [{"id": option, "title": draw(TEXT)} for option in ids]
    else:
        data["options"] = ids
    return Issue.model_validate(data)


def compare_holds(op: str, chosen: int, option: int) -> bool:
    return {
        "==": chosen == option,
        "!=": chosen != option,
        "<": chosen < option,
        "<=": chosen <= option,
        ">": chosen > option,
        ">=": chosen >= option,
    }[op]


def draw_compare(
    draw: DrawFn, issue: Issue, at: Outcome | None, target: bool | None
) -> Compare:
    ops: tuple[CompareOp, ...] = ("==", "!=") + (ORDERED_OPS if issue.ordered else ())
    op: CompareOp = draw(st.sampled_from(ops))
    options = issue.option_ids
    if at is None or target is None:
        return Compare(issue=issue.id, op=op, option=draw(st.sampled_from(options)))
    chosen = options.index(at[issue.id])
    fits = [o for k, o in enumerate(options) if compare_holds(op, chosen, k) == target]
    if not fits:  # e.g. "x < ?" is never true at the lowest option: fall back to ==/!=
        return Compare(issue=issue.id, op="==" if target else "!=", option=at[issue.id])
    return Compare(issue=issue.id, op=op, option=draw(st.sampled_from(fits)))


def draw_subset(draw: DrawFn, options: Sequence[str], *, min_size: int) -> list[str]:
    if not options:
        return []
    picked = draw(
        st.lists(st.sampled_from(range(len(options))), min_size=min_size,
                 max_size=len(options), unique=True)
    )
    return [options[k] for k in sorted(picked)]


def draw_member(
    draw: DrawFn, issue: Issue, at: Outcome | None, target: bool | None
) -> Member:
    negated = draw(st.booleans())
    options = issue.option_ids
    if at is None or target is None:
        return Member(issue=issue.id, options=tuple(draw_subset(draw, options, min_size=1)),
                      negated=negated)
    chosen = at[issue.id]
    others = [o for o in options if o != chosen]
    need_in = target != negated  # membership that makes the node evaluate to target
    if not need_in and not others:  # a one-option issue: the set must hold the option
        negated, need_in = not negated, True
    if need_in:
        rest = draw_subset(draw, others, min_size=0)
        chosen_set = [o for o in options if o == chosen or o in rest]
    else:
        chosen_set = draw_subset(draw, others, min_size=1)
    return Member(issue=issue.id, options=tuple(chosen_set), negated=negated)


def draw_rule(
    draw: DrawFn, issues: Sequence[Issue], depth: int, at: Outcome | None, target: bool | None
) -> Rule:
    """A random rule over ``issues``; when ``at`` and ``target`` are given, the rule
    evaluates to ``target`` at the outcome ``at`` (built so, never filtered)."""
    if depth <= 1 or not draw(st.booleans()):
        kind = draw(st.integers(0, 19))  # shrinks to a comparison; constants are rare
        issue = draw(st.sampled_from(issues))
        if kind <= 11:
            return draw_compare(draw, issue, at, target)
        if kind <= 18:
            return draw_member(draw, issue, at, target)
        return Const(value=draw(st.booleans()) if target is None else target)
    node = draw(st.sampled_from(("and", "or", "not", "implies")))

    def sub(goal: bool | None) -> Rule:
        return draw_rule(draw, issues, depth - 1, at, goal)

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


def draw_scoped_rule(
    draw: DrawFn, issues: Sequence[Issue], max_issues: int, max_depth: int,
    at: Outcome | None, target: bool | None,
) -> Rule:
    picked = draw(
        st.lists(st.sampled_from(range(len(issues))), min_size=1,
                 max_size=min(max_issues, len(issues)), unique=True)
    )
    chosen = [issues[k] for k in sorted(picked)]
    depth = draw(st.integers(1, max_depth))
    return draw_rule(draw, chosen, depth, at, target)


def draw_red_line(
    draw: DrawFn, issue_list: Sequence[Issue], red_line_id: str, *, stance: str | None,
    max_issues: int, max_depth: int, at: Outcome | None, target: bool | None,
    sources: Sequence[str] = (), details: bool = False,
) -> dict[str, Any]:
    rule = draw_scoped_rule(draw, issue_list, max_issues, max_depth, at, target)
    data: dict[str, Any] = {
        "id": red_line_id,
        "rule": rule,
        "stance": stance if stance is not None else draw(st.sampled_from(STANCES)),
    }
    if details:
        data["sources"] = draw_subset(draw, sources, min_size=0)
        data["note"] = draw(TEXT)
        data["cost"] = draw(st.sampled_from((1.0, 0.5, 2.0, 3.0)))
    return data


def value_fractions(pref: Mapping[str, Any], issue: Issue) -> list[Fraction]:
    """Exact value of each option (listed order) for a preference given as plain data."""
    if pref.get("values") is not None:
        return [exact(pref["values"].get(o, 0.0)) for o in issue.option_ids]
    ranking = list(pref["ranking"])
    n = len(ranking)
    return [Fraction(1) if n == 1 else Fraction(n - 1 - ranking.index(o), n - 1)
            for o in issue.option_ids]


def exact_utility(
    prefs: Mapping[str, Mapping[str, Any]], issue_list: Sequence[Issue],
    choose: Mapping[str, Sequence[str]],
) -> Fraction:
    """Best exact utility when each issue's option is limited to ``choose[issue]``."""
    total = sum((exact(p["importance"]) for p in prefs.values()), Fraction(0))
    if total == 0:
        return Fraction(0)
    acc = Fraction(0)
    for issue in issue_list:
        pref = prefs.get(issue.id)
        if pref is None:
            continue
        values = value_fractions(pref, issue)
        acc += exact(pref["importance"]) * max(
            values[issue.option_ids.index(o)] for o in choose[issue.id]
        )
    return acc / total


def draw_preferences(draw: DrawFn, issue_list: Sequence[Issue]) -> dict[str, dict[str, Any]]:
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


def draw_party(
    draw: DrawFn, issue_list: Sequence[Issue], party_id: str, *, max_red_lines: int,
    max_rule_issues: int, max_rule_depth: int, reservation: bool, accepts: Outcome | None,
    sources: Sequence[str] = (), details: bool = False,
) -> dict[str, Any]:
    """A party as plain data; when ``accepts`` is given, the party accepts that outcome."""
    prefs = draw_preferences(draw, issue_list)
    n_red = draw(st.integers(0, max_red_lines))
    red = [
        draw_red_line(
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
            u = exact_utility(prefs, issue_list, {k: (v,) for k, v in accepts.items()})
            top = math.floor(u * GRID)
        data["reservation"] = draw(st.integers(0, top)) / GRID
    if details:
        data["name"] = draw(TEXT)
        data["power"] = draw(st.sampled_from((1.0, 0.5, 2.0, 1.5)))
        data["reservation_cost"] = draw(st.sampled_from((1.0, 0.5, 2.0)))
    return data


def negation(draw: DrawFn, parts: Sequence[Rule]) -> Rule:
    """A rule that contradicts the conjunction of ``parts`` (so all cannot hold together)."""
    if len(parts) == 1:
        return Not(operand=parts[0])
    form = draw(st.integers(0, 2))
    if form == 0:
        return Not(operand=And(operands=tuple(parts)))
    if form == 1:
        return Implies(left=parts[0], right=Not(operand=parts[1]))
    return Or(operands=tuple(Not(operand=p) for p in parts))


def plant_conflict(
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
    if kind == "reservation" and plant_reservation_conflict(draw, issue_list, parties_data, add):
        return
    # Red lines R1 (.., R2) held by some parties and "not (R1 and R2)" by another.
    parts = [
        draw_scoped_rule(draw, issue_list, max_rule_issues, max_rule_depth, None, None)
        for _ in range(draw(st.integers(1, 2)))
    ]
    for part in parts:
        add(parties_data[draw(st.integers(0, len(parties_data) - 1))], part)
    add(parties_data[draw(st.integers(0, len(parties_data) - 1))], negation(draw, parts))


def plant_reservation_conflict(
    draw: DrawFn, issue_list: Sequence[Issue], parties_data: list[dict[str, Any]], add: Any,
) -> bool:
    """Raise one party's reservation above the best utility it can get (after, if need
    be, a red line that rules out its best option on one issue). False if impossible."""
    p = draw(st.integers(0, len(parties_data) - 1))
    party = parties_data[p]
    prefs = party["preferences"]
    allowed = {issue.id: issue.option_ids for issue in issue_list}
    best = exact_utility(prefs, issue_list, allowed)
    if best == 0:
        return False  # (utility 0 everywhere: a conflict, but not an instructive one)
    if best == 1:
        # Find an issue that matters, with an option worth less than the best one.
        candidates = []
        for issue in issue_list:
            pref = prefs.get(issue.id)
            if pref is None or pref["importance"] == 0:
                continue
            values = value_fractions(pref, issue)
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
        best = exact_utility(prefs, issue_list, allowed)
    reservation = Fraction(math.floor(best * GRID) + 1, GRID)
    if reservation > 1 or reservation - best <= Fraction(2, 10**9):
        return False  # (cannot happen with the grids used here; kept for safety)
    party["reservation"] = float(reservation)
    return True


def draw_details(
    draw: DrawFn, data: dict[str, Any], issue_list: Sequence[Issue], source_ids: Sequence[str]
) -> None:
    data["title"] = draw(TEXT)
    data["description"] = draw(TEXT)
    if draw(st.booleans()):
        data["as_of"] = draw(st.dates(_dt.date(1900, 1, 1), _dt.date(2100, 12, 31)))
    data["sources"] = [
        {"id": sid, "title": draw(TEXT), "publisher": draw(TEXT),
         "date": draw(st.none() | st.dates(_dt.date(1900, 1, 1), _dt.date(2100, 12, 31))),
         "url": draw(st.sampled_from(("", "https://example.org/a", "https://example.org/b?x=1")))}
        for sid in source_ids
    ]

    def partial_terms() -> dict[str, str]:
        chosen = draw_subset(draw, [i.id for i in issue_list], min_size=0)
        return {i.id: draw(st.sampled_from(i.option_ids)) for i in issue_list if i.id in chosen}

    data["proposals"] = [
        {"id": f"p{k}", "title": draw(TEXT), "terms": partial_terms(),
         "sources": draw_subset(draw, source_ids, min_size=0), "note": draw(TEXT)}
        for k in range(draw(st.integers(0, 2)))
    ]
    if draw(st.booleans()):
        data["status_quo"] = partial_terms()
