"""Numbers of any size: exact counts past float and text limits, extreme magnitudes,
many decimals, and the scaled CP-SAT model's exact repair."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any
from unittest import mock

import pytest

import negotiate as ng
from negotiate import space
from negotiate._deadline import Deadline
from negotiate._text import big_count, exact_digits, json_count
from negotiate.analysis import is_pareto_optimal
from negotiate.cli import main
from negotiate.report import analyze
from negotiate.space import compile_scenario
from tests import brute


def binary(n: int) -> ng.Scenario:
    """n free binary issues; p needs i0 = a (reservation), q cares about i1 only."""
    return ng.validate({
        "format": 1, "id": "binary",
        "issues": [{"id": f"i{k}", "options": ["a", "b"]} for k in range(n)],
        "parties": [
            {"id": "p", "reservation": 0.5,
             "preferences": {"i0": {"importance": 1, "ranking": ["a", "b"]}}},
            {"id": "q", "preferences": {"i1": {"importance": 1, "ranking": ["a", "b"]}}},
        ],
    })


# -- counts --------------------------------------------------------------------------------------


def test_big_count_text() -> None:
    assert big_count(0) == "0"
    assert big_count(10**15 - 1) == "999,999,999,999,999"
    assert big_count(10**15) == "1 × 10^15"
    assert big_count(12 * 10**399) == "1.2 × 10^400"
    assert big_count(9995 * 10**396) == "1 × 10^400"  # rounding carries into the exponent
    assert big_count(2**1024) == "1.8 × 10^308"
    assert big_count(2**15000) == "2.82 × 10^4515"


def test_json_count_is_exact() -> None:
    assert json_count(2**1024) == 2**1024
    text = json_count(2**15000)
    assert isinstance(text, str) and len(text) == 4516
    assert text == exact_digits(2**15000)
    # the digits are right: rebuild the number from 1000-digit pieces
    value = 0
    for k in range(0, len(text), 1000):
        value = value * 10 ** len(text[k:k + 1000]) + int(text[k:k + 1000])
    assert value == 2**15000


@pytest.mark.parametrize("n", [1024, 15000])
def test_free_binary_issues_count_and_analyse_without_traceback(n: int) -> None:
    s = binary(n)
    zone = ng.agreement_zone(s)
    assert zone.count == 2 ** (n - 1)
    assert f"{big_count(2 ** (n - 1))} outcomes" in str(zone)
    assert zone.to_dict()["count"] == json_count(2 ** (n - 1))
    result = analyze(s, time_limit=60)
    text = str(result)
    assert big_count(2**n) in text and "× 10^" in text
    document = json.loads(json.dumps(result.to_dict()))
    count = document["count"]
    assert count == 2 ** (n - 1) if n < 10_000 else count == exact_digits(2 ** (n - 1))
    frontier = ng.pareto_frontier(s)
    assert frontier.points[0].count == 2 ** (n - 2)
    assert "× 10^" in str(frontier)


def test_cli_analyze_1024_binary_issues(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "b.yaml"
    ng.dump(binary(1024), path)
    assert main(["analyze", str(path), "--time-limit", "30"]) == 0
    assert "1.8 × 10^308 possible outcomes" in capsys.readouterr().out
    assert main(["analyze", str(path), "--json", "--time-limit", "30"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 2**1023


# -- extreme magnitudes and many decimals ---------------------------------------------------------


def toy(**numbers: float) -> dict[str, Any]:
    get = numbers.get
    return {
        "format": 1, "id": "x",
        "issues": [{"id": "a", "options": ["x", "y", "z"]}, {"id": "b", "options": ["u", "v"]}],
        "parties": [
            {"id": "p", "reservation": get("reservation", 0.5), "power": get("power", 1.0),
             "preferences": {
                 "a": {"importance": get("importance", 1.0),
                       "values": {"x": 1.0, "y": get("value", 0.5), "z": 0.0}},
                 "b": {"importance": get("importance2", 1.0), "ranking": ["u", "v"]}}},
            {"id": "q", "reservation": 0.25, "power": get("power2", 1.0),
             "preferences": {"a": {"importance": 1, "ranking": ["z", "y", "x"]},
                             "b": {"importance": 1, "ranking": ["v", "u"]}}},
        ],
    }


def brute_solutions(s: ng.Scenario) -> dict[str, set[tuple[Fraction, ...]]]:
    """Utility vectors of the best frontier points for three objectives (exact)."""
    points = brute.pareto(s)
    r = [brute._exact(p.reservation) for p in s.parties]
    # gains clamp at 0 (a point within the acceptance tolerance below a reservation)
    gains = {tuple(u): [max(x - y, Fraction(0)) for x, y in zip(u, r, strict=True)]
             for _, u in points}

    def best(f: Any) -> set[tuple[Fraction, ...]]:
        top = max(f(g) for g in gains.values())
        return {u for u, g in gains.items() if f(g) == top}

    def product(g: list[Fraction]) -> Fraction:
        out = Fraction(1)
        for x in g:
            out *= x
        return out

    return {"nash": best(product), "egalitarian": best(min),
            "utilitarian": {u for u in gains if sum(u) == max(sum(v) for v in gains)}}


EXTREMES = [
    {"importance": 1e308}, {"importance": 1e-320}, {"importance": 1e308, "importance2": 1e-320},
    {"value": 1e-320}, {"value": 0.999999999999999}, {"reservation": 1e-320},
    {"reservation": 0.750000000000001}, {"importance": 0.123456789012345, "value": 0.1 + 0.2},
]


@pytest.mark.parametrize("numbers", EXTREMES, ids=[str(n) for n in EXTREMES])
def test_extreme_numbers_are_exact(numbers: dict[str, float]) -> None:
    s = ng.validate(toy(**numbers))
    expected = brute.zone(s)
    zone = ng.agreement_zone(s)
    assert list(zone) == expected and zone.count == len(expected)
    frontier = ng.pareto_frontier(s)
    assert {tuple(brute.utility(s, p, pt.outcome) for p in ("p", "q")) for pt in frontier.points} \
        == {u for _, u in brute.pareto(s)}
    if not expected:
        return
    best = brute_solutions(s)
    for name, solve in [("nash", ng.nash_bargaining_solution),
                        ("egalitarian", ng.egalitarian_solution),
                        ("utilitarian", ng.utilitarian_solution)]:
        solution = solve(s)
        if solution.degenerate:  # nobody-gains ties: broken by the documented rule instead
            continue
        outcome = solution.outcome
        assert tuple(brute.utility(s, p, outcome) for p in ("p", "q")) in best[name], name


@pytest.mark.parametrize("power", [1e308, 1e-320])
def test_extreme_power_gives_an_answer(power: float) -> None:
    data = toy(power=power, reservation=0.0)
    data["parties"][1]["reservation"] = 0.0
    s = ng.validate(data)
    solution = ng.nash_bargaining_solution(s)
    assert is_pareto_optimal(s, solution.outcome) and not solution.degenerate
    if power > 1:  # p's gain dominates the product: p's best frontier point
        # ... among the points where every party gains (Nash's product is 0 elsewhere)
        best_p = max(u[0] for _, u in brute.pareto(s) if all(x > 0 for x in u))
        assert brute.utility(s, "p", solution.outcome) == best_p


@pytest.mark.parametrize("cost", [1e308, 1e-320])
def test_extreme_costs_get_a_clear_error_with_the_location(cost: float) -> None:
    data = toy()
    data["parties"][0]["red_lines"] = [{"id": "r", "rule": "a != z", "cost": cost}]
    data["parties"][1]["red_lines"] = [{"id": "r2", "rule": "a == z"}]
    s = ng.validate(data)
    with pytest.raises(ng.ScenarioError, match=r"parties\[0\]\.red_lines\[0\]\.cost = 1e"):
        ng.explain_deadlock(s, weighted=True)
    assert ng.explain_deadlock(s).is_deadlocked  # unweighted: no costs to add


def test_many_decimals_are_accepted_and_scaled_for_cp_sat(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Any) -> None:
    s = ng.validate(toy(importance=0.123456789012345678, value=0.1 + 0.2,
                        reservation=0.333333333333333))
    c = compile_scenario(s)
    assert not c.fits_int64 or max(c.max_sums) >= space.CP_BOUND
    assert c.cp_shifts[0] > 0 and max(sum(max(r) for r in t) for t in c.cp_tables) < space.CP_BOUND
    path = tmp_path / "fine.yaml"
    ng.dump(s, path)
    assert main(["validate", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


def test_scaled_reservation_is_repaired_exactly() -> None:
    """With CP-SAT's range cut to 4 bits, the relaxed reservation admits outcomes just
    below the threshold; the witness must still be exactly acceptable."""
    data = toy(reservation=0.74)
    data["parties"][0]["red_lines"] = [{"id": "r", "rule": "a != x or b == v"}]
    s = ng.validate(data)
    expected = brute.zone(s)
    with mock.patch.object(space, "CP_BOUND", 2**4):
        from negotiate.solver import Model

        c = compile_scenario(s)
        model = Model(c)
        model.add_all()
        found = set()
        while True:
            result = model.solve(Deadline(10))
            if not result.found:
                break
            assert result.indices is not None
            found.add(c.outcome(result.indices))
            model.cp.add_bool_or([model.x[i][k].Not() for i, k in enumerate(result.indices)])
    assert found == set(expected)
