"""``/sparql``: a read-only SPARQL 1.1 Protocol query endpoint.

* query by GET (``?query=``), URL-encoded POST, or direct POST (``application/sparql-query``);
* ``default-graph-uri`` / ``named-graph-uri`` set the dataset; without them a
  query's ``FROM``/``FROM NAMED`` does, and without those the default graph is
  the union of all named graphs;
* the answer's format comes from ``format`` (wins) or ``Accept``, see :mod:`formats`;
* GET with no query answers the service description (browsers go to the query page).

Every refusal is a clear 4xx: 400 (syntax, missing/repeated query, update,
SERVICE), 406, 413, 415; a query over the time limit gets 503.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, request, url_for

from lscp_kg.service.description import DESCRIPTION_PREFIXES, service_description
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import GRAPH_FORMATS, HTML, RESULT_FORMATS, choose_format, negotiate_or_none, refuse
from lscp_kg.service.query_guard import check_query
from lscp_kg.service.request_log import note_query, note_result, query_label
from lscp_kg.service.query_runner import QueryJob, QueryOutcome
from lscp_kg.service.state import service_state

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
KIND_OF_FORM = {"select": "results", "ask": "results", "construct": "graph", "describe": "graph"}


def _refuse_update() -> HttpError:
    return HttpError(400, "SPARQL Update is not accepted: this endpoint is read-only and answers queries only.")


def _graph_iris(values: list[str], parameter: str) -> tuple[str, ...]:
    iris = []
    for value in values:
        try:
            iris.append(ox.NamedNode(value.strip()).value)
        except ValueError as error:
            raise HttpError(400, f"{parameter}: {value!r} is not an absolute IRI ({error})") from None
    return tuple(iris)


def require_utf8(encoded: bytes, where: str) -> None:
    """Refuse (400) URL-encoded parameters that are not UTF-8 (Werkzeug would silently replace the bytes).

    >>> require_utf8(b"query=ASK%20%7B%7D", "query string")
    >>> require_utf8(b"query=%FF", "query string")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    HttpError: The query string is not valid UTF-8 ...
    """
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError as error:
        raise HttpError(400, f"The {where} is not valid UTF-8 (byte {error.object[error.start]:#04x} at "
                             f"{error.start}): send the query and parameters percent-encoded from UTF-8.") from None


def read_protocol_request() -> tuple[str | None, dict]:
    """The query text (None if absent) and the protocol parameters, or an HttpError."""
    require_utf8(request.query_string, "query string")
    params = request.args
    if request.method == "POST":
        if request.mimetype == FORM:
            require_utf8(request.get_data(cache=True), "form body")
            params = request.values  # URL and body, as clients put dataset parameters in either
            queries = params.getlist("query")
        elif request.mimetype == DIRECT:
            charset = request.mimetype_params.get("charset", "utf-8").strip().lower()
            if charset not in ("utf-8", "utf8"):  # the protocol's media type is UTF-8 only (W3C protocol tests)
                raise HttpError(400, f"The query body must be UTF-8, not {charset!r}: send it as "
                                     f"{DIRECT}; charset=UTF-8 (or with no charset).")
            try:
                body = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError:
                raise HttpError(400, "The query body is not valid UTF-8 text.") from None
            queries = [body] + params.getlist("query")
        elif request.mimetype == "application/sparql-update":
            raise _refuse_update()
        else:
            raise HttpError(415, f"Unsupported media type {request.mimetype or '(none)'!r}: POST a query as "
                                 f"{FORM} (query=...) or as {DIRECT}.")
    else:
        queries = params.getlist("query")
    if "update" in params:
        raise _refuse_update()
    if len(queries) > 1:
        raise HttpError(400, f"The 'query' parameter was given {len(queries)} times; send exactly one query.")
    return (queries[0] if queries else None), params


def _describe_service() -> Response:
    state = service_state()
    fmt = choose_format((*GRAPH_FORMATS, HTML))
    if fmt is HTML:  # a person with a browser: the query page
        return redirect(url_for("pages.query_page"), 303)
    triples = service_description(state.kg, url_for("sparql.endpoint", _external=True), state.limits)
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=fmt.prefixes(DESCRIPTION_PREFIXES))
    response = Response(body, mimetype=fmt.media_type)
    response.vary.add("Accept")
    return response


def job_formats(form: str | None, format_values, accept) -> tuple[dict, dict]:
    """Negotiate a format for both kinds of answer; 406 now if the query's own kind has none."""
    results, results_refusal = negotiate_or_none(RESULT_FORMATS, format_values, accept)
    graph, graph_refusal = negotiate_or_none(GRAPH_FORMATS, format_values, accept)
    refusals = {"results": results_refusal, "graph": graph_refusal}
    kind = KIND_OF_FORM.get(form or "")
    if (kind and refusals[kind]) or (results is None and graph is None):
        refuse(refusals[kind] if kind else results_refusal)
    return {"results": results and results.name, "graph": graph and graph.name}, refusals


def answer(outcome: QueryOutcome) -> Response:
    """The HTTP response for a query's outcome; a cut answer says so in ``X-Truncated``."""
    note_result(outcome.rows, outcome.truncated)
    response = Response(outcome.body, mimetype=outcome.media_type)
    response.headers["X-Truncated"] = "true" if outcome.truncated else "false"
    if outcome.truncated:
        response.headers["X-Row-Cap"] = str(service_state().limits.row_cap)
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    note_query("sparql:(no query)")
    state = service_state()
    text, params = read_protocol_request()
    if text is None:
        if request.method == "POST":
            raise HttpError(400, "Missing 'query': POST a query as query=... or as application/sparql-query.")
        note_query("sparql:(service description)")
        return _describe_service()
    note_query(query_label(text))
    shape = check_query(text, state.limits.max_query_length)
    formats, refusals = job_formats(shape.form, params.getlist("format"), request.headers.get("Accept"))
    job = QueryJob(sparql=text, formats=formats, refusals=refusals, row_cap=state.limits.row_cap,
                   **dataset_of(shape, params))
    return answer(state.runner.run(job))


def dataset_of(shape, params) -> dict:
    """The dataset a query runs on, the one rule for every page that runs a typed query (``/sparql`` and the
    query page): ``default-graph-uri`` / ``named-graph-uri`` when given; else the query's own ``FROM`` /
    ``FROM NAMED``; else the union of the named graphs as the default graph."""
    default_graphs = params.getlist("default-graph-uri")
    named_graphs = params.getlist("named-graph-uri")
    custom_dataset = bool(default_graphs or named_graphs)
    return {"default_graph": _graph_iris(default_graphs, "default-graph-uri") if custom_dataset else None,
            "named_graphs": _graph_iris(named_graphs, "named-graph-uri") if custom_dataset else None,
            "union_default_graph": not shape.dataset}
