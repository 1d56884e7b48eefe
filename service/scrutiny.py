"""The scrutiny checks in the service: ``/scrutiny`` (HTML, or JSON by ``Accept`` or
``?format=json``) and ``/scrutiny.json``, both taking ``?asof=YYYY-MM-DD`` (default today).

The page lists the findings by severity, each linked to the pages of the
entities it concerns, its source quotes, and a network view around them
(``/explore/entity``); then every requirement with its status and the evidence
of the checks. The JSON is :meth:`lscp_kg.scrutiny.ScrutinyReport.to_dict`
with ``href`` added to each entity and ``network`` to each result.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, url_for

from lscp_kg.named_queries import ParameterError
from lscp_kg.scrutiny import SEVERITIES, ScrutinyReport, parse_asof
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import API_JSON, HTML, NotAcceptable, negotiate
from lscp_kg.service.links import entity_url
from lscp_kg.service.results import ScrutinyJob
from lscp_kg.service.state import service_state

bp = Blueprint("scrutiny", __name__)

#: Reports kept per loaded graph (the most recent dates asked for); older ones are recomputed.
CACHED_REPORTS = 8
PARAMETERS = ("asof", "format")


def report_for(asof: str, **options) -> ScrutinyReport:
    """The report as of a date (and ``options`` of :func:`run_scrutiny`, e.g. a partnership), from a small
    cache tied to the loaded graph (a reload swaps the backend); computed in a query worker, under the
    query time limit."""
    state = service_state()
    job = ScrutinyJob(asof, tuple(sorted(options.items())))
    key = ("scrutiny", job, id(state.kg.backend))
    if key not in state.cache:
        older = [k for k in state.cache if isinstance(k, tuple) and k[:1] == ("scrutiny",)]
        for stale in older[: max(0, len(older) - CACHED_REPORTS + 1)]:
            state.cache.pop(stale, None)
        state.cache[key] = state.pool.run(job)
    return state.cache[key]


def network_href(iris: list[str]) -> str | None:
    """The network view around the first of these entities that the network shows, deep enough
    (up to the explorer's limit) to take in the others; None if the network shows none of them."""
    import networkx as nx

    from lscp_kg.service.explore import network
    from lscp_kg.visualisations.views import MAX_DEPTH

    graph = network()
    shown = [iri for iri in iris if iri in graph]
    if not shown:
        return None
    reach = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), shown[0], cutoff=MAX_DEPTH)
    depth = max([1] + [reach[iri] for iri in shown[1:] if iri in reach])
    return url_for("explore.view", name="entity", iri=shown[0], depth=depth)


def _asof() -> str:
    unknown = sorted(set(request.args) - set(PARAMETERS))
    if unknown:
        raise HttpError(400, f"unknown parameter {unknown[0]!r}; /scrutiny takes asof (YYYY-MM-DD) and format")
    try:
        return parse_asof(request.args.get("asof"))
    except ParameterError as error:
        raise HttpError(400, str(error)) from None


def _json(report: ScrutinyReport) -> Response:
    data = report.to_dict()
    for result in data["findings"] + data["passes"]:
        for entity in result["entities"]:
            entity["href"] = entity_url(entity["iri"])
        result["network"] = network_href([e["iri"] for e in result["entities"]])
    response = Response(json.dumps(data, ensure_ascii=False, indent=1) + "\n", mimetype="application/json")
    return response


def _page(report: ScrutinyReport) -> Response:
    from lscp_kg.service.app import CONTENT_SECURITY_POLICY

    html = render_template("scrutiny/page.html", report=report.to_dict(), severities=SEVERITIES,
                           entity_href=entity_url, network_href=network_href, page_href=url_for("scrutiny.page"),
                           json_href=url_for("scrutiny.as_json", asof=report.asof))
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@bp.get("/scrutiny")
def page():
    asof = _asof()
    try:
        fmt = negotiate((HTML, API_JSON), request.args.getlist("format"), request.headers.get("Accept"))
    except NotAcceptable as refusal:
        raise HttpError(406, str(refusal)) from None
    response = _json(report_for(asof)) if fmt is API_JSON else _page(report_for(asof))
    response.vary.add("Accept")
    return response


@bp.get("/scrutiny.json")
def as_json():
    return _json(report_for(_asof()))
