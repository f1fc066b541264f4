"""Honest output (DESIGN.md "Honest output"): provenance, evidence levels, no silent
choices, fair and distinct near deals, numbers that never contradict verdicts, caveat.

What users see is tested as they see it: the CLI runs in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate._text import MAX_DECIMALS, compared, constraint_label, ordered_numbers
from negotiate.analysis import near_deals
from negotiate.analysis.whole import STANCE_LEVELS, WHAT_IF_LIMIT

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "ukraine-2025" / "talks-2025-12-02.yaml"

# Two equally small relaxations: drop a1 (A's, stated) or b1 (B's, inferred).
TIE = """\
format: 1
id: tie
title: Tariff talks
sources: [{id: S1, title: "A's statement", publisher: Wire, date: 2025-01-02, url: "https://example.org/s1"}]
issues:
  - {id: tariff, ordered: true, options: [{id: none, title: No tariff}, {id: low, title: Low tariff}, {id: high, title: High tariff}]}
parties:
  - {id: A, name: Alpha, preferences: {tariff: {importance: 1, ranking: [none, low, high]}},
     red_lines: [{id: a1, rule: "tariff == none", stance: stated, sources: [S1]}]}
  - {id: B, name: Beta, preferences: {tariff: {importance: 1, ranking: [high, low, none]}},
     red_lines: [{id: b1, rule: "tariff >= low", stance: inferred}]}
proposals:
  - {id: p1, title: Low tariff deal, terms: {tariff: low}}
"""

# A utility of 0.4496 against a reservation of 0.45: a rejection that rounds to equality.
CLOSE = """\
format: 1
id: close
issues: [{id: price, options: [{id: low, title: Low price}, {id: high, title: High price}]}]
parties:
  - {id: seller, name: Seller, reservation: 0.45,
     preferences: {price: {importance: 1, values: {low: 0.4496, high: 1}}}}
  - {id: buyer, name: Buyer, preferences: {price: {importance: 1, ranking: [low, high]}}}
proposals: [{id: cheap, title: Cheap, terms: {price: low}}]
"""

# A's two red lines each clash with B's one; every single red line is a smallest
# relaxation, and welfare (C likes o1) favours giving up A's lines.
FAIR = """\
format: 1
id: fair
issues: [{id: i, options: [o0, o1]}, {id: j, options: [o0, o1]}]
parties:
  - {id: A, preferences: {i: {importance: 1, ranking: [o0, o1]}, j: {importance: 1, ranking: [o0, o1]}},
     red_lines: [{id: a1, rule: "i == o0", stance: stated}, {id: a2, rule: "j == o0", stance: stated}]}
  - {id: B, preferences: {i: {importance: 3, ranking: [o1, o0]}, j: {importance: 3, ranking: [o1, o0]}},
     red_lines: [{id: b1, rule: "i == o1 or j == o1", stance: stated}]}
  - {id: C, preferences: {i: {importance: 1, ranking: [o1, o0]}, j: {importance: 1, ranking: [o1, o0]}}}
