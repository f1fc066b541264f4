"""The types analyses return, for type hints and isinstance.

Every analysis in ``negotiate`` returns one of these frozen result objects;
none of them is built by hand. Each has a readable ``str()`` and a JSON-ready
``to_dict()``. They live next to the analysis that builds them and are gathered
here, so that ``import negotiate as ng`` stays a short list of verbs and models.

Examples
--------
>>> import negotiate as ng
>>> from negotiate.results import AgreementZone, Frontier
>>> s = ng.loads('''
... format: 1
... id: toy
... issues: [{id: tariff, options: [none, low, high], ordered: true}]
... parties:
...   - {id: A, red_lines: [{id: a1, rule: "tariff != high"}]}
...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
... ''')
>>> isinstance(ng.agreement_zone(s), AgreementZone), isinstance(ng.pareto_frontier(s), Frontier)
(True, True)
"""

from negotiate.analysis.bargaining import BargainingSolution
from negotiate.analysis.deadlock import (
    Conflict,
    DeadlockExplanation,
    NearDeal,
    PartyDeadlock,
    Relaxation,
)
from negotiate.analysis.pareto import Frontier, FrontierPoint
from negotiate.analysis.proposals import PartyVerdict, ProposalEvaluation
from negotiate.analysis.robustness import Robustness
from negotiate.analysis.whole import Analysis, EvidenceLevel, WhatIf
from negotiate.analysis.zone import AgreementZone, CountEstimate
from negotiate.comparison import Comparison, RedLineChange, VerdictChange

__all__ = [
    "AgreementZone",
    "Analysis",
    "BargainingSolution",
    "Comparison",
    "Conflict",
    "CountEstimate",
    "DeadlockExplanation",
    "EvidenceLevel",
    "Frontier",
    "FrontierPoint",
    "NearDeal",
    "PartyDeadlock",
    "PartyVerdict",
    "ProposalEvaluation",
    "RedLineChange",
    "Relaxation",
    "Robustness",
    "VerdictChange",
    "WhatIf",
]
