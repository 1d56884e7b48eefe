"""Neighbourhoods that do not run through hubs, and the connections between several entities.

A hub is a node almost everything touches: the partnership, its documents, the
legislation and guidance every partnership rests on, and any node with more than
:data:`HUB_DEGREE` neighbours in the whole network (a body with thirty seats). A neighbourhood shows
a hub it reaches but does not go on through it (``follow_hubs`` does), so that
the picture around a subgroup is that subgroup's, not the whole partnership's.
The page script (``static/explorer-state.js``) walks the picture by the same rule.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("a", {"type": "body"}), ("p", {"type": "partnership"}), ("b", {"type": "body"})])
>>> _ = g.add_edges_from([("a", "p"), ("b", "p")])
>>> mark_hubs(g)
>>> sorted(around(g, ["a"], 2)), sorted(around(g, ["a"], 2, follow_hubs=True))
(['a', 'p'], ['a', 'b', 'p'])
"""

from __future__ import annotations

import math

import networkx as nx

#: Kinds of node that are shown but not followed (see the module docstring).
HUB_TYPES = ("partnership", "report", "legislation", "guidance")
HUB_DEGREE = 20


def mark_hubs(graph: nx.MultiDiGraph) -> None:
    """Set ``hub`` on every node of the whole network (views copy it, and the page reads it)."""
    for node, attrs in graph.nodes(data=True):
        attrs["hub"] = attrs.get("type") in HUB_TYPES or len(neighbours(graph, node)) > HUB_DEGREE


def is_hub(graph: nx.MultiDiGraph, node: str) -> bool:
    return bool(graph.nodes[node].get("hub"))


def neighbours(graph: nx.MultiDiGraph, node: str, within=None) -> set[str]:
    """Nodes joined to ``node`` by an edge either way (inside ``within`` if given)."""
    found = set(graph.predecessors(node)) | set(graph.successors(node))
    found.discard(node)
    return found if within is None else found & within


def around(graph: nx.MultiDiGraph, starts, depth: int, follow_hubs: bool = False, within=None) -> set[str]:
    """Every node within ``depth`` steps of a start, whichever way edges run; hubs end a walk
    (a start is always walked from, hub or not). ``within`` limits the walk to those nodes."""
    seen = {s for s in starts if s in graph and (within is None or s in within)}
    frontier = list(seen)
    for _ in range(max(0, depth)):
        following = []
        for node in frontier:
            if node not in seen or (not follow_hubs and is_hub(graph, node) and node not in starts):
                continue
            for other in neighbours(graph, node, within):
                if other not in seen:
                    seen.add(other)
                    following.append(other)
        frontier = following
    return seen


def connecting(graph: nx.MultiDiGraph, entities: list[str]) -> set[str]:
    """The entities and the nodes on a shortest path joining each to the ones before it,
    avoiding hubs where another path exists."""
    present = [e for e in entities if e in graph]
    if not present:
        return set()
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    without_hubs = undirected.subgraph([n for n in undirected if not is_hub(graph, n) or n in present])
    joined = {present[0]}
    for entity in present[1:]:
        if entity in joined:
            continue
        for network in (without_hubs, undirected):
            try:
                _, path = nx.multi_source_dijkstra(network, joined, target=entity)
            except nx.NetworkXNoPath:
                continue
            joined.update(path)
            break
        joined.add(entity)
    return joined


#: Kinds of neighbour a bounded view shows first: the bodies and posts a scrutineer reads a finding by.
PREFERRED_KINDS = ("body", "subgroup", "post", "partnership", "partner organisation", "organisation", "person",
                   "group", "priority", "programme", "report", "seat", "report step", "legislation", "guidance")


def bounded(graph: nx.MultiDiGraph, entities: list[str], limit: int) -> tuple[set[str], dict[str, int]]:
    """At most ``limit`` nodes around ``entities``: the entities, the shortest connections joining them,
    then their direct neighbours (bodies and posts first, those touching more of the entities first;
    a hub may be shown, but is never followed). Also returns, per entity, how many of its neighbours were left out.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("p", {"type": "partnership", "label": "P"})] +
    ...                  [(f"s{i}", {"type": "seat", "label": f"S{i}"}) for i in range(5)] +
    ...                  [("b", {"type": "body", "label": "B"})])
    >>> _ = g.add_edges_from([(n, "p") for n in g if n != "p"])
    >>> nodes, left_out = bounded(g, ["p"], 3)
    >>> sorted(nodes), left_out
    (['b', 'p', 's0'], {'p': 4})
    """
    core = connecting(graph, entities)
    present = [e for e in entities if e in graph]
    if len(core) > limit:  # the entities first, then what joins them, as far as the budget goes
        core = set(present[:limit]) | set(sorted(core - set(present))[: max(0, limit - len(present))])
    rank = {kind: i for i, kind in enumerate(PREFERRED_KINDS)}
    touching: dict[str, int] = {}
    for entity in present:
        for other in neighbours(graph, entity):
            touching[other] = touching.get(other, 0) + 1
    candidates = sorted((n for n in touching if n not in core), key=lambda n: (
        rank.get(graph.nodes[n].get("type"), len(rank)), -touching[n],
        str(graph.nodes[n].get("label", n)).casefold(), n))
    chosen = core | set(candidates[: max(0, limit - len(core))])
    left_out = {e: len(neighbours(graph, e) - chosen) for e in present}
    return chosen, {e: count for e, count in left_out.items() if count}


def expansion(graph: nx.MultiDiGraph, node: str) -> tuple[set[str], list[tuple]]:
    """What expanding ``node`` adds: its neighbours, and the edges between them and it."""
    found = neighbours(graph, node)
    edges = [(s, o, k) for s, o, k in graph.out_edges(node, keys=True) if o != node]
    edges += [(s, o, k) for s, o, k in graph.in_edges(node, keys=True) if s != node]
    return found, edges


def ring(centre: tuple[float, float], count: int) -> list[tuple[float, float]]:
    """Positions for ``count`` new nodes around an expanded one (the page script uses the same ring).

    >>> ring((0.0, 0.0), 2)
    [(170.0, 0.0), (-170.0, 0.0)]
    """
    radius = 150.0 + 10.0 * count
    return [(round(centre[0] + radius * math.cos(2 * math.pi * i / count), 1),
             round(centre[1] + radius * math.sin(2 * math.pi * i / count), 1)) for i in range(count)]
