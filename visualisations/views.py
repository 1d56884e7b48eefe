"""The views: which part of the projection each picture shows, and how it is laid out.

A view is a subgraph of the projection (:class:`.view_model.View`) whose nodes
carry ``x``/``y`` (computed here) and, for a hierarchy, ``level``.

Where things go: a new view is a function here (a fixed view, taking no
parameters) or in :mod:`.views_around` (around chosen entities) returning a
``View``; add it to :data:`VIEWS`, to :data:`FIXED_VIEWS` if it takes no
parameters (or its parameters to :data:`VIEW_PARAMETERS`), and its title to
``VIEW_TITLES`` in ``service/explore.py``. A new mark of an analysis on the
pictures goes in :mod:`.marks`; what the explorer does with a view (expand,
hide, focus, filters in the URL) is :mod:`.view_state` and ``static/explorer-state.js``.

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.visualisations.projection import project
>>> view = build_view(project(load_knowledge_graph()), "reporting")
>>> view.layout, view.graph.number_of_edges() > 0
('hierarchical', True)
"""

from __future__ import annotations

import networkx as nx

from lscp_kg.query_parameters import Parameter, ParameterError

from .layout import around_fixed, column_positions, pack
from .projection import accountability_graph, is_lead_representative
from .view_model import View, ViewError, nodes_of, subgraph, with_levels, with_positions, with_tiers
from .views_around import entity, path

BODY_TYPES = ("body", "subgroup")
DOCUMENT_TYPES = ("legislation", "guidance")
SEAT_ROW = 62
#: What the seats view draws between a body, its seats, their organisations, posts and holders.
SEAT_RELATIONS = {"org:organization", "org:member", "lscp:seatPost", "lscp:representedBy", "org:holds"}


def structure(graph, **_):
    part = subgraph(graph, graph.nodes)
    shown_first = set(BODY_TYPES) | {"partnership"}
    core = subgraph(graph, nodes_of(graph, *shown_first), {"org:reportsTo"})  # drawn as the reporting lines view
    layers = [with_levels(subgraph(core, c)) for c in sorted(nx.weakly_connected_components(core), key=lambda c: (-len(c), min(c)))]
    fixed = pack([{n: (a["x"], a["y"]) for n, a in layer.nodes(data=True)} for layer in layers]) if layers else {}
    return View("structure", "The whole structure", "Every partner, body, post, person, seat, priority, "
                "document and programme in the graph, and how they relate. It opens at the bodies and their "
                "reporting lines: tick a kind in the legend, or expand a node, to see more.",
                with_positions(part, around_fixed(part, fixed)),
                hidden_kinds=tuple(sorted({t for _, t in graph.nodes(data="type")} - shown_first)))


def accountability(graph, **_):
    steps = accountability_graph(graph)
    part = subgraph(steps, accountable_nodes(graph, steps))
    add_support_lines(graph, part)
    mark_dead_ends(graph, part)
    level_holders_beside_posts(part)
    with_tiers(part)
    return View("accountability", "Accountability", "Who answers to whom, top down: lead representatives, the officers "
                "they delegate to, the Executive, the Partnership Group and the subgroups (steps as in the "
                "accountability-chain query). A red border marks where a chain stops short of a lead representative.",
                part, layout="hierarchical",
                notes=["Edges point the way accountability runs; 'seat held by' joins a body to the post that holds "
                       "one of its seats, 'delegated by' joins an officer's post to the lead representative's."])


def accountable_nodes(graph, steps) -> set[str]:
    """The bodies, everything they answer to, the lead representatives, and the people holding those posts."""
    bodies = nodes_of(graph, *BODY_TYPES)
    keep = set(bodies).union(*(nx.descendants(steps, b) for b in bodies))
    keep |= {n for n in graph if is_lead_representative(graph, n)}
    keep |= {s for s, o in steps.edges() if o in keep and graph.nodes[s]["type"] == "person"}
    return keep


