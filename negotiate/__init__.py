"""negotiate: model negotiation positions and find where they meet.

Write a negotiation down as typed data (parties, issues with discrete
options, preferences, red lines), then ask which outcomes every party can
accept, why there are none, which deals are efficient and fair, and how a
concrete proposal fares with each party.

Examples
--------
>>> import negotiate as ng
>>> s = ng.loads('''
... format: 1
... id: toy
... issues: [{id: tariff, options: [none, low, high], ordered: true}]
... parties:
...   - {id: A, red_lines: [{id: a1, rule: "tariff != high"}]}
...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
... ''')
>>> ng.is_acceptable(s, "A", {"tariff": "low"}) and ng.is_acceptable(s, "B", {"tariff": "low"})
True
"""

from negotiate.analysis.bargaining import (
    BargainingSolution,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_bargaining_solution,
    utilitarian_solution,
)
from negotiate.analysis.deadlock import (
    Conflict,
    DeadlockExplanation,
    NearDeal,
    PartyDeadlock,
    Relaxation,
    explain_deadlock,
    near_deals,
)
from negotiate.analysis.pareto import Frontier, FrontierPoint, is_pareto_optimal, pareto_frontier
from negotiate.analysis.proposals import PartyVerdict, ProposalEvaluation, evaluate_proposal
from negotiate.analysis.relax import relax
from negotiate.analysis.robustness import Robustness, robustness
from negotiate.analysis.utility import crossed_red_lines, is_acceptable, utility
from negotiate.analysis.whole import Analysis, analyze
from negotiate.analysis.zone import (
    AgreementZone,
    CountEstimate,
    acceptable_outcomes,
    agreement_zone,
)
from negotiate.compare import Comparison, compare
from negotiate.errors import (
    CountTooLargeError,
    GraphTooLargeError,
    InvalidArgumentError,
    NegotiateError,
    NoAgreementError,
    RuleSyntaxError,
    ScenarioError,
    ScenarioFileError,
    SearchLimitError,
)
from negotiate.genius import dump_genius, load_genius
from negotiate.graphs import agreement_graph, conflict_graph, linkage_graph, write_graph
from negotiate.io import dump, dumps, json_schema, load, loads, validate
from negotiate.model import (
    Issue,
    Option,
    Outcome,
    Party,
    Preference,
    Proposal,
    RedLine,
    Scenario,
    Source,
)
from negotiate.rules import parse as parse_rule
from negotiate.rules import render as render_rule

__version__ = "0.1.0"

__all__ = [
    "AgreementZone",
    "Analysis",
    "BargainingSolution",
    "Comparison",
    "Conflict",
    "CountEstimate",
    "CountTooLargeError",
    "DeadlockExplanation",
    "Frontier",
    "FrontierPoint",
    "GraphTooLargeError",
    "InvalidArgumentError",
    "Issue",
    "NearDeal",
    "NegotiateError",
    "NoAgreementError",
    "Option",
    "Outcome",
    "Party",
    "PartyDeadlock",
    "PartyVerdict",
    "Preference",
    "Proposal",
    "ProposalEvaluation",
    "RedLine",
    "Relaxation",
    "Robustness",
    "RuleSyntaxError",
    "Scenario",
    "ScenarioError",
    "ScenarioFileError",
    "SearchLimitError",
    "Source",
    "__version__",
    "acceptable_outcomes",
    "agreement_graph",
    "agreement_zone",
    "analyze",
    "compare",
    "conflict_graph",
    "crossed_red_lines",
    "dump",
    "dump_genius",
    "dumps",
    "egalitarian_solution",
    "evaluate_proposal",
    "explain_deadlock",
    "is_acceptable",
    "is_pareto_optimal",
    "json_schema",
    "kalai_smorodinsky_solution",
    "linkage_graph",
    "load",
    "load_genius",
    "loads",
    "nash_bargaining_solution",
    "near_deals",
    "pareto_frontier",
    "parse_rule",
    "relax",
    "render_rule",
    "robustness",
    "utilitarian_solution",
    "utility",
    "validate",
    "write_graph",
]
