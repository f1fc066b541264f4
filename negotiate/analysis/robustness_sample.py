"""Monte Carlo robustness: drawing scenarios and analysing a chunk of them
(a private helper of `robustness`).

A *plan* (plain JSON text, so any executor can ship it) holds the scenario,
each red line's confidence, the spread, and for each proposal which red lines
it crosses or puts at risk. :func:`run_chunk` is the task an executor runs:
it rebuilds (once per process) the compiled scenario and draws samples
``first .. stop - 1``; sample ``k`` always uses the random stream
``SeedSequence(seed, spawn_key=(k,))`` (the k-th child of ``SeedSequence(seed)``),
so a sample's draw does not depend on which worker runs it or in what order.

A sample never recompiles rules: it switches red lines on and off (a subset
handed to the zone engine) and, when numbers are uncertain, replaces the
integer utility tables, thresholds and scales of the compiled scenario
(``dataclasses.replace``). Drawn numbers are continuous, so their utilities
are kept on an integer grid of ``1 / UTILITY_GRID``; ties at that resolution
have probability zero.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from negotiate._deadline import Deadline
from negotiate.analysis.zone_engine import DEFAULT_MAX_ENUMERATION, ZoneEngine
from negotiate.analysis.zone_factor import ComponentEngine, linkage_components
from negotiate.model import ACCEPTANCE_TOLERANCE, Scenario
from negotiate.space import CompiledScenario, compile_scenario

__all__ = ["UTILITY_GRID", "ChunkCounts", "Sampler", "run_chunk", "sample_stream"]

#: Drawn utilities are compared on a grid of 1e-9 (the acceptance tolerance).
UTILITY_GRID = 10**9
#: Most entries kept in a process's cache of red-line-subset verdicts.
_CACHE_LIMIT = 200_000

ChunkCounts = dict[str, Any]
Witness = tuple[int, ...] | None


def sample_stream(seed: int, k: int) -> np.random.Generator:
    """The random stream of sample ``k`` for ``seed`` (independent of the executor).

    Examples
    --------
    >>> from negotiate.analysis.robustness_sample import sample_stream
    >>> import numpy as np
    >>> a = sample_stream(0, 3).random()
    >>> b = np.random.default_rng(np.random.SeedSequence(0).spawn(4)[3]).random()
    >>> a == b
    True
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))


