"""The analyses drawn on the pictures: which nodes carry which mark, and how a mark looks.

A mark comes from a check of :mod:`.analysis` (so the picture and ``lscp-kg
analyse`` always agree); ``highlighted`` marks the entities a view was asked
about (``?iri=a&iri=b``, a finding's entities). To add a mark: add a
:class:`Mark` to :data:`MARKS` and the nodes it marks in :func:`marks_of`; the
legend, the details panel, the tooltips, the text alternative and the SVG
export all read them from here.

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.visualisations.projection import project
>>> graph = project(load_knowledge_graph())
>>> marks = marks_of(graph)
>>> marks[graph.graph["base_iri"] + "id/lewisham/body/mace"]
[]
>>> sorted({m for ms in marks.values() for m in ms})[:2]
['dead-end', 'no-holder']
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .analysis import accountability_dead_ends, bodies_without_reporting_line, posts_without_holder, reporting_cycles
from .projection import accountability_graph


@dataclass(frozen=True)
class Mark:
    key: str
    label: str
    colour: str  # the border drawn around a marked node
    dashes: bool  # dashed border (told apart from another mark without relying on colour)
    symbol: str  # shown before the label in the panel, the text alternative and the legend


#: In order of precedence: a node with several marks is drawn with the first.
MARKS = (
    Mark("highlighted", "Asked about (highlighted)", "#000000", False, "◉"),
    Mark("reporting-cycle", "On a reporting cycle", "#6a1b9a", False, "↻"),
    Mark("no-reporting-line", "Body with no reporting line", "#e65100", True, "⊘"),
    Mark("dead-end", "Accountability stops here (not a lead representative)", "#d50000", True, "⚠"),
    Mark("no-holder", "Post with no holder named", "#ad1457", True, "∅"),
)
MARK_BY_KEY = {m.key: m for m in MARKS}


def marks_of(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Each node's marks from the analyses (``highlighted`` is added per view)."""
    marked: dict[str, set[str]] = {n: set() for n in graph}
    for finding in accountability_dead_ends(graph, accountability_graph(graph)):
        marked[finding["entities"][0]].add("dead-end")
    for finding in reporting_cycles(graph):
        for node in finding["entities"]:
            marked[node].add("reporting-cycle")
    for finding in bodies_without_reporting_line(graph):
        marked[finding["entities"][0]].add("no-reporting-line")
    for finding in posts_without_holder(graph):
        marked[finding["entities"][0]].add("no-holder")
    return {n: [m.key for m in MARKS if m.key in keys] for n, keys in marked.items()}
