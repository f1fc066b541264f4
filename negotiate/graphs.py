"""Graphs of a scenario: the linkage graph of issues and the agreement graph of deals.

Both are plain :mod:`networkx` graphs with documented node and edge
attributes, so they can be exported (GraphML, GEXF) or analysed with any
networkx algorithm. Node keys are strings; the model objects are attributes.
Pass a graph through :func:`exportable` before writing it to GraphML or GEXF:
those formats only store plain values (str, int, float, bool).
"""

from __future__ import annotations

import enum
import itertools
import json
import numbers
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pydantic

from negotiate._deadline import Deadline
from negotiate.analysis.zone import agreement_zone
from negotiate.errors import CountTooLargeError, GraphTooLargeError, InvalidArgumentError
from negotiate.model import Outcome, Scenario
from negotiate.space import compile_scenario

if TYPE_CHECKING:
    from negotiate.analysis.deadlock_results import DeadlockExplanation

__all__ = [
    "GRAPH_KINDS",
    "agreement_graph",
    "conflict_graph",
    "exportable",
    "linkage_graph",
    "write_graph",
]


def linkage_graph(s: Scenario) -> Any:
    """The linkage graph: issues as nodes, linked when a red line or constraint reads both.

    Two issues are *linked* when some red line or coherence constraint depends
    on both of them. This is (a copy of) the very graph the engines decompose:
    its connected components are the independent parts that the agreement
    zone, the frontier, deadlock analysis, near deals and proposal evaluation
    solve one by one (see :mod:`negotiate._linkage`).

    Parameters
    ----------
    s : Scenario

    Returns
    -------
    networkx.Graph
        Nodes are issue ids, in scenario order, with attributes

        - ``index``: the issue's position in the scenario;
        - ``issue``: the `Issue`;
        - ``options``: its number of options;
        - ``red_lines``: ids of the red lines that depend on the issue;
        - ``constraints``: ids of the coherence constraints that depend on it.

        Edges have attributes

        - ``red_lines``: ids of the red lines that depend on both issues;
        - ``parties``: ids of the parties owning those red lines;
        - ``constraints``: ids of the coherence constraints that depend on both.

        Lists follow scenario order. ``G.graph["scenario"]`` is the scenario id.
        To write the graph to GraphML or GEXF, pass it through :func:`exportable`
        first (the `Issue` and the lists are not plain values).

    Notes
    -----
    A red line *depends on* an issue when changing that issue's option can
    change whether the rule holds; rules are simplified first, so
    ``tariff <= high`` on a scale that ends at ``high`` depends on nothing.

    Reservation utilities add no edges. A party whose reservation binds
    couples every issue it cares about, and the engine treats those issues
    as one block, but drawing that as edges would join almost every pair of
    issues and hide the structure of the red lines.

    Examples
    --------
    >>> from negotiate.graphs import linkage_graph
    >>> s = ng.loads('''
    ... format: 1
    ... id: trade
    ... issues:
    ...   - {id: tariff, options: [none, low, high], ordered: true}
    ...   - {id: quota, options: ["yes", "no"]}
    ...   - {id: labour, options: [weak, strong]}
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff != high"}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "quota == yes or tariff >= low"}]}
    ... ''')
    >>> G = linkage_graph(s)
    >>> list(G.nodes), list(G.edges(data="red_lines"))
    (['tariff', 'quota', 'labour'], [('tariff', 'quota', ['b1'])])
    >>> G.nodes["tariff"]["red_lines"], G.edges["quota", "tariff"]["parties"]
    (['a1', 'b1'], ['B'])
    """
    graph = compile_scenario(s).linkage.graph.copy()
    for _, data in graph.nodes(data=True):
        data["red_lines"], data["constraints"] = list(data["red_lines"]), list(data["constraints"])
    for _, _, data in graph.edges(data=True):
        for key in ("red_lines", "parties", "constraints"):
            data[key] = list(data[key])
    return graph


