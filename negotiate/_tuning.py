"""Every tuning constant of the engines, in one place, each named and explained.

These trade memory and time between exact algorithms; none changes an answer
(only how it is found, or when a documented limit error is raised). Engines
import them from here; tests may monkeypatch them to exercise both sides of a
threshold.
"""

from __future__ import annotations

__all__ = ["INTERRUPT_POLL", "INTERRUPT_SETTLE"]

#: Seconds between checks for Ctrl-C while a CP-SAT solve runs in its worker thread
#: (:func:`negotiate.solver.run`): the bound on how late an interrupt is noticed.
INTERRUPT_POLL = 0.05
#: Seconds to wait after stopping an interrupted CP-SAT search before re-raising
#: ``KeyboardInterrupt``: OR-Tools aborts the process (``terminate called without an
#: active exception``, rc 134) when Python exits while the stopped search's thread is
#: still being torn down. Measured: 0.1 s suffices; twice that for a loaded machine.
INTERRUPT_SETTLE = 0.2
