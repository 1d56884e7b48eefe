"""A view as text: its nodes grouped by kind, and its edges as sentences with their quotes.

Rendered on the server into every view page, so the picture can be read
without JavaScript, by a screen reader, or copied into a report.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="MACE", type="subgroup", type_label="Subgroup")
>>> g.add_node("b", label="the Executive", type="body", type_label="Body")
>>> g.add_edge("a", "b", key="org:reportsTo", relation_label="reports to", sources=[])
'org:reportsTo'
>>> text = describe(g, set(g), {}, lambda n: None)
>>> [group["label"] for group in text["groups"]], text["sentences"][0]["text"]
(['Body', 'Subgroup'], 'MACE reports to the Executive')
"""

from __future__ import annotations

import networkx as nx

from .marks import MARK_BY_KEY


def describe(graph: nx.MultiDiGraph, shown: set[str], marks: dict, href, hidden_kinds=(), hidden_relations=(),
             passage_href=None) -> dict:
    """Groups of nodes (by kind, then name) and one sentence per edge between shown nodes."""
    drawn = {n for n in shown if graph.nodes[n]["type"] not in hidden_kinds}

    def named(node):
        attrs = graph.nodes[node]
        node_marks = (["highlighted"] if attrs.get("focus") else []) + list(marks.get(node, []))
        return {"label": attrs["label"], "href": href(node), "role": attrs.get("role", ""),
                "marks": [MARK_BY_KEY[m].label for m in dict.fromkeys(node_marks)]}

    groups: dict[str, list[str]] = {}
    for node in drawn:
        groups.setdefault(graph.nodes[node]["type_label"], []).append(node)
    by_name = lambda n: (graph.nodes[n]["label"].casefold(), n)  # noqa: E731
    sentences = []
    for s, o, k, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: (by_name(e[0]), e[2], by_name(e[1]))):
        if s in drawn and o in drawn and k not in hidden_relations:
            sentences.append({"text": f"{graph.nodes[s]['label']} {attrs['relation_label']} {graph.nodes[o]['label']}",
                              "from": named(s), "relation": attrs["relation_label"], "to": named(o),
                              "sources": [{"quote": q["quote"], "lines": q["lines"],
                                           "href": passage_href(q) if passage_href else None}
                                          for q in attrs.get("sources", [])]})
    return {"groups": [{"label": label, "nodes": [named(n) for n in sorted(groups[label], key=by_name)]}
                       for label in sorted(groups)],
            "sentences": sentences, "node_count": len(drawn)}
