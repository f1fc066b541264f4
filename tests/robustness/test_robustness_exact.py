"""Exact robustness against brute-force enumeration over every red-line subset."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiate as ng
from negotiate.analysis import relax
from negotiate.analysis.robustness_exact import ConflictPolynomial
from negotiate.testing import scenarios
from tests.robustness._reference import enumerate_subsets, with_confidences

LEVELS = st.sampled_from([None, None, 0.2, 0.5, 0.9, 1.0])


@st.composite
def uncertain_scenarios(draw: st.DrawFn) -> ng.Scenario:
    s = draw(scenarios(max_issues=3, max_options=3, max_parties=3, max_red_lines=2,
                       details=st.booleans()))
    ids = [r.id for p in s.parties for r in p.red_lines]
    return with_confidences(s, {r: draw(LEVELS) for r in ids})


@given(s=uncertain_scenarios(), inferred=st.sampled_from([0.1, 0.5, 0.8]))
@settings(max_examples=60, deadline=None)
def test_exact_probabilities_equal_enumeration_of_red_line_subsets(
    s: ng.Scenario, inferred: float
) -> None:
    r = ng.robustness(s, method="exact", confidence={"inferred": inferred})
    assert r.method == "exact", r.messages
    expected = enumerate_subsets(s, r.confidence)
    assert r.samples == 0 and r.interval == (r.p_agreement, r.p_agreement)
    assert math.isclose(r.p_agreement, expected["p_agreement"], abs_tol=1e-9)
    for red_line, value in expected["criticality"].items():
        assert math.isclose(r.criticality[red_line], value, abs_tol=1e-9), red_line
    for red_line, q in r.confidence.items():
        if q < 1:
            assert math.isclose(r.sensitivity[red_line], expected["criticality"][red_line],
                                abs_tol=1e-9)
        else:
            assert red_line not in r.sensitivity
    for pid, per in expected["proposals"].items():
        for key, value in per.items():
            assert math.isclose(r.proposals[pid][key], value, abs_tol=1e-9), (pid, key)


def test_confidence_precedence_file_beats_call_beats_stance() -> None:
    s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties:
  - id: p
    red_lines:
      - {id: own, rule: "a == x", stance: inferred, confidence: 0.9}
      - {id: inf, rule: "a == x", stance: inferred}
      - {id: rep, rule: "a == x", stance: reported}
      - {id: sta, rule: "a == x", stance: stated}
""")
    r = ng.robustness(s, confidence={"inferred": 0.3})
    assert r.confidence == {"own": 0.9, "inf": 0.3, "rep": 0.75, "sta": 1.0}
    assert r.p_agreement == 1.0 and set(r.sensitivity) == {"own", "inf", "rep"}
    text = str(r)
    assert "inferred 0.3" in text and "set for this run: inferred=0.3" in text
    assert "set in the file: own 0.9" in text


def test_certain_conflict_gives_zero_and_uncertain_lines_matter_only_when_it_is_gone() -> None:
    s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y, z]}]
parties:
  - {id: p, red_lines: [{id: p1, rule: "a == x", stance: stated}]}
  - {id: q, red_lines: [{id: q1, rule: "a != x", stance: stated},
                        {id: q2, rule: "a == y", stance: inferred}]}
""")
    r = ng.robustness(s)
    assert r.p_agreement == 0.0 and r.conflicts == (("p1", "q1"), ("p1", "q2"))
    # q1 decides only when q2 (inferred, 0.5) is absent; p1 always decides
    assert r.criticality == {"p1": 1.0, "q1": 0.5, "q2": 0.0}
    assert r.sensitivity == {"q2": 0.0}
    relaxed = ng.robustness(relax(s, "q1"))
    assert relaxed.p_agreement == 0.5 and relaxed.criticality["q2"] == 1.0


def test_conflict_polynomial_inclusion_exclusion() -> None:
    q = {"a": 0.3, "b": 0.6, "c": 0.9, "d": 0.5}
    poly = ConflictPolynomial([("a", "b"), ("b", "c"), ("c", "d"), ("x:reservation", "d")], q)
    events = [{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d"}]
    total = 0.0
    for k in range(1, len(events) + 1):
        import itertools

        for combo in itertools.combinations(events, k):
            union = set().union(*combo)
            total += (-1) ** (k + 1) * math.prod(q[x] for x in union)
    assert math.isclose(poly.p_conflict(), total, abs_tol=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"samples": 0}, "samples=0"),
        ({"seed": -1}, "seed=-1"),
        ({"method": "bdd"}, "method='bdd'"),
        ({"spread": 1.5}, "spread=1.5"),
        ({"tolerance": 0}, "tolerance=0"),
        ({"confidence": {"guessed": 0.5}}, "unknown stance 'guessed'"),
        ({"confidence": {"inferred": 0}}, "probability for 'inferred' must be in (0, 1]"),
        ({"executor": "threads"}, "executor=<str>"),
    ],
)
def test_bad_arguments_say_what_is_right(kwargs: dict[str, object], says: str) -> None:
    s = ng.loads("format: 1\nid: t\nissues: [{id: a, options: [x]}]\nparties: [{id: p}]")
    with pytest.raises(ng.InvalidArgumentError, match=None) as info:
        ng.robustness(s, **kwargs)  # type: ignore[arg-type]
    assert says in str(info.value)
