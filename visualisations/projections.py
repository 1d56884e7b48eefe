"""The network projections of a loaded graph, each built once and shared by every page that draws or asks them.

Projecting the graph (:func:`.projection.project`) takes seconds on a large graph, so the explorer, the search
pages and the entity pages share one projection per partnership (and one of the whole graph), with what is
computed from it alone: the analyses' marks, the path view's choosers, the loaded partnerships. One
:class:`Projections` per store (:class:`lscp_kg.per_store.PerStore`): a graph loaded again gets fresh ones, and
the graph is read-only while it is served. What depends on a request (links under the service's mount point)
is not kept here.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> projections_for(kg).network() is projections_for(kg).network()
True
>>> list(projections_for(kg).partnerships().values())
['Lewisham Safeguarding Children Partnership']
"""

from __future__ import annotations

import threading
from typing import Callable

import networkx as nx

from lscp_kg.per_store import PerStore
from lscp_kg.scrutiny_partnerships import partnerships_in
from lscp_kg.search import index_for

from .chooser import chooser_groups
from .marks import marks_of
from .projection import project


class Projections:
    """One store's projections and what is computed from them, each built on first use."""

    def __init__(self, kg):
        self.kg, self.backend = kg, kg.backend
        self._built: dict[tuple, object] = {}
        self._lock = threading.RLock()  # re-entrant: the marks are built from the network, under the same lock

    def _once(self, key: tuple, build: Callable[[], object]):
        with self._lock:
            if key not in self._built:
                self._built[key] = build()
            return self._built[key]

    def network(self, partnership: str | None = None) -> nx.MultiDiGraph:
        """The projection of the whole graph, or of what one partnership's arrangements state."""
        return self._once(("network", partnership), lambda: project(self.kg, partnership))

    def marks(self, partnership: str | None = None) -> dict:
        """The analyses' marks on the nodes of that network (:func:`.marks.marks_of`)."""
        return self._once(("marks", partnership), lambda: marks_of(self.network(partnership)))

    def partnerships(self) -> dict[str, str]:
        """The loaded partnerships with their names (:func:`lscp_kg.scrutiny_partnerships.partnerships_in`)."""
        return self._once(("partnerships",), lambda: partnerships_in(self.kg))

    def picker_groups(self, partnership: str | None = None) -> list[dict]:
        """Every node of that network by kind and name (namesakes with their partnerships), for the path
        view's two pickers (:mod:`.chooser`)."""
        def build():
            graph = self.network(partnership)
            return chooser_groups(graph, index_for(self.kg).display_names(graph.nodes))
        return self._once(("picker-groups", partnership), build)


#: The projections of a loaded graph (one per store).
projections_for = PerStore(Projections)
