"""The whole analysis of a scenario in one object: what ``negotiate analyze`` shows.

:func:`analyze` runs every analysis under one wall-clock deadline and says
what each conclusion rests on: the conflicts by evidence level (stated red
lines alone, with reported ones, with inferred ones), every tied minimum
relaxation with a what-if (frontier and bargaining solutions) for each, fair
and distinct near deals, the proposals, a bottom line and a caveat. The text
is rendered by :mod:`negotiate.report`; this module only computes.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from negotiate._deadline import Deadline
from negotiate._results import Result, doc
from negotiate.errors import (
    CountTooLargeError,
    InvalidArgumentError,
    NegotiateError,
    ScenarioError,
    SearchLimitError,
)
from negotiate.model import Scenario

if TYPE_CHECKING:
    from negotiate.analysis.bargaining_results import BargainingSolution
    from negotiate.analysis.deadlock_results import (
        Conflict,
        DeadlockExplanation,
        NearDeal,
        Relaxation,
    )
    from negotiate.analysis.pareto_results import Frontier
    from negotiate.analysis.proposals import ProposalEvaluation
    from negotiate.analysis.zone import AgreementZone, CountEstimate
    from negotiate.rules.ast import Rule

__all__ = [
    "LIST_LIMIT", "STANCE_LEVELS", "WHAT_IF_LIMIT", "Analysis", "EvidenceLevel", "WhatIf",
    "analyze",
]

#: Most conflicts, and most minimum relaxations, :func:`analyze` lists (the ``limit`` of
#: :func:`negotiate.explain_deadlock`, raised from its default of 20: listing them is cheap
#: next to the rest of the analysis). When more exist, ``relaxations_complete`` or
#: ``conflicts_complete`` is False and the text says the list is cut.
LIST_LIMIT = 100

#: Most what-ifs computed when several minimum relaxations tie and the user picked
#: none (``relax=``); the others are counted in ``Analysis.what_if_omitted``.
WHAT_IF_LIMIT = 4

#: The three evidence levels: the red lines kept at each (reservations are always kept).
STANCE_LEVELS: tuple[tuple[str, ...], ...] = (
    ("stated",),
    ("stated", "reported"),
    ("stated", "reported", "inferred"),
)

#: How tied minimum relaxations are ordered (printed wherever the order is used).
TIE_BREAK = (
    "fewest stated red lines given up, then fewest reported, then fewest reservations, "
    "then least total cost, then scenario order"
)

T = TypeVar("T")

#: The keys of ``Analysis.to_dict()`` (the JSON of ``negotiate analyze --json``), in order.
_ANALYSIS_KEYS = (
    "scenario", "caveat", "bottom_line", "is_empty", "count", "count_estimate", "witness",
    "evidence", "deadlock", "relaxation_order", "near_deals", "near_deal_ranking", "proposals",
    "relaxed", "frontier", "solutions", "what_if", "what_if_omitted", "skipped", "incomplete",
    "red_lines", "constraints", "sources",
)

#: A text field that is ``null`` in the document when empty.
_OR_NONE = doc(convert=lambda text: text or None)


def _scenario_meta(s: Scenario) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "as_of": str(s.as_of) if s.as_of else None}


@dataclass(frozen=True)
class EvidenceLevel(Result):
    """The deadlock analysis on the red lines of some stances only.

    Attributes
    ----------
    stances : tuple of str
        The stances of the red lines kept (reservations are kept at every level).
    is_empty : bool or None
        Whether the agreement zone is empty at this level (None: not decided in time).
    conflicts : tuple of Conflict
        Minimal conflicting sets at this level.
    conflicts_complete : bool
        Whether ``conflicts`` lists all of them.
    """

    stances: tuple[str, ...]
    is_empty: bool | None
    conflicts: tuple[Conflict, ...]
    conflicts_complete: bool = True


@dataclass(frozen=True)
class WhatIf(Result):
    """The frontier and bargaining solutions of the scenario without some constraints.

    Attributes
    ----------
    relaxation : tuple of str
        The constraints dropped (red-line ids and ``<party>:reservation``).
    chosen_by : str
        ``"user"`` (``relax=``) or ``"minimum"`` (a minimum relaxation).
    frontier : Frontier or None
    solutions : dict of str to BargainingSolution
    skipped : str
        Why the frontier was not computed, when it was not.
    """

    relaxation: tuple[str, ...]
    chosen_by: str
    frontier: Frontier | None
    solutions: dict[str, BargainingSolution]
    skipped: str = field(default="", metadata=_OR_NONE)


@dataclass(frozen=True)
class Analysis(Result):
    """Everything negotiate can say about a scenario. Build with :func:`analyze`.

    ``str(analysis)`` is the text ``negotiate analyze`` prints (rendered by
    :func:`negotiate.report.format_analysis`); ``to_dict()`` the JSON.
    """

    scenario: Scenario = field(metadata=doc(convert=_scenario_meta))
    zone: AgreementZone = field(metadata=doc(skip=True))
    """The `AgreementZone`."""
    count: int | None
    """Exact number of outcomes in the zone, or None when out of reach."""
    count_estimate: CountEstimate | None
    """A `CountEstimate` when the exact count was out of reach, else None."""
    deadlock: DeadlockExplanation
    """The `DeadlockExplanation` (also computed for a non-empty zone: it then says so)."""
    near_deals: tuple[NearDeal, ...]
    """Distinct, fair near deals (when the zone is empty), see ``near_deals(diverse=True)``."""
    proposals: tuple[ProposalEvaluation, ...]
    """A `ProposalEvaluation` per proposal of the scenario."""
    relaxed: tuple[str, ...]
    """When the zone is empty: the relaxation of the first what-if, whose frontier and
    solutions are ``frontier`` and ``solutions``; empty otherwise."""
    frontier: Frontier | None
    """Pareto frontier of the zone, or of the first what-if when the zone is empty."""
    solutions: dict[str, BargainingSolution]
    """Bargaining solutions by name, of the zone or of the first what-if."""
    timings: dict[str, float] = field(default_factory=dict, metadata=doc(skip=True))
    """Seconds spent on each step (not in ``to_dict()``: the document is deterministic)."""
    skipped: str = field(default="", metadata=_OR_NONE)
    """Why the frontier and solutions were not computed, when they were not."""
    evidence: tuple[EvidenceLevel, ...] = ()
    """The deadlock analysis at each evidence level (:data:`STANCE_LEVELS`)."""
    what_ifs: tuple[WhatIf, ...] = field(default=(), metadata=doc(key="what_if"))
    """One per tied minimum relaxation (at most :data:`WHAT_IF_LIMIT`), or the
    one the user picked with ``relax=``."""
    what_if_omitted: int = 0
    """Tied minimum relaxations without a what-if (beyond :data:`WHAT_IF_LIMIT`)."""
    bottom_line: tuple[str, ...] = ()
    """A few sentences: is there a deal; which clashes hold on stated positions
    alone and which need reported or inferred ones; how each plan fares."""
    caveat: str = ""
    """Not a forecast and not a recommendation, and what is analyst judgement."""
    incomplete: tuple[str, ...] = ()
    """Steps cut short or skipped because the time limit ran out."""

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready document; every red-line id in it is a key of ``red_lines``
        (or a ``<party>:reservation``)."""
        s = self.scenario
        out = super().to_dict()
        witness = self.zone.witness
        out.update(
            is_empty=self.zone.is_empty,
            witness=None if witness is None else witness.to_dict(),
            relaxation_order=TIE_BREAK,
            near_deal_ranking=_ranking(),
            red_lines=red_line_table(s),
            constraints={
                c.id: {"rule": _render(c.rule), "note": c.note, "sources": list(c.sources)}
                for c in s.constraints
            },
            sources=source_table(s),
        )
        return {k: out[k] for k in _ANALYSIS_KEYS}

    def __str__(self) -> str:
        from negotiate.report import format_analysis

        return format_analysis(self)


