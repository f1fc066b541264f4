"""Pictures of graphs: the conflict graph and the linkage graph (networkx on matplotlib)."""

from __future__ import annotations

import math
from typing import Any

from negotiate.errors import InvalidArgumentError
from negotiate.model import Scenario
from negotiate.plot._style import STANCE_COLOURS, STANCE_MARKERS, new_figure

__all__ = ["plot_conflict_graph", "plot_linkage_graph"]


def _grouped_circle(G: Any) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """Nodes on a circle, grouped by party with a gap between parties.

    Returns node positions and each party's mid angle (deterministic: node order).
    """
    parties: list[str] = []
    for _, data in G.nodes(data=True):
        if data["party"] not in parties:
            parties.append(data["party"])
    n, gaps = G.number_of_nodes(), len(parties)
    slots = n + gaps * 1.5
    step = 2 * math.pi / max(slots, 1)
    pos: dict[str, tuple[float, float]] = {}
    middle: dict[str, float] = {}
    angle = math.pi / 2
    for party in parties:
        members = [v for v, d in G.nodes(data=True) if d["party"] == party]
        start = angle
        for node in members:
            pos[node] = (math.cos(angle), math.sin(angle))
            angle -= step
        middle[party] = (start + angle + step) / 2
        angle -= 1.5 * step
    return pos, middle


