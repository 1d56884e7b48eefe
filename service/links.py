"""Every IRI shown on a page links to its entity page; results become tables of such links.

IRIs under ``<base>id/`` have a path of their own (``/id/...``); any other IRI
(legislation.gov.uk, ontology terms) resolves at ``/entity?iri=...``.
"""

from __future__ import annotations

import re

from flask import url_for

from lscp_kg.namespaces import curie
from lscp_kg.service.state import service_state

_PLAIN_PATH = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@/-]+$")


def entity_url(iri: str) -> str:
    """The service URL of an IRI's entity page."""
    local = service_state().kg.base_iri + "id/"
    if iri.startswith(local) and _PLAIN_PATH.match(iri[len(local):]):
        return url_for("entities.by_path", rest=iri[len(local):])
    return url_for("entities.by_iri", iri=iri)


def short_iri(iri: str) -> str:
    """An IRI as a person can read it: ``lscp:ChairRole``, ``id/person/ceri-jacob``."""
    base = service_state().kg.base_iri
    if iri.startswith(base + "id/"):
        return iri[len(base):]
    return curie(iri)


def cell(binding: dict | None, label: str | None = None) -> dict:
    """One table cell from a SPARQL JSON binding: text, and a link for IRIs."""
    if binding is None:
        return {"text": "", "href": None, "title": None}
    value = binding["value"]
    if binding["type"] == "uri":
        return {"text": label or short_iri(value), "href": entity_url(value), "title": value}
    if binding["type"] == "bnode":
        return {"text": f"_:{value}", "href": None, "title": None}
    if binding["type"] == "triple":
        parts = binding["value"]
        return {"text": " ".join(cell(parts[k])["text"] for k in ("subject", "predicate", "object")),
                "href": None, "title": None}
    return {"text": value, "href": None, "title": binding.get("datatype") or binding.get("xml:lang"), "long": len(value) > 120}


def result_table(document: dict, truncated: bool = False) -> dict:
    """SPARQL JSON results as columns and rows of cells; a column ``xLabel`` becomes the text of ``x``'s links."""
    variables = document["head"].get("vars", [])
    labelled = {v for v in variables if f"{v}Label" in variables}
    columns = [v for v in variables if not (v.endswith("Label") and v[: -len("Label")] in labelled)]
    rows = []
    for binding in document.get("results", {}).get("bindings", []):
        rows.append([cell(binding.get(v), (binding.get(f"{v}Label") or {}).get("value") if v in labelled else None)
                     for v in columns])
    return {"columns": columns, "rows": rows, "truncated": truncated, "boolean": document.get("boolean")}
