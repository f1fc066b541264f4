"""What changed between two snapshots of a negotiation: :func:`compare` and ``negotiate diff``.

Red lines, issues, options, proposals and parties are matched **by id**: a red
line that keeps its id but gets a new rule is *changed*; a red line whose id
changes is *removed* under the old id and *added* under the new one, even when
its rule stayed the same. Keep ids stable across snapshots to get a useful diff.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from negotiate._deadline import Deadline
from negotiate._results import Result, doc
from negotiate.errors import InvalidArgumentError, NegotiateError
from negotiate.model import RedLine, Scenario

if TYPE_CHECKING:
    from negotiate.analysis.whole import Analysis

__all__ = ["Comparison", "RedLineChange", "VerdictChange", "compare"]

#: Red-line fields compared, in this order (``party`` when a red line moved to another party).
RED_LINE_FIELDS = ("party", "rule", "stance", "sources", "note", "confidence")

#: The value of a red-line field in `RedLineChange` (rules as text, sources as a sorted list).
FieldValue = str | float | list[str] | None


def _meta(s: Scenario) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "as_of": str(s.as_of) if s.as_of else None}


def _in(*key: str, convert: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    return doc(key=key, convert=convert)


@dataclass(frozen=True)
class RedLineChange(Result):
    """A red line kept under the same id whose content changed.

    Attributes
    ----------
    id : str
        The red line's id (the same in both snapshots).
    fields : tuple of str
        The fields that changed, among ``party``, ``rule`` (compared as parsed
        rules: spacing and layout do not count), ``stance``, ``sources``
        (compared as a set: order does not count), ``note`` and ``confidence``.
    before, after : mapping of str to str, float, list of str or None
        The values of the changed fields in each snapshot (rules rendered as text,
        sources as sorted lists).
    """

    id: str
    fields: tuple[str, ...]
    before: Mapping[str, FieldValue]
    after: Mapping[str, FieldValue]


@dataclass(frozen=True)
class VerdictChange(Result):
    """One party's verdict on one proposal in both snapshots (changed or not)."""

    proposal: str
    party: str
    before: str
    """``accepts``, ``rejects`` or ``undecided``."""
    after: str

    @property
    def changed(self) -> bool:
        """True when the verdict differs between the snapshots."""
        return self.before != self.after


