"""A view as the JSON the page script draws: nodes, edges, legend, marks and the view's state.

Node and edge dictionaries have the shape vis-network reads (``id``, ``label``,
``shape``, ``color``, ``x``/``y``, ``from``/``to``), plus what the explorer
shows beside the picture (kind, partnership, each source quote with its lines
and a link to them). The neighbours API returns nodes and edges in the same
shape (:func:`node_item`, :func:`edge_item`).

Labels have three sizes: bodies, the partnership and the highlighted entities
are largest, seats and report steps smallest. A label is drawn only when it is
at least 12 px on screen (vis-network's ``drawThreshold``), so the less
important labels appear as one zooms in.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from lscp_kg.entity_links import entity_href

from .marks import MARK_BY_KEY, MARKS
from .neighbourhood import HUB_TYPES
from .projection import TYPE_LABELS
from .view_model import View

#: Colour and vis-network shape of each kind of node.
NODE_STYLES = {
    "partnership": ("#6a1b9a", "star"), "partner organisation": ("#c62828", "diamond"),
    "organisation": ("#ef6c00", "diamond"), "group": ("#f9a825", "triangleDown"),
    "body": ("#2e7d32", "square"), "subgroup": ("#66bb6a", "triangle"), "seat": ("#9e9e9e", "dot"),
    "post": ("#1565c0", "square"), "person": ("#00838f", "dot"), "priority": ("#ad1457", "star"),
    "legislation": ("#4e342e", "triangleDown"), "guidance": ("#8d6e63", "hexagon"),
    "report": ("#3949ab", "square"), "report step": ("#795548", "dot"), "programme": ("#00695c", "hexagon"),
}
IMPORTANT_TYPES = ("body", "subgroup", "partnership")
MINOR_TYPES = ("seat", "report step")
FONT_SIZES = {"important": 24, "normal": 16, "minor": 14}
#: A label smaller than this on screen is not drawn (vis-network draws it when size >= threshold - 1).
LABEL_THRESHOLD = 13
LABEL_LENGTH = 80
#: Above this many edges, edges are hidden while the view is dragged or zoomed, so that it stays fluid.
LARGE = 1000


MARKS_FOR_PAGE = [{"mark": m.key, "label": m.label, "color": m.colour, "dashes": m.dashes, "symbol": m.symbol}
                  for m in MARKS]


def short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def sources_for_page(sources: list[dict], passage_href) -> list[dict]:
    if not passage_href:
        return [{"quote": s["quote"], "lines": s["lines"]} for s in sources]
    return [{"quote": s["quote"], "lines": s["lines"], "href": passage_href(s)} for s in sources]


#: Node fields left out of the page when they have these values (thousands of nodes: a smaller page).
OMITTED_WHEN = {"role": "", "group_label": "", "partnerships": [], "href": None, "hub": False, "marks": [],
                "base": True}


def importance_of(kind: str) -> str:
    return "important" if kind in IMPORTANT_TYPES else "minor" if kind in MINOR_TYPES else "normal"


def group_styles() -> dict:
    """One vis-network group per kind of node: its colour, shape, label size (not repeated on each node)."""
    groups = {}
    for kind, (colour, shape) in NODE_STYLES.items():
        groups[kind] = {"shape": shape, "font": {"size": FONT_SIZES[importance_of(kind)]},
                        "color": {"background": colour, "border": colour, "highlight": {"background": colour, "border": "#000"}}}
        if kind in MINOR_TYPES:
            groups[kind]["size"] = 9
    return groups


def node_item(node: str, attrs: dict, marks: list[str], href, passage_href) -> dict:
    """A node as the page draws it; its style is its kind's group, with marks and highlighting on top."""
    kind = attrs["type"] if attrs["type"] in NODE_STYLES else "organisation"
    marks = (["highlighted"] if attrs.get("focus") else []) + [m for m in marks if m != "highlighted"]
    importance = "important" if attrs.get("focus") else importance_of(kind)
    item = {"id": node, "group": kind, "label": short(attrs.get("short_label") or attrs["label"]),
            "full_label": attrs["label"], "type": attrs["type"], "type_label": attrs["type_label"],
            "role": attrs.get("role", ""), "group_label": attrs.get("group", ""),
            "partnerships": list(attrs.get("partnership_labels", ())),
            "sources": sources_for_page(attrs.get("sources", []), passage_href), "href": href,
            "hub": bool(attrs.get("hub")), "marks": marks, "importance": importance, "base": not attrs.get("brought_in")}
    for key, default in OMITTED_WHEN.items():  # the page script puts them back (explorer.js: complete)
        if item[key] == default:
            del item[key]
    if item["full_label"] == item["label"]:
        del item["full_label"]
    if importance != importance_of(kind):
        item["font"] = {"size": FONT_SIZES[importance]}
    if marks:
        colour = NODE_STYLES[kind][0]
        mark = MARK_BY_KEY[marks[0]]
        item["color"] = {"background": colour, "border": mark.colour, "highlight": {"background": colour, "border": "#000"}}
        item["borderWidth"] = 4
        if mark.dashes:
            item["shapeProperties"] = {"borderDashes": [6, 3]}
    if attrs.get("focus"):
        item["size"], item["borderWidth"] = 24, 5
        item["shadow"] = {"enabled": True, "color": "rgba(255, 193, 7, 0.9)", "size": 18, "x": 0, "y": 0}
    if "x" in attrs:
        item["x"], item["y"] = round(attrs["x"], 1), round(attrs["y"], 1)
    return item


