"""What an entity's page shows: its statements grouped by relation in plain English (outgoing
"reports to: ...", incoming "is reported to by: ..."), each distinct quote once with the
statements that rest on it, a passage's own lines in their surrounding text, the network view,
and the questions that take such an entity as a parameter.
"""

from __future__ import annotations

import pyoxigraph as ox

from lscp_kg.labels import labels_for
from lscp_kg.namespaces import LSCP, ONTOLOGY_IRI, PREFIXES
from lscp_kg.service.page_urls import quote_url, source_url
from lscp_kg.service.result_tables import natural_key  # "seat 2" before "seat 10", as in the answers' tables
from lscp_kg.service.search_pages import network_url
from lscp_kg.service.state import service_state
from lscp_kg.service.suggestions import questions_with_answers
from lscp_kg.source_texts import sources_for

RDF_TYPE = PREFIXES["rdf"] + "type"
#: Statements the page shows elsewhere (the heading, the kinds, the passage's own text and span).
SHOWN_ELSEWHERE = {RDF_TYPE, PREFIXES["rdfs"] + "label", PREFIXES["prov"] + "value", LSCP + "startLine", LSCP + "endLine"}
CONTEXT_LINES = 3
#: A group of more than FEW_VALUES + 2 values shows FEW_VALUES and folds the rest behind "Show all N" (issue 17:
#: short pages on a phone); the sources list folds the same way.
FEW_VALUES = 3
FEW_SOURCES = 3  # a source shows its whole quote: fewer fit on a phone
#: Relations a page says once: the incoming one's values join the outgoing group, worded as the incoming one
#: (a person "holds" posts, and "holds or held" them through post holdings: one group, "holds or held").
MERGED_INTO = {LSCP + "holder": PREFIXES["org"] + "holds"}
#: Statements a person does not read unopened: codes (a requirement's "RR"), shown under "Technical details".
TECHNICAL = {PREFIXES["dcterms"] + "identifier"}


class Citations:
    """Each distinct source of the page's statements, numbered once, with the statements on it."""

    def __init__(self, view, own: str):
        self.view, self.own, self.by_graph = view, own, {}

    def cite(self, graph, statement: str) -> dict | None:
        if isinstance(graph, ox.DefaultGraph):
            key = None
        else:
            key = graph.value
        if key == self.own:  # a passage's own statements: its text is shown in context above
            return None
        entry = self.by_graph.get(key)
        if entry is None:
            info = self.view.source(graph)
            entry = self.by_graph[key] = dict(info, number=len(self.by_graph) + 1, statements=[],
                                              href=quote_url(key) if key and key != ONTOLOGY_IRI else None)
        if statement not in entry["statements"]:
            entry["statements"].append(statement)
        return entry

    def renumber(self, groups: list[dict]) -> list[dict]:
        """Number the sources in reading order (source document, line, IRI), whatever order the store gave the
        statements in, and the notes of ``groups`` to match; returns the sources in that order."""
        sources = sources_for(service_state().kg)

        def place(entry):
            passage = sources.passage(entry.get("iri"))
            return (passage is None, passage.document if passage else "", passage.start if passage else 0,
                    passage.end if passage else 0, entry.get("iri") or "")

        ordered = sorted(self.by_graph.values(), key=place)
        numbers = {entry["number"]: n for n, entry in enumerate(ordered, 1)}
        for n, entry in enumerate(ordered, 1):
            entry["number"] = n
            entry["statements"].sort()
        for group in groups:
            for value in group["values"]:
                value["notes"] = sorted(numbers[old] for old in value["notes"])
        return ordered


