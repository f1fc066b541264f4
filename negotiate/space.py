"""The compiled, integer-indexed form of a scenario that every engine works on.

Issues become indices ``0..N-1`` and options indices ``0..K_i-1`` in listed
order. Each party's utility becomes an exact integer table: utilities are
kept unnormalised (``sum_i importance_i * value_i``) and scaled by the least
common denominator of the numbers *as written* (``0.6`` is 3/5, a ranking of
four options gives thirds), so every comparison with a reservation is exact
and nothing is rounded. Red lines are lowered to trees of per-issue atoms.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from negotiate.model import ACCEPTANCE_TOLERANCE, Outcome, Scenario
from negotiate.model.scenario import ensure_valid
from negotiate.rules.lower import Lowered, evaluate_lowered, lower, scope

__all__ = [
    "CompiledRedLine",
    "CompiledScenario",
    "compile_scenario",
    "exact",
    "red_lines_within",
]

if TYPE_CHECKING:
    from negotiate._linkage import Linkage

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Integer utilities below this (in absolute value, per party sum) are kept in numpy
#: int64 arrays, whose sums are then exact; larger ones in arrays of Python ints.
_MAX_SCALED = 2**62
#: Bound on a party's CP-SAT coefficients (sum of its largest ones): tables above it
#: reach CP-SAT scaled down (see `CompiledScenario.cp_tables`).
CP_BOUND = 2**50


def exact(x: float) -> Fraction:
    """The exact rational value of a number as written (``0.6`` -> 3/5).

    Examples
    --------
    >>> from negotiate.space import exact
    >>> exact(0.6), exact(2)
    (Fraction(3, 5), Fraction(2, 1))
    """
    return Fraction(Decimal(repr(float(x))))


@dataclass(frozen=True)
class CompiledRedLine:
    """A red line in integer form."""

    id: str
    """Red-line id."""
    party: int
    """Index of the owning party; -1 for a coherence constraint (owned by no party)."""
    rule: Lowered
    """The lowered rule (atoms over issue indices)."""
    scope: tuple[int, ...]
    """Sorted indices of the issues the rule reads."""
    cost: float
    """Cost of giving it up (weighted relaxations)."""


@dataclass(frozen=True, eq=False)  # identity: fields hold the scenario (which caches us)
class CompiledScenario:
    """A scenario compiled to integer form. Build with :func:`compile_scenario`."""

    scenario: Scenario
    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    party_ids: tuple[str, ...]
    sizes: tuple[int, ...]
    """Option count of each issue."""
    tables: tuple[tuple[tuple[int, ...], ...], ...]
    """tables[p][i][k]: party p's integer utility for option k of issue i."""
    thresholds: tuple[int, ...]
    """Party p accepts an outcome when sum_i tables[p][i][k_i] >= thresholds[p]."""
    scales: tuple[Fraction, ...]
    """utility_p = integer_sum_p / scales[p] exactly (normalised to [0, 1])."""
    red_lines: tuple[CompiledRedLine, ...]
    binding: tuple[bool, ...] = field(default=())
    """binding[p]: the reservation of party p can reject some outcome."""
    constraints: tuple[CompiledRedLine, ...] = field(default=())
    """Coherence constraints (``party == -1``): hard background rules every outcome obeys.
    Never relaxed, never a conflict member; every engine must enforce them."""
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Results engines keep for later calls on the same scenario (the Pareto frontier)."""

    # -- shapes ------------------------------------------------------------------------------

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @cached_property
    def issue_index(self) -> dict[str, int]:
        return {issue: i for i, issue in enumerate(self.issue_ids)}

    @cached_property
    def party_index(self) -> dict[str, int]:
        return {party: p for p, party in enumerate(self.party_ids)}

    @cached_property
    def fits_int64(self) -> bool:
        """Whether every party's integer utilities and threshold fit numpy int64 with room
        for sums (below 2**62); otherwise numpy paths use arrays of Python ints."""
        return all(
            max(high, -low, abs(t)) < _MAX_SCALED
            for high, low, t in zip(self.max_sums, self.min_sums, self.thresholds, strict=True)
        )

    @property
    def int_dtype(self) -> Any:
        """numpy dtype for integer utilities: int64 when `fits_int64`, else object
        (exact Python ints: slower, never overflows)."""
        return np.int64 if self.fits_int64 else object

    @cached_property
    def np_tables(self) -> tuple[tuple[IntArray, ...], ...]:
        """tables as numpy arrays: np_tables[p][i] has shape (K_i,) (dtype `int_dtype`)."""
        dtype = self.int_dtype
        return tuple(
            tuple(_int_array(row, dtype) for row in party) for party in self.tables
        )

    @cached_property
    def cp_tables(self) -> tuple[tuple[tuple[int, ...], ...], ...]:
        """Integer tables for CP-SAT (64-bit): ``tables`` itself when a party's table fits
        `CP_BOUND`, else ``floor(table / 2**shift)``, see `cp_thresholds`."""
        return tuple(
            party if shift == 0 else tuple(tuple(v >> shift for v in row) for row in party)
            for party, shift in zip(self.tables, self.cp_shifts, strict=True)
        )

    @cached_property
    def cp_shifts(self) -> tuple[int, ...]:
        """Binary shift of each party's CP-SAT table (0: exact)."""
        shifts = []
        for high, low in zip(self.max_sums, self.min_sums, strict=True):
            big = max(abs(high), abs(low), 1)
            shifts.append(max(0, big.bit_length() - CP_BOUND.bit_length() + 1))
        return tuple(shifts)

    @cached_property
    def cp_thresholds(self) -> tuple[int, ...]:
        """Threshold of each party's CP-SAT reservation constraint.

        Exact tables: ``thresholds`` itself. Scaled tables (``q = floor(t / D)``,
        ``D = 2**shift``): every issue loses less than 1 in flooring, so an outcome
        with ``sum t >= T`` has ``sum q > T / D - n``, i.e.
        ``sum q >= floor(T / D) - n + 1`` (n: issues the party cares about). That
        constraint admits every acceptable outcome and perhaps a few whose utility
        is within n * D of the threshold; `Model` checks each solution exactly and
        cuts off those (see `Model.solve`).
        """
        out = []
        for p, shift in enumerate(self.cp_shifts):
            if shift == 0:
                out.append(self.thresholds[p])
                continue
            n = sum(1 for row in self.tables[p] if any(v % (1 << shift) for v in row))
            out.append((self.thresholds[p] >> shift) - n + 1)
        return tuple(out)

    @cached_property
    def max_sums(self) -> tuple[int, ...]:
        return tuple(sum(max(row) for row in party) for party in self.tables)

    @cached_property
    def min_sums(self) -> tuple[int, ...]:
        return tuple(sum(min(row) for row in party) for party in self.tables)

    @cached_property
    def rules(self) -> tuple[CompiledRedLine, ...]:
        """Every hard rule an engine evaluates: the red lines, then the coherence constraints.

        Index ``r < len(red_lines)`` is red line ``r``; the indices from ``len(red_lines)``
        on are the constraints (:attr:`hard`). Engines take rule indices into this tuple.
        """
        return self.red_lines + self.constraints

    @cached_property
    def hard(self) -> tuple[int, ...]:
        """Indices into :attr:`rules` of the coherence constraints (never relaxed)."""
        return tuple(range(len(self.red_lines), len(self.rules)))

    def constraint_ids(self) -> tuple[str, ...]:
        """Ids of all constraints: red lines, then ``<party>:reservation`` of binding parties."""
        return tuple(r.id for r in self.red_lines) + tuple(
            f"{party}:reservation" for p, party in enumerate(self.party_ids) if self.binding[p]
        )

    # -- conversions -------------------------------------------------------------------------

    def indices(self, outcome: Mapping[str, str]) -> tuple[int, ...]:
        """Option indices of a (validated) outcome, in issue order."""
        checked = self.scenario.check_outcome(outcome)
        return tuple(
            self.option_ids[i].index(checked[issue]) for i, issue in enumerate(self.issue_ids)
        )

    def outcome(self, indices: Sequence[int]) -> Outcome:
        """The `Outcome` for option indices in issue order."""
        return Outcome(
            {issue: self.option_ids[i][int(k)] for i, (issue, k) in
             enumerate(zip(self.issue_ids, indices, strict=True))}
        )

    def int_utility(self, p: int, indices: Sequence[int]) -> int:
        """Integer utility of party p for an outcome given as indices."""
        return sum(self.tables[p][i][k] for i, k in enumerate(indices))

    def utility(self, p: int, int_value: int) -> float:
        """Normalised utility in [0, 1] from an integer utility."""
        return float(Fraction(int_value) / self.scales[p])

    def exact_utility(self, p: int, int_value: int) -> Fraction:
        """Exact normalised utility from an integer utility."""
        return Fraction(int_value) / self.scales[p]

    # -- vectorised evaluation ---------------------------------------------------------------

    def red_line_holds(
        self, r: int, columns: Mapping[int, IntArray | int]
    ) -> BoolArray:
        """Whether rule r (index into :attr:`rules`) holds, with numpy broadcasting on columns."""
        return np.asarray(evaluate_lowered(self.rules[r].rule, columns), dtype=bool)

    def party_utilities(self, p: int, columns: Mapping[int, IntArray | int]) -> IntArray:
        """Integer utilities of party p over the issues in ``columns`` (a partial sum)."""
        total: Any = np.int64(0) if self.fits_int64 else 0
        for i, column in columns.items():
            total = total + self.np_tables[p][i][column]
        return np.asarray(total, dtype=self.int_dtype)

    @cached_property
    def linkage(self) -> Linkage:
        """The linkage graph and its components (built once, cached): see :mod:`negotiate._linkage`."""
        from negotiate._linkage import Linkage

        return Linkage(self)

    def components(self) -> tuple[tuple[int, ...], ...]:
        """Independent groups of issues: issues linked by a shared red line or constraint.

        Sorted by smallest issue index; each group sorted.
        """
        return self.linkage.components

    def iter_product(self, issues: Sequence[int], chunk: int = 1 << 16) -> Iterator[IntArray]:
        """Yield the product of the issues' options in lexicographic order, in chunks.

        Each chunk is an array of shape (n, len(issues)) of option indices;
        the last issue varies fastest.
        """
        sizes = [self.sizes[i] for i in issues]
        total = math.prod(sizes)
        if not sizes:
            yield np.zeros((1, 0), dtype=np.int64)
            return
        strides = [math.prod(sizes[j + 1:]) for j in range(len(sizes))]
        for start in range(0, total, chunk):
            flat = np.arange(start, min(start + chunk, total), dtype=np.int64)
            yield np.stack([(flat // s) % k for s, k in zip(strides, sizes, strict=True)], axis=1)


def _int_array(row: Sequence[int], dtype: Any) -> IntArray:
    if dtype is object:  # np.asarray(.., object) of ints may still infer int64: be explicit
        out = np.empty(len(row), dtype=object)
        out[:] = list(row)
        return out
    return np.asarray(row, dtype=dtype)


def _lcm_denominator(values: list[Fraction]) -> int:
    d = 1
    for v in values:
        d = math.lcm(d, v.denominator)
    return d


def compile_scenario(s: Scenario) -> CompiledScenario:
    """Compile a scenario to integer form (cached on the scenario object).

    Examples
    --------
    >>> from negotiate.space import compile_scenario
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties: [{id: p, reservation: 0.5, preferences: {a: {importance: 1, ranking: [x, y, z]}}}]
    ... ''')
    >>> c = compile_scenario(s)
    >>> c.tables[0], c.thresholds[0], c.binding[0]
    (((2, 1, 0),), 1, True)
    """
    if not isinstance(s, Scenario):
        from negotiate.errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"s={type(s).__name__} must be a Scenario; build one with ng.load(path), "
            "ng.loads(text) or ng.validate(data)"
        )
    s = ensure_valid(s)  # a model_copy(update=...) skipped validation: ScenarioError, not a crash
    cached = s.__dict__.get("_negotiate_compiled")
    if isinstance(cached, CompiledScenario) and cached.scenario is s:
        return cached  # (a model_copy carries the cache of its original: not reused)
    issue_ids = tuple(issue.id for issue in s.issues)
    option_ids = tuple(issue.option_ids for issue in s.issues)
    issue_index = {issue: i for i, issue in enumerate(issue_ids)}
    option_order = {issue.id: issue.option_ids for issue in s.issues}
    tables: list[tuple[tuple[int, ...], ...]] = []
    thresholds: list[int] = []
    scales: list[Fraction] = []
    binding: list[bool] = []
    tolerance = exact(ACCEPTANCE_TOLERANCE)
    for party in s.parties:
        rows: list[list[Fraction]] = []
        for issue in s.issues:
            pref = party.preferences.get(issue.id)
            if pref is None or pref.importance == 0:
                rows.append([Fraction(0)] * len(issue.options))
                continue
            weight = exact(pref.importance)
            if pref.values is not None:
                values = [exact(pref.values.get(o, 0.0)) for o in issue.option_ids]
            else:
                assert pref.ranking is not None
                n = len(pref.ranking)
                pos = {o: k for k, o in enumerate(pref.ranking)}
                values = [Fraction(1) if n == 1 else Fraction(n - 1 - pos[o], n - 1)
                          for o in issue.option_ids]
            rows.append([weight * v for v in values])
        total_weight = sum(
            (exact(p.importance) for p in party.preferences.values()), Fraction(0)
        )
        denominator = _lcm_denominator([v for row in rows for v in row])
        int_rows = [[int(v * denominator) for v in row] for row in rows]
        g = math.gcd(*[v for row in int_rows for v in row]) or 1
        int_rows = [[v // g for v in row] for row in int_rows]
        # utility = sum(weight*value) / total_weight; integer sum = sum(weight*value)*den/g
        scale = total_weight * denominator / g if total_weight else Fraction(1)
        threshold = math.ceil((exact(party.reservation) - tolerance) * scale)
        if total_weight == 0:
            # No preferences: utility is 0 for every outcome.
            threshold = 0 if party.reservation <= ACCEPTANCE_TOLERANCE else 1
        # A threshold below the least sum accepts everything, above the largest sum
        # nothing: clamping keeps it small without changing which outcomes pass.
        low_sum = sum(min(row) for row in int_rows)
        high_sum = sum(max(row) for row in int_rows)
        threshold = min(max(threshold, low_sum), high_sum + 1)
        tables.append(tuple(tuple(row) for row in int_rows))
        thresholds.append(threshold)
        scales.append(scale)
        binding.append(threshold > sum(min(row) for row in int_rows))
    red_lines = []
    for p, party in enumerate(s.parties):
        for red_line in party.red_lines:
            lowered = lower(red_line.rule, issue_index, option_order)
            red_lines.append(
                CompiledRedLine(red_line.id, p, lowered, scope(lowered), red_line.cost)
            )
    constraints = tuple(
        CompiledRedLine(k.id, -1, lowered, scope(lowered), math.inf)
        for k in s.constraints
        for lowered in [lower(k.rule, issue_index, option_order)]
    )
    compiled = CompiledScenario(
        scenario=s,
        issue_ids=issue_ids,
        option_ids=option_ids,
        party_ids=tuple(p.id for p in s.parties),
        sizes=tuple(len(o) for o in option_ids),
        tables=tuple(tables),
        thresholds=tuple(thresholds),
        scales=tuple(scales),
        red_lines=tuple(red_lines),
        binding=tuple(binding),
        constraints=constraints,
    )
    s.__dict__["_negotiate_compiled"] = compiled
    return compiled


def red_lines_within(c: CompiledScenario, issues: Sequence[int]) -> list[int]:
    """Indices into ``c.rules`` (red lines and coherence constraints) of the rules whose
    scope lies inside ``issues`` (constant rules, with an empty scope, are included
    everywhere)."""
    inside = set(issues)
    return [r for r, rule in enumerate(c.rules) if set(rule.scope) <= inside]

