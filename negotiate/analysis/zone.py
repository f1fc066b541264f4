"""Agreement zones: the outcomes every party, or one party, can accept.

The *agreement zone* (ZOPA) of a scenario is the set of outcomes acceptable
to every party: each party's red lines hold and its utility reaches its
reservation. The zone is never built as a list. The scenario is compiled to
integer form, its issues are split into *linkage components* (issues linked
by red lines, see :func:`negotiate.graphs.linkage_graph`) and every
component is solved on its own:

- red lines inside a component are counted, sampled and enumerated exactly
  by variable elimination (:mod:`negotiate.analysis.zone_factor`);
- a *binding* reservation (one that rejects some outcome) couples every
  issue its party cares about, so those components form one *coupled
  block*. Its emptiness and witness come from enumeration when it is small
  and from the CP-SAT solver otherwise; its exact count from a
  meet-in-the-middle count over utility vectors
  (:mod:`negotiate.analysis.zone_count`).

Everything is computed lazily and cached on the zone object: asking whether
the zone is empty does not count it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate._results import Result, doc
from negotiate._text import big_count, json_count
from negotiate.analysis._checks import (
    check_non_negative,
    check_positive,
    check_probability,
    check_time_limit,
)
from negotiate.analysis.zone_engine import (
    DEFAULT_MAX_ENUMERATION,
    DEFAULT_TIME_LIMIT,
    ROWS_LIMIT,
    ZoneEngine,
)
from negotiate.errors import CountTooLargeError, NoAgreementError
from negotiate.model import Outcome, Scenario
from negotiate.space import CompiledScenario, compile_scenario

__all__ = [
    "DEFAULT_MAX_ENUMERATION",
    "DEFAULT_TIME_LIMIT",
    "AgreementZone",
    "CountEstimate",
    "acceptable_outcomes",
    "agreement_zone",
]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class CountEstimate(Result):
    """An estimate of the size of an agreement zone, with error bounds.

    The red-line part of the zone is counted exactly; the share of it that
    also meets every binding reservation is estimated from uniform samples,
    with a Wilson score interval.

    Attributes
    ----------
    value : int
        The estimate (rounded).
    low, high : int
        Bounds of the confidence interval.
    confidence : float
        Confidence level of the interval (for example 0.95).
    samples : int
        Samples drawn (0 when the count is exact).
    hits : int
        Samples that met every reservation.
    exact : bool
        True when no sampling was needed: ``value == low == high`` is the count.

    Examples
    --------
    >>> from negotiate.analysis.zone import agreement_zone
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y]}, {id: b, options: [x, y]}]
    ... parties: [{id: p, red_lines: [{id: r, rule: "a == x or b == x"}]}]
    ... ''')
    >>> est = agreement_zone(s).estimate_count()
    >>> est.value, est.exact
    (3, True)
    """

    value: int
    low: int
    high: int
    confidence: float
    samples: int
    hits: int
    exact: bool

    def __str__(self) -> str:
        if self.exact:
            return f"exactly {big_count(self.value)} outcomes"
        return (
            f"about {big_count(self.value)} outcomes ({self.confidence:.0%} interval "
            f"{big_count(self.low)} to {big_count(self.high)}; {self.hits:,} of {self.samples:,} samples "
            "met every reservation)"
        )


@dataclass(frozen=True, eq=False)
class AgreementZone(Result):
    """The outcomes acceptable to every party (or to one party), computed lazily.

    Build with :func:`agreement_zone` or :func:`acceptable_outcomes`. Nothing
    is computed until asked for, and each answer is cached: ``is_empty`` and
    ``witness`` do not count the zone, and ``count`` does not list it.

    Attributes
    ----------
    scenario : Scenario
        The scenario.
    party : str or None
        The party whose acceptable outcomes these are, or None for the
        agreement zone of all parties.
    time_limit : float or None
        Solver time limit in seconds (None: no limit).
    max_enumeration : int
        Work budget of an exact count under reservations.

    Notes
    -----
    Iteration yields outcomes in *lexicographic order*: by the option of the
    first issue (options in listed order), then the second, and so on, the
    last issue varying fastest. It is lazy and never repeats an outcome. It
    is backtrack-free (every step leads to an outcome) when the coupled block
    is small enough to be listed (at most 10^6 red-line-feasible
    combinations) or no reservation binds; otherwise outcomes that cannot
    reach a reservation are pruned by utility bounds, which can be slow when
    the zone is a thin part of a large space.

    The components and their rows are exposed for other engines
    (:attr:`compiled`, :attr:`components`, :meth:`component_rows`).

    Examples
    --------
    >>> from negotiate.analysis.zone import agreement_zone
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues:
    ...   - {id: tariff, options: [none, low, high], ordered: true}
    ...   - {id: quota, options: ["yes", "no"]}
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff != high"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "quota == yes or tariff >= low"}]}
    ... ''')
    >>> z = agreement_zone(s)
    >>> z.is_empty, z.count
    (False, 3)
    >>> [str(o) for o in z]
    ['tariff=none, quota=yes', 'tariff=low, quota=yes', 'tariff=low, quota=no']
    """

    scenario: Scenario = field(metadata=doc(convert=lambda s: s.id))
    party: str | None = None
    time_limit: float | Deadline | None = field(
        default=DEFAULT_TIME_LIMIT, metadata=doc(skip=True)
    )
    max_enumeration: int = field(default=DEFAULT_MAX_ENUMERATION, metadata=doc(skip=True))
    _engine: ZoneEngine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        c = compile_scenario(self.scenario)
        if self.party is None:
            red_lines = list(range(len(c.rules)))  # red lines and coherence constraints
            parties = list(range(c.n_parties))
        else:
            p = c.party_index[self.party]
            red_lines = [
                r for r, rule in enumerate(c.rules) if rule.party in (p, -1)
            ]  # the party's red lines and the coherence constraints
            parties = [p]
        engine = ZoneEngine(c, red_lines, parties, self.time_limit, self.max_enumeration)
        object.__setattr__(self, "_engine", engine)

    # -- for other engines -----------------------------------------------------------------------

    @property
    def compiled(self) -> CompiledScenario:
        """The compiled, integer-indexed scenario (:func:`negotiate.space.compile_scenario`)."""
        return self._engine.c

    @property
    def components(self) -> tuple[tuple[int, ...], ...]:
        """Linkage components of the red lines considered: sorted tuples of issue indices,
        ordered by their smallest issue. Issues in no red line are components of their own."""
        return tuple(self._engine.components)

    def component_rows(self, j: int, *, limit: int = ROWS_LIMIT) -> IntArray | None:
        """The red-line-feasible assignments of component ``j``.

        Returns an int64 array with one row per assignment (columns follow
        ``components[j]``) in lexicographic order, or None when there are
        more than ``limit`` or the component is too densely linked to list.
        Reservations are not applied.

        Examples
        --------
        >>> from negotiate.analysis.zone import agreement_zone
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y, z]}, {id: b, options: [x, y]}]
        ... parties:
        ...   - {id: p, reservation: 0.5, red_lines: [{id: r, rule: "a != x or b != x"}],
        ...      preferences: {a: {importance: 1, ranking: [x, y, z]}}}
        ... ''')
        >>> z = agreement_zone(s)
        >>> z.components, z.component_rows(0).tolist()
        (((0, 1),), [[0, 1], [1, 0], [1, 1], [2, 0], [2, 1]])
        """
        if self._engine.constant_false:
            return np.zeros((0, len(self._engine.components[j])), dtype=np.int64)
        return self._engine.engines[j].rows(limit)

    @property
    def binding_parties(self) -> tuple[str, ...]:
        """Ids of the parties whose reservation binds (rejects some outcome)."""
        return tuple(self._engine.c.party_ids[p] for p in self._engine.parties)

    # -- answers -----------------------------------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        """Whether no outcome is acceptable.

        Raises
        ------
        SearchLimitError
            If the solver reached ``time_limit`` before deciding.
        """
        return self._engine.emptiness()[0]

    @property
    def witness(self) -> Outcome | None:
        """An acceptable outcome, or None when the zone is empty.

        Deterministic. It is the first outcome of the iteration order unless
        the solver is needed: for binding reservations over a coupled block
        of more than 50,000 red-line-feasible outcomes (one solve
        is then cheaper than listing the block), or for red lines too
        densely linked to enumerate. Then it is the solver's outcome (one
        worker, fixed seed) on those issues, with the first choice on the
        other issues.

        Raises
        ------
        SearchLimitError
            If the solver reached ``time_limit`` before deciding.
        """
        indices = self._engine.emptiness()[1]
        return None if indices is None else self._engine.c.outcome(indices)

    @property
    def count(self) -> int:
        """The exact number of acceptable outcomes.

        Raises
        ------
        CountTooLargeError
            When the exact count is out of reach within ``max_enumeration``;
            the message points to :meth:`estimate_count`.
        """
        return self._engine.count()

    @property
    def red_line_count(self) -> int:
        """The exact number of outcomes that meet every red line considered
        (reservations not applied).

        Raises
        ------
        CountTooLargeError
            When the red lines link issues too densely to be counted.
        """
        return self._engine.red_line_count()

    def estimate_count(
        self, *, samples: int = 10_000, seed: int | None = 0, confidence: float = 0.95
    ) -> CountEstimate:
        """Estimate the number of acceptable outcomes, with error bounds.

        The red-line-feasible outcomes are counted exactly and sampled
        uniformly; the share meeting every binding reservation is estimated
        from ``samples`` draws with a Wilson score interval. When the count
        is already known or needs no sampling, it is returned exactly.

        Parameters
        ----------
        samples : int, optional
            Number of uniform draws (default 10,000).
        seed : int or None, optional
            Seed of the random generator (default 0; None for fresh entropy).
        confidence : float, optional
            Confidence level of the interval, in (0, 1) (default 0.95).

        Returns
        -------
        CountEstimate

        Notes
        -----
        A zone smaller than about ``1/samples`` of the red-line-feasible
        outcomes is likely to get 0 hits: the estimate is then 0 with an
        upper bound near ``3/samples`` of that count. Check ``is_empty``
        for certainty.

        Examples
        --------
        >>> from negotiate.analysis.zone import agreement_zone
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y, z]}, {id: b, options: [x, y]}]
        ... parties:
        ...   - {id: p, reservation: 0.5, red_lines: [{id: r, rule: "a != x or b != x"}],
        ...      preferences: {a: {importance: 1, ranking: [x, y, z]}}}
        ... ''')
        >>> z = agreement_zone(s)
        >>> est = z.estimate_count(samples=2000, seed=1)
        >>> est.exact, est.low <= 3 <= est.high  # the zone has 3 outcomes
        (False, True)
        >>> z.count, z.estimate_count().exact  # once counted, the estimate is exact
        (3, True)
        """
        check_positive("samples", samples)
        check_probability("confidence", confidence)
        value, low, high, drawn, hits, exact = self._engine.estimate(samples, seed, confidence)
        return CountEstimate(value, low, high, confidence, drawn, hits, exact)

    def sample(self, n: int, *, seed: int | None = 0) -> tuple[Outcome, ...]:
        """Draw ``n`` acceptable outcomes uniformly at random, with replacement.

        Parameters
        ----------
        n : int
            How many outcomes to draw.
        seed : int or None, optional
            Seed of the random generator (default 0, so results are
            reproducible; None for fresh entropy).

        Returns
        -------
        tuple of Outcome

        Raises
        ------
        NoAgreementError
            If the zone is empty.
        SearchLimitError
            If binding reservations make the zone so thin a part of the
            red-line-feasible outcomes that rejection sampling gives up.

        Notes
        -----
        Red lines are sampled exactly through their components; under
        binding reservations, outcomes are picked from the listed coupled
        block when it is small, and otherwise drawn by rejection from the
        uniform red-line-feasible sample.

        Examples
        --------
        >>> from negotiate.analysis.zone import agreement_zone
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y, z]}, {id: b, options: [x, y]}]
        ... parties:
        ...   - {id: p, reservation: 0.5, red_lines: [{id: r, rule: "a != x or b != x"}],
        ...      preferences: {a: {importance: 1, ranking: [x, y, z]}}}
        ... ''')
        >>> z = agreement_zone(s)
        >>> drawn = z.sample(100, seed=1)
        >>> sorted(set(str(o) for o in drawn))
        ['a=x, b=y', 'a=y, b=x', 'a=y, b=y']
        >>> drawn == z.sample(100, seed=1)
        True
        """
        check_non_negative("n", n)
        if self.is_empty:
            raise NoAgreementError(f"{self._subject()} is empty: there is nothing to sample")
        if n == 0:
            return ()
        rows = self._engine.sample(n, seed)
        c = self._engine.c
        return tuple(c.outcome(row) for row in rows.tolist())

    def iter_indices(self) -> Iterator[tuple[int, ...]]:
        """Like iteration, but yield option indices in issue order (for other engines).

        Examples
        --------
        >>> from negotiate.analysis.zone import agreement_zone
        >>> s = ng.loads('''
        ... format: 1
        ... id: t
        ... issues: [{id: a, options: [x, y]}, {id: b, options: [x, y]}]
        ... parties: [{id: p, red_lines: [{id: r, rule: "a == x or b == x"}]}]
        ... ''')
        >>> list(agreement_zone(s).iter_indices())
        [(0, 0), (0, 1), (1, 0)]
        """
        return self._engine.walk()

    def __iter__(self) -> Iterator[Outcome]:
        c = self._engine.c
        for indices in self._engine.walk():
            yield c.outcome(indices)

    def __contains__(self, outcome: object) -> bool:
        return isinstance(outcome, Mapping) and self._engine.accepts(outcome)

    # -- presentation ------------------------------------------------------------------------------

    def _subject(self) -> str:
        if self.party is None:
            return f"the agreement zone of '{self.scenario.id}'"
        return f"the outcomes acceptable to '{self.party}' in '{self.scenario.id}'"

    def _count_or_none(self) -> int | None:
        try:
            return self.count
        except CountTooLargeError:
            return None

    def __str__(self) -> str:
        c = self._engine.c
        head = (
            f"{self._subject()[0].upper()}{self._subject()[1:]} "
            f"({c.n_parties} parties, {c.n_issues} issues, "
            f"{big_count(self.scenario.outcome_count)} outcomes in all)"
        )
        if self.is_empty:
            return f"{head}: empty"
        count = self._count_or_none()
        size = (f"{big_count(count)} outcomes" if count is not None
                else "too many outcomes to count exactly")
        return f"{head}: {size}, for example {self.witness}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: ``scenario``, ``party``, ``is_empty``, ``witness``
        (issue -> option, or None) and ``count`` (None when out of exact reach): the
        generated dict (scenario id and party) with the computed keys."""
        out = super().to_dict()
        witness = self.witness
        out.update(
            is_empty=self.is_empty,
            witness=None if witness is None else witness.to_dict(),
            count=json_count(self._count_or_none()),
        )
        return out


def agreement_zone(
    s: Scenario,
    *,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
    max_enumeration: int = DEFAULT_MAX_ENUMERATION,
) -> AgreementZone:
    """The agreement zone: the outcomes every party can accept.

    An outcome is in the *agreement zone* (zone of possible agreement,
    ZOPA) when, for every party, all its red lines hold and its utility is
    at least its reservation. The result is lazy: see `AgreementZone`.

    Parameters
    ----------
    s : Scenario
    time_limit : float, Deadline or None, optional
        Seconds each question asked of the zone may take (emptiness and witness,
        the next outcome of an iteration; default 30; None for no limit), or a
        ``Deadline`` passed down by an enclosing analysis, which then bounds them
        all. Past it, ``SearchLimitError`` is raised. The zone only contains
        outcomes that obey the scenario's coherence constraints.
    max_enumeration : int, optional
        Work budget of an exact count under binding reservations: the number
        of partial outcomes it may examine (default 10^7, a few seconds at
        most; at most 10^6 merged partial outcomes are ever held in memory).
        Beyond it ``count`` raises `CountTooLargeError` and
        ``estimate_count`` gives an estimate with error bounds.

    Returns
    -------
    AgreementZone

    See Also
    --------
    acceptable_outcomes : the same for one party.
    negotiate.graphs.agreement_graph : the zone as a graph of concessions.

    Notes
    -----
    Red lines factorise over the linkage components, so counting, sampling
    and iterating never walk the product of the issues: a 40-issue scenario
    with sparse red lines is counted exactly in milliseconds. Binding
    reservations couple the issues their party cares about; the coupled
    block is listed when it has at most 10^6 red-line-feasible outcomes,
    and otherwise solved with CP-SAT for emptiness and witnesses (up to
    ``time_limit``) and counted by a dynamic programme over merged partial
    utilities, meet-in-the-middle between components, up to
    ``max_enumeration``. Exact counts with binding reservations reach
    about 10^9-10^10 outcomes on fine utility grids and much further on
    coarse ones (rankings, small integer importances).

    Examples
    --------
    >>> from negotiate.analysis.zone import agreement_zone
    >>> s = ng.loads('''
    ... format: 1
    ... id: trade
    ... issues:
    ...   - {id: tariff, options: [none, low, high], ordered: true}
    ...   - {id: quota, options: ["yes", "no"]}
    ... parties:
    ...   - id: A
    ...     reservation: 0.5
    ...     preferences: {tariff: {importance: 1, ranking: [none, low, high]}}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> z = agreement_zone(s)
    >>> z.count, z.witness
    (2, Outcome({'tariff': 'low', 'quota': 'yes'}))
    >>> sorted(str(o) for o in z.sample(3, seed=1))  # doctest: +ELLIPSIS
    ['tariff=low, quota=...', ...]
    """
    check_time_limit(time_limit, finite=False)  # infinity: no limit
    check_non_negative("max_enumeration", max_enumeration)
    return AgreementZone(s, None, time_limit, max_enumeration)


def acceptable_outcomes(
    s: Scenario,
    party: str,
    *,
    time_limit: float | Deadline | None = DEFAULT_TIME_LIMIT,
    max_enumeration: int = DEFAULT_MAX_ENUMERATION,
) -> AgreementZone:
    """The outcomes one party can accept: its red lines hold and its utility
    reaches its reservation (other parties are ignored).

    Parameters
    ----------
    s : Scenario
    party : str
        Party id.
    time_limit, max_enumeration
        As for :func:`agreement_zone`.

    Returns
    -------
    AgreementZone
        With ``party`` set.

    Raises
    ------
    ScenarioError
        If the party is unknown.

    Examples
    --------
    >>> from negotiate.analysis.zone import acceptable_outcomes
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: price, options: [low, mid, high], ordered: true}]
    ... parties:
    ...   - {id: seller, red_lines: [{id: s1, rule: "price >= mid"}]}
    ...   - {id: buyer, red_lines: [{id: b1, rule: "price <= mid"}]}
    ... ''')
    >>> [o["price"] for o in acceptable_outcomes(s, "seller")]
    ['mid', 'high']
    """
    check_time_limit(time_limit, finite=False)  # infinity: no limit
    check_non_negative("max_enumeration", max_enumeration)
    s.party(party)  # raises ScenarioError with a suggestion when unknown
    return AgreementZone(s, party, time_limit, max_enumeration)
