"""Named queries as an API and as pages for governance leads.

* ``GET /api/queries``: the list (name, title, description, parameters, links);
* ``GET /api/queries/<name>?param=...``: run one; JSON by default (SPARQL JSON
  results plus ``truncated`` and ``query``), CSV or any ``/sparql`` format by
  ``Accept`` or ``format``;
* ``GET /queries`` and ``/queries/<name>``: a form for the parameters, the
  results as a table of links, and the SPARQL for those who want it.

Parameter values are bound as RDF terms by :meth:`NamedQuery.bind` (never
pasted into the text); a value of the wrong kind answers 400 naming it.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, url_for

from lscp_kg.named_queries import NamedQuery, ParameterError
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import API_FORMATS, API_JSON, NotAcceptable, negotiate
from lscp_kg.service.chains import build_chain, is_chain, number_steps
from lscp_kg.service.request_log import note_query
from lscp_kg.service.result_tables import requested_page, result_table
from lscp_kg.service.results import QueryJob, QueryOutcome
from lscp_kg.service.sparql import answer
from lscp_kg.service.state import service_state

bp = Blueprint("queries", __name__)
RESERVED = ("format",)


def named_query(name: str) -> NamedQuery:
    query = service_state().named_queries.get(name)
    if query is None:
        raise HttpError(404, f"There is no named query {name!r}; GET /api/queries lists them.")
    return query


def raw_parameters(reserved: tuple[str, ...] = RESERVED) -> dict[str, str]:
    """The query-string parameters meant for the query (each given at most once)."""
    raw = {}
    for key in request.args:
        if key in reserved:
            continue
        values = request.args.getlist(key)
        if len(values) > 1:
            raise HttpError(400, f"parameter {key!r}: given {len(values)} times; give it once.")
        raw[key] = values[0]
    return raw


def run_named(query: NamedQuery, raw: dict, formats: dict, refusals: dict | None = None) -> QueryOutcome:
    state = service_state()
    note_query(f"named:{query.name}")
    try:
        substitutions = query.bind(raw, state.kg.base_iri)
    except ParameterError as error:
        raise HttpError(400, str(error)) from None
    job = QueryJob(query.sparql, formats, substitutions=substitutions, row_cap=state.limits.row_cap,
                   refusals=refusals or {})
    return state.pool.run(job)


def describe(query: NamedQuery) -> dict:
    return {**query.describe(), "api": url_for("queries.run_api", name=query.name),
            "page": url_for("queries.page", name=query.name)}


@bp.get("/api/queries")
def list_api():
    queries = [describe(q) for q in service_state().named_queries.values()]
    return Response(json.dumps(queries, ensure_ascii=False, indent=1), mimetype="application/json")


@bp.get("/api/queries/<name>")
def run_api(name: str):
    query = named_query(name)
    note_query(f"named:{name}")
    try:
        fmt = negotiate(API_FORMATS, request.args.getlist("format"), request.headers.get("Accept"))
    except NotAcceptable as refusal:
        raise HttpError(406, str(refusal)) from None
    if fmt is API_JSON:
        outcome = run_named(query, raw_parameters(), {"results": "json", "graph": "jsonld"})
        if outcome.kind == "graph":
            return answer(outcome)
        document = json.loads(outcome.body)
        if is_chain(document):
            number_steps(document)
        document["query"] = {"name": query.name, "parameters": raw_parameters()}
        document["truncated"] = outcome.truncated
        response = answer(outcome)
        response.set_data(json.dumps(document, ensure_ascii=False))
        response.mimetype = API_JSON.media_type
        return response
    kind = "graph" if fmt.kind == "graph" else "results"
    other = "results" if kind == "graph" else "graph"
    refusal = f"format {fmt.name} ({fmt.media_type}) does not fit the kind of result this query gives"
    return answer(run_named(query, raw_parameters(), {kind: fmt.name, other: None}, {other: refusal}))


@bp.get("/queries")
def index():
    return render_template("queries.html", queries=list(service_state().named_queries.values()))


@bp.get("/queries/<name>")
def page(name: str):
    query = named_query(name)
    raw = raw_parameters(RESERVED + ("page",))
    values = {p.name: raw.get(p.name, p.default or "") for p in query.parameters}
    table, chain, graph_text, error, status = None, None, None, None, 200
    try:
        outcome = run_named(query, raw, {"results": "json", "graph": "turtle"})
        if outcome.kind == "graph":
            graph_text = outcome.body.decode()
        else:
            document = json.loads(outcome.body)
            if is_chain(document):
                number_steps(document)
            table = result_table(document, outcome.truncated, requested_page())
            if is_chain(document):
                start = next(iter(query.bind(raw, service_state().kg.base_iri).values()), None)
                chain = build_chain(document, getattr(start, "value", None))
    except HttpError as refusal:
        if refusal.status != 400:
            raise
        error, status = refusal.message, 400
    downloads = {fmt: url_for("queries.run_api", name=name, format=fmt, **raw) for fmt in ("csv", "json", "tsv", "xml")}
    return render_template("query.html", query=query, values=values, table=table, chain=chain, graph_text=graph_text,
                           error=error, downloads=downloads), status
