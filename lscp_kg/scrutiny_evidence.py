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

from .labels import labels_of as one_name_of
from .store import KnowledgeGraph


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{iri}>" for iri in sorted(iris))


def labels_of(kg: KnowledgeGraph, iris: Iterable[str], partnership: str | None = None) -> dict[str, str]:
    """The name of each IRI that has one: the one name of :mod:`lscp_kg.labels` (its bulk form).

    >>> from lscp_kg.store import load_knowledge_graph
    >>> kg = load_knowledge_graph()
    >>> labels_of(kg, [kg.iri("id/person/ceri-jacob"), "http://example.org/nameless"])
    {'https://lscp-kg.example.org/id/person/ceri-jacob': 'Ceri Jacob'}
    """
    return one_name_of(kg, iris, partnership)


def describe_graphs(kg: KnowledgeGraph, graphs: Iterable[str]) -> dict[str, dict]:
    """Each evidence graph: a source passage (quote, line span, source) or an external citation."""
    graphs = set(graphs)
    if not graphs:
        return {}
    described: dict[str, dict] = {}
    rows = kg.query(f"""SELECT ?g ?quote ?start ?end ?source ?citation WHERE {{
        VALUES ?g {{ {_values(graphs)} }}
        GRAPH ?g {{ ?g a ?kind . VALUES ?kind {{ lscp:SourcePassage lscp:ExternalCitation }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g prov:value ?quote }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g lscp:startLine ?start ; lscp:endLine ?end }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g lscp:source ?source }} }}
        OPTIONAL {{ GRAPH ?g {{ ?g dcterms:bibliographicCitation ?citation }} }}
    }}""")
    names = one_name_of(kg, graphs)
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
            "label": names.get(row["g"].value),
        })
    return described


def requirements_in(kg: KnowledgeGraph) -> dict[str, dict]:
    """Every lscp:Requirement with its wording, binding, severity and the citation of its graph."""
    rows = list(kg.query("""SELECT ?r ?id ?text ?binding ?severity ?part ?citation ?uncertainty ?source WHERE {
        GRAPH ?g { ?r a lscp:Requirement }
        ?r dcterms:identifier ?id .
        OPTIONAL { ?r dcterms:description ?text }
        OPTIONAL { ?r lscp:bindingLevel ?binding }
        OPTIONAL { ?r lscp:severity/skos:notation ?severity }
        OPTIONAL { ?r lscp:citedPart ?part }
        OPTIONAL { ?r lscp:uncertainty ?uncertainty }
        OPTIONAL { ?r dcterms:source ?source }
        OPTIONAL { ?g dcterms:bibliographicCitation ?citation }
    } ORDER BY ?id ?source"""))
    names = one_name_of(kg, {row[name].value for row in rows for name in ("r", "binding") if row[name] is not None})
    found: dict[str, dict] = {}
    for row in rows:
        value = lambda name: row[name].value if row[name] is not None else None  # noqa: E731
        if row["r"].value not in names:  # a requirement is listed by its name: one without is not stated
            continue
        req = found.setdefault(row["r"].value, {
            "iri": row["r"].value, "id": value("id"), "label": names[row["r"].value], "text": value("text"),
            "binding": names.get(value("binding")), "severity": value("severity") or "should", "cited_part": value("part"),
            "citation": value("citation"), "sources": [], "uncertainty": value("uncertainty")})
        if row["source"] is not None and row["source"].value not in req["sources"]:
            req["sources"].append(row["source"].value)
    return found
