"""The JSON documents of the result objects are contracts (``negotiate analyze --json``,
``diff --json``, ``robustness --json``): the generated ``to_dict()`` of every result type
must give, key for key and in the same order, the document written out field by field below
(the hand-written ``to_dict`` methods these references replace), on the flagship files and
the textbook examples. Plus the rules of the generator itself (negotiate._results)."""


from __future__ import annotations

import dataclasses
import functools
import json
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import negotiate as ng
from negotiate._results import Result, doc, json_value
from negotiate._text import json_count
from negotiate.analysis.bargaining_results import BargainingSolution
from negotiate.analysis.deadlock_near import near_deals
from negotiate.analysis.deadlock_results import (
    Conflict,
    DeadlockExplanation,
    NearDeal,
    PartyDeadlock,
    Relaxation,
)
from negotiate.analysis.pareto_results import Frontier, FrontierPoint
from negotiate.analysis.proposals import PartyVerdict, ProposalEvaluation
from negotiate.analysis.robustness_result import Robustness
from negotiate.analysis.whole import (
    TIE_BREAK,
    Analysis,
    EvidenceLevel,
    WhatIf,
    red_line_table,
    source_table,
)
from negotiate.analysis.zone import AgreementZone, CountEstimate, acceptable_outcomes
from negotiate.comparison import Comparison, RedLineChange, VerdictChange, compare
from negotiate.model import Outcome, Scenario

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*/*.yaml"))
UKRAINE = [p for p in EXAMPLES if p.parent.name == "ukraine-2025"]

RESULT_TYPES = (
    AgreementZone, CountEstimate, Conflict, Relaxation, PartyDeadlock, DeadlockExplanation,
    NearDeal, PartyVerdict, ProposalEvaluation, FrontierPoint, Frontier, BargainingSolution,
    EvidenceLevel, WhatIf, Analysis, Robustness, RedLineChange, VerdictChange, Comparison,
)


# -- the reference documents, written out field by field ------------------------------------------


def _outcome(o: Outcome | None) -> dict[str, str] | None:
    return None if o is None else o.to_dict()


def ref_zone(z: AgreementZone) -> dict[str, Any]:
    try:
        count: int | None = z.count
    except ng.CountTooLargeError:
        count = None
    return {"scenario": z.scenario.id, "party": z.party, "is_empty": z.is_empty,
            "witness": _outcome(z.witness), "count": json_count(count)}


def ref_estimate(e: CountEstimate) -> dict[str, Any]:
    return {"value": e.value, "low": e.low, "high": e.high, "confidence": e.confidence,
            "samples": e.samples, "hits": e.hits, "exact": e.exact}


def ref_conflict(c: Conflict) -> dict[str, Any]:
    return {"constraints": list(c.constraints), "parties": list(c.parties),
            "issues": list(c.issues), "minimal": c.minimal}


def ref_relaxation(r: Relaxation) -> dict[str, Any]:
    return {"constraints": list(r.constraints), "cost": r.cost, "witness": r.witness.to_dict(),
            "zone_size": r.zone_size, "minimum": r.minimum}


def ref_party_deadlock(v: PartyDeadlock) -> dict[str, Any]:
    return {"party": v.party, "name": v.name, "in_conflicts": list(v.in_conflicts),
            "clashes_with": list(v.clashes_with), "in_relaxations": list(v.in_relaxations)}


def ref_deadlock(x: DeadlockExplanation) -> dict[str, Any]:
    return {
        "scenario": x.scenario, "is_deadlocked": x.is_deadlocked, "witness": _outcome(x.witness),
        "conflicts": [ref_conflict(c) for c in x.conflicts],
        "conflicts_complete": x.conflicts_complete,
        "relaxations": [ref_relaxation(r) for r in x.relaxations],
        "relaxations_complete": x.relaxations_complete, "weighted": x.weighted,
        "by_party": [ref_party_deadlock(v) for v in x.by_party],
        "concession": x.concession, "concession_witness": _outcome(x.concession_witness),
        "labels": dict(x.labels), "party_names": dict(x.party_names),
        "constraint_issues": {k: list(v) for k, v in x.constraint_issues.items()},
    }


def ref_near_deal(d: NearDeal) -> dict[str, Any]:
    return {
        "outcome": d.outcome.to_dict(), "crossed": list(d.crossed),
        "crossed_by_party": {p: list(ids) for p, ids in d.crossed_by_party.items()},
        "violation": d.violation, "utilities": dict(d.utilities), "losses": dict(d.losses),
        "proven": d.proven,
    }


def ref_verdict(v: PartyVerdict) -> dict[str, Any]:
    return {"party": v.party, "verdict": v.verdict, "crossed": list(v.crossed),
            "at_risk": list(v.at_risk), "utility": list(v.utility),
            "reservation": v.reservation}


def ref_evaluation(e: ProposalEvaluation) -> dict[str, Any]:
    return {
        "proposal": e.proposal.id, "title": e.proposal.title,
        "open_issues": list(e.open_issues), "parties": [ref_verdict(v) for v in e.parties],
        "accepted_by": list(e.accepted_by), "rejected_by": list(e.rejected_by),
        "nearest": _outcome(e.nearest), "changes": [list(c) for c in e.changes],
    }


def ref_point(p: FrontierPoint) -> dict[str, Any]:
    return {"outcome": p.outcome.to_dict(), "utilities": dict(p.utilities),
            "count": json_count(p.count)}


def ref_frontier(f: Frontier) -> dict[str, Any]:
    return {"scenario": f.scenario, "parties": list(f.parties),
            "outcome_count": json_count(f.outcome_count),
            "points": [ref_point(p) for p in f.points]}


def ref_solution(b: BargainingSolution) -> dict[str, Any]:
    return {"name": b.name, "outcome": b.outcome.to_dict(), "utilities": dict(b.utilities),
            "value": b.value, "count": json_count(b.point.count), "degenerate": b.degenerate,
            "ties": [ref_point(t) for t in b.ties]}


def ref_level(e: EvidenceLevel) -> dict[str, Any]:
    return {"stances": list(e.stances), "is_empty": e.is_empty,
            "conflicts": [ref_conflict(c) for c in e.conflicts],
            "conflicts_complete": e.conflicts_complete}


def ref_what_if(w: WhatIf) -> dict[str, Any]:
    return {
        "relaxation": list(w.relaxation), "chosen_by": w.chosen_by,
        "frontier": None if w.frontier is None else ref_frontier(w.frontier),
        "solutions": {k: ref_solution(v) for k, v in w.solutions.items()},
        "skipped": w.skipped or None,
    }


def _meta(s: Scenario) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "as_of": str(s.as_of) if s.as_of else None}


def ref_analysis(a: Analysis) -> dict[str, Any]:
    from negotiate.analysis.near_select import RANKING
    from negotiate.rules import render

    s = a.scenario
    return {
        "scenario": _meta(s), "caveat": a.caveat, "bottom_line": list(a.bottom_line),
        "is_empty": a.zone.is_empty, "count": json_count(a.count),
        "count_estimate": None if a.count_estimate is None else ref_estimate(a.count_estimate),
        "witness": _outcome(a.zone.witness), "evidence": [ref_level(e) for e in a.evidence],
        "deadlock": ref_deadlock(a.deadlock), "relaxation_order": TIE_BREAK,
        "near_deals": [ref_near_deal(d) for d in a.near_deals], "near_deal_ranking": RANKING,
        "proposals": [ref_evaluation(p) for p in a.proposals], "relaxed": list(a.relaxed),
        "frontier": None if a.frontier is None else ref_frontier(a.frontier),
        "solutions": {k: ref_solution(v) for k, v in a.solutions.items()},
        "what_if": [ref_what_if(w) for w in a.what_ifs], "what_if_omitted": a.what_if_omitted,
        "skipped": a.skipped or None, "incomplete": list(a.incomplete),
        "red_lines": red_line_table(s),
        "constraints": {c.id: {"rule": render(c.rule), "note": c.note,
                               "sources": list(c.sources)} for c in s.constraints},
        "sources": source_table(s),
    }


def ref_robustness(r: Robustness) -> dict[str, Any]:
    from negotiate.analysis.robustness_result import _CAVEAT

    return {
        "scenario": r.scenario, "p_agreement": r.p_agreement, "interval": list(r.interval),
        "method": r.method, "samples": r.samples, "seed": r.seed, "proposals": r.proposals,
        "criticality": r.criticality, "sensitivity": r.sensitivity,
        "confidence": r.confidence, "stance_defaults": r.stance_defaults, "spread": r.spread,
        "ranges": list(r.ranges),
        "conflicts": None if r.conflicts is None else [list(k) for k in r.conflicts],
        "messages": list(r.messages), "proposal_hangs_on": r.proposal_hangs_on,
        "red_lines": r.red_lines, "caveat": _CAVEAT, "elapsed": r.elapsed,
    }


def ref_comparison(c: Comparison) -> dict[str, Any]:
    return {
        "scenarios": {"before": _meta(c.before), "after": _meta(c.after)},
        "red_lines": {
            "added": list(c.red_lines_added), "removed": list(c.red_lines_removed),
            "changed": [{"id": x.id, "fields": list(x.fields), "before": dict(x.before),
                         "after": dict(x.after)} for x in c.red_lines_changed],
        },
        "issues": {"added": list(c.issues_added), "removed": list(c.issues_removed)},
        "options": {"added": list(c.options_added), "removed": list(c.options_removed)},
        "parties": {"added": list(c.parties_added), "removed": list(c.parties_removed)},
        "proposals": {"added": list(c.proposals_added), "removed": list(c.proposals_removed)},
        "zone": {"before": c.zone_before, "after": c.zone_after},
        "conflicts": {"appeared": [list(k) for k in c.conflicts_appeared],
                      "resolved": [list(k) for k in c.conflicts_resolved],
                      "complete": c.conflicts_complete},
        "verdicts": [{"proposal": v.proposal, "party": v.party, "before": v.before,
                      "after": v.after} for v in c.verdicts],
    }


def same(doc_: Any, reference: Any) -> None:
    """Equal as JSON text: same keys in the same order, same values and types."""
    assert json.dumps(doc_, ensure_ascii=False) == json.dumps(reference, ensure_ascii=False)


# -- on the examples ----------------------------------------------------------------------------


@functools.cache
def _analysis(path: Path) -> Analysis:
    return ng.analyze(ng.load(path))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_result_document_matches_its_reference(path: Path) -> None:
    a = _analysis(path)
    same(a.to_dict(), ref_analysis(a))
    same(a.zone.to_dict(), ref_zone(a.zone))
    same(a.deadlock.to_dict(), ref_deadlock(a.deadlock))
    for level in a.evidence:
        same(level.to_dict(), ref_level(level))
        for conflict in level.conflicts:
            same(conflict.to_dict(), ref_conflict(conflict))
    for r in a.deadlock.relaxations:
        same(r.to_dict(), ref_relaxation(r))
    for v in a.deadlock.by_party:
        same(v.to_dict(), ref_party_deadlock(v))
    for d in a.near_deals:
        same(d.to_dict(), ref_near_deal(d))
    for e in a.proposals:
        same(e.to_dict(), ref_evaluation(e))
        for verdict in e.parties:
            same(verdict.to_dict(), ref_verdict(verdict))
    for w in a.what_ifs:
        same(w.to_dict(), ref_what_if(w))
    if a.frontier is not None:
        same(a.frontier.to_dict(), ref_frontier(a.frontier))
        for point in a.frontier.points:
            same(point.to_dict(), ref_point(point))
    for solution in a.solutions.values():
        same(solution.to_dict(), ref_solution(solution))
    # the examples must exercise what the references cover
    assert a.deadlock.conflicts or a.frontier is not None


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_zone_parts_and_estimates_match_their_reference(path: Path) -> None:
    s = ng.load(path)
    for party in s.parties[:2]:
        zone = acceptable_outcomes(s, party.id)
        same(zone.to_dict(), ref_zone(zone))
    estimate = ng.agreement_zone(s).estimate_count(samples=200, seed=1)
    same(estimate.to_dict(), ref_estimate(estimate))
    near = near_deals(s, 3)
    for d in near:
        same(d.to_dict(), ref_near_deal(d))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("method", ["exact", "monte_carlo"])
def test_robustness_document_matches_its_reference(path: Path, method: str) -> None:
    r = ng.robustness(ng.load(path), samples=100, seed=2, method=method,  # type: ignore[arg-type]
                      spread=0.1 if method == "monte_carlo" else None)
    same(r.to_dict(), ref_robustness(r))


def test_comparison_documents_match_their_reference() -> None:
    before, after = (ng.load(p) for p in UKRAINE)
    for c in (compare(before, after), compare(after, before), compare(after, after)):
        same(c.to_dict(), ref_comparison(c))
        for change in c.red_lines_changed:
            same(change.to_dict(), ref_comparison(c)["red_lines"]["changed"][
                c.red_lines_changed.index(change)])
    changed = compare(before, after)
    assert changed.red_lines_changed and changed.verdicts  # the reference covers both


def test_textbook_weighted_deadlock_and_degenerate_cases() -> None:
    for path in EXAMPLES:
        x = ng.explain_deadlock(ng.load(path), weighted=True)
        same(x.to_dict(), ref_deadlock(x))


# -- the types --------------------------------------------------------------------------------


@functools.cache
def _type_names() -> dict[str, Any]:
    import importlib

    names: dict[str, Any] = {}
    for module in ("negotiate.rules.ast", "negotiate.model", "negotiate._deadline",
                   *sorted({c.__module__ for c in RESULT_TYPES})):
        names.update(vars(importlib.import_module(module)))
    return names


@pytest.mark.parametrize("cls", RESULT_TYPES, ids=lambda c: c.__name__)
def test_results_are_frozen_typed_dataclasses(cls: type) -> None:
    assert issubclass(cls, Result)
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    # every annotation resolves (names imported only for type checking included)
    hints = typing.get_type_hints(cls, localns=_type_names())
    for f in dataclasses.fields(cls):
        assert "Any" not in str(f.type), f"{cls.__name__}.{f.name}: {f.type}"
        assert f.name in hints


# -- the generator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inner(Result):
    n: int
    _hidden: int = 0


@dataclass(frozen=True)
class _Outer(Result):
    name: str
    inner: _Inner
    items: tuple[_Inner, ...]
    table: dict[str, tuple[int, ...]]
    outcome: Outcome | None
    flag: bool = True
    renamed: float = field(default=0.5, metadata=doc(key="other"))
    nested: str = field(default="x", metadata=doc(key=("group", "a")))
    nested_too: str = field(default="y", metadata=doc(key=("group", "b"), convert=str.upper))
    left_out: str = field(default="z", metadata=doc(skip=True))


def test_generated_document_follows_the_rules() -> None:
    big = 2**15000  # more than 4,300 digits: Python's json refuses to read it as a number
    value = _Outer("o", _Inner(big, 7), (_Inner(1), _Inner(2)), {"k": (1, 2)},
                   Outcome({"a": "b"}))
    d = value.to_dict()
    assert list(d) == ["name", "inner", "items", "table", "outcome", "flag", "other", "group"]
    assert d["inner"] == {"n": json_count(big)}
    assert isinstance(d["inner"]["n"], str) and len(d["inner"]["n"]) == 4516
    assert d["items"] == [{"n": 1}, {"n": 2}]
    assert d["table"] == {"k": [1, 2]}
    assert d["outcome"] == {"a": "b"}
    assert d["flag"] is True and d["other"] == 0.5
    assert d["group"] == {"a": "x", "b": "Y"}
    json.loads(json.dumps(d))  # JSON-ready
    assert json_value(None) is None and json_value([(1,)]) == [[1]]
