"""The explorer's chooser (the path view's "From" and "To"): every node of a network by kind and name.

A name that is not unique is shown with its partnerships beside it
("Operational team (Eastshire)"), as search shows it: the display names come
from the search index (:attr:`lscp_kg.search_hits.Hit.display`), one place for
them. A node the index does not hold, whose name another node of the network
also has, is told apart by the partnerships the network gives it.

>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("a", label="Operational team", type_label="Partnership body", partnership_labels=("Eastshire",))
>>> graph.add_node("b", label="Operational team", type_label="Partnership body", partnership_labels=("Testshire",))
>>> graph.add_node("c", label="MACE", type_label="Subgroup", partnership_labels=("Eastshire",))
>>> [[o["label"] for o in g["options"]] for g in chooser_groups(graph, {"a": "Operational team (Eastshire SCP)"})]
[['Operational team (Eastshire SCP)', 'Operational team (Testshire)'], ['MACE']]
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping


def chooser_groups(graph, display_names: Mapping[str, str]) -> list[dict]:
    """The nodes by kind (``label``, ``options``), each option an ``iri``, the ``label`` shown and its ``name``."""
    counts = Counter(attrs["label"].casefold() for _node, attrs in graph.nodes(data=True))
    groups: dict[str, list[dict]] = {}
    for node, attrs in graph.nodes(data=True):
        name = attrs["label"]
        shown = display_names.get(node) or name
        owners = attrs.get("partnership_labels") or ()
        if shown == name and counts[name.casefold()] > 1 and owners:
            shown = f"{name} ({'; '.join(owners)})"
        groups.setdefault(attrs["type_label"], []).append({"iri": node, "label": shown, "name": name})
    return [{"label": kind, "options": sorted(groups[kind], key=lambda o: (o["label"].casefold(), o["iri"]))}
            for kind in sorted(groups)]
