"""The component layer: independent groups of issues, from the linkage graph (networkx).

Every engine splits a scenario the same way. The *linkage graph* has the issues
as nodes and links two issues when one hard rule (a red line or a coherence
constraint) reads both; its connected components (``nx.connected_components``)
are the parts that zone, frontier, deadlock, near deals and proposals solve on
their own and then combine. The graph is built once per compiled scenario and
cached on it (``CompiledScenario.linkage``); :func:`negotiate.linkage_graph`
returns a copy of the very same graph.

Analyses that look at fewer rules (one party's zone) or at more couplings (a
binding reservation couples every issue its party cares about, in deadlock
analysis) ask :meth:`Linkage.components_of` for the components of those
scopes; the answer is memoised on the layer too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from negotiate.space import CompiledScenario

__all__ = ["Linkage", "components_of"]

Components = tuple[tuple[int, ...], ...]


def components_of(n_issues: int, scopes: Iterable[Sequence[int]]) -> Components:
    """Connected components of issues ``0..n_issues-1`` linked by the given scopes.

    Each component is a sorted tuple of issue indices; components are ordered by
    their smallest issue, and every issue is in exactly one (an issue no scope
    links is a component of its own).

    Examples
    --------
    >>> from negotiate._linkage import components_of
    >>> components_of(4, [(0, 2), (2,), ()])
    ((0, 2), (1,), (3,))
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(n_issues))
    for scope in scopes:
        nx.add_path(graph, scope)
    return tuple(sorted(tuple(sorted(c)) for c in nx.connected_components(graph)))


class Linkage:
    """The linkage graph of a compiled scenario and its connected components.

    Build it through ``compile_scenario(s).linkage`` (built once, then cached).

    Attributes
    ----------
    graph : networkx.Graph
        Nodes are issue ids, in scenario order, with attributes ``index`` (issue
        index), ``issue`` (the `Issue`), ``options`` (option count), ``red_lines``
        and ``constraints`` (ids of the red lines / coherence constraints that
        depend on the issue). Edges link two issues some rule reads together, with
        attributes ``red_lines``, ``parties`` (owners of those red lines) and
        ``constraints``. Lists follow scenario order. ``graph.graph["scenario"]``
        is the scenario id.
    components : tuple of tuple of int
        Connected components of ``graph`` as sorted issue indices, ordered by their
        smallest issue.

    Examples
    --------
    >>> from negotiate.space import compile_scenario
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [x, y]}, {id: b, options: [x, y]}, {id: c, options: [x, y]}]
    ... parties: [{id: p, red_lines: [{id: r, rule: "a == x or c == x"}]}]
    ... ''')
    >>> link = compile_scenario(s).linkage
    >>> link.components
    ((0, 2), (1,))
    >>> list(link.graph.edges(data="red_lines"))
    [('a', 'c', ['r'])]
    """

    def __init__(self, c: CompiledScenario) -> None:
        import networkx as nx

        self.n_issues = c.n_issues
        graph = nx.Graph(scenario=c.scenario.id)
        for i, issue in enumerate(c.scenario.issues):
            graph.add_node(
                issue.id, index=i, issue=issue, options=len(issue.options),
                red_lines=[r.id for r in c.red_lines if i in r.scope],
                constraints=[k.id for k in c.constraints if i in k.scope],
            )
        for rule in c.rules:
            key = "red_lines" if rule.party >= 0 else "constraints"
            for a, b in itertools.combinations(rule.scope, 2):
                u, v = c.issue_ids[a], c.issue_ids[b]
                if not graph.has_edge(u, v):
                    graph.add_edge(u, v, red_lines=[], parties=[], constraints=[])
                data = graph.edges[u, v]
                data[key].append(rule.id)
                if rule.party >= 0 and c.party_ids[rule.party] not in data["parties"]:
                    data["parties"].append(c.party_ids[rule.party])
        self.graph: Any = graph
        self.components: Components = tuple(
            sorted(
                tuple(sorted(graph.nodes[u]["index"] for u in part))
                for part in nx.connected_components(graph)
            )
        )
        self._linking = frozenset(rule.scope for rule in c.rules if len(rule.scope) > 1)
        self._memo: dict[frozenset[tuple[int, ...]], Components] = {}

    def components_of(self, scopes: Iterable[Sequence[int]]) -> Components:
        """Components of the issues linked by ``scopes`` (memoised; see :func:`components_of`)."""
        key = frozenset(tuple(s) for s in scopes if len(s) > 1)
        if key == self._linking:
            return self.components
        if key not in self._memo:
            self._memo[key] = components_of(self.n_issues, key)
        return self._memo[key]
