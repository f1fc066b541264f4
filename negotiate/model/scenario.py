"""The domain model: scenarios, issues, parties, red lines, proposals, sources.

The pieces live in submodules (`negotiate.model.issue`, `negotiate.model.party`);
they are re-exported here so ``from negotiate.model.scenario import RedLine`` keeps working.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, field_serializer, model_validator

from negotiate.errors import ScenarioError
from negotiate.model._base import (
    _CONFIG,
    ACCEPTANCE_TOLERANCE,
    RESERVED_WORDS,
    Date,
    FormatVersion,
    Ident,
    Name,
    Stance,
    Text,
    _close,
    _Problems,
    _rule_from_text,
)
from negotiate.model._checks import reference_problems, unknown_option
from negotiate.model.issue import Issue, Option
from negotiate.model.outcome import Outcome
from negotiate.model.party import Party, Preference, RedLine
from negotiate.rules import Rule

#: Key in a scenario's ``__dict__`` holding ``id(scenario)`` once it has been validated.
_VALIDATED = "_negotiate_validated"

__all__ = [
    "ACCEPTANCE_TOLERANCE",
    "RESERVED_WORDS",
    "Constraint",
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


class Source(BaseModel):
    """A public source that positions are tied to."""

    model_config = _CONFIG

    id: Ident
    """Unique id, cited from red lines and proposals."""
    title: Text = ""
    """Title of the article, statement or document."""
    publisher: Text = ""
    """Who published it."""
    date: Date | None = None
    """Publication date (ISO 8601)."""
    url: Text = ""
    """Where to read it."""


class Constraint(BaseModel):
    """A coherence constraint: a rule every outcome obeys because the alternative is incoherent.

    It belongs to no party, shrinks the outcome space, appears in explanations as
    background and is never offered as a relaxation (neutrality together with NATO
    membership, for instance).

    Examples
    --------
    >>> from negotiate.rules import render
    >>> c = ng.Constraint(id="neutral-no-bases", rule="neutrality == yes -> bases == none")
    >>> render(c.rule)
    'neutrality == yes -> bases == none'
    """

    model_config = _CONFIG

    id: Ident
    """Id, unique across the scenario (red lines and constraints share one id space)."""
    rule: Annotated[Rule, BeforeValidator(_rule_from_text, json_schema_input_type=str | Rule)]
    """The rule, written in the rule language (stored as a syntax tree)."""
    note: Text = ""
    """Why the alternative is incoherent."""
    sources: tuple[Ident, ...] = ()
    """Ids of sources, if any, that support it."""

    @field_serializer("rule")
    def _render_rule(self, rule: Rule) -> str:
        from negotiate.rules import render

        return render(rule)


class Proposal(BaseModel):
    """A concrete proposal (a plan, a draft deal); may leave issues open."""

    model_config = _CONFIG

    id: Ident
    """Proposal id, unique in the scenario."""
    title: Text = ""
    """Display title; defaults to the id."""
    terms: dict[Name, Name] = Field(default_factory=dict)
    """Issue id -> option id for the issues the proposal settles."""
    sources: tuple[Ident, ...] = ()
    """Ids of the sources the mapping rests on."""
    note: Text = ""
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

    format: FormatVersion
    """Version of the file format; currently 1."""
    id: Ident
    """Scenario id."""
    title: Text = ""
    """Display title; defaults to the id."""
    as_of: Date | None = None
    """The date the positions describe."""
    description: Text = ""
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
        problems = reference_problems(self)
        if problems:
            raise _Problems(problems)
        # Mark this very object as validated (a model_copy has another id, so it is not).
        self.__dict__[_VALIDATED] = id(self)
        return self

    # -- editing -----------------------------------------------------------------------------

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some top-level fields changed, validated like a file.

        This is the supported way to edit a scenario. ``model_copy(update=...)``
        skips validation (it is pydantic's raw copy); analyses re-check such a
        copy and reject it with `ScenarioError` if it is invalid. Values may be
        models or plain data (``{"id": ..., "rule": "a == x"}``), as in a file.

        Parameters
        ----------
        **changes
            Field name -> new value, such as ``parties=[...]`` or ``title="..."``.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            Listing every problem of the edited scenario (unknown field names too).

        Examples
        --------
        >>> s = ng.loads("format: 1\\nid: t\\nissues: [{id: a, options: [x, y]}]\\n"
        ...              "parties: [{id: p}]")
        >>> p = s.parties[0]
        >>> s2 = s.replace(parties=[p.model_copy(update={"reservation": 0.5})])
        >>> s2.parties[0].reservation
        0.5
        >>> s.replace(parties=[p.model_copy(update={"reservation": 7})])
        Traceback (most recent call last):
        ...
        negotiate.errors.ScenarioError: scenario: 1 problem(s) in the scenario:
          - parties[0].reservation: must be at most 1, got 7
        """
        from negotiate.io import validate

        unknown = [name for name in changes if name not in type(self).model_fields]
        if unknown:
            raise ScenarioError(
                f"unknown field(s) {', '.join(map(repr, unknown))} of a scenario"
                f"{_close(unknown[0], type(self).model_fields)}",
                [(name, "unknown field") for name in unknown],
            )
        data = {name: getattr(self, name) for name in type(self).model_fields}
        return validate(data | changes)

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
                problems.append(("outcome", unknown_option(issue.id, issue.option_ids, value)))
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


def ensure_valid(s: Scenario) -> Scenario:
    """``s`` itself when it was built by validation; else re-validate it (`ScenarioError`).

    Cheap for a validated scenario (one dictionary lookup). A scenario built with
    ``model_copy(update=...)`` or ``model_construct`` skipped validation: it is checked
    now, and rejected with every problem listed, so analyses never fail deep inside on
    a reservation of 7 or a rule left as text. Use `Scenario.replace` to edit one.
    """
    if s.__dict__.get(_VALIDATED) == id(s):
        return s
    from negotiate.io import validate

    data = {name: getattr(s, name, None) for name in type(s).model_fields}
    checked = validate(data, name="scenario (edited without validation; see Scenario.replace)")
    if checked != s:
        raise ScenarioError(
            "scenario: edited without validation (model_copy or model_construct) and holds "
            "values of the wrong form (a rule as text, a list for a tuple ...); "
            "build the edited scenario with s.replace(...) or ng.validate(...)",
            [("", "edited without validation; use Scenario.replace")],
        )
    s.__dict__[_VALIDATED] = id(s)
    return s
