"""Every tuning constant of the engines, in one place, each named and explained.

These trade memory and time between exact algorithms; none changes an answer
(only how it is found, or when a documented limit error is raised). Engines
import them from here under their local names (``zone_factor.TABLE_LIMIT`` is
``ZONE_TABLE_LIMIT``), so a test may patch the engine module's name to force one
path or the other. Not here: defaults of public arguments (``DEFAULT_TIME_LIMIT``
and the like, documented with their function), the acceptance tolerance (a
contract, in the model) and integer-range facts such as 2**53 or 2**62 (not
choices).
"""

from __future__ import annotations

__all__ = [
    "BARGAINING_FLOAT_SCREEN",
    "COUNT_CHUNK",
    "COUNT_JOIN_DISCOUNT",
    "COUNT_MAX_STATES",
    "COUNT_PENDING",
    "DEADLOCK_TABLE_LIMIT",
    "DEADLOCK_TABLE_LIMIT_FORCED",
    "DOMINANCE_PREFILTER",
    "EXPLANATION_TIME_LIMIT",
    "FRONTIER_CHUNK",
    "FRONTIER_LOCAL_LIMIT",
    "FRONTIER_MERGE_ROWS",
    "INTERRUPT_POLL",
    "INTERRUPT_SETTLE",
    "MARCO_EXPLORE_CAP",
    "MARCO_GROW_WORK",
    "NASH_EXACT_EXPONENT",
    "NASH_LOG_TOLERANCE",
    "PROPOSAL_ENUMERATION_LIMIT",
    "ZONE_CACHED_ROWS",
    "ZONE_EMPTINESS_MATERIALISE_LIMIT",
    "ZONE_LIST_LIMIT",
    "ZONE_MATERIALISE_LIMIT",
    "ZONE_MIN_TRIES",
    "ZONE_PART_LIMIT",
    "ZONE_ROWS_LIMIT",
    "ZONE_SAMPLE_BATCH",
    "ZONE_TABLE_LIMIT",
    "ZONE_TRIES_PER_SAMPLE",
    "ZONE_WALK_CHECK_EVERY",
]

# -- CP-SAT (negotiate.solver) ---------------------------------------------------------

#: Seconds between checks for Ctrl-C while a CP-SAT solve runs in its worker thread
#: (:func:`negotiate.solver.run`): the bound on how late an interrupt is noticed.
INTERRUPT_POLL = 0.05
#: Seconds to wait after stopping an interrupted CP-SAT search before re-raising
#: ``KeyboardInterrupt``: OR-Tools aborts the process (``terminate called without an
#: active exception``, rc 134) when Python exits while the stopped search's thread is
#: still being torn down. Measured: 0.1 s suffices; twice that for a loaded machine.
INTERRUPT_SETTLE = 0.2

# -- bargaining solutions (analysis/bargaining.py) -----------------------------------------

#: Largest integer exponent (after reducing the powers to coprime integers) for which the
#: power-weighted Nash product is compared exactly; beyond it, by sums of logarithms.
NASH_EXACT_EXPONENT = 64
#: Relative tolerance of a tie between Nash products compared by sums of logarithms.
NASH_LOG_TOLERANCE = 1e-12
#: Seconds allowed for the deadlock explanation attached to `NoAgreementError`.
EXPLANATION_TIME_LIMIT = 10.0
#: Float screening margin (relative); the exact comparison decides among what passes.
BARGAINING_FLOAT_SCREEN = 1e-9

# -- deadlock analysis and near deals (analysis/deadlock_search.py) ------------------------

#: Largest local outcome space (product of option counts) tabulated with numpy.
DEADLOCK_TABLE_LIMIT = 250_000
#: With ``method="table"`` a block is tabulated up to this many local outcomes (about
#: 1 GiB of tables at worst); beyond it the method is refused.
DEADLOCK_TABLE_LIMIT_FORCED = 10_000_000
#: Deterministic work (CP-SAT's deterministic seconds) allowed to one grow optimisation
#: before MARCO falls back to growing one constraint at a time.
MARCO_GROW_WORK = 0.5
#: After the limit, MARCO may go on exploring (to read relaxations off a complete
#: list of maximal satisfiable sets) for at most this many more sets.
MARCO_EXPLORE_CAP = 2_000

# -- Pareto frontier (analysis/pareto.py) --------------------------------------------------

#: Most partial assignments of one linkage component enumerated (after its red lines).
FRONTIER_LOCAL_LIMIT = 2_000_000
#: Largest number of candidate sums handled in one numpy operation.
FRONTIER_CHUNK = 1 << 21
#: Two-party frontiers enumerate consecutive small linkage components jointly up
#: to this many rows (``pareto._merged_components``): a two-party Pareto set is a
#: short chain, so one joint enumeration beats one fold per component.
FRONTIER_MERGE_ROWS = 4096

# -- dominance filtering (analysis/_dominance.py) ------------------------------------------

#: Above this many candidates (three parties or more), a cheap pass drops most dominated ones.
DOMINANCE_PREFILTER = 1000

# -- agreement zone (analysis/zone_engine.py) ----------------------------------------------

#: The coupled block is listed outcome by outcome when it has at most this many
#: red-line-feasible outcomes (exact witness, iteration and sampling).
ZONE_MATERIALISE_LIMIT = 1_000_000
#: Emptiness alone materialises the coupled block only up to this size: beyond it one
#: CP-SAT solve (tens of ms) is far cheaper than listing the block (0.5 s at 10^6 rows).
ZONE_EMPTINESS_MATERIALISE_LIMIT = 50_000
#: Largest number of rows of one component that is ever listed.
ZONE_ROWS_LIMIT = 5_000_000
#: Components with at most this many red-line-feasible rows enter a count under
#: reservations whole; larger ones issue by issue.
ZONE_PART_LIMIT = 4096
#: Outcomes drawn per batch of rejection sampling.
ZONE_SAMPLE_BATCH = 4096
#: Rejection sampling gives up after max(ZONE_MIN_TRIES, ZONE_TRIES_PER_SAMPLE * n) draws.
ZONE_MIN_TRIES = 200_000
#: Rejection sampling draws at most this many outcomes per sample asked for
#: (and at least ZONE_MIN_TRIES) before it gives up.
ZONE_TRIES_PER_SAMPLE = 1000
#: The depth-first walk checks its deadline every this many steps.
ZONE_WALK_CHECK_EVERY = 1024

# -- proposal evaluation (analysis/proposals.py) -------------------------------------------

#: Largest number of completions of a red line's open issues checked by enumeration.
PROPOSAL_ENUMERATION_LIMIT = 100_000

# -- exact zone counts (analysis/zone_count.py) --------------------------------------------

#: Largest number of (state, choice) pairs handled in one numpy operation.
COUNT_CHUNK = 1 << 18
#: New states gathered before they are merged.
COUNT_PENDING = 1 << 19
#: Comparisons in the join charged as one unit of work (a folded pair costs about
#: as much as this many comparisons).
COUNT_JOIN_DISCOUNT = 32
#: Most merged states kept at once (bounds peak memory to about 500 MiB).
COUNT_MAX_STATES = 1_500_000

# -- zone components (analysis/zone_factor.py) ---------------------------------------------

#: Largest table (number of entries) variable elimination may build.
ZONE_TABLE_LIMIT = 1 << 20
#: A component whose tables would be larger is listed by brute force when its
#: local product has at most this many outcomes.
ZONE_LIST_LIMIT = 1 << 22
#: Enumerated rows are kept for reuse up to this many.
ZONE_CACHED_ROWS = 1 << 16