def edge_item(number: int, s: str, o: str, key: str, attrs: dict, passage_href) -> dict:
    """An edge as the page draws it; its id (``from|relation|to``) is made by the page script, to keep the page small."""
    item = {"from": s, "to": o, "relation": key, "label": attrs["relation_label"],
            "sources": sources_for_page(attrs.get("sources", []), passage_href)}
    if attrs.get("display_only"):
        item["dashes"] = True
    return item


def vis_options(view: View, edge_count: int) -> dict:
    large = edge_count > LARGE
    options = {
        "autoResize": True,
        "groups": group_styles(),
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "keyboard": False, "multiselect": False},
        "nodes": {"size": 14, "borderWidth": 1, "font": {"size": FONT_SIZES["normal"], "face": "sans-serif"},
                  "widthConstraint": {"maximum": 190},
                  "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD, "maxVisible": 28}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "width": 1,
                  "font": {"size": 13, "color": "#333", "strokeWidth": 3, "align": "middle"},
                  "scaling": {"label": {"drawThreshold": LABEL_THRESHOLD, "maxVisible": 22}},
                  "color": {"color": "#8a8a8a", "highlight": "#222", "hover": "#222"},
                  "smooth": False},
    }
    if view.layout == "hierarchical":
        options["edges"]["smooth"] = {"enabled": not large, "type": "cubicBezier", "forceDirection": "vertical",
                                      "roundness": 0.4}
    return options


def network_data(view: View, base_iri: str, service_url: str | None, marks: dict, state: dict,
                 passage_href=None, api: dict | None = None) -> dict:
    """Everything the page script needs for one view; ``service_url`` None: no links (a file on its own)."""
    graph: nx.MultiDiGraph = view.graph

    def href(node):
        return None if service_url is None else entity_href(node, base_iri, service_url)

    nodes = [node_item(n, a, marks.get(n, []), href(n), passage_href) for n, a in graph.nodes(data=True)]
    edges = [edge_item(i, s, o, k, a, passage_href) for i, (s, o, k, a) in enumerate(graph.edges(keys=True, data=True))]
    node_counts = Counter(n["type"] for n in nodes)
    edge_counts = Counter(e["relation"] for e in edges)
    edge_labels = {e["relation"]: e["label"] for e in edges}
    mark_counts = Counter(m for n in nodes for m in n.get("marks", ()))
    return {
        "view": {"name": view.name, "title": view.title, "description": view.description, "notes": view.notes,
                 "layout": view.layout},
        "nodes": nodes, "edges": edges, "options": vis_options(view, len(edges)), "brought": view.brought,
        "state": state, "hub_types": list(HUB_TYPES), "marks": MARKS_FOR_PAGE, "api": api or {}, "min_label_px": LABEL_THRESHOLD - 1,
        "legend": {"nodes": [{"type": t, "label": TYPE_LABELS.get(t, t), "color": NODE_STYLES.get(t, ("#607d8b",))[0],
                              "shape": NODE_STYLES.get(t, ("", "dot"))[1], "count": node_counts[t]}
                             for t in NODE_STYLES if node_counts[t]],
                   "edges": [{"relation": r, "label": edge_labels[r], "count": edge_counts[r]}
                             for r in sorted(edge_counts, key=lambda r: edge_labels[r])],
                   "marks": [{"mark": m.key, "label": m.label, "color": m.colour, "dashes": m.dashes,
                              "symbol": m.symbol, "count": mark_counts[m.key]} for m in MARKS if mark_counts[m.key]]},
    }
