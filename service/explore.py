"""Network views and analyses: ``/explore/...`` and ``/api/analysis``.

``/explore/`` lists the views; ``/explore/<view>`` draws one (``entity?iri=&depth=``,
``path?from=&to=``, ``seats?body=``); ``/explore/analysis`` and ``/api/analysis``
give the analyses as HTML and JSON. Views load vis-network from the installed
pyvis package through ``/explore/assets/``, and their Content-Security-Policy
forbids every other host and every inline script.
"""

from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from lscp_kg.service.errors import HttpError
from lscp_kg.service.state import service_state
from lscp_kg.visualisations.analysis import analyse
from lscp_kg.visualisations.projection import project
from lscp_kg.visualisations.render import ASSETS, SERVED_CSP, asset_text, render_page
from lscp_kg.visualisations.views import FIXED_VIEWS, VIEW_PARAMETERS, VIEWS, ViewError, build_view, view_parameters

bp = Blueprint("explore", __name__)

VIEW_TITLES = {"structure": "Whole structure", "accountability": "Accountability", "reporting": "Reporting lines",
               "seats": "Partnership Group seats", "priorities": "Priorities", "legislation": "Legislation",
               "report-path": "Annual report's path"}


def cached(key: str, build):
    """One value per loaded graph: a reload swaps the store, and with it the key."""
    state = service_state()
    full_key = ("explore", key, id(state.kg.store))
    if full_key not in state.cache:
        state.cache[full_key] = build()
    return state.cache[full_key]


def network():
    return cached("projection", lambda: project(service_state().kg))


def strict(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = SERVED_CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/explore/")
def index():
    views = [(url_for("explore.view", name=name), VIEW_TITLES[name], VIEWS[name].__name__) for name in FIXED_VIEWS]
    return strict(Response(render_template("explore/index.html", views=views), mimetype="text/html"))


@bp.get("/explore/assets/<name>")
def asset(name: str):
    if name not in ASSETS:
        raise HttpError(404, f"no asset {name!r}")
    response = Response(asset_text(name), mimetype=mimetypes.guess_type(name)[0] or "text/plain")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/explore/analysis")
def analysis_page():
    report = cached("analysis", lambda: analyse(network()))
    return strict(Response(render_template("explore/analysis.html", report=report), mimetype="text/html"))


@bp.get("/api/analysis")
def analysis_api():
    return jsonify(cached("analysis", lambda: analyse(network())))


@bp.get("/explore/<name>")
def view(name: str):
    if name not in VIEWS:
        raise HttpError(404, f"no view {name!r}; the views are {', '.join(VIEWS)}")
    kg = service_state().kg
    raw = {key: request.args.get(key) for key in request.args}
    try:
        params = view_parameters(name, raw, kg.base_iri)
        if name in FIXED_VIEWS and not params:
            page = cached(f"view:{name}", lambda: page_for(build_view(network(), name), kg.base_iri))
        else:
            page = page_for(build_view(network(), name, **params), kg.base_iri)
    except ViewError as error:
        missing = str(error).startswith("no such entity")
        raise HttpError(404 if missing else 400, str(error)) from None
    return strict(Response(page, mimetype="text/html"))


def page_for(drawn, base_iri: str) -> str:
    links = [(url_for("explore.index"), "All views", False), (url_for("explore.analysis_page"), "Analyses", False),
             (url_for("scrutiny.page"), "Scrutiny", False)] + [
        (url_for("explore.view", name=name), VIEW_TITLES[name], name == drawn.name) for name in FIXED_VIEWS]
    return render_page(drawn, base_iri, asset_url=url_for("explore.index").rstrip("/") + "/assets",
                       service_url=request.script_root, links=links)


__all__ = ["bp", "VIEW_PARAMETERS"]
