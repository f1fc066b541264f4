"""The data a report shows, as plain dicts and lists for the templates.

Everything the templates print is decided here, so the HTML and the Markdown
say the same thing; the templates only lay it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from negotiate._text import (
    big_count,
    compared,
    option_title,
    ordered_numbers,
    possessive,
    words,
)
from negotiate.model import Scenario
from negotiate.rules import render

if TYPE_CHECKING:
    from negotiate.analysis.deadlock_results import DeadlockExplanation
    from negotiate.analysis.proposals import ProposalEvaluation
    from negotiate.analysis.robustness_result import Robustness
    from negotiate.analysis.whole import Analysis
    from negotiate.comparison import Comparison

__all__ = ["build_context"]

CAVEAT = (
    "Not a forecast and not a recommendation. Red lines are tied to public sources and "
    "labelled stated, reported or inferred; importance, option values, reservations and "
    "power are analyst judgement."
)
_SOLUTION_NAMES = {
    "nash": "Nash bargaining solution",
    "kalai_smorodinsky": "Kalai–Smorodinsky solution",
    "egalitarian": "Egalitarian solution",
    "utilitarian": "Utilitarian solution",
}


def _owners(s: Scenario) -> dict[str, tuple[Any, Any]]:
    return {r.id: (p, r) for p in s.parties for r in p.red_lines}


def _ref(s: Scenario, cid: str, owners: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    """A constraint for the templates: id, party, stance, sources (linkable)."""
    if cid in owners:
        party, red_line = owners[cid]
        return {"id": cid, "anchor": f"rl-{cid}", "party": party.name, "stance": red_line.stance,
                "rule": render(red_line.rule), "sources": list(red_line.sources),
                "kind": "red_line"}
    party_id = cid.removesuffix(":reservation")
    name = next((p.name for p in s.parties if p.id == party_id), party_id)
    return {"id": cid, "anchor": None, "party": name, "stance": "analyst", "rule": "",
            "sources": [], "kind": "reservation" if cid.endswith(":reservation") else "other"}


def _parties(s: Scenario, in_conflict: set[str]) -> list[dict[str, Any]]:
    out = []
    for party in s.parties:
        out.append({
            "id": party.id, "name": party.name, "reservation": f"{party.reservation:g}",
            "power": f"{party.power:g}",
            "red_lines": [
                {"id": r.id, "anchor": f"rl-{r.id}", "rule": render(r.rule), "stance": r.stance,
                 "sources": list(r.sources), "note": r.note, "in_conflict": r.id in in_conflict}
                for r in party.red_lines
            ],
        })
    return out


def _movers(s: Scenario, deadlock: DeadlockExplanation) -> list[dict[str, Any]]:
    """Who would have to move: per party, its constraints in every / some minimum relaxation."""
    relaxations = list(deadlock.relaxations)
    if not relaxations:
        return []
    owners = _owners(s)
    counts: dict[str, int] = {}
    for relaxation in relaxations:
        for cid in relaxation.constraints:
            counts[cid] = counts.get(cid, 0) + 1
    out = []
    for party in s.parties:
        mine = [r.id for r in party.red_lines if r.id in counts]
        if party.reservation_id in counts:
            mine.append(party.reservation_id)
        if not mine:
            continue
        every = [c for c in mine if counts[c] == len(relaxations)]
        some = [c for c in mine if counts[c] < len(relaxations)]
        out.append({"party": party.name,
                    "every": [_ref(s, c, owners) for c in every],
                    "some": [_ref(s, c, owners) for c in some]})
    return out


def _conflicts(s: Scenario, deadlock: DeadlockExplanation) -> list[dict[str, Any]]:
    owners = _owners(s)
    items = []
    for conflict in deadlock.conflicts:
        members = [_ref(s, c, owners) for c in conflict.constraints]
        parties = list(dict.fromkeys(m["party"] for m in members))
        stances = {m["stance"] for m in members}
        firmness = ("stated positions only" if stances == {"stated"}
                    else "rests on " + words(sorted(stances - {"stated"})) + " positions")
        items.append({
            "members": members, "issues": list(conflict.issues), "parties": parties,
            "head_on": len(members) == 2, "minimal": conflict.minimal, "firmness": firmness,
        })
    return items


def _plans(s: Scenario, evaluations: Sequence[ProposalEvaluation]) -> list[dict[str, Any]]:
    owners = _owners(s)
    plans = []
    for e in evaluations:
        rows = []
        for v in e.parties:
            low, high = v.utility
            shown = compared(low, v.reservation)
            if abs(high - low) > 1e-12:
                top = compared(high, v.reservation)[0]
                utility = f"{shown[0]}–{top}"
            else:
                utility = shown[0]
            if v.verdict == "accepts":
                need = "nothing: acceptable however the open issues are settled"
            elif v.crossed:
                need = ("to give up the red lines the plan crosses, or the plan to change on "
                        + words(sorted({i for c in v.crossed if c in owners
                                        for i in _issues_of(owners[c][1])})))
            elif v.verdict == "rejects":
                need = "a better deal: the plan gives it less than its reservation"
            else:
                need = "the open issues settled so that its red lines at risk hold"
            rows.append({
                "party": v.name, "verdict": v.verdict, "utility": utility,
                "reservation": shown[1],
                "crossed": [_ref(s, c, owners) for c in v.crossed],
                "at_risk": [_ref(s, c, owners) for c in v.at_risk],
                "need": need,
            })
        terms = [{"issue": s.issue(i).title, "option": option_title(s, i, o)}
                 for i, o in e.proposal.terms.items()]
        accepted = len(e.accepted_by)
        plans.append({
            "id": e.proposal.id, "anchor": f"plan-{e.proposal.id}", "title": e.proposal.title,
            "note": e.proposal.note, "sources": list(e.proposal.sources),
            "open_issues": [s.issue(i).title for i in e.open_issues], "terms": terms,
            "rows": rows, "accepted": accepted, "rejected": len(e.rejected_by),
            "changes": [{"issue": s.issue(i).title, "from": option_title(s, i, a),
                         "to": option_title(s, i, b)} for i, a, b in e.changes],
            "nearest": e.nearest is not None,
        })
    return plans


def _issues_of(red_line: Any) -> list[str]:
    from negotiate.rules import issues_of

    return sorted(issues_of(red_line.rule))


def _what_ifs(s: Scenario, analysis: Any) -> tuple[list[dict[str, Any]], int]:
    owners = _owners(s)
    found = list(getattr(analysis, "what_ifs", ()) or ())
    if not found and analysis.relaxed:
        found = [type("W", (), {"relaxation": analysis.relaxed, "frontier": analysis.frontier,
                                "solutions": analysis.solutions, "skipped": analysis.skipped})]
    out = []
    for w in found:
        solutions = []
        for name, sol in (w.solutions or {}).items():
            values = ordered_numbers([float(x) for x in sol.utilities.values()])
            solutions.append({
                "name": _SOLUTION_NAMES.get(name, name),
                "utilities": [{"party": _party_name(s, p), "value": val}
                              for p, val in zip(sol.utilities, values, strict=True)],
                "outcome": [{"issue": s.issue(i).title, "option": option_title(s, i, o)}
                            for i, o in sol.outcome.items()],
            })
        out.append({
            "relaxation": [_ref(s, c, owners) for c in w.relaxation],
            "frontier_size": None if w.frontier is None else len(w.frontier),
            "frontier": w.frontier, "raw_solutions": w.solutions,
            "solutions": solutions, "skipped": w.skipped,
        })
    return out, int(getattr(analysis, "what_if_omitted", 0) or 0)


def _party_name(s: Scenario, party_id: str) -> str:
    return next((p.name for p in s.parties if p.id == party_id), party_id)


def _changes(comparison: Comparison) -> dict[str, Any]:
    after, before = comparison.after, comparison.before
    owners = _owners(after)
    old_owners = _owners(before)
    zone = {True: "empty", False: "not empty", None: "undecided"}
    changed: list[dict[str, Any]] = []
    for c in comparison.red_lines_changed:
        fields: list[dict[str, Any]] = []
        for name in c.fields:
            if name == "sources":
                old = set(cast(list[str], c.before[name]))
                new = set(cast(list[str], c.after[name]))
                fields.append({"name": "sources", "added": sorted(new - old),
                               "removed": sorted(old - new)})
            elif name == "note":
                fields.append({"name": "note", "before": c.before[name], "after": c.after[name]})
            else:
                fields.append({"name": name, "before": str(c.before[name]),
                               "after": str(c.after[name])})
        changed.append({"ref": _ref(after, c.id, owners), "fields": fields})
    return {
        "before": {"title": before.title, "as_of": str(before.as_of or "")},
        "zone_before": zone[comparison.zone_before], "zone_after": zone[comparison.zone_after],
        "added": [_ref(after, c, owners) for c in comparison.red_lines_added],
        "removed": [_ref(before, c, old_owners) | {"anchor": None, "linkable": False}
                    for c in comparison.red_lines_removed],
        "changed": changed,
        "changed_major": [c for c in changed
                          if {f["name"] for f in c["fields"]} - {"sources", "note"}],
        "changed_minor": [c for c in changed
                          if not {f["name"] for f in c["fields"]} - {"sources", "note"}],
        "issues_added": list(comparison.issues_added),
        "issues_removed": list(comparison.issues_removed),
        "options_added": list(comparison.options_added),
        "options_removed": list(comparison.options_removed),
        "proposals_added": list(comparison.proposals_added),
        "proposals_removed": list(comparison.proposals_removed),
        "appeared": [[_ref(after, c, owners) for c in x] for x in comparison.conflicts_appeared],
        "resolved": [[_ref(before, c, old_owners) | {"anchor": None, "linkable": False} for c in x]
                     for x in comparison.conflicts_resolved],
        "verdicts": [v.to_dict() | {"party": _party_name(after, v.party)}
                     for v in comparison.verdicts if v.changed],
        "complete": comparison.conflicts_complete,
        "unchanged": comparison.is_unchanged,
    }


def _robustness(s: Scenario, r: Robustness) -> dict[str, Any]:
    """The robustness section: P(agreement), each plan's acceptance, what it hangs on."""
    low, high = r.interval
    if r.method == "exact":
        how = "exact: every combination of uncertain red lines weighed"
    else:
        how = f"Monte Carlo, {r.samples:,} samples, seed {r.seed}; 95% interval {low:.3f}–{high:.3f}"
    parties = [p.id for p in s.parties]
    plans = [{"id": pid, "all": f"{v.get('all', 0.0):.3f}",
              "parties": [f"{v.get(q, 0.0):.3f}" for q in parties]}
             for pid, v in r.proposals.items()]
    swings = sorted(((k, v) for k, v in r.sensitivity.items() if abs(v) > 1e-12),
                    key=lambda kv: (-abs(kv[1]), kv[0]))
    critical = sorted(((k, v) for k, v in r.criticality.items() if v > 1e-12),
                      key=lambda kv: (-kv[1], kv[0]))
    owners = _owners(s)
    return {
        "p": f"{r.p_agreement:.3f}", "how": how,
        "party_names": [p.name for p in s.parties], "plans": plans,
        "swings": [{"ref": _ref(s, k, owners), "value": f"{v:+.3f}"} for k, v in swings[:10]],
        "critical": [{"ref": _ref(s, k, owners), "value": f"{v:.3f}"} for k, v in critical[:10]],
        "messages": list(getattr(r, "messages", ()) or ()),
        "raw": r, "drawable": bool(swings),
    }


