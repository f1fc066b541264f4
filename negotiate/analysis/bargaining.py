"""Bargaining solutions: which efficient outcome a fair bargain would pick.

Each solution maximises a welfare objective over the agreement zone, with
each party's reservation utility as its *disagreement point* (what it gets
without a deal). The objectives are monotone, so a maximiser always lies on
the Pareto frontier; every solution here is chosen among the points of
:func:`negotiate.analysis.pareto.pareto_frontier` and is therefore exact
and Pareto-optimal.

========================  ==============================================
solution                  maximises (gain g_p = u_p - r_p)
========================  ==============================================
Nash                      prod_p g_p ** power_p
Kalai–Smorodinsky         min_p g_p / (ideal_p - r_p)
egalitarian               min_p g_p
utilitarian               sum_p u_p
========================  ==============================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate._tuning import BARGAINING_FLOAT_SCREEN as _SCREEN
from negotiate._tuning import (
    EXPLANATION_TIME_LIMIT,
    NASH_LOG_TOLERANCE,
)
from negotiate._tuning import NASH_EXACT_EXPONENT as _EXACT_EXPONENT
from negotiate.analysis.bargaining_results import BargainingSolution
from negotiate.analysis.pareto import (
    DEFAULT_MAX_POINTS,
    DEFAULT_TIME_LIMIT,
    Frontier,
    _check_frontier,
    _check_limits,
    _compiled,
    _to_floats,
    pareto_frontier,
)
from negotiate.errors import NoAgreementError
from negotiate.model import Scenario
from negotiate.space import CompiledScenario, exact

__all__ = [
    "BargainingSolution",
    "egalitarian_solution",
    "kalai_smorodinsky_solution",
    "nash_bargaining_solution",
    "utilitarian_solution",
]


_PHRASES = {
    "nash": "Nash bargaining solution",
    "kalai_smorodinsky": "Kalai–Smorodinsky solution",
    "egalitarian": "egalitarian solution",
    "utilitarian": "utilitarian solution",
}

FloatArray = npt.NDArray[np.float64]
Key = Fraction | float


# -- public functions ------------------------------------------------------------------------


def nash_bargaining_solution(
    s: Scenario,
    *,
    frontier: Frontier | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> BargainingSolution:
    """The (power-weighted) Nash bargaining solution.

    The *Nash bargaining solution* maximises the product of the parties'
    gains over their disagreement points, ``prod_p (u_p - r_p) ** power_p``,
    over the agreement zone, with each party's reservation ``r_p`` as its
    disagreement point and its ``power`` as exponent (all 1: plain Nash).

    Parameters
    ----------
    s : Scenario
    frontier : Frontier, optional
        The Pareto frontier of ``s`` if already computed (saves recomputing it).
    max_points, time_limit
        Limits of the frontier computation, as in
        :func:`~negotiate.analysis.pareto.pareto_frontier`.

    Returns
    -------
    BargainingSolution

    Raises
    ------
    NoAgreementError
        If the agreement zone is empty; ``.explanation`` carries the deadlock
        explanation when it could be computed.
    CountTooLargeError
        If the frontier is out of reach within the limits.

    See Also
    --------
    kalai_smorodinsky_solution, egalitarian_solution, utilitarian_solution

    Notes
    -----
    Exact: gains are exact fractions, and when the powers reduce to coprime
    integer exponents of at most 64 (e.g. 1, 2, 0.5, 1.5) products are
    compared exactly. Otherwise products are compared by sums of
    ``power * log(gain)``, and two values within a relative
    ``NASH_LOG_TOLERANCE`` (1e-12) count as tied.

    Degenerate case: if every zone outcome leaves some party at its
    disagreement point, the product is 0 everywhere; ``degenerate`` is then
    True and ``value`` is the partial product defined here. Parties that
    gain nothing anywhere in the zone (for instance a party without
    preferences) are left out of the product. If still no outcome lets all
    the other parties gain at once, the solution maximises first the number
    of parties with a positive gain, then the product over those parties.
    If no party can gain at all, ``value`` is 0 and the tie-breaks decide.

    Ties (equal products) are broken by leximin on the gains (the outcome
    whose smallest gain is largest, then the second smallest, ...), then by
    frontier order. Gains of outcomes accepted within the acceptance
    tolerance (``utility >= reservation - 1e-9``) count as 0.

    Invariance: rescaling one party's values and reservation by a factor
    ``c > 0`` does not change the set of maximisers (``point`` and
    ``ties``), except in the last degenerate case, where products over
    different sets of parties are compared.

    Examples
    --------
    >>> from negotiate.analysis.bargaining import nash_bargaining_solution
    >>> s = ng.loads('''
    ... format: 1
    ... id: sale
    ... issues:
    ...   - {id: price, options: [low, mid, high], ordered: true}
    ...   - {id: speed, options: [slow, fast]}
    ... parties:
    ...   - id: buyer
    ...     preferences:
    ...       price: {importance: 2, ranking: [low, mid, high]}
    ...       speed: {importance: 1, ranking: [fast, slow]}
    ...   - id: seller
    ...     reservation: 0.5
    ...     preferences:
    ...       price: {importance: 1, ranking: [high, mid, low]}
    ...       speed: {importance: 1, ranking: [slow, fast]}
    ... ''')
    >>> solution = nash_bargaining_solution(s)
    >>> solution.outcome, round(solution.value, 4)
    (Outcome({'price': 'mid', 'speed': 'slow'}), 0.0833)
    >>> print(solution)
    Nash bargaining solution: price=mid, speed=slow
      utilities buyer=0.3333, seller=0.7500; value 0.0833333
    """
    return _Bargain.of(s, frontier, max_points, time_limit, "nash").nash()


def kalai_smorodinsky_solution(
    s: Scenario,
    *,
    frontier: Frontier | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> BargainingSolution:
    """The Kalai–Smorodinsky solution: equal shares of each party's best possible gain.

    The *Kalai–Smorodinsky solution* maximises
    ``min_p (u_p - r_p) / (ideal_p - r_p)`` over the agreement zone, where
    ``ideal_p`` is the best utility party ``p`` gets anywhere in the zone and
    ``r_p`` its reservation. A party whose ideal equals its reservation
    counts as fully satisfied (ratio 1).

    Parameters
    ----------
    s : Scenario
    frontier : Frontier, optional
        The Pareto frontier of ``s`` if already computed.
    max_points, time_limit
        Limits of the frontier computation.

    Returns
    -------
    BargainingSolution
        ``value`` is the smallest ratio, in [0, 1].

    Raises
    ------
    NoAgreementError
        If the agreement zone is empty.
    CountTooLargeError
        If the frontier is out of reach within the limits.

    See Also
    --------
    nash_bargaining_solution, egalitarian_solution

    Notes
    -----
    Exact (ratios of integers). Ties are broken by leximin on the ratios,
    then by frontier order. Invariant under rescaling one party's values and
    reservation by a factor ``c > 0``: the ratios do not change.

    Examples
    --------
    >>> from negotiate.analysis.bargaining import kalai_smorodinsky_solution
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, values: {x: 1.0, y: 0.6, z: 0.0}}}}
    ...   - {id: q, preferences: {a: {importance: 1, values: {x: 0.0, y: 0.3, z: 0.5}}}}
    ... ''')
    >>> solution = kalai_smorodinsky_solution(s)
    >>> solution.outcome, solution.value
    (Outcome({'a': 'y'}), 0.6)
    """
    return _Bargain.of(s, frontier, max_points, time_limit, "kalai_smorodinsky").kalai_smorodinsky()


def egalitarian_solution(
    s: Scenario,
    *,
    frontier: Frontier | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> BargainingSolution:
    """The egalitarian solution: the largest gain the worst-off party can get.

    The *egalitarian solution* maximises ``min_p (u_p - r_p)`` over the
    agreement zone, the smallest gain of any party over its reservation.

    Parameters
    ----------
    s : Scenario
    frontier : Frontier, optional
        The Pareto frontier of ``s`` if already computed.
    max_points, time_limit
        Limits of the frontier computation.

    Returns
    -------
    BargainingSolution

    Raises
    ------
    NoAgreementError
        If the agreement zone is empty.
    CountTooLargeError
        If the frontier is out of reach within the limits.

    See Also
    --------
    nash_bargaining_solution, kalai_smorodinsky_solution

    Notes
    -----
    Exact. Ties are broken by leximin on the gains (so the result is the
    leximin-optimal point of the frontier), then by frontier order. Not
    invariant under rescaling a party's utilities: it compares utilities
    across parties as they are written.

    Examples
    --------
    >>> from negotiate.analysis.bargaining import egalitarian_solution
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, values: {x: 1.0, y: 0.6, z: 0.0}}}}
    ...   - {id: q, preferences: {a: {importance: 1, values: {x: 0.0, y: 0.3, z: 0.5}}}}
    ... ''')
    >>> solution = egalitarian_solution(s)
    >>> solution.outcome, solution.value
    (Outcome({'a': 'y'}), 0.3)
    """
    return _Bargain.of(s, frontier, max_points, time_limit, "egalitarian").egalitarian()


def utilitarian_solution(
    s: Scenario,
    *,
    frontier: Frontier | None = None,
    max_points: int = DEFAULT_MAX_POINTS,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
) -> BargainingSolution:
    """The utilitarian solution: the largest total utility.

    The *utilitarian solution* maximises ``sum_p u_p`` over the agreement
    zone (equivalently the total gain, since reservations are constants).

    Parameters
    ----------
    s : Scenario
    frontier : Frontier, optional
        The Pareto frontier of ``s`` if already computed.
    max_points, time_limit
        Limits of the frontier computation.

    Returns
    -------
    BargainingSolution

    Raises
    ------
    NoAgreementError
        If the agreement zone is empty.
    CountTooLargeError
        If the frontier is out of reach within the limits.

    See Also
    --------
    nash_bargaining_solution, egalitarian_solution

    Notes
    -----
    Exact. Ties (often many: the sum is flat along some frontiers) are
    broken by leximin on the gains, then by frontier order. Not invariant
    under rescaling a party's utilities.

    Examples
    --------
    >>> from negotiate.analysis.bargaining import utilitarian_solution
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, values: {x: 1.0, y: 0.6, z: 0.0}}}}
    ...   - {id: q, preferences: {a: {importance: 1, values: {x: 0.0, y: 0.3, z: 0.5}}}}
    ... ''')
    >>> solution = utilitarian_solution(s)
    >>> solution.outcome, solution.value
    (Outcome({'a': 'x'}), 1.0)
    """
    return _Bargain.of(s, frontier, max_points, time_limit, "utilitarian").utilitarian()


# -- the computation -------------------------------------------------------------------------


def _no_agreement(s: Scenario, name: str, deadline: Deadline) -> NoAgreementError:
    """The error for an empty zone, with the deadlock explanation when it can be had."""
    explanation: object | None = None
    try:
        from negotiate.analysis.deadlock import explain_deadlock
    except ImportError:  # pragma: no cover - the deadlock module ships with the package
        pass
    else:
        try:
            explanation = explain_deadlock(
                s, time_limit=deadline.within(EXPLANATION_TIME_LIMIT)
            )
        except Exception:  # the explanation is a courtesy: never mask the real error
            explanation = None
    return NoAgreementError(
        f"no outcome is acceptable to every party of '{s.id}' (the agreement zone is empty), "
        f"so there is no {_PHRASES[name]}; see the error's "
        "explanation, or negotiate.explain_deadlock(s)",
        explanation=explanation,
    )


def _leximin(values: Sequence[Fraction]) -> tuple[Fraction, ...]:
    return tuple(sorted(values))


@dataclass(frozen=True)
class _Bargain:
    """A non-empty frontier with each point's gains, ready for the four objectives."""

    c: CompiledScenario
    frontier: Frontier
    ints: npt.NDArray[np.int64]
    gain_numerators: npt.NDArray[Any]
    """Per point and party: (u - r) * scale * b, clamped at 0, as exact integers."""
    gain_denominators: tuple[int, ...]
    """gain = gain_numerators / gain_denominators[p] exactly."""

    @classmethod
    def of(
        cls,
        s: Scenario,
        frontier: Frontier | None,
        max_points: int,
        time_limit: float | Deadline | None,
        name: str,
    ) -> _Bargain:
        c = _compiled(s)
        _check_limits(max_points, time_limit)
        deadline = Deadline.coerce(time_limit)
        if frontier is None:
            # pareto_frontier reuses the frontier cached on the compiled scenario
            frontier = pareto_frontier(s, max_points=max_points, time_limit=deadline)
        else:
            _check_frontier(c, frontier)
        ints = frontier._ints
        if ints is None or len(frontier) == 0:
            raise _no_agreement(s, name, deadline)
        numerators = []
        denominators = []
        for p, party in enumerate(c.scenario.parties):
            scale = c.scales[p]
            # gain = v / scale - r = (v * b - a) * scale.den / (b * scale.num), a/b = r * scale
            cut = exact(party.reservation) * scale
            a, b = cut.numerator, cut.denominator
            numerators.append(np.array(
                [max(v * b - a, 0) * scale.denominator for v in ints[:, p].tolist()],
                dtype=object,
            ))
            denominators.append(b * scale.numerator)
        table = np.stack(numerators, axis=1)
        return cls(c, frontier, ints, table, tuple(denominators))

    # -- helpers ---------------------------------------------------------------------------

    def gains(self, k: int) -> list[Fraction]:
        return [
            Fraction(int(self.gain_numerators[k, p]), d)
            for p, d in enumerate(self.gain_denominators)
        ]

    def float_gains(self) -> FloatArray:
        """Gains as the nearest doubles (Python's int / int rounds correctly at any size)."""
        out = np.empty(self.gain_numerators.shape, dtype=np.float64)
        for p, d in enumerate(self.gain_denominators):
            out[:, p] = [int(n) / d for n in self.gain_numerators[:, p].tolist()]
        return out

    def log_gains(self, positive: npt.NDArray[np.bool_]) -> FloatArray:
        """log(gain) where ``positive`` (else 0), from the exact integers: never -inf, even
        when a gain is too small for a double."""
        out = np.zeros(self.gain_numerators.shape, dtype=np.float64)
        for p, d in enumerate(self.gain_denominators):
            log_d = math.log(d)
            out[:, p] = [
                math.log(int(n)) - log_d if flag else 0.0
                for n, flag in zip(self.gain_numerators[:, p].tolist(),
                                   positive[:, p].tolist(), strict=True)
            ]
        return out

    def choose(
        self,
        name: str,
        candidates: npt.NDArray[np.int64],
        key: Callable[[int], Key],
        leximin: Callable[[int], tuple[Fraction, ...]],
        value: Callable[[int], float],
        tolerance: float | None = None,
        degenerate: bool = False,
    ) -> BargainingSolution:
        """Best candidate by exact ``key`` (ties: larger leximin, then frontier order)."""
        keys = {int(k): key(int(k)) for k in candidates}
        best = max(keys.values())
        if tolerance is None:
            tied = [k for k in sorted(keys) if keys[k] == best]
        else:
            margin = tolerance * max(1.0, abs(float(best)))
            tied = [k for k in sorted(keys) if float(best) - float(keys[k]) <= margin]
        chosen = max(tied, key=lambda k: (leximin(k), -k))
        point = self.frontier.points[chosen]
        return BargainingSolution(
            name=name,
            outcome=point.outcome,
            utilities=MappingProxyType(dict(point.utilities)),
            value=value(chosen),
            point=point,
            ties=tuple(self.frontier.points[k] for k in tied if k != chosen),
            degenerate=degenerate,
        )

    # -- the four solutions ----------------------------------------------------------------

    def nash(self) -> BargainingSolution:
        parties = self.c.scenario.parties
        weights = [exact(party.power) for party in parties]
        common = math.lcm(*(w.denominator for w in weights))
        exponents = [int(w * common) for w in weights]
        divisor = math.gcd(*exponents)
        exponents = [e // divisor for e in exponents]
        scaled = Fraction(divisor, common)  # power_p = exponents[p] * scaled
        exact_products = max(exponents) <= _EXACT_EXPONENT
        positive = np.asarray(self.gain_numerators > 0, dtype=bool)
        n_positive = positive.sum(axis=1)
        most = int(n_positive.max())
        degenerate = most < len(parties)
        level = np.flatnonzero(n_positive == most)
        logs = self.log_gains(positive) @ np.asarray(
            [float(w) for w in weights]
        )
        score = logs[level]
        candidates = level[score >= score.max() - _SCREEN * max(1.0, abs(float(score.max())))]

        def gains_of(k: int) -> list[tuple[Fraction, int]]:
            return [(g, e) for g, e in zip(self.gains(k), exponents, strict=True) if g > 0]

        def product(k: int) -> Fraction:
            return math.prod((g**e for g, e in gains_of(k)), start=Fraction(1))

        def log_sum(k: int) -> float:
            return sum(
                float(w) * (math.log(g.numerator) - math.log(g.denominator))
                for g, w in zip(self.gains(k), weights, strict=True) if g > 0
            )

        def value(k: int) -> float:
            if most == 0:  # nobody gains anywhere: no product to speak of
                return 0.0
            if exact_products:
                key = product(k)
                if scaled == 1:
                    return float(key)
                return math.exp(
                    float(scaled) * (math.log(key.numerator) - math.log(key.denominator))
                )
            return math.exp(log_sum(k))

        return self.choose(
            "nash",
            candidates,
            product if exact_products else log_sum,
            lambda k: _leximin(self.gains(k)),
            value,
            tolerance=None if exact_products else NASH_LOG_TOLERANCE,
            degenerate=degenerate,
        )

    def kalai_smorodinsky(self) -> BargainingSolution:
        ideal = [int(self.gain_numerators[:, p].max()) for p in range(self.ints.shape[1])]

        def ratios(k: int) -> tuple[Fraction, ...]:
            return tuple(
                Fraction(int(self.gain_numerators[k, p]), top) if top > 0 else Fraction(1)
                for p, top in enumerate(ideal)
            )

        floats = np.ones(self.gain_numerators.shape, dtype=np.float64)
        for p, top in enumerate(ideal):
            if top > 0:
                floats[:, p] = [int(n) / top for n in self.gain_numerators[:, p].tolist()]
        score = floats.min(axis=1)
        candidates = np.flatnonzero(score >= score.max() - _SCREEN)
        return self.choose(
            "kalai_smorodinsky",
            candidates,
            lambda k: min(ratios(k)),
            lambda k: _leximin(ratios(k)),
            lambda k: float(min(ratios(k))),
        )

    def egalitarian(self) -> BargainingSolution:
        floats = self.float_gains()
        score = floats.min(axis=1)
        candidates = np.flatnonzero(score >= score.max() - _SCREEN)
        return self.choose(
            "egalitarian",
            candidates,
            lambda k: min(self.gains(k)),
            lambda k: _leximin(self.gains(k)),
            lambda k: float(min(self.gains(k))),
        )

    def utilitarian(self) -> BargainingSolution:
        score = _to_floats(self.c, self.ints).sum(axis=1)
        candidates = np.flatnonzero(score >= score.max() - _SCREEN * max(1.0, float(score.max())))

        def total(k: int) -> Fraction:
            return sum(
                (Fraction(int(v)) / scale for v, scale in zip(self.ints[k], self.c.scales,
                                                                 strict=True)),
                Fraction(0),
            )

        return self.choose(
            "utilitarian",
            candidates,
            total,
            lambda k: _leximin(self.gains(k)),
            lambda k: float(total(k)),
        )

