"""The result of a robustness analysis (built by :mod:`negotiate.analysis.robustness`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from negotiate._results import Result, doc
from negotiate._text import possessive
from negotiate.model import DEFAULT_CONFIDENCE, Scenario

__all__ = ["Robustness", "wilson"]

#: Two-sided 95 % normal quantile.
_Z = 1.959963984540054
#: Red lines listed in the text summary of what the answer hangs on.
_SHOWN = 12


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion.

    Examples
    --------
    >>> from negotiate.analysis.robustness_result import wilson
    >>> low, high = wilson(50, 100)
    >>> round(low, 4), round(high, 4)
    (0.4038, 0.5962)
    >>> wilson(0, 10)[0], wilson(10, 10)[1]
    (0.0, 1.0)
    """
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = _Z * _Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    if successes == 0:
        low = 0.0
    if successes == n:
        high = 1.0
    return low, high


class RedLineInfo(TypedDict):
    """What `Robustness` keeps of a red line (its ``red_lines`` table)."""

    party: str
    stance: str
    sources: list[str]
    confidence_from: Literal["file", "stance"]
    """Whether its confidence was set in the file or comes from its stance."""


@dataclass(frozen=True)
class Robustness(Result):
    """How sure the verdict is. Build with :func:`negotiate.robustness`.

    Attributes
    ----------
    scenario : str
        Scenario id.
    p_agreement : float
        Probability that the agreement zone is non-empty.
    interval : tuple of float
        95 % interval of ``p_agreement`` (Wilson); a point when exact.
    method : {"exact", "monte_carlo"}
    samples : int
        Scenarios drawn (0 when exact).
    proposals : dict
        Proposal id -> {"all": P(every party accepts), party id: P(it accepts)}.
        A party that is undecided (open issues could go either way) does not accept.
    criticality : dict
        Red-line id -> P(the zone is empty with the line and non-empty without it),
        everything else as drawn; not weighted by the line's own confidence.
    sensitivity : dict
        Uncertain red-line id -> P(agreement | absent) - P(agreement | present).
    confidence : dict
        Red-line id -> the probability used.
    """

    scenario: str
    title: str = field(metadata=doc(skip=True))
    p_agreement: float
    interval: tuple[float, float]
    method: Literal["exact", "monte_carlo"]
    samples: int
    seed: int
    proposals: dict[str, dict[str, float]]
    criticality: dict[str, float]
    sensitivity: dict[str, float]
    confidence: dict[str, float]
    stance_defaults: dict[str, float]
    spread: float | None
    ranges: tuple[str, ...]
    conflicts: tuple[tuple[str, ...], ...] | None
    messages: tuple[str, ...]
    red_lines: dict[str, RedLineInfo]
    party_names: dict[str, str] = field(metadata=doc(skip=True))
    proposal_titles: dict[str, str] = field(metadata=doc(skip=True))
    proposal_hangs_on: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Proposal id -> party id -> the uncertain red lines of that party the proposal
    crosses or puts at risk (its acceptance hangs on them being absent)."""
    elapsed: float = field(default=0.0, compare=False)

    @classmethod
    def build(
        cls, *, scenario: Scenario, confidence: Mapping[str, float],
        defaults: Mapping[str, float], spread: float | None, ranges: Sequence[str],
        seed: int, messages: Sequence[str], method: Literal["exact", "monte_carlo"],
        samples: int, agree: float, criticality: Mapping[str, float],
        proposals: Mapping[str, Mapping[str, float]],
        conflicts: Sequence[Sequence[str]] | None, elapsed: float,
        proposal_hangs_on: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    ) -> Robustness:
        """Assemble a result (``agree`` is a probability when exact, else a count)."""
        if method == "exact":
            p = min(1.0, max(0.0, float(agree)))
            interval = (p, p)
        else:
            p = agree / samples if samples else 0.0
            interval = wilson(int(agree), samples)
        red_lines: dict[str, RedLineInfo] = {}
        for party in scenario.parties:
            for r in party.red_lines:
                red_lines[r.id] = {
                    "party": party.id, "stance": r.stance, "sources": list(r.sources),
                    "confidence_from": "file" if r.confidence is not None else "stance",
                }
        return cls(
            scenario=scenario.id, title=scenario.title, p_agreement=p, interval=interval,
            method=method, samples=samples, seed=seed,
            proposals={k: dict(v) for k, v in proposals.items()},
            criticality={k: _clean(v) for k, v in criticality.items()},
            sensitivity={k: _clean(criticality[k]) for k, q in confidence.items() if q < 1},
            confidence=dict(confidence), stance_defaults=dict(defaults), spread=spread,
            ranges=tuple(ranges),
            conflicts=None if conflicts is None else tuple(tuple(k) for k in conflicts),
            messages=tuple(messages), red_lines=red_lines,
            party_names={p.id: p.name for p in scenario.parties},
            proposal_titles={p.id: p.title for p in scenario.proposals}, elapsed=elapsed,
            proposal_hangs_on={
                k: {party: list(ids) for party, ids in v.items()}
                for k, v in (proposal_hangs_on or {}).items()
            },
        )

    def hangs_on(self) -> list[str]:
        """Red lines with positive criticality, most critical first (ties: scenario order)."""
        order = {r: k for k, r in enumerate(self.criticality)}
        return sorted((r for r, v in self.criticality.items() if v > 0),
                      key=lambda r: (-self.criticality[r], order[r]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; deterministic for a seed (timings only under ``elapsed``): the
        generated one, then ``red_lines``, the caveat and ``elapsed`` last."""
        out = super().to_dict()
        out["red_lines"] = out.pop("red_lines")
        out["caveat"] = _CAVEAT
        out["elapsed"] = out.pop("elapsed")
        return out

    # -- text ----------------------------------------------------------------------------------

    def _line(self, r: str) -> str:
        info = self.red_lines[r]
        sources = ", ".join(info["sources"]) or "no sources"
        return (f"{r}: {self.party_names[info['party']]}, {info['stance']}, "
                f"confidence {self.confidence[r]:g}; sources: {sources}")

    def __str__(self) -> str:
        out = [f"How sure is it? {self.title} ({self.scenario})"]
        if self.method == "exact" and not self.conflicts:
            out.append(f"P(agreement) = {_p(self.p_agreement)}, exact (an agreement zone "
                       "exists even with every red line present)")
        elif self.method == "exact":
            out.append(f"P(agreement) = {_p(self.p_agreement)}, exact "
                       f"(from {len(self.conflicts or ())} minimal conflict(s))")
        else:
            low, high = self.interval
            out.append(
                f"P(agreement) = {_p(self.p_agreement)}, 95% interval {_p(low)} to {_p(high)} "
                f"(Monte Carlo, {self.samples:,} samples, seed {self.seed})"
            )
        out.append("")
        out.append("Assumed confidence that a red line is real and binding:")
        changed = {k: v for k, v in self.stance_defaults.items() if DEFAULT_CONFIDENCE[k] != v}
        counts = {k: 0 for k in self.stance_defaults}
        for info in self.red_lines.values():
            if info["confidence_from"] == "stance":
                counts[info["stance"]] += 1
        out.append("  by stance: " + ", ".join(
            f"{k} {v:g} ({counts[k]} red line{'s' if counts[k] != 1 else ''})"
            for k, v in self.stance_defaults.items()
        ) + (" (set for this run: " + ", ".join(f"{k}={v:g}" for k, v in changed.items()) + ")"
             if changed else " (defaults)"))
        own = [r for r, info in self.red_lines.items() if info["confidence_from"] == "file"]
        if own:
            out.append("  set in the file: " + ", ".join(
                f"{r} {self.confidence[r]:g}" for r in own))
        if self.spread is not None:
            out.append(f"Importance and values perturbed by +/-{self.spread:.0%} (uniform).")
        if self.ranges:
            out.append(f"Numbers given as ranges (uniform): {', '.join(self.ranges)}.")
        named: list[str] = []
        if self.conflicts:
            out.append("")
            out.append("Minimal conflicts and the probability that each is real:")
            for k in self.conflicts:
                prob = math.prod(self.confidence.get(x, 1.0) for x in k)
                uncertain = [x for x in k if self.confidence.get(x, 1.0) < 1]
                why = ("certain: every red line in it is taken as real" if not uncertain else
                       "hangs on " + ", ".join(
                           f"{x} ({self.red_lines[x]['stance']})" for x in uncertain))
                out.append(f"  {_p(prob)}  {' + '.join(k)}: {why}")
                named.extend(x for x in k if x in self.red_lines)
        out.append("")
        critical = self.hangs_on()
        if critical:
            out.append("What the answer hangs on (P(this red line alone decides deal or no "
                       "deal)):")
            for r in critical[:_SHOWN]:
                out.append(f"  {_p(self.criticality[r])}  {r}")
                named.append(r)
            if len(critical) > _SHOWN:
                out.append(f"  ... and {len(critical) - _SHOWN} more (see --json)")
        else:
            out.append("No single red line decides deal or no deal under any reading.")
        if self.proposals:
            out.append("")
            out.append("Plans: probability of acceptance (undecided counts as not accepting):")
            for pid, per in self.proposals.items():
                parties = ", ".join(
                    f"{self.party_names[k]} {_p(v)}" for k, v in per.items() if k != "all")
                out.append(f"  {self.proposal_titles[pid]} ({pid}): all {_p(per['all'])}; "
                           f"{parties}")
                for party, ids in self.proposal_hangs_on.get(pid, {}).items():
                    if ids and 0 < per[party] < 1:
                        out.append(f"      {possessive(self.party_names[party])} acceptance "
                                   "hangs on " + ", ".join(ids))
                        named.extend(ids)
        if named:
            out.append("")
            out.append("Red lines named above:")
            for r in dict.fromkeys(named):
                out.append(f"  {self._line(r)}")
        for message in self.messages:
            out.append(f"Note: {message}.")
        out.append("")
        out.append(_CAVEAT)
        return "\n".join(out)


_CAVEAT = (
    "Not a forecast and not a recommendation: the confidences, importance, values and "
    "reservations are analyst judgement."
)


def _clean(v: float) -> float:
    # Differences of exact polynomials can leave -1e-17: report 0.
    return 0.0 if abs(v) < 1e-12 else v


def _p(v: float) -> str:
    return f"{v:.3f}"
