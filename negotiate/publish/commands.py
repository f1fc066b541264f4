"""The ``negotiate diff``, ``negotiate graph`` and ``negotiate report`` commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from negotiate.errors import InvalidArgumentError
from negotiate.io import load

__all__ = ["cmd_diff", "cmd_graph", "cmd_report"]


def cmd_diff(args: argparse.Namespace) -> int:
    """``negotiate diff A B [--json]``: what changed from snapshot A to snapshot B."""
    from negotiate.comparison import compare

    before, after = load(args.before), load(args.after)
    comparison = compare(before, after, time_limit=args.time_limit)
    if args.json:
        print(json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(comparison)
    return 0


def cmd_graph(args: argparse.Namespace) -> int:
    """``negotiate graph FILE --kind K -o OUT``: export a graph of the scenario."""
    from negotiate.graphs import agreement_graph, conflict_graph, linkage_graph, write_graph

    s = load(args.file)
    if args.kind == "linkage":
        graph = linkage_graph(s)
    elif args.kind == "agreement":
        graph = agreement_graph(s, limit=args.limit, time_limit=args.time_limit)
    else:
        graph = conflict_graph(s, time_limit=args.time_limit)
    path = write_graph(graph, args.output)
    print(f"wrote {path}: {args.kind} graph with {graph.number_of_nodes()} nodes and "
          f"{graph.number_of_edges()} edges")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``negotiate report FILE [-o OUT.html|OUT.md] [--compare EARLIER] [--robustness N]``."""
    from negotiate.publish import render_report, write_report

    s = load(args.file)
    earlier = load(args.compare) if args.compare else None
    options = {"compare": earlier, "robustness": args.robustness,
               "time_limit": args.time_limit, "seed": args.seed}
    if args.output is None:
        print(render_report(s, format="md", **options), end="")
        return 0
    output = Path(args.output)
    if output.suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
        raise InvalidArgumentError(
            f"-o {output}: the report is written as HTML (.html) or Markdown (.md)"
        )
    path = write_report(s, output, **options)
    print(f"wrote {path}", file=sys.stderr)
    return 0
