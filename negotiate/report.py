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
    EXPLAIN,
    big_count,
    compared,
    constraint_label,
    option_title,
    ordered_numbers,
    outcome_lines,
    outcome_titles,
    words,
    wrap_lines,
)
from negotiate.analysis.whole import (
    TIE_BREAK,
    WHAT_IF_LIMIT,
    Analysis,
    analyze,
    stance_of,
    tie_key,
)
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


def _kind_of(constraints: Sequence[str]) -> str:
    """``red line(s)``, ``reservation(s)`` or ``red line(s) or reservation(s)``."""
    reservations = sum(c.endswith(":reservation") for c in constraints)
    if reservations == 0:
        return "red line" if len(constraints) == 1 else "red lines"
    if reservations == len(constraints):
        return "reservation" if len(constraints) == 1 else "reservations"
    return "red lines or reservations"


def _owner_name(s: Scenario, constraint: str) -> str:
    if constraint.endswith(":reservation"):
        return s.party(constraint.removesuffix(":reservation")).name
    return s.red_line(constraint)[0].name


def _sides(s: Scenario, conflict: Any) -> str:
    """Who clashes with whom, without ids: ``Russia vs Ukraine``."""
    names = list(dict.fromkeys(_owner_name(s, c) for c in conflict.constraints))
    if len(names) == 1:
        return f"{names[0]} (with itself)"
    return " vs ".join(names)


def _clash_summary(s: Scenario, conflicts: Sequence[Any], tag: bool) -> str:
    """Clashes grouped by who is on each side: ``Russia vs Ukraine over donetsk, south``."""
    groups: dict[str, list[str]] = {}
    for c in conflicts:
        if not c.issues:
            where = "the whole outcome"
        elif len(c.issues) == 1:
            where = c.issues[0]
        else:
            where = f"{words(c.issues)} together"
        if tag:
            where += f" ({_needs(s, c.constraints)})"
        groups.setdefault(_sides(s, c), []).append(where)
    return ". ".join(f"{who} over {'; '.join(dict.fromkeys(w))}" for who, w in groups.items())


def bottom_line(a: Analysis) -> tuple[str, ...]:
    """A few sentences: is there a deal; which clashes hold on stated positions alone
    and which need reported or inferred ones; how each plan fares.

    The clashes are summarised by who clashes with whom over which issues (no
    red-line ids); each is listed with its red lines and their sources in the
    CONFLICTS section of :func:`format_analysis`.
    """
    s = a.scenario
    lines: list[str] = []
    verdicts = [level.is_empty for level in a.evidence]
    if not a.zone.is_empty:
        size = big_count(a.count) if a.count is not None else "some"
        lines.append(
            f"There is room for a deal: {size} outcome(s) are acceptable to every party "
            "on all red lines (stated, reported and inferred)."
        )
    elif verdicts and all(v is True for v in verdicts):
        lines.append(
            "No deal: no outcome is acceptable to every party, even counting only the red "
            "lines the parties stated in public. So the deadlock holds on what the parties "
            "said, not only on reports or the analyst's inferences."
        )
    else:
        lines.append(
            "No outcome is acceptable to every party when all red lines count "
            "(stated, reported and inferred)."
        )
    if a.evidence and not (a.zone.is_empty and all(v is True for v in verdicts)):
        said = []
        for level in a.evidence:
            verdict = {True: "no deal", False: "a deal exists", None: "not decided in time"}[
                level.is_empty
            ]
            said.append(f"on {_level_name(level.stances)}: {verdict}")
        lines.append("By evidence: " + "; ".join(said) + ".")
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
                f"Clashes on stated positions alone ({len(firm)}). "
                + _clash_summary(s, firm, tag=False) + "."
            )
        else:
            lines.append("No clash holds on stated positions alone.")
        if soft:
            lines.append(
                f"Clashes that need a reported or inferred position or a reservation "
                f"({len(soft)}; the weakest kind in brackets). "
                + _clash_summary(s, soft, tag=True) + "."
            )
        lines.append("Each clash is listed with its red lines and their sources under CONFLICTS.")
        if not a.deadlock.conflicts_complete:
            lines.append("More clashes may exist (the search was cut short).")
    relaxations = a.deadlock.relaxations
    if a.zone.is_empty and relaxations:
        least = len(relaxations[0].constraints)
        ties = len(relaxations)
        text = (
            f"For any deal at least {least} {_kind_of(relaxations[0].constraints)} must give "
            "way"
        )
        if ties > 1 and a.deadlock.relaxations_complete:
            text += f"; {ties} different sets of that size would do, all listed below"
        elif ties > 1:
            text += (
                f"; at least {ties} different sets of that size would do (the search "
                "stopped there; more may exist)"
            )
        elif not a.deadlock.relaxations_complete:
            text += "; one set of that size was found (the search stopped; more may exist)"
        else:
            text += "; only one set of that size would do"
        lines.append(text + ".")
    for e in a.proposals:
        lines.append(_plan_sentence(s, e))
    if a.incomplete:
        lines.append(
            "The time limit ran out before: " + ", ".join(a.incomplete) + " (not shown)."
        )
    return tuple(lines)