"""


def cli(*argv: str, tmp_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "negotiate", *argv], capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=300,
    )


def flat(text: str) -> str:
    """Text with its line wrapping undone (every run of white space one space)."""
    return " ".join(text.split())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- numbers ----------------------------------------------------------------------------------


def _exact(x: float) -> Decimal:
    return Decimal(x).quantize(Decimal(1).scaleb(-MAX_DECIMALS))


@given(
    a=st.floats(0, 1, allow_nan=False), b=st.floats(0, 1, allow_nan=False),
    digits=st.integers(0, 4),
)
def test_compared_numbers_keep_their_order(a: float, b: float, digits: int) -> None:
    x, y = compared(a, b, digits)
    shown, exact = (Decimal(x), Decimal(y)), (_exact(a), _exact(b))
    assert (shown[0] < shown[1]) == (exact[0] < exact[1])
    assert (shown[0] == shown[1]) == (exact[0] == exact[1])


@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=5))
def test_ordered_numbers_keep_every_pair_in_order(values: list[float]) -> None:
    shown = [Decimal(x) for x in ordered_numbers(values)]
    for i in range(len(values)):
        for j in range(len(values)):
            assert (shown[i] < shown[j]) == (_exact(values[i]) < _exact(values[j]))


def test_rejection_at_0_4496_reads_below_0_45(tmp_path: Path) -> None:
    path = write(tmp_path, "close.yaml", CLOSE)
    for argv in (("evaluate", str(path), "cheap"), ("analyze", str(path))):
        done = cli(*argv)
        assert done.returncode == 0, done.stderr
        assert "Seller: rejects (utility 0.4496 < reservation 0.45)" in done.stdout
        assert "Low price" in done.stdout  # option titles


# -- provenance, caveat, bottom line, evidence --------------------------------------------------


def test_constraint_label_names_party_stance_and_sources() -> None:
    s = ng.loads(TIE)
    assert constraint_label(s, "a1") == "a1 (Alpha, stated: S1)"
    assert constraint_label(s, "b1") == "b1 (Beta, inferred, no source cited)"


def test_text_opens_with_title_caveat_and_bottom_line(tmp_path: Path) -> None:
    done = cli("analyze", str(write(tmp_path, "tie.yaml", TIE)))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "Tariff talks"
    assert all(len(line) <= 100 for line in lines)  # wrapped, never a wall of one line
    caveat, _, rest = done.stdout.partition("\n\nBOTTOM LINE\n")
    assert caveat.splitlines()[3].startswith("Not a forecast and not a recommendation.")
    assert "inferred" in caveat and "b1" in caveat
    bottom = flat(rest.partition("\nSCENARIO\n")[0])
    assert "No clash holds on stated positions alone." in bottom
    # the bottom line says who clashes with whom and over what; CONFLICTS has the provenance
    assert "Alpha vs Beta over tariff (inferred)" in bottom
    assert "on tariff: a1 (Alpha, stated: S1) vs b1 (Beta, inferred, no source cited)" in flat(rest)
    assert "So the deadlock rests on positions that were not stated in public" in bottom
    assert (
        "Low tariff deal: accepted by Beta; rejected by Alpha (crosses 1 stated red line)."
        in bottom
    )


def test_evidence_levels() -> None:
    a = ng.analyze(ng.loads(TIE))
    assert [e.stances for e in a.evidence] == list(STANCE_LEVELS)
    # without the inferred b1 there is a deal; with it there is none
    assert [e.is_empty for e in a.evidence] == [False, False, True]
    assert [len(e.conflicts) for e in a.evidence] == [0, 0, 1]


#: Keys whose value lists constraint ids, and keys whose value maps constraint ids.
ID_LISTS = {"constraints", "crossed", "at_risk", "in_conflicts", "in_relaxations",
            "relaxation", "relaxed"}
ID_KEYED = {"labels", "constraint_issues"}


def _red_line_ids(node: Any, key: str | None = None) -> set[str]:
    """Every constraint id the document names where ids are stored (the top-level
    ``red_lines`` and ``constraints`` tables themselves excepted)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if key is None and k in ("red_lines", "constraints"):
                continue  # the tables the ids resolve in
            if k in ID_KEYED:
                found |= set(v)
            elif k == "crossed_by_party":
                found |= {x for ids in v.values() for x in ids}
            else:
                found |= _red_line_ids(v, k)
    elif isinstance(node, list):
        if key in ID_LISTS:
            found |= {x for x in node if isinstance(x, str)}
        for item in node:
            found |= _red_line_ids(item, key)
    return found


