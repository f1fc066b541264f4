"""Brute-force reference for robustness: every red-line subset, every outcome."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import negotiate as ng
from tests import brute


def with_confidences(s: ng.Scenario, confidences: Mapping[str, float | None]) -> ng.Scenario:
    data = s.model_dump(mode="json")
    for party in data["parties"]:
        for red_line in party["red_lines"]:
            red_line["confidence"] = confidences.get(red_line["id"])
    return ng.validate(data)


def enumerate_subsets(s: ng.Scenario, q: Mapping[str, float]) -> dict[str, Any]:
    """P(agreement), criticality and proposal acceptance by summing over all 2^k subsets."""
    ids = [r.id for p in s.parties for r in p.red_lines]
    reservations = [f"{p.id}:reservation" for p in s.parties]
    owner = {r.id: p.id for p in s.parties for r in p.red_lines}
    outcomes = list(brute.outcomes(s))
    holds = {r: [brute.red_line_holds(s, r, o) for o in outcomes] for r in ids}
    reserved = {
        p.id: [brute.constraint_holds(s, f"{p.id}:reservation", o) for o in outcomes]
        for p in s.parties
    }
    memo: dict[frozenset[str], bool] = {}

    def feasible(present: frozenset[str]) -> bool:
        if present not in memo:
            memo[present] = any(
                all(holds[r][n] for r in present) and all(v[n] for v in reserved.values())
                for n in range(len(outcomes))
            )
        return memo[present]

    p_agree = 0.0
    critical = dict.fromkeys(ids, 0.0)
    accept: dict[str, dict[str, float]] = {
        x.id: {"all": 0.0, **{p.id: 0.0 for p in s.parties}} for x in s.proposals
    }
    completions = {
        x.id: [n for n, o in enumerate(outcomes)
               if all(o[i] == k for i, k in x.terms.items())]
        for x in s.proposals
    }
    del reservations
    for bits in itertools.product([False, True], repeat=len(ids)):
        present = frozenset(r for r, b in zip(ids, bits, strict=True) if b)
        weight = 1.0
        for r, b in zip(ids, bits, strict=True):
            weight *= q[r] if b else 1.0 - q[r]
        ok = feasible(present)
        p_agree += weight * ok
        for r in ids:
            if r in present:
                continue
            # weight of the other lines only: this subset and its twin with r together
            if ok and not feasible(present | {r}):
                critical[r] += weight / (1.0 - q[r]) if q[r] < 1 else 0.0
        for x in s.proposals:
            verdicts = {}
            for p in s.parties:
                verdicts[p.id] = all(
                    reserved[p.id][n]
                    and all(holds[r][n] for r in present if owner[r] == p.id)
                    for n in completions[x.id]
                )
                accept[x.id][p.id] += weight * verdicts[p.id]
            accept[x.id]["all"] += weight * all(verdicts.values())
    # criticality of certain lines (q = 1): the subset without them never has weight,
    # so recompute conditionally on the other lines.
    for r in ids:
        if q[r] < 1:
            continue
        total = 0.0
        others = [x for x in ids if x != r]
        for bits in itertools.product([False, True], repeat=len(others)):
            present = frozenset(x for x, b in zip(others, bits, strict=True) if b)
            weight = 1.0
            for x, b in zip(others, bits, strict=True):
                weight *= q[x] if b else 1.0 - q[x]
            total += weight * (feasible(present) and not feasible(present | {r}))
        critical[r] = total
    return {"p_agreement": p_agree, "criticality": critical, "proposals": accept}
