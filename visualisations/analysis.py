"""Analyses of the network that the scrutineer asks for.

Each check returns findings; each finding names the entities it is about
(IRI, label, kind and the link to their entity page).

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.visualisations.projection import project
>>> report = analyse(project(load_knowledge_graph()))
>>> [check["check"] for check in report["checks"]][:2]
['accountability-dead-ends', 'reporting-cycles']
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import islice

import networkx as nx

from lscp_kg.entity_links import entity_href

from .projection import accountability_graph, is_lead_representative

BODY_TYPES = ("body", "subgroup")
ORGANISATION_TYPES = ("organisation", "partner organisation", "partnership")
MAX_CYCLES = 50
TOP = 10


def entity(graph: nx.MultiDiGraph, node: str, service_url: str = "") -> dict:
    attrs = graph.nodes[node]
    return {"iri": node, "label": attrs["label"], "type": attrs["type"],
            "href": entity_href(node, graph.graph.get("base_iri", ""), service_url)}


def by_label(graph: nx.MultiDiGraph, nodes) -> list[str]:
    return sorted(nodes, key=lambda n: (graph.nodes[n]["label"].casefold(), n))


def is_former(graph: nx.MultiDiGraph, node: str) -> bool:
    """Something the arrangements say was replaced (a body the MACE replaced): history, not a current gap."""
    return any(k == "lscp:replaced" for _, _, k in graph.in_edges(node, keys=True))


def current_bodies(graph: nx.MultiDiGraph) -> list[str]:
    """Bodies and subgroups, less those that were replaced, by name."""
    return by_label(graph, (n for n, t in graph.nodes(data="type") if t in BODY_TYPES and not is_former(graph, n)))


def path_steps(graph: nx.MultiDiGraph, path: list[str]) -> list[dict]:
    """Each step of a node path: from, relation, to, with the quotes that state it."""
    steps = []
    for source, target in zip(path, path[1:]):
        relation, attrs = sorted(graph[source][target].items())[0]
        steps.append({"from": source, "relation": relation, "to": target,
                      "relation_label": attrs.get("relation_label") or relation,  # the words a page shows
                      "quotes": [s["quote"] for s in attrs["sources"]]})
    return steps


def accountability_dead_ends(graph: nx.MultiDiGraph, steps: nx.MultiDiGraph) -> list[dict]:
    """Chains from a body that stop at something other than a lead representative."""
    lead_agencies = {o for s, o, k in steps.edges(keys=True) if k == "lscp:accountableFor"}
    reached_from: dict[str, list[str]] = defaultdict(list)
    for body in current_bodies(graph):
        for end in {body} | nx.descendants(steps, body):
            if steps.out_degree(end) == 0 and end not in lead_agencies and not is_lead_representative(graph, end):
                reached_from[end].append(body)
    findings = []
    for end in by_label(graph, reached_from):
        starts = reached_from[end]
        label, kind = graph.nodes[end]["label"], graph.nodes[end]["type_label"].lower()
        if starts == [end]:
            summary = f"{label} has no accountability step: no reporting line and no seat held through a post."
            path = [end]
        else:
            # the first body that reaches the end from elsewhere (the end may be among the bodies itself)
            path = nx.shortest_path(steps, next(s for s in starts if s != end), end)
            via = graph.nodes[path[-2]]["label"]
            bodies = f"{len(starts)} bodies" if len(starts) > 1 else graph.nodes[starts[0]]["label"]
            summary = (f"Accountability from {bodies} stops at {label} ({kind}), reached through {via}: "
                       f"not a lead representative, and it answers to no one further.")
        findings.append({"summary": summary, "entities": [end] + [s for s in starts if s != end],
                         "path": path_steps(steps, path)})
    return findings


def reporting_cycles(graph: nx.MultiDiGraph) -> list[dict]:
    """Loops in org:reportsTo (a body that ends up reporting to itself)."""
    lines = nx.DiGraph((s, o) for s, o, k in graph.edges(keys=True) if k == "org:reportsTo")
    findings = []
    for cycle in islice(nx.simple_cycles(lines), MAX_CYCLES):
        path = cycle + [cycle[0]]
        findings.append({"summary": "Reporting lines form a loop: " + " -> ".join(graph.nodes[n]["label"] for n in path),
                         "entities": cycle, "path": path_steps(graph, path)})
    return findings


def bodies_without_reporting_line(graph: nx.MultiDiGraph) -> list[dict]:
    return [{"summary": f"{graph.nodes[n]['label']} reports to no body or post.", "entities": [n]}
            for n in current_bodies(graph)
            if not any(k == "org:reportsTo" for _, _, k in graph.out_edges(n, keys=True))]


def posts_without_holder(graph: nx.MultiDiGraph) -> list[dict]:
    findings = []
    for post in by_label(graph, (n for n, t in graph.nodes(data="type") if t == "post")):
        if any(k == "org:holds" for _, _, k in graph.in_edges(post, keys=True)):
            continue
        bodies = sorted({body for seat, _, k in graph.in_edges(post, keys=True) if k == "lscp:seatPost"
                         for _, body, k2 in graph.out_edges(seat, keys=True) if k2 == "org:organization"})
        where = f"; it holds a seat on {', '.join(graph.nodes[b]['label'] for b in bodies)}" if bodies else ""
        findings.append({"summary": f"No one is named as holding {graph.nodes[post]['label']}{where}.",
                         "entities": [post] + bodies})
    return findings


def organisations_with_most_seats(graph: nx.MultiDiGraph) -> list[dict]:
    """Organisations ranked by the seats they hold as org:member, with the bodies concerned."""
    seats: dict[str, Counter] = defaultdict(Counter)
    for seat, member, key in graph.edges(keys=True):
        if key == "org:member" and graph.nodes[seat]["type"] == "seat" and graph.nodes[member]["type"] in ORGANISATION_TYPES:
            for _, body, k in graph.out_edges(seat, keys=True):
                if k == "org:organization":
                    seats[member][body] += 1
    ranked = sorted(seats, key=lambda o: (-sum(seats[o].values()), graph.nodes[o]["label"].casefold()))
    findings = []
    for org in ranked[:TOP]:
        total = sum(seats[org].values())
        where = ", ".join(f"{graph.nodes[b]['label']} {n}" for b, n in sorted(seats[org].items()))
        findings.append({"summary": f"{graph.nodes[org]['label']}: {total} seat{'s' * (total != 1)} ({where}).",
                         "entities": [org, *sorted(seats[org])], "seats": total})
    return findings


def how_central(score: float, highest: float) -> str:
    """A centrality score in words, against the most central thing of the same kind.

    >>> [how_central(s, 0.4) for s in (0.4, 0.1, 0.05, 0.0)]
    ['high', 'medium', 'low', 'not on any path between others']
    """
    if score <= 0 or highest <= 0:
        return "not on any path between others"
    share = score / highest
    return "high" if share >= 0.5 else "medium" if share >= 0.2 else "low"


def centrality(graph: nx.MultiDiGraph, kinds: tuple[str, ...]) -> list[dict]:
    """Betweenness centrality in the whole structure (edges taken both ways), said in words for pages
    ("how central: high") with the measure itself in ``technical`` (shown on request)."""
    undirected = nx.Graph(graph)
    scores = nx.betweenness_centrality(undirected)
    nodes = [n for n, t in graph.nodes(data="type") if t in kinds and not is_former(graph, n)]
    highest = max((scores[n] for n in nodes), default=0.0)  # against the most central of the same kind
    ranked = sorted(nodes, key=lambda n: (-scores[n], graph.nodes[n]["label"].casefold()))[:TOP]
    findings = []
    for n in ranked:
        linked = undirected.degree(n)
        findings.append({
            "summary": f"{graph.nodes[n]['label']}: how central: {how_central(scores[n], highest)} "
                       f"(directly linked to {linked} other{'s' * (linked != 1)}).",
            "entities": [n], "score": round(scores[n], 6), "centrality": how_central(scores[n], highest),
            "technical": f"betweenness centrality {scores[n]:.3f} (the highest of its kind is {highest:.3f}); "
                         f"degree {linked}."})
    return findings


#: Each check: its key, title and description in plain words, and what it computes in the terms of the
#: ontology and of network analysis (shown on request, as "Technical details").
CHECKS = (
    ("accountability-dead-ends", "Accountability chains that end somewhere other than a lead representative",
     "Following reporting lines, seats held through posts, the people holding posts and delegations upwards (as "
     "the question about the accountability chain does), the places where a chain from a body stops short of a "
     "lead representative.",
     "Steps: org:reportsTo, a seat's lscp:seatPost, org:holds and delegations, followed upwards from each current "
     "body or subgroup; a chain ends where no step leaves it and it is not a lead representative."),
    ("reporting-cycles", "Loops in reporting lines", "Bodies or posts that, following their reporting lines, "
     "end up reporting to themselves.", "Simple cycles of org:reportsTo (at most 50)."),
    ("bodies-without-reporting-line", "Bodies with no reporting line",
     "Current bodies and subgroups that report to no body or post. Bodies the arrangements say were replaced are "
     "history, and not counted.", "Bodies and subgroups with no org:reportsTo, less those another lscp:replaced."),
    ("posts-without-holder", "Posts with no holder", "Posts no person is named as holding.",
     "Posts with no org:holds."),
    ("organisations-with-most-seats", "Organisations with most seats",
     "The organisations holding most seats as members, with the bodies they sit on.",
     "Seats (lscp:Seat) whose org:member is an organisation, counted by org:organization."),
    ("central-bodies", "The bodies most central to the structure",
     "Current bodies through which the most links between other things pass, compared with the most central "
     "body: a body high here connects many parts of the arrangements.",
     "Ranked by betweenness centrality in the whole structure, edges taken both ways; high is at least half the "
     "highest score of the kind, medium at least a fifth; degree is the number of direct neighbours."),
    ("central-people", "The people most central to the structure",
     "People through whom the most links between other things pass, compared with the most central person.",
     "Ranked by betweenness centrality in the whole structure, edges taken both ways; high is at least half the "
     "highest score of the kind, medium at least a fifth; degree is the number of direct neighbours."),
)


def analyse(graph: nx.MultiDiGraph, service_url: str = "") -> dict:
    """Run every check; entities in findings are expanded to {iri, label, type, href}."""
    results = {
        "accountability-dead-ends": accountability_dead_ends(graph, accountability_graph(graph)),
        "reporting-cycles": reporting_cycles(graph),
        "bodies-without-reporting-line": bodies_without_reporting_line(graph),
        "posts-without-holder": posts_without_holder(graph),
        "organisations-with-most-seats": organisations_with_most_seats(graph),
        "central-bodies": centrality(graph, BODY_TYPES),
        "central-people": centrality(graph, ("person",)),
    }
    checks = []
    for key, title, description, technical in CHECKS:
        findings = []
        for finding in results[key]:
            finding = dict(finding, entities=[entity(graph, n, service_url) for n in finding["entities"]])
            if "path" in finding:
                finding["path"] = [dict(step, **{"from": entity(graph, step["from"], service_url),
                                                 "to": entity(graph, step["to"], service_url)})
                                   for step in finding["path"]]
            findings.append(finding)
        checks.append({"check": key, "title": title, "description": description, "technical": technical,
                       "findings": findings})
    return {"checks": checks}


def as_text(report: dict) -> str:
    """The report for a terminal: each check, its findings, and the IRIs they name."""
    lines = []
    for check in report["checks"]:
        lines.append(f"== {check['title']} ({len(check['findings'])})")
        if not check["findings"]:
            lines.append("   none found")
        for finding in check["findings"]:
            lines.append(f" - {finding['summary']}" + (f" [{finding['technical']}]" if finding.get("technical") else ""))
            for step in finding.get("path", []):
                lines.append(f"     {step['from']['label']} --{step['relation']}--> {step['to']['label']}")
            lines.extend(f"     <{e['iri']}>" for e in finding["entities"])
        lines.append("")
    return "\n".join(lines)