@pytest.mark.parametrize("text", [TIE, CLOSE, FAIR, None])
def test_every_red_line_id_in_the_json_resolves(text: str | None, tmp_path: Path) -> None:
    path = FLAGSHIP if text is None else write(tmp_path, "s.yaml", text)
    done = cli("analyze", str(path), "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    s = ng.load(path)
    assert set(doc["red_lines"]) == {r.id for p in s.parties for r in p.red_lines}
    for entry in doc["red_lines"].values():
        assert set(entry) == {"party", "rule", "stance", "sources", "note"}
        assert set(entry["sources"]) <= set(doc["sources"])
    reservations = {p.reservation_id for p in s.parties}
    ids = _red_line_ids(doc)
    assert ids >= set(doc["red_lines"]) & set(doc["deadlock"]["labels"])  # the walk sees them
    assert ids <= set(doc["red_lines"]) | reservations
    # the walk would catch an id that does not resolve
    doc["what_if"].append({"relaxation": ["no-such-line"]})
    assert "no-such-line" in _red_line_ids(doc)
    assert doc["caveat"].startswith("Not a forecast and not a recommendation")
    assert doc["bottom_line"]
    assert [e["stances"] for e in doc["evidence"]] == [list(x) for x in STANCE_LEVELS]
    assert all(isinstance(r["minimum"], bool) for r in doc["deadlock"]["relaxations"])
    for source in doc["sources"].values():
        assert set(source) == {"title", "publisher", "date", "url"}


# -- no silent choices ------------------------------------------------------------------------


def test_two_tied_relaxations_are_both_shown_and_relax_picks_one(tmp_path: Path) -> None:
    path = write(tmp_path, "tie.yaml", TIE)
    done = cli("analyze", str(path))
    assert done.returncode == 0, done.stderr
    out = flat(done.stdout)
    assert "2 relaxations tie as smallest" in out
    assert "fewest stated red lines given up" in out  # the tie-break, printed where used
    assert "WHAT-IF 1 of 2" in out and "WHAT-IF 2 of 2" in out
    # the softer (inferred) relaxation comes first
    assert out.index("Assumes these are given up: Beta: b1") < out.index(
        "Assumes these are given up: Alpha: a1"
    )
    doc = json.loads(cli("analyze", str(path), "--json").stdout)
    assert [w["relaxation"] for w in doc["what_if"]] == [["b1"], ["a1"]]
    assert doc["what_if_omitted"] == 0
    assert all(r["minimum"] for r in doc["deadlock"]["relaxations"])

    picked = cli("analyze", str(path), "--relax", "a1")
    assert picked.returncode == 0, picked.stderr
    assert "WHAT-IF (the relaxation you chose)" in picked.stdout
    assert "Assumes these are given up: Alpha: a1 (stated: S1)." in flat(picked.stdout)
    assert "given up: Beta" not in flat(picked.stdout)
    doc = json.loads(cli("analyze", str(path), "--relax", "a1", "--json").stdout)
    assert [w["relaxation"] for w in doc["what_if"]] == [["a1"]]
    assert doc["relaxed"] == ["a1"]


def test_relax_unknown_id_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ng.InvalidArgumentError, match="unknown constraint 'a2'"):
        ng.analyze(ng.loads(TIE), relax=["a2"])
    done = cli("analyze", str(write(tmp_path, "tie.yaml", TIE)), "--relax", "a1,zz")
    assert done.returncode == 2
    assert "unknown constraint 'zz'" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_relax_library_argument_and_reservations() -> None:
    a = ng.analyze(ng.loads(TIE), relax="b1")
    assert [w.relaxation for w in a.what_ifs] == [("b1",)]
    assert a.solutions and a.frontier is not None
    a = ng.analyze(ng.loads(CLOSE), relax=["seller:reservation"])
    assert a.what_ifs[0].relaxation == ("seller:reservation",)


def test_what_ifs_are_limited_and_the_rest_counted() -> None:
    a = ng.analyze(ng.load(FLAGSHIP))
    ties = len(a.deadlock.relaxations)
    assert len(a.what_ifs) == min(ties, WHAT_IF_LIMIT)
    assert a.what_if_omitted == ties - len(a.what_ifs)
    assert all(set(w.relaxation) in [set(r.constraints) for r in a.deadlock.relaxations]
               for w in a.what_ifs)
    text = str(a)
    if a.what_if_omitted:
        assert f"{a.what_if_omitted} more tied relaxation(s) have no what-if here" in text
    # frontier tables are short: never more than a few rows per what-if
    assert text.count("more point(s) (all in --json)") == sum(
        1 for w in a.what_ifs if w.frontier is not None and len(w.frontier) > 5
    )


# -- near deals -------------------------------------------------------------------------------


