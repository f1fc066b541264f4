"""Time limits and interrupts: one Deadline everywhere, SearchLimitError (or the
documented incomplete flags), Ctrl-C. No timing assertions: an expired Deadline
makes every check fail at once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

import negotiate as ng
from negotiate._deadline import Deadline
from negotiate.analysis import deadlock_search, zone_engine
from negotiate.errors import SearchLimitError

TOY = ng.loads("""
format: 1
id: toy
issues:
  - {id: a, options: [x, y, z], ordered: true}
  - {id: b, options: [x, y]}
parties:
  - id: p
    reservation: 0.2
    preferences: {a: {importance: 1, ranking: [x, y, z]}, b: {importance: 1, ranking: [y, x]}}
    red_lines: [{id: p1, rule: "a != x"}]
  - id: q
    reservation: 0.4
    preferences: {a: {importance: 1, ranking: [z, y, x]}}
    red_lines: [{id: q1, rule: "a == x or b == x"}]
""")


def expired() -> Deadline:
    return Deadline(0)


def test_frontier_raises_search_limit_error() -> None:
    with pytest.raises(SearchLimitError, match="time limit"):
        ng.pareto_frontier(TOY.model_copy(), time_limit=expired())


def test_bargaining_passes_its_deadline_to_the_frontier() -> None:
    with pytest.raises(SearchLimitError):
        ng.nash_bargaining_solution(TOY.model_copy(), time_limit=expired())


def test_zone_walk_checks_its_deadline() -> None:
    s = TOY.model_copy()
    zone = ng.agreement_zone(s)
    assert not zone.is_empty  # emptiness settled with time to spare
    zone._engine.time_limit = expired()
    with mock.patch.object(zone_engine, "WALK_CHECK_EVERY", 1), pytest.raises(
        SearchLimitError, match="walking the agreement zone"
    ):
        list(zone)


def test_evaluate_proposal_raises_with_partial() -> None:
    with pytest.raises(SearchLimitError) as caught:
        ng.evaluate_proposal(TOY, {}, time_limit=expired())
    partial = caught.value.partial
    assert partial is None or isinstance(partial, ng.ProposalEvaluation)


def test_evaluate_proposal_validates_time_limit() -> None:
    with pytest.raises(ng.InvalidArgumentError, match="time_limit"):
        ng.evaluate_proposal(TOY, {}, time_limit=-1)


def test_explain_deadlock_marks_incomplete() -> None:
    with mock.patch.object(deadlock_search, "TABLE_LIMIT", 0):
        x = ng.explain_deadlock(TOY, time_limit=expired())
    assert x.is_deadlocked is None and not x.conflicts_complete


def test_agreement_graph_raises_search_limit_error() -> None:
    with pytest.raises(SearchLimitError):
        ng.agreement_graph(TOY, time_limit=expired())


def test_solver_turns_off_cp_sat_sigint_handler() -> None:
    from negotiate.solver import new_solver

    assert new_solver(Deadline(None)).parameters.catch_sigint_signal is False


def _slow_scenario() -> dict[str, Any]:
    """A scenario whose proposal evaluation needs minutes of CP-SAT time."""
    rng = random.Random(0)
    n, k = 200, 20
    issues = [{"id": f"i{i}", "options": [f"o{j}" for j in range(k)], "ordered": True}
              for i in range(n)]
    parties = []
    counter = 0
    for p in range(6):
        rules = []
        for _ in range(34):
            chosen = rng.sample(range(n), rng.randint(1, 3))
            literals = [f"i{i} != o{rng.randrange(k)}" for i in chosen]
            rules.append({"id": f"r{counter}", "rule": " or ".join(literals)})
            counter += 1
        parties.append({
            "id": f"p{p}", "reservation": 0.3, "red_lines": rules,
            "preferences": {f"i{i}": {"importance": rng.randint(1, 9),
                                      "values": {f"o{j}": rng.randint(0, 100) / 100
                                                 for j in range(k)}} for i in range(n)},
        })
    return {"format": 1, "id": "slow", "issues": issues, "parties": parties,
            "proposals": [{"id": "half", "terms": {f"i{i}": "o0" for i in range(0, n, 2)}}]}


def test_ctrl_c_stops_analyze_with_rc_130(tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    ng.dump(ng.validate(_slow_scenario()), path)
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "negotiate", "analyze", str(path), "--time-limit", "600"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        time.sleep(8)  # loading, compiling, and into the searches
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130
    assert err.strip().splitlines() == ["interrupted"]
