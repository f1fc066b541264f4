"""Evaluating a concrete proposal against every party's positions."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from negotiate._deadline import Deadline
from negotiate._results import Result, doc
from negotiate._text import ordered_numbers
from negotiate._tuning import PROPOSAL_ENUMERATION_LIMIT as _ENUMERATION_LIMIT
from negotiate.errors import InvalidArgumentError, SearchLimitError
from negotiate.model import Outcome, Proposal, Scenario
from negotiate.rules.lower import LNot
from negotiate.solver import Model
from negotiate.space import CompiledScenario, compile_scenario

__all__ = ["PartyVerdict", "ProposalEvaluation", "evaluate_proposal"]

Verdict = Literal["accepts", "rejects", "undecided"]

#: Default time limit of :func:`evaluate_proposal`, in seconds.
DEFAULT_TIME_LIMIT = 60.0

#: The keys of ``ProposalEvaluation.to_dict()``, in order.
_EVALUATION_KEYS = (
    "proposal", "title", "open_issues", "parties", "accepted_by", "rejected_by", "nearest",
    "changes",
)


def _deadline(time_limit: object) -> Deadline:
    if isinstance(time_limit, Deadline):
        return time_limit
    if time_limit is not None and (
        isinstance(time_limit, bool) or not isinstance(time_limit, int | float)
        or not time_limit > 0
    ):
        raise InvalidArgumentError(
            f"time_limit={time_limit!r} must be a positive number of seconds or None"
        )
    return Deadline(time_limit)


@dataclass(frozen=True)
class PartyVerdict(Result):
    """How one party fares under a proposal."""

    party: str
    """Party id."""
    name: str = field(metadata=doc(skip=True))
    """Party display name (not in ``to_dict()``)."""
    verdict: Verdict
    """``accepts``: every way of settling the open issues is acceptable to the party;
    ``rejects``: none is; ``undecided``: it depends on the open issues."""
    crossed: tuple[str, ...]
    """Red lines the proposal crosses however the open issues are settled."""
    at_risk: tuple[str, ...]
    """Red lines that hold or not depending on the open issues."""
    utility: tuple[float, float]
    """Lowest and highest utility over all ways of settling the open issues
    (equal for a complete proposal)."""
    reservation: float
    """The party's reservation utility."""


