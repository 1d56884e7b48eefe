"""Serialise the whole graph, keeping provenance in every format.

>>> from lscp_kg.store import load_knowledge_graph
>>> b"prov:wasDerivedFrom" in export_graph(load_knowledge_graph(), ox.RdfFormat.TURTLE)
True
"""

from __future__ import annotations

import pyoxigraph as ox

from .store import KnowledgeGraph

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


def reified_provenance(kg: KnowledgeGraph):
    """For Turtle: each fact of a named graph as an rdf:Statement derived from that graph."""
    rdf = {name: ox.NamedNode(RDF + name) for name in ("type", "Statement", "subject", "predicate", "object")}
    for quad in kg.quads():
        if not isinstance(quad.graph_name, ox.NamedNode):
            continue
        statement = ox.BlankNode()
        yield ox.Triple(statement, rdf["type"], rdf["Statement"])
        yield ox.Triple(statement, rdf["subject"], quad.subject)
        yield ox.Triple(statement, rdf["predicate"], quad.predicate)
        yield ox.Triple(statement, rdf["object"], quad.object)
        yield ox.Triple(statement, PROV_DERIVED, quad.graph_name)


def export_graph(kg: KnowledgeGraph, fmt: ox.RdfFormat) -> bytes:
    """The graph as bytes in ``fmt``; dataset formats keep the named graphs."""
    from .namespaces import PREFIXES

    if fmt.supports_datasets:
        return ox.serialize(kg.quads(), format=fmt,
                            prefixes=PREFIXES if fmt == ox.RdfFormat.TRIG else None)
    union = {q.triple for q in kg.quads()}
    return ox.serialize(list(union) + list(reified_provenance(kg)), format=fmt, prefixes=PREFIXES)
