"""The ONE place that turns the RDF graph into networkx.

Nodes are the entities of the kinds in :data:`NODE_TYPES` (typed from their
``rdf:type`` through the ontology's ``rdfs:subClassOf`` hierarchy); edges are
the triples between them, keyed by relation, each with the source passages
(``GRAPH ?g { ?s ?p ?o } ?g prov:value ?quote``) that state it.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> graph = project(kg)
>>> graph.nodes[kg.iri("id/lewisham/body/mace")]["type"]
'subgroup'
>>> [d["relation"] for _, _, d in graph.out_edges(kg.iri("id/lewisham/body/mace"), data=True)
...  if d["relation"] == "org:reportsTo"]
['org:reportsTo', 'org:reportsTo']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from lscp_kg.labels import labels_for
from lscp_kg.namespaces import LSCP, ONTOLOGY_IRI, PREFIXES, curie
from lscp_kg.partnership_graphs import graph_owners, usable
from lscp_kg.store import KnowledgeGraph

from .neighbourhood import mark_hubs

ORG = PREFIXES["org"]
FOAF = PREFIXES["foaf"]


@dataclass(frozen=True)
class NodeType:
    key: str
    label: str
    classes: tuple[str, ...]


#: Kinds of node, in order of precedence: an entity takes the first kind any of
#: its classes (or their superclasses) belongs to. "partner organisation" is an
#: organisation that a partnership names as lscp:safeguardingPartner.
NODE_TYPES: tuple[NodeType, ...] = (
    NodeType("seat", "Seat", (LSCP + "Seat",)),
    NodeType("report step", "Report step", (LSCP + "ReportStep",)),
    NodeType("subgroup", "Subgroup", (LSCP + "Subgroup",)),
    NodeType("body", "Body", (LSCP + "Body",)),
    NodeType("partnership", "Partnership", (LSCP + "SafeguardingPartnership",)),
    NodeType("partner organisation", "Partner organisation", ()),
    NodeType("organisation", "Organisation", (ORG + "Organization",)),
    NodeType("group", "Group of people", (FOAF + "Group",)),
    NodeType("post", "Post", (ORG + "Post",)),
    NodeType("person", "Person", (FOAF + "Person",)),
    NodeType("priority", "Priority", (LSCP + "StrategicPriority", LSCP + "OverarchingPriority")),
    NodeType("legislation", "Legislation", (LSCP + "Legislation",)),
    NodeType("guidance", "Guidance", (LSCP + "Guidance",)),
    NodeType("report", "Report or document", (LSCP + "AnnualReport", LSCP + "InspectionReport",
                                              LSCP + "ArrangementsDocument", LSCP + "DocumentSeries")),
    NodeType("programme", "Programme", (LSCP + "Programme",)),
)
TYPE_LABELS = {t.key: t.label for t in NODE_TYPES}

_TYPES_QUERY = f"""
SELECT DISTINCT ?node ?class ?g WHERE {{
  GRAPH ?g {{ ?node a ?direct }}
  ?direct rdfs:subClassOf* ?class .
  FILTER (isIRI(?node) && ?g != <{ONTOLOGY_IRI}>)
}}"""
_PASSAGES_QUERY = """
SELECT DISTINCT ?g ?quote ?start ?end WHERE {
  { ?g prov:value ?quote OPTIONAL { ?g lscp:startLine ?start ; lscp:endLine ?end } }
  UNION { ?g a lscp:ExternalCitation ; dcterms:bibliographicCitation ?quote }
}"""
_EDGES_QUERY = f"""
SELECT DISTINCT ?s ?p ?o ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER (isIRI(?s) && isIRI(?o) && ?p != rdf:type && ?g != <{ONTOLOGY_IRI}> && ?s != ?g)
}}"""
_PARTNERS_QUERY = "SELECT DISTINCT ?org ?g WHERE { GRAPH ?g { ?partnership lscp:safeguardingPartner ?org } }"
_ROLES_QUERY = """
SELECT DISTINCT ?node ?role ?g WHERE { GRAPH ?g { ?node org:role ?role } }"""
#: Post holdings qualified in time ("the former Chair"): drawn as an edge from the person to the post.
_HOLDINGS_QUERY = """
SELECT DISTINCT ?person ?post ?status ?g WHERE {
  GRAPH ?g { ?holding lscp:holder ?person ; lscp:heldPost ?post }
  OPTIONAL { ?holding lscp:holdingStatus ?status }
}"""
_ORDER_QUERY = "SELECT ?node ?o ?g WHERE { GRAPH ?g { ?node lscp:stepOrder ?o } }"


def words_of(name: str) -> str:
    """'reportsTo' -> 'reports to': a readable relation name when the ontology gives none."""
    local = re.split(r"[#/:]", name)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def passage_record(iri: str, quote: str, start, end) -> dict:
    lines = "" if start is None else (f"{start}" if start == end else f"{start}-{end}")
    return {"passage": iri, "quote": quote, "lines": lines}


def project(kg: KnowledgeGraph, partnership: str | None = None) -> nx.MultiDiGraph:
    """The typed network of the graph: one node per entity of a known kind.

    ``partnership`` (an IRI) keeps what that partnership's arrangements state: only the statements of the graphs
    :mod:`lscp_kg.partnership_graphs` lets its answers use (its own and the common data), so that a police force
    or an ICB that many partnerships share brings none of the others' posts, seats or delegations into its picture.

    Node attributes: ``iri``, ``label``, ``type`` (a key of :data:`NODE_TYPES`),
    ``type_label``, ``role`` (labels of its org:role, if any), ``roles`` (their IRIs), ``order``
    (lscp:stepOrder of a report step), ``sources`` (passages that introduce it) and
    ``partnerships`` (the partnerships whose passages state it). Edge key =
    relation; edge attributes: ``relation`` (prefixed name), ``relation_iri``, ``relation_label``,
    ``sources`` (the passages stating it, each ``{passage, quote, lines}``). A post holding
    (lscp:PostHolding, current or former) is an edge ``lscp:heldPost`` from the person to the post.
    """
    allowed = (lambda g: True) if partnership is None else usable(kg, partnership)
    passages = read_passages(kg, allowed)
    graph = nx.MultiDiGraph(base_iri=kg.base_iri)
    typing_graphs = add_typed_nodes(kg, graph, passages, allowed)
    # The one name of lscp_kg.labels; drawn for one partnership, from its own graphs and the common data only.
    labels = {iri: name for iri, name in labels_for(kg).names(partnership=partnership).items() if name}
    for node, attrs in graph.nodes(data=True):
        attrs["label"] = labels.get(node) or words_of(node) or node
    add_roles(kg, graph, allowed, labels)
    add_step_orders(kg, graph, allowed)
    add_relations(kg, graph, passages, allowed, labels)
    add_holdings(kg, graph, passages, allowed, labels)
    owners = graph_owners(kg)
    for node, attrs in graph.nodes(data=True):
        attrs["partnerships"] = tuple(sorted({owners[g] for g in typing_graphs[node] if g in owners}))
        attrs["partnership_labels"] = tuple(labels.get(p, words_of(p)) for p in attrs["partnerships"])
    for _, _, attrs in graph.edges(data=True):
        attrs["sources"].sort(key=lambda source: source["passage"])
    mark_hubs(graph)
    return graph


def read_passages(kg: KnowledgeGraph, allowed) -> dict[str, dict]:
    """Each allowed passage or citation graph's record (:func:`passage_record`), by graph IRI."""
    passages: dict[str, dict] = {}
    for row in kg.query(_PASSAGES_QUERY):
        g, start, end = row["g"].value, row["start"], row["end"]
        if allowed(g):
            passages.setdefault(g, passage_record(g, row["quote"].value, start and int(start.value),
                                                  end and int(end.value)))
    return passages


