"""The domain model: scenarios, issues, parties, red lines, proposals, sources."""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)

from negotiate.errors import ScenarioError
from negotiate.model.outcome import Outcome
from negotiate.rules import Compare, Member, Rule, comparisons, parse

__all__ = [
    "ACCEPTANCE_TOLERANCE",
    "RESERVED_WORDS",
    "Issue",
    "Option",
    "Party",
    "Preference",
    "Proposal",
    "RedLine",
    "Scenario",
    "Source",
    "Stance",
]

#: Acceptability compares ``utility >= reservation - ACCEPTANCE_TOLERANCE``.
#: The tolerance only absorbs floating-point summation noise.
ACCEPTANCE_TOLERANCE = 1e-9

#: Words of the rule language that cannot be issue or option ids.
RESERVED_WORDS = frozenset({"and", "or", "not", "in", "implies", "true", "false"})


def _id_from_scalar(value: Any) -> Any:
    # YAML may read an id such as ``2024`` as a number; ids are always text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _not_reserved(value: str) -> str:
    if value in RESERVED_WORDS:
        raise ValueError(
            f"'{value}' is a reserved word of the rule language and cannot be an issue or "
            f"option id; pick another id such as '{value}_'"
        )
    return value


#: Issue and option ids: letters, digits and ``_`` (they appear in rules).
Name = Annotated[
    str,
    BeforeValidator(_id_from_scalar),
    StringConstraints(pattern=r"^[A-Za-z0-9_]+$", min_length=1, max_length=100),
]
#: Party, red line, source and proposal ids: letters, digits, ``_``, ``-``, ``.``.
Ident = Annotated[
    str,
    BeforeValidator(_id_from_scalar),
    StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=1, max_length=100),
]

Stance = Literal["stated", "reported", "inferred"]

_CONFIG = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value}")
    return value


def _close(name: object, known: Iterable[str]) -> str:
    name = str(name)
    known = list(known)
    same_case = [k for k in known if k.lower() == name.lower()]
    matches = same_case or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


class Source(BaseModel):
    """A public source that positions are tied to."""

    model_config = _CONFIG

    id: Ident
    """Unique id, cited from red lines and proposals."""
    title: str = ""
    """Title of the article, statement or document."""
    publisher: str = ""
    """Who published it."""
    date: _dt.date | None = None
    """Publication date (ISO 8601)."""
    url: str = ""
    """Where to read it."""


class Option(BaseModel):
    """One discrete option of an issue."""

    model_config = _CONFIG

    id: Name
    """Option id (letters, digits and ``_``), unique within its issue."""
    title: str = ""
    """Human-readable label; defaults to the id."""

    @model_validator(mode="after")
    def _default_title(self) -> Option:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        return self


def _options_from_ids(value: Any) -> Any:
    # Allow the short form ``options: [a, b, c]``.
    if isinstance(value, list | tuple):
        return [
            {"id": _id_from_scalar(v)} if isinstance(v, str | int) and not isinstance(v, bool)
            else v
            for v in value
        ]
    return value