def test_near_deals_share_slots_between_parties() -> None:
    s = ng.loads(FAIR)
    plain = near_deals(s, 2)
    assert all(d.crossed_by_party.keys() == {"A"} for d in plain)  # what used to be listed
    fair = near_deals(s, 2, diverse=True)
    assert {tuple(d.crossed_by_party) for d in fair} == {("A",), ("B",)}
    assert len({d.crossed for d in fair}) == 2
    text = flat(str(ng.analyze(s, near_deals=2)))
    assert "ranked by the number crossed, then by the worst-off party's loss" in text
    assert "- B: gives up b1 (stated, no source cited); utility" in text
    assert "- B: gives up no red line; utility" in text


def test_flagship_near_deals_are_distinct_and_not_all_one_party() -> None:
    a = ng.analyze(ng.load(FLAGSHIP))
    sets = [frozenset(d.crossed) for d in a.near_deals]
    assert len(sets) == len(set(sets)) == 5
    assert len({tuple(d.crossed_by_party) for d in a.near_deals}) >= 2
    for d in a.near_deals:
        assert set(d.losses) == {p.id for p in a.scenario.parties}


# -- one deadline -----------------------------------------------------------------------------


def test_time_limit_bounds_the_whole_analysis_and_says_what_was_cut() -> None:
    a = ng.analyze(ng.load(FLAGSHIP), time_limit=0.001)
    assert a.incomplete  # skipped steps are listed, not silently dropped
    assert any("time limit ran out" in line for line in a.bottom_line)
    assert a.to_dict()["incomplete"] == list(a.incomplete)


def test_evaluate_json_carries_provenance(tmp_path: Path) -> None:
    done = cli("evaluate", str(FLAGSHIP), "us-28-point", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    named = {c for v in doc["parties"] for c in (*v["crossed"], *v["at_risk"])}
    assert named and named == set(doc["red_lines"])
    assert {x for r in doc["red_lines"].values() for x in r["sources"]} <= set(doc["sources"])
    assert doc["caveat"].startswith("Not a forecast and not a recommendation")


def test_relax_on_a_scenario_with_a_zone_keeps_the_zone_frontier() -> None:
    s = ng.loads(CLOSE)
    a = ng.analyze(s, relax=["seller:reservation"])
    assert not a.zone.is_empty and a.relaxed == ()
    assert a.frontier is not None and a.frontier == ng.pareto_frontier(s)
    text = str(a)
    assert text.index("PARETO FRONTIER AND BARGAINING SOLUTIONS") < text.index(
        "WHAT-IF (the relaxation you chose)"
    )


def test_rule_errors_name_a_constraint_as_a_constraint() -> None:
    text = """\
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties: [{id: p, red_lines: [{id: p1, rule: "a == z"}]}]
constraints: [{id: c1, rule: "b == x"}]
"""
    with pytest.raises(ng.ScenarioError) as caught:
        ng.loads(text)
    message = str(caught.value)
    assert "constraints[0].rule: unknown issue 'b' in constraint c1 (line 5" in message
    assert "parties[0].red_lines[0].rule: in red line p1: unknown option 'z'" in message
    assert "in red line c1" not in message


def test_a_cut_list_of_relaxations_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import negotiate.analysis.whole as whole

    monkeypatch.setattr(whole, "LIST_LIMIT", 1)  # TIE has two tied relaxations
    a = ng.analyze(ng.loads(TIE))
    assert len(a.deadlock.relaxations) == 1 and not a.deadlock.relaxations_complete
    bottom = " ".join(a.bottom_line)
    assert "one set of that size was found (the search stopped; more may exist)" in bottom
    assert "only one set" not in bottom
    assert "the search stopped, so others of that size may exist" in flat(str(a))


def test_january_lists_all_32_tied_relaxations() -> None:
    a = ng.analyze(ng.load(FLAGSHIP.with_name("talks-2026-01-late.yaml")))
    assert a.deadlock.relaxations_complete and len(a.deadlock.relaxations) == 32
    text = flat(str(a))
    assert "32 different sets of that size would do, all listed below" in text
    assert "32 relaxations tie as smallest (7 red lines each)" in text
    assert "32. " in text and "33. " not in text and "At least" not in text
