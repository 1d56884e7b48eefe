"""What a view is, and the small steps every view is built from (subgraphs, positions, levels).

>>> import networkx as nx
>>> g = nx.MultiDiGraph(); _ = g.add_edge("a", "b", key="org:reportsTo")
>>> part = with_levels(subgraph(g, ["a", "b"]))
>>> part.nodes["a"]["level"], part.nodes["b"]["level"]
(1, 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .layout import layered_positions, top_down_levels


class ViewError(ValueError):
    """A view that cannot be drawn for these parameters (unknown view or entity)."""


@dataclass
class View:
    name: str
    title: str
    description: str
    graph: nx.MultiDiGraph
    layout: str = "computed"  # or "hierarchical"
    steps: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Kinds of node unticked in the legend when the view opens (the URL's hide_kinds overrides).
    hidden_kinds: tuple[str, ...] = ()
    #: What each expanded node brought (filled in by view_state.apply_expansions).
    brought: dict[str, list[str]] = field(default_factory=dict)


def subgraph(graph: nx.MultiDiGraph, nodes, relations=None) -> nx.MultiDiGraph:
    """A copy of the graph on ``nodes``, keeping only edges of ``relations`` (all if None)."""
    part = nx.MultiDiGraph()
    part.graph.update(graph.graph)
    part.add_nodes_from((n, dict(graph.nodes[n])) for n in nodes)
    part.add_edges_from((s, o, k, dict(a)) for s, o, k, a in graph.edges(keys=True, data=True)
                        if s in part and o in part and (relations is None or k in relations))
    return part


def with_positions(part: nx.MultiDiGraph, positions: dict) -> nx.MultiDiGraph:
    for node, (x, y) in positions.items():
        part.nodes[node]["x"], part.nodes[node]["y"] = x, y
    return part


def with_levels(part: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Levels for a top-down drawing of edges that point upwards (reports to, answers to)."""
    upward = nx.DiGraph(part.edges())
    upward.add_nodes_from(part)
    for node, level in top_down_levels(upward).items():
        part.nodes[node]["level"] = level
    return with_tiers(part)


def with_tiers(part: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Positions for a hierarchy whose nodes have levels: one band per level, top down."""
    return with_positions(part, layered_positions(part, {n: part.nodes[n]["level"] for n in part}))


def nodes_of(graph: nx.MultiDiGraph, *types: str) -> list[str]:
    return [n for n, t in graph.nodes(data="type") if t in types]
