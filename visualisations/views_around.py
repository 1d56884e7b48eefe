"""The views around chosen entities: the neighbourhood of one or several (``entity``) and
the shortest paths between two (``path``).

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.visualisations.projection import project
>>> graph = project(load_knowledge_graph())
>>> mace = graph.graph["base_iri"] + "id/lewisham/body/mace"
>>> view = entity(graph, iri=[mace], depth=2)
>>> view.graph.nodes[mace]["focus"], view.graph.number_of_nodes() < 30
(True, True)
"""

from __future__ import annotations

import networkx as nx

from .layout import column_positions, spring_positions
from .neighbourhood import around, bounded, connecting, neighbours
from .view_model import View, ViewError, subgraph, with_positions

MAX_DEPTH = 3
MAX_PATHS = 10
#: A neighbourhood of depth 1 opens with at most this many nodes unless ``limit`` says otherwise (0: no limit):
#: a hub's sixty neighbours make a star nobody can read; the rest are one click away ("Show all").
DEFAULT_LIMIT = 30


def entity(graph, iri=None, depth: int | str = 1, hubs: bool = False, limit: int | None = None, **_):
    """The neighbourhood of one entity or several (``iri`` a list), hubs shown but not followed
    (``hubs`` follows them). Depth 0: only the entities, joined by their shortest connections.
    ``limit`` (depth 1; :data:`DEFAULT_LIMIT` unless given, 0 for none): at most that many nodes (the entities,
    what joins them, then their direct neighbours, bodies and posts first); ``graph.graph["left_out"]`` says
    how many neighbours of each were left out."""
    asked = [iri] if isinstance(iri, str) else list(iri or [])
    shown = [i for i in dict.fromkeys(asked) if i in graph]
    if not shown:
        raise ViewError(f"no such entity in the network: {', '.join(asked) or None}")
    depth = checked_depth(depth)
    limit = (DEFAULT_LIMIT if limit is None and depth == 1 else limit) or None
    nodes, left_out = neighbourhood(graph, shown, depth, hubs, limit)
    part = subgraph(graph, nodes)
    part.graph["left_out"] = left_out
    for node in shown:
        part.nodes[node]["focus"] = True
    missing = [i for i in asked if i not in graph]
    notes = [f"Not in the network (not an entity of a kind the network draws): {', '.join(missing)}"] if missing else []
    return View("entity", entity_title([graph.nodes[n]["label"] for n in shown]),
                entity_description(graph, shown, nodes, depth, hubs, limit),
                with_positions(part, spring_positions(part)), notes=notes)


def neighbourhood(graph, shown: list[str], depth: int, hubs: bool, limit: int | None) -> tuple[set[str], dict[str, int]]:
    """The nodes drawn around the entities, and how many neighbours of each a ``limit`` left out."""
    if limit is not None and depth > 0:
        return bounded(graph, shown, max(1, int(limit)))
    return (connecting(graph, shown) if depth == 0 else around(graph, shown, depth, follow_hubs=hubs)), {}


def entity_description(graph, shown: list[str], nodes: set[str], depth: int, hubs: bool, limit: int | None) -> str:
    """What the view around the entities shows: how far it reaches, and whether hubs were followed."""
    reach = bounded_reach(graph, shown, nodes) if limit is not None and depth > 0 else unbounded_reach(depth)
    hub_note = "" if hubs or depth == 0 else (" The partnership, its documents and shared legislation and "
                                              "guidance are shown but not followed.")
    return f"The highlighted {'entity' if len(shown) == 1 else 'entities'}, {reach}.{hub_note}"


def checked_depth(depth: int | str) -> int:
    """A depth as a whole number, held between 0 and :data:`MAX_DEPTH`.

    >>> checked_depth("7"), checked_depth(-1)
    (3, 0)
    """
    try:
        return max(0, min(MAX_DEPTH, int(depth)))
    except (TypeError, ValueError):
        raise ViewError(f"depth must be a whole number from 0 to {MAX_DEPTH}") from None


def entity_title(names: list[str]) -> str:
    """The title of a view around these entities.

    >>> entity_title(["MACE"]), entity_title(["MACE", "Executive"])
    ('Around MACE', '2 entities: MACE; Executive')
    """
    return f"Around {names[0]}" if len(names) == 1 else f"{len(names)} entities: " + "; ".join(names)


def unbounded_reach(depth: int) -> str:
    """How a view of every neighbour within ``depth`` reads."""
    return ("joined by the shortest connections between them" if depth == 0 else
            f"and everything within {depth} step(s), whichever way the relations run")


def bounded_reach(graph, shown: list[str], nodes: set[str]) -> str:
    """How a bounded view reads: "and 29 of their 58 direct neighbours"."""
    around_them = set().union(*(neighbours(graph, n) for n in shown)) - set(shown)
    joined = "joined by the shortest connections between them, " if len(shown) > 1 else ""
    its = "its" if len(shown) == 1 else "their"
    if around_them <= nodes:
        return f"{joined}and all {its} direct neighbours"
    return f"{joined}and {len(around_them & nodes)} of {its} {len(around_them)} direct neighbours (bodies and posts first)"


def path(graph, source: str | None = None, target: str | None = None, **_):
    for end in (source, target):
        if not end or end not in graph:
            raise ViewError(f"no such entity in the network: {end}")
    paths = shortest_paths(graph, source, target)
    keep = {source, target}.union(*paths)
    pairs = {frozenset(p) for found in paths for p in zip(found, found[1:])}
    part = subgraph(graph, keep)
    part.remove_edges_from([(s, o, k) for s, o, k in part.edges(keys=True) if frozenset((s, o)) not in pairs])
    notes = [] if paths else ["There is no path between these two entities in the network."]
    return View("path", f"From {graph.nodes[source]['label']} to {graph.nodes[target]['label']}",
                f"The shortest paths ({len(paths)} found, each {max(len(paths[0]) - 1, 0) if paths else 0} steps), "
                "whichever way each relation runs.", with_positions(part, path_columns(graph, keep, paths)),
                steps=path_steps(part, paths), notes=notes)


def shortest_paths(graph, source: str, target: str) -> list[list[str]]:
    """At most :data:`MAX_PATHS` shortest paths, whichever way each relation runs ([] when there is none)."""
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    try:
        return list(nx.all_shortest_paths(undirected, source, target))[:MAX_PATHS]
    except nx.NetworkXNoPath:
        return []


def path_steps(part, paths: list[list[str]]) -> list[dict]:
    """Each step of each path, with the relations that join its two ends (and which way each runs)."""
    return [{"path": i + 1, "from": a, "to": b, "relations": [
                {"relation": k, "label": attrs["relation_label"], "forward": s == a, "sources": attrs["sources"]}
                for s, o, k, attrs in part.edges(keys=True, data=True) if {s, o} == {a, b}]}
            for i, found in enumerate(paths) for a, b in zip(found, found[1:])]


def path_columns(graph, keep: set[str], paths: list[list[str]]) -> dict:
    """Positions by distance from the source: one column per step, each in name order."""
    distance = {n: min((p.index(n) for p in paths if n in p), default=0) for n in keep}
    columns = [sorted((n for n in keep if distance[n] == d), key=lambda n: graph.nodes[n]["label"])
               for d in range(max(distance.values()) + 1)]
    return column_positions(columns, gap=380)
