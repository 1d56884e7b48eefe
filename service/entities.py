"""Entity pages: every IRI of the graph resolves in the service.

``/id/<path>`` is the IRI ``<base>id/<path>``; ``/entity?iri=...`` any other IRI.
People get HTML (label, types, every statement in and out as links, each with
the source quote or citation that states it); programs get Turtle, JSON-LD,
N-Triples, RDF/XML, or TriG/N-Quads (which keep each fact's source graph),
by ``Accept`` or ``?format=``. An IRI the graph does not use answers 404.
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, render_template

from lscp_kg.labels import labels_for
from lscp_kg.namespaces import ONTOLOGY_IRI, PREFIXES
from lscp_kg.service.entity_page import folded, page_model
from lscp_kg.service.errors import HttpError, one_value
from lscp_kg.service.formats import HTML, PAGE_FORMATS, choose_format
from lscp_kg.service.page_urls import own_iri
from lscp_kg.service.state import service_state
from lscp_kg.source_texts import sources_for

bp = Blueprint("entities", __name__)

STATEMENT_CAP = 2000  # per direction; a page is for reading
RDF_TYPE = PREFIXES["rdf"] + "type"
PROV_VALUE, CITATION = ox.NamedNode(PREFIXES["prov"] + "value"), ox.NamedNode(PREFIXES["dcterms"] + "bibliographicCitation")
START, END = ox.NamedNode(PREFIXES["lscp"] + "startLine"), ox.NamedNode(PREFIXES["lscp"] + "endLine")


def _first(iterator):
    return next(iter(iterator), None)


class EntityView:
    """The statements about one IRI, with labels and sources looked up once each."""

    def __init__(self, kg, node: ox.NamedNode):
        self.kg, self.node = kg, node
        self.outgoing = list(islice(kg.statements(node, None, None, None), STATEMENT_CAP + 1))
        self.incoming = list(islice(kg.statements(None, None, node, None), STATEMENT_CAP + 1))
        self.in_graph = list(islice(kg.statements(None, None, None, node), STATEMENT_CAP + 1))
        self.as_property = _first(kg.statements(None, node, None, None)) is not None
        self._sources: dict = {}

    def exists(self) -> bool:
        return bool(self.outgoing or self.incoming or self.in_graph or self.as_property)

    def truncated(self) -> bool:
        return any(len(q) > STATEMENT_CAP for q in (self.outgoing, self.incoming, self.in_graph))

    def label(self, term) -> str | None:
        """The term's name from the one label lookup; a passage without one is named by its lines."""
        if not isinstance(term, ox.NamedNode):
            return None
        name = labels_for(service_state().kg).label(term.value)
        if name is None:
            passage = sources_for(service_state().kg).passage(term.value)
            if passage is not None:  # by its words, never its IRI: "Lines 275–277 of Our Partnership Arrangements"
                lines = f"Line {passage.start}" if passage.start == passage.end else f"Lines {passage.start}–{passage.end}"
                document = sources_for(service_state().kg).document(passage.document)
                name = f"{lines} of {document.title or document.label}" if document else lines
        return name

    def source(self, graph) -> dict:
        """The passage quote, citation or ontology a statement's graph stands for."""
        if graph not in self._sources:
            if isinstance(graph, ox.DefaultGraph):
                info = {"iri": None, "text": "(no source recorded: default graph)"}
            elif graph.value == ONTOLOGY_IRI:
                info = {"iri": graph.value, "text": "the lscp ontology", "ontology": True}
            else:
                def value(p):
                    quad = _first(self.kg.statements(graph, p, None, graph))
                    return quad.object.value if quad else None
                start, end = value(START), value(END)
                info = {"iri": graph.value, "quote": value(PROV_VALUE), "citation": value(CITATION),
                        "lines": (f"line {start}" if start == end else f"lines {start}-{end}") if start else None,
                        "label": self.label(graph)}
            self._sources[graph] = info
        return self._sources[graph]

    def term(self, term) -> dict:
        if isinstance(term, ox.NamedNode):
            return {"iri": term.value, "label": self.label(term)}
        if isinstance(term, ox.BlankNode):
            return {"text": f"_:{term.value}"}
        if isinstance(term, ox.Literal):
            return {"text": term.value, "language": term.language,
                    "datatype": None if term.language else term.datatype.value}
        return {"text": str(term)}

    def quads(self) -> list[ox.Quad]:
        """The statements in and out, plus each source's description of itself (for TriG/N-Quads)."""
        quads = self.outgoing[:STATEMENT_CAP] + self.incoming[:STATEMENT_CAP]
        graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)} - {ox.NamedNode(ONTOLOGY_IRI)}
        for graph in graphs:
            quads += list(islice(self.kg.statements(graph, None, None, graph), 50))
        return list(dict.fromkeys(quads))


def reading_order(statement: dict) -> tuple:
    """Statements in the order a person reads them (and the same on every store): subject, relation, value."""
    def name(term):
        return (term.get("label") or term.get("text") or term.get("iri") or "").casefold()
    return name(statement["subject"]), statement["relation"], name(statement["object"])


def entity_answer(iri: str):
    try:
        node = ox.NamedNode(iri)
    except ValueError as error:
        raise HttpError(400, f"iri: {iri!r} is not an absolute IRI ({error})") from None
    view = EntityView(service_state().kg, node)
    if not view.exists():
        raise HttpError(404, f"The graph does not use the IRI {iri}.")
    fmt = choose_format(PAGE_FORMATS)
    if fmt is HTML:
        types = [view.term(q.object) for q in view.outgoing if q.predicate.value == RDF_TYPE]
        types = list({t["iri"]: t for t in types}.values())
        labels = labels_for(service_state().kg)
        in_graph = sorted(({"subject": view.term(q.subject), "relation": labels.relation(q.predicate.value),
                            "object": view.term(q.object)} for q in view.in_graph[:STATEMENT_CAP] if q.subject != node),
                          key=reading_order)
        shown, more = folded(in_graph)
        body = render_template("entity.html", iri=iri, label=view.label(node), types=types,
                               model=page_model(view, iri, types), in_graph={"shown": shown, "more": more},
                               as_property=view.as_property, truncated=view.truncated(), cap=STATEMENT_CAP)
        response = Response(body, mimetype="text/html")
    elif fmt.kind == "dataset":
        response = Response(ox.serialize(view.quads(), format=fmt.oxigraph,
                                         prefixes=fmt.prefixes(PREFIXES)), mimetype=fmt.media_type)
    else:
        triples = list(dict.fromkeys(q.triple for q in view.quads() if q.subject == node or q.object == node))
        response = Response(ox.serialize(triples, format=fmt.oxigraph,
                                         prefixes=fmt.prefixes(PREFIXES)),
                            mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response


@bp.get("/id/<path:rest>")
def by_path(rest: str):
    return entity_answer(own_iri(rest))


@bp.get("/entity")
def by_iri():
    return entity_answer(one_value("iri", "/entity?iri=<absolute IRI>"))
