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

from negotiate.analysis.proposals import PartyVerdict, ProposalEvaluation, evaluate_proposal
from negotiate.analysis.relax import relax
from negotiate.analysis.utility import crossed_red_lines, is_acceptable, utility
from negotiate.errors import (
    CountTooLargeError,
    GraphTooLargeError,
    NegotiateError,
    NoAgreementError,
    RuleSyntaxError,
    ScenarioError,
    ScenarioFileError,
)
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
    "CountTooLargeError",
    "GraphTooLargeError",
    "Issue",
    "NegotiateError",
    "NoAgreementError",
    "Option",
    "Outcome",
    "Party",
    "PartyVerdict",
    "Preference",
    "Proposal",
    "ProposalEvaluation",
    "RedLine",
    "RuleSyntaxError",
    "Scenario",
    "ScenarioError",
    "ScenarioFileError",
    "Source",
    "__version__",
    "crossed_red_lines",
    "dump",
    "dumps",
    "evaluate_proposal",
    "is_acceptable",
    "json_schema",
    "load",
    "loads",
    "parse_rule",
    "relax",
    "render_rule",
    "utility",
    "validate",
]
