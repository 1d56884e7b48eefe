"""An answer whose rows are steps (``?start ?from ?relation ?to``, as the accountability-chain
question gives) numbered and drawn as a chain: from the start upwards, indented, each step with
its quote linked to the source lines, and a link to each path drawn as a network.

:func:`number_steps` gives each row its ``step``: how many steps lie between the start and the
row's ``?from`` (0 at the start), so that the JSON answer can be rebuilt as the same chain.
(It is counted here, over the answer's rows, because SPARQL 1.1 has no path length that every
store evaluates alike.)
"""

from __future__ import annotations

from flask import url_for

from lscp_kg.labels import labels_for
from lscp_kg.service.explore import entities_href
from lscp_kg.service.page_urls import entity_url, quote_url
from lscp_kg.service.state import service_state

CHAIN_VARIABLES = {"start", "from", "relation", "to"}
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def is_chain(document: dict) -> bool:
    return CHAIN_VARIABLES <= set(document.get("head", {}).get("vars", []))


def _value(binding: dict, name: str) -> str | None:
    return (binding.get(name) or {}).get("value")


def _distances(bindings: list[dict], start: str) -> dict[str, int]:
    """Steps from ``start`` to each node the rows of that start reach (breadth first, targets in order)."""
    edges: dict[str, set] = {}
    for b in bindings:
        if _value(b, "start") == start:
            edges.setdefault(_value(b, "from"), set()).add(_value(b, "to"))
    frontier, seen = [start], {start: 0}
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(edges.get(node, ())):
                if target not in seen:
                    seen[target] = seen[node] + 1
                    following.append(target)
        frontier = following
    return seen


def number_steps(document: dict) -> dict:
    """Add ``step`` (first variable) to every row, in order of steps from the row's ``?start``.

    >>> doc = {"head": {"vars": ["start", "from", "relation", "to"]}, "results": {"bindings": [
    ...     {k: {"type": "uri", "value": v} for k, v in zip(("start", "from", "relation", "to"), row)}
    ...     for row in (("s", "b", "r", "c"), ("s", "s", "r", "b"))]}}
    >>> [(b["step"]["value"], b["from"]["value"]) for b in number_steps(doc)["results"]["bindings"]]
    [('0', 's'), ('1', 'b')]
    """
    bindings = document.get("results", {}).get("bindings", [])
    distance = {(start, node): steps for start in {_value(b, "start") for b in bindings}
                for node, steps in _distances(bindings, start).items()}
    for b in bindings:
        steps = distance.get((_value(b, "start"), _value(b, "from")))
        if steps is not None:
            b["step"] = {"type": "literal", "value": str(steps), "datatype": XSD_INTEGER}
    bindings.sort(key=lambda b: (int(_value(b, "step") or 1 << 30), _value(b, "fromLabel") or "",
                                 _value(b, "relation") or "", _value(b, "toLabel") or ""))
    variables = document["head"].setdefault("vars", [])
    if "step" not in variables:
        variables.insert(0, "step")
    return document


def _edges_and_names(bindings: list[dict], labels) -> tuple[dict, dict]:
    """The steps as ``from -> relation -> to -> quotes`` (each quote once), and every node's name."""
    edges: dict[str, dict[str, dict[str, list]]] = {}
    names: dict[str, str] = {}
    for b in bindings:
        source, relation, target = _value(b, "from"), _value(b, "relation"), _value(b, "to")
        names.setdefault(source, _value(b, "fromLabel") or labels.label(source) or source)
        names.setdefault(target, _value(b, "toLabel") or labels.label(target) or target)
        quotes = edges.setdefault(source, {}).setdefault(relation, {}).setdefault(target, [])
        quote = {"text": _value(b, "quote"), "href": quote_url(_value(b, "passage"))}
        if quote["text"] and quote not in quotes:
            quotes.append(quote)
    return edges, names


def _tree(start: str, edges: dict, names: dict, labels) -> dict:
    """The chain from ``start`` as nested steps; a node met again is marked ``repeat`` and not followed."""
    seen: set[str] = set()

    def node(iri: str) -> dict:
        item = {"iri": iri, "label": names.get(iri) or labels.label(iri) or iri, "href": entity_url(iri), "steps": []}
        if iri in seen:
            item["repeat"] = True
            return item
        seen.add(iri)
        for relation, targets in edges.get(iri, {}).items():
            item["steps"].append({"relation": labels.relation(relation), "relation_iri": relation,
                                  "targets": [dict(node(t), quotes=q) for t, q in targets.items()]})
        return item

    return node(start)


def _network_links(start: str, edges: dict, names: dict) -> list[dict]:
    """A network view of the path from the start to each body accountable for something."""
    leads = sorted({s for s, rels in edges.items() for r in rels if r.endswith("#accountableFor")}, key=names.get)
    return [{"label": names.get(lead, lead), "href": url_for("explore.view", name="path", **{"from": start, "to": lead})}
            for lead in leads]


def build_chain(document: dict, start: str | None) -> dict:
    """The chain's tree: ``{"node", "steps": [{"relation", "targets": [subtree...], "quotes"}]}``."""
    labels = labels_for(service_state().kg)
    bindings = sorted(document.get("results", {}).get("bindings", []),
                      key=lambda b: (int(_value(b, "step") or 0), _value(b, "fromLabel") or "", _value(b, "toLabel") or ""))
    edges, names = _edges_and_names(bindings, labels)
    if start is None or start not in edges:
        start = _value(bindings[0], "from") if bindings else start
    return {"tree": _tree(start, edges, names, labels) if start else None,
            "ends": [t for t in names if t not in edges],
            "networks": _network_links(start, edges, names) if start else [],
            "whole": entities_href([start, *names]) if start else None, "steps": len(bindings)}
