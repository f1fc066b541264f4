"""Reports people read: one self-contained HTML file, or Markdown.

:func:`render_report` returns the text, :func:`write_report` writes it
atomically (HTML or Markdown by the file's suffix). The HTML needs nothing
outside itself: styles are inline, pictures are inline SVG with text drawn as
paths, and there is no script, font or link to another site (links to the
sources open only when the reader clicks them), so it opens offline from an
e-mail attachment. Sections carry stable ids: ``bottom-line``, ``parties``,
``conflicts``, ``proposals``, ``frontier``, ``robustness`` (when asked for),
``changes`` (with an earlier snapshot) and ``sources``; every red line links
to its sources (``#source-<id>``).

Needs the ``report`` extra (jinja2 and matplotlib):
``pip install 'negotiate[report]'``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiate.errors import InvalidArgumentError
from negotiate.model import Scenario

if TYPE_CHECKING:
    from negotiate.analysis.whole import Analysis

__all__ = ["REPORT_SECTIONS", "render_report", "write_report"]

#: Ids of the sections every HTML report has, in page order.
REPORT_SECTIONS = ("bottom-line", "parties", "conflicts", "proposals", "frontier", "sources")

#: What-ifs drawn as a frontier picture (the others list their solutions in words only),
#: so that a scenario with many tied relaxations still gives a light, quick page.
FRONTIER_FIGURES = 2

INSTALL_HINT = (
    "reports need the 'report' extra (jinja2 and matplotlib): "
    "pip install 'negotiate[report]'"
)


def _require() -> None:
    try:
        import jinja2  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise InvalidArgumentError(f"{INSTALL_HINT} ({exc.name} is missing)") from exc


def _pictures(s: Scenario, analysis: Analysis, context: dict[str, Any]) -> dict[str, str]:
    from negotiate.plot import (
        plot_conflict_graph,
        plot_frontier,
        plot_tornado,
        plot_utilities,
        plot_verdicts,
    )
    from negotiate.publish._figures import inline_svg

    out: dict[str, str] = {}
    n_conflicts = len(context["conflicts"])
    out["conflict-graph"] = inline_svg(
        plot_conflict_graph(s, deadlock=analysis.deadlock), "conflict-graph",
        "Conflict graph of red lines",
        f"Red lines of each party on a circle, coloured by stance; {n_conflicts} minimal "
        "clashes drawn as edges (solid: head-on pair, dashed: part of a larger set). "
        "The same clashes are listed in words below the picture.",
    )
    if analysis.proposals:
        out["verdicts"] = inline_svg(
            plot_verdicts(s, evaluations=analysis.proposals), "verdicts",
            "Verdict matrix", "Each proposal (rows) against each party (columns): accepts, "
            "rejects or undecided, with the number of red lines crossed and at risk. "
            "The same verdicts are in the tables below.",
        )
        out["utilities"] = inline_svg(
            plot_utilities(s, evaluations=analysis.proposals), "utilities",
            "Utilities against reservations", "For each party, the range of utility each "
            "proposal gives it, coloured by verdict, with its reservation as a dashed line.",
        )
    for k, w in enumerate(context["what_ifs"][:FRONTIER_FIGURES]):
        if w["frontier"] is not None and len(w["frontier"]):
            dropped = ", ".join(r["id"] for r in w["relaxation"]) or "nothing"
            out[f"frontier-{k}"] = inline_svg(
                plot_frontier(w["frontier"], solutions=w["raw_solutions"],
                              title=f"What-if {k + 1}: Pareto frontier ({len(w['frontier'])} "
                              "points)" if w["relaxation"] else None),
                f"frontier-{k}", "Pareto frontier",
                f"{len(w['frontier'])} Pareto-optimal utility vectors"
                + (f" of the scenario without {dropped}" if w["relaxation"] else "")
                + ", one line per point across the parties, bargaining solutions highlighted.",
            )
    robustness = context["robustness"]
    if robustness is not None and robustness["drawable"]:
        try:
            tornado = plot_tornado(robustness["raw"])
        except InvalidArgumentError:  # a sensitivity this version cannot draw: text only
            tornado = None
        if tornado is not None:
            out["tornado"] = inline_svg(
                tornado, "tornado", "Sensitivity (tornado chart)",
                "For each uncertain red line, how much more likely an agreement zone is "
                "without it than with it; the same numbers are in the table below.",
            )
    return out


def _analysis(s: Scenario, time_limit: float | None) -> Analysis:
    from negotiate.report import analyze

    return analyze(s, time_limit=time_limit)


def render_report(
    s: Scenario,
    *,
    format: str = "html",
    compare: Scenario | None = None,
    robustness: int | None = None,
    analysis: Analysis | None = None,
    time_limit: float | None = 30.0,
    seed: int = 0,
) -> str:
    """The report on a scenario, as HTML or Markdown text.

    Parameters
    ----------
    s : Scenario
        The snapshot the report is on.
    format : {"html", "md"}, optional
        A self-contained HTML page (default) or Markdown (text only: the
        pictures are in the HTML report).
    compare : Scenario, optional
        An earlier snapshot: adds the section ``changes`` (what changed from
        ``compare`` to ``s``, see :func:`negotiate.comparison.compare`).
    robustness : int, optional
        Number of samples for a robustness section (needs
        ``negotiate.robustness``).
    analysis : Analysis, optional
        A ready :func:`negotiate.analyze` result for ``s``.
    time_limit : float or None, optional
        Seconds allowed to each search of the analysis.
    seed : int, optional
        Seed of the robustness sampling.

    Returns
    -------
    str

    Raises
    ------
    InvalidArgumentError
        On a bad argument, or when the ``report`` extra is not installed.

    Examples
    --------
    >>> from negotiate.publish import render_report
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... title: Toy talks
    ... sources: [{id: S1, title: A statement}]
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: stated, sources: [S1]}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> html = render_report(s)
    >>> 'id="bottom-line"' in html and 'href="#source-S1"' in html and "<script" not in html
    True
    >>> print(render_report(s, format="md").splitlines()[0])
    # Toy talks
    """
    if not isinstance(s, Scenario):
        raise InvalidArgumentError(f"s=<{type(s).__name__}> must be a Scenario")
    if format not in ("html", "md"):
        raise InvalidArgumentError(f"format={format!r} must be 'html' or 'md'")
    if compare is not None and not isinstance(compare, Scenario):
        raise InvalidArgumentError(f"compare=<{type(compare).__name__}> must be a Scenario")
    if robustness is not None and (
        isinstance(robustness, bool) or not isinstance(robustness, int) or robustness < 1
    ):
        raise InvalidArgumentError(f"robustness={robustness!r} must be a positive integer")
    _require()
    import jinja2

    from negotiate.publish._context import build_context

    if analysis is None:
        analysis = _analysis(s, time_limit)
    comparison = None
    if compare is not None:
        from negotiate._deadline import Deadline
        from negotiate.comparison import _compare

        comparison = _compare(compare, s, Deadline(time_limit), known=analysis)
    robust = None
    if robustness is not None:
        import negotiate

        run = getattr(negotiate, "robustness", None)
        if run is None:
            raise InvalidArgumentError(
                "this version of negotiate has no robustness analysis (negotiate.robustness); "
                "leave out --robustness"
            )
        robust = run(s, samples=robustness, seed=seed, time_limit=time_limit)
    context = build_context(s, analysis, comparison=comparison, robustness=robust)
    if format == "html":
        context["figures"] = _pictures(s, analysis, context)
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("negotiate.publish", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]) if format == "html" else False,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    from negotiate import __version__

    context["version"] = __version__
    if format == "html":
        context["css"] = (Path(__file__).parent / "templates" / "report.css").read_text("utf-8")
        template = environment.get_template("report.html.j2")
    else:
        template = environment.get_template("report.md.j2")
    return template.render(**context)


def write_report(
    s: Scenario, path: str | os.PathLike[str], **options: Any
) -> Path:
    """Write the report on ``s`` to ``path``: HTML for ``.html``/``.htm``, Markdown for ``.md``.

    Takes the keyword arguments of :func:`render_report` (except ``format``)
    and writes atomically: a failure leaves the old file (or none), never half
    a report.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from negotiate.publish import write_report
    >>> s = ng.loads("format: 1\\nid: t\\nissues: [{id: a, options: [x, y]}]\\nparties: [{id: p}]")
    >>> path = write_report(s, pathlib.Path(tempfile.mkdtemp()) / "t.md")
    >>> path.read_text().startswith("# t")
    True
    """
    from negotiate._files import write_atomic

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        kind = "html"
    elif suffix in (".md", ".markdown"):
        kind = "md"
    else:
        raise InvalidArgumentError(
            f"{path}: cannot tell the report format from {suffix or 'no suffix'!r}; "
            "use .html or .md"
        )
    if "format" in options:
        raise InvalidArgumentError("write_report takes the format from the path's suffix")
    return write_atomic(path, render_report(s, format=kind, **options))
