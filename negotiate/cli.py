"""The ``negotiate`` command line."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Only light imports here: the command's Ctrl-C handler (main) must be in place before
# pydantic, numpy and OR-Tools load, so an early Ctrl-C ends with one line, not a traceback.
from negotiate._examples import _example_files, _example_name, examples_folder
from negotiate._text import big_count
from negotiate.errors import NegotiateError, SearchLimitError

if TYPE_CHECKING:
    from negotiate.model import Scenario

__all__ = ["examples_folder", "main"]

_FILE_HELP = (
    "scenario file (.yaml, .yml or .json), or the name of a bundled example "
    "as `negotiate examples` lists it"
)


def _summary(s: Scenario) -> str:
    lines = [f"{s.title} ({s.id})" + (f", as of {s.as_of}" if s.as_of else "")]
    lines.append(
        f"  {len(s.issues)} issues, {big_count(s.outcome_count)} possible outcomes; "
        f"{len(s.parties)} parties; "
        f"{sum(len(p.red_lines) for p in s.parties)} red lines; "
        f"{len(s.proposals)} proposals; {len(s.sources)} sources"
    )
    for party in s.parties:
        stances: dict[str, int] = {}
        for red_line in party.red_lines:
            stances[red_line.stance] = stances.get(red_line.stance, 0) + 1
        detail = ", ".join(f"{n} {k}" for k, n in sorted(stances.items())) or "none"
        lines.append(
            f"  - {party.name} ({party.id}): red lines: {detail}; "
            f"reservation {party.reservation:g}, power {party.power:g}"
        )
    return "\n".join(lines)


def _cmd_validate(args: argparse.Namespace) -> int:
    from negotiate.space import compile_scenario

    s = load(args.file)
    compile_scenario(s)  # numbers too fine to compare exactly are reported now, not later
    print(f"OK: {args.file} is a valid scenario.")
    print(_summary(s))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from negotiate.io import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def load(path: str | Path) -> Scenario:
    """`negotiate.load`, imported when a command first reads a file."""
    from negotiate.io import load as load_scenario

    return load_scenario(path)


def _parser() -> argparse.ArgumentParser:
    from negotiate.analysis.robustness_cli import positive_int, seconds

    parser = argparse.ArgumentParser(
        prog="negotiate",
        description="Analyse negotiation scenarios: agreement zones, deadlock, deals.",
    )
    from negotiate import __version__

    parser.add_argument("--version", action="version", version=f"negotiate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("validate", help="check a scenario file and summarise it")
    p.add_argument("file", help=_FILE_HELP)
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.set_defaults(func=_cmd_schema)
    p = sub.add_parser(
        "analyze", help="the whole analysis: zone, deadlock, near deals, proposals, solutions"
    )
    p.add_argument("file", help=_FILE_HELP)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument(
        "--time-limit", type=seconds, default=60.0, metavar="SECONDS",
        help="seconds for the whole analysis, proposals and near deals included (default 60); "
        "steps the limit cuts off are listed as incomplete",
    )
    p.add_argument(
        "--relax", metavar="ID,ID...", default=None,
        help="show the what-if (frontier and bargaining solutions) without these red lines "
        "(or '<party>:reservation'), instead of one what-if per tied smallest relaxation",
    )
    p.set_defaults(func=_cmd_analyze)
    p = sub.add_parser("evaluate", help="evaluate one proposal against every party")
    p.add_argument("file", help=_FILE_HELP)
    p.add_argument("proposal", help="proposal id (see the scenario's 'proposals')")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_evaluate)
    p = sub.add_parser("examples", help="list the example scenarios shipped with negotiate")
    p.set_defaults(func=_cmd_examples)
    p = sub.add_parser("import-genius", help="convert a GENIUS (ANAC) domain to a scenario file")
    p.add_argument("domain", help="GENIUS domain XML")
    p.add_argument("profiles", nargs="+", metavar="PROFILE",
                   help="one utility-space XML per party (party id: the file name)")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="scenario file to write (.yaml or .json)")
    p.set_defaults(func=lambda a: _genius().cli_import(a.domain, a.profiles, a.output))
    from negotiate.publish import commands as publish

    p = sub.add_parser(
        "diff", help="what changed between two snapshots (red lines matched by id)"
    )
    p.add_argument("before", help="the earlier scenario file")
    p.add_argument("after", help="the later scenario file")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument("--time-limit", type=seconds, default=60.0, metavar="SECONDS",
                   help="seconds allowed to the whole comparison (default 60)")
    p.set_defaults(func=publish.cmd_diff)
    p = sub.add_parser("graph", help="export a graph: GraphML, GEXF or JSON (by suffix)")
    p.add_argument("file", help="scenario file (.yaml, .yml or .json)")
    p.add_argument("--kind", choices=("linkage", "agreement", "conflict"), required=True,
                   help="linkage: issues linked by red lines; agreement: acceptable outcomes "
                   "one concession apart; conflict: red lines linked by clashes")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file: .graphml, .gexf or .json")
    p.add_argument("--limit", type=positive_int, default=10_000,
                   help="largest agreement graph to build (default 10000 nodes)")
    p.add_argument("--time-limit", type=seconds, default=30.0, metavar="SECONDS",
                   help="seconds allowed to the zone walk (agreement graph) or the deadlock search "
                   "(conflict graph; default 30)")
    p.set_defaults(func=publish.cmd_graph)
    p = sub.add_parser(
        "report", help="a report to share: one self-contained HTML file, or Markdown",
        description="Write a report on FILE: self-contained HTML (-o X.html) or Markdown "
        "(-o X.md, or to standard output without -o). Needs the 'report' extra: "
        "pip install 'negotiate[report]'.",
    )
    p.add_argument("file", help="scenario file (.yaml, .yml or .json)")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="OUT.html or OUT.md (default: Markdown to standard output)")
    p.add_argument("--compare", metavar="EARLIER",
                   help="an earlier snapshot: add what changed since (as negotiate diff)")
    p.add_argument("--robustness", type=positive_int, metavar="N",
                   help="add a robustness section from N samples")
    p.add_argument("--seed", type=int, default=0, help="seed of the robustness samples")
    p.add_argument("--time-limit", type=seconds, default=30.0, metavar="SECONDS",
                   help="seconds allowed to each search (default 30)")
    p.set_defaults(func=publish.cmd_report)
    from negotiate.analysis.robustness_cli import add_robustness_command

    add_robustness_command(sub)  # robustness (issue 13)
    return parser


def _genius() -> Any:
    from negotiate import genius

    return genius


def _cmd_analyze(args: argparse.Namespace) -> int:
    from negotiate.analysis.whole import analyze

    s = load(args.file)
    progress = sys.stderr if sys.stderr.isatty() else None
    relax = None if args.relax is None else args.relax
    result = analyze(s, time_limit=args.time_limit, relax=relax, progress=progress)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result, end="")
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from negotiate._text import wrap_lines
    from negotiate.analysis.proposals import evaluate_proposal
    from negotiate.analysis.whole import red_line_table, source_table
    from negotiate.report import caveat, format_evaluation

    s = load(args.file)
    evaluation = evaluate_proposal(s, args.proposal)
    if args.json:
        document = evaluation.to_dict()
        named = {c for v in evaluation.parties for c in (*v.crossed, *v.at_risk)}
        document["red_lines"] = {k: v for k, v in red_line_table(s).items() if k in named}
        cited = {x for v in document["red_lines"].values() for x in v["sources"]}
        cited |= set(evaluation.proposal.sources)
        document["sources"] = source_table(s, cited)
        document["caveat"] = caveat(s)
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        print(wrap_lines(caveat(s)))
        print()
        print(format_evaluation(s, evaluation))
    return 0


def _cmd_examples(args: argparse.Namespace) -> int:
    folder = examples_folder()
    if folder is None:
        print("no examples folder found; set NEGOTIATE_EXAMPLES to a folder of scenario files")
        return 1
    cwd = Path.cwd()
    for path in _example_files(folder):
        name = _example_name(folder, path)
        try:
            s = load(path)
        except NegotiateError as exc:
            print(f"{name}: invalid ({str(exc).splitlines()[0]})")
            continue
        shown = path.relative_to(cwd) if path.is_relative_to(cwd) else path
        print(f"{name}\n    {s.title}" + (f" (as of {s.as_of})" if s.as_of else "")
              + f"; {len(s.parties)} parties, {len(s.issues)} issues, "
              f"{len(s.proposals)} proposals\n    {shown}")
    print("\nRun one with: negotiate analyze NAME (for example "
          "negotiate analyze ukraine-2025/talks-2025-12-02)")
    return 0


# Commands that run the CP-SAT solver (OR-Tools is imported on first use).
_SOLVER_COMMANDS = frozenset({"analyze", "evaluate", "diff", "graph", "report", "robustness"})


def _import_solver() -> None:
    """Import OR-Tools with Ctrl-C held back until it is loaded.

    An interrupt during the native initialisation of OR-Tools breaks the import
    (``ImportError: initialization failed``) or aborts the process; held back,
    it is raised as ``KeyboardInterrupt`` just after the import.
    """
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        importlib.import_module("ortools.sat.python.cp_model")
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        importlib.import_module("ortools.sat.python.cp_model")
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


def _interrupted(exc: BaseException | None) -> bool:
    """Whether ``exc`` comes from Ctrl-C: an import cut short by it turns into an
    ImportError, and a missing-extra message may wrap that."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _interrupt(program: bool) -> int:
    """Say "interrupted"; exit 130 at once when running as the program."""
    print("interrupted", file=sys.stderr)
    if program:
        import multiprocessing

        if not multiprocessing.active_children():
            # A CP-SAT search stopped by Ctrl-C may still be tearing down its native
            # thread, and interpreter shutdown then aborts (rc 134). Every output file
            # is already complete or removed, so leave without that shutdown.
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(OSError, ValueError):  # closed or broken pipe
                    stream.flush()
            os._exit(130)
    return 130