def add_support_lines(graph, part) -> None:
    """Draw (not follow) lscp:supportedBy between two bodies, one of them seated: the Executive is supported
    by the Partnership Group."""
    seated = {o for s, o, k in graph.edges(keys=True) if k == "org:organization"}
    for s, o, k, attrs in graph.edges(keys=True, data=True):
        if k == "lscp:supportedBy" and s in part and o in seated and {graph.nodes[s]["type"], graph.nodes[o]["type"]} <= set(BODY_TYPES):
            part.add_edge(o, s, key=k, **dict(attrs, display_only=True))


def mark_dead_ends(graph, part) -> None:
    """``dead_end``: the chain stops here, short of a lead representative and of the agency one answers for."""
    for node in part:
        ends_here = part.out_degree(node) == 0 and not is_lead_representative(graph, node) and not any(
            k == "lscp:accountableFor" for _, _, k in part.in_edges(node, keys=True))
        part.nodes[node]["dead_end"] = ends_here


def level_holders_beside_posts(part) -> None:
    """Each node's ``level``, people level with the post they hold (beside it, not above it)."""
    lifted = nx.MultiDiGraph(part)
    holders = [(s, o) for s, o, k in part.edges(keys=True) if k == "org:holds"]
    lifted.remove_edges_from([(s, o, "org:holds") for s, o in holders])
    with_levels(lifted)
    for node in part:
        part.nodes[node]["level"] = lifted.nodes[node]["level"]
    for person, post in holders:
        part.nodes[person]["level"] = part.nodes[post]["level"]


def reporting(graph, **_):
    lines = [(s, o) for s, o, k in graph.edges(keys=True) if k == "org:reportsTo"]
    keep = set(nodes_of(graph, *BODY_TYPES)).union(*lines)
    return View("reporting", "Reporting lines", "Every body, and the bodies and posts it reports to (org:reportsTo).",
                with_levels(subgraph(graph, keep, {"org:reportsTo"})), layout="hierarchical")


def seats(graph, body: str | None = None, **_):
    seat_of = {s: o for s, o, k in graph.edges(keys=True) if k == "org:organization" and graph.nodes[s]["type"] == "seat"}
    if body is None:
        body = body_with_most_seats(seat_of)
    if body not in graph:
        raise ViewError(f"no such entity in the network: {body}")
    on_body = sorted(s for s, b in seat_of.items() if b == body)
    groups = seats_by_member(graph, on_body)
    part = subgraph(graph, seat_neighbourhood(graph, body, on_body), SEAT_RELATIONS)
    positions = seat_rows(graph, part, body, groups)
    member_count = sum(len(v) for g, v in groups.items() if g)
    return View("seats", f"Seats of {graph.nodes[body]['label']} by organisation",
                f"{len(on_body)} seats: {member_count} held by an organisation as member, grouped by organisation; "
                f"{len(groups.get('', []))} with no member organisation (held through a post only). Seats are "
                "labelled by role; hover for the row of the source.", with_positions(part, positions))


def body_with_most_seats(seat_of: dict[str, str]) -> str | None:
    """The body with the most seats (the first by IRI of those with most); None when no body has a seat."""
    counts = {b: sum(1 for o in seat_of.values() if o == b) for b in set(seat_of.values())}
    return max(sorted(counts), key=counts.get, default=None)


def seat_links(graph, seat: str) -> dict[str, str]:
    """A seat's relations: relation -> the node it leads to."""
    return {k: o for _, o, k in graph.out_edges(seat, keys=True)}


def seats_by_member(graph, on_body: list[str]) -> dict[str, list[str]]:
    """The body's seats by the organisation that holds each as member ("": none)."""
    groups: dict[str, list[str]] = {}
    for seat in on_body:
        groups.setdefault(seat_links(graph, seat).get("org:member") or "", []).append(seat)
    return groups


