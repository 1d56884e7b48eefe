"""Look-ups the scrutiny runner needs: labels, evidence graphs and requirements.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> graphs = describe_graphs(kg, {kg.iri("id/lewisham/passage/L119")})
>>> graphs[kg.iri("id/lewisham/passage/L119")]["start_line"]
119
>>> requirements_in(kg)[kg.iri("id/requirement/sp-def")]["severity"]
'must'
"""

from __future__ import annotations

from typing import Iterable

from .store import KnowledgeGraph


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(iris))


def labels_of(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, str]:
    """The rdfs:label of each IRI that has one (the first, in sorted order, if several)."""
    iris = set(iris)
    if not iris:
        return {}
    labels: dict[str, str] = {}
    for row in kg.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {_values(iris)} }} ?x rdfs:label ?l }} ORDER BY ?x ?l"):
        labels.setdefault(row["x"].value, row["l"].value)
    return labels


def describe_graphs(kg: KnowledgeGraph, graphs: Iterable[str]) -> dict[str, dict]:
    """Each evidence graph: a source passage (quote, line span, source) or an external citation."""
    graphs = set(graphs)
    if not graphs:
        return {}
    described: dict[str, dict] = {}
    rows = kg.query(f"""SELECT ?g ?quote ?start ?end ?source ?citation ?label WHERE {{
        VALUES ?g {{ {_values(graphs)} }}
        GRAPH ?g {{ ?g a ?kind . VALUES ?kind {{ lscp:SourcePassage lscp:ExternalCitation }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g prov:value ?quote }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g lscp:startLine ?start ; lscp:endLine ?end }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g lscp:source ?source }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g dcterms:bibliographicCitation ?citation }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g rdfs:label ?label }} }}
    }}""")
    for row in rows:
        value = lambda name: row[name].value if row[name] is not None else None  # noqa: E731
        described.setdefault(row["g"].value, {
            "graph": row["g"].value,
            "kind": "passage" if row["quote"] is not None else "citation",
            "quote": value("quote"),
            "start_line": int(row["start"].value) if row["start"] is not None else None,
            "end_line": int(row["end"].value) if row["end"] is not None else None,
            "source": value("source"),
            "citation": value("citation"),
            "label": value("label"),
        })
    return described


def requirements_in(kg: KnowledgeGraph) -> dict[str, dict]:
    """Every lscp:Requirement with its wording, binding, severity and the citation of its graph."""
    rows = kg.query("""SELECT ?r ?id ?label ?text ?binding ?severity ?part ?citation ?uncertainty ?source WHERE {
        GRAPH ?g { ?r a lscp:Requirement }
        ?r dcterms:identifier ?id ; rdfs:label ?label .
        OPTIONAL { ?r dcterms:description ?text }
        OPTIONAL { ?r lscp:bindingLevel/rdfs:label ?binding }
        OPTIONAL { ?r lscp:severity/skos:notation ?severity }
        OPTIONAL { ?r lscp:citedPart ?part }
        OPTIONAL { ?r lscp:uncertainty ?uncertainty }
        OPTIONAL { ?r dcterms:source ?source }
        OPTIONAL { ?g dcterms:bibliographicCitation ?citation }
    } ORDER BY ?id ?source""")
    found: dict[str, dict] = {}
    for row in rows:
        value = lambda name: row[name].value if row[name] is not None else None  # noqa: E731
        req = found.setdefault(row["r"].value, {
            "iri": row["r"].value, "id": value("id"), "label": value("label"), "text": value("text"),
            "binding": value("binding"), "severity": value("severity") or "should", "cited_part": value("part"),
            "citation": value("citation"), "sources": [], "uncertainty": value("uncertainty")})
        if row["source"] is not None and row["source"].value not in req["sources"]:
            req["sources"].append(row["source"].value)
    return found
