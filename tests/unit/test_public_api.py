"""The public surface: ``ng.__all__`` is pinned; moved names still resolve, with a warning."""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import negotiate as ng
import negotiate.analysis
import negotiate.errors
import negotiate.results

ROOT = Path(__file__).resolve().parents[2]

#: Everything ``import negotiate as ng`` offers. Changing this list changes the contract
#: (../shared/DESIGN.md "Public API"): update docs/index.md with it.
PUBLIC = [
    "Constraint", "CountTooLargeError", "GraphTooLargeError", "InvalidArgumentError", "Issue",
    "NegotiateError", "NoAgreementError", "Option", "Outcome", "Party", "Preference", "Proposal",
    "RedLine", "RuleSyntaxError", "Scenario", "ScenarioError", "ScenarioFileError",
    "SearchLimitError", "Source", "__version__", "agreement_graph", "agreement_zone", "analyze",
    "compare", "conflict_graph", "dump", "dump_genius", "dumps", "egalitarian_solution",
    "evaluate_proposal", "explain_deadlock", "is_acceptable", "json_schema",
    "kalai_smorodinsky_solution", "linkage_graph", "load", "load_genius", "loads",
    "nash_bargaining_solution", "pareto_frontier", "robustness", "utilitarian_solution",
    "utility", "validate", "write_graph",
]  # fmt: skip

#: Old top-level name -> (module of its new home, name there).
MOVED = {
    **{name: ("negotiate.results", name) for name in (
        "AgreementZone", "Analysis", "BargainingSolution", "Comparison", "Conflict",
        "CountEstimate", "DeadlockExplanation", "Frontier", "FrontierPoint", "NearDeal",
        "PartyDeadlock", "PartyVerdict", "ProposalEvaluation", "Relaxation", "Robustness",
    )},
    **{name: ("negotiate.analysis", name) for name in (
        "acceptable_outcomes", "crossed_red_lines", "is_pareto_optimal", "near_deals", "relax",
    )},
    "parse_rule": ("negotiate.rules", "parse"),
    "render_rule": ("negotiate.rules", "render"),
}  # fmt: skip


def test_all_is_pinned() -> None:
    assert sorted(ng.__all__) == PUBLIC
    assert len(ng.__all__) == len(set(ng.__all__))


def test_every_public_name_resolves_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ng.__all__:
            assert getattr(ng, name) is not None, name
        namespace: dict[str, object] = {}
        exec("from negotiate import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(ng.__all__)


def test_every_error_class_is_public() -> None:
    """DESIGN: all error classes are importable from ``negotiate``."""
    errors = {name for name, obj in vars(negotiate.errors).items()
              if inspect.isclass(obj) and issubclass(obj, BaseException)
              and obj.__module__ == "negotiate.errors" and not name.startswith("_")}
    assert errors and errors <= set(ng.__all__), sorted(errors - set(ng.__all__))


@pytest.mark.parametrize("old", sorted(MOVED))
def test_moved_name_resolves_with_a_warning_naming_its_home(old: str) -> None:
    module, new = MOVED[old]
    expected = getattr(importlib.import_module(module), new)
    with pytest.warns(DeprecationWarning, match=re.escape(f"negotiate.{old} moved to {module}.{new}")) as caught:
        got = getattr(ng, old)
    assert got is expected
    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert old not in ng.__all__ and old not in dir(ng)


def test_moved_name_works_with_from_import() -> None:
    with pytest.warns(DeprecationWarning, match="negotiate.relax moved to negotiate.analysis.relax"):
        from negotiate import relax
    assert relax is negotiate.analysis.relax


def test_unknown_name_is_a_plain_attribute_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
            ng.no_such_name  # noqa: B018
        assert not hasattr(ng, "Lowered")


def test_new_homes_have_their_own_all() -> None:
    assert sorted(negotiate.results.__all__) == sorted(
        {name for name, (module, _) in MOVED.items() if module == "negotiate.results"}
        | {"EvidenceLevel", "WhatIf", "RedLineChange", "VerdictChange"})
    assert sorted(negotiate.analysis.__all__) == sorted(
        name for name, (module, _) in MOVED.items() if module == "negotiate.analysis")
    for module in (negotiate.results, negotiate.analysis):
        for name in module.__all__:
            obj = getattr(module, name)
            assert inspect.getdoc(obj), f"{module.__name__}.{name} has no docstring"
    # every result type is a class; no analysis function lives in results
    assert all(inspect.isclass(getattr(negotiate.results, n)) for n in negotiate.results.__all__)
    assert all(inspect.isfunction(getattr(negotiate.analysis, n)) for n in negotiate.analysis.__all__)


def test_library_code_uses_no_moved_name() -> None:
    """Run a real analysis with deprecation warnings as errors: nothing inside uses an old name."""
    code = (
        "import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
        "import negotiate as ng\n"
        "s = ng.load('textbook/car-sale')\n"
        "a = ng.analyze(s); str(a); a.to_dict()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


def test_docs_index_names_every_moved_name_and_its_home() -> None:
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    rows = [line for line in text.split("### Names that moved", 1)[1].splitlines()
            if line.startswith("| `ng.")]
    assert set(re.findall(r"`ng\.(\w+)`", "\n".join(rows))) == set(MOVED)
    for old, (module, new) in MOVED.items():
        row = next(line for line in rows if f"`ng.{old}`" in line)
        assert f"`{module}.{new}`" in row or (f"`{module}`" in row and old == new), row


def test_no_public_name_is_shadowed_by_a_submodule() -> None:
    """Public names load lazily; importing every submodule must not rebind one of them
    to a module (``negotiate.compare`` the module once did that to ``ng.compare``)."""
    import importlib
    import pkgutil
    import types

    for info in pkgutil.walk_packages(ng.__path__, "negotiate."):
        if ".examples" in info.name or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    for name in ng.__all__:
        assert not isinstance(getattr(ng, name), types.ModuleType), name
