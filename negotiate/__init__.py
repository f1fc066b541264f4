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

The top level is a short list: reading and writing scenarios, the models, the
analyses, the graphs, the errors. The types the analyses return are in
:mod:`negotiate.results`; narrower functions (``near_deals``, ``relax``,
``acceptable_outcomes``, ...) in :mod:`negotiate.analysis`; the rule language in
:mod:`negotiate.rules`. Names that used to be here (``ng.relax``,
``ng.Frontier``, ``ng.parse_rule``, ...) still work but warn and name their new
home.
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING

from negotiate._moved import resolve_moved as _resolve_moved
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

if _TYPE_CHECKING:
    from negotiate import analysis as analysis
    from negotiate import results as results
    from negotiate import rules as rules
    from negotiate.analysis.bargaining import (
        egalitarian_solution,
        kalai_smorodinsky_solution,
        nash_bargaining_solution,
        utilitarian_solution,
    )
    from negotiate.analysis.deadlock import explain_deadlock
    from negotiate.analysis.pareto import pareto_frontier
    from negotiate.analysis.proposals import evaluate_proposal
    from negotiate.analysis.robustness import robustness
    from negotiate.analysis.utility import is_acceptable, utility
    from negotiate.analysis.whole import analyze
    from negotiate.analysis.zone import agreement_zone
    from negotiate.comparison import compare
    from negotiate.genius import dump_genius, load_genius
    from negotiate.graphs import agreement_graph, conflict_graph, linkage_graph, write_graph
    from negotiate.io import dump, dumps, json_schema, load, loads, validate
    from negotiate.model import (
        Constraint,
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

#: Where each public name lives. ``import negotiate`` loads none of these modules: a
#: name is imported on first use (PEP 562), so the command line starts fast and a
#: Ctrl-C during start-up meets the command's own handler, not a half-done import.
_HOMES = {
    **dict.fromkeys(
        ("egalitarian_solution", "kalai_smorodinsky_solution", "nash_bargaining_solution",
         "utilitarian_solution"),
        "negotiate.analysis.bargaining",
    ),
    "explain_deadlock": "negotiate.analysis.deadlock",
    "pareto_frontier": "negotiate.analysis.pareto",
    "evaluate_proposal": "negotiate.analysis.proposals",
    "robustness": "negotiate.analysis.robustness",
    "is_acceptable": "negotiate.analysis.utility",
    "utility": "negotiate.analysis.utility",
    "analyze": "negotiate.analysis.whole",
    "agreement_zone": "negotiate.analysis.zone",
    "compare": "negotiate.comparison",
    **dict.fromkeys(("dump_genius", "load_genius"), "negotiate.genius"),
    **dict.fromkeys(
        ("agreement_graph", "conflict_graph", "linkage_graph", "write_graph"), "negotiate.graphs"
    ),
    **dict.fromkeys(
        ("dump", "dumps", "json_schema", "load", "loads", "validate"), "negotiate.io"
    ),
    **dict.fromkeys(
        ("Constraint", "Issue", "Option", "Outcome", "Party", "Preference", "Proposal",
         "RedLine", "Scenario", "Source"),
        "negotiate.model",
    ),
}
#: The public submodules, also loaded on first use (``ng.results.Frontier``).
_SUBMODULES = ("analysis", "results", "rules")

__version__ = "0.1.0"

__all__ = [
    "Constraint",
    "CountTooLargeError",
    "GraphTooLargeError",
    "InvalidArgumentError",
    "Issue",
    "NegotiateError",
    "NoAgreementError",
    "Option",
    "Outcome",
    "Party",
    "Preference",
    "Proposal",
    "RedLine",
    "RuleSyntaxError",
    "Scenario",
    "ScenarioError",
    "ScenarioFileError",
    "SearchLimitError",
    "Source",
    "__version__",
    "agreement_graph",
    "agreement_zone",
    "analyze",
    "compare",
    "conflict_graph",
    "dump",
    "dump_genius",
    "dumps",
    "egalitarian_solution",
    "evaluate_proposal",
    "explain_deadlock",
    "is_acceptable",
    "json_schema",
    "kalai_smorodinsky_solution",
    "linkage_graph",
    "load",
    "load_genius",
    "loads",
    "nash_bargaining_solution",
    "pareto_frontier",
    "robustness",
    "utilitarian_solution",
    "utility",
    "validate",
    "write_graph",
]

#: Names that used to be importable from ``negotiate``, and where they live now.
#: ``ng.<old name>`` still works (with a DeprecationWarning naming the new home);
#: they are not in ``__all__`` and not in ``dir(negotiate)``.
_MOVED = {
    **{
        name: f"negotiate.results.{name}"
        for name in (
            "AgreementZone",
            "Analysis",
            "BargainingSolution",
            "Comparison",
            "Conflict",
            "CountEstimate",
            "DeadlockExplanation",
            "Frontier",
            "FrontierPoint",
            "NearDeal",
            "PartyDeadlock",
            "PartyVerdict",
            "ProposalEvaluation",
            "Relaxation",
            "Robustness",
        )
    },
    **{
        name: f"negotiate.analysis.{name}"
        for name in (
            "acceptable_outcomes",
            "crossed_red_lines",
            "is_pareto_optimal",
            "near_deals",
            "relax",
        )
    },
    "parse_rule": "negotiate.rules.parse",
    "render_rule": "negotiate.rules.render",
}

if not _TYPE_CHECKING:
    # Hidden from type checkers on purpose: with a module __getattr__ in sight they
    # would accept any misspelt ``ng.<name>``; old names are a runtime courtesy.

    def __getattr__(name: str) -> object:
        home = _HOMES.get(name)
        if home is not None:
            value = getattr(_importlib.import_module(home), name)
        elif name in _SUBMODULES:
            value = _importlib.import_module(f"{__name__}.{name}")
        else:
            return _resolve_moved(__name__, _MOVED, name)
        globals()[name] = value  # resolved once
        return value

    def __dir__() -> list[str]:
        return sorted({*__all__, *_SUBMODULES, "__doc__", "__name__", "__version__"})