def seat_neighbourhood(graph, body: str, on_body: list[str]) -> set[str]:
    """The body, its seats, their member organisations, posts and representatives, and who holds the posts."""
    keep = {body, *on_body}
    for seat in on_body:
        linked = seat_links(graph, seat)
        keep.update(o for k, o in linked.items() if k in ("org:member", "lscp:seatPost", "lscp:representedBy"))
        if "lscp:seatPost" in linked:
            keep.update(s for s, _, k in graph.in_edges(linked["lscp:seatPost"], keys=True) if k == "org:holds")
    return keep


def seat_rows(graph, part, body: str, groups: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """One row per seat, the largest member organisation's first, each organisation beside its rows; the body
    at the middle, left. Columns: body, organisation, seat, post, holder."""
    order = sorted(groups, key=lambda g: (-len(groups[g]), graph.nodes[g]["label"].casefold() if g else "~"))
    row, positions = 0, {body: (0.0, 0.0)}
    for member in order:
        first = row
        for seat in groups[member]:
            place_seat(graph, part, positions, seat, member, row * SEAT_ROW)
            row += 1
        if member:
            positions[member] = (350.0, (first + row - 1) / 2 * SEAT_ROW)
    centre = (row - 1) / 2 * SEAT_ROW
    positions = {n: (x, y - centre) for n, (x, y) in positions.items()}
    positions[body] = (0.0, 0.0)
    return positions


def place_seat(graph, part, positions: dict, seat: str, member: str, y: float) -> None:
    """A seat's row: the seat (labelled by role, grouped by organisation), the posts that fill it (without the
    organisation's name, which the group says) and who holds them, each placed at its first row."""
    part.nodes[seat]["group"] = graph.nodes[member]["label"] if member else "no member organisation"
    part.nodes[seat]["short_label"] = part.nodes[seat]["role"] or "Seat"
    positions[seat] = (700.0, y)
    suffix = ", " + graph.nodes[member]["label"] if member else ""
    for _, post, k in part.out_edges(seat, keys=True):
        if k in ("lscp:seatPost", "lscp:representedBy") and post not in positions:
            positions[post] = (1050.0, y)
            if suffix and part.nodes[post]["label"].endswith(suffix):
                part.nodes[post]["short_label"] = part.nodes[post]["label"][: -len(suffix)]
            for holder, _, k2 in part.in_edges(post, keys=True):
                if k2 == "org:holds" and holder not in positions:
                    positions[holder] = (1400.0, y)


def priorities(graph, **_):
    chosen = nodes_of(graph, "priority")
    addressing = {s for p in chosen for s, _ in graph.in_edges(p)}
    part = subgraph(graph, set(chosen) | addressing)
    unaddressed = [p for p in chosen if part.in_degree(p) == 0]
    notes = [f"{len(unaddressed)} of {len(chosen)} priorities are addressed by no body in the graph."] if chosen else []
    columns = [sorted(addressing, key=lambda n: graph.nodes[n]["label"]), sorted(chosen, key=lambda n: graph.nodes[n]["label"])]
    return View("priorities", "Priorities and the bodies that address them", "The partnership's strategic and "
                "overarching priorities, and every body or programme that addresses or refers to one.",
                with_positions(part, column_positions(columns)), notes=notes)


def legislation(graph, **_):
    documents = nodes_of(graph, *DOCUMENT_TYPES)
    resting = {s for d in documents for s, _ in graph.in_edges(d)}
    part = subgraph(graph, set(documents) | resting)
    by_label = lambda nodes: sorted(nodes, key=lambda n: graph.nodes[n]["label"])  # noqa: E731
    columns = [by_label(resting - set(documents)), by_label(n for n in documents if graph.nodes[n]["type"] == "legislation"),
               by_label(n for n in documents if graph.nodes[n]["type"] == "guidance")]
    return View("legislation", "Legislation, guidance and what rests on them", "Acts and guidance, and the "
                "partnership, bodies and programmes that are created by, underpinned by, follow or implement them.",
                with_positions(part, column_positions([c for c in columns if c])))


def report_path(graph, **_):
    steps = [n for n in graph if graph.nodes[n]["type"] == "report step"]
    series = {s for st in steps for s, _, k in graph.in_edges(st, keys=True) if k == "lscp:reportStep"}
    actors = {o for st in steps for _, o, k in graph.out_edges(st, keys=True) if k == "lscp:actor"}
    reports = {s for se in series for s, _, k in graph.in_edges(se, keys=True) if k == "dcterms:isPartOf"}
    part = subgraph(graph, set(steps) | series | actors | reports,
                    {"lscp:reportStep", "lscp:actor", "dcterms:isPartOf", "lscp:scrutinisedBy"})
    level_by_step_order(graph, part, steps, actors)
    with_tiers(part)
    return View("report-path", "The annual report's path", "From independent scrutiny to endorsement, presentation, "
                "publication and distribution: each step in order, with who takes it.", part, layout="hierarchical")


def level_by_step_order(graph, part, steps: list[str], actors: set[str]) -> None:
    """Each step one level below the last (by lscp:stepOrder), each actor level with its first step; the
    report series and reports at the top."""
    for node in part:
        part.nodes[node]["level"] = 0
    for step in steps:
        part.nodes[step]["level"] = graph.nodes[step].get("order", 0) + 1
    for actor in actors:
        orders = [part.nodes[s]["level"] for s, _, k in part.in_edges(actor, keys=True) if k == "lscp:actor"]
        part.nodes[actor]["level"] = min(orders)


VIEWS = {"structure": structure, "accountability": accountability, "reporting": reporting, "seats": seats,
         "priorities": priorities, "legislation": legislation, "report-path": report_path, "entity": entity, "path": path}
#: Views that need no parameters (the ones the explorer lists and ``lscp-kg visualise`` can draw alone).
FIXED_VIEWS = ("structure", "accountability", "reporting", "seats", "priorities", "legislation", "report-path")


def build_view(graph: nx.MultiDiGraph, name: str, **params) -> View:
    """Build a view by name; ``entity`` takes iri (one or a list)/depth/hubs, ``path`` source/target, ``seats`` body."""
    if name not in VIEWS:
        raise ViewError(f"unknown view {name!r}; choose one of {', '.join(VIEWS)}")
    return VIEWS[name](graph, **params)


#: The parameters of the views that take any, with their types (as named queries type theirs)
#: and the keyword each becomes: ``/explore/path?from=...&to=...``.
VIEW_PARAMETERS = {
    "entity": {"iri": ("iri", "iri"), "depth": ("integer", "depth"), "limit": ("integer", "limit")},
    "path": {"from": ("iri", "source"), "to": ("iri", "target")},
    "seats": {"body": ("iri", "body")},
}


def view_parameters(name: str, raw: dict, base_iri: str) -> dict:
    """Check and convert a view's raw parameters (IRIs may be relative to the base).

    >>> view_parameters("path", {"from": "id/a", "to": "http://x/b"}, "http://base/")
    {'source': 'http://base/id/a', 'target': 'http://x/b'}
    """
    known = VIEW_PARAMETERS.get(name, {})
    converted = {}
    for key, value in raw.items():
        if isinstance(value, list) and key == "iri" and name == "entity":  # several entities: ?iri=a&iri=b
            converted["iri"] = [view_parameters(name, {key: v}, base_iri)["iri"] for v in value if v]
            continue
        if isinstance(value, list):
            value = value[-1] if value else None
        if value is None or value == "":
            continue
        if key not in known:
            raise ViewError(f"the {name} view takes no parameter {key!r}"
                            + (f"; it takes {', '.join(known)}" if known else ""))
        kind, keyword = known[key]
        try:
            term = Parameter(key, kind).to_term(value, base_iri)
        except ParameterError as error:
            raise ViewError(str(error)) from None
        converted[keyword] = int(term.value) if kind == "integer" else term.value
    return converted
