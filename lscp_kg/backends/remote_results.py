"""Turn a SPARQL endpoint's answer into the pyoxigraph objects an embedded store returns.

SELECT and ASK answers come as SPARQL 1.1 JSON results and go through
:func:`pyoxigraph.parse_query_results`; CONSTRUCT and DESCRIBE answers come as
N-Triples (or Turtle) and become a real :class:`pyoxigraph.QueryTriples`, so
every caller (``isinstance(result, ox.QueryTriples)``) works unchanged.

Two habits of real stores are undone on the way, both lossless:

* blank node identifiers that are not valid RDF labels (Virtuoso writes
  ``nodeID://b10000``) become valid labels (``nodeID_b10000``), the same one
  for the same node, so joins on blank nodes within an answer still hold;
* ``xsd:boolean`` values written as ``1``/``0`` get their canonical form
  ``true``/``false``, as the data states them.

>>> answer = b'{"head": {"vars": ["b"]}, "results": {"bindings": [{"b": {"type": "bnode", "value": "nodeID://b1"}}]}}'
>>> [row["b"] for row in solutions_from_json(answer)]
[<BlankNode value=nodeID_b1>]
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from .query_rewrite import VIRTUOSO_BNODE

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_VALID_BNODE = re.compile(r"^[A-Za-z0-9_][\w.-]*(?<!\.)$")
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


def blank_label(value: str) -> str:
    """A valid blank node label for a store's identifier, stable for the same identifier.

    >>> blank_label("b12"), blank_label("nodeID://b10000"), blank_label("a b")
    ('b12', 'nodeID_b10000', 'x612062')
    """
    if _VALID_BNODE.match(value):
        return value
    if value.startswith("nodeID://") and _VALID_BNODE.match(value[9:]):
        return VIRTUOSO_BNODE + value[9:]
    return "x" + value.encode("utf-8").hex()


def _clean_term(term: dict) -> dict:
    kind = term.get("type")
    if kind == "bnode":
        return {"type": "bnode", "value": blank_label(term["value"])}
    if kind == "typed-literal":  # SPARQL 1.0 JSON, still written by Virtuoso
        term = {**term, "type": "literal"}
    if kind in ("literal", "typed-literal") and term.get("datatype") == XSD_BOOLEAN:
        term = {**term, "value": _CANONICAL_BOOLEAN.get(term["value"], term["value"])}
    if kind == "triple":
        term = {"type": "triple", "value": {k: _clean_term(v) for k, v in term["value"].items()}}
    return term


def solutions_from_json(body: bytes):
    """QuerySolutions (SELECT) or QueryBoolean (ASK) from SPARQL JSON results."""
    data = json.loads(body)
    if "results" in data:
        bindings = [{name: _clean_term(term) for name, term in row.items()} for row in data["results"].get("bindings", [])]
        data = {"head": {"vars": data.get("head", {}).get("vars", [])}, "results": {"bindings": bindings}}
    return ox.parse_query_results(json.dumps(data).encode(), format=ox.QueryResultsFormat.JSON)


def triples_from_rdf(body: bytes, media_type: str):
    """QueryTriples (CONSTRUCT, DESCRIBE) from an N-Triples or Turtle answer."""
    fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
    holder = ox.Store()  # in memory, gone with the answer
    holder.bulk_extend(ox.Quad(t.subject, t.predicate, _clean_object(t.object)) for t in ox.parse(body, format=fmt))
    return holder.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _clean_object(term):
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_BOOLEAN and term.value in _CANONICAL_BOOLEAN:
        return ox.Literal(_CANONICAL_BOOLEAN[term.value], datatype=term.datatype)
    return term