def _tally(s: Scenario, constraints: Sequence[str]) -> str:
    kinds = [stance_of(s, c) for c in constraints]
    return ", ".join(
        f"{kinds.count(k)} {k}" for k in ("stated", "reported", "inferred", "reservation")
        if kinds.count(k)
    )


def _plan_sentence(s: Scenario, e: ProposalEvaluation) -> str:
    """Who accepts, who rejects and why (the kinds of red lines crossed whatever the open
    issues, or a utility below the reservation), who cannot tell yet."""
    accepts = [v.name for v in e.parties if v.verdict == "accepts"]
    undecided = [v.name for v in e.parties if v.verdict == "undecided"]
    rejects = []
    for v in e.parties:
        if v.verdict != "rejects":
            continue
        why = []
        if v.crossed:
            kinds = [stance_of(s, c) for c in v.crossed]
            counted = [
                f"{kinds.count(k)} {k}" for k in ("stated", "reported", "inferred")
                if kinds.count(k)
            ]
            noun = "red line" if len(v.crossed) == 1 else "red lines"
            why.append(f"crosses {words(counted)} {noun}")
        if v.utility[1] < v.reservation:
            why.append("below its reservation")
        rejects.append(f"{v.name} ({'; '.join(why)})" if why else v.name)
    parts = []
    if accepts:
        parts.append(f"accepted by {words(accepts)}")
    if rejects:
        parts.append(f"rejected by {words(rejects)}")
    if undecided:
        parts.append(
            f"{words(undecided)} undecided (it leaves {len(e.open_issues)} of "
            f"{len(s.issues)} issues open)"
        )
    return f"{e.proposal.title}: " + "; ".join(parts) + "."


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
      terms:
        price: Low
      seller: rejects (utility 0.4496 < reservation 0.45)
      nearest deal acceptable to all changes 1 term(s): price: Low -> High
    """
    lines = [f"Proposal: {e.proposal.title} ({e.proposal.id})"]
    if e.proposal.terms:
        lines.append("  terms:")
        lines += [f"    {x}" for x in outcome_lines(s, e.proposal.terms)]
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
        lines.append(f"  {v.name}: {v.verdict} ({util})")
        if v.crossed:
            lines.append("    crosses: " + ", ".join(
                constraint_label(s, c, party=False) for c in v.crossed
            ))
        if v.at_risk:
            lines.append("    may cross, depending on the open issues: " + ", ".join(
                constraint_label(s, c, party=False) for c in v.at_risk
            ))
    if e.nearest is None:
        lines.append("  no change to its terms makes it acceptable to every party (no outcome is)")
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
    return wrap_lines("\n".join(lines))


# -- the whole analysis -------------------------------------------------------------------------


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def format_analysis(a: Analysis) -> str:
    """The text ``negotiate analyze`` prints: title, caveat and bottom line first;
    then conflicts, relaxations, near deals, proposals and what-ifs. Lines are
    wrapped at :data:`negotiate._text.WIDTH` characters."""
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
        f"({_stance_counts(s)}), {len(s.constraints)} coherence constraint(s) (rules every "
        "outcome obeys; they belong to no party and are never given up)."
    )
    out += _heading("AGREEMENT ZONE")
    if a.zone.is_empty:
        out.append(f"Empty: no outcome is acceptable to all {len(s.parties)} parties.")
    else:
        size = (f"{big_count(a.count)} outcome(s)" if a.count is not None
                else str(a.count_estimate) if a.count_estimate is not None
                else "Outcomes (how many was not counted in time)")
        out.append(f"{size} acceptable to every party. For example:")
        out.append("  " + outcome_titles(s, a.zone.witness or {}))  # non-empty: has one
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
        out += _heading("CONFLICTS")
        out.append(
            "Each clash is a smallest set of positions that cannot all hold at once; "
            "[needs: ...] is the least firm kind of position it rests on."
        )
        for c in a.deadlock.conflicts:
            note = " [not proven minimal]" if not c.minimal else ""
            where = f"on {', '.join(c.issues)}: " if c.issues else ""
            members = " vs ".join(constraint_label(s, x) for x in c.constraints)
            if len(c.constraints) == 1:
                members += " alone"
            out.append(f"- {where}{members} [needs: {_needs(s, c.constraints)}]{note}")
    if a.zone.is_empty and a.deadlock.relaxations:
        out += _relaxation_lines(a)
    if a.near_deals:
        out += _near_deal_lines(a)
    if a.proposals:
        out += _heading("PROPOSALS")
        out.append(EXPLAIN["reservation"] if not a.near_deals else (
            "Each party's utility (a range when a plan leaves issues open) against its "
            "reservation, and the red lines the plan crosses or may cross."
        ))
        for e in a.proposals:
            out += ["", format_evaluation(s, e)]
    if not a.zone.is_empty:
        out += _heading("PARETO FRONTIER AND BARGAINING SOLUTIONS")
        if a.frontier is None:
            out.append(f"Not computed: {a.skipped}")
        else:
            out += _frontier_lines(s, a.frontier, a.solutions)
    for k, w in enumerate(a.what_ifs, 1):
        if k == 1:
            out += ["", EXPLAIN["what_if"]]
        out += _what_if_lines(a, w, k)
    if a.what_if_omitted:
        out.append(
            f"({a.what_if_omitted} more tied relaxation(s) have no what-if here, at most "
            f"{WHAT_IF_LIMIT} are shown; pick one with --relax ID,ID...)"
        )
    if a.zone.is_empty and not a.what_ifs and a.skipped:
        out += _heading("WHAT-IF")
        out.append(f"Not computed: {a.skipped}")
    return wrap_lines("\n".join(out).rstrip()) + "\n"


def _stance_counts(s: Scenario) -> str:
    counts = {"stated": 0, "reported": 0, "inferred": 0}
    for p in s.parties:
        for r in p.red_lines:
            counts[r.stance] += 1
    return ", ".join(f"{n} {k}" for k, n in counts.items())


def _by_party(s: Scenario, constraints: Sequence[str]) -> str:
    """Constraints grouped by party: ``Russia: ru-a (stated: R1), ru-b (...); Europe: ...``."""
    groups: dict[str, list[str]] = {}
    for c in constraints:
        groups.setdefault(_owner_name(s, c), []).append(constraint_label(s, c, party=False))
    return "; ".join(f"{who}: {', '.join(labels)}" for who, labels in groups.items())


def _relaxation_lines(a: Analysis) -> list[str]:
    s = a.scenario
    rel = a.deadlock.relaxations
    size = len(rel[0].constraints)
    what = _kind_of([c for r in rel for c in r.constraints])
    if size == 1:
        what = what.replace("red lines", "red line").replace("reservations", "reservation")
    weighted = " (least total cost)" if a.deadlock.weighted else ""
    out = _heading("WHAT WOULD HAVE TO GIVE")
    out.append(EXPLAIN["relaxation"])
    complete = a.deadlock.relaxations_complete
    if len(rel) == 1:
        out.append(
            f"One smallest relaxation{weighted} ({size} {what}) was found"
            + (":" if complete else "; the search stopped, so others of that size may exist:")
        )
    else:
        count = str(len(rel)) if complete else f"At least {len(rel)}"
        out.append(
            f"{count} relaxations tie as smallest{weighted} ({size} {what} each); any one "
            f"opens a zone. Listed by {TIE_BREAK}"
            + (":" if complete else "; the search stopped there, so more may exist:")
        )
    order = {cid: j for j, cid in enumerate(a.deadlock.labels)}
    ranked = sorted(rel, key=lambda r: tie_key(s, r, order))
    core = [c for c in ranked[0].constraints if all(c in r.constraints for r in ranked)]
    if len(ranked) > 1 and core:
        every = "Every one of them" if complete else "Every one found"
        out.append(f"{every} gives up: {_by_party(s, core)}. Besides that:")
    shown = {w.relaxation: k for k, w in enumerate(a.what_ifs, 1)}
    for n, r in enumerate(ranked, 1):
        rest = [c for c in r.constraints if c not in core] if len(ranked) > 1 else r.constraints
        zone = "" if r.zone_size is None else f"; opens {big_count(r.zone_size)} outcome(s)"
        key = tuple(r.constraints)
        see = f"; what-if {shown[key]} below" if key in shown else ""
        out.append(f"{n}. {_by_party(s, rest)} [gives up {_tally(s, r.constraints)}{zone}{see}]")
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
    out.append(EXPLAIN["reservation"])
    reservations = {p.id: p.reservation for p in s.parties}
    for n, d in enumerate(a.near_deals, 1):
        count = len(d.crossed)
        out.append(
            f"{n}. crosses {count} {_kind_of(d.crossed)}" + ("" if d.proven else " (not proven best)")
        )
        read = {i for c in d.crossed for i in a.deadlock.constraint_issues.get(c, ())}
        if read:
            out.append("   on the disputed issues:")
            out += [f"     {x}" for x in outcome_lines(s, d.outcome, read)]
        for p in s.parties:
            u, r = compared(d.utilities[p.id], reservations[p.id])
            u = f"{u} <" if d.utilities[p.id] < reservations[p.id] else f"{u},"
            gives = d.crossed_by_party.get(p.id, ())
            cost = (
                "gives up " + ", ".join(constraint_label(s, c, party=False) for c in gives)
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
        "Assumes these are given up: " + _by_party(s, w.relaxation)
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
    size = f"{big_count(n)} point(s)"
    if frontier.outcome_count != n:
        size += f", {big_count(frontier.outcome_count)} outcome(s)"
    out = [f"Pareto frontier: {size}; the {len(points)} most balanced (highest lowest utility):"]
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
            out += [f"    {x}" for x in outcome_lines(s, sol.outcome)]
        else:
            diff = [i for i in sol.outcome if sol.outcome[i] != nash.outcome.get(i)]
            if diff:
                out.append("  as Nash except:")
                out += [f"    {x}" for x in outcome_lines(s, sol.outcome, diff)]
            else:
                out.append("  the same outcome as Nash")
    return out
