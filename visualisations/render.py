"""Draw a view as an interactive vis-network page, served or standalone.

The network data has the shape pyvis gives vis-network (nodes, edges,
options), written here directly because pyvis's own template loads
vis-network and Bootstrap from CDNs and turns tooltips into HTML. Our
template (``templates/explorer.html``) takes vis-network from the installed
pyvis package: referenced from the service's asset route when served, inlined
when written to a file, so a view opens from disk with no network. All data
reaches the page as JSON in a ``<script type="application/json">`` block, with
``<``, ``>`` and ``&`` escaped, and the page script puts every label and quote
in the DOM as text.

>>> safe_json({"label": "</script><img src=x onerror=alert(1)>"})
'{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path

import jinja2
import pyvis

from lscp_kg.entity_links import entity_href

from .marks import marks_of
from .network_data import edge_item, node_item, network_data
from .text_alternative import describe
from .view_model import View
from .view_state import ViewState, visible_nodes

PYVIS_LIB = Path(pyvis.__file__).resolve().parent / "lib"
HERE = Path(__file__).resolve().parent
#: The page scripts, in the order they load (explorer.js, last, wires the others together).
SCRIPTS = ("explorer-state.js", "explorer-panel.js", "explorer-picture.js", "explorer-export.js", "explorer-keys.js",
           "explorer-toolbar.js", "explorer-labels.js", "explorer-legend.js", "explorer.js")
ASSETS = {
    "vis-network.min.js": PYVIS_LIB / "vis-9.1.2" / "vis-network.min.js",
    "vis-network.css": PYVIS_LIB / "vis-9.1.2" / "vis-network.css",
    "explorer.css": HERE / "static" / "explorer.css",
    "explorer-picker.js": HERE / "static" / "explorer-picker.js",
    "explorer-picker.css": HERE / "static" / "explorer-picker.css",
    **{name: HERE / "static" / name for name in SCRIPTS},
}  # the files a view needs, by the name the service serves them under

#: Above this many nodes in the whole network, a file written alone carries no copy of it to expand from.
UNIVERSE_LIMIT = 3000


def safe_json(data) -> str:
    """JSON that cannot end the ``<script>`` block it sits in."""
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def path_steps_for_page(view: View, base_iri: str, service_url: str | None, passage_href=None) -> list[dict]:
    """The path view's steps with labels and links, for the numbered list beside the picture."""
    def named(node):
        href = None if service_url is None else entity_href(node, base_iri, service_url)
        return {"label": view.graph.nodes[node]["label"], "iri": node, "href": href}

    def quotes(step):  # one passage often states two relations ("report to and inform"): show it once
        unique = {(s["passage"], s["quote"], s["lines"]): s for r in step["relations"] for s in r["sources"]}
        return [{"quote": q, "lines": lines, "href": passage_href(unique[(g, q, lines)]) if passage_href else None}
                for g, q, lines in sorted(unique)]

    return [dict(step, number=i + 1, quotes=quotes(step), **{"from": named(step["from"]), "to": named(step["to"])})
            for i, step in enumerate(view.steps)]


def universe(projection, view: View, base_iri: str, service_url, marks: dict, passage_href) -> dict | None:
    """The whole network, for a file that has no service to ask for a node's neighbours."""
    if projection is None or projection.number_of_nodes() > UNIVERSE_LIMIT:
        return None
    href = (lambda n: None) if service_url is None else (lambda n: entity_href(n, base_iri, service_url))
    return {"nodes": [node_item(n, dict(a, focus=False), marks.get(n, []), href(n), passage_href)
                      for n, a in projection.nodes(data=True) if n not in view.graph],
            "edges": [edge_item(0, s, o, k, a, passage_href) for s, o, k, a in projection.edges(keys=True, data=True)]}


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    text = ASSETS[name].read_text(encoding="utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():  # cannot happen for the shipped files; never inline something that would
        raise ValueError(f"{name} contains {closing} and cannot be inlined")
    return text


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=None)
def template(name: str = "explorer.html") -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                     trim_blocks=True, lstrip_blocks=True)
    return environment.get_template(name)


def render_page(view: View, base_iri: str, *, standalone: bool = False, asset_url: str = "/explore/assets",
                service_url: str | None = "", links: list[tuple[str, str, bool]] | None = None,
                state: ViewState | None = None, marks: dict | None = None, projection=None,
                passage_href=None, api: dict | None = None, pickers: dict | None = None,
                more: dict | None = None, frame=None) -> str:
    """The HTML page of a view (its picture, controls, details panel and text alternative).

    ``standalone`` inlines every script and style and sets a Content-Security-Policy
    that allows only them (by hash), so the file opens from disk and fetches nothing;
    it carries the whole network (``projection``) so that nodes can still be expanded.
    Otherwise the page references ``asset_url`` and the service sends the one policy of lscp_kg.service.security_headers;
    ``frame(title, head, body)`` then puts the explorer inside the site's page (its header and navigation).
    ``more`` (``href``, ``count``): the link that shows every neighbour of a view drawn within a budget.
    """
    state = state or ViewState()
    marks = marks if marks is not None else (marks_of(projection) if projection is not None else {})
    if passage_href is None and service_url is not None:
        passage_href = lambda source: entity_href(source["passage"], base_iri, service_url)  # noqa: E731
    hidden_kinds = view.hidden_kinds if state.hide_kinds is None else state.hide_kinds
    shown = visible_nodes(view.graph, view.brought, state)
    data = network_data(view, base_iri, service_url, marks, passage_href=passage_href, api=api, state={
        "expand": list(state.expand), "hide": list(state.hide), "focus": state.focus, "focus_depth": state.focus_depth,
        "hubs": state.hubs, "hide_kinds": list(hidden_kinds), "hide_relations": list(state.hide_relations),
        "layout": state.layout, "default_hide_kinds": list(view.hidden_kinds)})
    if standalone:
        data["universe"] = universe(projection, view, base_iri, service_url, marks, passage_href)
    href = (lambda n: None) if service_url is None else (lambda n: entity_href(n, base_iri, service_url))
    text = describe(view.graph, shown, marks, href, hidden_kinds, state.hide_relations, passage_href)
    context = {"view": view, "data_json": safe_json(data), "standalone": standalone, "asset_url": asset_url,
               "steps": path_steps_for_page(view, base_iri, service_url, passage_href), "links": links or [],
               "node_count": text["node_count"], "edge_count": len(text["sentences"]), "text": text,
               "legend_marks": data["legend"]["marks"], "pickers": pickers, "scripts_list": SCRIPTS, "more": more}
    if standalone:
        scripts = [asset_text(name) for name in ("vis-network.min.js",) + SCRIPTS]
        styles = [asset_text("vis-network.css"), asset_text("explorer.css"), asset_text("explorer-picker.css")]
        context.update(scripts=scripts, styles=styles, csp=(
            "default-src 'none'; script-src " + " ".join(map(csp_hash, scripts)) +
            "; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'"))
    if frame is not None and not standalone:
        head = template("_explorer_head.html").render(**context)
        return frame(view.title, head, template("_explorer_body.html").render(**context))
    return template().render(**context)
