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

import math
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from negotiate.analysis.zone_count import IssueStep, PartStep, count_block, merge
from negotiate.analysis.zone_factor import ComponentEngine, linkage_components
from negotiate.errors import CountTooLargeError, NoAgreementError, SearchLimitError
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

#: Default solver time limit in seconds for emptiness and witnesses.
DEFAULT_TIME_LIMIT = 30.0
#: Default work budget of an exact count under reservations (about 1 s per 10^8).
DEFAULT_MAX_ENUMERATION = 100_000_000
#: The coupled block is listed outcome by outcome when it has at most this many
#: red-line-feasible outcomes (exact witness, iteration and sampling).
_MATERIALISE_LIMIT = 1_000_000
#: Largest number of rows of one component that is ever listed.
_ROWS_LIMIT = 5_000_000
#: Components with at most this many red-line-feasible rows enter a count under
#: reservations whole; larger ones issue by issue.
_PART_LIMIT = 4096
_SAMPLE_BATCH = 4096
_MIN_TRIES = 200_000


@dataclass(frozen=True)
class CountEstimate:
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
            return f"exactly {self.value:,} outcomes"
        return (
            f"about {self.value:,} outcomes ({self.confidence:.0%} interval "
            f"{self.low:,} to {self.high:,}; {self.hits:,} of {self.samples:,} samples met "
            "every reservation)"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields."""
        return {
            "value": self.value, "low": self.low, "high": self.high,
            "confidence": self.confidence, "samples": self.samples, "hits": self.hits,
            "exact": self.exact,
        }


class _Walk(Protocol):
    def options(self, i: int, x: Sequence[int]) -> IntArray: ...
    def descend(self, i: int, k: int) -> None: ...
    def ascend(self) -> None: ...


class _EngineWalk:
    """Options from a component's elimination tables (exact, issue order)."""

    def __init__(self, engine: ComponentEngine, exact: bool) -> None:
        self.engine, self.exact = engine, exact

    def options(self, i: int, x: Sequence[int]) -> IntArray:
        if self.exact:
            return self.engine.options(i, x)
        return self.engine.check_options(i, x)

    def descend(self, i: int, k: int) -> None:
        pass

    def ascend(self) -> None:
        pass


class _RowsWalk:
    """Options from sorted rows (exact): narrows a row range issue by issue."""

    def __init__(self, rows: IntArray, issues: Sequence[int]) -> None:
        self.rows = rows
        self.column = {i: j for j, i in enumerate(issues)}
        self.ranges = [(0, len(rows))]

    def _values(self, i: int) -> tuple[int, IntArray]:
        lo, hi = self.ranges[-1]
        return lo, self.rows[lo:hi, self.column[i]]

    def options(self, i: int, x: Sequence[int]) -> IntArray:
        _, values = self._values(i)
        if len(values) == 0:
            return values
        return values[np.r_[True, values[1:] != values[:-1]]]

    def descend(self, i: int, k: int) -> None:
        lo, values = self._values(i)
        a = int(np.searchsorted(values, k, side="left"))
        b = int(np.searchsorted(values, k, side="right"))
        self.ranges.append((lo + a, lo + b))

    def ascend(self) -> None:
        self.ranges.pop()


class _Engine:
    """The lazily computed state behind an `AgreementZone`."""

    def __init__(
        self,
        c: CompiledScenario,
        red_lines: Sequence[int],
        parties: Sequence[int],
        time_limit: float | None,
        max_enumeration: int,
    ) -> None:
        self.c = c
        self.time_limit = time_limit
        self.max_enumeration = max_enumeration
        self.red_lines = tuple(red_lines)
        self.constant_false = any(
            not c.red_lines[r].scope and not bool(c.red_line_holds(r, {})) for r in red_lines
        )
        active = [r for r in red_lines if c.red_lines[r].scope]
        self.components = linkage_components(c, active)
        self.owner = [0] * c.n_issues
        for j, component in enumerate(self.components):
            for i in component:
                self.owner[i] = j
        grouped: dict[int, list[int]] = {j: [] for j in range(len(self.components))}
        for r in active:
            grouped[self.owner[c.red_lines[r].scope[0]]].append(r)
        self.engines = [
            ComponentEngine(c, component, grouped[j]) for j, component in enumerate(self.components)
        ]
        self.opaque = tuple(j for j, e in enumerate(self.engines) if not e.tractable)
        self.parties = tuple(p for p in parties if c.binding[p])
        width = len(self.parties)
        self.tab = [
            np.array([c.tables[p][i] for p in self.parties], dtype=np.int64).reshape(
                width, c.sizes[i]
            )
            for i in range(c.n_issues)
        ]
        self.thresholds = np.array([c.thresholds[p] for p in self.parties], dtype=np.int64)
        relevant = {
            i for i in range(c.n_issues)
            if width and bool((self.tab[i].max(axis=1) != self.tab[i].min(axis=1)).any())
        }
        self.block = tuple(
            j for j, comp in enumerate(self.components) if any(i in relevant for i in comp)
        )
        self.block_issues = tuple(sorted(i for j in self.block for i in self.components[j]))
        constant = np.zeros(width, dtype=np.int64)
        for i in range(c.n_issues):
            if i not in self.block_issues:
                constant += self.tab[i][:, 0]
        self.need = self.thresholds - constant
        self.max_rest = np.zeros((c.n_issues + 1, width), dtype=np.int64)
        for i in range(c.n_issues - 1, -1, -1):
            self.max_rest[i] = self.max_rest[i + 1] + self.tab[i].max(axis=1)
        self._materialised: IntArray | None = None
        self._materialise_done = False
        self._emptiness: tuple[bool, tuple[int, ...] | None] | None = None
        self._count: int | None = None

    # -- cheap facts ---------------------------------------------------------------------------

    @property
    def red_line_empty(self) -> bool:
        return self.constant_false or any(e.count == 0 for e in self.engines if e.tractable)

    def quick_infeasible(self) -> bool:
        if self.red_line_empty:
            return True
        if self.parties:
            best = sum(
                (self.tab[i].max(axis=1) for i in self.block_issues),
                np.zeros(len(self.parties), dtype=np.int64),
            )
            if bool((best < self.need).any()):
                return True
        return False

    def utilities(self, rows: IntArray, issues: Sequence[int]) -> IntArray:
        """Integer utility vectors (rows x binding parties) of partial rows."""
        total = np.zeros((len(rows), len(self.parties)), dtype=np.int64)
        for j, i in enumerate(issues):
            total += self.tab[i][:, rows[:, j]].T
        return total

    def red_line_count(self) -> int:
        if self.constant_false:
            return 0
        if self.opaque:
            raise CountTooLargeError(self._opaque_message())
        return math.prod(e.count or 0 for e in self.engines)

    def _opaque_message(self) -> str:
        sizes = ", ".join(
            f"{len(self.components[j])} issues ({self.engines[j].product:.3g} outcomes)"
            for j in self.opaque
        )
        return (
            f"red lines link too many issues too densely to be counted exactly (linkage "
            f"component(s) of {sizes}); use zone.estimate_count(samples=..., seed=...) for an "
            "estimate with error bounds"
        )

    # -- the coupled block -----------------------------------------------------------------------

    def materialised(self) -> IntArray | None:
        """The block's acceptable rows (columns = block_issues), sorted, when small."""
        if self._materialise_done:
            return self._materialised
        self._materialise_done = True
        if not self.parties or any(j in self.opaque for j in self.block):
            return None
        size = math.prod(self.engines[j].count or 0 for j in self.block)
        if size > _MATERIALISE_LIMIT:
            return None
        if self.quick_infeasible():
            self._materialised = np.zeros((0, len(self.block_issues)), dtype=np.int64)
            return self._materialised
        pieces = []
        for j in self.block:
            rows = self.engines[j].rows(_MATERIALISE_LIMIT)
            assert rows is not None
            pieces.append((rows, self.utilities(rows, self.components[j])))
        rest = [np.zeros(len(self.parties), dtype=np.int64)]
        for _, u in reversed(pieces):
            rest.append(rest[-1] + u.max(axis=0))
        rest.reverse()
        rows = np.zeros((1, 0), dtype=np.int64)
        total = np.zeros((1, len(self.parties)), dtype=np.int64)
        for k, (piece, u) in enumerate(pieces):
            rows = np.concatenate(
                [np.repeat(rows, len(piece), axis=0), np.tile(piece, (len(rows), 1))], axis=1
            )
            total = (total[:, None, :] + u[None, :, :]).reshape(-1, len(self.parties))
            keep = (total + rest[k + 1] >= self.need).all(axis=1)
            rows, total = rows[keep], total[keep]
        issues = [i for j in self.block for i in self.components[j]]
        rows = rows[:, np.argsort(issues)]
        if len(rows):
            rows = rows[np.lexsort(rows.T[::-1])]
        self._materialised = rows
        return rows

    def _solve(self, hard: set[int], reservations: bool) -> tuple[int, ...] | None:
        from negotiate.solver import Model  # imported lazily: OR-Tools takes ~1 s to load

        model = Model(self.c)
        for j in sorted(hard):
            for r in self.engines[j].red_lines:
                model.add_red_line(r)
        if reservations:
            for p in self.parties:
                model.add_reservation(p)
        result = model.solve(time_limit=self.time_limit)
        if result.status == "infeasible":
            return None
        if result.indices is None:
            issues = sum(len(self.components[j]) for j in hard)
            raise SearchLimitError(
                f"the solver could not decide within time_limit={self.time_limit} s whether "
                f"any outcome meets every constraint ({issues} coupled issues); pass a larger "
                "time_limit (or time_limit=None for no limit) to agreement_zone / "
                "acceptable_outcomes"
            )
        return result.indices

    def emptiness(self) -> tuple[bool, tuple[int, ...] | None]:
        if self._emptiness is None:
            self._emptiness = self._compute_emptiness()
        return self._emptiness

    def _compute_emptiness(self) -> tuple[bool, tuple[int, ...] | None]:
        if self.quick_infeasible():
            return True, None
        if self._count is not None and self._count == 0:
            return True, None
        materialised = self.materialised() if self.parties else None
        if materialised is not None and len(materialised) == 0:
            return True, None
        hard = set(self.opaque)
        reservations = bool(self.parties) and materialised is None
        if reservations:
            hard |= set(self.block)
        x = [0] * self.c.n_issues
        if hard:
            solved = self._solve(hard, reservations)
            if solved is None:
                return True, None
            for j in hard:
                for i in self.components[j]:
                    x[i] = solved[i]
        for j, engine in enumerate(self.engines):
            if j in hard or (materialised is not None and j in self.block):
                continue
            first = self._lex_first(engine)
            for i, k in zip(engine.issues, first, strict=True):
                x[i] = k
        if materialised is not None:
            for i, k in zip(self.block_issues, materialised[0], strict=True):
                x[i] = int(k)
        return False, tuple(x)

    def _lex_first(self, engine: ComponentEngine) -> tuple[int, ...]:
        if not engine.in_issue_order and engine.count is not None and engine.count <= _ROWS_LIMIT:
            rows = engine.rows(_ROWS_LIMIT)
            assert rows is not None
            return tuple(int(k) for k in rows[0])
        first = engine.first()
        assert first is not None
        return first

    # -- counting -------------------------------------------------------------------------------

    def count(self) -> int:
        if self._count is None:
            self._count = self._compute_count()
        return self._count

    def _empty_or_raise(self, message: str) -> int:
        try:
            empty, _ = self.emptiness()
        except SearchLimitError:
            empty = False
        if empty:
            return 0
        raise CountTooLargeError(message)

    def _compute_count(self) -> int:
        if self.quick_infeasible():
            return 0
        if self.opaque:
            return self._empty_or_raise(self._opaque_message())
        free = math.prod(
            self.engines[j].count or 0 for j in range(len(self.engines)) if j not in self.block
        )
        if not self.parties:
            return free
        materialised = self.materialised()
        if materialised is not None:
            return free * len(materialised)
        steps: list[PartStep | IssueStep] = []
        for j in self.block:
            engine = self.engines[j]
            assert engine.count is not None
            if engine.count <= _PART_LIMIT or not engine.eliminated:
                rows = engine.rows(_ROWS_LIMIT)
                if rows is None:  # pragma: no cover - listed components are small
                    return self._empty_or_raise(self._too_large_message())
                u = self.utilities(rows, self.components[j])
                vectors, counts = merge(u, np.ones(len(u), dtype=np.int64))
                steps.append(PartStep(vectors, counts))
                continue
            assert engine.order is not None
            for v in engine.order:
                context, allowed = engine.allowed(v)
                steps.append(IssueStep(v, context, allowed, self.tab[v].T.copy()))
        total = math.prod(self.engines[j].count or 0 for j in self.block)
        counted = count_block(steps, self.need, total=total, budget=self.max_enumeration)
        if counted is None:
            return self._empty_or_raise(self._too_large_message())
        return free * counted

    def _too_large_message(self) -> str:
        size = math.prod(self.engines[j].count or 0 for j in self.block)
        names = ", ".join(self.c.party_ids[p] for p in self.parties)
        return (
            f"counting the outcomes that meet the reservations of {names} exactly needs more "
            f"than max_enumeration={self.max_enumeration:,} steps ({len(self.block_issues)} "
            f"coupled issues, {size:.3g} red-line-feasible combinations); use "
            "zone.estimate_count(samples=..., seed=...) for an estimate with error bounds, "
            "or pass a larger max_enumeration"
        )

    # -- sampling ---------------------------------------------------------------------------------

    def _draw(
        self, rng: np.random.Generator, n: int, comps: Sequence[int], reservations: bool
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Draw n partial outcomes over ``comps`` (uniform over their red-line-feasible
        rows, or over the product for opaque ones) and say which are acceptable."""
        out = np.zeros((n, self.c.n_issues), dtype=np.int64)
        ok = np.ones(n, dtype=bool)
        for j in comps:
            engine = self.engines[j]
            if engine.tractable:
                rows = engine.sample(rng, n)
            else:
                rows = engine.sample_product(rng, n)
                ok &= engine.holds(rows)
            out[:, list(engine.issues)] = rows
        if reservations:
            issues = list(self.block_issues)
            u = self.utilities(out[:, issues], issues)
            ok &= (u >= self.need).all(axis=1)
        return out, ok

    def sample(self, n: int, seed: int | None) -> IntArray:
        rng = np.random.default_rng(seed)
        out = np.zeros((n, self.c.n_issues), dtype=np.int64)
        materialised = self.materialised() if self.parties else None
        rejection = list(self.opaque)
        reservations = bool(self.parties) and materialised is None
        if reservations:
            rejection = sorted(set(rejection) | set(self.block))
        for j, engine in enumerate(self.engines):
            if j in rejection or (materialised is not None and j in self.block):
                continue
            out[:, list(engine.issues)] = engine.sample(rng, n)
        if materialised is not None:
            picks = materialised[rng.integers(0, len(materialised), size=n)]
            out[:, list(self.block_issues)] = picks
        if rejection:
            columns = [i for j in rejection for i in self.components[j]]
            got, tries = 0, 0
            limit = max(_MIN_TRIES, 1000 * n)
            while got < n:
                if tries >= limit:
                    raise SearchLimitError(
                        f"uniform sampling by rejection found {got} of {n} outcomes in "
                        f"{tries:,} tries: the zone is too thin a part of the red-line-feasible "
                        "outcomes to sample this way; ask for fewer samples, or iterate the "
                        "zone instead"
                    )
                draws, ok = self._draw(rng, _SAMPLE_BATCH, rejection, reservations)
                tries += _SAMPLE_BATCH
                accepted = draws[ok][: n - got]
                out[got:got + len(accepted), columns] = accepted[:, columns]
                got += len(accepted)
        return out

    def estimate(self, samples: int, seed: int | None, confidence: float) -> CountEstimate:
        if self._count is not None or self.quick_infeasible():
            value = self.count()
            return CountEstimate(value, value, value, confidence, 0, 0, True)
        hard = sorted(set(self.opaque) | (set(self.block) if self.parties else set()))
        if not hard:
            value = self.count()
            return CountEstimate(value, value, value, confidence, 0, 0, True)
        base = math.prod(
            e.count if e.tractable and e.count is not None else e.product for e in self.engines
        )
        rng = np.random.default_rng(seed)
        hits = 0
        for start in range(0, samples, _SAMPLE_BATCH):
            size = min(_SAMPLE_BATCH, samples - start)
            _, ok = self._draw(rng, size, hard, bool(self.parties))
            hits += int(ok.sum())
        z = statistics.NormalDist().inv_cdf((1 + confidence) / 2)
        phat = hits / samples
        denominator = 1 + z * z / samples
        centre = (phat + z * z / (2 * samples)) / denominator
        half = z * math.sqrt(phat * (1 - phat) / samples + z * z / (4 * samples**2)) / denominator
        low, high = max(0.0, centre - half), min(1.0, centre + half)
        return CountEstimate(
            value=base * hits // samples,
            low=math.floor(base * low),
            high=math.ceil(base * high),
            confidence=confidence,
            samples=samples,
            hits=hits,
            exact=False,
        )

    # -- iteration --------------------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[int, ...]]:
        """Acceptable outcomes (option indices) in lexicographic issue order."""
        if self.quick_infeasible():
            return
        n = self.c.n_issues
        materialised = self.materialised() if self.parties else None
        walks: list[_Walk | None] = [None] * n
        for j, engine in enumerate(self.engines):
            if materialised is not None and j in self.block:
                continue
            walk: _Walk
            if engine.in_issue_order:
                walk = _EngineWalk(engine, exact=True)
            elif engine.tractable and engine.count is not None and engine.count <= _ROWS_LIMIT:
                rows = engine.rows(_ROWS_LIMIT)
                assert rows is not None
                walk = _RowsWalk(rows, engine.issues)
            else:
                walk = _EngineWalk(engine, exact=False)
            for i in engine.issues:
                walks[i] = walk
        if materialised is not None:
            shared = _RowsWalk(materialised, self.block_issues)
            for i in self.block_issues:
                walks[i] = shared
        assigned = [w for w in walks if w is not None]
        assert len(assigned) == n  # every issue belongs to one component
        yield from self._depth_first(assigned, prune=bool(self.parties) and materialised is None)

    def _depth_first(self, walks: list[_Walk], prune: bool) -> Iterator[tuple[int, ...]]:
        n = self.c.n_issues
        x = [0] * n
        partial = np.zeros((n + 1, len(self.parties)), dtype=np.int64)

        def options(d: int) -> list[int]:
            found = walks[d].options(d, x)
            if prune and len(found):
                reach = partial[d][:, None] + self.tab[d][:, found] + self.max_rest[d + 1][:, None]
                found = found[(reach >= self.thresholds[:, None]).all(axis=0)]
            return [int(k) for k in found]

        stack = [options(0)]
        position = [0]
        while stack:
            d = len(stack) - 1
            if position[d] >= len(stack[d]):
                stack.pop()
                position.pop()
                if position:
                    walks[d - 1].ascend()
                    position[-1] += 1
                continue
            k = stack[d][position[d]]
            x[d] = k
            walks[d].descend(d, k)
            if prune:
                partial[d + 1] = partial[d] + self.tab[d][:, k]
            if d == n - 1:
                yield tuple(x)
                walks[d].ascend()
                position[d] += 1
                continue
            stack.append(options(d + 1))
            position.append(0)


@dataclass(frozen=True, eq=False)
class AgreementZone:
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

    scenario: Scenario
    party: str | None = None
    time_limit: float | None = DEFAULT_TIME_LIMIT
    max_enumeration: int = DEFAULT_MAX_ENUMERATION
    _engine: _Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        c = compile_scenario(self.scenario)
        if self.party is None:
            red_lines = list(range(len(c.red_lines)))
            parties = list(range(c.n_parties))
        else:
            p = c.party_index[self.party]
            red_lines = [r for r, red_line in enumerate(c.red_lines) if red_line.party == p]
            parties = [p]
        engine = _Engine(c, red_lines, parties, self.time_limit, self.max_enumeration)
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

    def component_rows(self, j: int, *, limit: int = _ROWS_LIMIT) -> IntArray | None:
        """The red-line-feasible assignments of component ``j``.

        Returns an int64 array with one row per assignment (columns follow
        ``components[j]``) in lexicographic order, or None when there are
        more than ``limit`` or the component is too densely linked to list.
        Reservations are not applied.
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

        Deterministic: the first outcome of the iteration order whenever the
        red lines are tractable and the coupled block is small enough to be
        listed (or no reservation binds); otherwise the outcome found by the
        solver (one worker, fixed seed) on the coupled issues, with the
        lexicographically first choice on the other issues.

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
        """
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise ValueError(f"samples={samples!r} must be a positive integer")
        if not 0 < confidence < 1:
            raise ValueError(f"confidence={confidence!r} must lie strictly between 0 and 1")
        return self._engine.estimate(samples, seed, confidence)

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
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"n={n!r} must be a non-negative integer")
        if self.is_empty:
            raise NoAgreementError(f"{self._subject()} is empty: there is nothing to sample")
        if n == 0:
            return ()
        rows = self._engine.sample(n, seed)
        c = self._engine.c
        return tuple(c.outcome(row) for row in rows.tolist())

    def __iter__(self) -> Iterator[Outcome]:
        c = self._engine.c
        for indices in self._engine.walk():
            yield c.outcome(indices)

    def __contains__(self, outcome: object) -> bool:
        if not isinstance(outcome, Mapping):
            return False
        engine = self._engine
        c = engine.c
        x = c.indices(outcome)
        columns = dict(enumerate(x))
        if not all(bool(c.red_line_holds(r, columns)) for r in engine.red_lines):
            return False
        return all(c.int_utility(p, x) >= c.thresholds[p] for p in engine.parties)

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
            f"{self.scenario.outcome_count:,} outcomes in all)"
        )
        if self.is_empty:
            return f"{head}: empty"
        count = self._count_or_none()
        size = f"{count:,} outcomes" if count is not None else "too many outcomes to count exactly"
        return f"{head}: {size}, for example {self.witness}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: ``scenario``, ``party``, ``is_empty``, ``witness``
        (issue -> option, or None) and ``count`` (None when out of exact reach)."""
        witness = self.witness
        return {
            "scenario": self.scenario.id,
            "party": self.party,
            "is_empty": self.is_empty,
            "witness": None if witness is None else witness.to_dict(),
            "count": self._count_or_none(),
        }


def _check_options(time_limit: float | None, max_enumeration: int) -> None:
    if time_limit is not None and (
        isinstance(time_limit, bool) or not isinstance(time_limit, int | float) or time_limit <= 0
    ):
        raise ValueError(f"time_limit={time_limit!r} must be a positive number of seconds or None")
    if isinstance(max_enumeration, bool) or not isinstance(max_enumeration, int) or (
        max_enumeration < 0
    ):
        raise ValueError(f"max_enumeration={max_enumeration!r} must be a non-negative integer")


def agreement_zone(
    s: Scenario,
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    max_enumeration: int = DEFAULT_MAX_ENUMERATION,
) -> AgreementZone:
    """The agreement zone: the outcomes every party can accept.

    An outcome is in the *agreement zone* (zone of possible agreement,
    ZOPA) when, for every party, all its red lines hold and its utility is
    at least its reservation. The result is lazy: see `AgreementZone`.

    Parameters
    ----------
    s : Scenario
    time_limit : float or None, optional
        Seconds the solver may spend deciding emptiness or finding a witness
        when reservations couple many issues (default 30; None for no limit).
    max_enumeration : int, optional
        Work budget of an exact count under binding reservations (default
        10^8, about a second); beyond it ``count`` raises
        `CountTooLargeError` and ``estimate_count`` gives an estimate.

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
    block is listed when small, solved with CP-SAT for emptiness and
    witnesses, and counted meet-in-the-middle up to ``max_enumeration``.

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
    _check_options(time_limit, max_enumeration)
    return AgreementZone(s, None, time_limit, max_enumeration)


def acceptable_outcomes(
    s: Scenario,
    party: str,
    *,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
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
    _check_options(time_limit, max_enumeration)
    s.party(party)  # raises ScenarioError with a suggestion when unknown
    return AgreementZone(s, party, time_limit, max_enumeration)
