"""How sure is this? Robustness of the verdicts under uncertain positions.

Every number in a scenario of a real negotiation is uncertain: whether an
inferred red line is real, how much an issue matters, where a reservation
lies. :func:`robustness` treats each red line as present with a probability
(its ``confidence``; by default by stance) and each range ``[low, high]`` (or a
relative ``spread``) as uniform, and says how likely an agreement zone is,
which red lines the answer hangs on, and how likely each proposal is to be
accepted. Exact where the structure allows (red-line uncertainty only:
:mod:`negotiate.analysis.robustness_exact`), sampled otherwise
(:mod:`negotiate.analysis.robustness_sample`), on any executor.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from typing import Any, Literal

from negotiate._deadline import Deadline
from negotiate.analysis.proposals import _red_line_status
from negotiate.analysis.robustness_exact import (
    EXACT_MAX_CONFLICTS,
    EXACT_MAX_UNCERTAIN,
    ConflictPolynomial,
)
from negotiate.analysis.robustness_result import Robustness, wilson
from negotiate.analysis.robustness_sample import run_chunk
from negotiate.errors import InvalidArgumentError, SearchLimitError
from negotiate.model import DEFAULT_CONFIDENCE, Scenario
from negotiate.space import CompiledScenario, compile_scenario

__all__ = ["CHUNK_SIZE", "EXACT_MAX_CONFLICTS", "EXACT_MAX_UNCERTAIN", "Robustness",
           "robustness"]

#: Samples per task: at least this many, and larger for large runs (see `chunk_size`).
CHUNK_SIZE = 25
#: Largest chunk, and the number of chunks a large run is cut into.
_CHUNK_MAX, _CHUNKS = 1000, 200


def chunk_size(samples: int) -> int:
    """Samples per task for a run of ``samples``: a function of ``samples`` alone, so the
    chunk boundaries (where ``tolerance`` is checked) are the same on every executor.

    Examples
    --------
    >>> from negotiate.analysis.robustness import chunk_size
    >>> chunk_size(1000), chunk_size(20_000), chunk_size(10**7)
    (25, 100, 1000)
    """
    return min(_CHUNK_MAX, max(CHUNK_SIZE, -(-samples // _CHUNKS)))

#: Chunks submitted to an executor at a time (more are submitted as these finish).
IN_FLIGHT = 16
#: Most seconds the exact mode spends enumerating conflicts before sampling instead.
EXACT_TIME_LIMIT = 60.0

Progress = Callable[[int, int], None]


# -- arguments -------------------------------------------------------------------------------------

def resolve_confidence(
    s: Scenario, confidence: Mapping[str, float] | None
) -> tuple[dict[str, float], dict[str, float]]:
    """Each red line's probability, and the stance defaults used.

    A red line's own ``confidence`` beats the call's mapping, which beats
    :data:`negotiate.model.DEFAULT_CONFIDENCE`.
    """
    defaults = dict(DEFAULT_CONFIDENCE)
    if confidence is not None:
        if not isinstance(confidence, Mapping):
            raise InvalidArgumentError(
                f"confidence={confidence!r} must be a mapping of stance to probability, "
                "e.g. {'inferred': 0.3}"
            )
        for stance, q in confidence.items():
            if stance not in defaults:
                raise InvalidArgumentError(
                    f"confidence={dict(confidence)!r}: unknown stance {stance!r}; stances are "
                    f"{', '.join(defaults)}"
                )
            if isinstance(q, bool) or not isinstance(q, int | float) or not 0 < q <= 1:
                raise InvalidArgumentError(
                    f"confidence={dict(confidence)!r}: the probability for {stance!r} must be "
                    "in (0, 1]"
                )
            defaults[stance] = float(q)
    used = {
        r.id: r.confidence if r.confidence is not None else defaults[r.stance]
        for party in s.parties for r in party.red_lines
    }
    return used, defaults


def _check(s: object, samples: object, seed: object, method: object, spread: object,
           tolerance: object) -> None:
    if not isinstance(s, Scenario):
        raise InvalidArgumentError(
            f"s=<{type(s).__name__}> must be a Scenario (from ng.load, ng.loads or ng.validate)"
        )
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise InvalidArgumentError(f"samples={samples!r} must be a positive integer")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidArgumentError(f"seed={seed!r} must be a non-negative integer")
    if method not in ("auto", "exact", "monte_carlo"):
        raise InvalidArgumentError(
            f"method={method!r} must be 'auto', 'exact' or 'monte_carlo'"
        )
    if spread is not None and (
        isinstance(spread, bool) or not isinstance(spread, int | float)
        or not 0 <= spread < 1
    ):
        raise InvalidArgumentError(
            f"spread={spread!r} must be a relative spread in [0, 1) such as 0.2, or None"
        )
    if tolerance is not None and (
        isinstance(tolerance, bool) or not isinstance(tolerance, int | float)
        or not 0 < tolerance < 0.5
    ):
        raise InvalidArgumentError(
            f"tolerance={tolerance!r} must be an interval half-width in (0, 0.5), or None"
        )


def ranged_numbers(s: Scenario) -> list[str]:
    """Where the scenario writes a number as a range (locations like ``parties[0].reservation``)."""
    found = []
    for p, party in enumerate(s.parties):
        for issue, pref in party.preferences.items():
            if pref.importance_range is not None:
                found.append(f"parties[{p}].preferences.{issue}.importance")
            for option in pref.values_range or {}:
                found.append(f"parties[{p}].preferences.{issue}.values.{option}")
        if party.reservation_range is not None:
            found.append(f"parties[{p}].reservation")
    return found


def _crossings(c: CompiledScenario, deadline: Deadline) -> list[dict[str, Any]]:
    """For each proposal: its fixed terms, open issues, and per party the red lines
    it crosses or puts at risk (those that, present, keep the party from accepting)."""
    s = c.scenario
    plans = []
    for proposal in s.proposals:
        fixed = {c.issue_index[i]: c.option_ids[c.issue_index[i]].index(k)
                 for i, k in proposal.terms.items()}
        crossing: list[list[int]] = [[] for _ in c.party_ids]
        for r, red_line in enumerate(c.red_lines):
            if _red_line_status(c, r, fixed, deadline) != "holds":
                crossing[red_line.party].append(r)
        plans.append({
            "id": proposal.id,
            "fixed": sorted(fixed.items()),
            "open": [i for i in range(c.n_issues) if i not in fixed],
            "crossing": crossing,
        })
    return plans


def _utility_ok(c: CompiledScenario, plan: Mapping[str, Any], p: int) -> bool:
    table = c.tables[p]
    low = sum(table[i][k] for i, k in plan["fixed"]) + sum(min(table[i]) for i in plan["open"])
    return bool(low >= c.thresholds[p])


# -- exact -----------------------------------------------------------------------------------------

def _exact(
    s: Scenario, c: CompiledScenario, q: Mapping[str, float], plans: list[dict[str, Any]],
    deadline: Deadline,
) -> tuple[dict[str, Any] | None, str]:
    """The exact answer, or None and why it could not be had."""
    from negotiate.analysis.deadlock import explain_deadlock

    budget = deadline.within(EXACT_TIME_LIMIT)
    try:
        x = explain_deadlock(s, limit=EXACT_MAX_CONFLICTS + 1, time_limit=budget.solver_limit())
    except SearchLimitError:
        return None, "the conflict enumeration hit its time limit"
    ids = [r.id for r in c.red_lines]
    if x.is_deadlocked is None:
        return None, "the solver could not decide whether the zone is empty in time"
    if x.is_deadlocked and (not x.conflicts_complete or len(x.conflicts) > EXACT_MAX_CONFLICTS):
        return None, (
            f"the minimal conflicts could not all be enumerated (exactness stops at "
            f"EXACT_MAX_CONFLICTS={EXACT_MAX_CONFLICTS} conflicts, and needs a complete list)"
        )
    if any(not k.minimal for k in x.conflicts):
        return None, "a conflict could not be proven minimal within the time limit"
    poly = ConflictPolynomial([k.constraints for k in x.conflicts], q)
    if len(poly.uncertain()) > EXACT_MAX_UNCERTAIN:
        return None, (
            f"{len(poly.uncertain())} uncertain red lines take part in conflicts (exactness "
            f"stops at EXACT_MAX_UNCERTAIN={EXACT_MAX_UNCERTAIN})"
        )
    p_agreement = 1.0 - poly.p_conflict()
    criticality = {
        r: poly.p_conflict(present={r}) - poly.p_conflict(absent={r}) for r in ids
    }
    proposals: dict[str, dict[str, float]] = {}
    for plan in plans:
        per_party = {}
        for p, party in enumerate(c.party_ids):
            prob = 1.0 if _utility_ok(c, plan, p) else 0.0
            for r in plan["crossing"][p]:
                prob *= 1.0 - q[ids[r]]
            per_party[party] = prob
        proposals[plan["id"]] = {"all": math.prod(per_party.values()), **per_party}
    return {
        "p_agreement": p_agreement,
        "criticality": criticality,
        "proposals": proposals,
        "conflicts": [list(k.constraints) for k in x.conflicts],
    }, ""


# -- Monte Carlo -----------------------------------------------------------------------------------

def _is_dask(executor: object) -> bool:
    return callable(getattr(executor, "get_executor", None)) and type(
        executor).__module__.startswith("distributed")


def _submitter(executor: object) -> Callable[..., Future[Any]] | None:
    if executor is None:
        return None
    if isinstance(executor, Executor):
        return executor.submit
    if _is_dask(executor):
        cf = executor.get_executor()  # type: ignore[attr-defined]  # a concurrent.futures view
        return cf.submit  # type: ignore[no-any-return]
    raise InvalidArgumentError(
        f"executor=<{type(executor).__name__}> must be a concurrent.futures.Executor "
        "(ProcessPoolExecutor, ThreadPoolExecutor) or a dask distributed.Client, or None"
    )


@dataclass
class _Tally:
    n: int = 0
    agree: int = 0
    critical: list[int] = field(default_factory=list)
    proposals: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, counts: Mapping[str, Any]) -> None:
        self.n += counts["n"]
        self.agree += counts["agree"]
        if not self.critical:
            self.critical = [0] * len(counts["critical"])
        self.critical = [a + b for a, b in zip(self.critical, counts["critical"], strict=True)]
        for pid, per in counts["proposals"].items():
            mine = self.proposals.setdefault(pid, dict.fromkeys(per, 0))
            for key, value in per.items():
                mine[key] += value

    def half_width(self) -> float:
        low, high = wilson(self.agree, self.n)
        return (high - low) / 2


def _monte_carlo(
    plan: str, seed: int, samples: int, executor: object, tolerance: float | None,
    deadline: Deadline, progress: Progress | None, build: Callable[[_Tally, bool], Robustness],
) -> tuple[_Tally, bool]:
    """Run the chunks; fold their counts in chunk order. Returns the tally and whether
    the tolerance stopped it early."""
    size = chunk_size(samples)
    chunks = [(a, min(a + size, samples)) for a in range(0, samples, size)]
    tally = _Tally()
    submit = _submitter(executor)

    def fold(counts: Mapping[str, Any]) -> bool:
        tally.add(counts)
        if progress is not None:
            progress(tally.n, samples)
        return tolerance is not None and tally.n < samples and tally.half_width() <= tolerance

    if submit is None:
        for a, b in chunks:
            counts = run_chunk(plan, seed, a, b, deadline)
            if counts["n"] < b - a:  # the deadline cut the chunk short
                tally.add(counts)
                raise deadline.error("robustness sampling", build(tally, False))
            if fold(counts):
                return tally, True
            if deadline.expired:
                raise deadline.error("robustness sampling", build(tally, False))
        return tally, False
    index: dict[int, int] = {}
    done: dict[int, Mapping[str, Any]] = {}
    pending: set[Future[Any]] = set()
    following = 0
    queued = iter(enumerate(chunks))
    shipped: Any = plan
    if _is_dask(executor):
        # Send the plan to every worker once; tasks then refer to it.
        shipped = executor.scatter(plan, broadcast=True, hash=False)  # type: ignore[attr-defined]
    try:
        while True:
            # Keep a bounded window of chunks in flight (each task carries the plan).
            while len(pending) < IN_FLIGHT:
                item = next(queued, None)
                if item is None:
                    break
                k, (a, b) = item
                future = submit(run_chunk, shipped, seed, a, b)
                index[id(future)] = k
                pending.add(future)
            if not pending:
                return tally, False
            finished, pending = wait(pending, timeout=deadline.remaining(),
                                     return_when=FIRST_COMPLETED)
            if not finished:
                raise deadline.error("robustness sampling", build(tally, False) if tally.n else None)
            for f in finished:
                done[index.pop(id(f))] = f.result()
            # Fold strictly in chunk order, so where the tolerance stops does not
            # depend on which worker finished first.
            while following in done:
                if fold(done.pop(following)):
                    return tally, True
                following += 1
    finally:
        for f in pending:
            f.cancel()


# -- the analysis ----------------------------------------------------------------------------------

def robustness(
    s: Scenario,
    *,
    samples: int = 1000,
    seed: int = 0,
    method: Literal["auto", "exact", "monte_carlo"] = "auto",
    executor: Any = None,
    confidence: Mapping[str, float] | None = None,
    spread: float | None = None,
    tolerance: float | None = None,
    time_limit: float | Deadline | None = None,
    progress: Progress | None = None,
) -> Robustness:
    """How sure is the verdict? Probabilities of agreement and of each plan's acceptance.

    Each red line is present (real and binding) independently with its
    confidence; each number written as a range ``[low, high]`` is uniform on
    it, and ``spread`` perturbs every importance and option value by a uniform
    relative factor in [1 - spread, 1 + spread] (values kept in [0, 1];
    ranges stay as written). A *sample* draws all of that, then analyses the
    scenario.

    Parameters
    ----------
    s : Scenario
    samples : int, optional
        Scenarios drawn by Monte Carlo (default 1000); unused when exact.
    seed : int, optional
        Seed of the draws (default 0). Sample k uses the k-th child of
        ``numpy.random.SeedSequence(seed)``, so results for a seed are identical
        whatever the executor and the number of workers.
    method : {"auto", "exact", "monte_carlo"}, optional
        ``"exact"`` computes the probabilities exactly from the complete list
        of minimal conflicts; it needs certain numbers (no ranges, no spread)
        and stops at ``EXACT_MAX_CONFLICTS`` conflicts over
        ``EXACT_MAX_UNCERTAIN`` uncertain red lines. Beyond that (or when the
        conflicts cannot all be enumerated in time) it samples instead and says
        why in ``messages``. ``"auto"`` (default) is exact when it can be.
    executor : concurrent.futures.Executor or distributed.Client, optional
        Where chunks of samples run (default: in this process); ``chunk_size(samples)``
        samples per task, at most ``IN_FLIGHT`` tasks submitted at a time.
    confidence : mapping of str to float, optional
        Probability by stance (``{"inferred": 0.3}``); stances left out keep the
        defaults (stated 1, reported 0.75, inferred 0.5). A red line's own
        ``confidence`` in the file wins.
    spread : float, optional
        Relative spread of every importance and value, in [0, 1).
    tolerance : float, optional
        Stop sampling early once the 95 % interval of P(agreement) is at most
        this half-width. Checked only at chunk boundaries, with chunks taken in
        order, so where it stops is the same on every executor.
    time_limit : float or Deadline, optional
        Seconds for the whole call (default: none). Running out raises
        `SearchLimitError` with the samples so far as ``.partial``.
    progress : callable, optional
        Called as ``progress(samples_done, samples)`` after each chunk.

    Returns
    -------
    Robustness

    Raises
    ------
    InvalidArgumentError
        On a bad argument.
    SearchLimitError
        When the time limit runs out.

    Notes
    -----
    Exact mode: the zone is empty exactly when some minimal conflict of the
    full scenario is fully present (reservations are certain), so
    P(agreement) = 1 - P(some conflict present), a polynomial in the
    confidences, evaluated by Shannon expansion over the uncertain red lines
    in conflicts. A red line's criticality is P(conflict | present) -
    P(conflict | absent). Monte Carlo: counts over samples with 95 % Wilson
    intervals; criticality counts, per sample, the lines whose switch (the
    other lines and numbers as drawn) flips deal and no deal. Since lines are
    drawn independently and dropping a line never shrinks the zone, the
    sensitivity of an uncertain line equals its criticality.

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: inferred}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low", stance: reported}]}
    ... proposals: [{id: p1, terms: {tariff: low}}]
    ... ''')
    >>> r = ng.robustness(s)
    >>> r.method, r.p_agreement, r.interval  # 1 - 0.5 * 0.75
    ('exact', 0.625, (0.625, 0.625))
    >>> r.criticality
    {'a1': 0.75, 'b1': 0.5}
    >>> r.proposals["p1"]
    {'all': 0.5, 'A': 0.5, 'B': 1.0}
    >>> m = ng.robustness(s, method="monte_carlo", samples=2000, seed=1)
    >>> m.interval[0] <= 0.625 <= m.interval[1]
    True
    """
    started = time.perf_counter()
    _check(s, samples, seed, method, spread, tolerance)
    _submitter(executor)  # refuses a bad executor up front, even when the answer is exact
    deadline = Deadline.coerce(time_limit)
    q, defaults = resolve_confidence(s, confidence)
    c = compile_scenario(s)
    plans = _crossings(c, deadline)
    ranges = ranged_numbers(s)
    messages: list[str] = []
    ids = [r.id for r in c.red_lines]
    hangs_on = {
        plan["id"]: {party: [ids[r] for r in plan["crossing"][p] if q[ids[r]] < 1]
                     for p, party in enumerate(c.party_ids)}
        for plan in plans
    }
    base: dict[str, Any] = {
        "scenario": s, "confidence": q, "defaults": defaults, "spread": spread,
        "ranges": ranges, "seed": seed, "messages": messages, "proposal_hangs_on": hangs_on,
    }
    if method in ("auto", "exact"):
        if ranges or spread is not None:
            if method == "exact":
                messages.append(
                    "exact mode needs certain numbers; sampled instead because "
                    + ("of a spread" if spread is not None else f"{len(ranges)} number(s) "
                       "are ranges")
                )
        else:
            found, why = _exact(s, c, q, plans, deadline)
            if found is not None:
                return Robustness.build(
                    **base, method="exact", samples=0, agree=found["p_agreement"],
                    criticality=found["criticality"], proposals=found["proposals"],
                    conflicts=found["conflicts"], elapsed=time.perf_counter() - started,
                )
            messages.append(f"not exact: {why}; sampled instead")
    plan = json.dumps({
        "scenario": s.model_dump(mode="json"),
        "confidence": [q[r.id] for r in c.red_lines],
        "spread": spread,
        "solve_limit": deadline.solver_limit(),
        "proposals": plans,
    })

    def build(tally: _Tally, stopped: bool) -> Robustness:
        n = max(tally.n, 1)
        criticality = {r: tally.critical[k] / n if tally.critical else 0.0
                       for k, r in enumerate(ids)}
        proposals = {pid: {key: v / n for key, v in per.items()}
                     for pid, per in tally.proposals.items()}
        notes = [*messages]
        if stopped:
            notes.append(f"stopped early after {tally.n} samples: the interval half-width "
                         f"reached the tolerance {tolerance:g}")
        return Robustness.build(
            **{**base, "messages": notes}, method="monte_carlo", samples=tally.n,
            agree=tally.agree, criticality=criticality, proposals=proposals,
            conflicts=None, elapsed=time.perf_counter() - started,
        )

    tally, stopped = _monte_carlo(plan, seed, samples, executor, tolerance, deadline,
                                  progress, build)
    return build(tally, stopped)