def _short(name: str) -> str:
    """A party name for a sentence: the part before `` (``."""
    return name.split(" (")[0] or name


def _bottom_line(s: Scenario, analysis: Analysis, conflicts: list[dict[str, Any]],
                 movers: list[dict[str, Any]], plans: list[dict[str, Any]],
                 changes: dict[str, Any] | None) -> list[str]:
    """The report's opening: a few sentences on what blocks a deal, the plans, who would
    have to move and what changed (the analysis' own bottom line follows in detail)."""
    lines: list[str] = []
    n = len(s.parties)
    if analysis.zone.is_empty:
        lines.append(f"No deal is possible as the positions stand: no outcome is acceptable "
                     f"to all {n} parties.")
    else:
        size = big_count(analysis.count) if analysis.count is not None else "some"
        lines.append(f"{size} outcomes are acceptable to all {n} parties.")
    evidence = list(getattr(analysis, "evidence", ()) or ())
    if analysis.zone.is_empty and evidence:
        if evidence[0].is_empty:
            lines.append("This holds on the parties' stated positions alone (what they said in "
                         "public); reported and inferred red lines only add clashes.")
        else:
            lines.append("This rests on reported or inferred red lines: on the stated positions "
                         "alone some outcome would be acceptable to all.")
    head_on = [c for c in conflicts if c["head_on"]]
    if head_on:
        pairs = [f"{_short(c['members'][0]['party'])} and {_short(c['members'][1]['party'])} on "
                 f"{words(c['issues'])}"
                 + ("" if c["firmness"] == "stated positions only" else f" ({c['firmness']})")
                 for c in head_on]
        lines.append(f"What blocks a deal: {len(conflicts)} minimal clashes of red lines; "
                     f"head-on: {words(list(dict.fromkeys(pairs)))}.")
    if plans:
        everyone = [p for p in plans if p["accepted"] == n]
        if everyone:
            lines.append("Accepted by every party: " + words([p["title"] for p in everyone])
                         + ".")
        else:
            fates = []
            for p in plans:
                against = [r["party"] for r in p["rows"] if r["verdict"] == "rejects"]
                fates.append(f"{p['id']} is rejected by {words([_short(x) for x in against])}"
                             if against
                             else f"{p['id']} is rejected by nobody outright but depends "
                             "on its open issues")
            lines.append("No plan on the table is accepted by every party: "
                         + "; ".join(fates) + ".")
    if movers:
        must = [f"{possessive(_short(m['party']))} {words([r['id'] for r in m['every']])}"
                for m in movers if m["every"]]
        fixed = sum(len(m["every"]) for m in movers)
        found = "" if analysis.deadlock.relaxations_complete else " found in time"
        dropped = len(analysis.deadlock.relaxations[0].constraints)
        rest = [_short(m["party"]) for m in movers if m["some"]]
        if must:
            text = (f"Who would have to move: each smallest way{found} to open a zone drops "
                    f"{dropped} red lines: always {words(must)}")
            text += (f", plus {dropped - fixed} among those of {words(rest)}." if rest and
                     dropped > fixed else ".")
            lines.append(text)
        else:
            lines.append("Who would have to move: several equally small ways open a zone, "
                         "each dropping red lines of " + words([m["party"] for m in movers])
                         + " in different combinations.")
    if changes is not None:
        since = changes["before"]["as_of"] or changes["before"]["title"]
        zone = (f"the agreement zone is still {changes['zone_after']}"
                if changes["zone_before"] == changes["zone_after"]
                else f"the agreement zone went from {changes['zone_before']} to "
                     f"{changes['zone_after']}")
        lines.append(
            f"Since {since}: {zone}; {len(changes['added'])} red lines added, "
            f"{len(changes['removed'])} removed, {len(changes['changed'])} changed; "
            f"{len(changes['appeared'])} clashes appeared and {len(changes['resolved'])} "
            "were resolved."
        )
    return lines


