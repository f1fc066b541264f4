"""The whole analysis of a scenario in one object: what ``negotiate analyze`` prints."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from negotiate._deadline import Deadline
from negotiate._text import big_count
from negotiate.errors import CountTooLargeError, InvalidArgumentError, NegotiateError
from negotiate.model import Scenario

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """Everything negotiate can say about a scenario. Build with :func:`analyze`."""

    scenario: Scenario
    zone: Any
    """The `AgreementZone`."""
    count: int | None
    """Exact number of outcomes in the zone, or None when out of reach."""
    count_estimate: Any
    """A `CountEstimate` when the exact count was out of reach, else None."""
    deadlock: Any
    """The `DeadlockExplanation` (also computed for a non-empty zone: it then says so)."""
    near_deals: tuple[Any, ...]
    """Outcomes crossing the fewest red lines (when the zone is empty)."""
    proposals: tuple[Any, ...]
    """A `ProposalEvaluation` per proposal of the scenario."""
    relaxed: tuple[str, ...]
    """When the zone is empty: the constraints dropped (the first smallest relaxation)
    to show a frontier and bargaining solutions; empty otherwise."""
    frontier: Any
    """Pareto frontier of the zone (of the relaxed scenario when ``relaxed``)."""
    solutions: dict[str, Any]
    """Bargaining solutions by name (of the relaxed scenario when ``relaxed``)."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds spent on each step."""
    skipped: str = ""
    """Why the frontier and solutions were not computed, when they were not."""

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready document."""
        s = self.scenario
        return {
            "scenario": {"id": s.id, "title": s.title, "as_of": str(s.as_of) if s.as_of else None},
            "is_empty": self.zone.is_empty,
            "count": self.count,
            "count_estimate": None if self.count_estimate is None else self.count_estimate.to_dict(),
            "witness": None if self.zone.witness is None else self.zone.witness.to_dict(),
            "deadlock": self.deadlock.to_dict(),
            "near_deals": [d.to_dict() for d in self.near_deals],
            "proposals": [p.to_dict() for p in self.proposals],
            "relaxed": list(self.relaxed),
            "frontier": None if self.frontier is None else self.frontier.to_dict(),
            "solutions": {k: v.to_dict() for k, v in self.solutions.items()},
            "skipped": self.skipped or None,
            "analyst_judgement": (
                "importance, values and reservations are analyst judgements unless a "
                "source says otherwise; red lines carry their stance and sources"
            ),
        }

    def __str__(self) -> str:
        s = self.scenario
        rule = "=" * 78
        out = [rule, f"{s.title}" + (f" — as of {s.as_of}" if s.as_of else ""), rule]
        out.append(
            f"{len(s.parties)} parties, {len(s.issues)} issues, {big_count(s.outcome_count)} possible "
            f"outcomes, {sum(len(p.red_lines) for p in s.parties)} red lines."
        )
        out.append(
            "Importance, values and reservations are analyst judgements; red lines are "
            "labelled stated / reported / inferred."
        )
        out += ["", "AGREEMENT ZONE", "-" * 14]
        if self.zone.is_empty:
            out.append(f"Empty: no outcome is acceptable to all {len(s.parties)} parties.")
        else:
            if self.count is not None:
                size = f"{big_count(self.count)} outcome(s)"
            else:
                size = str(self.count_estimate)
            out.append(f"{size} acceptable to every party. For example:")
            out.append(f"  {self.zone.witness}")
        deadlock = str(self.deadlock)
        first, _, rest = deadlock.partition("\n")
        if self.zone.is_empty and first.startswith("No outcome is acceptable"):
            deadlock = rest  # the zone section has just said so
        out += ["", "DEADLOCK", "-" * 8, deadlock]
        if self.near_deals:
            out += ["", "NEAR DEALS (fewest red lines crossed)", "-" * 37]
            out += [f"{k}. {d}" for k, d in enumerate(self.near_deals, 1)]
        if self.proposals:
            out += ["", "PROPOSALS", "-" * 9]
            for evaluation in self.proposals:
                out += [str(evaluation), ""]
        head = "PARETO FRONTIER AND BARGAINING SOLUTIONS"
        if self.frontier is None and self.skipped:
            out += ["", head, "-" * len(head), f"Not computed: {self.skipped}"]
        if self.frontier is not None:
            out += ["", head, "-" * len(head)]
            if self.relaxed:
                out.append(
                    "The zone is empty, so these are for the scenario without "
                    f"{', '.join(self.relaxed)}: the smallest relaxation that gives up the "
                    "fewest stated positions (a what-if, not a forecast)."
                )
            out.append(str(self.frontier))
            for solution in self.solutions.values():
                out.append(str(solution))
        return "\n".join(out).rstrip() + "\n"


_FIRMNESS = {"inferred": 0, "reported": 1, "stated": 2}


def _softest(s: Scenario, relaxations: Any) -> Any:
    """Among the smallest relaxations, the one giving up the least firmly held
    positions: fewest stated red lines, then fewest reported (reservations count as
    stated); ties keep the explanation's order."""

    def firmness(constraint: str) -> int:
        if constraint.endswith(":reservation"):
            return 2
        return _FIRMNESS[s.red_line(constraint)[1].stance]

    def key(relaxation: Any) -> tuple[int, int]:
        levels = [firmness(c) for c in relaxation.constraints]
        return (levels.count(2), levels.count(1))

    return min(relaxations, key=key)