def grouped(view, quads, other: str, inverse: bool, citations: Citations, name: str) -> list[dict]:
    """Statements grouped by relation: ``[{"relation", "values": [{term, notes: [citation numbers]}]}]``."""
    labels = labels_for(service_state().kg)
    groups: dict[str, dict] = {}
    for quad in quads:
        if quad.predicate.value in SHOWN_ELSEWHERE and not inverse:
            continue
        relation = labels.inverse(quad.predicate.value) if inverse else labels.relation(quad.predicate.value)
        group = groups.setdefault(quad.predicate.value, {"relation": relation, "iri": quad.predicate.value, "values": {}})
        term = view.term(getattr(quad, other))
        key = term.get("iri") or term.get("text")
        value = group["values"].setdefault(key, {"term": term, "notes": []})
        shown = term.get("label") or term.get("text") or term.get("iri")
        forward = labels.relation(quad.predicate.value)
        if quad.graph_name == quad.subject:  # a passage describing itself: its page shows its text
            continue
        entry = citations.cite(quad.graph_name, f"{shown} {forward} {name}" if inverse else f"{name} {forward} {shown}")
        if entry and entry["number"] not in value["notes"]:
            value["notes"].append(entry["number"])
    result = [dict(g, values=sorted(g["values"].values(), key=lambda v: natural_key(_value_name(v))))
              for g in groups.values()]
    return sorted(result, key=lambda g: g["relation"])


def folded(items: list, few: int = FEW_VALUES) -> tuple[list, list]:
    """The items shown and those folded: all shown unless more than two would be folded.

    >>> folded(list(range(5)))
    ([0, 1, 2, 3, 4], [])
    >>> folded(list(range(6)))
    ([0, 1, 2], [3, 4, 5])
    """
    return (items, []) if len(items) <= few + 2 else (items[:few], items[few:])


def with_folds(groups: list[dict]) -> list[dict]:
    """Each group with ``shown`` and ``more`` (its values folded behind "Show all N")."""
    for group in groups:
        group["shown"], group["more"] = folded(group["values"])
    return groups


def merge_relations(outgoing: list[dict], incoming: list[dict]) -> tuple[list[dict], list[dict]]:
    """Say a relation once per page (``MERGED_INTO``): an incoming group whose relation has an outgoing
    counterpart on this page joins it, under the incoming wording, its values in the same order."""
    by_iri = {group["iri"]: group for group in outgoing}
    kept = []
    for group in incoming:
        target = by_iri.get(MERGED_INTO.get(group["iri"], ""))
        if target is None:
            kept.append(group)
            continue
        target["relation"] = group["relation"]
        target["values"] = sorted(target["values"] + group["values"], key=lambda v: natural_key(_value_name(v)))
    return sorted(outgoing, key=lambda g: g["relation"]), kept


def _value_name(value: dict) -> str:
    term = value["term"]
    return term.get("label") or term.get("text") or term.get("iri") or ""


def passage_context(iri: str) -> dict | None:
    """A passage's lines inside the lines around them, and the link to the whole source."""
    sources = sources_for(service_state().kg)
    passage = sources.passage(iri)
    if passage is None:
        return None
    lines = sources.lines(passage.document) or []
    first, last = max(1, passage.start - CONTEXT_LINES), min(len(lines), passage.end + CONTEXT_LINES)
    document = sources.document(passage.document)
    return {"start": passage.start, "end": passage.end, "document": document,
            "lines": [{"number": n, "text": lines[n - 1], "marked": passage.start <= n <= passage.end}
                      for n in range(first, last + 1)],
            "href": source_url(passage.document, passage.start, passage.end)}


def page_model(view, iri: str, types: list[dict]) -> dict:
    """Everything ``entity.html`` shows besides the heading."""
    name = view.label(view.node) or iri
    citations = Citations(view, iri)
    outgoing = grouped(view, view.outgoing, "object", False, citations, name)
    incoming = grouped(view, view.incoming, "subject", True, citations, name)
    cited = citations.renumber(outgoing + incoming)
    outgoing, incoming = merge_relations(outgoing, incoming)
    technical = [g for g in outgoing if g["iri"] in TECHNICAL]
    outgoing = [g for g in outgoing if g["iri"] not in TECHNICAL]
    shown_sources, more_sources = folded(cited, FEW_SOURCES)
    return {"outgoing": with_folds(outgoing), "incoming": with_folds(incoming), "citations": cited,
            "technical": technical, "sources_shown": shown_sources, "sources_more": more_sources,
            "context": passage_context(iri), "network": network_url(iri),
            "questions": questions_with_answers(iri)}
