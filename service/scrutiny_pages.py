"""The scrutiny checks in the service: ``/scrutiny`` (HTML, or JSON by ``Accept`` or
``?format=json``) and ``/scrutiny.json``, both taking ``?asof=YYYY-MM-DD`` (default today) and
``?partnership=IRI`` (absolute or relative to the base; default every partnership, one section each).

The page opens on a summary (``scrutiny/_report.html``): the counts by severity, each "must" and
"should" finding in one line (what, about whom, a network view around its entities at
``/explore/entity`` and its evidence), its details (the message, the requirement, the
entities' pages, the source quotes; rule codes under "Technical details") folded; the notes
counted by kind and folded; every requirement with its status and the evidence of the checks,
folded. The JSON is :meth:`lscp_kg.scrutiny.ScrutinyReport.to_dict` with ``href`` added to each
entity and ``network`` to each result.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request, url_for

from lscp_kg.query_parameters import ParameterError
from lscp_kg.scrutiny import SEVERITIES, ScrutinyReport, parse_asof
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import API_JSON, HTML, choose_format
from lscp_kg.service.cache import computed_once
from lscp_kg.service.page_urls import entity_url
from lscp_kg.service.query_runner import ScrutinyJob
from lscp_kg.service.state import service_state

bp = Blueprint("scrutiny", __name__)

#: Reports kept per loaded graph (the most recent dates asked for); older ones are recomputed.
CACHED_REPORTS = 8
PARAMETERS = ("asof", "format", "partnership")


def report_for(asof: str, **options) -> ScrutinyReport:
    """The report as of a date (and ``options`` of :func:`run_scrutiny`, e.g. a partnership), from a small
    cache kept with the app (its graph is the app's for its life); computed in a query worker, under the
    query time limit."""
    state = service_state()
    job = ScrutinyJob(asof, tuple(sorted(options.items())))
    key = ("scrutiny", job)
    if key not in state.cache:
        older = [k for k in state.cache if isinstance(k, tuple) and k[:1] == ("scrutiny",)]
        for stale in older[: max(0, len(older) - CACHED_REPORTS + 1)]:
            state.cache.pop(stale, None)
    return computed_once(state.cache, key, lambda: state.runner.run(job))


def network_href(iris: list[str]) -> str | None:
    """A network view of exactly these entities, highlighted (those the network shows); None if it shows none."""
    from lscp_kg.service.explore import entities_href

    return entities_href(iris)


def _asof() -> str:
    unknown = sorted(set(request.args) - set(PARAMETERS))
    if unknown:
        raise HttpError(400, f"unknown parameter {unknown[0]!r}; /scrutiny takes asof (YYYY-MM-DD), partnership (IRI) and format")
    try:
        return parse_asof(request.args.get("asof"))
    except ParameterError as error:
        raise HttpError(400, str(error)) from None


def _options() -> dict:
    """``partnership`` as an IRI of a partnership in the loaded data (400 otherwise); none for all."""
    from lscp_kg.scrutiny_partnerships import resolve_partnership

    value = (request.args.get("partnership") or "").strip()
    if not value:
        return {}
    try:
        return {"partnership": resolve_partnership(service_state().kg, value)}
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
    chosen = (report.partnership or {}).get("iri")
    html = render_template("scrutiny/page.html", report=report.to_dict(), severities=SEVERITIES,
                           entity_href=entity_url, network_href=network_href, page_href=url_for("scrutiny.page"),
                           json_href=url_for("scrutiny.as_json", asof=report.asof, partnership=chosen),
                           choices=_choices())
    return Response(html, mimetype="text/html")  # its security headers: service/security_headers.py


def _choices() -> list[dict]:
    """The partnerships of the loaded data, for the form's choice."""
    from lscp_kg.scrutiny_partnerships import partnerships_in

    return [{"iri": iri, "label": label} for iri, label in partnerships_in(service_state().kg).items()]


@bp.get("/scrutiny")
def page():
    asof, options = _asof(), _options()
    fmt = choose_format((HTML, API_JSON))
    report = report_for(asof, **options)
    response = _json(report) if fmt is API_JSON else _page(report)
    response.vary.add("Accept")
    return response


@bp.get("/scrutiny.json")
def as_json():
    asof, options = _asof(), _options()
    return _json(report_for(asof, **options))
