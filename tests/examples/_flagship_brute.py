"""Brute-force helpers for the flagship tests, independent of the engines.

The outcome space of the flagship files (3.5 billion outcomes) is far too big to walk, so the
brute force works per block of linked issues: red lines (and coherence constraints) that read no
common issue cannot conflict with each other. Coherence constraints are hard filters: a local
outcome breaking one is never counted, whatever is relaxed.

``at_level`` filters a scenario by evidence level (the stances its red lines keep).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import negotiate as ng
from negotiate.analysis import relax
from negotiate.model import Outcome, Scenario
from negotiate.rules import evaluate, issues_of
from tests import brute

LEVELS: dict[str, frozenset[str]] = {
    "stated": frozenset({"stated"}),
    "reported": frozenset({"stated", "reported"}),
    "all": frozenset({"stated", "reported", "inferred"}),
}
"""Evidence level -> the stances of the red lines kept at that level."""


def red_line_ids(s: Scenario) -> list[str]:
    return [r.id for p in s.parties for r in p.red_lines]


def reservation_ids(s: Scenario) -> list[str]:
    return [f"{p.id}:reservation" for p in s.parties]


def at_level(s: Scenario, level: str) -> Scenario:
    """s with only the red lines whose stance the evidence level keeps (constraints stay)."""
    keep = LEVELS[level]
    return relax(s, [r.id for p in s.parties for r in p.red_lines if r.stance not in keep])


@functools.cache
def load(path: Path, level: str = "all") -> Scenario:
    return at_level(ng.load(path), level)


def blocks(s: Scenario) -> list[tuple[list[str], list[str], list[str]]]:
    """(issues, red-line ids, constraint ids) per block of issues linked by a rule."""
    parent = {i.id: i.id for i in s.issues}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    scopes = {r.id: issues_of(r.rule) for p in s.parties for r in p.red_lines}
    kept = {c.id: issues_of(c.rule) for c in s.constraints}
    for scope in [*scopes.values(), *kept.values()]:
        for other in scope[1:]:
            parent[find(other)] = find(scope[0])
    grouped: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for issue in s.issues:
        grouped.setdefault(find(issue.id), ([], [], []))[0].append(issue.id)
    for red_line, scope in scopes.items():
        grouped[find(scope[0])][1].append(red_line)
    for constraint, scope in kept.items():
        grouped[find(scope[0])][2].append(constraint)
    return [b for b in grouped.values() if b[1]]


Row = tuple[int, float, dict[str, str]]


@functools.cache
def tables(path: Path) -> tuple[tuple[list[str], list[str], list[Row]], ...]:
    """Per block (all red lines of the file): its issues, its red lines, and one row per
    distinct set of red lines met by some local outcome that keeps every coherence constraint:
    the bit mask of that set, the largest summed (normalised) utility over the parties among
    such outcomes, and that outcome. Issues no red line reads get their best option."""
    s = load(path)
    order = brute.option_order(s)
    score = {(i.id, o): 0.0 for i in s.issues for o in i.option_ids}
    for party in s.parties:
        total = sum(pref.importance for pref in party.preferences.values())
        for issue_id, pref in party.preferences.items():
            issue = s.issue(issue_id)
            for option, value in zip(issue.option_ids, pref.value_table(issue), strict=True):
                score[issue_id, option] += pref.importance / total * value
    result = []
    covered: set[str] = set()
    for issues, red_lines, constraints in blocks(s):
        covered.update(issues)
        rules = [s.red_line(r)[1].rule for r in red_lines]
        background = [c.rule for c in s.constraints if c.id in constraints]

        def lookup(
            rule: object, issues: list[str] = issues
        ) -> tuple[list[int], dict[tuple[str, ...], bool]]:
            """A rule as a truth table over its own issues (positions in `issues`)."""
            own = issues_of(rule)  # type: ignore[arg-type]
            table = {
                combo: evaluate(rule, dict(zip(own, combo, strict=True)), order)  # type: ignore[arg-type]
                for combo in itertools.product(*(order[i] for i in own))
            }
            return [issues.index(i) for i in own], table

        keep = [lookup(rule) for rule in background]
        tests = [lookup(rule) for rule in rules]
        best: dict[int, tuple[float, dict[str, str]]] = {}
        for combo in itertools.product(*(order[i] for i in issues)):
            if not all(table[tuple(combo[k] for k in at)] for at, table in keep):
                continue
            mask = 0
            for bit, (at, table) in enumerate(tests):
                if table[tuple(combo[k] for k in at)]:
                    mask |= 1 << bit
            value = sum(score[i, o] for i, o in zip(issues, combo, strict=True))
            if mask not in best or value > best[mask][0]:
                best[mask] = (value, dict(zip(issues, combo, strict=True)))
        rows = [(mask, value, outcome) for mask, (value, outcome) in best.items()]
        result.append((issues, red_lines, rows))
    for issue_id in sorted({i.id for i in s.issues} - covered):
        # Constraints reading only issues no red line reads would need their own table; the
        # flagship files have none (asserted here so a new one cannot slip past the brute force).
        assert not any(issue_id in issues_of(c.rule) for c in s.constraints), issue_id
        best_option = max(s.issue(issue_id).option_ids, key=lambda o: score[issue_id, o])
        result.append(
            ([issue_id], [], [(0, score[issue_id, best_option], {issue_id: best_option})])
        )
    return tuple(result)


def conflicts(path: Path, level: str = "all", max_size: int = 6) -> set[frozenset[str]]:
    """Every minimal set of red lines (of the evidence level) no outcome meets, constraints
    held. Subsets are tried up to `max_size` members; completeness is then proved per block by
    duality: the minimal hitting sets of the conflicts found must be exactly the complements of
    the maximal satisfiable sets (so no larger conflict exists)."""
    stances = LEVELS[level]
    s = load(path)
    found: set[frozenset[str]] = set()
    for _, red_lines, rows in tables(path):
        kept = [k for k, r in enumerate(red_lines) if s.red_line(r)[1].stance in stances]
        if not kept:
            continue
        full = sum(1 << k for k in kept)
        masks = {mask & full for mask, _, _ in rows}
        maximal = [m for m in masks if not any(m != o and m & o == m for o in masks)]

        def feasible(subset: int, maximal: list[int] = maximal) -> bool:
            return any(m & subset == subset for m in maximal)

        here: set[frozenset[str]] = set()
        for size in range(1, min(max_size, len(kept)) + 1):
            for members in itertools.combinations(kept, size):
                subset = sum(1 << k for k in members)
                if not feasible(subset) and all(feasible(subset & ~(1 << k)) for k in members):
                    here.add(frozenset(red_lines[k] for k in members))
        corrections = {frozenset(red_lines[k] for k in kept if not m >> k & 1) for m in maximal}
        assert hitting_sets(here)[0] == corrections, "a conflict larger than max_size exists"
        found |= here
    return found


def witness(path: Path, dropped: Iterable[str], level: str = "all") -> Outcome | None:
    """An outcome meeting every constraint and every red line of the level not dropped,
    chosen block by block for the largest summed utility (the caller checks reservations);
    None if none."""
    dropped = set(dropped)
    s = load(path)
    stances = LEVELS[level]
    choice: dict[str, str] = {}
    for _, red_lines, rows in tables(path):
        need = sum(
            1 << k
            for k, r in enumerate(red_lines)
            if r not in dropped and s.red_line(r)[1].stance in stances
        )
        meeting = [(value, outcome) for mask, value, outcome in rows if mask & need == need]
        if not meeting:
            return None
        choice.update(max(meeting, key=lambda row: row[0])[1])
    return Outcome(choice)


def hitting_sets(
    conflicts: Iterable[frozenset[str]],
) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """(minimal hitting sets, minimum-size hitting sets) of the conflicts, by enumeration."""
    conflicts = list(conflicts)
    if not conflicts:
        return {frozenset()}, {frozenset()}
    universe = sorted(set().union(*conflicts))
    hitting = [
        frozenset(c)
        for n in range(len(universe) + 1)
        for c in itertools.combinations(universe, n)
        if all(conflict & set(c) for conflict in conflicts)
    ]
    minimal = {h for h in hitting if not any(g < h for g in hitting)}
    smallest = min(len(h) for h in minimal)
    return minimal, {h for h in minimal if len(h) == smallest}


def keeps_constraints(s: Scenario, outcome: dict[str, str]) -> bool:
    order = brute.option_order(s)
    return all(evaluate(c.rule, outcome, order) for c in s.constraints)


def completions(
    s: Scenario, terms: dict[str, str], issues: Iterable[str]
) -> Iterator[dict[str, str]]:
    """Every way of settling, within `issues`, what the terms leave open."""
    issues = list(issues)
    open_issues = [i for i in issues if i not in terms]
    order = brute.option_order(s)
    for combo in itertools.product(*(order[i] for i in open_issues)):
        outcome = {i: terms[i] for i in issues if i in terms}
        outcome.update(zip(open_issues, combo, strict=True))
        yield outcome