def _render(rule: Rule) -> str:
    from negotiate.rules import render

    return render(rule)


def _ranking() -> str:
    from negotiate.analysis.near_select import RANKING

    return RANKING


def red_line_table(s: Scenario) -> dict[str, dict[str, Any]]:
    """Red-line id -> party, rule, stance, sources, note (the JSON ``red_lines`` table)."""
    return {
        r.id: {
            "party": p.id, "rule": _render(r.rule), "stance": r.stance,
            "sources": list(r.sources), "note": r.note,
        }
        for p in s.parties for r in p.red_lines
    }


def source_table(s: Scenario, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
    """Source id -> title, publisher, date, url (the JSON ``sources`` table), for all
    sources or the given ids."""
    wanted = None if ids is None else set(ids)
    return {
        src.id: {
            "title": src.title, "publisher": src.publisher,
            "date": None if src.date is None else str(src.date), "url": src.url,
        }
        for src in s.sources if wanted is None or src.id in wanted
    }


def stance_of(s: Scenario, constraint: str) -> str:
    """``stated``, ``reported``, ``inferred`` or ``reservation`` (an analyst judgement)."""
    if constraint.endswith(":reservation"):
        return "reservation"
    return s.red_line(constraint)[1].stance


def tie_key(s: Scenario, relaxation: Relaxation, order: dict[str, int]) -> tuple[Any, ...]:
    """The sort key of :data:`TIE_BREAK` for one relaxation."""
    kinds = [stance_of(s, c) for c in relaxation.constraints]
    return (
        kinds.count("stated"), kinds.count("reported"), kinds.count("reservation"),
        relaxation.cost, [order.get(c, 0) for c in relaxation.constraints],
    )


def _known(s: Scenario, constraint: str) -> bool:
    try:
        stance_of(s, constraint) if not constraint.endswith(":reservation") else s.party(
            constraint.removesuffix(":reservation")
        )
    except ScenarioError:
        return False
    return True


def check_relax(s: Scenario, relax: Iterable[str] | str | None) -> tuple[str, ...] | None:
    """Validate a user's relaxation: red-line ids and ``<party>:reservation`` only."""
    if relax is None:
        return None
    if isinstance(relax, str):
        relax = [x.strip() for x in relax.split(",") if x.strip()]
    ids = tuple(dict.fromkeys(relax)) if isinstance(relax, Iterable) else None
    if ids is None or not ids or not all(isinstance(x, str) for x in ids):
        raise InvalidArgumentError(
            f"relax={relax!r} must be one or more red-line ids or '<party>:reservation'"
        )
    from negotiate.analysis.relax import relaxable

    try:
        relaxable(s, ids)  # the one check of relaxation ids, shared with relax()
    except ScenarioError as exc:
        unknown = next(x for x in ids if not _known(s, x))
        raise InvalidArgumentError(f"relax: unknown constraint '{unknown}': {exc}") from None
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(f"relax: {exc}") from None
    return ids


def _progress(stream: TextIO | None) -> Callable[[str], None]:
    def report(step: str) -> None:
        if stream is not None:
            print(f"… {step}", file=stream, flush=True)

    return report


def analyze(
    s: Scenario,
    *,
    near_deals: int = 5,
    time_limit: float | Deadline | None = 60.0,
    relax: Sequence[str] | str | None = None,
    progress: TextIO | None = None,
) -> Analysis:
    """Run the whole analysis: zone, evidence levels, deadlock, near deals, proposals,
    what-ifs (frontier and bargaining solutions), bottom line and caveat.

    The deadlock is analysed at three evidence levels (:data:`STANCE_LEVELS`):
    on ``stated`` red lines alone, with ``reported`` ones, and with all. When
    the zone is empty, a *what-if* shows the frontier and bargaining solutions
    of the scenario without one minimum relaxation; with ties there is one
    what-if per tied relaxation, ordered by :data:`TIE_BREAK`, up to
    :data:`WHAT_IF_LIMIT` (the rest are counted in ``what_if_omitted``), or
    just the one given by ``relax``.

    Parameters
    ----------
    s : Scenario
    near_deals : int, optional
        How many near deals to list when the zone is empty (distinct and fair:
        see :func:`negotiate.analysis.near_deals` with ``diverse=True``).
    time_limit : float, Deadline or None, optional
        Seconds for the whole analysis (default 60), shared by every step,
        proposals and near deals included; None for no limit. When it runs
        out, the steps not done are skipped and listed in ``incomplete``.
    relax : sequence of str, str or None, optional
        Constraints to drop for the what-if (red-line ids and
        ``<party>:reservation``; a string may list them separated by commas).
    progress : text stream or None, optional
        Where to report each step as it starts (the CLI passes stderr on a terminal).

    Returns
    -------
    Analysis

    Raises
    ------
    InvalidArgumentError
        If ``s`` is not a Scenario, ``near_deals`` or ``time_limit`` is out of
        range, or ``relax`` names an unknown constraint or a coherence constraint.

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
    >>> result.caveat.startswith("Not a forecast and not a recommendation")
    True
    """
    from negotiate.analysis._checks import check_arguments

    check_arguments(s)
    if isinstance(near_deals, bool) or not isinstance(near_deals, int) or near_deals < 0:
        raise InvalidArgumentError(f"near_deals={near_deals!r} must be a non-negative integer")
    if isinstance(time_limit, int | float) and not isinstance(time_limit, bool) and (
        time_limit <= 0 or time_limit == float("inf")
    ):
        raise InvalidArgumentError(
            f"time_limit={time_limit!r} must be a positive number of seconds or None"
        )
    deadline = Deadline.coerce(time_limit)
    chosen = check_relax(s, relax)
    run = _Run(deadline, _progress(progress))
    return run.analysis(s, near_deals, chosen)


class _Run:
    """One analysis in progress: the deadline, the timings and what was cut short."""

    def __init__(self, deadline: Deadline, step: Callable[[str], None]) -> None:
        self.deadline = deadline
        self.step = step
        self.timings: dict[str, float] = {}
        self.incomplete: list[str] = []

    def left(self) -> Deadline:
        """The one deadline every search of this analysis shares."""
        return self.deadline

    def timed(self, name: str, fn: Callable[[], T], default: T) -> T:
        """Run a step, or skip it (returning ``default``) once the time is up."""
        if self.deadline.expired:
            self.incomplete.append(name)
            return default
        self.step(name)
        start = time.perf_counter()
        try:
            return fn()
        except SearchLimitError:
            self.incomplete.append(name)
            return default
        finally:
            self.timings[name] = time.perf_counter() - start

    def analysis(self, s: Scenario, k: int, chosen: tuple[str, ...] | None) -> Analysis:
        from negotiate.analysis.deadlock import explain_deadlock
        from negotiate.analysis.deadlock import near_deals as find_near_deals
        from negotiate.analysis.proposals import evaluate_proposal
        from negotiate.analysis.zone import agreement_zone
        from negotiate.report import bottom_line, caveat

        self.step("agreement zone")
        start = time.perf_counter()
        zone = agreement_zone(s, time_limit=self.left())
        self.timings["agreement zone"] = time.perf_counter() - start
        count: int | None = 0 if zone.is_empty else None
        estimate = None
        if not zone.is_empty:
            try:
                count = self.timed("counting the zone", lambda: zone.count, None)
            except CountTooLargeError:
                estimate = self.timed(
                    "estimating the zone's size", lambda: zone.estimate_count(seed=0), None
                )
        self.step("deadlock explanation")
        start = time.perf_counter()
        deadlock = explain_deadlock(s, limit=LIST_LIMIT, time_limit=self.left())
        self.timings["deadlock explanation"] = time.perf_counter() - start
        evidence = self.evidence(s, deadlock, open_zone=not zone.is_empty)
        deals: tuple[NearDeal, ...] = ()
        if zone.is_empty and k > 0:
            deals = self.timed(
                "near deals",
                lambda: tuple(find_near_deals(s, k, time_limit=self.left(), diverse=True)),
                (),
            )
        evaluations = []
        for p in s.proposals:
            found = self.timed(f"proposal {p.id}", functools.partial(evaluate_proposal, s, p, time_limit=self.left()), None)
            if found is not None:
                evaluations.append(found)
        what_ifs, omitted = self.what_ifs(s, zone, deadlock, chosen)
        frontier, solutions, skipped = None, {}, ""
        if not zone.is_empty:
            here = self.what_if(s, (), "zone")
            frontier, solutions, skipped = here.frontier, here.solutions, here.skipped
        elif what_ifs:
            frontier, solutions, skipped = (
                what_ifs[0].frontier, what_ifs[0].solutions, what_ifs[0].skipped
            )
        else:
            skipped = "the zone is empty and no relaxation was found within the time limit."
        partial = Analysis(
            scenario=s, zone=zone, count=count, count_estimate=estimate, deadlock=deadlock,
            near_deals=deals, proposals=tuple(evaluations),
            relaxed=what_ifs[0].relaxation if what_ifs and zone.is_empty else (),
            frontier=frontier, solutions=solutions, timings=self.timings, skipped=skipped,
            evidence=evidence, what_ifs=tuple(what_ifs), what_if_omitted=omitted,
            incomplete=tuple(self.incomplete),
        )
        return dataclasses.replace(partial, bottom_line=bottom_line(partial), caveat=caveat(s))

    def evidence(
        self, s: Scenario, deadlock: DeadlockExplanation, *, open_zone: bool = False
    ) -> tuple[EvidenceLevel, ...]:
        from negotiate.analysis.deadlock import explain_deadlock
        from negotiate.analysis.relax import relax

        levels = []
        for stances in STANCE_LEVELS:
            if open_zone:
                # An outcome acceptable on all red lines stays acceptable when some are
                # dropped: every level has a deal, whatever time is left.
                levels.append(EvidenceLevel(stances, False, (), True))
                continue
            dropped = [r.id for p in s.parties for r in p.red_lines if r.stance not in stances]
            found: DeadlockExplanation | None
            if not dropped:
                found = deadlock
            else:
                sub = relax(s, dropped)
                found = self.timed(
                    f"evidence: {' + '.join(stances)}",
                    functools.partial(
                        explain_deadlock, sub, limit=LIST_LIMIT, time_limit=self.left()
                    ),
                    None,
                )
            if found is None:
                levels.append(EvidenceLevel(stances, None, (), False))
            else:
                levels.append(EvidenceLevel(
                    stances,
                    None if found.is_deadlocked is None else bool(found.is_deadlocked),
                    tuple(found.conflicts), bool(found.conflicts_complete),
                ))
        return tuple(levels)

    def what_ifs(
        self, s: Scenario, zone: AgreementZone, deadlock: DeadlockExplanation,
        chosen: tuple[str, ...] | None,
    ) -> tuple[list[WhatIf], int]:
        if chosen is not None:
            return [self.what_if(s, chosen, "user")], 0
        if not zone.is_empty or not deadlock.relaxations:
            return [], 0
        order = {cid: j for j, cid in enumerate(deadlock.labels)}
        ranked = sorted(deadlock.relaxations, key=lambda r: tie_key(s, r, order))
        shown = ranked[:WHAT_IF_LIMIT]
        return (
            [self.what_if(s, tuple(r.constraints), "minimum") for r in shown],
            len(ranked) - len(shown),
        )

    def what_if(self, s: Scenario, dropped: tuple[str, ...], chosen_by: str) -> WhatIf:
        from negotiate.analysis.bargaining import (
            egalitarian_solution,
            kalai_smorodinsky_solution,
            nash_bargaining_solution,
            utilitarian_solution,
        )
        from negotiate.analysis.pareto import pareto_frontier
        from negotiate.analysis.relax import relax

        target = relax(s, dropped) if dropped else s
        name = f"what-if without {' + '.join(dropped)}" if dropped else "Pareto frontier"
        solutions: dict[str, BargainingSolution] = {}
        try:
            frontier = self.timed(
                name, lambda: pareto_frontier(target, time_limit=self.left()), None
            )
            if frontier is None:
                return WhatIf(dropped, chosen_by, None, {}, "the time limit ran out first.")
            if frontier.is_empty:
                return WhatIf(
                    dropped, chosen_by, frontier, {},
                    "no outcome is acceptable to every party even without these.",
                )
            for key, fn in (
                ("nash", nash_bargaining_solution),
                ("kalai_smorodinsky", kalai_smorodinsky_solution),
                ("egalitarian", egalitarian_solution),
                ("utilitarian", utilitarian_solution),
            ):
                found = self.timed(
                    f"{key} solution" + (f" ({name})" if dropped else ""),
                    functools.partial(fn, target, frontier=frontier), None,
                )
                if found is not None:
                    solutions[key] = found
        except NegotiateError as exc:
            self.step(f"frontier skipped: {exc}")
            return WhatIf(dropped, chosen_by, None, {}, str(exc))
        return WhatIf(dropped, chosen_by, frontier, solutions)