def _for_the_command_line(exc: NegotiateError) -> str:
    """The message, with a time limit's advice in terms of the ``--time-limit`` option."""
    message = str(exc)
    if isinstance(exc, SearchLimitError):
        message = message.replace(" (what was found so far is attached as .partial)", "")
        message = message.replace(
            "pass a larger time_limit (or None for no limit)", "give a larger --time-limit"
        )
    return message


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``negotiate`` command; returns the exit status.

    Exit status: 0 on success, 2 on bad input (with the reason on stderr), 130 on
    Ctrl-C (one line, "interrupted"; no output file is left half-written).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A terminal that cannot show a character gets a '?', not a traceback.
            reconfigure(errors="replace")
    try:
        args = _parser().parse_args(argv)  # imports the commands: Ctrl-C may come here
        if args.command in _SOLVER_COMMANDS:
            _import_solver()
        result: int = args.func(args)
        return result
    except KeyboardInterrupt:
        return _interrupt(argv is None)
    except NegotiateError as exc:
        if _interrupted(exc):
            return _interrupt(argv is None)
        print(f"error: {_for_the_command_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if exc.filename is None:
            raise
        # a file the command had to read or write: not writable, disk full, ...
        print(f"error: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if _interrupted(exc):
            return _interrupt(argv is None)
        raise


if __name__ == "__main__":
    sys.exit(main())
