"""Text for people: the whole analysis (``negotiate analyze``) and one proposal
(``negotiate evaluate``). Formatting only; the analysis is in
:mod:`negotiate.analysis.whole`.

Rules every text here follows (DESIGN.md, "Honest output"): a red line is
named with its party, stance and sources; numbers a sentence compares print
with enough digits to show their order; options print with their titles; the
text opens with the caveat and the bottom line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from negotiate._text import (
    big_count,
    compared,
    constraint_label,
    option_title,
    ordered_numbers,
    outcome_titles,
    words,
)
from negotiate.analysis.whole import TIE_BREAK, Analysis, analyze, stance_of
from negotiate.model import Scenario

if TYPE_CHECKING:
    from negotiate.analysis.proposals import ProposalEvaluation

__all__ = [
    "FRONTIER_ROWS",
    "Analysis",
    "analyze",
    "bottom_line",
    "caveat",
    "format_analysis",
    "format_evaluation",
]

#: Frontier rows printed per what-if (the rest are counted, and are in the JSON).
FRONTIER_ROWS = 5

_SOLUTION_TITLES = {
    "nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian", "utilitarian": "Utilitarian",
}


# -- caveat and bottom line ----------------------------------------------------------------------


def caveat(s: Scenario) -> str:
    """"Not a forecast and not a recommendation", and what is analyst judgement.

    Examples
    --------
    >>> from negotiate.report import caveat
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y]}]
    ... parties: [{id: p, red_lines: [{id: p1, rule: "a == x"}]}]
    ... ''')
    >>> print(caveat(s))  # doctest: +NORMALIZE_WHITESPACE
    Not a forecast and not a recommendation. Analyst judgements: the importance of each
    issue to each party, the values of the options, the reservations and the bargaining
    power; 1 of 1 red lines is inferred (the analyst's reading, not a position the party
    stated): p1.
    """
    red_lines = [r for p in s.parties for r in p.red_lines]
    inferred = [r.id for r in red_lines if r.stance == "inferred"]
    reported = [r.id for r in red_lines if r.stance == "reported"]
    text = (
        "Not a forecast and not a recommendation. Analyst judgements: the importance of "
        "each issue to each party, the values of the options, the reservations and the "
        "bargaining power"
    )
    if inferred:
        verb = "is" if len(inferred) == 1 else "are"
        text += (
            f"; {len(inferred)} of {len(red_lines)} red lines {verb} inferred (the analyst's "
            f"reading, not a position the party stated): {', '.join(inferred)}"
        )
    if reported:
        verb = "rests" if len(reported) == 1 else "rest"
        text += f"; {len(reported)} {verb} on reports by others: {', '.join(reported)}"
    return text + "."


def _level_name(stances: Sequence[str]) -> str:
    return {1: "stated red lines alone", 2: "stated and reported red lines"}.get(
        len(stances), "all red lines (stated, reported and inferred)"
    )


def _needs(s: Scenario, constraints: Sequence[str]) -> str:
    """What a clash rests on: the least firm kind of position among its members."""
    kinds = {stance_of(s, c) for c in constraints}
    if "inferred" in kinds:
        return "inferred"
    if "reservation" in kinds:
        return "reservation"
    if "reported" in kinds:
        return "reported"
    return "stated"


def _clash(s: Scenario, conflict: Any) -> str:
    parts = " vs ".join(constraint_label(s, c) for c in conflict.constraints)
    if len(conflict.constraints) == 1:
        parts += " alone"
    if conflict.issues:
        parts += " on " + ", ".join(conflict.issues)
    return parts


def bottom_line(a: Analysis) -> tuple[str, ...]:
    """A few sentences: is there a deal; which clashes hold on stated positions alone
    and which need reported or inferred ones; how each plan fares."""
    s = a.scenario
    lines: list[str] = []
    if not a.zone.is_empty:
        size = big_count(a.count) if a.count is not None else "some"
        lines.append(
            f"There is room for a deal: {size} outcome(s) are acceptable to every party "
            "on all red lines (stated, reported and inferred)."
        )
    else:
        lines.append(
            "No outcome is acceptable to every party when all red lines count "
            "(stated, reported and inferred)."
        )
    if a.evidence:
        said = []
        for level in a.evidence:
            verdict = {True: "no deal", False: "a deal exists", None: "not decided in time"}[
                level.is_empty
            ]
            said.append(f"on {_level_name(level.stances)}: {verdict}")
        lines.append("By evidence: " + "; ".join(said) + ".")
        verdicts = [level.is_empty for level in a.evidence]
        if verdicts[-1] is True and verdicts[0] is False:
            first = next(
                _level_name(level.stances) for level in a.evidence if level.is_empty is True
            )
            lines.append(
                "So the deadlock rests on positions that were not stated in public: it "
                f"appears only on {first}."
            )
        elif verdicts[0] is True:
            lines.append("So the deadlock holds on what the parties said in public.")
    conflicts = a.deadlock.conflicts
    if conflicts:
        firm = [c for c in conflicts if _needs(s, c.constraints) == "stated"]
        soft = [c for c in conflicts if _needs(s, c.constraints) != "stated"]
        if firm:
            lines.append(
                "Clashes that hold on stated positions alone: "
                + "; ".join(_clash(s, c) for c in firm) + "."
            )
        else:
            lines.append("No clash holds on stated positions alone.")
        if soft:
            lines.append(
                "Clashes that need a reported or inferred position (or a reservation): "
                + "; ".join(_clash(s, c) for c in soft) + "."
            )
        if not a.deadlock.conflicts_complete:
            lines.append("More clashes may exist (the search was cut short).")
    relaxations = a.deadlock.relaxations
    if a.zone.is_empty and relaxations:
        least = len(relaxations[0].constraints)
        ties = len(relaxations)
        text = f"At least {least} constraint(s) must give way for any deal"
        if ties > 1:
            text += f"; {ties} ways tie, all listed below"
        lines.append(text + ".")
    for e in a.proposals:
        lines.append(_plan_sentence(s, e))
    if a.incomplete:
        lines.append(
            "The time limit ran out before: " + ", ".join(a.incomplete) + " (not shown)."
        )
    return tuple(lines)


def _plan_sentence(s: Scenario, e: ProposalEvaluation) -> str:
    groups: dict[str, list[str]] = {"accepts": [], "rejects": [], "undecided": []}
    for v in e.parties:
        groups[v.verdict].append(v.name)
    crossed = [c for v in e.parties for c in v.crossed]
    below = [v.name for v in e.parties if v.utility[1] < v.reservation]
    parts = []
    if groups["accepts"]:
        parts.append(f"accepted by {words(groups['accepts'])}")
    if groups["rejects"]:
        parts.append(f"rejected by {words(groups['rejects'])}")
    if groups["undecided"]:
        parts.append(f"{words(groups['undecided'])} undecided (it depends on issues it leaves open)")
    text = f"{e.proposal.title}: " + "; ".join(parts)
    if crossed:
        kinds = [stance_of(s, c) for c in crossed]
        tally = ", ".join(
            f"{kinds.count(k)} {k}" for k in ("stated", "reported", "inferred") if kinds.count(k)
        )
        text += (
            f"; it crosses {len(crossed)} red line(s) however its open issues are settled "
            f"({tally})"
        )
    if below:
        text += f"; it leaves {words(below)} below their reservation"
    return text + "."


# -- one proposal -------------------------------------------------------------------------------


def format_evaluation(s: Scenario, e: ProposalEvaluation) -> str:
    """A proposal's verdicts for people: numbers that never contradict the verdict,
    red lines with provenance, options with titles.

    Examples
    --------
    >>> from negotiate.report import format_evaluation
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [{id: low, title: Low}, {id: high, title: High}]}]
    ... parties:
    ...   - {id: seller, reservation: 0.45, preferences: {price: {importance: 1, values: {low: 0.4496, high: 1}}}}
    ... proposals: [{id: p1, title: Cheap, terms: {price: low}}]
    ... ''')
    >>> print(format_evaluation(s, ng.evaluate_proposal(s, "p1")))
    Proposal: Cheap (p1)
      terms: price: Low
      seller: rejects (utility 0.4496 < reservation 0.45)
      nearest deal acceptable to all changes 1 term(s): price: Low -> High
    """
    lines = [f"Proposal: {e.proposal.title} ({e.proposal.id})"]
    if e.proposal.terms:
        lines.append("  terms: " + outcome_titles(s, e.proposal.terms))
    if e.open_issues:
        lines.append("  leaves open: " + ", ".join(e.open_issues))
    if e.proposal.sources:
        lines.append("  mapping rests on: " + ", ".join(e.proposal.sources))
    for v in e.parties:
        low, high = v.utility
        if low == high:
            u, r = compared(low, v.reservation)
            sign = " <" if low < v.reservation else ","
            util = f"utility {u}{sign} reservation {r}"
        else:
            lo, hi, r = ordered_numbers([low, high, v.reservation])
            sign = " <" if high < v.reservation else ","
            util = f"utility {lo} to {hi}{sign} reservation {r}"
        line = f"  {v.name}: {v.verdict} ({util})"
        if v.crossed:
            line += "; crosses " + ", ".join(constraint_label(s, c) for c in v.crossed)
        if v.at_risk:
            line += "; at risk: " + ", ".join(constraint_label(s, c) for c in v.at_risk)
        lines.append(line)
    if e.nearest is None:
        lines.append("  no outcome changes the terms into one every party accepts")
    elif not e.changes and len(e.accepted_by) == len(e.parties):
        lines.append("  acceptable to every party as it stands")
    elif not e.changes:
        lines.append(
            "  acceptable to every party if the open issues are settled as in: "
            + outcome_titles(s, e.nearest, e.open_issues)
        )
    else:
        moved = "; ".join(
            f"{i}: {option_title(s, i, a)} -> {option_title(s, i, b)}"
            for i, a, b in e.changes
        )
        lines.append(f"  nearest deal acceptable to all changes {len(e.changes)} term(s): {moved}")
    return "\n".join(lines)


# -- the whole analysis -------------------------------------------------------------------------


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def format_analysis(a: Analysis) -> str:
    """The text ``negotiate analyze`` prints: title, caveat and bottom line first;
    then conflicts, relaxations, near deals, proposals and what-ifs."""
    s = a.scenario
    rule = "=" * 78
    out = [rule, s.title + (f" — as of {s.as_of}" if s.as_of else ""), rule]
    out += [a.caveat, ""]
    out += ["BOTTOM LINE", "-" * 11]
    out += [f"- {line}" for line in a.bottom_line]
    out += _heading("SCENARIO")
    out.append(
        f"{len(s.parties)} parties, {len(s.issues)} issues, {big_count(s.outcome_count)} "
        f"possible outcomes, {sum(len(p.red_lines) for p in s.parties)} red lines "
        f"({_stance_counts(s)}), {len(s.constraints)} coherence constraint(s)."
    )
    out += _heading("AGREEMENT ZONE")
    if a.zone.is_empty:
        out.append(f"Empty: no outcome is acceptable to all {len(s.parties)} parties.")
    else:
        size = f"{big_count(a.count)} outcome(s)" if a.count is not None else str(a.count_estimate)
        out.append(f"{size} acceptable to every party. For example:")
        out.append("  " + outcome_titles(s, a.zone.witness))
    if a.evidence:
        out += _heading("EVIDENCE LEVELS")
        for level in a.evidence:
            verdict = {True: "no deal", False: "a deal exists", None: "not decided in time"}[
                level.is_empty
            ]
            out.append(
                f"- {_level_name(level.stances)}: {verdict}; "
                f"{len(level.conflicts)} clash(es)"
                + ("" if level.conflicts_complete else " found before the limit")
            )
    if a.deadlock.conflicts:
        out += _heading("CONFLICTS (minimal sets of positions that cannot all hold)")
        for c in a.deadlock.conflicts:
            note = "" if c.minimal else " [not proven minimal]"
            out.append(f"- {_clash(s, c)} [needs: {_needs(s, c.constraints)}]{note}")
    if a.zone.is_empty and a.deadlock.relaxations:
        out += _relaxation_lines(a)
    if a.near_deals:
        out += _near_deal_lines(a)
    if a.proposals:
        out += _heading("PROPOSALS")
        for e in a.proposals:
            out += [format_evaluation(s, e), ""]
    if not a.zone.is_empty:
        out += _heading("PARETO FRONTIER AND BARGAINING SOLUTIONS")
        if a.frontier is None:
            out.append(f"Not computed: {a.skipped}")
        else:
            out += _frontier_lines(s, a.frontier, a.solutions)
    for k, w in enumerate(a.what_ifs, 1):
        out += _what_if_lines(a, w, k)
    if a.what_if_omitted:
        out.append(
            f"({a.what_if_omitted} more tied relaxation(s) have no what-if here; pick one "
            "with --relax ID,ID...)"
        )
    if a.zone.is_empty and not a.what_ifs and a.skipped:
        out += _heading("WHAT-IF")
        out.append(f"Not computed: {a.skipped}")
    return "\n".join(out).rstrip() + "\n"


def _stance_counts(s: Scenario) -> str:
    counts = {"stated": 0, "reported": 0, "inferred": 0}
    for p in s.parties:
        for r in p.red_lines:
            counts[r.stance] += 1
    return ", ".join(f"{n} {k}" for k, n in counts.items())


def _relaxation_lines(a: Analysis) -> list[str]:
    s = a.scenario
    rel = a.deadlock.relaxations
    what = "constraint" if len(rel[0].constraints) == 1 else "constraints"
    weighted = " (least total cost)" if a.deadlock.weighted else ""
    out = _heading("WHAT WOULD HAVE TO GIVE")
    if len(rel) == 1:
        out.append(f"One smallest relaxation{weighted}: dropping these {what} opens a zone.")
    else:
        out.append(
            f"{len(rel)} relaxations tie as smallest{weighted} ({len(rel[0].constraints)} "
            f"{what} each); any one opens a zone. Listed by {TIE_BREAK}:"
        )
    shown = {w.relaxation: k for k, w in enumerate(a.what_ifs, 1)}
    order = {cid: j for j, cid in enumerate(a.deadlock.labels)}
    from negotiate.analysis.whole import tie_key

    for n, r in enumerate(sorted(rel, key=lambda r: tie_key(s, r, order)), 1):
        kinds = [stance_of(s, c) for c in r.constraints]
        tally = ", ".join(
            f"{kinds.count(k)} {k}" for k in ("stated", "reported", "inferred", "reservation")
            if kinds.count(k)
        )
        zone = "" if r.zone_size is None else f"; opens {big_count(r.zone_size)} outcome(s)"
        see = f"; what-if {shown[tuple(r.constraints)]} below" if tuple(r.constraints) in shown else ""
        out.append(f"{n}. drop " + " + ".join(constraint_label(s, c) for c in r.constraints))
        out.append(f"   gives up {tally}{zone}{see}")
    if not a.deadlock.relaxations_complete:
        out.append("(more relaxations may exist: the search was cut short)")
    concession = a.deadlock.concession
    if concession is not None and concession > 0:
        out.append(
            "Keeping every red line instead would need every binding reservation to drop by "
            f"{ordered_numbers([concession], 4)[0]} (in utility)."
        )
    return out


def _near_deal_lines(a: Analysis) -> list[str]:
    from negotiate.analysis.near_select import RANKING

    s = a.scenario
    out = _heading("NEAR DEALS")
    out.append(f"Outcomes that cross the fewest red lines: {RANKING}.")
    reservations = {p.id: p.reservation for p in s.parties}
    for n, d in enumerate(a.near_deals, 1):
        count = len(d.crossed)
        out.append(f"{n}. crosses {count} constraint(s)" + ("" if d.proven else " (not proven best)"))
        read = {i for c in d.crossed for i in a.deadlock.constraint_issues.get(c, ())}
        if read:
            out.append("   on the disputed issues: " + outcome_titles(s, d.outcome, read))
        for p in s.parties:
            u, r = compared(d.utilities[p.id], reservations[p.id])
            u = f"{u} <" if d.utilities[p.id] < reservations[p.id] else f"{u},"
            gives = d.crossed_by_party.get(p.id, ())
            cost = (
                "gives up " + ", ".join(constraint_label(s, c) for c in gives)
                if gives else "gives up no red line"
            )
            loss = d.losses.get(p.id)
            lost = "" if loss is None else f", {ordered_numbers([loss])[0]} below its best"
            out.append(f"   - {p.name}: {cost}; utility {u} reservation {r}{lost}")
    return out


def _what_if_lines(a: Analysis, w: Any, k: int) -> list[str]:
    s = a.scenario
    if w.chosen_by == "user":
        title = "WHAT-IF (the relaxation you chose)"
    else:
        title = f"WHAT-IF {k} of {len(a.what_ifs) + a.what_if_omitted} (a tied smallest relaxation)"
    out = _heading(title)
    out.append(
        "Assumes these are dropped: " + "; ".join(constraint_label(s, c) for c in w.relaxation)
        + ". A what-if, not a forecast."
    )
    if w.frontier is None or w.frontier.is_empty or not w.solutions:
        if w.skipped:
            out.append(f"Not computed: {w.skipped}")
        return out
    return out + _frontier_lines(s, w.frontier, w.solutions)


def _frontier_lines(s: Scenario, frontier: Any, solutions: dict[str, Any]) -> list[str]:
    parties = list(frontier.parties)
    names = {p.id: p.name for p in s.parties}
    n = len(frontier)
    points = sorted(
        frontier.points,
        key=lambda p: (-min(p.utilities.values()), -sum(p.utilities.values())),
    )[:FRONTIER_ROWS]
    out = [
        f"Pareto frontier: {big_count(n)} point(s), {big_count(frontier.outcome_count)} "
        f"outcome(s); the {len(points)} most balanced (highest lowest utility):"
    ]
    widths = [max(6, len(names[p])) for p in parties]
    out.append("  " + " ".join(names[p].rjust(w) for p, w in zip(parties, widths, strict=True)))
    for point in points:
        out.append("  " + " ".join(
            f"{point.utilities[p]:.3f}".rjust(w) for p, w in zip(parties, widths, strict=True)
        ))
    if n > len(points):
        out.append(f"  ... and {big_count(n - len(points))} more point(s) (all in --json)")
    nash = solutions.get("nash")
    for key, sol in solutions.items():
        utilities = ", ".join(f"{names[p]} {u:.3f}" for p, u in sol.utilities.items())
        out.append(f"{_SOLUTION_TITLES.get(key, key)} solution: {utilities}")
        if key == "nash" or nash is None:
            out.append("  " + outcome_titles(s, sol.outcome))
        else:
            diff = [i for i in sol.outcome if sol.outcome[i] != nash.outcome.get(i)]
            out.append(
                "  as Nash except " + outcome_titles(s, sol.outcome, diff) if diff
                else "  the same outcome as Nash"
            )
    return out