def plot_conflict_graph(
    s: Scenario, *, graph: Any = None, deadlock: Any = None, ax: Any = None,
    time_limit: float | None = 30.0,
) -> Any:
    """The conflict graph: red lines coloured by stance, grouped by party, clashes as edges.

    Red lines sit on a circle, one arc per party (party names outside).
    Colour *and* marker shape give the stance (stated: blue circle, reported:
    orange square, inferred: purple triangle; reservations grey diamonds). A
    solid edge joins two red lines that clash head-on (a minimal conflict of
    two); a dashed edge joins members of a larger minimal conflict. Red lines
    in no conflict are drawn pale.

    Parameters
    ----------
    s : Scenario
    graph : networkx.Graph, optional
        A ready :func:`negotiate.graphs.conflict_graph` of ``s``.
    deadlock : DeadlockExplanation, optional
        A ready explanation of ``s``, used to build the graph.
    ax : matplotlib Axes, optional
        Draw there; by default a new figure.
    time_limit : float or None, optional
        Seconds for the deadlock explanation when it is computed here.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiate.plot import plot_conflict_graph
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: stated}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low", stance: reported}]}
    ... ''')
    >>> figure = plot_conflict_graph(s)
    >>> figure.axes[0].get_title()
    'Clashing red lines in toy'
    """
    import networkx as nx
    from matplotlib.lines import Line2D

    from negotiate.graphs import conflict_graph

    if graph is None:
        if not isinstance(s, Scenario):
            raise InvalidArgumentError(f"s=<{type(s).__name__}> must be a Scenario")
        graph = conflict_graph(s, deadlock=deadlock, time_limit=time_limit)
    n = graph.number_of_nodes()
    size = 6.5 + min(n, 60) * 0.06
    figure, ax = new_figure(ax, (size + 0.5, size), frameless=True)
    ax.set_title(f"Clashing red lines in {graph.graph.get('scenario', s.id)}")
    ax.set_axis_off()
    ax.set_aspect("equal")
    if n == 0:
        ax.text(0.5, 0.5, "no red lines", ha="center", va="center", transform=ax.transAxes)
        return figure
    pos, middle = _grouped_circle(graph)
    head_on = [(u, v) for u, v, d in graph.edges(data=True) if d["head_on"]]
    chain = [(u, v) for u, v, d in graph.edges(data=True) if not d["head_on"]]
    nx.draw_networkx_edges(graph, pos, edgelist=chain, ax=ax, style="dashed", width=1.0,
                           edge_color="#555555", alpha=0.8)
    nx.draw_networkx_edges(graph, pos, edgelist=head_on, ax=ax, width=2.4, edge_color="#222222")
    for stance, colour in STANCE_COLOURS.items():
        for active in (True, False):
            nodes = [v for v, d in graph.nodes(data=True)
                     if d["stance"] == stance and (d["conflicts"] > 0) == active]
            if nodes:
                nx.draw_networkx_nodes(
                    graph, pos, nodelist=nodes, ax=ax, node_color=colour,
                    node_shape=STANCE_MARKERS[stance], node_size=170 if active else 90,
                    alpha=1.0 if active else 0.35, edgecolors="#222222" if active else "none",
                    linewidths=0.8,
                )
    for node, (x, y) in pos.items():
        angle = math.degrees(math.atan2(y, x))
        right = -90 <= angle <= 90
        rotation = angle if right else angle + 180
        active = graph.nodes[node]["conflicts"] > 0
        ax.text(1.07 * x, 1.07 * y, graph.nodes[node]["label"], rotation=rotation,
                rotation_mode="anchor", ha="left" if right else "right", va="center",
                fontsize=8, color="#111111" if active else "#666666")
    parties = {d["party"]: d["party_name"] for _, d in graph.nodes(data=True)}
    for party, angle in middle.items():
        name = parties[party].split(" (")[0]
        if len(name) > 24:
            name = name[:22] + "…"
        x, y = 2.2 * math.cos(angle), 2.2 * math.sin(angle)
        ax.text(x, y, name, ha="center", va="center", fontsize=11, fontweight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-2.45, 2.45)
    present = {d["stance"] for _, d in graph.nodes(data=True)}
    handles = [
        Line2D([], [], marker=STANCE_MARKERS[k], linestyle="none", markersize=8,
               markerfacecolor=c, markeredgecolor="#222222",
               label="reservation (analyst)" if k == "analyst" else k)
        for k, c in STANCE_COLOURS.items() if k in present
    ]
    handles.append(Line2D([], [], color="#222222", linewidth=2.4, label="clash head-on"))
    handles.append(Line2D([], [], color="#555555", linestyle="dashed",
                          label="clash in a larger set"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(-0.02, -0.02), fontsize=8,
              frameon=False)
    return figure


def plot_linkage_graph(s: Scenario, *, graph: Any = None, ax: Any = None, seed: int = 0) -> Any:
    """The linkage graph: issues, linked when one red line reads both.

    Node size grows with the number of red lines reading the issue; edge width
    with the number of red lines linking the two issues. The layout is a spring
    layout with a fixed ``seed``, so the same scenario always draws the same.

    Parameters
    ----------
    s : Scenario
    graph : networkx.Graph, optional
        A ready :func:`negotiate.graphs.linkage_graph` of ``s``.
    ax : matplotlib Axes, optional
    seed : int, optional
        Seed of the layout (default 0).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiate.plot import plot_linkage_graph
    >>> s = ng.loads('''
    ... format: 1
    ... id: trade
    ... issues: [{id: tariff, options: [none, high]}, {id: quota, options: ["yes", "no"]}]
    ... parties:
    ...   - {id: B, red_lines: [{id: b1, rule: "quota == yes or tariff == none"}]}
    ... ''')
    >>> plot_linkage_graph(s).axes[0].get_title()
    'Issues linked by red lines in trade'
    """
    import networkx as nx

    from negotiate.graphs import linkage_graph

    if graph is None:
        if not isinstance(s, Scenario):
            raise InvalidArgumentError(f"s=<{type(s).__name__}> must be a Scenario")
        graph = linkage_graph(s)
    figure, ax = new_figure(ax, (8.0, 6.0), frameless=True)
    ax.set_title(f"Issues linked by red lines in {graph.graph.get('scenario', '')}")
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        return figure
    linked_nodes = [v for v in graph.nodes if graph.degree(v)]
    alone = [v for v in graph.nodes if not graph.degree(v)]
    pos: dict[str, Any] = {}
    if linked_nodes:
        core = nx.Graph()  # not graph.subgraph: its node order follows string hashing
        core.add_nodes_from(linked_nodes)
        core.add_edges_from(graph.edges)
        pos.update(nx.spring_layout(core, seed=seed, scale=1.0,
                                    k=1.5 / math.sqrt(len(linked_nodes))))
    for k, v in enumerate(alone):  # issues no red line links: a ring around the rest
        angle = math.pi / 2 - 2 * math.pi * k / len(alone)
        radius = 1.7 if linked_nodes else 1.0
        pos[v] = (radius * math.cos(angle), radius * math.sin(angle))
    widths = [0.8 + 0.9 * len(d["red_lines"]) for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="#777777")
    sizes = [250 + 120 * len(d["red_lines"]) for _, d in graph.nodes(data=True)]
    linked = [bool(graph.degree(v)) for v in graph.nodes]
    colours = ["#56B4E9" if k else "#DDDDDD" for k in linked]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=colours,
                           edgecolors="#222222", linewidths=0.8)
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=8)
    ax.margins(0.12)
    if alone and linked_nodes:
        ax.text(0.0, 0.0, "grey: issues no red line links to another", fontsize=8,
                color="#444444", transform=ax.transAxes)
    return figure
