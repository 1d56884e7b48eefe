"""Node positions computed in Python, so the browser draws at once with physics off.

Small graphs use networkx's spring layout (Fruchterman-Reingold, fixed seed).
networkx computes every pairwise repulsion on each iteration, which took 57 s
for 5,000 nodes on the project machine; above :data:`SPRING_LIMIT` nodes the
same algorithm runs in its grid variant (Fruchterman and Reingold 1991: nodes
repel only within twice the ideal edge length), with the close pairs found by
scipy's k-d tree, which takes about a second for 5,000 nodes.

>>> import networkx as nx
>>> positions = spring_positions(nx.path_graph(3))
>>> sorted(positions) == [0, 1, 2] and all(len(p) == 2 for p in positions.values())
True
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

SPRING_LIMIT = 400
#: Pixels per unit of ideal edge length in the drawn network.
SPACING = 140


def spring_positions(graph: nx.Graph, seed: int = 7) -> dict:
    """x/y in pixels for every node of ``graph`` (directions and parallel edges ignored).

    Each connected component is laid out on its own and the components are then
    packed in rows, largest first, so that loose nodes do not squeeze the rest.
    """
    simple = nx.Graph(graph)
    simple.remove_edges_from(nx.selfloop_edges(simple))
    components = sorted((sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0])))
    return pack([component_positions(simple.subgraph(c), seed) for c in components])


def around_fixed(graph: nx.Graph, fixed: dict, seed: int = 7) -> dict:
    """Spring positions for the nodes not in ``fixed`` (x/y in pixels), the fixed ones kept where they are:
    the rest of a network laid out around a core drawn first (the whole structure around its bodies)."""
    simple = nx.Graph(graph)
    simple.remove_edges_from(nx.selfloop_edges(simple))
    if len(fixed) == simple.number_of_nodes():
        return dict(fixed)
    start = {n: (x / SPACING, y / SPACING) for n, (x, y) in fixed.items()}
    if simple.number_of_nodes() <= SPRING_LIMIT:
        raw = nx.spring_layout(simple, pos=start or None, fixed=list(start) or None, k=1.0, iterations=100, seed=seed)
        return {n: (float(x) * SPACING, float(y) * SPACING) for n, (x, y) in raw.items()}
    return grid_force_layout(simple, seed, fixed=start)


def component_positions(component: nx.Graph, seed: int) -> dict:
    n = component.number_of_nodes()
    if n == 1:
        return {next(iter(component)): (0.0, 0.0)}
    if n <= SPRING_LIMIT:
        raw = nx.spring_layout(component, seed=seed, iterations=100)
        scale = SPACING * math.sqrt(n) / (1.5 if n > 60 else 0.9)  # small neighbourhoods: room for their labels
        return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in raw.items()}
    return grid_force_layout(component, seed)


def pack(layouts: list[dict], margin: float = SPACING) -> dict:
    """Place laid-out components side by side in rows (shelf packing), largest first."""
    boxes = []
    for layout in layouts:
        xs, ys = [p[0] for p in layout.values()], [p[1] for p in layout.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + margin, max(ys) - min(ys) + margin))
    width = max([b[2] for b in boxes] + [math.sqrt(sum(b[2] * b[3] for b in boxes)) * 1.3], default=0)
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    for layout, (left, top, w, h) in zip(layouts, boxes):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in layout.items():
            positions[node] = (px - left + x, py - top + y)
        x, row_height = x + w, max(row_height, h)
    return positions


def grid_force_layout(simple: nx.Graph, seed: int = 7, iterations: int = 80, fixed: dict | None = None) -> dict:
    """Fruchterman-Reingold with repulsion cut off at 2k, vectorised with numpy; ``fixed`` nodes
    (positions in units of k) stay put."""
    nodes = list(simple)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * 1.5
    pos = rng.uniform(0, side, (n, 2))
    pinned = np.zeros(n, dtype=bool)
    if fixed:
        corner = np.array([min(p[0] for p in fixed.values()), min(p[1] for p in fixed.values())])
        pos = rng.uniform(0, side, (n, 2)) + corner
        for node, (x, y) in fixed.items():
            pos[index[node]], pinned[index[node]] = (x, y), True
    edges = np.array([(index[u], index[v]) for u, v in simple.edges()], dtype=np.int64).reshape(-1, 2)
    step, cooling = side / 8, (0.02) ** (1 / iterations)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        pairs = cKDTree(pos).query_pairs(2.0, output_type="ndarray")
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist2 = np.maximum((delta ** 2).sum(axis=1), 1e-4)
            push = delta / dist2[:, None]  # k^2/d along the unit vector, with k = 1
            disp += accumulate(pairs[:, 0], push, n) - accumulate(pairs[:, 1], push, n)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = delta * np.sqrt((delta ** 2).sum(axis=1))[:, None]  # d^2/k along the unit vector
            disp += accumulate(edges[:, 1], pull, n) - accumulate(edges[:, 0], pull, n)
        disp -= (pos - pos.mean(axis=0)) * 0.02  # gravity keeps separate components near each other
        disp[pinned] = 0.0
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, step)[:, None]
        step *= cooling
    pos = pos * SPACING
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos)}


def accumulate(index: np.ndarray, vectors: np.ndarray, n: int) -> np.ndarray:
    """Sum 2-D vectors per node (np.add.at, but several times faster)."""
    return np.column_stack([np.bincount(index, weights=vectors[:, 0], minlength=n),
                            np.bincount(index, weights=vectors[:, 1], minlength=n)])


def column_positions(columns: list[list], gap: float = 420, row: float = 70) -> dict:
    """Nodes in vertical columns, left to right, each column centred on y = 0."""
    positions = {}
    for c, column in enumerate(columns):
        top = -(len(column) - 1) * row / 2
        for r, node in enumerate(column):
            positions[node] = (c * gap, top + r * row)
    return positions


def top_down_levels(upward: nx.DiGraph) -> dict:
    """A level per node (0 = top) for edges that point upwards (from who answers to whom they answer).

    A node sits one level above the highest node that points up to it, counted
    from the bottom; nodes on a cycle share a level, so any graph gets levels.

    >>> top_down_levels(nx.DiGraph([("subgroup", "executive"), ("executive", "lead")]))
    {'subgroup': 2, 'executive': 1, 'lead': 0}
    """
    dag = nx.condensation(upward)
    height = {c: 0 for c in dag}
    for component in nx.topological_sort(dag):
        for above in dag.successors(component):
            height[above] = max(height[above], height[component] + 1)
    top = max(height.values(), default=0)
    return {node: top - height[dag.graph["mapping"][node]] for node in upward}


def layered_positions(graph: nx.Graph, levels: dict, per_row: int = 8, gap: float = 230,
                      level_gap: float = 190, row_gap: float = 110) -> dict:
    """x/y for a top-down hierarchy: one band per level, ordered to keep neighbours
    above each other (barycentre of the nodes already placed), and wrapped into rows
    of at most ``per_row`` so that a wide level stays readable.

    >>> layered_positions(nx.path_graph(2), {0: 0, 1: 1})
    {0: (0.0, 0.0), 1: (0.0, 190.0)}
    """
    undirected = nx.Graph(graph)
    order: dict = {}
    positions = {}
    y = 0.0
    for level in sorted(set(levels.values())):
        band = [n for n in levels if levels[n] == level]

        def barycentre(node):
            placed = [order[m] for m in undirected.neighbors(node) if m in order]
            return sum(placed) / len(placed) if placed else float("inf")

        band.sort(key=lambda n: (barycentre(n), str(graph.nodes[n].get("label", n)).casefold(), str(n)))
        for row_start in range(0, len(band), per_row):
            row = band[row_start:row_start + per_row]
            for i, node in enumerate(row):
                x = (i - (len(row) - 1) / 2) * gap
                positions[node] = (float(x), y)
                order[node] = x
            y += row_gap
        y += level_gap - row_gap
    return positions