@dataclass(frozen=True)
class ProposalEvaluation(Result):
    """A proposal evaluated against every party. Build with :func:`evaluate_proposal`."""

    proposal: Proposal = field(metadata=doc(convert=lambda p: p.id))
    """The proposal evaluated (its id in ``to_dict()``)."""
    parties: tuple[PartyVerdict, ...]
    """One verdict per party, in scenario order."""
    open_issues: tuple[str, ...]
    """Issues the proposal leaves open."""
    nearest: Outcome | None
    """The acceptable-to-all outcome that changes the fewest of the proposal's terms
    (open issues are free), or None when the agreement zone is empty."""
    changes: tuple[tuple[str, str, str], ...]
    """(issue, proposed option, nearest option) for each term ``nearest`` changes."""

    @property
    def accepted_by(self) -> tuple[str, ...]:
        """Ids of the parties that accept the proposal however open issues are settled."""
        return tuple(v.party for v in self.parties if v.verdict == "accepts")

    @property
    def rejected_by(self) -> tuple[str, ...]:
        """Ids of the parties that reject it however open issues are settled."""
        return tuple(v.party for v in self.parties if v.verdict == "rejects")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the generated one with the proposal's title and who
        accepts and rejects it."""
        out = super().to_dict()
        out.update(title=self.proposal.title, accepted_by=list(self.accepted_by),
                   rejected_by=list(self.rejected_by))
        return {k: out[k] for k in _EVALUATION_KEYS}

    def __str__(self) -> str:
        """A short summary with bare red-line ids: an evaluation does not hold its
        scenario, so it cannot name each red line's stance and sources. For text with
        that provenance and option titles, use :func:`negotiate.report.format_evaluation`
        (what ``negotiate evaluate`` prints)."""
        lines = [f"Proposal {self.proposal.id}: {self.proposal.title}"]
        if self.open_issues:
            lines.append(f"  leaves open: {', '.join(self.open_issues)}")
        for v in self.parties:
            low, high = v.utility
            # as many digits as it takes for the numbers to agree with the verdict
            lo, hi, res = ordered_numbers([low, high, v.reservation])
            util = lo if low == high else f"{lo}-{hi}"
            line = f"  {v.name}: {v.verdict} (utility {util}, reservation {res})"
            if v.crossed:
                line += f"; crosses {', '.join(v.crossed)}"
            if v.at_risk:
                line += f"; at risk: {', '.join(v.at_risk)}"
            lines.append(line)
        if self.nearest is None:
            lines.append("  no outcome is acceptable to every party, so there is no nearest deal")
        elif not self.changes and len(self.accepted_by) == len(self.parties):
            lines.append("  acceptable to every party as it stands")
        elif not self.changes:
            settled = ", ".join(f"{i}={self.nearest[i]}" for i in self.open_issues)
            lines.append(
                "  acceptable to every party if the open issues are settled as in: " + settled
            )
        else:
            moved = "; ".join(f"{i}: {a} -> {b}" for i, a, b in self.changes)
            lines.append(f"  nearest deal acceptable to all changes {len(self.changes)} term(s): {moved}")
        return "\n".join(lines)


def _resolve(s: Scenario, proposal: Proposal | str | Mapping[str, str]) -> Proposal:
    if isinstance(proposal, Proposal):
        found = proposal
    elif isinstance(proposal, str):
        found = s.proposal(proposal)
    elif isinstance(proposal, Mapping):
        s.check_outcome(proposal, partial=True)  # names bad issues/options with a suggestion
        found = Proposal(id="proposal", title="the given terms", terms=dict(proposal))
    else:
        raise InvalidArgumentError(
            f"proposal=<{type(proposal).__name__}> must be a Proposal, a proposal id "
            "or a mapping of terms"
        )
    s.check_outcome(found.terms, partial=True)
    return found


def _red_line_status(
    c: CompiledScenario, r: int, fixed: Mapping[int, int], deadline: Deadline
) -> Literal["holds", "crossed", "depends"]:
    """Whether red line r holds for all, none or some completions of ``fixed``."""
    red_line = c.red_lines[r]
    open_scope = [i for i in red_line.scope if i not in fixed]
    # Completions range over coherent outcomes: when a coherence constraint reads an
    # open issue of the rule, only the solver (which enforces them) can tell.
    coupled = any(set(c.rules[h].scope) & set(open_scope) for h in c.hard)
    if not coupled and math.prod(c.sizes[i] for i in open_scope) <= _ENUMERATION_LIMIT:
        seen: set[bool] = set()
        for combo in itertools.product(*(range(c.sizes[i]) for i in open_scope)):
            columns = {i: fixed[i] for i in red_line.scope if i in fixed}
            columns.update(zip(open_scope, combo, strict=True))
            seen.add(bool(c.red_line_holds(r, columns)))
            if len(seen) == 2:
                return "depends"
        return "holds" if seen == {True} else "crossed"
    # Too many completions to walk: ask the solver whether each side is possible.
    can_hold = _feasible(c, fixed, lambda m: m.add_red_line(r), deadline)
    can_fail = _feasible(c, fixed, lambda m: m.add_rule(LNot(c.red_lines[r].rule)), deadline)
    return "depends" if can_hold and can_fail else ("holds" if can_hold else "crossed")



def _feasible(
    c: CompiledScenario, fixed: Mapping[int, int], add: Any, deadline: Deadline
) -> bool:
    deadline.check("evaluating the proposal")
    model = Model(c)
    for i, k in fixed.items():
        model.fix(i, k)
    add(model)
    result = model.solve(deadline)
    if result.status == "unknown":
        raise deadline.error("evaluating the proposal")
    return result.found


def evaluate_proposal(
    s: Scenario,
    proposal: Proposal | str | Mapping[str, str],
    *,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> ProposalEvaluation:
    """Evaluate a proposal against every party's red lines and reservation.

    A proposal may leave issues open. A party *accepts* it when every way of
    settling the open issues is acceptable to it, *rejects* it when none is,
    and is *undecided* otherwise. Crossed red lines fail however the open
    issues are settled; red lines *at risk* fail for some settlements.
    Utility is given as the range over all settlements of the open issues.
    The *nearest* deal is the outcome acceptable to every party that changes
    the fewest of the proposal's terms (open issues are free). Ties are broken
    issue by issue in scenario order: keep the proposed option if possible,
    else take the option nearest to it on the scale (ordered issues) or the
    earliest listed.

    Parameters
    ----------
    s : Scenario
    proposal : Proposal, str or mapping
        A proposal, the id of one of ``s.proposals``, or terms (issue -> option).
    time_limit : float, Deadline or None, optional
        Seconds for the whole evaluation (default 60); None for no limit.

    Returns
    -------
    ProposalEvaluation

    Raises
    ------
    SearchLimitError
        When the time limit ran out. When every verdict was in and an outcome
        changing the fewest terms had been found (but not yet the canonical one
        among ties), ``error.partial`` is that evaluation; otherwise None.
    ScenarioError
        For an unknown proposal id or terms naming unknown issues or options.
    InvalidArgumentError
        If ``proposal`` is none of the above.

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, mid, high], ordered: true}, {id: extras, options: [none, some]}]
    ... parties:
    ...   - {id: seller, red_lines: [{id: s-floor, rule: "price >= mid"}]}
    ...   - {id: buyer, red_lines: [{id: b-cap, rule: "price <= mid"}]}
    ... proposals: [{id: p1, terms: {price: high}}]
    ... ''')
    >>> e = ng.evaluate_proposal(s, "p1")
    >>> e.accepted_by, e.rejected_by, e.changes
    (('seller',), ('buyer',), (('price', 'high', 'mid'),))
    """
    deadline = _deadline(time_limit)
    c = compile_scenario(s)
    found = _resolve(s, proposal)
    fixed = {c.issue_index[i]: c.option_ids[c.issue_index[i]].index(o) for i, o in found.terms.items()}
    open_issues = tuple(i for i in c.issue_ids if i not in found.terms)
    verdicts = []
    for p, party in enumerate(s.parties):
        status = {
            c.red_lines[r].id: _red_line_status(c, r, fixed, deadline)
            for r in range(len(c.red_lines))
            if c.red_lines[r].party == p
        }
        crossed = tuple(r for r, st in status.items() if st == "crossed")
        at_risk = tuple(r for r, st in status.items() if st == "depends")
        low = sum(
            c.tables[p][i][fixed[i]] if i in fixed else min(c.tables[p][i]) for i in range(c.n_issues)
        )
        high = sum(
            c.tables[p][i][fixed[i]] if i in fixed else max(c.tables[p][i]) for i in range(c.n_issues)
        )
        verdict: Verdict
        if crossed or high < c.thresholds[p]:
            verdict = "rejects"
        elif not at_risk and low >= c.thresholds[p]:
            verdict = "accepts"
        else:

            def add_party(m: Model, p: int = p) -> None:
                for r in range(len(c.red_lines)):
                    if c.red_lines[r].party == p:
                        m.add_red_line(r)
                m.add_reservation(p)

            verdict = "undecided" if _feasible(c, fixed, add_party, deadline) else "rejects"
        verdicts.append(
            PartyVerdict(
                party=party.id,
                name=party.name,
                verdict=verdict,
                crossed=crossed,
                at_risk=at_risk,
                utility=(c.utility(p, low), c.utility(p, high)),
                reservation=party.reservation,
            )
        )
    def evaluation(nearest: Outcome | None) -> ProposalEvaluation:
        changes: tuple[tuple[str, str, str], ...] = ()
        if nearest is not None:
            changes = tuple(
                (issue, option, nearest[issue])
                for issue, option in found.terms.items()
                if nearest[issue] != option
            )
            changes = tuple(sorted(changes, key=lambda ch: c.issue_index[ch[0]]))
        return ProposalEvaluation(
            proposal=found,
            parties=tuple(verdicts),
            open_issues=open_issues,
            nearest=nearest,
            changes=changes,
        )

    return evaluation(_nearest(c, fixed, deadline, evaluation))


def _nearest(
    c: CompiledScenario,
    fixed: Mapping[int, int],
    deadline: Deadline,
    evaluation: Callable[[Outcome | None], ProposalEvaluation],
) -> Outcome | None:
    """Zone outcome with the fewest changed terms; deterministic tie-breaking.

    Without a binding reservation the linkage components are independent: the fewest
    changes overall are the fewest in each component, and the issue-by-issue canonical
    choice only ever looks inside the issue's component, so each component is solved
    on its own (a small model each). A binding reservation couples every issue its
    party cares about: then one model over all issues."""
    if any(c.binding):
        parts: tuple[tuple[int, ...], ...] = (tuple(range(c.n_issues)),)
    else:
        if any(not r.scope and not bool(c.red_line_holds(q, {}))
               for q, r in enumerate(c.red_lines)):
            return None  # a constant red line that never holds
        parts = c.linkage.components
    current = [0] * c.n_issues
    whole = len(parts) == 1
    for part in parts:
        found = _nearest_part(c, part, fixed, deadline, evaluation if whole else None)
        if found is None:
            return None
        for i in part:
            current[i] = found[i]
    return c.outcome(current)


def _nearest_part(
    c: CompiledScenario,
    issues: tuple[int, ...],
    fixed: Mapping[int, int],
    deadline: Deadline,
    evaluation: Callable[[Outcome | None], ProposalEvaluation] | None,
) -> list[int] | None:
    """The canonical nearest assignment of ``issues`` (a union of components), or None."""
    inside = set(issues)
    model = Model(c, None if len(inside) == c.n_issues else issues)
    for r, rule in enumerate(c.red_lines):
        if set(rule.scope) <= inside:  # constant rules too
            model.add_red_line(r)
    for p in range(c.n_parties):
        if c.binding[p]:
            model.add_reservation(p)
    terms = {i: k for i, k in fixed.items() if i in inside}
    kept = [model.x[i][k] for i, k in terms.items()]
    model.cp.maximize(sum(kept))
    first = model.solve(deadline)
    if first.status == "infeasible":
        return None
    if first.status != "optimal" or first.indices is None:
        raise deadline.error("finding the nearest acceptable outcome")
    best = sum(1 for i, k in terms.items() if first.indices[i] == k)
    # Canonical choice among the optimal outcomes: issue by issue, keep the proposal's
    # option if possible, else the nearest on the scale (ordered issues) or the
    # earliest listed, that stays optimal.
    model.cp.clear_objective()  # type: ignore[no-untyped-call]
    model.cp.add(sum(kept) >= best)
    current = list(first.indices)

    def stop(what: str) -> SearchLimitError:
        partial = None if evaluation is None else evaluation(c.outcome(current))
        return deadline.error(what, partial)

    for i in issues:
        for k in _preference_order(c, i, terms.get(i)):
            if current[i] == k:
                break
            if deadline.expired:
                raise stop("choosing the canonical nearest outcome")
            model.cp.clear_hints()  # type: ignore[no-untyped-call]
            for j in issues:  # the last solution is a good start
                if j != i:
                    model.cp.add_hint(model.x[j][current[j]], 1)
            result = model.solve(deadline, assumptions=[model.x[i][k]])
            if result.indices is not None:
                current = list(result.indices)
                break
            if result.status == "unknown":
                raise stop("choosing the canonical nearest outcome")
        model.fix(i, current[i])
    return current


def _preference_order(c: CompiledScenario, i: int, proposed: int | None) -> list[int]:
    """Options of issue i in the order tried: the proposed one, then the nearest on the
    scale (ordered issues) or the earliest listed."""
    options = list(range(c.sizes[i]))
    if proposed is None:
        return options
    if c.scenario.issues[i].ordered:
        return sorted(options, key=lambda k: (abs(k - proposed), k))
    return [proposed] + [k for k in options if k != proposed]
