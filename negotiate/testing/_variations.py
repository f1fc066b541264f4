"""The :func:`variations` strategy: scenarios near a given one."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from negotiate.model import Issue, Scenario
from negotiate.testing._build import exact, value_fractions
from negotiate.testing._checks import check_bool, check_int, check_number, is_strategy, resolve

__all__ = ["variations"]

_NUMBERS = ("importance", "values", "reservation")


def _is_decimal(value: Fraction) -> bool:
    d = value.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _as_float(value: Fraction) -> float:
    """The float whose shortest repr is the decimal ``value`` (when it is one)."""
    if _is_decimal(value):
        return float(Decimal(value.numerator) / Decimal(value.denominator))
    return float(value)


@dataclass(frozen=True)
class _Move:
    """Where one number may go: ``origin + k * step`` for ``lo <= k <= hi``.

    The grid is centred on the number when it is a finite decimal (so k = 0
    keeps it as written), else it is the multiples of ``step``; ``centre``
    is the k closest to the number, where shrinking leads.
    """

    value: Fraction
    origin: Fraction
    lo: int
    hi: int
    centre: int

    @classmethod
    def plan(
        cls, value: Fraction, bound: Fraction, step: Fraction, low: Fraction,
        high: Fraction | None, above: Fraction | None = None,
    ) -> _Move:
        lowest = max(low, value - bound)
        highest = value + bound if high is None else min(high, value + bound)
        origin = value if _is_decimal(value) else Fraction(0)
        lo = math.ceil((lowest - origin) / step)
        hi = math.floor((highest - origin) / step)
        if above is not None:  # keep the result strictly above `above`
            lo = max(lo, math.floor((above - origin) / step) + 1)
        if lo > hi:  # no grid point within the bound: the number stays as written
            return cls(value, value, 0, 0, 0)
        centre = min(max(round((value - origin) / step), lo), hi)
        return cls(value, origin, lo, hi, centre)

    @property
    def reach(self) -> int:
        return max(self.centre - self.lo, self.hi - self.centre)

    def moved(self, offset: int, step: Fraction) -> Fraction:
        if self.lo == self.hi == 0 and self.origin == self.value:
            return self.value
        k = self.centre + min(max(offset, self.lo - self.centre), self.hi - self.centre)
        return self.origin + k * step


def _draw_moves(draw: DrawFn, moves: list[_Move], step: Fraction) -> list[Fraction]:
    """Move every number at once: one list of offsets (each shrinks to 0, i.e. to
    the number itself), clipped to each number's own range."""
    reach = max((m.reach for m in moves), default=0)
    if not reach:
        return [m.value for m in moves]
    offsets = draw(
        st.lists(st.integers(-reach, reach), min_size=len(moves), max_size=len(moves))
    )
    return [m.moved(offset, step) for m, offset in zip(moves, offsets, strict=True)]


@st.composite
def _variations(draw: DrawFn, scenario: Any, knobs: Mapping[str, Any]) -> Scenario:
    s = resolve(draw, scenario)
    if not isinstance(s, Scenario):
        raise InvalidArgument(f"scenario={s!r} must be a Scenario; pass e.g. ng.load(path)")
    k = {name: resolve(draw, value) for name, value in knobs.items()}
    _check_knobs(k)
    step = exact(k["step"])
    bounds = {name: exact(k[name]) for name in _NUMBERS}
    data = s.model_dump()
    issue_by_id = {issue.id: issue for issue in s.issues}
    # Plan every move, draw them kind by kind (one list each), then write them back.
    plans: dict[str, list[tuple[_Move, Callable[[Fraction], None]]]] = {n: [] for n in _NUMBERS}
    value_groups: list[tuple[dict[str, Any], Issue, list[Fraction], list[Fraction]]] = []
    for party in data["parties"]:
        prefs: dict[str, dict[str, Any]] = party["preferences"]
        # The party's most important issue keeps a positive importance.
        keeper = max(prefs, key=lambda i: prefs[i]["importance"], default=None)
        for issue_id, pref in prefs.items():
            w = exact(pref["importance"])
            if bounds["importance"]:
                above = Fraction(0) if issue_id == keeper and w > 0 else None
                move = _Move.plan(w, bounds["importance"], step, Fraction(0), None, above)
                plans["importance"].append((move, _put_float(pref, "importance")))
            if bounds["values"]:
                issue = issue_by_id[issue_id]
                before = value_fractions(pref, issue)
                after = list(before)
                for n, v in enumerate(before):
                    move = _Move.plan(v, bounds["values"], step, Fraction(0), Fraction(1))
                    plans["values"].append((move, _put_item(after, n)))
                value_groups.append((pref, issue, before, after))
        if bounds["reservation"]:
            move = _Move.plan(exact(party["reservation"]), bounds["reservation"], step,
                              Fraction(0), Fraction(1))
            plans["reservation"].append((move, _put_float(party, "reservation")))
    for name in _NUMBERS:
        moves = [move for move, _ in plans[name]]
        for (_, put), value in zip(plans[name], _draw_moves(draw, moves, step), strict=True):
            put(value)
    for pref, issue, before, after in value_groups:
        if after != before:  # (unchanged: keep the preference as written)
            listed = pref["values"] or {}
            pref["ranking"] = None  # a ranking becomes its values once they move
            pref["values"] = {
                o: _as_float(v) for o, v in zip(issue.option_ids, after, strict=True)
                if o in listed or v != 0
            }
    if k["drop_inferred"]:
        _drop_inferred(draw, data, k["max_dropped"])
    return Scenario.model_validate(data)


