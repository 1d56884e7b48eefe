"""The graphs a page about one partnership may read facts from, and those facts in words.

The project's scoping rule (:mod:`lscp_kg.partnership_graphs`): a fact about partnership P is taken
only from a graph whose ``lscp:partnershipContext`` is P, or from a graph no partnership owns (the
shared data: legislation, common citations). A page that names no partnership while only one is loaded
reads that one's graphs; with several loaded and none named it reads the shared data alone,
so that adding a partnership never changes what another's pages say.
"""

from __future__ import annotations

import pyoxigraph as ox

from lscp_kg.labels import labels_for
from lscp_kg.namespaces import LSCP, PREFIXES
from lscp_kg.partnership_graphs import graph_owners, may_use, owner_of
from lscp_kg.service.page_urls import entity_url, quote_url
from lscp_kg.service.state import service_state

CITATION = ox.NamedNode(PREFIXES["dcterms"] + "bibliographicCitation")
TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
PASSAGE = ox.NamedNode(LSCP + "SourcePassage")


def partnerships() -> list[str]:
    """Every partnership some graph says it belongs to."""
    return sorted(set(graph_owners(service_state().kg).values()))


def entity_types(iri: str) -> list[str]:
    """The classes an entity is stated to be (in any graph: a kind is not a partnership's fact)."""
    return sorted({q.object.value for q in service_state().kg.statements(ox.NamedNode(iri), TYPE, None, None)
                   if isinstance(q.object, ox.NamedNode)})


class Scope:
    """The graphs one partnership's pages read (see the module docstring)."""

    def __init__(self, partnership: str | None = None):
        known = partnerships()
        self.partnership = partnership or (known[0] if len(known) == 1 else None)
        self.kg = service_state().kg
        self.labels = labels_for(self.kg)

    def context(self, graph) -> str | None:
        """The partnership a graph belongs to (None: the shared data)."""
        return owner_of(self.kg, graph)

    def allows(self, graph) -> bool:
        """True for the partnership's own graphs and graphs no partnership owns (with no partnership: those only)."""
        return may_use(owner_of(self.kg, graph), self.partnership)

    def statements_about(self, iri: str, skip: frozenset | set = frozenset()):
        """(quad, outgoing) for the entity's statements the scope allows, but those of the properties in ``skip``:
        its own first, then those naming it."""
        node = ox.NamedNode(iri)
        for quad in self.kg.statements(node, None, None, None):
            if quad.predicate.value not in skip and self.allows(quad.graph_name):
                yield quad, True
        for quad in self.kg.statements(None, None, node, None):
            if quad.predicate.value not in skip and quad.subject != node and self.allows(quad.graph_name):
                yield quad, False

    def values(self, iri: str, predicate: str, outgoing: bool = True) -> list:
        """The terms related to an entity by one property, in the allowed graphs (objects, or subjects
        when ``outgoing`` is False)."""
        node, prop = ox.NamedNode(iri), ox.NamedNode(predicate)
        quads = self.kg.statements(node, prop, None, None) if outgoing else self.kg.statements(None, prop, node, None)
        return [q.object if outgoing else q.subject for q in quads if self.allows(q.graph_name)]

    def name(self, term) -> dict:
        """``{"text", "href"}`` for an entity (its name, its page) or a value (its text, no link)."""
        if isinstance(term, str) or isinstance(term, ox.NamedNode):
            iri = term if isinstance(term, str) else term.value
            return {"text": self.labels.label(iri) or "an unnamed entity", "href": entity_url(iri)}
        return {"text": term.value if isinstance(term, ox.Literal) else "something unnamed", "href": None}

    def source_of(self, graph) -> dict:
        """Where a statement is made, in words: the arrangements (with their lines), a cited source
        (with its citation), or the shared data."""
        if isinstance(graph, ox.DefaultGraph):
            return {"text": "the shared data", "href": None}
        citations = [q.object.value for q in self.kg.statements(graph, CITATION, None, None)]
        if citations:
            return {"text": f"a cited source: {citations[0]}", "href": None}
        if any(True for _ in self.kg.statements(graph, TYPE, PASSAGE, None)):
            return {"text": "the arrangements", "href": quote_url(graph.value)}
        return {"text": "the shared data" if self.context(graph) is None else "the partnership's data", "href": None}