def build_context(s: Scenario, analysis: Analysis, *, comparison: Comparison | None = None,
                  robustness: Robustness | None = None) -> dict[str, Any]:
    """Everything the report templates show (figures are added by the caller)."""
    deadlock = analysis.deadlock
    in_conflict = {c for x in deadlock.conflicts for c in x.constraints}
    conflicts = _conflicts(s, deadlock)
    movers = _movers(s, deadlock)
    plans = _plans(s, analysis.proposals)
    changes = None if comparison is None else _changes(comparison)
    what_ifs, omitted = _what_ifs(s, analysis)
    cited = {x for p in s.parties for r in p.red_lines for x in r.sources}
    cited |= {x for p in s.proposals for x in p.sources}
    sources = [{"id": src.id, "n": k, "title": src.title or src.id, "publisher": src.publisher,
                "date": "" if src.date is None else str(src.date), "url": src.url,
                "cited": src.id in cited}
               for k, src in enumerate(s.sources, 1)]
    evidence = [{"stances": list(e.stances), "is_empty": e.is_empty,
                 "conflicts": len(e.conflicts)}
                for e in getattr(analysis, "evidence", ()) or ()]
    return {
        "title": s.title, "id": s.id, "as_of": "" if s.as_of is None else str(s.as_of),
        "description": s.description,
        "caveat": getattr(analysis, "caveat", "") or CAVEAT,
        "counts": {"parties": len(s.parties), "issues": len(s.issues),
                   "outcomes": big_count(s.outcome_count),
                   "red_lines": sum(len(p.red_lines) for p in s.parties),
                   "proposals": len(s.proposals), "sources": len(s.sources)},
        "brief": _bottom_line(s, analysis, conflicts, movers, plans, changes),
        "bottom_line": list(getattr(analysis, "bottom_line", ()) or ()),
        "evidence": evidence,
        "zone_empty": analysis.zone.is_empty,
        "parties": _parties(s, in_conflict),
        "conflicts": conflicts, "conflicts_complete": deadlock.conflicts_complete,
        "movers": movers, "relaxation_count": len(deadlock.relaxations),
        "relaxations_complete": deadlock.relaxations_complete,
        "plans": plans, "what_ifs": what_ifs, "what_if_omitted": omitted,
        "skipped": analysis.skipped, "changes": changes,
        "robustness": None if robustness is None else _robustness(s, robustness),
        "sources": sources, "source_numbers": {x["id"]: x["n"] for x in sources},
        "figures": {},
    }