def agreement_graph(
    s: Scenario, *, limit: int = 10_000, time_limit: float | Deadline | None = 60.0
) -> Any:
    """The agreement graph: acceptable outcomes, linked when one concession apart.

    Nodes are the outcomes of the agreement zone (acceptable to every
    party); two are linked when they differ on exactly one issue. Connected
    components are families of deals, and paths are sequences of single
    concessions that stay acceptable to everybody.

    Parameters
    ----------
    s : Scenario
    limit : int, optional
        Largest number of nodes to build (default 10,000).
    time_limit : float, Deadline or None, optional
        Seconds for the whole call (default 60); None for no limit.

    Returns
    -------
    networkx.Graph
        Nodes are strings ``"issue=option, issue=option, ..."`` (the
        outcome's ``str``, issues in scenario order), added in the zone's
        lexicographic order, with attributes

        - ``outcome``: the `Outcome`;
        - ``utilities``: dict of party id to that party's utility (float).

        Edges have attributes

        - ``issue``: id of the issue on which the two outcomes differ;
        - ``options``: the two options of that issue, in the issue's listed order.

        ``G.graph["scenario"]`` is the scenario id. To write the graph to
        GraphML or GEXF, pass it through :func:`exportable` first (the
        `Outcome`, the dict and the tuple are not plain values).

    Raises
    ------
    InvalidArgumentError
        If ``limit`` is not a non-negative integer.
    GraphTooLargeError
        When the zone has more than ``limit`` outcomes; the message says how
        many (or that the count is out of exact reach) and what to do.
    SearchLimitError
        When the time limit ran out first.

    Examples
    --------
    >>> from negotiate.graphs import agreement_graph
    >>> s = ng.loads('''
    ... format: 1
    ... id: trade
    ... issues:
    ...   - {id: tariff, options: [none, low, high], ordered: true}
    ...   - {id: quota, options: ["yes", "no"]}
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff != high"}],
    ...      preferences: {tariff: {importance: 1, ranking: [none, low, high]}}}
    ...   - {id: B, red_lines: [{id: b1, rule: "quota == yes or tariff >= low"}]}
    ... ''')
    >>> G = agreement_graph(s)
    >>> list(G.nodes)
    ['tariff=none, quota=yes', 'tariff=low, quota=yes', 'tariff=low, quota=no']
    >>> G.nodes["tariff=low, quota=no"]["utilities"]
    {'A': 0.5, 'B': 0.0}
    >>> G.edges["tariff=none, quota=yes", "tariff=low, quota=yes"]
    {'issue': 'tariff', 'options': ('none', 'low')}
    >>> agreement_graph(s, limit=2)
    Traceback (most recent call last):
    ...
    negotiate.errors.GraphTooLargeError: the agreement zone of 'trade' has 3 outcomes, more than limit=2; ...
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise InvalidArgumentError(f"limit={limit!r} must be a non-negative integer")
    deadline = Deadline.coerce(time_limit)
    zone = agreement_zone(s, time_limit=deadline)
    advice = (
        "pass a larger limit, or work with agreement_zone(s).sample(n, seed=...) or "
        "with one party's acceptable_outcomes(s, party) instead"
    )
    try:
        size: int | None = zone.count
    except CountTooLargeError:
        size = None
    if size is not None and size > limit:
        raise GraphTooLargeError(
            f"the agreement zone of '{s.id}' has {size:,} outcomes, more than limit={limit:,}; "
            + advice
        )
    rows = list(itertools.islice(zone.iter_indices(), limit + 1))
    deadline.check("building the agreement graph")
    if len(rows) > limit:
        raise GraphTooLargeError(
            f"the agreement zone of '{s.id}' has more than limit={limit:,} outcomes (too many "
            "to count exactly); " + advice
        )
    c = zone.compiled
    graph = nx.Graph(scenario=s.id)
    names = []
    for indices in rows:
        outcome = c.outcome(indices)
        name = str(outcome)
        names.append(name)
        utilities = {
            party: c.utility(p, c.int_utility(p, indices)) for p, party in enumerate(c.party_ids)
        }
        graph.add_node(name, outcome=outcome, utilities=utilities)
    if len(rows) < 2:
        return graph
    table = np.asarray(rows, dtype=np.int64)
    for i, issue in enumerate(c.issue_ids):
        rest = np.delete(table, i, axis=1)
        _, group = np.unique(rest, axis=0, return_inverse=True)
        order = np.argsort(group.reshape(-1), kind="stable")
        group = group.reshape(-1)[order]
        bounds = np.flatnonzero(np.r_[True, group[1:] != group[:-1], True])
        for start, stop in itertools.pairwise(bounds.tolist()):
            members = order[start:stop].tolist()
            for a, b in itertools.combinations(members, 2):
                ka, kb = int(table[a, i]), int(table[b, i])
                low, high = min(ka, kb), max(ka, kb)
                graph.add_edge(
                    names[a], names[b], issue=issue,
                    options=(c.option_ids[i][low], c.option_ids[i][high]),
                )
    return graph


def exportable(G: Any) -> Any:
    """A copy of a graph whose attributes are all plain values, for GraphML and GEXF.

    :func:`linkage_graph` and :func:`agreement_graph` keep model objects,
    outcomes, dicts and lists as attributes, which ``nx.write_graphml`` and
    ``nx.write_gexf`` refuse. This returns a graph of the same class with
    the same nodes and edges (same keys, same order) whose node, edge and
    graph attributes are ``str``, ``int``, ``float`` or ``bool``:

    - a model object (`Issue`, `Party`, `RedLine`, ...) becomes its ``id``;
    - a mapping, including an `Outcome`, is flattened: attribute ``key``
      holding ``{sub: value}`` becomes attribute ``key_sub`` holding
      ``value`` (nested mappings flatten again), so ``utilities`` becomes
      ``utilities_<party>`` (a float) and ``outcome`` becomes
      ``outcome_<issue>`` (an option id);
    - a list or tuple becomes JSON text of its converted items, such as
      ``'["a1", "b1"]'`` (``json.loads`` gives the list back);
    - a ``Fraction`` becomes a float, a numpy scalar its Python value, an
      enum its value;
    - ``None`` is left out (the formats have no null); anything else
      becomes its ``str``.

    The input graph is not changed.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph (also a DiGraph or MultiGraph).

    Returns
    -------
    networkx.Graph
        Of the same class as ``G``.

    Raises
    ------
    InvalidArgumentError
        If ``G`` is not a networkx graph, or flattening a mapping would
        produce an attribute name that is already used.

    Examples
    --------
    >>> import io
    >>> import networkx as nx
    >>> from negotiate.graphs import agreement_graph, exportable
    >>> s = ng.loads('''
    ... format: 1
    ... id: trade
    ... issues:
    ...   - {id: tariff, options: [none, low, high], ordered: true}
    ...   - {id: quota, options: ["yes", "no"]}
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff != high"}],
    ...      preferences: {tariff: {importance: 1, ranking: [none, low, high]}}}
    ...   - {id: B, red_lines: [{id: b1, rule: "quota == yes or tariff >= low"}]}
    ... ''')
    >>> H = exportable(agreement_graph(s))
    >>> H.nodes["tariff=low, quota=no"]
    {'outcome_tariff': 'low', 'outcome_quota': 'no', 'utilities_A': 0.5, 'utilities_B': 0.0}
    >>> H.edges["tariff=none, quota=yes", "tariff=low, quota=yes"]
    {'issue': 'tariff', 'options': '["none", "low"]'}
    >>> buffer = io.BytesIO()
    >>> nx.write_graphml(H, buffer)
    >>> _ = buffer.seek(0)
    >>> back = nx.read_graphml(buffer)
    >>> list(back.nodes) == list(H.nodes), back.nodes["tariff=low, quota=no"]["utilities_A"]
    (True, 0.5)
    """
    if not isinstance(G, nx.Graph):
        raise InvalidArgumentError(f"G=<{type(G).__name__}> must be a networkx graph")
    H = G.__class__()
    H.graph.update(_plain_attributes(G.graph, "the graph"))
    for node, data in G.nodes(data=True):
        H.add_node(node, **_plain_attributes(data, f"node {node!r}"))
    if G.is_multigraph():
        for u, v, key, data in G.edges(keys=True, data=True):
            H.add_edge(u, v, key=key, **_plain_attributes(data, f"edge {(u, v, key)!r}"))
    else:
        for u, v, data in G.edges(data=True):
            H.add_edge(u, v, **_plain_attributes(data, f"edge {(u, v)!r}"))
    return H


def _plain_attributes(data: Mapping[Any, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        _flatten(str(key), value, out, where)
    return out


def _flatten(name: str, value: Any, out: dict[str, Any], where: str) -> None:
    if isinstance(value, Outcome):
        value = value.to_dict()
    if isinstance(value, Mapping):
        for key, item in value.items():
            _flatten(f"{name}_{key}", item, out, where)
        return
    plain = _plain(value)
    if plain is None:
        return
    if isinstance(plain, list):
        plain = json.dumps(plain, ensure_ascii=False)
    if name in out:
        raise InvalidArgumentError(
            f"G has two attributes named {name!r} on {where} once mappings are flattened; "
            "rename one before exporting"
        )
    out[name] = plain


def _plain(value: Any) -> Any:
    """``value`` as a str, int, float, bool, None, or a list/dict of those (for JSON)."""
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)  # a plain str, also for subclasses
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, pydantic.BaseModel):
        model_id = getattr(value, "id", None)
        if isinstance(model_id, str):
            return model_id
    if isinstance(value, Outcome):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return items if isinstance(value, list | tuple) else sorted(items, key=str)
    return str(value)


#: The graph kinds ``negotiate graph --kind`` builds.
GRAPH_KINDS = ("linkage", "agreement", "conflict")


def conflict_graph(
    s: Scenario, *, deadlock: DeadlockExplanation | None = None,
    time_limit: float | None = 30.0,
) -> Any:
    """The conflict graph: red lines as nodes, linked when they clash.

    Two constraints *clash* when they belong to one minimal conflicting set
    (see :func:`negotiate.explain_deadlock`): a set of two clashes head-on, a
    larger set links each pair of its members. Every red line of the scenario is
    a node, also those in no conflict (``conflicts == 0``), so the graph shows
    which positions are compatible too; a reservation is a node only when it
    takes part in a conflict. Coherence constraints are never nodes.

    Parameters
    ----------
    s : Scenario
    deadlock : DeadlockExplanation, optional
        A ready explanation of ``s`` (to avoid computing it twice).
    time_limit : float or None, optional
        Seconds allowed to the deadlock explanation when it is computed here.

    Returns
    -------
    networkx.Graph
        Nodes are constraint ids (red lines in scenario order, then
        reservations ``<party>:reservation``), with attributes

        - ``label``: a short label (the id);
        - ``kind``: ``"red_line"`` or ``"reservation"``;
        - ``party``, ``party_name``: the owner;
        - ``stance``: ``stated``, ``reported`` or ``inferred`` (``"analyst"`` for a
          reservation, which is analyst judgement);
        - ``rule``: the rule as text (for a reservation, ``utility >= r``);
        - ``sources``: source ids (list); ``note``: the red line's note;
        - ``conflicts``: in how many listed minimal conflicts it appears.

        Edges have attributes ``conflicts`` (indices into
        ``G.graph["conflicts"]`` of the conflicts holding both ends),
        ``size`` (the size of the smallest of them) and ``head_on`` (True when
        some conflict is exactly this pair). ``G.graph`` holds ``scenario``,
        ``conflicts`` (the minimal conflicts as lists of ids) and ``complete``
        (whether every minimal conflict is listed).

    Examples
    --------
    >>> from negotiate.graphs import conflict_graph
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: stated}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}, {id: b2, rule: "tariff != high"}]}
    ... ''')
    >>> G = conflict_graph(s)
    >>> list(G.nodes), list(G.edges)
    (['a1', 'b1', 'b2'], [('a1', 'b1')])
    >>> G.nodes["a1"]["stance"], G.nodes["b2"]["conflicts"], G.edges["a1", "b1"]["head_on"]
    ('stated', 0, True)
    """
    from negotiate.analysis.deadlock import explain_deadlock
    from negotiate.rules import render

    if not isinstance(s, Scenario):
        raise InvalidArgumentError(f"s=<{type(s).__name__}> must be a Scenario")
    if deadlock is None:
        deadlock = explain_deadlock(s, time_limit=time_limit)
    conflicts = [tuple(c.constraints) for c in deadlock.conflicts]
    counts: dict[str, int] = {}
    for members in conflicts:
        for member in members:
            counts[member] = counts.get(member, 0) + 1
    graph = nx.Graph(
        scenario=s.id, conflicts=[list(c) for c in conflicts],
        complete=bool(deadlock.conflicts_complete),
    )
    for party in s.parties:
        for red_line in party.red_lines:
            graph.add_node(
                red_line.id, label=red_line.id, kind="red_line", party=party.id,
                party_name=party.name, stance=red_line.stance, rule=render(red_line.rule),
                sources=list(red_line.sources), note=red_line.note,
                conflicts=counts.get(red_line.id, 0),
            )
    for party in s.parties:
        if party.reservation_id in counts:
            graph.add_node(
                party.reservation_id, label=party.reservation_id, kind="reservation",
                party=party.id, party_name=party.name, stance="analyst",
                rule=f"utility >= {party.reservation:g}", sources=[], note="",
                conflicts=counts[party.reservation_id],
            )
    for k, members in enumerate(conflicts):
        for u, v in itertools.combinations(members, 2):
            if graph.has_edge(u, v):
                data = graph.edges[u, v]
                data["conflicts"].append(k)
                data["size"] = min(data["size"], len(members))
                data["head_on"] = data["head_on"] or len(members) == 2
            else:
                graph.add_edge(u, v, conflicts=[k], size=len(members),
                               head_on=len(members) == 2)
    return graph


def write_graph(G: Any, path: Any) -> Any:
    """Write a graph to a file: GraphML, GEXF or JSON, chosen by the suffix.

    The graph goes through :func:`exportable` first, so model objects become
    ids, mappings become ``key_sub`` attributes and lists become JSON text
    (GraphML and GEXF store only plain values); every node gets a short
    ``label`` attribute (the node key unless it already has one), which graph
    viewers such as Gephi and yEd show. ``.json`` writes networkx's
    node-link form (``networkx.node_link_graph`` reads it back). The file is
    written atomically.

    Parameters
    ----------
    G : networkx.Graph
        For example from :func:`linkage_graph`, :func:`agreement_graph` or
        :func:`conflict_graph`.
    path : str or os.PathLike
        Ends in ``.graphml``, ``.gexf`` or ``.json``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InvalidArgumentError
        If the suffix is not one of those, or ``G`` is not a networkx graph.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import networkx as nx
    >>> from negotiate.graphs import conflict_graph, write_graph
    >>> s = ng.loads('''
    ... format: 1
    ... id: toy
    ... issues: [{id: tariff, options: [none, low, high], ordered: true}]
    ... parties:
    ...   - {id: A, red_lines: [{id: a1, rule: "tariff == none", stance: stated}]}
    ...   - {id: B, red_lines: [{id: b1, rule: "tariff >= low"}]}
    ... ''')
    >>> path = write_graph(conflict_graph(s), pathlib.Path(tempfile.mkdtemp()) / "c.graphml")
    >>> back = nx.read_graphml(path)
    >>> back.nodes["a1"]["party"], back.nodes["a1"]["stance"], list(back.edges)
    ('A', 'stated', [('a1', 'b1')])
    """
    import io
    from pathlib import Path

    from negotiate._files import write_atomic

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".graphml", ".gexf", ".json"):
        raise InvalidArgumentError(
            f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
            "use .graphml, .gexf or .json"
        )
    H = exportable(G)
    for node, data in H.nodes(data=True):
        data.setdefault("label", str(node))
    if suffix == ".json":
        document = nx.node_link_data(H, edges="links")
        data = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        return write_atomic(path, data)
    buffer = io.BytesIO()
    if suffix == ".graphml":
        nx.write_graphml(H, buffer)
    else:
        nx.write_gexf(H, buffer)
    return write_atomic(path, buffer.getvalue())