class Issue(BaseModel):
    """An issue on the table, with its discrete options."""

    model_config = _CONFIG

    id: Name
    """Issue id (letters, digits and ``_``), unique in the scenario."""
    title: str = ""
    """Human-readable title; defaults to the id."""
    options: Annotated[
        tuple[Option, ...],
        BeforeValidator(_options_from_ids, json_schema_input_type=list[Option | Name]),
    ] = Field(min_length=1)
    """The options, listed in order (lowest first when ``ordered``); each an
    ``{id, title}`` mapping or just an id."""
    ordered: Annotated[bool, Strict()] = False
    """Options run from one end of a scale to the other; allows ``<``, ``>=`` ... in rules."""
    description: str = ""
    """Optional longer explanation."""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _not_reserved(value)

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        seen: set[str] = set()
        for k, option in enumerate(self.options):
            _not_reserved(option.id)
            if option.id in seen:
                raise ValueError(f"options[{k}]: duplicate option id '{option.id}'")
            seen.add(option.id)
        return self

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The option ids in listed order."""
        return tuple(o.id for o in self.options)


class Preference(BaseModel):
    """How much one issue matters to a party and how it values the options.

    Give either ``values`` (option id -> number in [0, 1]; omitted options
    get 0) or ``ranking`` (best-first list of *all* the issue's option ids,
    turned into evenly spaced values from 1 for the first to 0 for the last).
    """

    model_config = _CONFIG

    importance: float = Field(ge=0)
    """Non-negative weight; a party's importances are normalised to sum to 1."""
    values: dict[Name, float] | None = None
    """Option id -> value in [0, 1]; options left out get 0."""
    ranking: tuple[Name, ...] | None = None
    """Best-first permutation of the issue's option ids."""

    @field_validator("importance")
    @classmethod
    def _finite_importance(cls, value: float) -> float:
        return _finite(value, "importance")

    @field_validator("values")
    @classmethod
    def _check_values(cls, values: dict[str, float] | None) -> dict[str, float] | None:
        for option, v in (values or {}).items():
            if not (math.isfinite(v) and 0.0 <= v <= 1.0):
                raise ValueError(f"value of option '{option}' is {v}; values must lie in [0, 1]")
        return values

    @model_validator(mode="after")
    def _one_of(self) -> Preference:
        if (self.values is None) == (self.ranking is None):
            raise ValueError(
                "give exactly one of 'values' (option -> number in [0, 1]) or "
                "'ranking' (best-first list of option ids)"
            )
        return self

    def value_table(self, issue: Issue) -> tuple[float, ...]:
        """Each option's value in [0, 1], in the issue's option order."""
        if self.values is not None:
            return tuple(float(self.values.get(o, 0.0)) for o in issue.option_ids)
        assert self.ranking is not None
        n = len(self.ranking)
        position = {o: k for k, o in enumerate(self.ranking)}
        return tuple(
            1.0 if n == 1 else (n - 1 - position[o]) / (n - 1) for o in issue.option_ids
        )


def _rule_from_text(value: Any) -> Any:
    if isinstance(value, str):
        return parse(value)
    return value


class RedLine(BaseModel):
    """A red line: a rule every acceptable outcome must satisfy, with provenance."""

    model_config = _CONFIG

    id: Ident
    """Id, unique across the whole scenario."""
    rule: Annotated[Rule, BeforeValidator(_rule_from_text, json_schema_input_type=str | Rule)]
    """The rule, written in the rule language (stored as a syntax tree)."""
    stance: Stance = "inferred"
    """``stated`` (said publicly), ``reported`` (reported by others) or ``inferred``
    (the analyst's reading; the default, so an unlabelled red line is never taken
    for a public position)."""
    sources: tuple[Ident, ...] = ()
    """Ids of the sources this red line rests on."""
    note: str = ""
    """Free-text note: context, wording, caveats."""
    cost: float = Field(default=1.0, gt=0)
    """How costly it is for the party to give this red line up (weighted relaxations)."""

    @field_validator("cost")
    @classmethod
    def _finite_cost(cls, value: float) -> float:
        return _finite(value, "cost")

    @field_serializer("rule")
    def _render_rule(self, rule: Rule) -> str:
        from negotiate.rules import render

        return render(rule)


class Constraint(BaseModel):
    """A coherence constraint: a rule every outcome obeys because the alternative is incoherent.

    It belongs to no party, shrinks the outcome space, appears in explanations as
    background and is never offered as a relaxation (neutrality together with NATO
    membership, for instance).

    Examples
    --------
    >>> c = ng.model.Constraint(id="neutral-no-bases", rule="neutrality == yes -> bases == none")
    >>> ng.render_rule(c.rule)
    'neutrality == yes -> bases == none'
    """

    model_config = _CONFIG

    id: Ident
    """Id, unique across the scenario (red lines and constraints share one id space)."""
    rule: Annotated[Rule, BeforeValidator(_rule_from_text, json_schema_input_type=str | Rule)]
    """The rule, written in the rule language (stored as a syntax tree)."""
    note: str = ""
    """Why the alternative is incoherent."""
    sources: tuple[Ident, ...] = ()
    """Ids of sources, if any, that support it."""

    @field_serializer("rule")
    def _render_rule(self, rule: Rule) -> str:
        from negotiate.rules import render

        return render(rule)