def add_typed_nodes(kg: KnowledgeGraph, graph: nx.MultiDiGraph, passages: dict, allowed) -> dict[str, set[str]]:
    """A node for each entity of a kind in :data:`NODE_TYPES` (not yet named); returns the graphs typing each."""
    classes: dict[str, set[str]] = {}
    typing_graphs: dict[str, set[str]] = {}
    for row in kg.query(_TYPES_QUERY):
        if allowed(row["g"].value):
            node = row["node"].value
            classes.setdefault(node, set()).add(row["class"].value)
            typing_graphs.setdefault(node, set()).add(row["g"].value)
    partners = {row["org"].value for row in kg.query(_PARTNERS_QUERY) if allowed(row["g"].value)}
    for node, node_classes in classes.items():
        kind = node_type(node_classes, node in partners)
        if kind:
            sources = [passages[g] for g in sorted(typing_graphs[node]) if g in passages]
            graph.add_node(node, iri=node, label=None, type=kind, type_label=TYPE_LABELS[kind], role="", roles=(),
                           sources=sources)
    return typing_graphs


def add_roles(kg: KnowledgeGraph, graph: nx.MultiDiGraph, allowed, labels: dict) -> None:
    """Each node's org:role: ``role`` their names (joined), ``roles`` their IRIs."""
    for row in kg.query(_ROLES_QUERY):
        if row["node"].value in graph and allowed(row["g"].value):
            attrs = graph.nodes[row["node"].value]
            role = labels.get(row["role"].value) or words_of(row["role"].value)
            attrs["role"] = ", ".join(sorted({*filter(None, attrs["role"].split(", ")), role}))
            attrs["roles"] = tuple(sorted({*attrs["roles"], row["role"].value}))


def add_step_orders(kg: KnowledgeGraph, graph: nx.MultiDiGraph, allowed) -> None:
    """A report step's ``order``: the least lscp:stepOrder stated of it."""
    for row in kg.query(_ORDER_QUERY):
        node = row["node"].value
        if node in graph and allowed(row["g"].value):
            order = int(row["o"].value)
            graph.nodes[node]["order"] = min(order, graph.nodes[node].get("order", order))


