"""The flagship example (Russia–Ukraine talks, two snapshots): its key findings, pinned.

The expected conflicts, relaxations and verdicts below were derived by reading the red lines in
``examples/ukraine-2025/*.yaml`` by hand, and each is cross-checked here by a brute-force
computation that does not use the engines (rules evaluated one outcome at a time with
``negotiate.rules.evaluate``, utilities with exact fractions from ``tests.brute``). A change to an
engine or to the example data that alters a finding makes one of these tests fail.

The outcome space (3.5 billion outcomes) is far too big to walk, so the brute force works per
block of linked issues: red lines that read no common issue cannot conflict with each other.
Reservations are handled by the duality of conflicts and corrections: if the zone is non-empty
after dropping any *minimal correction set* of red lines (verified with an exact witness), no
conflict can contain a reservation.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.cli import main
from negotiate.model import Outcome, Scenario
from negotiate.rules import evaluate, issues_of
from tests import brute

ROOT = Path(__file__).resolve().parents[2]
DEC = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"
JAN = ROOT / "examples" / "ukraine-2025" / "talks-2026-01-late.yaml"

PARTIES = ("us", "russia", "ukraine", "europe")

# -- expected findings (read off the YAML rules) -------------------------------------------------

# 2 Dec 2025: four head-on clashes on single issues.
DEC_CONFLICTS = {
    # donetsk: Russia wants Ukraine out (>= ua_withdraws_open), Ukraine refuses (<= mutual_pullback)
    frozenset({"ru-donbas", "ua-no-withdrawal"}),
    # recognition: full legal recognition against Ukraine's and Europe's refusal
    frozenset({"ru-recognition", "ua-no-recognition"}),
    frozenset({"ru-recognition", "eu-no-legal-recognition"}),
    # foreign_forces: >= no_western against <= coalition_no_nato
    frozenset({"ru-no-western-troops", "eu-no-russian-veto-on-forces"}),
    # znpp: == russia against != russia
    frozenset({"ru-znpp", "ua-znpp"}),
}

# Late January 2026: the same clashes, Ukraine now also insists on a foreign presence, and the
# block {donetsk, guarantees, approval, ceasefire} locks up through three chains of implications.
JAN_CONFLICTS = DEC_CONFLICTS | {
    frozenset({"ru-no-western-troops", "ua-force-presence"}),
    # Ukraine's guarantees -> (US condition) Ukraine leaves Donbas, which Ukraine refuses.
    frozenset({"us-guarantees-need-donbas", "ua-real-guarantees", "ua-no-withdrawal"}),
    # Russia's Donbas demand -> referendum -> needs an early ceasefire, which Russia refuses.
    frozenset(
        {"ru-donbas", "ua-territory-referendum", "ua-referendum-needs-ceasefire", "ru-no-early-ceasefire"}
    ),
    # The same chain, started by the US condition instead of Russia's demand.
    frozenset(
        {
            "us-guarantees-need-donbas",
            "ua-real-guarantees",
            "ua-territory-referendum",
            "ua-referendum-needs-ceasefire",
            "ru-no-early-ceasefire",
        }
    ),
}

# Smallest relaxations: one concession per clash; on recognition only Russia's single red line
# settles both conflicts at once.
DEC_RELAXATIONS = {
    frozenset({"ru-recognition", donetsk, forces, znpp})
    for donetsk in ("ru-donbas", "ua-no-withdrawal")
    for forces in ("ru-no-western-troops", "eu-no-russian-veto-on-forces")
    for znpp in ("ru-znpp", "ua-znpp")
}
JAN_RELAXATIONS = {
    frozenset({"ru-recognition", "ru-no-western-troops", znpp, *pair})
    for znpp in ("ru-znpp", "ua-znpp")
    for pair in (
        ("us-guarantees-need-donbas", "ru-donbas"),
        ("ua-real-guarantees", "ru-donbas"),
        ("ua-no-withdrawal", "ru-no-early-ceasefire"),
        ("ua-no-withdrawal", "ua-territory-referendum"),
        ("ua-no-withdrawal", "ua-referendum-needs-ceasefire"),
    )
}

# proposal -> party -> (verdict, red lines crossed however open issues are settled)
DEC_VERDICTS = {
    "us-28-point": {
        "us": ("accepts", ()),
        "russia": ("rejects", ("ru-recognition", "ru-neutrality", "ru-znpp")),
        "ukraine": ("rejects", ("ua-no-withdrawal", "ua-real-guarantees", "ua-no-600k")),
        "europe": (
            "rejects",
            ("eu-no-amnesty", "eu-assets-immobilised", "eu-no-russian-veto-on-forces"),
        ),
    },
    "e3-counter": {
        "us": ("rejects", ("us-no-nato",)),
        "russia": (
            "rejects",
            ("ru-donbas", "ru-recognition", "ru-neutrality", "ru-no-western-troops"),
        ),
        "ukraine": ("undecided", ()),
        "europe": ("accepts", ()),
    },
    "us-ua-geneva": {
        "us": ("undecided", ()),
        "russia": ("rejects", ("ru-army-cap",)),
        "ukraine": ("undecided", ()),
        "europe": ("undecided", ()),
    },
}
JAN_VERDICTS = {
    "us-28-point": {
        "us": ("accepts", ()),
        "russia": ("rejects", ("ru-recognition", "ru-neutrality", "ru-znpp")),
        "ukraine": (
            "rejects",
            (
                "ua-no-withdrawal",
                "ua-real-guarantees",
                "ua-guarantees-before-territory",
                "ua-no-600k",
                "ua-force-presence",
            ),
        ),
        "europe": (
            "rejects",
            (
                "eu-no-amnesty",
                "eu-assets-immobilised",
                "eu-no-russian-veto-on-forces",
                "eu-territory-after-guarantees",
            ),
        ),
    },
    "e3-counter": {
        "us": ("rejects", ("us-no-nato", "us-guarantees-need-donbas")),
        "russia": (
            "rejects",
            ("ru-donbas", "ru-recognition", "ru-neutrality", "ru-no-western-troops"),
        ),
        "ukraine": ("undecided", ()),
        "europe": ("undecided", ()),
    },
    "framework-20-point": {
        "us": ("undecided", ()),
        "russia": ("rejects", ("ru-recognition",)),
        "ukraine": ("undecided", ()),
        "europe": ("rejects", ("eu-no-2027-accession",)),
    },
    "berlin-paris-european": {
        "us": ("undecided", ()),
        "russia": ("rejects", ("ru-no-western-troops",)),
        "ukraine": ("undecided", ()),
        "europe": ("undecided", ()),
    },
}

SNAPSHOTS = {
    "dec": (DEC, DEC_CONFLICTS, DEC_RELAXATIONS, DEC_VERDICTS),
    "jan": (JAN, JAN_CONFLICTS, JAN_RELAXATIONS, JAN_VERDICTS),
}


# -- fixtures --------------------------------------------------------------------------------------


@functools.cache
def load(path: Path) -> Scenario:
    return ng.load(path)


@pytest.fixture(params=sorted(SNAPSHOTS))
def snapshot(request: pytest.FixtureRequest) -> tuple[str, Scenario]:
    name: str = request.param
    return name, load(SNAPSHOTS[name][0])


_EXPLANATIONS: dict[str, ng.DeadlockExplanation] = {}


def explanation(name: str, s: Scenario) -> ng.DeadlockExplanation:
    if name not in _EXPLANATIONS:
        _EXPLANATIONS[name] = ng.explain_deadlock(s, time_limit=None)
    return _EXPLANATIONS[name]


# -- brute-force helpers (independent of the engines) ---------------------------------------------


def red_line_ids(s: Scenario) -> list[str]:
    return [r.id for p in s.parties for r in p.red_lines]


def reservation_ids(s: Scenario) -> list[str]:
    return [f"{p.id}:reservation" for p in s.parties]


def blocks(s: Scenario) -> list[tuple[list[str], list[str]]]:
    """Red lines grouped by linked issues: (issues, red-line ids) per block."""
    parent = {i.id: i.id for i in s.issues}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    scopes = {r.id: issues_of(r.rule) for p in s.parties for r in p.red_lines}
    for scope in scopes.values():
        for other in scope[1:]:
            parent[find(other)] = find(scope[0])
    grouped: dict[str, tuple[list[str], list[str]]] = {}
    for issue in s.issues:
        grouped.setdefault(find(issue.id), ([], []))[0].append(issue.id)
    for red_line, scope in scopes.items():
        if scope:
            grouped[find(scope[0])][1].append(red_line)
    return [b for b in grouped.values() if b[1]]


Row = tuple[int, float, dict[str, str]]


@functools.cache
def tables(path: Path) -> tuple[tuple[list[str], list[str], list[Row]], ...]:
    """Per block: its issues, its red lines, and for every local outcome the bit mask of the
    red lines it meets, its summed (normalised) utility over the parties, and the outcome."""
    s = load(path)
    order = brute.option_order(s)
    score = {(i.id, o): 0.0 for i in s.issues for o in i.option_ids}
    for party in s.parties:
        total = sum(pref.importance for pref in party.preferences.values())
        for issue_id, pref in party.preferences.items():
            issue = s.issue(issue_id)
            for option, value in zip(issue.option_ids, pref.value_table(issue), strict=True):
                score[issue_id, option] += pref.importance / total * value
    result = []
    for issues, red_lines in blocks(s):
        rules = [s.red_line(r)[1].rule for r in red_lines]
        rows = []
        for combo in itertools.product(*(order[i] for i in issues)):
            outcome = dict(zip(issues, combo, strict=True))
            mask = sum(1 << k for k, rule in enumerate(rules) if evaluate(rule, outcome, order))
            rows.append((mask, sum(score[i, outcome[i]] for i in issues), outcome))
        result.append((issues, red_lines, rows))
    free = {i.id for i in s.issues} - {i for issues, _, _ in result for i in issues}
    for issue_id in sorted(free):
        best = max(s.issue(issue_id).option_ids, key=lambda o: score[issue_id, o])
        result.append(([issue_id], [], [(0, score[issue_id, best], {issue_id: best})]))
    return tuple(result)


def brute_conflicts(path: Path) -> set[frozenset[str]]:
    """Every minimal set of red lines no outcome meets, by enumerating each block."""
    found: set[frozenset[str]] = set()
    for _, red_lines, rows in tables(path):
        masks = {mask for mask, _, _ in rows}

        def feasible(subset: int, masks: set[int] = masks) -> bool:
            return any(mask & subset == subset for mask in masks)

        for subset in range(1, 1 << len(red_lines)):
            members = [k for k in range(len(red_lines)) if subset >> k & 1]
            if not feasible(subset) and all(feasible(subset & ~(1 << k)) for k in members):
                found.add(frozenset(red_lines[k] for k in members))
    return found


def brute_witness(path: Path, dropped: Iterable[str]) -> Outcome | None:
    """An outcome meeting every red line not dropped, chosen block by block for the largest
    summed utility (a candidate: the caller checks reservations exactly); None if none."""
    dropped = set(dropped)
    choice: dict[str, str] = {}
    for _, red_lines, rows in tables(path):
        need = sum(1 << k for k, r in enumerate(red_lines) if r not in dropped)
        meeting = [(value, outcome) for mask, value, outcome in rows if mask & need == need]
        if not meeting:
            return None
        choice.update(max(meeting, key=lambda row: row[0])[1])
    return Outcome(choice)


def hitting_sets(conflicts: Iterable[frozenset[str]]) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """(minimal hitting sets, minimum-size hitting sets) of the conflicts, by enumeration."""
    conflicts = list(conflicts)
    universe = sorted(set().union(*conflicts))
    hitting = [
        frozenset(c)
        for n in range(len(universe) + 1)
        for c in itertools.combinations(universe, n)
        if all(conflict & set(c) for conflict in conflicts)
    ]
    minimal = {h for h in hitting if not any(g < h for g in hitting)}
    smallest = min(len(h) for h in minimal)
    return minimal, {h for h in minimal if len(h) == smallest}


def check_witness(s: Scenario, outcome: Outcome | None) -> None:
    """The outcome is acceptable to every party of s, checked exactly by brute force."""
    assert outcome is not None
    for party in PARTIES:
        assert brute.acceptable(s, party, outcome), (party, outcome)


def only(s: Scenario, keep: Iterable[str]) -> Scenario:
    """s with every red line not in keep, and every reservation, dropped."""
    kept = set(keep)
    return ng.relax(s, [r for r in red_line_ids(s) if r not in kept] + reservation_ids(s))


def completions(s: Scenario, terms: dict[str, str], issues: Iterable[str]) -> Iterator[dict[str, str]]:
    """Every way of settling, within `issues`, what the terms leave open."""
    issues = list(issues)
    open_issues = [i for i in issues if i not in terms]
    order = brute.option_order(s)
    for combo in itertools.product(*(order[i] for i in open_issues)):
        outcome = {i: terms[i] for i in issues if i in terms}
        outcome.update(zip(open_issues, combo, strict=True))
        yield outcome


# -- the zone and the deadlock ---------------------------------------------------------------------


def test_zone_is_empty(snapshot: tuple[str, Scenario]) -> None:
    _, s = snapshot
    zone = ng.agreement_zone(s)
    assert zone.is_empty
    assert zone.count == 0
    assert zone.witness is None


def test_conflicts_are_exactly_the_expected_ones(snapshot: tuple[str, Scenario]) -> None:
    name, s = snapshot
    expected = SNAPSHOTS[name][1]
    d = explanation(name, s)
    assert d.is_deadlocked is True
    assert d.conflicts_complete
    assert all(c.minimal for c in d.conflicts)
    assert {frozenset(c.constraints) for c in d.conflicts} == expected
    assert len(d.conflicts) == len(expected)  # no duplicates


def test_conflicts_match_brute_force_over_red_lines(snapshot: tuple[str, Scenario]) -> None:
    name, _ = snapshot
    assert brute_conflicts(SNAPSHOTS[name][0]) == SNAPSHOTS[name][1]


def test_each_conflict_alone_admits_no_outcome_and_each_proper_subset_does(
    snapshot: tuple[str, Scenario],
) -> None:
    name, s = snapshot
    for conflict in SNAPSHOTS[name][1]:
        assert ng.agreement_zone(only(s, conflict)).is_empty, conflict
        for member in conflict:
            rest = only(s, conflict - {member})
            check_witness(rest, ng.agreement_zone(rest).witness)


def test_no_reservation_takes_part_in_any_conflict(snapshot: tuple[str, Scenario]) -> None:
    # A conflict with a reservation in it would survive the removal of some minimal correction
    # set (minimal hitting set) of the red-line conflicts: its red lines meet together, so they
    # lie in some maximal satisfiable set of red lines. So it is enough that every party's
    # reservation is met by an outcome meeting all red lines but those of a correction set,
    # for each correction set; the outcomes are built by brute force and checked exactly.
    name, s = snapshot
    corrections, _ = hitting_sets(SNAPSHOTS[name][1])
    assert len(corrections) == {"dec": 16, "jan": 40}[name]
    for correction in corrections:
        check_witness(ng.relax(s, correction), brute_witness(SNAPSHOTS[name][0], correction))
    # And the full set of red lines is not met by any outcome (the zone is empty for them).
    assert brute_witness(SNAPSHOTS[name][0], ()) is None
    d = explanation(name, s)
    assert not any(c.endswith(":reservation") for x in d.conflicts for c in x.constraints)


def test_minimum_relaxations(snapshot: tuple[str, Scenario]) -> None:
    name, s = snapshot
    expected = SNAPSHOTS[name][2]
    size = {"dec": 4, "jan": 5}[name]
    assert {len(r) for r in expected} == {size}
    assert len(expected) == {"dec": 8, "jan": 10}[name]
    # Independent: the minimum hitting sets of the (brute-force checked) conflicts.
    assert hitting_sets(SNAPSHOTS[name][1])[1] == expected
    d = explanation(name, s)
    assert d.relaxations_complete
    assert all(r.minimum and r.cost == size for r in d.relaxations)
    assert {frozenset(r.constraints) for r in d.relaxations} == expected
    assert len(d.relaxations) == len(expected)
    for r in d.relaxations:
        check_witness(ng.relax(s, r.constraints), r.witness)


def test_dec_deadlock_needs_one_concession_per_clash() -> None:
    # The README's reading: four disjoint clashes, so no relaxation smaller than four exists,
    # and Russia's recognition demand is in every smallest relaxation.
    clashes = [
        {"ru-donbas", "ua-no-withdrawal"},
        {"ru-recognition", "ua-no-recognition"},
        {"ru-no-western-troops", "eu-no-russian-veto-on-forces"},
        {"ru-znpp", "ua-znpp"},
    ]
    assert all(a.isdisjoint(b) for a, b in itertools.combinations(clashes, 2))
    assert all(c in DEC_CONFLICTS for c in map(frozenset, clashes))
    assert all("ru-recognition" in r for r in DEC_RELAXATIONS)
    assert all({"ru-recognition", "ru-no-western-troops"} <= r for r in JAN_RELAXATIONS)


# -- proposals -------------------------------------------------------------------------------------


def test_proposal_verdicts(snapshot: tuple[str, Scenario]) -> None:
    name, s = snapshot
    expected = SNAPSHOTS[name][3]
    assert [p.id for p in s.proposals] == list(expected)
    for proposal_id, by_party in expected.items():
        e = ng.evaluate_proposal(s, proposal_id)
        got = {v.party: (v.verdict, v.crossed) for v in e.parties}
        assert got == by_party, proposal_id
        assert e.nearest is None and e.changes == ()  # empty zone: no nearest deal
        # Russia rejects every plan in both snapshots, the US 28-point plan included.
        assert "russia" in e.rejected_by


def test_crossed_and_at_risk_red_lines_match_brute_force(snapshot: tuple[str, Scenario]) -> None:
    _, s = snapshot
    order = brute.option_order(s)
    for proposal in s.proposals:
        e = ng.evaluate_proposal(s, proposal)
        for verdict in e.parties:
            crossed, at_risk = [], []
            for red_line in s.party(verdict.party).red_lines:
                results = {
                    evaluate(red_line.rule, o, order)
                    for o in completions(s, dict(proposal.terms), issues_of(red_line.rule))
                }
                if results == {False}:
                    crossed.append(red_line.id)
                elif results == {False, True}:
                    at_risk.append(red_line.id)
            assert verdict.crossed == tuple(crossed), (proposal.id, verdict.party)
            assert verdict.at_risk == tuple(at_risk), (proposal.id, verdict.party)
            if verdict.verdict == "accepts":
                assert not at_risk and verdict.utility[0] >= verdict.reservation
            if crossed:
                assert verdict.verdict == "rejects"


def test_us_28_point_plan_is_acceptable_to_the_us_only() -> None:
    s = load(DEC)
    proposal = s.proposal("us-28-point")
    assert proposal.terms.keys() == {i.id for i in s.issues} - {"approval"}
    for approval in s.issue("approval").option_ids:
        outcome = Outcome({**proposal.terms, "approval": approval})
        assert [p for p in PARTIES if ng.is_acceptable(s, p, outcome)] == ["us"]
        assert [p for p in PARTIES if brute.acceptable(s, p, outcome)] == ["us"]


# -- the data: provenance and the two snapshots ----------------------------------------------------


def test_every_red_line_has_a_stance_and_existing_sources(snapshot: tuple[str, Scenario]) -> None:
    _, s = snapshot
    source_ids = {src.id for src in s.sources}
    for party in s.parties:
        for red_line in party.red_lines:
            assert red_line.stance in ("stated", "reported", "inferred"), red_line.id
            assert red_line.sources, red_line.id
            assert set(red_line.sources) <= source_ids, red_line.id
            assert red_line.note, red_line.id
    for proposal in s.proposals:
        assert proposal.sources and set(proposal.sources) <= source_ids, proposal.id


def test_every_source_has_title_publisher_and_url(snapshot: tuple[str, Scenario]) -> None:
    _, s = snapshot
    assert s.sources
    for source in s.sources:
        assert source.title and source.publisher, source.id
        assert source.url and source.url.startswith("https://"), source.id


def test_stances_of_the_clashing_red_lines() -> None:
    def stance(s: Scenario, red_line: str) -> str:
        return s.red_line(red_line)[1].stance

    dec, jan = load(DEC), load(JAN)
    # The two head-on clashes on territory and recognition are stated on both sides.
    for s in (dec, jan):
        for r in ("ru-donbas", "ua-no-withdrawal", "ru-recognition", "ua-no-recognition"):
            assert stance(s, r) == "stated"
    # What changed between the snapshots.
    assert stance(dec, "ua-znpp") == "inferred" and stance(jan, "ua-znpp") == "stated"
    assert stance(dec, "eu-no-legal-recognition") == "reported"
    assert stance(jan, "eu-no-legal-recognition") == "stated"
    assert stance(dec, "ua-territory-referendum") == "inferred"
    assert stance(jan, "ua-territory-referendum") == "stated"
    assert stance(jan, "us-guarantees-need-donbas") == "reported"
    assert stance(jan, "ua-force-presence") == "inferred"
    for s in (dec, jan):
        assert stance(s, "eu-no-russian-veto-on-forces") == "inferred"
        assert len(red_line_ids(s)) == len(set(red_line_ids(s)))
    assert (len(red_line_ids(dec)), len(red_line_ids(jan))) == (19, 26)


def test_snapshots_share_parties_issues_and_options() -> None:
    dec, jan = load(DEC), load(JAN)
    assert [p.id for p in dec.parties] == [p.id for p in jan.parties] == list(PARTIES)
    assert [(i.id, i.option_ids, i.ordered) for i in dec.issues] == [
        (i.id, i.option_ids, i.ordered) for i in jan.issues
    ]
    assert len(dec.issues) == 16
    assert (str(dec.as_of), str(jan.as_of)) == ("2025-12-02", "2026-01-28")


# -- the command line ------------------------------------------------------------------------------


def test_analyze_json_on_the_flagship(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(DEC), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    for key in ("is_empty", "count", "witness", "frontier", "solutions", "deadlock", "proposals"):
        assert key in doc
    assert doc["is_empty"] is True
    assert doc["count"] == 0
    assert doc["witness"] is None
    assert {frozenset(c["constraints"]) for c in doc["deadlock"]["conflicts"]} == DEC_CONFLICTS
    assert {frozenset(r["constraints"]) for r in doc["deadlock"]["relaxations"]} == DEC_RELAXATIONS
    assert [p["proposal"] for p in doc["proposals"]] == list(DEC_VERDICTS)
    for p in doc["proposals"]:
        verdicts = {v["party"]: v["verdict"] for v in p["parties"]}
        assert verdicts == {k: v[0] for k, v in DEC_VERDICTS[p["proposal"]].items()}
    # With an empty zone the frontier and solutions are for the softest smallest relaxation.
    assert frozenset(doc["relaxed"]) in DEC_RELAXATIONS
    assert doc["frontier"] is not None
    assert set(doc["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    relaxed = ng.relax(load(DEC), doc["relaxed"])
    for solution in doc["solutions"].values():
        check_witness(relaxed, Outcome(solution["outcome"]))
