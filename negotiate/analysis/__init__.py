"""The analyses: one family of functions per module.

The main analyses are importable from ``negotiate`` itself (``ng.agreement_zone``,
``ng.pareto_frontier``, ``ng.explain_deadlock``, ...). This package adds the
secondary functions, which answer narrower questions:

- ``acceptable_outcomes``: the outcomes one party accepts.
- ``crossed_red_lines``: which of a party's red lines an outcome crosses.
- ``is_pareto_optimal``: whether an outcome is in the zone and efficient.
- ``near_deals``: the outcomes that cross the fewest constraints.
- ``relax``: the scenario without some red lines or reservations ("what if").

The types they return are in ``negotiate.results``.

Examples
--------
>>> import negotiate as ng
>>> from negotiate.analysis import crossed_red_lines, relax
>>> s = ng.loads('''
... format: 1
... id: toy
... issues: [{id: tariff, options: [none, low, high], ordered: true}]
... parties:
...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
... ''')
>>> ng.agreement_zone(s).is_empty, crossed_red_lines(s, "A", {"tariff": "low"})
(True, ['a1'])
>>> ng.agreement_zone(relax(s, "a1")).count
2
"""

from negotiate.analysis.deadlock import near_deals
from negotiate.analysis.pareto import is_pareto_optimal
from negotiate.analysis.relax import relax
from negotiate.analysis.utility import crossed_red_lines
from negotiate.analysis.zone import acceptable_outcomes

__all__ = [
    "acceptable_outcomes",
    "crossed_red_lines",
    "is_pareto_optimal",
    "near_deals",
    "relax",
]
