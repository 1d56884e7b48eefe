"""Network views and analyses: ``/explore/...``, ``/api/explore/neighbours`` and ``/api/analysis``.

``/explore/`` lists the views; ``/explore/<view>`` draws one (``entity?iri=&depth=&limit=``, several
entities with ``?iri=a&iri=b``, depth 1 at most ``limit`` nodes, 30 unless given, 0 for all;
``path?from=&to=``, ``seats?body=``), with the explorer's state in the query string (``expand``,
``hide``, ``focus``, ``focus_depth``, ``hubs``, ``hide_kinds``, ``hide_relations``, ``layout``: see :mod:`lscp_kg.visualisations.view_state`).
``/api/explore/neighbours?iri=`` answers what expanding a node adds, from the projection.
``/explore/analysis`` and ``/api/analysis`` give the analyses as HTML and JSON, each finding
linked to a view of its entities. Views load vis-network from the installed pyvis package
through ``/explore/assets/``, and their Content-Security-Policy forbids every other host and
every inline script. The projections they draw are built once per loaded graph by
:mod:`lscp_kg.visualisations.projections`, which other pages use directly.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from lscp_kg.query_parameters import ParameterError
from lscp_kg.scrutiny_partnerships import resolve_partnership
from lscp_kg.service.errors import HttpError
from lscp_kg.service.page_urls import entity_url, quote_url
from lscp_kg.service.state import service_state
from lscp_kg.visualisations.analysis import analyse
from lscp_kg.visualisations.network_data import edge_item, node_item
from lscp_kg.visualisations.neighbourhood import expansion, neighbours as neighbours_of
from lscp_kg.visualisations.projections import projections_for
from lscp_kg.visualisations.render import ASSETS, asset_text, render_page
from lscp_kg.visualisations.view_state import STATE_PARAMETERS, StateError, ViewState, apply_expansions
from lscp_kg.visualisations.views import FIXED_VIEWS, VIEW_PARAMETERS, VIEWS, ViewError, build_view, view_parameters

bp = Blueprint("explore", __name__)

VIEW_TITLES = {"structure": "Whole structure", "accountability": "Accountability", "reporting": "Reporting lines",
               "priorities": "Priorities", "legislation": "Legislation", "report-path": "Annual report's path"}


def cached(key: str, build):
    """One page (or page part) per app (its graph is the app's for its life). Pages link under
    the service's mount point, so they are kept with the service, not with the projections."""
    state = service_state()
    full_key = ("explore", key)
    if full_key not in state.cache:
        state.cache[full_key] = build()
    return state.cache[full_key]


def network(partnership: str | None = None):
    """The projection of the whole graph, or of what one partnership's arrangements state (built once:
    :mod:`lscp_kg.visualisations.projections`)."""
    return projections_for(service_state().kg).network(partnership)


def loaded_partnerships() -> dict[str, str]:
    return projections_for(service_state().kg).partnerships()


def chosen_partnership() -> str | None:
    """``?partnership=`` (an IRI, absolute or relative to the base): draw only what its arrangements state."""
    raw = request.args.get("partnership", "")
    if not raw:
        return None
    try:  # the one reading of a partnership parameter (as /scrutiny reads it)
        return resolve_partnership(service_state().kg, raw)
    except ParameterError as error:
        raise HttpError(400, str(error)) from None


def with_partnership(href: str, partnership: str | None) -> str:
    if not partnership:
        return href
    return href + ("&" if "?" in href else "?") + urlencode({"partnership": partnership})


def marks(partnership: str | None = None):
    return projections_for(service_state().kg).marks(partnership)


def view_title(name: str) -> str:
    """The views' names in the navigation; the seats view is named after the body it shows."""
    if name == "seats":
        return cached("seats-title", lambda: build_view(network(), "seats").title)
    return VIEW_TITLES[name]


#: A finding's network opens with at most this many nodes, so that every label can be read.
FINDING_VIEW_LIMIT = 30


def entities_href(iris: list[str], partnership: str | None = None) -> str | None:
    """A view of these entities, highlighted, joined by their shortest connections, with their direct
    neighbours up to :data:`FINDING_VIEW_LIMIT` nodes (bodies and posts first; the rest one click away);
    None if the network shows none of them."""
    graph = network(partnership)
    shown = [iri for iri in dict.fromkeys(iris) if iri in graph]
    if not shown:
        return None
    query = [("iri", i) for i in shown] + [("limit", str(FINDING_VIEW_LIMIT)), ("depth", "1")]
    return with_partnership(url_for("explore.view", name="entity") + "?" + urlencode(query), partnership)


def passage_href(source: dict) -> str:
    return quote_url(source["passage"]) or entity_url(source["passage"])


def strict(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def picker_groups(partnership: str | None = None) -> list[dict]:
    return projections_for(service_state().kg).picker_groups(partnership)


@bp.get("/explore/")
def index():
    partnership = chosen_partnership()
    views = [(with_partnership(url_for("explore.view", name=name), partnership), view_title(name), name)
             for name in FIXED_VIEWS]
    partnerships = sorted(loaded_partnerships().items(), key=lambda item: (item[1].casefold(), item[0]))
    return strict(Response(render_template("explore/index.html", views=views, groups=picker_groups(partnership),
                                           partnerships=partnerships if len(partnerships) > 1 else [],
                                           partnership=partnership,
                                           asset_url=url_for("explore.index").rstrip("/") + "/assets"),
                           mimetype="text/html"))


@bp.get("/explore/assets/<name>")
def asset(name: str):
    if name not in ASSETS:
        raise HttpError(404, f"no asset {name!r}")
    response = Response(asset_text(name), mimetype=mimetypes.guess_type(name)[0] or "text/plain")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def report_with_views():
    def build():
        report = analyse(network())
        for check in report["checks"]:
            for finding in check["findings"]:
                finding["view"] = entities_href([e["iri"] for e in finding["entities"]])
        return report
    return cached("analysis", build)


@bp.get("/explore/analysis")
def analysis_page():
    return strict(Response(render_template("explore/analysis.html", report=report_with_views()), mimetype="text/html"))


@bp.get("/api/analysis")
def analysis_api():
    return jsonify(report_with_views())


@bp.get("/api/explore/neighbours")
def neighbours():
    """What expanding a node adds: its neighbours and its edges, as the page script draws them."""
    unknown = sorted(set(request.args) - {"iri", "partnership"})
    if unknown:
        raise HttpError(400, f"unknown parameter {unknown[0]!r}; /api/explore/neighbours takes iri and partnership")
    raw = request.args.get("iri", "")
    if not raw:
        raise HttpError(400, "iri is required: the node to expand")
    partnership = chosen_partnership()
    graph, base = network(partnership), service_state().kg.base_iri
    iri = raw if ":" in raw.split("/", 1)[0] else base + raw.lstrip("/")
    if iri not in graph:
        raise HttpError(404, f"no such entity in the network: {iri}")
    found, edges = expansion(graph, iri)
    node_marks = marks(partnership)
    ordered = sorted(found, key=lambda n: (graph.nodes[n]["label"].casefold(), n))
    nodes = [dict(node_item(n, dict(graph.nodes[n], focus=False), node_marks.get(n, []), entity_url(n), passage_href),
                  base=False) for n in ordered]  # fields with their usual value are left out (network_data.OMITTED_WHEN)
    items = [edge_item(0, s, o, k, graph.edges[s, o, k], passage_href) for s, o, k in edges]
    return jsonify({"iri": iri, "neighbours": sorted(found), "nodes": nodes, "edges": items})


def arguments_of(name: str) -> tuple[dict, ViewState]:
    """The view's own parameters and the explorer's state, each checked."""
    kg = service_state().kg
    lists = {key: request.args.getlist(key) for key in request.args}
    try:
        state = ViewState.from_args({k: v for k, v in lists.items() if k in STATE_PARAMETERS}, kg.base_iri)
    except StateError as error:
        raise HttpError(400, str(error)) from None
    raw = {k: (v if k == "iri" and name == "entity" else v[-1]) for k, v in lists.items()
           if k not in STATE_PARAMETERS and k != "partnership"}
    try:
        params = view_parameters(name, raw, kg.base_iri)
    except ViewError as error:
        raise HttpError(400, str(error)) from None
    if name == "entity":
        params["hubs"] = state.hubs
    return params, state


@bp.get("/explore/<name>")
def view(name: str):
    if name not in VIEWS:
        raise HttpError(404, f"no view {name!r}; the views are {', '.join(VIEWS)}")
    params, state = arguments_of(name)
    partnership = chosen_partnership()
    simple = name in FIXED_VIEWS and not params and not state.explicit
    try:
        if simple:
            page = cached(f"view:{name}:{partnership or ''}",
                          lambda: page_for(build_view(network(partnership), name), ViewState(), params, partnership))
        else:
            page = page_for(build_view(network(partnership), name, **params), state, params, partnership)
    except ViewError as error:
        missing = str(error).startswith("no such entity")
        raise HttpError(404 if missing else 400, str(error)) from None
    return strict(Response(page, mimetype="text/html"))


def page_for(drawn, state: ViewState, params: dict, partnership: str | None = None) -> str:
    kg = service_state().kg
    drawn.brought = apply_expansions(network(partnership), drawn.graph, state.expand)
    links = [(with_partnership(url_for("explore.index"), partnership), "All views", False),
             (url_for("explore.analysis_page"), "Analyses", False), (url_for("scrutiny.page"), "Scrutiny", False)] + [
        (with_partnership(url_for("explore.view", name=name), partnership), view_title(name), name == drawn.name)
        for name in FIXED_VIEWS]
    pickers = None
    if drawn.name == "path":
        pickers = {"action": url_for("explore.view", name="path"), "groups": picker_groups(partnership),
                   "ends": [{"name": "from", "label": "From", "value": params.get("source")},
                            {"name": "to", "label": "To", "value": params.get("target")}]}
    return render_page(drawn, kg.base_iri, asset_url=url_for("explore.index").rstrip("/") + "/assets",
                       service_url=request.script_root, links=links, state=state, marks=marks(partnership),
                       passage_href=passage_href, pickers=pickers, more=show_all(drawn, state, partnership),
                       api={"neighbours": with_partnership(url_for("explore.neighbours"), partnership)},
                       frame=site_page)


def site_page(title: str, head: str, body: str) -> str:
    """The explorer inside the site's page: its header, navigation and search stay."""
    return render_template("explore/view.html", title=title, head=head, body=body)


def show_all(drawn, state: ViewState, partnership: str | None) -> dict | None:
    """The link that brings every neighbour a bounded view left out (by expanding its entities)."""
    left_out = {n: c for n, c in drawn.graph.graph.get("left_out", {}).items() if n not in state.expand}
    if not left_out:
        return None
    every = set().union(*(neighbours_of(network(partnership), n) for n in left_out))
    pairs = [(k, v) for k, v in request.args.items(multi=True)] + [("expand", n) for n in left_out]
    return {"href": request.path + "?" + urlencode(pairs), "count": len(every)}


__all__ = ["bp", "VIEW_PARAMETERS", "entities_href"]