class Party(BaseModel):
    """A party: its preferences, red lines, reservation utility and power."""

    model_config = _CONFIG

    id: Ident
    """Party id, unique in the scenario."""
    name: str = ""
    """Display name; defaults to the id."""
    reservation: float = Field(default=0.0, ge=0.0, le=1.0)
    """Minimum utility the party accepts (its disagreement point), in [0, 1]."""
    power: float = Field(default=1.0, gt=0)
    """Bargaining weight: the exponent of the power-weighted Nash solution."""
    preferences: dict[Name, Preference] = Field(default_factory=dict)
    """Issue id -> preference; an issue not listed has importance 0."""
    red_lines: tuple[RedLine, ...] = ()
    """Outcomes the party will not accept, as rules that must hold."""
    reservation_cost: float = Field(default=1.0, gt=0)
    """Cost of giving up the reservation constraint (weighted relaxations)."""
    note: str = ""
    """Free text about the party (e.g. a GENIUS discount factor kept on import)."""

    @field_validator("power", "reservation_cost")
    @classmethod
    def _finite_power(cls, value: float) -> float:
        return _finite(value, "power")

    @model_validator(mode="after")
    def _default_name(self) -> Party:
        if not self.name:
            object.__setattr__(self, "name", self.id)
        return self

    @property
    def reservation_id(self) -> str:
        """Constraint id of the reservation, ``<party>:reservation``."""
        return f"{self.id}:reservation"


class Proposal(BaseModel):
    """A concrete proposal (a plan, a draft deal); may leave issues open."""

    model_config = _CONFIG

    id: Ident
    """Proposal id, unique in the scenario."""
    title: str = ""
    """Display title; defaults to the id."""
    terms: dict[Name, Name] = Field(default_factory=dict)
    """Issue id -> option id for the issues the proposal settles."""
    sources: tuple[Ident, ...] = ()
    """Ids of the sources the mapping rests on."""
    note: str = ""
    """Free-text note."""

    @model_validator(mode="after")
    def _default_title(self) -> Proposal:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        return self


