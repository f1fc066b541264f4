"""The ``negotiate`` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from negotiate.errors import NegotiateError
from negotiate.io import json_schema, load
from negotiate.model import Scenario

__all__ = ["main"]


def _summary(s: Scenario) -> str:
    lines = [f"{s.title} ({s.id})" + (f", as of {s.as_of}" if s.as_of else "")]
    lines.append(
        f"  {len(s.issues)} issues, {s.outcome_count:,} possible outcomes; "
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
    s = load(args.file)
    print(f"OK: {args.file} is a valid scenario.")
    print(_summary(s))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="negotiate",
        description="Analyse negotiation scenarios: agreement zones, deadlock, deals.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("validate", help="check a scenario file and summarise it")
    p.add_argument("file", help="scenario file (.yaml, .yml or .json)")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.set_defaults(func=_cmd_schema)
    for register in _EXTRA_COMMANDS:
        register(sub)
    return parser


#: Functions that add more sub-commands (analysis commands register here).
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``negotiate`` command; returns the exit status.

    Exit status: 0 on success, 2 on bad input (with the reason on stderr).
    """
    args = _parser().parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except NegotiateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