def add_relations(kg: KnowledgeGraph, graph: nx.MultiDiGraph, passages: dict, allowed, labels: dict) -> None:
    """An edge per relation between two nodes, with the passages stating it."""
    for row in kg.query(_EDGES_QUERY):
        s, p, o, g = row["s"].value, row["p"].value, row["o"].value, row["g"].value
        if s not in graph or o not in graph or not allowed(g):
            continue
        key = curie(p)
        if not graph.has_edge(s, o, key):
            graph.add_edge(s, o, key=key, relation=key, relation_iri=p,
                           relation_label=labels.get(p) or words_of(p), sources=[])
        if g in passages:
            graph.edges[s, o, key]["sources"].append(passages[g])


def add_holdings(kg: KnowledgeGraph, graph: nx.MultiDiGraph, passages: dict, allowed=lambda g: True,
                 labels: dict | None = None) -> None:
    """Person -> post edges for the post holdings, labelled with their status ("former"), named by ``labels``
    (the names of :mod:`lscp_kg.labels`; all of them when not given)."""
    labels = labels_for(kg).names() if labels is None else labels
    for row in kg.query(_HOLDINGS_QUERY):
        person, post, g = row["person"].value, row["post"].value, row["g"].value
        if person not in graph or post not in graph or not allowed(g):
            continue
        status = (labels.get(row["status"].value) or words_of(row["status"].value)) if row["status"] is not None else ""
        label = "formerly held" if status.lower().startswith("former") else (
            "holds (" + status.lower() + ")" if status else "holds")
        if not graph.has_edge(person, post, "lscp:heldPost"):
            graph.add_edge(person, post, key="lscp:heldPost", relation="lscp:heldPost", relation_iri=LSCP + "heldPost",
                           relation_label=label, sources=[])
        if g in passages:
            graph.edges[person, post, "lscp:heldPost"]["sources"].append(passages[g])


LEAD_REPRESENTATIVE_ROLE = LSCP + "LeadRepresentativeRole"


def accountability_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Who answers to whom: an edge per step of the accountability relation, pointing upwards.

    The steps are those of queries/accountability-chain.rq: ``(org:reportsTo | ^org:organization/lscp:seatPost |
    org:holds | ^lscp:delegatesTo)*``, then ``lscp:accountableFor`` from a lead representative's post to its
    agency, which ends the chain. A body reaches the posts that hold its seats (``^org:organization/lscp:seatPost``)
    and a delegated officer's post reaches the lead representative's post that
    delegated to it (``^lscp:delegatesTo``, named lscp:delegatedBy).
    """
    steps = nx.MultiDiGraph()
    steps.add_nodes_from(graph.nodes(data=True))

    def step(source, target, relation, sources):
        steps.add_edge(source, target, key=relation, relation=relation, relation_label=words_of(relation),
                       sources=sources)

    for s, o, key, attrs in graph.edges(keys=True, data=True):
        if key in ("org:reportsTo", "org:holds", "lscp:accountableFor"):
            step(s, o, key, attrs["sources"])
        elif key == "lscp:delegatesTo":
            step(o, s, "lscp:delegatedBy", attrs["sources"])
        elif key == "org:organization" and graph.nodes[s]["type"] == "seat":
            for _, post, seat_key, seat_attrs in graph.out_edges(s, keys=True, data=True):
                if seat_key == "lscp:seatPost":
                    step(o, post, "lscp:seatPost", seat_attrs["sources"])
    return steps


def is_lead_representative(graph: nx.MultiDiGraph, node: str) -> bool:
    return LEAD_REPRESENTATIVE_ROLE in graph.nodes[node].get("roles", ())


def node_type(node_classes: set[str], is_partner: bool) -> str | None:
    """The first kind in :data:`NODE_TYPES` that the classes belong to.

    >>> node_type({ORG + "Organization"}, is_partner=True)
    'partner organisation'
    >>> node_type({LSCP + "Subgroup", LSCP + "Body", ORG + "Organization"}, is_partner=False)
    'subgroup'
    """
    for kind in NODE_TYPES:
        if kind.key == "partner organisation":
            if is_partner and ORG + "Organization" in node_classes:
                return kind.key
        elif node_classes.intersection(kind.classes):
            return kind.key
    return None


def quote_text(sources: list[dict]) -> str:
    """All the passages of a node or edge as one plain text, each with its lines."""
    return "\n\n".join(f"[{s['lines']}] {s['quote']}" if s["lines"] else s["quote"] for s in sources)


def graph_for_graphml(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values are strings, as GraphML (Gephi, yEd) needs."""
    flat = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(node, label=attrs["label"], type=attrs["type"], type_label=attrs["type_label"],
                      iri=attrs["iri"], role=attrs["role"], quote=quote_text(attrs["sources"]),
                      passages=" ".join(s["passage"] for s in attrs["sources"]))
    for s, o, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, relation=attrs["relation"], relation_iri=attrs["relation_iri"],
                      label=attrs["relation_label"], quote=quote_text(attrs["sources"]),
                      passages=" ".join(src["passage"] for src in attrs["sources"]))
    return flat


def graphml_bytes(kg: KnowledgeGraph) -> bytes:
    """The projection as GraphML, for Gephi or yEd users."""
    return "\n".join(nx.generate_graphml(graph_for_graphml(project(kg)))).encode("utf-8") + b"\n"
