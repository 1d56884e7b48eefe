"""The SPARQL service description returned by ``GET /sparql`` with no query.

It states the endpoint, the result formats, the limits, and the default
dataset: without ``default-graph-uri``/``named-graph-uri`` the default graph
is the union of all named graphs (``sd:UnionDefaultGraph``), because every
fact lives in the named graph of the source passage that states it.
"""

from __future__ import annotations

import pyoxigraph as ox

from lscp_kg.service.formats import GRAPH_FORMATS, RESULT_FORMATS
from lscp_kg.service.limits import Limits
from lscp_kg.store import KnowledgeGraph

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
DESCRIPTION_PREFIXES = {"sd": SD, "void": VOID, "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                        "formats": "http://www.w3.org/ns/formats/"}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(kg: KnowledgeGraph, endpoint: str, limits: Limits) -> list[ox.Triple]:
    """Triples describing the endpoint at ``endpoint`` (an absolute URL)."""
    service, dataset, default_graph = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(service, RDFS_COMMENT, ox.Literal(
            "Read-only SPARQL 1.1 query endpoint. Without default-graph-uri or named-graph-uri the default graph "
            "is the union of all named graphs; each fact lives in the named graph of the source passage or "
            "citation that states it. SPARQL Update, LOAD and SERVICE are refused, and no query can make this "
            f"service contact another host. Limits: {limits.time_limit:g} s per query, at most "
            f"{limits.row_cap} rows or triples per answer (a cut answer has the header X-Truncated: true), "
            f"queries of at most {limits.max_query_length} characters and requests of at most "
            f"{limits.max_request_bytes} bytes.")),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"),
                  ox.Literal(str(kg.triple_count()),  # one COUNT on a remote store: never the whole graph
                             datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    for fmt in (*RESULT_FORMATS, *GRAPH_FORMATS):
        # pyoxigraph names JSON-LD https://www.w3.org/ns/formats/data/JSON-LD; W3C's list says http://.../JSON-LD
        iri = fmt.oxigraph.iri.replace("https://www.w3.org/ns/formats/data/", "http://www.w3.org/ns/formats/")
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(iri)))
    for graph in sorted(kg.named_graphs(), key=lambda g: g.value):
        named = ox.BlankNode()
        triples += [ox.Triple(dataset, _sd("namedGraph"), named), ox.Triple(named, _sd("name"), graph)]
    return triples
