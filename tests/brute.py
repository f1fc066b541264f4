"""A plain brute-force reference for the engines, for tests only.

Independent of negotiate.space and the solvers: walks every outcome with
itertools.product, evaluates rules with negotiate.rules.evaluate and
utilities with exact fractions from the model. Only for small scenarios.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from negotiate.model import Outcome, Scenario
from negotiate.rules import evaluate

TOL = Fraction(1, 10**9)
MAX_OUTCOMES = 200_000


def _exact(x: float) -> Fraction:
    return Fraction(Decimal(repr(float(x))))


def outcomes(s: Scenario) -> Iterator[Outcome]:
    """Every coherent outcome (obeying every coherence constraint), lexicographic in
    issue order (last issue fastest)."""
    assert s.outcome_count <= MAX_OUTCOMES, "brute force is for small scenarios"
    ids = [i.id for i in s.issues]
    for combo in itertools.product(*(i.option_ids for i in s.issues)):
        outcome = Outcome(dict(zip(ids, combo, strict=True)))
        if coherent(s, outcome):
            yield outcome


def coherent(s: Scenario, outcome: Outcome) -> bool:
    """Whether an outcome obeys every coherence constraint of the scenario."""
    order = option_order(s)
    return all(evaluate(k.rule, outcome, order) for k in s.constraints)


def with_constraints(data: dict[str, Any], rules: list[str]) -> Scenario:
    """The scenario of ``data`` with coherence constraints ``k0, k1, ...`` of the given rules,
    or without any when together they admit no outcome (an incoherent scenario is an
    error, tested on its own)."""
    from negotiate.io import validate

    if rules:
        s = validate({**data, "constraints": [
            {"id": f"k{n}", "rule": rule} for n, rule in enumerate(rules)
        ]})
        if next(outcomes(s), None) is not None:
            return s
    return validate(data)


def utility(s: Scenario, party_id: str, outcome: Outcome) -> Fraction:
    """Exact normalised utility."""
    party = s.party(party_id)
    total = sum((_exact(p.importance) for p in party.preferences.values()), Fraction(0))
    if total == 0:
        return Fraction(0)
    acc = Fraction(0)
    for issue in s.issues:
        pref = party.preferences.get(issue.id)
        if pref is None:
            continue
        option = outcome[issue.id]
        if pref.values is not None:
            value = _exact(pref.values.get(option, 0.0))
        else:
            assert pref.ranking is not None
            n = len(pref.ranking)
            value = Fraction(1) if n == 1 else Fraction(n - 1 - pref.ranking.index(option), n - 1)
        acc += _exact(pref.importance) * value
    return acc / total


def option_order(s: Scenario) -> dict[str, tuple[str, ...]]:
    return {i.id: i.option_ids for i in s.issues}


def red_line_holds(s: Scenario, red_line_id: str, outcome: Outcome) -> bool:
    _, red_line = s.red_line(red_line_id)
    return evaluate(red_line.rule, outcome, option_order(s))


def constraint_holds(s: Scenario, constraint_id: str, outcome: Outcome) -> bool:
    """A red line id or '<party>:reservation'."""
    if constraint_id.endswith(":reservation"):
        party = s.party(constraint_id.removesuffix(":reservation"))
        return utility(s, party.id, outcome) >= _exact(party.reservation) - TOL
    return red_line_holds(s, constraint_id, outcome)


def constraint_ids(s: Scenario) -> list[str]:
    """All red-line ids, then every party's reservation constraint."""
    return [r.id for p in s.parties for r in p.red_lines] + [
        f"{p.id}:reservation" for p in s.parties
    ]


def acceptable(s: Scenario, party_id: str, outcome: Outcome) -> bool:
    party = s.party(party_id)
    return all(constraint_holds(s, r.id, outcome) for r in party.red_lines) and (
        constraint_holds(s, f"{party.id}:reservation", outcome)
    )


def zone(s: Scenario) -> list[Outcome]:
    """The agreement zone, in lexicographic order."""
    return [o for o in outcomes(s) if all(acceptable(s, p.id, o) for p in s.parties)]


def feasible(s: Scenario, constraints: list[str] | set[str] | tuple[str, ...]) -> bool:
    """Whether some outcome satisfies every listed constraint."""
    return any(all(constraint_holds(s, c, o) for c in constraints) for o in outcomes(s))


def pareto(s: Scenario) -> list[tuple[Outcome, tuple[Fraction, ...]]]:
    """Undominated zone outcomes with their exact utility vectors."""
    points = [(o, tuple(utility(s, p.id, o) for p in s.parties)) for o in zone(s)]

    def dominates(a: tuple[Fraction, ...], b: tuple[Fraction, ...]) -> bool:
        return all(x >= y for x, y in zip(a, b, strict=True)) and a != b

    return [(o, u) for o, u in points if not any(dominates(v, u) for _, v in points)]


def count(s: Scenario) -> int:
    return len(zone(s))


def product_size(s: Scenario) -> int:
    return math.prod(len(i.options) for i in s.issues)
