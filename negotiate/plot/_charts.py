"""Charts: verdict matrix, utilities against reservations, frontier, robustness tornado."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from negotiate.errors import InvalidArgumentError
from negotiate.model import Scenario
from negotiate.plot._style import SERIES, VERDICT_COLOURS, new_figure, short_name

__all__ = ["plot_frontier", "plot_tornado", "plot_utilities", "plot_verdicts"]


def _evaluations(s: Scenario, evaluations: Sequence[Any] | None) -> tuple[Any, ...]:
    if evaluations is not None:
        return tuple(evaluations)
    if not isinstance(s, Scenario):
        raise InvalidArgumentError(f"s=<{type(s).__name__}> must be a Scenario")
    from negotiate.analysis.proposals import evaluate_proposal

    return tuple(evaluate_proposal(s, p) for p in s.proposals)


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def plot_verdicts(
    s: Scenario, *, evaluations: Sequence[Any] | None = None, ax: Any = None
) -> Any:
    """The proposal × party verdict matrix.

    One row per proposal, one column per party; each cell is coloured by the
    verdict (accepts: green, rejects: vermillion, undecided: yellow) and
    says it in words, with the number of red lines the proposal crosses
    (``×n``) and of those at risk on its open issues (``?n``).

    Parameters
    ----------
    s : Scenario
    evaluations : sequence of ProposalEvaluation, optional
        Ready evaluations (by default every proposal of ``s`` is evaluated).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiate.plot import plot_verdicts
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... proposals: [{id: p, terms: {tariff: low}}]
    ... ''')
    >>> [t.get_text() for t in plot_verdicts(s).axes[0].texts]
    ['rejects\\n×1', 'accepts']
    """
    import numpy as np
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    rows = _evaluations(s, evaluations)
    parties = [v.name for v in rows[0].parties] if rows else [p.name for p in s.parties]
    figure, ax = new_figure(ax, (1.9 + 1.5 * len(parties), 1.4 + 0.62 * max(len(rows), 1)))
    ax.set_title("Verdict of each party on each proposal", pad=12)
    order = list(VERDICT_COLOURS)
    if not rows:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no proposals", ha="center", va="center", transform=ax.transAxes)
        return figure
    codes = np.array([[order.index(v.verdict) for v in e.parties] for e in rows])
    ax.imshow(codes, cmap=ListedColormap(list(VERDICT_COLOURS.values())), vmin=0,
              vmax=len(order) - 1, aspect="auto")
    for i, e in enumerate(rows):
        for j, v in enumerate(e.parties):
            text = v.verdict
            marks = []
            if v.crossed:
                marks.append(f"×{len(v.crossed)}")
            if v.at_risk:
                marks.append(f"?{len(v.at_risk)}")
            if marks:
                text += "\n" + " ".join(marks)
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="#000000")
    ax.set_xticks(range(len(parties)), [short_name(p, 18) for p in parties], fontsize=8)
    ax.set_yticks(range(len(rows)), [_short(e.proposal.id, 26) for e in rows], fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(parties)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("party")
    ax.set_ylabel("proposal")
    ax.legend(
        handles=[Patch(facecolor=c, edgecolor="#222222", label=k)
                 for k, c in VERDICT_COLOURS.items()],
        loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=8, frameon=False,
        title="×n: red lines crossed, ?n: at risk on open issues", title_fontsize=7,
    )
    return figure


def plot_utilities(
    s: Scenario, *, evaluations: Sequence[Any] | None = None, figure: Any = None
) -> Any:
    """Each party's utility for each proposal, against its reservation.

    One panel per party, one bar per proposal: the bar runs from the lowest to
    the highest utility over the ways of settling the proposal's open issues
    (a thin bar for a complete proposal) and is coloured by the party's
    verdict; the dashed line is the party's reservation utility.

    Parameters
    ----------
    s : Scenario
    evaluations : sequence of ProposalEvaluation, optional
    figure : matplotlib Figure, optional
        Draw into this (empty) figure instead of a new one.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiate.plot import plot_utilities
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, reservation: 0.4, preferences: {tariff: {importance: 1, ranking: [none, low, high]}}}
    ...   - {id: B, preferences: {tariff: {importance: 1, ranking: [high, low, none]}}}
    ... proposals: [{id: p, terms: {tariff: low}}, {id: q, terms: {}}]
    ... ''')
    >>> f = plot_utilities(s)
    >>> [a.get_title() for a in f.axes], [len(a.patches) for a in f.axes]
    (['A', 'B'], [2, 2])
    """
    from matplotlib.figure import Figure

    rows = _evaluations(s, evaluations)
    parties = list(rows[0].parties) if rows else []
    n = max(len(parties), 1)
    if figure is None:
        figure = Figure(figsize=(2.2 + 2.3 * n, 1.3 + 0.42 * max(len(rows), 1)),
                        layout="constrained")
    figure.suptitle("Utility of each proposal for each party (dashed: reservation)")
    if not rows:
        ax = figure.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no proposals", ha="center", va="center", transform=ax.transAxes)
        return figure
    axes = figure.subplots(1, n, sharey=True, squeeze=False)[0]
    labels = [_short(e.proposal.id, 26) for e in rows]
    for j, (ax, party) in enumerate(zip(axes, parties, strict=True)):
        for i, e in enumerate(rows):
            v = e.parties[j]
            low, high = v.utility
            ax.barh(i, max(high - low, 0.012), left=low - (0.006 if high - low < 0.012 else 0),
                    height=0.6, color=VERDICT_COLOURS[v.verdict], edgecolor="#222222",
                    linewidth=0.6)
        ax.axvline(party.reservation, color="#000000", linestyle="dashed", linewidth=1.2)
        ax.set_title(short_name(party.name), fontsize=9)
        ax.set_xlim(0, 1)
        ax.set_xlabel("utility", fontsize=8)
        ax.tick_params(labelsize=8)
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis() if j == 0 else None
        ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)
    axes[0].set_ylabel("proposal", fontsize=8)
    return figure


def plot_frontier(
    frontier: Any, *, solutions: Mapping[str, Any] | None = None, ax: Any = None,
    title: str | None = None,
) -> Any:
    """The Pareto frontier: a scatter for two parties, parallel coordinates for more.

    With two parties each frontier point is a dot at its two utilities; with
    three or more, each point is a grey line across one vertical axis per
    party. Bargaining solutions are drawn on top in distinct colours and line
    styles, named in the legend.

    Parameters
    ----------
    frontier : Frontier
        From :func:`negotiate.pareto_frontier`.
    solutions : mapping of str to BargainingSolution, optional
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiate.plot import plot_frontier
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y, z]}]
    ... parties:
    ...   - {id: p, preferences: {a: {importance: 1, ranking: [x, y, z]}}}
    ...   - {id: q, preferences: {a: {importance: 1, ranking: [z, y, x]}}}
    ... ''')
    >>> ax = plot_frontier(ng.pareto_frontier(s)).axes[0]
    >>> ax.get_xlabel(), ax.get_ylabel(), len(ax.collections[0].get_offsets())
    ('utility of p', 'utility of q', 3)
    """
    import numpy as np
    from matplotlib.collections import LineCollection

    parties = list(frontier.parties)
    figure, ax = new_figure(ax, (7.5, 4.8) if len(parties) > 2 else (5.5, 5.0))
    ax.set_title(title or f"Pareto frontier ({len(frontier)} points)")
    solutions = dict(solutions or {})
    points = np.array([[p.utilities[q] for q in parties] for p in frontier], dtype=float)
    points = points.reshape(len(frontier), len(parties))
    styles = ["-", "--", "-.", ":"]
    markers = ["o", "s", "^", "D", "v", "P"]
    if len(parties) == 1:
        ax.scatter(np.zeros(len(points)), points[:, 0], color="#777777")
        ax.set_ylabel(f"utility of {parties[0]}")
        return figure
    if len(parties) == 2:
        ax.scatter(points[:, 0], points[:, 1], s=16, color="#777777", label="frontier point")
        for k, (name, sol) in enumerate(solutions.items()):
            ax.scatter([sol.utilities[parties[0]]], [sol.utilities[parties[1]]], s=90,
                       marker=markers[k % len(markers)], color=SERIES[k % len(SERIES)],
                       edgecolors="#000000", label=name.replace("_", "–"), zorder=3)
        ax.set_xlabel(f"utility of {parties[0]}")
        ax.set_ylabel(f"utility of {parties[1]}")
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(color="#DDDDDD", linewidth=0.6)
        ax.legend(fontsize=8, loc="lower left")
        return figure
    xs = np.arange(len(parties), dtype=float)
    segments = [np.column_stack([xs, row]) for row in points]
    lines = LineCollection(segments, colors="#9A9A9A", linewidths=0.5, alpha=0.35,
                           label=f"frontier point ({len(points)})")
    lines.set_rasterized(len(segments) > 200)
    ax.add_collection(lines)
    for k, (name, sol) in enumerate(solutions.items()):
        ax.plot(xs, [sol.utilities[q] for q in parties], color=SERIES[k % len(SERIES)],
                linestyle=styles[k % len(styles)], marker=markers[k % len(markers)],
                linewidth=2.2, label=name.replace("_", "–"), zorder=3)
    for x in xs:
        ax.axvline(x, color="#333333", linewidth=0.8)
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    handles[0] = Line2D([], [], color="#9A9A9A", linewidth=2.0)  # the cloud's own lines are faint
    ax.set_xticks(xs, parties)
    ax.set_xlim(-0.15, len(parties) - 0.85)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("party")
    ax.set_ylabel("utility")
    ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    return figure


def _sensitivity_rows(robustness: Any) -> tuple[list[tuple[str, float, float]], bool]:
    """(label, low, high) rows from a mapping or from an object's ``sensitivity``, and
    whether the values were single swings (a number each) rather than low/high pairs."""
    data = getattr(robustness, "sensitivity", robustness)
    rows: list[tuple[str, float, float]] = []
    single = True
    items = data.items() if isinstance(data, Mapping) else enumerate(data)
    for key, value in items:
        if isinstance(value, int | float) and not isinstance(value, bool):
            rows.append((str(key), 0.0, float(value)))
            continue
        single = False
        if isinstance(value, Mapping):
            label = str(value.get("label", value.get("name", key)))
            low, high = value.get("low"), value.get("high")
        elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            label, (low, high) = str(key), value
        else:
            label = str(getattr(value, "label", getattr(value, "name", key)))
            low, high = getattr(value, "low", None), getattr(value, "high", None)
        if low is None or high is None:
            raise InvalidArgumentError(
                f"sensitivity entry {key!r} has no low/high values to draw"
            )
        rows.append((label, float(low), float(high)))
    return rows, single and bool(rows)


_TORNADO_X = "probability of an agreement zone"


def plot_tornado(
    robustness: Any, *, baseline: float | None = None, ax: Any = None, top: int = 12,
    xlabel: str = _TORNADO_X,
) -> Any:
    """A tornado chart: how far each input swings the result, widest swing on top.

    Parameters
    ----------
    robustness : Robustness or mapping
        A :func:`negotiate.robustness` result (its ``sensitivity``: for each
        uncertain red line, P(agreement) without it minus with it, drawn as one
        bar from 0), or a mapping ``label -> (low, high)`` (or ``label ->
        {"low": ..., "high": ...}``): the result when the input is at its low and
        at its high end, drawn as two bars from ``baseline``.
    baseline : float, optional
        The central result (by default ``robustness.p_agreement`` when present).
    ax : matplotlib Axes, optional
    top : int, optional
        How many inputs to show (the widest swings).
    xlabel : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiate.plot import plot_tornado
    >>> ax = plot_tornado({"ru-donbas": (0.0, 0.6), "ua-znpp": (0.1, 0.2)}, baseline=0.15).axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()], len(ax.patches)
    (['ru-donbas', 'ua-znpp'], 4)
    """
    found, single = _sensitivity_rows(robustness)
    rows = sorted(found, key=lambda r: (-abs(r[2] - r[1]), r[0]))[:top]
    figure, ax = new_figure(ax, (7.0, 1.4 + 0.4 * max(len(rows), 1)))
    ax.set_title("What moves the result most")
    from matplotlib.patches import Patch

    if single:  # one swing per input: P(agreement | absent) - P(agreement | present)
        for i, (_, _, swing) in enumerate(rows):
            ax.barh(i, swing, left=0.0, height=0.6, edgecolor="#222222", linewidth=0.6,
                    color="#009E73" if swing >= 0 else "#D55E00",
                    hatch="" if swing >= 0 else "//")
        ax.axvline(0.0, color="#000000", linewidth=1.0)
        ax.set_xlabel(xlabel if xlabel != _TORNADO_X else
                      "P(agreement) without the red line − with it")
    else:
        if baseline is None:
            found_p = getattr(robustness, "p_agreement", None)
            baseline = float(found_p) if isinstance(found_p, int | float) else None
        centre = baseline if baseline is not None else 0.0
        for i, (_, low, high) in enumerate(rows):
            ax.barh(i, low - centre, left=centre, color="#56B4E9", edgecolor="#222222",
                    linewidth=0.6, height=0.6)
            ax.barh(i, high - centre, left=centre, color="#E69F00", edgecolor="#222222",
                    linewidth=0.6, height=0.6, hatch="//")
        if baseline is not None:
            ax.axvline(baseline, color="#000000", linewidth=1.0)
        ax.set_xlabel(xlabel)
        ax.legend(handles=[Patch(facecolor="#56B4E9", edgecolor="#222222", label="input low"),
                           Patch(facecolor="#E69F00", edgecolor="#222222", hatch="//",
                                 label="input high")], fontsize=8, loc="lower right")
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
    ax.invert_yaxis()
    return figure
