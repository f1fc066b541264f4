"""The result objects of deadlock analysis: conflicts, relaxations, per-party views,
the explanation itself, and near deals. Built by :mod:`negotiate.analysis.deadlock`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from negotiate._results import Result
from negotiate.model import Outcome

__all__ = [
    "Conflict",
    "DeadlockExplanation",
    "NearDeal",
    "PartyDeadlock",
    "Relaxation",
]

#: Outcomes longer than this are cut short in plain-words text.
_SHORT = 12


def _short(outcome: Outcome | None) -> str:
    if outcome is None:
        return "(none)"
    if len(outcome) <= _SHORT:
        return str(outcome)
    head = ", ".join(f"{k}={v}" for k, v in list(outcome.items())[:_SHORT])
    return f"{head}, ... ({len(outcome)} issues in all)"


def _words(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"




@dataclass(frozen=True)
class Conflict(Result):
    """A *minimal conflicting set*: constraints that no outcome meets together,
    while every proper subset is met by some outcome.

    Attributes
    ----------
    constraints : tuple of str
        Constraint ids, in scenario order (red lines, then reservations).
    parties : tuple of str
        Ids of the parties owning them, in scenario order.
    issues : tuple of str
        Issues the red lines among them read, in scenario order (a reservation
        weighs every issue its party cares about and adds none here).
    minimal : bool
        True when proven minimal. False only for a core returned because the
        time limit stopped the search: it admits no outcome but may shrink.

    Examples
    --------
    >>> from negotiate.analysis.deadlock import explain_deadlock
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> conflict = explain_deadlock(s).conflicts[0]
    >>> print(conflict)
    a1 + b1 (on tariff)
    >>> conflict.to_dict()
    {'constraints': ['a1', 'b1'], 'parties': ['A', 'B'], 'issues': ['tariff'], 'minimal': True}
    """

    constraints: tuple[str, ...]
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    minimal: bool = True

    def __str__(self) -> str:
        text = " + ".join(self.constraints)
        if self.issues:
            text += f" (on {', '.join(self.issues)})"
        return text if self.minimal else text + " [not proven minimal]"


@dataclass(frozen=True)
class Relaxation(Result):
    """A smallest (or cheapest) set of constraints whose removal opens an agreement zone.

    Attributes
    ----------
    constraints : tuple of str
        The constraints to drop, in scenario order.
    cost : float
        Their number or, for a weighted explanation, their total cost.
    witness : Outcome
        An outcome acceptable once they are dropped.
    zone_size : int or None
        How many outcomes the relaxed scenario accepts, when that is cheap to
        count exactly (every linked block of issues small enough to tabulate);
        else None.
    minimum : bool
        True when the cost is proven minimum (False only after a time limit).

    Examples
    --------
    >>> from negotiate.analysis.deadlock import explain_deadlock
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> print(explain_deadlock(s).relaxations[1])
    drop b1 opens a zone of 1 outcome, e.g. tariff=none
    """

    constraints: tuple[str, ...]
    cost: float
    witness: Outcome
    zone_size: int | None = None
    minimum: bool = True

    def __str__(self) -> str:
        zone = "" if self.zone_size is None else (
            f" opens a zone of {self.zone_size} outcome{'' if self.zone_size == 1 else 's'}"
        )
        return f"drop {' + '.join(self.constraints)}{zone}, e.g. {self.witness}"


@dataclass(frozen=True)
class PartyDeadlock(Result):
    """One party's view of a deadlock.

    Attributes
    ----------
    party, name : str
        The party's id and display name.
    in_conflicts : tuple of str
        Its own constraints that appear in some listed conflict.
    clashes_with : tuple of str
        Ids of the other parties whose constraints share a conflict with them.
    in_relaxations : tuple of str
        Its own constraints that appear in some listed relaxation.

    Examples
    --------
    >>> from negotiate.analysis.deadlock import explain_deadlock
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> view = explain_deadlock(s).by_party[0]
    >>> view.in_conflicts, view.clashes_with, view.in_relaxations
    (('a1',), ('B',), ('a1',))
    """

    party: str
    name: str
    in_conflicts: tuple[str, ...]
    clashes_with: tuple[str, ...]
    in_relaxations: tuple[str, ...]

    def __str__(self) -> str:
        if not self.in_conflicts:
            return f"{self.name}: in no listed conflict"
        text = f"{self.name}: {', '.join(self.in_conflicts)} in conflict"
        if self.clashes_with:
            text += f" with {', '.join(self.clashes_with)}"
        return text


@dataclass(frozen=True)
class DeadlockExplanation(Result):
    """Why no outcome is acceptable to every party, and what would have to give.

    Build with :func:`explain_deadlock`. On a scenario with an agreement zone
    it says so: ``is_deadlocked`` is False, ``witness`` is an acceptable
    outcome and there are no conflicts or relaxations.

    Attributes
    ----------
    scenario : str
        Scenario id.
    is_deadlocked : bool or None
        True when no outcome is acceptable to all parties; None when the time
        limit ran out before that was decided.
    witness : Outcome or None
        An outcome acceptable to every party (None when deadlocked).
    conflicts : tuple of Conflict
        Minimal conflicting sets, smallest first (then in scenario order).
    conflicts_complete : bool
        True when ``conflicts`` lists every minimal conflicting set.
    relaxations : tuple of Relaxation
        The minimum relaxations (fewest constraints, or least total cost when
        ``weighted``), in scenario order of their constraints.
    relaxations_complete : bool
        True when ``relaxations`` lists every minimum relaxation.
    weighted : bool
        Whether relaxations minimise total cost rather than number.
    by_party : tuple of PartyDeadlock
        Each party's view, in scenario order.
    concession : float or None
        When reservations take part: the least amount t (in utility) by which
        every binding reservation must drop so that some outcome meets every
        red line and every ``utility >= reservation - t``. 0 when red lines
        and reservations are jointly satisfiable, None when red lines alone
        already clash (no drop of reservations helps), when no reservation
        binds, or when the time limit ran out.
    concession_witness : Outcome or None
        An outcome achieving ``concession``.
    labels : mapping of str to str
        Plain-words description of every constraint.
    party_names : mapping of str to str
        Party id -> display name.
    constraint_issues : mapping of str to tuple of str
        Constraint id -> the issues its rule reads (empty for a reservation).

    Examples
    --------
    >>> from negotiate.analysis.deadlock import explain_deadlock
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> x = explain_deadlock(s)
    >>> x.is_deadlocked, x.conflicts_complete, len(x.relaxations)
    (True, True, 2)
    >>> sorted(x.to_dict())[:4]
    ['by_party', 'concession', 'concession_witness', 'conflicts']
    """

    scenario: str
    is_deadlocked: bool | None
    witness: Outcome | None
    conflicts: tuple[Conflict, ...]
    conflicts_complete: bool
    relaxations: tuple[Relaxation, ...]
    relaxations_complete: bool
    weighted: bool
    by_party: tuple[PartyDeadlock, ...]
    concession: float | None = None
    concession_witness: Outcome | None = None
    labels: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    party_names: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    constraint_issues: Mapping[str, tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __str__(self) -> str:
        n = len(self.by_party)
        everyone = "the only party" if n == 1 else f"all {n} parties"
        if self.is_deadlocked is None:
            return (f"Whether some outcome is acceptable to {everyone} could not be decided "
                    "within the time limit.")
        if not self.is_deadlocked:
            return f"An outcome acceptable to {everyone} exists, for example {_short(self.witness)}."
        lines = [f"No outcome is acceptable to {everyone}."]
        lines.extend(self._conflict_lines())
        lines.extend(self._relaxation_lines())
        if self.concession is not None and self.concession > 0:
            lines.append(
                f"Meeting every red line needs every binding reservation to drop by "
                f"{self.concession:.4g} (in utility), for example "
                f"{_short(self.concession_witness)}."
            )
        involved = [view for view in self.by_party if view.in_conflicts]
        if involved:
            lines.append("By party:")
            for view in involved:
                verb = "clashes" if len(view.in_conflicts) == 1 else "clash"
                text = f"  - {view.name}: {_words(view.in_conflicts)} {verb}"
                if view.clashes_with:
                    names = [self.party_names.get(p, p) for p in view.clashes_with]
                    text += f" with {_words(names)}"
                else:
                    text += " with its own constraints only"
                lines.append(text)
        return "\n".join(lines)

    def _describe(self, conflict: Conflict) -> str:
        parts = [self.labels.get(j, j) for j in conflict.constraints]
        if len(parts) == 1:
            text = f"{parts[0]} admits no outcome on its own"
        elif len(parts) == 2:
            text = f"{parts[0]} with {parts[1]}"
        else:
            text = f"{_words(parts)} together"
        if conflict.issues:
            word = "issue" if len(conflict.issues) == 1 else "issues"
            text += f" on {word} {', '.join(conflict.issues)}"
        return text

    def _conflict_lines(self) -> list[str]:
        if not self.conflicts:
            return ["No conflicting set was found within the time limit."]
        lines = [f"Smallest clash: {self._describe(self.conflicts[0])}."]
        if len(self.conflicts) > 1:
            lines.append("Other clashes:")
            lines.extend(f"  - {self._describe(x)}." for x in self.conflicts[1:])
        if not self.conflicts_complete:
            lines.append("  (more clashes may exist: the limit or the time limit was reached)")
        if any(not x.minimal for x in self.conflicts):
            lines.append("  (a clash marked as a core may shrink: the time limit was reached)")
        return lines

    def _relaxation_lines(self) -> list[str]:
        rel = self.relaxations
        if not rel:
            return ["No relaxation was found within the time limit."]
        cost = f" (total cost {rel[0].cost:g})" if self.weighted else ""
        if len(rel) == 1:
            return [f"Dropping {_words(rel[0].constraints)}{cost} opens "
                    f"{self._zone(rel[0])}, for example {self._example(rel[0])}."]
        if all(len(r.constraints) == 1 for r in rel):
            names = [r.constraints[0] for r in rel]
            head = f"Dropping any one of {', '.join(names[:-1])} or {names[-1]}{cost}"
        else:
            head = f"Dropping any one of these {len(rel)} sets of constraints{cost}"
        if len({r.zone_size for r in rel}) == 1 and all(r.zone_size for r in rel):
            lines = [f"{head} opens {self._zone(rel[0])}:"]
            lines.extend(
                f"  - {_words(r.constraints)}: for example {self._example(r)}" for r in rel
            )
        else:
            lines = [f"{head} opens an agreement zone:"]
            lines.extend(
                f"  - {_words(r.constraints)}: {self._zone(r)}, for example {self._example(r)}"
                for r in rel
            )
        if not self.relaxations_complete:
            lines.append("  (more relaxations may exist: the limit or the time limit was reached)")
        return lines

    def _example(self, r: Relaxation) -> str:
        """The witness on the issues the dropped red lines read (all issues if short)."""
        if len(r.witness) <= _SHORT:
            return str(r.witness)
        read = {i for x in r.constraints for i in self.constraint_issues.get(x, ())}
        if not read:
            return _short(r.witness)
        return ", ".join(f"{k}={v}" for k, v in r.witness.items() if k in read) + ", ..."

    @staticmethod
    def _zone(r: Relaxation) -> str:
        if r.zone_size is None:
            return "an agreement zone"
        return "a zone of 1 outcome" if r.zone_size == 1 else f"a zone of {r.zone_size} outcomes"


@dataclass(frozen=True)
class NearDeal(Result):
    """An outcome close to agreement: which constraints it crosses and what each party gets.

    Attributes
    ----------
    outcome : Outcome
    crossed : tuple of str
        Constraint ids it crosses (red lines, and ``<party>:reservation`` when a
        party's utility is below its reservation), in scenario order.
    crossed_by_party : mapping of str to tuple of str
        Party id -> its crossed constraints (parties crossing none left out).
    violation : float
        Number of crossed constraints, or their total cost when weighted.
    utilities : mapping of str to float
        Party id -> utility of the outcome.
    proven : bool
        True when proven to be among the best (False only after a time limit).
    losses : mapping of str to float
        Party id -> what the deal costs the party in utility: how far its
        utility falls short of the best it could get in any outcome.

    Examples
    --------
    >>> from negotiate.analysis.deadlock import near_deals
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> deal = near_deals(s, 1)[0]
    >>> deal.crossed, deal.violation, deal.outcome.to_dict()
    (('b1',), 1.0, {'tariff': 'none'})
    """

    outcome: Outcome
    crossed: tuple[str, ...]
    crossed_by_party: Mapping[str, tuple[str, ...]]
    violation: float
    utilities: Mapping[str, float]
    proven: bool = True
    losses: Mapping[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        """A short summary with bare red-line ids: a NearDeal does not hold its scenario,
        so it cannot name each red line's stance and sources. For text with that
        provenance, use ``negotiate analyze`` (:func:`negotiate.report.format_analysis`)."""
        if self.crossed:
            crosses = "crosses " + "; ".join(
                f"{party}: {', '.join(ids)}" for party, ids in self.crossed_by_party.items()
            )
        else:
            crosses = "acceptable to every party"
        utilities = ", ".join(f"{party} {u:.3f}" for party, u in self.utilities.items())
        return f"{crosses}; utilities {utilities}\n    {self.outcome}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the generated one, with ``proven`` last)."""
        out = super().to_dict()
        out["proven"] = out.pop("proven")
        return out
