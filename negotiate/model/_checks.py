"""Cross-reference checks of a scenario (ids used in preferences, rules, proposals)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from negotiate.model._base import _close
from negotiate.model.issue import Issue
from negotiate.rules import Compare, Member, comparisons

if TYPE_CHECKING:
    from negotiate.model.scenario import Scenario


def _unknown_option(issue: Issue, option: object) -> str:
    hint = _close(str(option), issue.option_ids)
    return f"unknown option {option!r} of issue '{issue.id}'" + (
        hint or f"; expected one of {', '.join(issue.option_ids)}"
    )


def _reference_problems(s: Scenario) -> list[tuple[str, str]]:
    """Every cross-reference problem of a scenario, as (location, message)."""
    problems: list[tuple[str, str]] = []
    issues = {issue.id: issue for issue in s.issues}
    source_ids = {source.id for source in s.sources}

    def duplicates(kind: str, where: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for k, i in enumerate(ids):
            if i in seen:
                problems.append((f"{where}[{k}].id", f"duplicate {kind} id '{i}'"))
            seen.add(i)

    duplicates("issue", "issues", [i.id for i in s.issues])
    duplicates("party", "parties", [p.id for p in s.parties])
    duplicates("source", "sources", [x.id for x in s.sources])
    duplicates("proposal", "proposals", [p.id for p in s.proposals])
    seen_red: dict[str, str] = {}

    def check_sources(where: str, cited: Iterable[str]) -> None:
        for k, source in enumerate(cited):
            if source not in source_ids:
                problems.append(
                    (f"{where}.sources[{k}]",
                     f"unknown source '{source}'{_close(source, source_ids)}"
                     + ("" if source_ids else "; the scenario lists no sources"))
                )

    for p, party in enumerate(s.parties):
        at = f"parties[{p}]"
        for issue_id, pref in party.preferences.items():
            where = f"{at}.preferences.{issue_id}"
            issue = issues.get(issue_id)
            if issue is None:
                problems.append((where, f"unknown issue '{issue_id}'{_close(issue_id, issues)}"))
                continue
            for option in pref.values or {}:
                if option not in issue.option_ids:
                    problems.append((f"{where}.values", _unknown_option(issue, option)))
            if pref.ranking is not None:
                for option in pref.ranking:
                    if option not in issue.option_ids:
                        problems.append((f"{where}.ranking", _unknown_option(issue, option)))
                if sorted(pref.ranking) != sorted(issue.option_ids) and all(
                    o in issue.option_ids for o in pref.ranking
                ):
                    missing = [o for o in issue.option_ids if o not in pref.ranking]
                    repeated = sorted({o for o in pref.ranking if pref.ranking.count(o) > 1})
                    detail = (
                        f"missing {', '.join(missing)}" if missing else
                        f"repeats {', '.join(repeated)}"
                    )
                    problems.append(
                        (f"{where}.ranking",
                         f"a ranking must list every option of '{issue_id}' exactly once "
                         f"({detail}); use 'values' to leave options at 0")
                    )
        if party.preferences and not any(
            pref.importance > 0 for pref in party.preferences.values()
        ):
            problems.append(
                (f"{at}.preferences",
                 "all importances are 0; give at least one issue a positive importance "
                 "(or leave preferences out)")
            )
        for r, red_line in enumerate(party.red_lines):
            where = f"{at}.red_lines[{r}]"
            if red_line.id in seen_red:
                problems.append(
                    (f"{where}.id",
                     f"duplicate red line id '{red_line.id}' (also used by party "
                     f"'{seen_red[red_line.id]}'); red line ids are unique in the scenario")
                )
            seen_red.setdefault(red_line.id, party.id)
            check_sources(where, red_line.sources)
            for node in comparisons(red_line.rule):
                problems.extend(_check_comparison(f"{where}.rule", red_line.id, node, issues))
    for k, constraint in enumerate(s.constraints):
        where = f"constraints[{k}]"
        if constraint.id in seen_red:
            problems.append(
                (f"{where}.id",
                 f"duplicate id '{constraint.id}' (also a red line of party "
                 f"'{seen_red[constraint.id]}'); constraint and red line ids are unique "
                 "in the scenario")
            )
        seen_red.setdefault(constraint.id, "(constraint)")
        check_sources(where, constraint.sources)
        for node in comparisons(constraint.rule):
            problems.extend(_check_comparison(f"{where}.rule", constraint.id, node, issues))
    for k, proposal in enumerate(s.proposals):
        where = f"proposals[{k}]"
        check_sources(where, proposal.sources)
        for issue_id, option in proposal.terms.items():
            issue = issues.get(issue_id)
            if issue is None:
                problems.append(
                    (f"{where}.terms", f"unknown issue '{issue_id}'{_close(issue_id, issues)}")
                )
            elif option not in issue.option_ids:
                problems.append((f"{where}.terms.{issue_id}", _unknown_option(issue, option)))
    for issue_id, option in (s.status_quo or {}).items():
        issue = issues.get(issue_id)
        if issue is None:
            problems.append(("status_quo", f"unknown issue '{issue_id}'{_close(issue_id, issues)}"))
        elif option not in issue.option_ids:
            problems.append((f"status_quo.{issue_id}", _unknown_option(issue, option)))
    return problems


def _check_comparison(
    where: str, red_line_id: str, node: Compare | Member, issues: Mapping[str, Issue]
) -> list[tuple[str, str]]:
    issue = issues.get(node.issue)
    if issue is None:
        return [(where, f"unknown issue '{node.issue}' in red line {red_line_id}"
                 f"{_close(node.issue, issues)}")]
    problems = []
    options = (node.option,) if isinstance(node, Compare) else node.options
    for option in options:
        if option not in issue.option_ids:
            problems.append((where, f"in red line {red_line_id}: {_unknown_option(issue, option)}"))
    if isinstance(node, Compare) and node.op in ("<", "<=", ">", ">=") and not issue.ordered:
        problems.append(
            (where,
             f"in red line {red_line_id}: '{node.op}' compares options of issue '{issue.id}', "
             "which is not ordered; use ==, != or 'in {...}', or mark the issue 'ordered: true'")
        )
    return problems
