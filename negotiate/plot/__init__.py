"""Pictures of a negotiation, as matplotlib figures.

Each function returns a :class:`matplotlib.figure.Figure` built without
pyplot (no display and no global state needed), so it works in scripts, on
servers and in notebooks, where the returned figure shows as the cell's
output. Save with ``figure.savefig("x.svg")`` or ``.png``. Colours come from
the colour-blind-safe Okabe–Ito palette, and every colour-coded mark is also
told apart by shape or text. Layouts are deterministic.

Needs matplotlib: ``pip install 'negotiate[report]'``.

- :func:`plot_conflict_graph`: red lines by stance and party, clashes as edges.
- :func:`plot_linkage_graph`: issues linked by red lines.
- :func:`plot_verdicts`: the proposal × party verdict matrix.
- :func:`plot_utilities`: utilities per proposal per party against reservations.
- :func:`plot_frontier`: the Pareto frontier with bargaining solutions.
- :func:`plot_tornado`: which inputs swing a robustness result most.
"""

from negotiate.plot._charts import plot_frontier, plot_tornado, plot_utilities, plot_verdicts
from negotiate.plot._graphs import plot_conflict_graph, plot_linkage_graph
from negotiate.plot._style import STANCE_COLOURS, STANCE_MARKERS, VERDICT_COLOURS

__all__ = [
    "STANCE_COLOURS",
    "STANCE_MARKERS",
    "VERDICT_COLOURS",
    "plot_conflict_graph",
    "plot_frontier",
    "plot_linkage_graph",
    "plot_tornado",
    "plot_utilities",
    "plot_verdicts",
]
