"""The lazily computed state behind an agreement zone (a private helper of `zone`).

:class:`ZoneEngine` holds the linkage components of the red lines considered,
their exact engines (:mod:`negotiate.analysis.zone_factor`), the *coupled
block* of components that binding reservations tie together, and caches
every answer: emptiness and witness, exact count
(:mod:`negotiate.analysis.zone_count`), uniform samples, estimates and the
lexicographic depth-first walk behind iteration.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate._tuning import ZONE_EMPTINESS_MATERIALISE_LIMIT as _EMPTINESS_MATERIALISE_LIMIT
from negotiate._tuning import ZONE_MATERIALISE_LIMIT as _MATERIALISE_LIMIT
from negotiate._tuning import ZONE_MIN_TRIES as _MIN_TRIES
from negotiate._tuning import ZONE_PART_LIMIT as _PART_LIMIT
from negotiate._tuning import ZONE_ROWS_LIMIT as ROWS_LIMIT
from negotiate._tuning import ZONE_SAMPLE_BATCH as _SAMPLE_BATCH
from negotiate._tuning import ZONE_TRIES_PER_SAMPLE as _TRIES_PER_SAMPLE
from negotiate._tuning import ZONE_WALK_CHECK_EVERY as WALK_CHECK_EVERY
from negotiate.analysis.zone_count import IssueStep, PartStep, count_block, merge
from negotiate.analysis.zone_factor import ComponentEngine, linkage_components
from negotiate.errors import CountTooLargeError, SearchLimitError
from negotiate.space import CompiledScenario

__all__ = ["DEFAULT_MAX_ENUMERATION", "DEFAULT_TIME_LIMIT", "ROWS_LIMIT", "ZoneEngine"]

IntArray = npt.NDArray[np.int64]

#: Default solver time limit in seconds for emptiness and witnesses.
DEFAULT_TIME_LIMIT = 30.0
#: Default work budget of an exact count under reservations: partial outcomes
#: examined (about 0.1-0.3 s per million on one core).
DEFAULT_MAX_ENUMERATION = 10_000_000



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


class ZoneEngine:
    """The lazily computed state behind an `AgreementZone` (see the module docstring)."""

    def __init__(
        self,
        c: CompiledScenario,
        red_lines: Sequence[int],
        parties: Sequence[int],
        time_limit: float | Deadline | None,
        max_enumeration: int,
    ) -> None:
        self.c = c
        self.time_limit = time_limit
        self.max_enumeration = max_enumeration
        self.red_lines = tuple(red_lines)
        self.constant_false = any(
            not c.rules[r].scope and not bool(c.red_line_holds(r, {})) for r in red_lines
        )
        active = [r for r in red_lines if c.rules[r].scope]
        self.components = linkage_components(c, active)
        self.owner = [0] * c.n_issues
        for j, component in enumerate(self.components):
            for i in component:
                self.owner[i] = j
        grouped: dict[int, list[int]] = {j: [] for j in range(len(self.components))}
        for r in active:
            grouped[self.owner[c.rules[r].scope[0]]].append(r)
        self.engines = [
            ComponentEngine(c, component, grouped[j]) for j, component in enumerate(self.components)
        ]
        self.opaque = tuple(j for j, e in enumerate(self.engines) if not e.tractable)
        self.parties = tuple(p for p in parties if c.binding[p])
        width = len(self.parties)
        self.tab = [
            np.array([c.tables[p][i] for p in self.parties], dtype=c.int_dtype).reshape(
                width, c.sizes[i]
            )
            for i in range(c.n_issues)
        ]
        self.thresholds = np.array([c.thresholds[p] for p in self.parties], dtype=c.int_dtype)
        relevant = {
            i for i in range(c.n_issues)
            if width and bool((self.tab[i].max(axis=1) != self.tab[i].min(axis=1)).any())
        }
        self.block = tuple(
            j for j, comp in enumerate(self.components) if any(i in relevant for i in comp)
        )
        self.block_issues = tuple(sorted(i for j in self.block for i in self.components[j]))
        constant = np.zeros(width, dtype=c.int_dtype)
        for i in range(c.n_issues):
            if i not in self.block_issues:
                constant += self.tab[i][:, 0]
        self.need = self.thresholds - constant
        self.max_rest = np.zeros((c.n_issues + 1, width), dtype=c.int_dtype)
        for i in range(c.n_issues - 1, -1, -1):
            self.max_rest[i] = self.max_rest[i + 1] + self.tab[i].max(axis=1)
        self._materialised: IntArray | None = None
        self._materialise_done = False
        self._emptiness: tuple[bool, tuple[int, ...] | None] | None = None
        self._count: int | None = None
        self._quick: bool | None = None

    # -- cheap facts ---------------------------------------------------------------------------

    @property
    def red_line_empty(self) -> bool:
        return self.constant_false or any(e.count == 0 for e in self.engines if e.tractable)

    def quick_infeasible(self) -> bool:
        """Empty for a reason that needs no search (cached)."""
        if self._quick is None:
            self._quick = self._quick_infeasible()
        return self._quick

    def _quick_infeasible(self) -> bool:
        if self.red_line_empty:
            return True
        if self.parties:
            best = sum(
                (self.tab[i].max(axis=1) for i in self.block_issues),
                np.zeros(len(self.parties), dtype=self.c.int_dtype),
            )
            if bool((best < self.need).any()):
                return True
        return False

    def utilities(self, rows: IntArray, issues: Sequence[int]) -> IntArray:
        """Integer utility vectors (rows x binding parties) of partial rows."""
        total = np.zeros((len(rows), len(self.parties)), dtype=self.c.int_dtype)
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

    def _block_product(self) -> float:
        """Product of the red-line counts of the block's components (inf if unknown or
        too large for a float: only ever compared with a limit)."""
        if any(j in self.opaque for j in self.block):
            return math.inf
        product = math.prod(self.engines[j].count or 0 for j in self.block)
        return float(product) if product < 2**1000 else math.inf

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
        rest = [np.zeros(len(self.parties), dtype=self.c.int_dtype)]
        for _, u in reversed(pieces):
            rest.append(rest[-1] + u.max(axis=0))
        rest.reverse()
        rows = np.zeros((1, 0), dtype=np.int64)
        total = np.zeros((1, len(self.parties)), dtype=self.c.int_dtype)
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

    def deadline(self) -> Deadline:
        """The deadline of one question asked of the zone: the Deadline the zone was made
        with (when an enclosing analysis passed its own down), else ``time_limit`` from now."""
        return Deadline.coerce(self.time_limit)

    def _solve(self, hard: set[int], reservations: bool) -> tuple[int, ...] | None:
        from negotiate.solver import Model  # imported lazily: OR-Tools takes ~1 s to load

        model = Model(self.c)
        for j in sorted(hard):
            for r in self.engines[j].red_lines:
                model.add_red_line(r)
        if reservations:
            for p in self.parties:
                model.add_reservation(p)
        result = model.solve(self.deadline())
        if result.status == "infeasible":
            return None
        if result.indices is None:
            issues = sum(len(self.components[j]) for j in hard)
            self.deadline().check("the agreement zone")
            raise SearchLimitError(
                f"the solver could not decide within time_limit={self.deadline().time_limit} s whether "
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
        materialised = None
        # The path depends only on the scenario, never on what was asked before, so the
        # witness is the same whatever the call order.
        if self.parties and self._block_product() <= _EMPTINESS_MATERIALISE_LIMIT:
            materialised = self.materialised()
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
        if not engine.in_issue_order and engine.count is not None and engine.count <= ROWS_LIMIT:
            rows = engine.rows(ROWS_LIMIT)
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
                rows = engine.rows(ROWS_LIMIT)
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
        counted = count_block(
            steps, self.need, total=total, budget=self.max_enumeration, deadline=self.deadline()
        )
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
            limit = max(_MIN_TRIES, _TRIES_PER_SAMPLE * n)
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

    def estimate(
        self, samples: int, seed: int | None, confidence: float
    ) -> tuple[int, int, int, int, int, bool]:
        """(value, low, high, samples, hits, exact) of a count estimate."""
        if self._count is not None or self.quick_infeasible():
            value = self.count()
            return value, value, value, 0, 0, True
        hard = sorted(set(self.opaque) | (set(self.block) if self.parties else set()))
        if not hard:
            value = self.count()
            return value, value, value, 0, 0, True
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
        return base * hits // samples, math.floor(base * low), math.ceil(base * high), samples, hits, False

    def accepts(self, outcome: Mapping[str, str]) -> bool:
        """Whether ``outcome`` meets the red lines and reservations considered."""
        c = self.c
        x = c.indices(outcome)
        columns = dict(enumerate(x))
        if not all(bool(c.red_line_holds(r, columns)) for r in self.red_lines):
            return False
        return all(c.int_utility(p, x) >= c.thresholds[p] for p in self.parties)

    # -- iteration --------------------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[int, ...]]:
        """Acceptable outcomes (option indices) in lexicographic issue order."""
        if self.quick_infeasible():
            return
        if self.parties and self.emptiness()[0]:
            return  # one solve rather than a walk through every partial outcome
        n = self.c.n_issues
        materialised = self.materialised() if self.parties else None
        walks: list[_Walk | None] = [None] * n
        for j, engine in enumerate(self.engines):
            if materialised is not None and j in self.block:
                continue
            walk: _Walk
            if engine.in_issue_order:
                walk = _EngineWalk(engine, exact=True)
            elif engine.tractable and engine.count is not None and engine.count <= ROWS_LIMIT:
                rows = engine.rows(ROWS_LIMIT)
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
        partial = np.zeros((n + 1, len(self.parties)), dtype=self.c.int_dtype)

        def options(d: int) -> list[int]:
            found = walks[d].options(d, x)
            if prune and len(found):
                reach = partial[d][:, None] + self.tab[d][:, found] + self.max_rest[d + 1][:, None]
                found = found[(reach >= self.thresholds[:, None]).all(axis=0)]
            return [int(k) for k in found]

        # Tight reservations can make the walk between two outcomes long: it is bounded
        # by the deadline of one question (restarted after each outcome yielded).
        deadline = self.deadline()
        steps = 0
        stack = [options(0)]
        position = [0]
        while stack:
            steps += 1
            if steps % WALK_CHECK_EVERY == 0:
                deadline.check("walking the agreement zone to its next outcome")
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
                deadline = self.deadline()
                walks[d].ascend()
                position[d] += 1
                continue
            stack.append(options(d + 1))
            position.append(0)