def _progress(stream: TextIO | None) -> Callable[[str], None]:
    def report(step: str) -> None:
        if stream is not None:
            print(f"… {step}", file=stream, flush=True)

    return report


def analyze(
    s: Scenario,
    *,
    near_deals: int = 5,
    time_limit: float | Deadline | None = 30.0,
    progress: TextIO | None = None,
) -> Analysis:
    """Run the whole analysis: zone, deadlock, near deals, proposals, frontier, solutions.

    When the zone is empty, the frontier and the bargaining solutions are
    computed for the scenario without one of the smallest relaxations found by
    the deadlock explanation: the one giving up the fewest ``stated`` red lines
    (then the fewest ``reported``), and ``relaxed`` says which constraints were
    dropped.

    Parameters
    ----------
    s : Scenario
    near_deals : int, optional
        How many near deals to list when the zone is empty.
    time_limit : float or None, optional
        Seconds allowed to each search (deadlock, near deals).
    progress : text stream or None, optional
        Where to report each step as it starts (the CLI passes stderr on a terminal).

    Returns
    -------
    Analysis

    Raises
    ------
    InvalidArgumentError
        If ``s`` is not a Scenario, or ``near_deals`` or ``time_limit`` is out of range.

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, red_lines: [{id: p1, rule: "a != z"}], preferences: {a: {importance: 1, ranking: [x, y, z]}}}
    ...   - {id: q, preferences: {a: {importance: 1, ranking: [z, y, x]}}}
    ... ''')
    >>> result = ng.analyze(s)
    >>> result.count, result.solutions["nash"].outcome
    (2, Outcome({'a': 'y'}))
    """
    from negotiate.analysis.bargaining import (
        egalitarian_solution,
        kalai_smorodinsky_solution,
        nash_bargaining_solution,
        utilitarian_solution,
    )
    from negotiate.analysis.deadlock import (
        _check_arguments,
        _check_time_limit,
        explain_deadlock,
    )
    from negotiate.analysis.deadlock import near_deals as find_near_deals
    from negotiate.analysis.pareto import pareto_frontier
    from negotiate.analysis.proposals import evaluate_proposal
    from negotiate.analysis.relax import relax
    from negotiate.analysis.zone import agreement_zone

    _check_arguments(s)
    if isinstance(near_deals, bool) or not isinstance(near_deals, int) or near_deals < 0:
        raise InvalidArgumentError(f"near_deals={near_deals!r} must be a non-negative integer")
    _check_time_limit(time_limit)
    time_limit = Deadline.coerce(time_limit)  # one deadline bounds the whole analysis
    step = _progress(progress)
    timings: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        step(name)
        start = time.perf_counter()
        try:
            return fn()
        finally:
            timings[name] = time.perf_counter() - start

    zone = timed("agreement zone", lambda: agreement_zone(s, time_limit=time_limit))
    count: int | None = None
    estimate = None
    if not zone.is_empty:
        try:
            count = timed("counting the zone", lambda: zone.count)
        except CountTooLargeError:
            estimate = timed("estimating the zone's size", lambda: zone.estimate_count(seed=0))
    else:
        count = 0
    deadlock = timed("deadlock explanation", lambda: explain_deadlock(s, time_limit=time_limit))
    deals: tuple[Any, ...] = ()
    if zone.is_empty and near_deals > 0:
        deals = tuple(
            timed("near deals", lambda: find_near_deals(s, near_deals, time_limit=time_limit))
        )
    evaluations = tuple(
        timed(f"proposal {p.id}", functools.partial(evaluate_proposal, s, p, time_limit=time_limit))
        for p in s.proposals
    )
    relaxed: tuple[str, ...] = ()
    target = s
    if zone.is_empty and deadlock.relaxations:
        relaxed = tuple(_softest(s, deadlock.relaxations).constraints)
        target = relax(s, relaxed)
    frontier = None
    solutions: dict[str, Any] = {}
    skipped = ""
    if zone.is_empty and not relaxed:
        skipped = "the zone is empty and no relaxation was found within the time limit."
    if not zone.is_empty or relaxed:
        try:
            frontier = timed(
                "Pareto frontier", lambda: pareto_frontier(target, time_limit=time_limit)
            )
            for name, fn in (
                ("nash", nash_bargaining_solution),
                ("kalai_smorodinsky", kalai_smorodinsky_solution),
                ("egalitarian", egalitarian_solution),
                ("utilitarian", utilitarian_solution),
            ):
                solutions[name] = timed(
                    f"{name} solution", functools.partial(fn, target, frontier=frontier)
                )
        except NegotiateError as exc:
            step(f"frontier skipped: {exc}")
            skipped = str(exc)
            frontier = None
            solutions = {}
    return Analysis(
        scenario=s,
        zone=zone,
        count=count,
        count_estimate=estimate,
        deadlock=deadlock,
        near_deals=deals,
        proposals=evaluations,
        relaxed=relaxed,
        frontier=frontier,
        solutions=solutions,
        timings=timings,
        skipped=skipped,
    )

