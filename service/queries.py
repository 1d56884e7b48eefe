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

from lscp_kg.labels import labels_for
from lscp_kg.name_resolution import resolver
from lscp_kg.query_binding import NamedQuery
from lscp_kg.query_parameters import ParameterError
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import API_FORMATS, API_JSON, CSV, choose_format, spreadsheet_safe_csv
from lscp_kg.service.chains import build_chain, is_chain, number_steps
from lscp_kg.service.request_log import note_query
from lscp_kg.service.result_tables import heading, requested_page, result_table
from lscp_kg.service.search_pages import choices_page
from lscp_kg.service.query_runner import QueryJob, QueryOutcome
from lscp_kg.service.sparql import answer
from lscp_kg.service.state import service_state
from lscp_kg.service.suggestions import empty_answer

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
        sparql, substitutions = query.prepare(raw, state.kg.base_iri, resolver(state.kg))
    except ParameterError as error:  # the page reads the error (__cause__) to show the field's suggestions
        raise HttpError(400, str(error), details={"parameter": error.parameter,
                                                  "suggestions": list(error.suggestions)}) from error
    job = QueryJob(sparql, formats, substitutions=substitutions, row_cap=state.limits.row_cap,
                   refusals=refusals or {})
    return state.runner.run(job)


def describe(query: NamedQuery) -> dict:
    return {**query.describe(), "api": url_for("queries.run_api", name=query.name),
            "page": url_for("queries.page", name=query.name)}


@bp.get("/api/queries")
def list_api():
    queries = [describe(q) for q in service_state().named_queries.values()]
    return Response(json.dumps(queries, ensure_ascii=False, indent=1), mimetype="application/json")


def json_head(body: bytes) -> dict:
    """The ``head`` of SPARQL JSON results as pyoxigraph writes them (it comes first), read alone.

    >>> json_head(b'{"head":{"vars":["x"]},"results":{"bindings":[]}}')
    {'vars': ['x']}
    """
    start = body.index(b'"head"') + len(b'"head"')
    start = body.index(b":", start) + 1
    return json.JSONDecoder().raw_decode(body[start:].decode("utf-8").lstrip())[0]


@bp.get("/api/queries/<name>")
def run_api(name: str):
    query = named_query(name)
    note_query(f"named:{name}")
    fmt = choose_format(API_FORMATS)
    if fmt is API_JSON:
        outcome = run_named(query, raw_parameters(), {"results": "json", "graph": "jsonld"})
        if outcome.kind == "graph":
            return answer(outcome)
        response = answer(outcome)
        response.mimetype = API_JSON.media_type
        about = {"name": query.name, "parameters": raw_parameters()}
        if not is_chain({"head": json_head(outcome.body)}):
            # The worker's SPARQL JSON bytes with "query" and "truncated" spliced in front: never parsed again.
            head = f'{{"query":{json.dumps(about, ensure_ascii=False)},"truncated":{json.dumps(outcome.truncated)},'
            response.set_data(head.encode() + outcome.body.lstrip()[1:])
            return response
        document = number_steps(json.loads(outcome.body))
        document["query"], document["truncated"] = about, outcome.truncated
        response.set_data(json.dumps(document, ensure_ascii=False))
        return response
    kind = "graph" if fmt.kind == "graph" else "results"
    other = "results" if kind == "graph" else "graph"
    refusal = f"format {fmt.name} ({fmt.media_type}) does not fit the kind of result this query gives"
    response = answer(run_named(query, raw_parameters(), {kind: fmt.name, other: None}, {other: refusal}))
    if fmt is CSV:  # downloads go to spreadsheets: no cell may start a formula
        response.set_data(spreadsheet_safe_csv(response.get_data()))
    return response


AUDIENCES = {"governance-lead": "governance leads", "scrutineer": "scrutineers", "integrator": "integrators"}


@bp.get("/queries")
def index():
    audience = request.args.get("audience")
    if audience is not None and audience not in AUDIENCES:
        raise HttpError(400, f"audience: {audience!r} is not one of {', '.join(AUDIENCES)}.")
    groups: dict[str, list] = {}
    for query in service_state().named_queries.values():
        if audience in (None, "integrator") or audience in query.audience:  # integrators may call every question
            groups.setdefault(query.topic or "Other questions", []).append(query)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "Other questions", item[0]))
    return render_template("queries.html", groups=[(t, sorted(qs, key=lambda q: q.title)) for t, qs in ordered],
                           audiences=AUDIENCES, audience=audience)


@bp.get("/queries/<name>")
def page(name: str):
    query = named_query(name)
    raw = raw_parameters(RESERVED + ("page",))
    values = {p.name: raw.get(p.name, p.default or "") for p in query.parameters}
    parts = {"table": None, "chain": None, "graph_text": None, "empty": None, "error": None, "field_errors": {}}
    status = 200
    try:
        parts.update(answer_parts(query, raw))
    except HttpError as refusal:
        if refusal.status != 400:
            raise
        problem = refusal.__cause__ if isinstance(refusal.__cause__, ParameterError) else None
        if problem is not None and problem.ambiguous:  # a name that fits several: the page of choices
            return choices_page(query, raw, problem)
        if problem is None or problem.parameter in raw or raw:  # not a first visit, where the form just asks
            parts["error"], status = refusal.message, 400
            if problem is not None:
                parts["field_errors"][problem.parameter] = problem
    downloads = {fmt: url_for("queries.run_api", name=name, format=fmt, **raw) for fmt in ("csv", "json", "tsv", "xml")}
    return render_template("query.html", query=query, values=values, downloads=downloads, **parts,
                           identifiers=identifiers(query, raw) if status == 200 else []), status


@bp.app_context_processor
def parameter_words() -> dict:
    """A form field is named as its column would be ("asof": "As of"): one wording for a variable's name."""
    return {"parameter_heading": heading}


def answer_parts(query: NamedQuery, raw: dict) -> dict:
    """The answer of a named query, as its page shows it: a graph's text, or a table (and a chain of steps, or
    what to say when it is empty)."""
    outcome = run_named(query, raw, {"results": "json", "graph": "turtle"})
    bound = bound_iris(query, raw)
    if outcome.kind == "graph":
        return {"graph_text": outcome.body.decode()}
    document = json.loads(outcome.body)
    parts = {}
    if is_chain(document):
        number_steps(document)
    parts["table"] = table = result_table(document, outcome.truncated, requested_page(), bound, one_entry_per_thing=True)
    if is_chain(document):
        parts["chain"] = build_chain(document, next(iter(bound.values()), None))
    if table["total"] == 0 and table["boolean"] is None:
        parts["empty"] = empty_answer(query, bound)
    return parts


def bound_iris(query: NamedQuery, raw: dict) -> dict[str, str]:
    """The IRIs the question was asked about (given or by default), by parameter name, in the query's order."""
    state = service_state()
    bound = query.bind(raw, state.kg.base_iri, resolver(state.kg))
    return {variable.value: term.value for variable, term in bound.items()
            if any(p.name == variable.value and p.type == "iri" for p in query.parameters)}


def identifiers(query: NamedQuery, raw: dict) -> list[dict]:
    """For the technical details: each entity the question was asked about, by name and identifier."""
    try:
        bound = bound_iris(query, raw)
    except ParameterError:
        return []
    labels = labels_for(service_state().kg)
    return [{"parameter": name, "name": labels.label(iri) or iri, "iri": iri} for name, iri in bound.items()]
