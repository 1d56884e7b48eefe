"""The SPARQL query page's server side: ``/query?query=...`` answered on the page itself (a result
table, a graph as text, or a clear error), so that the page works without JavaScript; and the words
the editor completes (the service's prefixes, and the ontology's classes and properties).
"""

from __future__ import annotations

import json

from flask import request

from lscp_kg.labels import labels_for
from lscp_kg.namespaces import ONTOLOGY_IRI, PREFIXES, curie
from lscp_kg.service.errors import HttpError
from lscp_kg.service.query_guard import check_query
from lscp_kg.service.request_log import note_query, query_label
from lscp_kg.service.result_tables import requested_page, result_table
from lscp_kg.service.query_runner import QueryJob
from lscp_kg.service.sparql import dataset_of
from lscp_kg.service.state import service_state

DEFINING = {PREFIXES["owl"] + "Class": "class", PREFIXES["rdfs"] + "Class": "class",
            PREFIXES["owl"] + "ObjectProperty": "property", PREFIXES["owl"] + "DatatypeProperty": "property",
            PREFIXES["rdf"] + "Property": "property", PREFIXES["owl"] + "SymmetricProperty": "property"}


class PageQueryJob(QueryJob):
    """A query typed on the query page: stopped at a limit, the page says so beside the query."""

    page_goes_on = True


def run_on_page(text: str) -> dict:
    """Run a query typed on the page: ``{"table"|"graph_text"|"error", "status"}`` (4xx errors become messages)."""
    state = service_state()
    note_query(query_label(text))
    try:
        shape = check_query(text, state.limits.max_query_length)
        outcome = state.runner.run(PageQueryJob(text, {"results": "json", "graph": "turtle"},
                                                row_cap=state.limits.row_cap, **dataset_of(shape, request.args)))
    except HttpError as refusal:
        if refusal.status >= 500 and refusal.status != 503:
            raise
        return {"error": refusal.message, "status": refusal.status}
    if outcome.kind == "graph":
        return {"graph_text": outcome.body.decode("utf-8"), "status": 200}
    return {"table": result_table(json.loads(outcome.body), outcome.truncated, requested_page()), "status": 200}


def completions() -> list[dict]:
    """Prefixes, then the ontology's classes and properties as prefixed names (computed once per graph)."""
    state = service_state()
    key = "editor-words"
    if key not in state.cache:
        labels = labels_for(state.kg)
        words = [{"text": f"PREFIX {p}: <{iri}>", "display": f"{p}:", "kind": "prefix"} for p, iri in PREFIXES.items()]
        rows = state.kg.query(f"SELECT DISTINCT ?term ?type WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?term a ?type }} }}",
                              use_default_graph_as_union=False)
        seen = set()
        for row in rows:
            kind = DEFINING.get(row["type"].value)
            name = curie(row["term"].value) if hasattr(row["term"], "value") else None
            if kind and name and name != row["term"].value and name not in seen:
                seen.add(name)
                words.append({"text": name, "display": f"{name} — {labels.relation(row['term'].value)}", "kind": kind})
        state.cache[key] = words[: len(PREFIXES)] + sorted(words[len(PREFIXES):], key=lambda w: w["text"].lower())
    return state.cache[key]
