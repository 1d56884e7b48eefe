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
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jinja2
import pyvis

from .links import entity_href
from .projection import TYPE_LABELS, quote_text
from .views import View

PYVIS_LIB = Path(pyvis.__file__).resolve().parent / "lib"
HERE = Path(__file__).resolve().parent
#: The files a view needs, by the name the service serves them under.
ASSETS = {
    "vis-network.min.js": PYVIS_LIB / "vis-9.1.2" / "vis-network.min.js",
    "vis-network.css": PYVIS_LIB / "vis-9.1.2" / "vis-network.css",
    "explorer.js": HERE / "static" / "explorer.js",
    "explorer.css": HERE / "static" / "explorer.css",
}
#: For served views: nothing from another host, no inline script.
SERVED_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'")

#: Colour and vis-network shape of each kind of node (shapes with the label below, cheap to draw).
NODE_STYLES = {
    "partnership": ("#6a1b9a", "star"), "partner organisation": ("#c62828", "diamond"),
    "organisation": ("#ef6c00", "diamond"), "group": ("#f9a825", "triangleDown"),
    "body": ("#2e7d32", "square"), "subgroup": ("#66bb6a", "triangle"), "seat": ("#9e9e9e", "dot"),
    "post": ("#1565c0", "square"), "person": ("#00838f", "dot"), "priority": ("#ad1457", "star"),
    "legislation": ("#4e342e", "triangleDown"), "guidance": ("#8d6e63", "hexagon"),
    "report": ("#3949ab", "square"), "report step": ("#795548", "dot"), "programme": ("#00695c", "hexagon"),
}
LABEL_LENGTH = 80
#: Above this many edges, edges are hidden while the view is dragged or zoomed, so that it stays fluid.
LARGE = 1000


def safe_json(data) -> str:
    """JSON that cannot end the ``<script>`` block it sits in."""
    text = json.dumps(data, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def vis_options(view: View, edge_count: int) -> dict:
    large = edge_count > LARGE
    options = {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "keyboard": True},
        "nodes": {"size": 14, "borderWidth": 1, "font": {"size": 14, "face": "sans-serif"},
                  "widthConstraint": {"maximum": 170}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1,
                  "font": {"size": 10, "color": "#444", "strokeWidth": 3, "align": "middle"},
                  "color": {"color": "#9a9a9a", "highlight": "#333", "hover": "#333"},
                  "smooth": False},
    }
    if view.layout == "hierarchical":
        options["edges"]["smooth"] = {"enabled": not large, "type": "cubicBezier", "forceDirection": "vertical",
                                      "roundness": 0.4}
    return options


def network_data(view: View, base_iri: str, service_url: str | None = "") -> dict:
    """Nodes, edges, options and legend of a view, as the page script reads them.

    ``service_url`` is where entity pages live: ``""`` for links relative to the
    service, ``None`` for a standalone file with no service (no links).
    """
    graph = view.graph
    nodes = []
    for node, attrs in graph.nodes(data=True):
        colour, shape = NODE_STYLES.get(attrs["type"], ("#607d8b", "dot"))
        item = {"id": node, "label": short(attrs.get("short_label") or attrs["label"]), "full_label": attrs["label"], "type": attrs["type"],
                "type_label": attrs["type_label"], "role": attrs.get("role", ""), "group_label": attrs.get("group", ""),
                "quote": quote_text(attrs.get("sources", [])), "shape": shape,
                "href": None if service_url is None else entity_href(node, base_iri, service_url),
                "color": {"background": colour, "border": colour,
                          "highlight": {"background": colour, "border": "#000"}},
                "dead_end": bool(attrs.get("dead_end"))}
        if attrs["type"] == "seat":
            item["size"] = 8
        if attrs.get("focus"):
            item["size"], item["borderWidth"] = 22, 3
        if item["dead_end"]:
            item["color"]["border"], item["borderWidth"] = "#d50000", 4
            item["shapeProperties"] = {"borderDashes": [5, 3]}
        if "x" in attrs:
            item["x"], item["y"] = round(attrs["x"], 1), round(attrs["y"], 1)
        nodes.append(item)
    edges = []
    for i, (s, o, key, attrs) in enumerate(graph.edges(keys=True, data=True)):
        edges.append({"id": f"e{i}", "from": s, "to": o, "relation": key, "label": attrs["relation_label"],
                      "quote": quote_text(attrs.get("sources", [])), "dashes": bool(attrs.get("display_only"))})
    node_counts = Counter(n["type"] for n in nodes)
    edge_counts = Counter(e["relation"] for e in edges)
    edge_labels = {e["relation"]: e["label"] for e in edges}
    return {
        "view": {"name": view.name, "title": view.title, "description": view.description, "notes": view.notes},
        "nodes": nodes, "edges": edges, "options": vis_options(view, len(edges)),
        "legend": {"nodes": [{"type": t, "label": TYPE_LABELS.get(t, t), "color": NODE_STYLES.get(t, ("#607d8b",))[0],
                              "shape": NODE_STYLES.get(t, ("", "dot"))[1], "count": node_counts[t]}
                             for t in NODE_STYLES if node_counts[t]],
                   "edges": [{"relation": r, "label": edge_labels[r], "count": edge_counts[r]}
                             for r in sorted(edge_counts, key=lambda r: edge_labels[r])]},
    }


def path_steps_for_page(view: View, base_iri: str, service_url: str | None) -> list[dict]:
    """The path view's steps with labels and links, for the list beside the picture."""
    def named(node):
        href = None if service_url is None else entity_href(node, base_iri, service_url)
        return {"label": view.graph.nodes[node]["label"], "iri": node, "href": href}

    def quotes(step):  # one passage often states two relations ("report to and inform"): show it once
        unique = {(s["passage"], s["quote"], s["lines"]) for r in step["relations"] for s in r["sources"]}
        return [{"quote": q, "lines": lines} for _, q, lines in sorted(unique)]

    return [dict(step, quotes=quotes(step), **{"from": named(step["from"]), "to": named(step["to"])})
            for step in view.steps]


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
def template() -> jinja2.Template:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                     trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("explorer.html")


def render_page(view: View, base_iri: str, *, standalone: bool = False, asset_url: str = "/explore/assets",
                service_url: str | None = "", links: list[tuple[str, str, bool]] | None = None) -> str:
    """The HTML page of a view.

    ``standalone`` inlines every script and style and sets a Content-Security-Policy
    that allows only them (by hash), so the file opens from disk and fetches nothing.
    Otherwise the page references ``asset_url`` and the service sends :data:`SERVED_CSP`.
    """
    data = network_data(view, base_iri, service_url)
    context = {"view": view, "data_json": safe_json(data), "standalone": standalone, "asset_url": asset_url,
               "steps": path_steps_for_page(view, base_iri, service_url), "links": links or [],
               "node_count": len(data["nodes"]), "edge_count": len(data["edges"])}
    if standalone:
        scripts = [asset_text("vis-network.min.js"), asset_text("explorer.js")]
        styles = [asset_text("vis-network.css"), asset_text("explorer.css")]
        context.update(scripts=scripts, styles=styles, csp=(
            "default-src 'none'; script-src " + " ".join(map(csp_hash, scripts)) +
            "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"))
    return template().render(**context)