@dataclass(frozen=True)
class Comparison(Result):
    """What changed from ``before`` to ``after``. Build with :func:`compare`.

    Lists follow the order of the snapshot an item appears in (removed items:
    ``before``; added and changed items: ``after``). ``to_dict()`` is the JSON
    document of ``negotiate diff --json``: each snapshot's id, title and date under
    ``scenarios``, then the changes grouped by kind (``red_lines``: ``added``,
    ``removed``, ``changed``; ...).
    """

    before: Scenario = field(metadata=_in("scenarios", "before", convert=_meta))
    after: Scenario = field(metadata=_in("scenarios", "after", convert=_meta))
    red_lines_added: tuple[str, ...] = field(metadata=_in("red_lines", "added"))
    red_lines_removed: tuple[str, ...] = field(metadata=_in("red_lines", "removed"))
    red_lines_changed: tuple[RedLineChange, ...] = field(metadata=_in("red_lines", "changed"))
    issues_added: tuple[str, ...] = field(metadata=_in("issues", "added"))
    issues_removed: tuple[str, ...] = field(metadata=_in("issues", "removed"))
    options_added: tuple[str, ...] = field(metadata=_in("options", "added"))
    """``"issue.option"`` for options of issues present in both snapshots."""
    options_removed: tuple[str, ...] = field(metadata=_in("options", "removed"))
    parties_added: tuple[str, ...] = field(metadata=_in("parties", "added"))
    parties_removed: tuple[str, ...] = field(metadata=_in("parties", "removed"))
    proposals_added: tuple[str, ...] = field(metadata=_in("proposals", "added"))
    proposals_removed: tuple[str, ...] = field(metadata=_in("proposals", "removed"))
    zone_before: bool | None = field(metadata=_in("zone", "before"))
    """Whether the agreement zone of ``before`` is empty (None: undecided in time)."""
    zone_after: bool | None = field(metadata=_in("zone", "after"))
    conflicts_appeared: tuple[tuple[str, ...], ...] = field(
        metadata=_in("conflicts", "appeared"))
    """Minimal conflicts (constraint ids) of ``after`` that ``before`` did not have."""
    conflicts_resolved: tuple[tuple[str, ...], ...] = field(
        metadata=_in("conflicts", "resolved"))
    """Minimal conflicts of ``before`` that ``after`` no longer has."""
    conflicts_complete: bool = field(metadata=_in("conflicts", "complete"))
    """False when either snapshot's conflicts are not all listed (time limit)."""
    verdicts: tuple[VerdictChange, ...]
    """Every (proposal, party) present in both, with both verdicts."""
    @property
    def is_unchanged(self) -> bool:
        """True when nothing listed here differs."""
        return not (
            self.red_lines_added or self.red_lines_removed or self.red_lines_changed
            or self.issues_added or self.issues_removed or self.options_added
            or self.options_removed or self.parties_added or self.parties_removed
            or self.proposals_added or self.proposals_removed
            or self.zone_before != self.zone_after or self.conflicts_appeared
            or self.conflicts_resolved or any(v.changed for v in self.verdicts)
        )

    def label(self, red_line_id: str) -> str:
        """The red line with its party, stance and sources, from the snapshot that has
        it (``after`` first); ids found in neither are returned as they are."""
        from negotiate._text import constraint_label

        for s in (self.after, self.before):
            if _red_line(s, red_line_id) is not None or red_line_id.endswith(":reservation"):
                try:
                    return constraint_label(s, red_line_id)
                except NegotiateError:
                    continue
        return red_line_id

    def __str__(self) -> str:
        b, a = self.before, self.after

        def when(s: Scenario) -> str:
            return f" ({s.as_of})" if s.as_of else ""

        out = [f"From {b.title}{when(b)} to {a.title}{when(a)}:"]
        if self.is_unchanged:
            return out[0] + " nothing changed (red lines, issues, options, proposals, "\
                "zone, conflicts and verdicts are the same)."
        zone = {True: "empty", False: "not empty", None: "undecided"}
        if self.zone_before == self.zone_after:
            out.append(f"Agreement zone: still {zone[self.zone_after]}.")
        else:
            out.append(
                f"Agreement zone: {zone[self.zone_before]} before, {zone[self.zone_after]} now."
            )
        for title, ids in (("Red lines added", self.red_lines_added),
                           ("Red lines removed", self.red_lines_removed)):
            if ids:
                out.append(f"{title} ({len(ids)}):")
                out += [f"  - {self.label(i)}" for i in ids]
        if self.red_lines_changed:
            out.append(f"Red lines changed ({len(self.red_lines_changed)}):")
            for change in self.red_lines_changed:
                out.append(f"  - {self.label(change.id)}: {', '.join(change.fields)}")
                for name in change.fields:
                    if name in ("rule", "stance", "party", "confidence"):
                        out.append(
                            f"      {name}: {change.before[name]} -> {change.after[name]}"
                        )
                    elif name == "sources":
                        old = set(cast(list[str], change.before[name]))
                        new = set(cast(list[str], change.after[name]))
                        moved = [f"+{x}" for x in sorted(new - old)]
                        moved += [f"-{x}" for x in sorted(old - new)]
                        out.append(f"      sources: {' '.join(moved)}")
        for title, ids in (
            ("Issues added", self.issues_added), ("Issues removed", self.issues_removed),
            ("Options added", self.options_added), ("Options removed", self.options_removed),
            ("Parties added", self.parties_added), ("Parties removed", self.parties_removed),
            ("Proposals added", self.proposals_added),
            ("Proposals removed", self.proposals_removed),
        ):
            if ids:
                out.append(f"{title}: {', '.join(ids)}")
        for title, conflicts in (("Conflicts that appeared", self.conflicts_appeared),
                                 ("Conflicts resolved", self.conflicts_resolved)):
            if conflicts:
                out.append(f"{title} ({len(conflicts)}):")
                out += [f"  - {' + '.join(self.label(x) for x in c)}" for c in conflicts]
        if not self.conflicts_complete:
            out.append("(Not every conflict was listed within the time limit; the conflict "
                       "lists may be incomplete.)")
        flipped = [v for v in self.verdicts if v.changed]
        if flipped:
            out.append("Verdicts that changed:")
            out += [f"  - {v.proposal}, {v.party}: {v.before} -> {v.after}" for v in flipped]
        elif self.verdicts:
            out.append("Verdicts on the proposals in both snapshots: unchanged.")
        return "\n".join(out)


