"""Cross-reference checks of a scenario: the one place that checks ids used across it.

`reference_problems` reads either a validated `Scenario` or the raw data of a scenario
document (mappings and lists, as parsed from YAML/JSON), so a document with type
mistakes still gets its cross-references checked in the same pass: every problem is
reported at once. On raw data it skips what it cannot read (the type checks report
those) and never guesses: an issue list it cannot read means no "unknown issue".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from negotiate.errors import ScenarioError
from negotiate.model._base import IDENT_PATTERN, NAME_PATTERN, RESERVED_WORDS, Path, _close
from negotiate.rules import Compare, Member, Rule, comparisons, parse

Problems = list[tuple[Path, str]]


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    if isinstance(obj, BaseModel):
        return getattr(obj, name, None)
    return None


def _items(obj: Any) -> list[tuple[int, Any]]:
    return list(enumerate(obj)) if isinstance(obj, list | tuple) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _valid_id(value: Any, pattern: re.Pattern[str]) -> str | None:
    # An id that is not a valid id is reported by the type check; it makes what it
    # names unknown, so nothing is reported as "unknown" because of it.
    return value if isinstance(value, str) and pattern.fullmatch(value) else None


_NAME = re.compile(NAME_PATTERN)
_IDENT = re.compile(IDENT_PATTERN)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


class _Issue:
    """What the checks need of an issue: its id, option ids (None: unreadable), ordered."""

    def __init__(self, raw: Any):
        self.id = _valid_id(_get(raw, "id"), _NAME)
        if self.id in RESERVED_WORDS:
            self.id = None
        options = _get(raw, "options")
        ids = [_text(o) if isinstance(o, str) else _text(_get(o, "id")) for _, o in _items(options)]
        self.options: tuple[str, ...] | None = (
            tuple(i for i in ids if i is not None) if ids and None not in ids else None
        )
        ordered = _get(raw, "ordered")
        self.ordered: bool | None = (
            ordered if isinstance(ordered, bool) else False if ordered is None else None
        )


def unknown_option(issue_id: str, option_ids: Sequence[str], option: object) -> str:
    """The message for an option an issue does not have (with a suggestion)."""
    hint = _close(str(option), option_ids)
    return f"unknown option {option!r} of issue '{issue_id}'" + (
        hint or f"; expected one of {', '.join(dict.fromkeys(option_ids))}"
    )


def _rule(value: Any) -> Rule | None:
    if isinstance(value, str):
        try:
            return parse(value)
        except ScenarioError:
            return None  # the type check reports the syntax error
    return value if isinstance(value, BaseModel) else None  # type: ignore[return-value]


def reference_problems(s: Any) -> Problems:
    """Every cross-reference problem of a scenario (model or raw data), as (path, message)."""
    problems: Problems = []
    raw_issues = _items(_get(s, "issues"))
    issue_list = [_Issue(raw) for _, raw in raw_issues]
    # Only a fully readable issue list can prove an issue unknown.
    issues_known = bool(raw_issues) and all(i.id is not None for i in issue_list)
    issues: dict[str, _Issue] = {}
    for entry in issue_list:  # a duplicate id is reported once; the first issue counts
        if entry.id is not None:
            issues.setdefault(entry.id, entry)
    raw_sources = _items(_get(s, "sources"))
    source_ids = {i for _, x in raw_sources if (i := _valid_id(_get(x, "id"), _IDENT))}
    sources_known = _get(s, "sources") is None or (
        isinstance(_get(s, "sources"), list | tuple) and len(source_ids) == len(raw_sources)
    )

    def duplicates(kind: str, where: str, entries: list[tuple[int, Any]]) -> None:
        seen: set[str] = set()
        for k, entry in entries:
            i = _text(_get(entry, "id"))
            if i is None:
                continue
            if i in seen:
                problems.append(((where, k, "id"), f"duplicate {kind} id '{i}'"))
            seen.add(i)

    duplicates("issue", "issues", raw_issues)
    duplicates("party", "parties", _items(_get(s, "parties")))
    duplicates("source", "sources", raw_sources)
    duplicates("proposal", "proposals", _items(_get(s, "proposals")))

    def check_sources(where: Path, cited: Any) -> None:
        if not sources_known:
            return
        for k, source in _items(cited):
            if isinstance(source, str) and source not in source_ids:
                problems.append(
                    ((*where, "sources", k),
                     f"unknown source '{source}'{_close(source, source_ids)}"
                     + ("" if source_ids else "; the scenario lists no sources"))
                )

    def unknown_issue(where: Path, issue_id: str, suffix: str = "") -> None:
        if issues_known:
            problems.append((where, f"unknown issue '{issue_id}'{suffix}{_close(issue_id, issues)}"))

    def check_rule(where: Path, owner: str, raw_rule: Any) -> None:
        rule = _rule(raw_rule)
        if rule is None:
            return
        for node in comparisons(rule):
            problems.extend(_check_comparison(where, owner, node, issues, issues_known))

    seen_red: dict[str, str] = {}
    for p, party in _items(_get(s, "parties")):
        at: Path = ("parties", p)
        party_id = _text(_get(party, "id")) or f"#{p}"
        preferences = _get(party, "preferences")
        prefs = list(preferences.items()) if isinstance(preferences, Mapping) else []
        for issue_id, pref in prefs:
            where: Path = (*at, "preferences", issue_id)
            issue = issues.get(issue_id)
            if issue is None:
                if isinstance(issue_id, str):
                    unknown_issue(where, issue_id)
                continue
            if issue.options is None:
                continue
            values = _get(pref, "values")
            ranking = _get(pref, "ranking")
            if isinstance(values, Mapping):
                for option in values:
                    if option not in issue.options:
                        problems.append(((*where, "values", option),
                                         unknown_option(issue_id, issue.options, option)))
            elif isinstance(ranking, list | tuple):
                for k, option in enumerate(ranking):
                    if option not in issue.options:
                        problems.append(((*where, "ranking", k),
                                         unknown_option(issue_id, issue.options, option)))
                if sorted(map(str, ranking)) != sorted(issue.options) and all(
                    o in issue.options for o in ranking
                ):
                    missing = [o for o in issue.options if o not in ranking]
                    repeated = sorted({o for o in ranking if list(ranking).count(o) > 1})
                    detail = (
                        f"missing {', '.join(missing)}" if missing else
                        f"repeats {', '.join(repeated)}"
                    )
                    problems.append(
                        ((*where, "ranking"),
                         f"a ranking must list every option of '{issue_id}' exactly once "
                         f"({detail}); use 'values' to leave options at 0")
                    )
        importances = [_number(_get(pref, "importance")) for _, pref in prefs]
        if prefs and all(i is not None and i == 0 for i in importances):
            problems.append(
                ((*at, "preferences"),
                 "all importances are 0; give at least one issue a positive importance "
                 "(or leave preferences out)")
            )
        for r, red_line in _items(_get(party, "red_lines")):
            where = (*at, "red_lines", r)
            red_id = _text(_get(red_line, "id"))
            if red_id is not None:
                if red_id in seen_red:
                    problems.append(
                        ((*where, "id"),
                         f"duplicate red line id '{red_id}' (also used by party "
                         f"'{seen_red[red_id]}'); red line ids are unique in the scenario")
                    )
                seen_red.setdefault(red_id, party_id)
            check_sources(where, _get(red_line, "sources"))
            check_rule((*where, "rule"), f"red line {red_id or '?'}", _get(red_line, "rule"))
    for k, constraint in _items(_get(s, "constraints")):
        where = ("constraints", k)
        cid = _text(_get(constraint, "id"))
        if cid is not None:
            if cid in seen_red:
                problems.append(
                    ((*where, "id"),
                     f"duplicate id '{cid}' (also a red line of party "
                     f"'{seen_red[cid]}'); constraint and red line ids are unique "
                     "in the scenario")
                )
            seen_red.setdefault(cid, "(constraint)")
        check_sources(where, _get(constraint, "sources"))
        check_rule((*where, "rule"), f"constraint {cid or '?'}", _get(constraint, "rule"))
    for k, proposal in _items(_get(s, "proposals")):
        where = ("proposals", k)
        check_sources(where, _get(proposal, "sources"))
        terms = _get(proposal, "terms")
        _check_terms((*where, "terms"), terms, issues, unknown_issue, problems)
    _check_terms(("status_quo",), _get(s, "status_quo"), issues, unknown_issue, problems)
    return problems


def _check_terms(
    where: Path, terms: Any, issues: Mapping[str, _Issue], unknown_issue: Any, problems: Problems
) -> None:
    if not isinstance(terms, Mapping):
        return
    for issue_id, option in terms.items():
        issue = issues.get(issue_id)
        if issue is None:
            if isinstance(issue_id, str):
                unknown_issue((*where, issue_id), issue_id)
        elif issue.options is not None and isinstance(option, str) and (
            option not in issue.options
        ):
            problems.append(((*where, issue_id), unknown_option(issue_id, issue.options, option)))


def _check_comparison(
    where: Path, owner: str, node: Compare | Member, issues: Mapping[str, _Issue],
    issues_known: bool,
) -> Problems:
    issue = issues.get(node.issue)
    if issue is None:
        if not issues_known:
            return []
        return [(where, f"unknown issue '{node.issue}' in {owner}"
                 f"{_close(node.issue, issues)}")]
    problems: Problems = []
    if issue.options is None:
        return problems
    options = (node.option,) if isinstance(node, Compare) else node.options
    for option in options:
        if option not in issue.options:
            problems.append(
                (where, f"in {owner}: "
                 f"{unknown_option(node.issue, issue.options, option)}")
            )
    if isinstance(node, Compare) and node.op in ("<", "<=", ">", ">=") and issue.ordered is False:
        problems.append(
            (where,
             f"in {owner}: '{node.op}' compares options of issue '{node.issue}', "
             "which is not ordered; use ==, != or 'in {...}', or mark the issue 'ordered: true'")
        )
    return problems
