"""Which graphs an answer about one partnership may use: the one rule, and whose each graph is.

A graph belongs to the partnership its ``lscp:partnershipContext`` names (a source passage or a citation
states it of its own graph; the shapes allow one); a graph with none is the common data (legislation, shared
citations). An answer about partnership P uses P's own graphs and the common data, never another
partnership's, so that adding a partnership never changes another's answers (see lscp:partnershipContext in
``ontology/lscp.ttl``). The network view, the names of :mod:`lscp_kg.labels`, the entity pages
(``service/scoping.py``) and scrutiny all ask this module; an answer about no partnership in particular
(``partnership=None`` where a caller allows it) is the caller's choice, not a second rule.

>>> may_use(None, "P"), may_use("P", "P"), may_use("Q", "P"), may_use("Q", None)
(True, True, False, False)
>>> from lscp_kg.store import load_knowledge_graph
>>> owners = graph_owners(load_knowledge_graph())
>>> sorted(set(owners.values()))
['https://lscp-kg.example.org/id/partnership/lewisham']
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from .namespaces import LSCP
from .per_store import PerStore

PARTNERSHIP_CONTEXT = ox.NamedNode(LSCP + "partnershipContext")


def may_use(owner: str | None, partnership: str | None) -> bool:
    """True when an answer about ``partnership`` may use a graph whose owner is ``owner`` (None: the common
    data): the partnership's own graphs and the common data."""
    return owner is None or owner == partnership


class GraphOwners:
    """Each partnership's graphs of one store, read once (the graph is read-only while it is served)."""

    def __init__(self, kg):
        self.backend = kg.backend
        self.owners: dict[str, str] = {
            q.subject.value: q.object.value for q in kg.statements(None, PARTNERSHIP_CONTEXT, None, None)
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)}


_owners_for = PerStore(GraphOwners)


def graph_owners(kg) -> dict[str, str]:
    """Graph IRI -> the partnership it belongs to, for every graph that belongs to one."""
    return _owners_for(kg).owners


def owner_of(kg, graph) -> str | None:
    """The partnership a graph (an IRI, a named node or the default graph) belongs to; None for the common data."""
    if isinstance(graph, ox.DefaultGraph) or graph is None:
        return None
    return graph_owners(kg).get(graph if isinstance(graph, str) else graph.value)


def usable(kg, partnership: str | None):
    """``graph -> bool``: :func:`may_use` for one partnership's answer, each graph given as an IRI or a node."""
    return lambda graph: may_use(owner_of(kg, graph), partnership)


def owners_of(kg, graphs: Iterable[str]) -> dict[str, set[str]]:
    """For each of these graphs that belongs to a partnership, ``{that partnership}`` (evidence graphs of a
    scrutiny row); graphs of the common data are left out."""
    owners = graph_owners(kg)
    return {g: {owners[g]} for g in sorted(set(graphs)) if g in owners}