def _red_line(s: Scenario, red_line_id: str) -> tuple[str, RedLine] | None:
    for party in s.parties:
        for red_line in party.red_lines:
            if red_line.id == red_line_id:
                return party.name, red_line
    return None


def _red_lines(s: Scenario) -> dict[str, tuple[str, RedLine]]:
    return {r.id: (p.id, r) for p in s.parties for r in p.red_lines}


def _fields(party: str, red_line: RedLine) -> dict[str, Any]:
    from negotiate.rules import render

    return {
        "party": party,
        "rule": red_line.rule,
        "stance": red_line.stance,
        "sources": frozenset(red_line.sources),
        "note": red_line.note,
        "confidence": getattr(red_line, "confidence", None),
        "_text": render(red_line.rule),
    }


def _shown(name: str, fields: Mapping[str, Any]) -> FieldValue:
    key = "_text" if name == "rule" else name
    value: FieldValue = sorted(fields[key]) if name == "sources" else fields[key]
    return value


def _diff_ids(before: Sequence[str], after: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    old, new = set(before), set(after)
    return tuple(x for x in after if x not in old), tuple(x for x in before if x not in new)


def compare(
    before: Scenario, after: Scenario, *, time_limit: float | Deadline | None = 60.0
) -> Comparison:
    """What changed from one snapshot of a negotiation to a later one.

    Red lines, issues, options, parties and proposals are **matched by id**: a
    red line with the same id in both is compared field by field (``rule`` as a
    parsed rule, so spacing and layout do not count; ``sources`` as a set); a
    renamed red line shows as one removed and one added. The conclusions are
    recomputed for both snapshots: whether the agreement zone is empty, the
    minimal conflicts (matched as sets of constraint ids), and each party's
    verdict on each proposal present in both.

    Parameters
    ----------
    before, after : Scenario
        The earlier and the later snapshot.
    time_limit : float, Deadline or None, optional
        Wall-clock seconds for the whole comparison (default 60).

    Returns
    -------
    Comparison

    Raises
    ------
    InvalidArgumentError
        If ``before`` or ``after`` is not a Scenario.
    SearchLimitError
        When the time limit runs out before the zones are decided.

    Examples
    --------
    >>> old = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: stated}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... proposals: [{id: p, terms: {tariff: low}}]
    ... ''')
    >>> new = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff<=low", stance: stated}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... proposals: [{id: p, terms: {tariff: low}}]
    ... ''')
    >>> c = ng.compare(old, new)
    >>> [(x.id, x.fields) for x in c.red_lines_changed], c.zone_before, c.zone_after
    ([('a1', ('rule',))], True, False)
    >>> c.conflicts_resolved, [(v.party, v.before, v.after) for v in c.verdicts if v.changed]
    ((('a1', 'b1'),), [('A', 'rejects', 'accepts')])
    """

    for name, value in (("before", before), ("after", after)):
        if not isinstance(value, Scenario):
            raise InvalidArgumentError(
                f"{name}=<{type(value).__name__}> must be a Scenario (load one with ng.load)"
            )
    return _compare(before, after, Deadline.coerce(time_limit))


def _compare(
    before: Scenario, after: Scenario, deadline: Deadline, known: Analysis | None = None
) -> Comparison:
    """:func:`compare`, reusing ``known``: an ``Analysis`` of ``after`` when there is one."""
    from negotiate.analysis.deadlock import explain_deadlock
    from negotiate.analysis.proposals import evaluate_proposal
    from negotiate.analysis.zone import agreement_zone

    old_lines, new_lines = _red_lines(before), _red_lines(after)
    added, removed = _diff_ids(list(old_lines), list(new_lines))
    changed: list[RedLineChange] = []
    for rid, (party, red_line) in new_lines.items():
        if rid not in old_lines:
            continue
        x, y = _fields(*old_lines[rid]), _fields(party, red_line)
        names = tuple(n for n in RED_LINE_FIELDS if x[n] != y[n])
        if names:
            changed.append(RedLineChange(
                rid, names, {n: _shown(n, x) for n in names}, {n: _shown(n, y) for n in names}
            ))

    issues_added, issues_removed = _diff_ids(
        [i.id for i in before.issues], [i.id for i in after.issues]
    )
    options_added: list[str] = []
    options_removed: list[str] = []
    old_issues = {i.id: i for i in before.issues}
    for issue in after.issues:
        if issue.id in old_issues:
            plus, minus = _diff_ids(old_issues[issue.id].option_ids, issue.option_ids)
            options_added += [f"{issue.id}.{o}" for o in plus]
            options_removed += [f"{issue.id}.{o}" for o in minus]
    parties_added, parties_removed = _diff_ids(
        [p.id for p in before.parties], [p.id for p in after.parties]
    )
    proposals_added, proposals_removed = _diff_ids(
        [p.id for p in before.proposals], [p.id for p in after.proposals]
    )

    def remaining() -> float | None:
        left = deadline.remaining()
        return None if left is None else max(left, 0.01)

    zones = []
    conflict_sets = []
    complete = True
    for s in (before, after):
        zone = known.zone if known is not None and s is after else agreement_zone(
            s, time_limit=remaining())
        zones.append(zone.is_empty)
        if zone.is_empty:
            explanation = known.deadlock if known is not None and s is after else \
                explain_deadlock(s, time_limit=remaining())
            conflict_sets.append([tuple(c.constraints) for c in explanation.conflicts])
            complete = complete and explanation.conflicts_complete
        else:
            conflict_sets.append([])
    old_set = {frozenset(c) for c in conflict_sets[0]}
    new_set = {frozenset(c) for c in conflict_sets[1]}
    appeared = tuple(c for c in conflict_sets[1] if frozenset(c) not in old_set)
    resolved = tuple(c for c in conflict_sets[0] if frozenset(c) not in new_set)

    verdicts: list[VerdictChange] = []
    old_proposals = {p.id for p in before.proposals}
    both_parties = {p.id for p in before.parties} & {p.id for p in after.parties}
    for proposal in after.proposals:
        if proposal.id not in old_proposals:
            continue
        deadline.check(f"evaluating proposal {proposal.id}")
        old_eval = evaluate_proposal(before, proposal.id)
        new_eval = next(
            (e for e in (known.proposals if known is not None else ())
             if e.proposal.id == proposal.id), None,
        ) or evaluate_proposal(after, proposal.id)
        old_verdicts = {v.party: v.verdict for v in old_eval.parties}
        for v in new_eval.parties:
            if v.party in both_parties:
                verdicts.append(VerdictChange(proposal.id, v.party, old_verdicts[v.party],
                                              v.verdict))

    return Comparison(
        before=before, after=after,
        red_lines_added=added, red_lines_removed=removed, red_lines_changed=tuple(changed),
        issues_added=issues_added, issues_removed=issues_removed,
        options_added=tuple(options_added), options_removed=tuple(options_removed),
        parties_added=parties_added, parties_removed=parties_removed,
        proposals_added=proposals_added, proposals_removed=proposals_removed,
        zone_before=zones[0], zone_after=zones[1],
        conflicts_appeared=appeared, conflicts_resolved=resolved,
        conflicts_complete=complete, verdicts=tuple(verdicts),
    )
