"""Exact robustness under red-line uncertainty (a private helper of `robustness`).

When only red lines are uncertain (each present independently with its
confidence) and reservations are certain, the agreement zone is empty exactly
when some *minimal conflict* of the full scenario is fully present: a subset
of the red lines admits no outcome iff it contains a minimal conflicting set,
and the minimal conflicts of a subset are those of the whole scenario that lie
inside it. So P(agreement) = 1 - P(some conflict fully present), a polynomial
in the confidences, computed here by Shannon expansion with memoisation and
splitting into independent groups (conflicts sharing no uncertain red line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["EXACT_MAX_CONFLICTS", "EXACT_MAX_UNCERTAIN", "ConflictPolynomial"]

#: Exactness stops here: at most this many minimal conflicts ...
EXACT_MAX_CONFLICTS = 200
#: ... over at most this many uncertain red lines (the Shannon expansion is
#: exponential in the worst case; beyond these the answer is sampled).
EXACT_MAX_UNCERTAIN = 40

Family = frozenset[frozenset[str]]


def _minimal(sets: Iterable[frozenset[str]]) -> Family:
    """Drop every set that contains another (absorption: A or (A and B) = A)."""
    ordered = sorted(set(sets), key=lambda x: (len(x), sorted(x)))
    kept: list[frozenset[str]] = []
    for candidate in ordered:
        if not any(k <= candidate for k in kept):
            kept.append(candidate)
    return frozenset(kept)


def _groups(family: Family) -> list[Family]:
    """Split into groups of sets that share no variable (independent events)."""
    groups: list[tuple[set[str], list[frozenset[str]]]] = []
    for member in sorted(family, key=lambda x: sorted(x)):
        touching = [g for g in groups if g[0] & member]
        variables, members = set(member), [member]
        for g in touching:
            variables |= g[0]
            members += g[1]
            groups.remove(g)
        groups.append((variables, members))
    return [frozenset(m) for _, m in groups]


@dataclass
class ConflictPolynomial:
    """P(some conflict fully present) for independent red lines.

    Parameters
    ----------
    conflicts : iterable of iterables of str
        The minimal conflicts, as constraint ids; ids missing from ``confidence``
        (reservations) and ids with confidence 1 are always present.
    confidence : mapping of str to float
        Probability that each red line is present.

    Examples
    --------
    >>> from negotiate.analysis.robustness_exact import ConflictPolynomial
    >>> poly = ConflictPolynomial([("a", "b"), ("b", "c")], {"a": 0.5, "b": 0.5, "c": 1.0})
    >>> poly.p_conflict()  # b and (a or c): c is certain, so P(b)
    0.5
    >>> poly.p_conflict(present={"b"}), poly.p_conflict(absent={"b"})
    (1.0, 0.0)
    """

    conflicts: Iterable[Iterable[str]]
    confidence: Mapping[str, float]

    def __post_init__(self) -> None:
        self.sets = [frozenset(c) for c in self.conflicts]
        self._memo: dict[Family, float] = {}

    def uncertain(self) -> set[str]:
        """The uncertain red lines that appear in some conflict."""
        return {x for s in self.sets for x in s if self.confidence.get(x, 1.0) < 1.0}

    def p_conflict(
        self, *, present: Iterable[str] = (), absent: Iterable[str] = ()
    ) -> float:
        """P(some conflict fully present), given lines forced present or absent."""
        present, absent = set(present), set(absent)
        reduced = [
            frozenset(x for x in s if x not in present and self.confidence.get(x, 1.0) < 1.0)
            for s in self.sets
            if not (s & absent)
        ]
        return self._p(_minimal(reduced))

    def _p(self, family: Family) -> float:
        if not family:
            return 0.0
        if frozenset() in family:
            return 1.0
        cached = self._memo.get(family)
        if cached is not None:
            return cached
        groups = _groups(family)
        if len(groups) > 1:
            none = 1.0
            for group in groups:
                none *= 1.0 - self._p(group)
            result = 1.0 - none
        else:
            counts: dict[str, int] = {}
            for s in family:
                for x in s:
                    counts[x] = counts.get(x, 0) + 1
            pivot = min(counts, key=lambda x: (-counts[x], x))
            q = self.confidence[pivot]
            with_pivot = _minimal(s - {pivot} for s in family)
            without = frozenset(s for s in family if pivot not in s)
            result = q * self._p(with_pivot) + (1.0 - q) * self._p(without)
        self._memo[family] = result
        return result