class Scenario(BaseModel):
    """A negotiation: parties, issues with discrete options, positions and proposals.

    Build one from a file with :func:`negotiate.load` or from a mapping with
    ``Scenario.model_validate``. Cross-references (issue, option, party and
    source ids in preferences, rules and proposals) are checked; every
    problem is reported with its location and, where possible, a suggestion.

    Examples
    --------
    >>> s = ng.Scenario.model_validate({
    ...     "format": 1, "id": "toy",
    ...     "issues": [{"id": "price", "options": ["low", "high"], "ordered": True}],
    ...     "parties": [
    ...         {"id": "buyer", "preferences": {"price": {"importance": 1, "ranking": ["low", "high"]}}},
    ...         {"id": "seller", "red_lines": [{"id": "no-low", "rule": "price >= high"}]},
    ...     ],
    ... })
    >>> s.title, [i.id for i in s.issues], s.outcome_count
    ('toy', ['price'], 2)
    """

    model_config = _CONFIG

    format: Literal[1]
    """Version of the file format; currently 1."""
    id: Ident
    """Scenario id."""
    title: str = ""
    """Display title; defaults to the id."""
    as_of: _dt.date | None = None
    """The date the positions describe."""
    description: str = ""
    """What the scenario encodes, and which parts are analyst judgement."""
    sources: tuple[Source, ...] = ()
    """Sources cited by red lines and proposals."""
    issues: tuple[Issue, ...] = Field(min_length=1)
    """The issues on the table."""
    parties: tuple[Party, ...] = Field(min_length=1)
    """The parties."""
    proposals: tuple[Proposal, ...] = ()
    """Concrete proposals to evaluate."""
    status_quo: dict[Name, Name] | None = None
    """The outcome if nothing is agreed (possibly partial), for reference."""
    constraints: tuple[Constraint, ...] = ()
    """Coherence constraints: rules every outcome obeys (they belong to no party)."""

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        problems = _reference_problems(self)
        if problems:
            raise ValueError(
                "\n".join(f"{where}: {what}" if where else what for where, what in problems)
            )
        return self

    # -- lookups ---------------------------------------------------------------------------

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id (`ScenarioError` if there is none)."""
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise ScenarioError(
            f"unknown issue '{issue_id}'{_close(issue_id, (i.id for i in self.issues))}"
        )

    def party(self, party_id: str) -> Party:
        """The party with this id (`ScenarioError` if there is none)."""
        for party in self.parties:
            if party.id == party_id:
                return party
        raise ScenarioError(
            f"unknown party '{party_id}'{_close(party_id, (p.id for p in self.parties))}"
        )

    def proposal(self, proposal_id: str) -> Proposal:
        """The proposal with this id (`ScenarioError` if there is none)."""
        for proposal in self.proposals:
            if proposal.id == proposal_id:
                return proposal
        known = [p.id for p in self.proposals]
        raise ScenarioError(
            f"unknown proposal '{proposal_id}'{_close(proposal_id, known)}"
            + (f" (known: {', '.join(known)})" if known else " (the scenario has no proposals)")
        )

    def red_line(self, red_line_id: str) -> tuple[Party, RedLine]:
        """The party owning a red line, and the red line."""
        for party in self.parties:
            for red_line in party.red_lines:
                if red_line.id == red_line_id:
                    return party, red_line
        known = [r.id for p in self.parties for r in p.red_lines]
        raise ScenarioError(f"unknown red line '{red_line_id}'{_close(red_line_id, known)}")

    @property
    def outcome_count(self) -> int:
        """Number of outcomes in the full outcome space (product of option counts)."""
        return math.prod(len(issue.options) for issue in self.issues)

    def check_outcome(self, outcome: Mapping[str, str], *, partial: bool = False) -> Outcome:
        """Validate a mapping against the scenario and return it as an `Outcome`.

        Issues come back in scenario order. Raises `ScenarioError` naming an
        unknown issue or option (with a suggestion) or, unless ``partial``,
        the missing issues.

        Examples
        --------
        >>> s = ng.Scenario.model_validate({"format": 1, "id": "t",
        ...     "issues": [{"id": "a", "options": ["x", "y"]}], "parties": [{"id": "p"}]})
        >>> s.check_outcome({"a": "y"})
        Outcome({'a': 'y'})
        >>> s.check_outcome({"a": "z"})
        Traceback (most recent call last):
        ...
        negotiate.errors.ScenarioError: outcome: unknown option 'z' of issue 'a'; expected one of x, y
        """
        if not isinstance(outcome, Mapping):
            raise ScenarioError(
                f"an outcome must be a mapping of issue id to option id, got {type(outcome).__name__}"
            )
        problems: list[tuple[str, str]] = []
        by_id = {issue.id: issue for issue in self.issues}
        for key, value in outcome.items():
            issue = by_id.get(key) if isinstance(key, str) else None
            if issue is None:
                problems.append(("outcome", f"unknown issue {key!r}{_close(str(key), by_id)}"))
            elif value not in issue.option_ids:
                problems.append(("outcome", _unknown_option(issue, value)))
        if not partial:
            missing = [i for i in by_id if i not in outcome]
            if missing:
                problems.append(
                    ("outcome", f"missing issue(s) {', '.join(missing)}: an outcome picks an "
                     "option on every issue")
                )
        if problems:
            raise ScenarioError("\n".join(f"{w}: {m}" for w, m in problems), problems)
        return Outcome({i: str(outcome[i]) for i in by_id if i in outcome})


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