def _put_float(target: dict[str, Any], key: str) -> Callable[[Fraction], None]:
    def put(value: Fraction) -> None:
        target[key] = _as_float(value)

    return put


def _put_item(target: list[Fraction], n: int) -> Callable[[Fraction], None]:
    def put(value: Fraction) -> None:
        target[n] = value

    return put


def _drop_inferred(draw: DrawFn, data: dict[str, Any], limit: int | None) -> None:
    """Leave out some red lines with stance ``inferred`` (at most ``limit``)."""
    candidates = [
        (party, red_line) for party in data["parties"] for red_line in party["red_lines"]
        if red_line["stance"] == "inferred"
    ]
    if not candidates:
        return
    drops = draw(st.lists(st.booleans(), min_size=len(candidates), max_size=len(candidates)))
    dropped: set[int] = set()
    for n, drop in enumerate(drops):
        if drop and (limit is None or len(dropped) < limit):
            dropped.add(n)
    gone = {id(candidates[n][1]) for n in dropped}
    for party in data["parties"]:
        party["red_lines"] = [r for r in party["red_lines"] if id(r) not in gone]


def _check_knobs(k: Mapping[str, Any]) -> None:
    for name in _NUMBERS:
        check_number(name, k[name])
    check_number("step", k["step"], positive=True)
    check_bool("drop_inferred", k["drop_inferred"])
    if k["max_dropped"] is not None:
        check_int("max_dropped", k["max_dropped"], 0)
    if k["drop_inferred"] is False and k["max_dropped"] is not None:
        raise InvalidArgument(
            f"max_dropped={k['max_dropped']!r} has no effect with drop_inferred=False; "
            "pass drop_inferred=True"
        )
    if is_strategy(k["step"]):
        return
    for name in _NUMBERS:
        bound = k[name]
        if not is_strategy(bound) and 0 < bound < k["step"]:
            raise InvalidArgument(
                f"{name}={bound!r} is smaller than step={k['step']!r}, so nothing would "
                f"change; pass step={bound!r} or less"
            )


def variations(
    scenario: Scenario | SearchStrategy[Scenario],
    *,
    importance: float | SearchStrategy[float] = 0.2,
    values: float | SearchStrategy[float] = 0.0,
    reservation: float | SearchStrategy[float] = 0.0,
    drop_inferred: bool | SearchStrategy[bool] = False,
    max_dropped: int | SearchStrategy[int] | None = None,
    step: float | SearchStrategy[float] = 0.01,
) -> SearchStrategy[Scenario]:
    """Return a strategy of scenarios near a given one: its *variations*.

    A variation has the same ids (scenario, issues, options, parties,
    proposals, sources, red lines) with some numbers moved:

    - each stated importance by at most ``importance``, kept >= 0 (a
      party's most important issue keeps a positive importance, so the
      variation stays valid);
    - each option value by at most ``values``, kept in [0, 1] (a ranking
      turns into the equivalent values when they move);
    - each reservation by at most ``reservation``, kept in [0, 1];
    - with ``drop_inferred=True``, some red lines with stance
      ``inferred`` are left out (at most ``max_dropped`` of them).

    Bounds are absolute, on the numbers *as written* (importances are not
    normalised first: with importances 1-5, ``importance=0.2`` moves each by
    up to 0.2). Numbers move in multiples of ``step`` from their written
    value (or, for a value that is not a finite decimal, such as a third
    from a ranking, to multiples of ``step``), so variations compile to
    small exact integers. A bound of 0 leaves those numbers as written.

    Parameters
    ----------
    scenario : Scenario or strategy of Scenario
        The scenario to vary.
    importance, values, reservation : float
        Largest absolute change of each such number (>= 0).
    drop_inferred : bool
        Whether inferred red lines may be dropped.
    max_dropped : int, optional
        Most inferred red lines dropped in one variation (default: any).
    step : float
        Grid of the changes (> 0; at most each non-zero bound).

    Returns
    -------
    SearchStrategy of Scenario

    Raises
    ------
    hypothesis.errors.InvalidArgument
        On an invalid argument, naming it and a fix.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> from negotiate.testing import variations
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, high], ordered: true}]
    ... parties:
    ...   - {id: seller, red_lines: [{id: no-low, rule: "price >= high"}]}
    ...   - id: buyer
    ...     reservation: 0.2
    ...     preferences: {price: {importance: 1, values: {low: 1.0, high: 0.5}}}
    ... ''')
    >>> @settings(max_examples=30)
    ... @given(variations(s, values=0.1, reservation=0.1))
    ... def test_buyer_still_accepts_high(v):
    ...     # high is worth 0.5 +- 0.1 >= 0.4, the reservation is 0.2 +- 0.1 <= 0.3
    ...     assert ng.is_acceptable(v, "buyer", {"price": "high"})
    >>> test_buyer_still_accepts_high()

    Examples shrink toward the scenario itself.
    """
    if not is_strategy(scenario) and not isinstance(scenario, Scenario):
        raise InvalidArgument(
            f"scenario={scenario!r} must be a Scenario (or a strategy of scenarios); "
            "pass e.g. scenario=ng.load(path)"
        )
    knobs: dict[str, Any] = {
        "importance": importance, "values": values, "reservation": reservation,
        "drop_inferred": drop_inferred, "max_dropped": max_dropped, "step": step,
    }
    _check_knobs(knobs)
    return _variations(scenario, knobs)
