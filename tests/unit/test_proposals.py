"""Evaluating proposals: verdicts, crossed red lines, utility ranges, nearest deal."""

from __future__ import annotations

from pathlib import Path

import pytest

import negotiate as ng
from tests import brute

TOY = ng.load(Path(__file__).parent.parent / "data" / "toy.yaml")

SALE = ng.loads("""
format: 1
id: sale
issues:
  - {id: price, options: [low, mid, high], ordered: true}
  - {id: extras, options: [none, some]}
  - {id: delivery, options: [slow, fast]}
parties:
  - id: seller
    preferences: {price: {importance: 2, ranking: [high, mid, low]}, extras: {importance: 1, ranking: [none, some]}}
    red_lines: [{id: s-floor, rule: "price >= mid"}, {id: s-fast, rule: "delivery == fast -> price == high"}]
  - id: buyer
    reservation: 0.5
    preferences: {price: {importance: 1, ranking: [low, mid, high]}, extras: {importance: 1, ranking: [some, none]}}
    red_lines: [{id: b-cap, rule: "price <= mid"}]
""")


def test_complete_proposal_accepted_by_all() -> None:
    e = ng.evaluate_proposal(TOY, "p1")
    assert e.accepted_by == ("A", "B") and e.rejected_by == ()
    assert e.open_issues == ()
    assert e.nearest == TOY.proposal("p1").terms and e.changes == ()
    for v in e.parties:
        outcome = TOY.proposal("p1").terms
        assert v.utility[0] == v.utility[1] == pytest.approx(ng.utility(TOY, v.party, outcome))


def test_partial_proposal_verdicts_and_ranges() -> None:
    e = ng.evaluate_proposal(SALE, {"price": "mid"})
    by = {v.party: v for v in e.parties}
    # seller: floor holds; 'delivery == fast -> price == high' fails when delivery is fast
    assert by["seller"].crossed == () and by["seller"].at_risk == ("s-fast",)
    assert by["seller"].verdict == "undecided"
    # buyer: cap holds; utility (0.5*0.5 + 0.5*extras) ranges over 0.25..0.75, reservation 0.5
    assert by["buyer"].utility == pytest.approx((0.25, 0.75))
    assert by["buyer"].verdict == "undecided"
    assert e.open_issues == ("extras", "delivery")


def test_crossed_red_line_means_rejection_and_nearest_moves_along_the_scale() -> None:
    e = ng.evaluate_proposal(SALE, {"price": "high", "extras": "some", "delivery": "slow"})
    by = {v.party: v for v in e.parties}
    assert by["buyer"].verdict == "rejects" and by["buyer"].crossed == ("b-cap",)
    assert e.changes == (("price", "high", "mid"),)
    assert e.nearest is not None
    assert all(ng.is_acceptable(SALE, p.id, e.nearest) for p in SALE.parties)


def test_nearest_changes_fewest_terms_brute_force() -> None:
    for terms in brute.outcomes(SALE):
        e = ng.evaluate_proposal(SALE, terms)
        zone = brute.zone(SALE)
        best = min(sum(o[i] != terms[i] for i in terms) for o in zone)
        assert e.nearest in zone
        assert len(e.changes) == best
        for v in e.parties:
            assert (v.verdict == "accepts") == brute.acceptable(SALE, v.party, terms)


def test_empty_zone_has_no_nearest_deal() -> None:
    s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties:
  - {id: p, red_lines: [{id: p1, rule: "a == x"}]}
  - {id: q, red_lines: [{id: q1, rule: "a == y"}]}
""")
    e = ng.evaluate_proposal(s, {"a": "x"})
    assert e.nearest is None and e.rejected_by == ("q",)
    assert "no nearest deal" in str(e)


def test_bad_proposals() -> None:
    with pytest.raises(ng.ScenarioError, match="unknown proposal"):
        ng.evaluate_proposal(TOY, "p9")
    with pytest.raises(ng.ScenarioError, match="did you mean 'low'"):
        ng.evaluate_proposal(TOY, {"tariff": "lo"})
    with pytest.raises(ng.InvalidArgumentError, match="proposal=<int> must be"):
        ng.evaluate_proposal(TOY, 42)  # type: ignore[arg-type]


def test_to_dict_is_json_ready() -> None:
    import json

    d = ng.evaluate_proposal(SALE, {"price": "mid"}).to_dict()
    assert json.loads(json.dumps(d))["parties"][0]["party"] == "seller"