class Sampler:
    """Everything a worker needs to draw and analyse samples of one plan."""

    def __init__(self, plan: str) -> None:
        from negotiate.io import validate

        data = json.loads(plan)
        self.s: Scenario = validate(data["scenario"])
        self.c: CompiledScenario = compile_scenario(self.s)
        self.q = np.asarray(data["confidence"], dtype=np.float64)
        self.spread: float | None = data["spread"]
        self.solve_limit: float | None = data["solve_limit"]
        self.proposals: list[dict[str, Any]] = data["proposals"]
        self._numbers()
        self._gather()
        # Rules (red lines and coherence constraints, indices into ``c.rules``) factorise
        # over the linkage components of *all* rules: whether a subset of red lines admits
        # an outcome is decided component by component, each cached by the rules inside
        # it (far fewer keys than whole subsets). Coherence constraints always apply.
        c = self.c
        self.hard = tuple(c.hard)
        self.components = linkage_components(
            c, [r for r, rule in enumerate(c.rules) if rule.scope])
        where = {i: j for j, issues in enumerate(self.components) for i in issues}
        self.component_of = [where[x.scope[0]] if x.scope else -1 for x in c.rules]
        self._component_cache: dict[tuple[int, tuple[int, ...]], tuple[int, ...] | None] = {}
        self._red_cache: dict[tuple[int, ...], tuple[bool, Witness]] = {}
        self._full_cache: dict[tuple[int, ...], tuple[bool, Witness]] = {}

    # -- uncertain numbers -------------------------------------------------------------------

    def _numbers(self) -> None:
        """Lay out every number of every party as (low, high) bounds of a uniform draw."""
        low: list[float] = []
        high: list[float] = []
        clip: list[bool] = []
        self.layout: list[list[tuple[int, int, int]] | None] = []  # per party
        self.reservation_at: list[int] = []
        self.uncertain_party: list[bool] = []
        x = self.spread
        for party in self.s.parties:
            rows: list[tuple[int, int, int]] = []  # (issue, first number, option count)
            uncertain = x is not None
            for i, issue in enumerate(self.s.issues):
                pref = party.preferences.get(issue.id)
                if pref is None:
                    continue
                first = len(low)
                span = pref.importance_range
                w = pref.importance
                if span is not None:
                    uncertain = True
                    low.append(span[0])
                    high.append(span[1])
                else:
                    low.append(w * (1 - x) if x is not None else w)
                    high.append(w * (1 + x) if x is not None else w)
                clip.append(False)
                for option, v in zip(issue.option_ids, pref.value_table(issue), strict=True):
                    vspan = (pref.values_range or {}).get(option)
                    if vspan is not None:
                        uncertain = True
                        low.append(vspan[0])
                        high.append(vspan[1])
                    else:
                        low.append(v * (1 - x) if x is not None else v)
                        high.append(v * (1 + x) if x is not None else v)
                    clip.append(True)
                rows.append((i, first, len(issue.options)))
            self.reservation_at.append(len(low))
            rspan = party.reservation_range
            if rspan is not None:
                uncertain = True
                low.append(rspan[0])
                high.append(rspan[1])
            else:
                low.append(party.reservation)
                high.append(party.reservation)
            clip.append(True)
            self.layout.append(rows)
            self.uncertain_party.append(uncertain)
        self.low = np.asarray(low, dtype=np.float64)
        self.width = np.asarray(high, dtype=np.float64) - self.low
        self.clip = np.asarray(clip, dtype=bool)
        self.numeric = any(self.uncertain_party)

    def _gather(self) -> None:
        """Index arrays that turn the drawn numbers into each party's table at once."""
        c = self.c
        offsets = np.cumsum([0, *c.sizes])
        self.gather: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                npt.NDArray[np.int64]] | None] = []
        for rows in self.layout:
            if not rows:
                self.gather.append(None)
                continue
            weight_at = np.array([first for _, first, _ in rows], dtype=np.int64)
            value_at = np.full(int(offsets[-1]), -1, dtype=np.int64)
            weight_of = np.zeros(int(offsets[-1]), dtype=np.int64)
            for w, (i, first, n) in enumerate(rows):
                value_at[offsets[i]:offsets[i] + n] = np.arange(first + 1, first + 1 + n)
                weight_of[offsets[i]:offsets[i] + n] = w
            self.gather.append((weight_at, value_at, weight_of))
        self.offsets = offsets

    def variant(self, u: npt.NDArray[np.float64]) -> CompiledScenario:
        """The compiled scenario with the numbers drawn from uniforms ``u``."""
        c = self.c
        numbers = self.low + u * self.width
        numbers = np.where(self.clip, np.clip(numbers, 0.0, 1.0), numbers)
        tables = list(c.tables)
        thresholds = list(c.thresholds)
        scales = list(c.scales)
        binding = list(c.binding)
        bounds = self.offsets
        for p, gather in enumerate(self.gather):
            if not self.uncertain_party[p]:
                continue
            reservation = float(numbers[self.reservation_at[p]])
            total = float(numbers[gather[0]].sum()) if gather is not None else 0.0
            if gather is not None and total > 0:
                weight_at, value_at, weight_of = gather
                flat = np.where(
                    value_at >= 0,
                    numbers[weight_at][weight_of] / total * numbers[np.maximum(value_at, 0)],
                    0.0,
                )
                ints = np.rint(flat * UTILITY_GRID).astype(np.int64).tolist()
                table = tuple(tuple(ints[bounds[i]:bounds[i + 1]]) for i in range(c.n_issues))
                threshold = math.ceil((reservation - ACCEPTANCE_TOLERANCE) * UTILITY_GRID)
                scales[p] = Fraction(UTILITY_GRID)
            else:
                table = tuple((0,) * k for k in c.sizes)
                threshold = 0 if reservation <= ACCEPTANCE_TOLERANCE else 1
                scales[p] = Fraction(1)
            low_sum = sum(min(row) for row in table)
            high_sum = sum(max(row) for row in table)
            thresholds[p] = min(max(threshold, low_sum), high_sum + 1)
            tables[p] = table
            binding[p] = thresholds[p] > low_sum
        return dataclasses.replace(
            c, tables=tuple(tables), thresholds=tuple(thresholds), scales=tuple(scales),
            binding=tuple(binding),
        )

    # -- verdicts --------------------------------------------------------------------------------

    def _engine(self, c: CompiledScenario, present: Sequence[int],
                parties: Sequence[int]) -> tuple[bool, Witness]:
        engine = ZoneEngine(c, (*present, *self.hard), parties, self.solve_limit,
                            DEFAULT_MAX_ENUMERATION)
        return engine.emptiness()

    def _remember(self, cache: dict[tuple[int, ...], tuple[bool, Witness]],
                  key: tuple[int, ...], value: tuple[bool, Witness]) -> tuple[bool, Witness]:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = value
        return value

    def _red_lines_only(self, present: tuple[int, ...]) -> tuple[bool, Witness]:
        """Whether the red lines ``present`` admit no outcome together; a witness if they do."""
        c = self.c
        grouped: dict[int, list[int]] = {}
        for r in (*present, *self.hard):
            j = self.component_of[r]
            if j < 0:
                if not bool(c.red_line_holds(r, {})):
                    return True, None
                continue
            grouped.setdefault(j, []).append(r)
        witness = [0] * c.n_issues
        for j, lines in grouped.items():
            key = (j, tuple(lines))
            if key in self._component_cache:
                local = self._component_cache[key]
            else:
                engine = ComponentEngine(c, self.components[j], lines)
                if not engine.tractable:
                    return self._engine(c, present, ())
                local = engine.first()
                if len(self._component_cache) >= _CACHE_LIMIT:
                    self._component_cache.clear()
                self._component_cache[key] = local
            if local is None:
                return True, None
            for i, k in zip(self.components[j], local, strict=True):
                witness[i] = k
        return False, tuple(witness)

    def empty(self, c: CompiledScenario, present: tuple[int, ...]) -> tuple[bool, Witness]:
        """Whether the zone of ``c`` with only the red lines ``present`` is empty; a witness."""
        red = self._red_cache.get(present)
        if red is None:
            red = self._remember(self._red_cache, present, self._red_lines_only(present))
        if red[0] or not any(c.binding):
            return red
        witness = red[1]
        if witness is not None and all(
            c.int_utility(p, witness) >= c.thresholds[p] for p in range(c.n_parties)
        ):
            return red
        if c is self.c:
            full = self._full_cache.get(present)
            if full is None:
                full = self._remember(
                    self._full_cache, present, self._engine(c, present, range(c.n_parties))
                )
            return full
        return self._engine(c, present, range(c.n_parties))

    def holds(self, r: int, witness: tuple[int, ...]) -> bool:
        scope = self.c.red_lines[r].scope
        return bool(self.c.red_line_holds(r, {i: witness[i] for i in scope}))

    def accepts(self, c: CompiledScenario, proposal: dict[str, Any],
                present: npt.NDArray[np.bool_]) -> list[bool]:
        """Per party: does it accept the proposal however its open issues are settled?"""
        fixed = proposal["fixed"]
        out = []
        for p, crossing in enumerate(proposal["crossing"]):
            if crossing and bool(present[crossing].any()):
                out.append(False)
                continue
            table = c.tables[p]
            low = sum(table[i][k] for i, k in fixed) + sum(
                min(table[i]) for i in proposal["open"]
            )
            out.append(low >= c.thresholds[p])
        return out

    # -- a chunk ---------------------------------------------------------------------------------

    def run(self, seed: int, first: int, stop: int,
            deadline: Deadline | None = None) -> ChunkCounts:
        c0 = self.c
        n_lines = len(c0.red_lines)
        agree = 0
        critical = [0] * n_lines
        accepted = {
            prop["id"]: {"all": 0, **{party: 0 for party in c0.party_ids}}
            for prop in self.proposals
        }
        done = first
        for k in range(first, stop):
            if k > first and deadline is not None and deadline.expired:
                break  # in-process runs stop mid-chunk at the deadline (after one sample)
            done = k + 1
            rng = sample_stream(seed, k)
            present = rng.random(n_lines) < self.q
            c = self.variant(rng.random(len(self.low))) if self.numeric else c0
            chosen = tuple(int(r) for r in np.flatnonzero(present))
            empty, witness = self.empty(c, chosen)
            agree += not empty
            for r in range(n_lines):
                if empty and present[r]:
                    others = tuple(x for x in chosen if x != r)
                    critical[r] += not self.empty(c, others)[0]
                elif not empty and not present[r]:
                    if witness is not None and self.holds(r, witness):
                        continue
                    added = tuple(sorted((*chosen, r)))
                    critical[r] += self.empty(c, added)[0]
            for prop in self.proposals:
                verdicts = self.accepts(c, prop, present)
                counts = accepted[prop["id"]]
                counts["all"] += all(verdicts)
                for party, ok in zip(c0.party_ids, verdicts, strict=True):
                    counts[party] += ok
        return {"n": done - first, "agree": agree, "critical": critical, "proposals": accepted}


_SAMPLERS: dict[str, Sampler] = {}


def run_chunk(plan: str, seed: int, first: int, stop: int,
              deadline: Deadline | None = None) -> ChunkCounts:
    """Draw and analyse samples ``first .. stop - 1`` of a plan (the executor's task).

    Module-level and picklable, so any ``concurrent.futures`` executor or Dask can
    run it; the plan is JSON text. The sampler is built once per process and plan.
    """
    sampler = _SAMPLERS.get(plan)
    if sampler is None:
        if len(_SAMPLERS) >= 4:
            _SAMPLERS.clear()
        sampler = _SAMPLERS[plan] = Sampler(plan)
    return sampler.run(seed, first, stop, deadline)
