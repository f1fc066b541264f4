"""One wall-clock deadline, passed down through every long computation.

Every analysis that can take long accepts ``time_limit`` (seconds, wall-clock,
counted from the call). The public function turns it into one :class:`Deadline`
with :meth:`Deadline.coerce` and passes that same object down: loops call
:meth:`Deadline.check`, CP-SAT calls get :meth:`Deadline.solver_limit` (the time
that is left), and nested analyses receive the deadline itself, never a fresh
``time_limit``, so the whole call is bounded by what the user asked for.

The rule for running out of time (one rule, everywhere): the computation raises
:class:`~negotiate.errors.SearchLimitError`; when something useful was found
before the limit it is attached as ``error.partial`` and the message says so.
The only exceptions are the results that already say how complete they are:
:func:`~negotiate.explain_deadlock` returns what it found with
``conflicts_complete`` / ``relaxations_complete`` False (``is_deadlocked`` None
when not even that was decided), and :func:`~negotiate.near_deals` returns the
deals found with ``proven`` False. A call returns or raises within
``time_limit + DEADLINE_SLACK`` seconds.

A lazy result (an agreement zone) gives each question asked of it (emptiness,
count, the next outcome of an iteration, a sample) ``time_limit`` seconds of its
own, unless it was made with a :class:`Deadline` (an enclosing analysis passing
its own down): then that deadline bounds them all.

Ctrl-C: every CP-SAT solve runs through :func:`negotiate.solver.run`, which stops
the search and raises ``KeyboardInterrupt`` within a fraction of a second.
"""

from __future__ import annotations

import math
import time

from negotiate.errors import InvalidArgumentError, SearchLimitError

__all__ = ["DEADLINE_SLACK", "Deadline"]

#: Seconds a call may overrun its ``time_limit``: the time to finish the step in
#: progress (one solver call is stopped at the deadline, one loop iteration ends)
#: and to assemble the result or the error.
DEADLINE_SLACK = 1.0


class Deadline:
    """A wall-clock deadline, or none (``time_limit=None``).

    Parameters
    ----------
    time_limit : float or None
        Seconds from now; ``None`` means no limit.

    Examples
    --------
    >>> from negotiate._deadline import Deadline
    >>> d = Deadline(60)
    >>> d.expired
    False
    >>> 59 < d.remaining() <= 60
    True
    >>> Deadline(None).remaining() is None
    True
    >>> Deadline.coerce(d) is d
    True
    """

    __slots__ = ("end", "time_limit")

    def __init__(self, time_limit: float | None = None) -> None:
        if time_limit is not None and (
            isinstance(time_limit, bool)
            or not isinstance(time_limit, int | float)
            or math.isnan(time_limit)
            or time_limit < 0
        ):
            raise InvalidArgumentError(
                f"time_limit={time_limit!r} must be a non-negative number of seconds or None"
            )
        self.time_limit: float | None = None if time_limit is None else float(time_limit)
        self.end: float | None = (
            None
            if time_limit is None or math.isinf(time_limit)
            else time.monotonic() + float(time_limit)
        )

    @classmethod
    def coerce(cls, limit: float | Deadline | None) -> Deadline:
        """A deadline from a ``time_limit`` argument, or the deadline itself when passed down."""
        return limit if isinstance(limit, Deadline) else cls(limit)

    def remaining(self) -> float | None:
        """Seconds left (never negative), or None without a limit."""
        if self.end is None:
            return None
        return max(0.0, self.end - time.monotonic())

    @property
    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self.end is not None and time.monotonic() >= self.end

    def solver_limit(self) -> float | None:
        """The time to give one solver call: what is left (at least 1 ms), or None."""
        left = self.remaining()
        return None if left is None else max(left, 0.001)

    def within(self, seconds: float | None) -> Deadline:
        """A deadline at most ``seconds`` from now and never later than this one."""
        inner = Deadline(seconds)
        if self.end is not None and (inner.end is None or self.end < inner.end):
            inner.end = self.end
            inner.time_limit = self.time_limit
        return inner

    def check(self, what: str = "the computation", partial: object = None) -> None:
        """Raise :class:`SearchLimitError` (with ``partial`` attached) if the deadline passed.

        Examples
        --------
        >>> from negotiate._deadline import Deadline
        >>> Deadline(0).check("counting")
        Traceback (most recent call last):
        ...
        negotiate.errors.SearchLimitError: counting stopped at its time limit of 0 s; ...
        """
        if self.expired:
            raise self.error(what, partial)

    def error(self, what: str = "the computation", partial: object = None) -> SearchLimitError:
        """The :class:`SearchLimitError` to raise when the time is up."""
        found = " (what was found so far is attached as .partial)" if partial is not None else ""
        return SearchLimitError(
            f"{what} stopped at its time limit of {self.time_limit:g} s{found}; "
            "pass a larger time_limit (or None for no limit)",
            partial=partial,
        )

    def __repr__(self) -> str:
        left = self.remaining()
        return "Deadline(None)" if left is None else f"Deadline({left:.3f} s left)"
