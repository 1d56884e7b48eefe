"""SPARQL JSON results as tables people can read: names linked to entity pages, relations in
plain English, quotes linked to their source lines, a column that holds one value on every row
said once above the table, long text collapsed, and pages of :data:`PAGE_SIZE` rows.

A column ``xLabel`` becomes the text of column ``x``'s links; a ``passage`` column (the named
graph of a quote) becomes the "source lines" link of the row's ``quote``. The IRI behind each
link stays in its ``title`` (and the table's script offers to copy it).
"""

from __future__ import annotations

from flask import request, url_for

from lscp_kg.labels import labels_for, words
from lscp_kg.service.links import entity_url, quote_url, short_iri
from lscp_kg.service.state import service_state

PAGE_SIZE = 200
LONG_TEXT = 160
#: Variables that name the source passage of a row's quote.
PASSAGE_VARIABLES = ("passage", "source", "g", "graph")


def heading(variable: str) -> str:
    """A column heading from a variable name.

    >>> heading("representedBy"), heading("start_date")
    ('represented by', 'start date')
    """
    return words(variable).replace("_", " ")


def cell(binding: dict | None, label: str | None = None) -> dict:
    """One table cell from a SPARQL JSON binding: text, and a link for IRIs."""
    if binding is None:
        return {"text": "", "href": None, "iri": None}
    value = binding["value"]
    if binding["type"] == "uri":
        name = label or labels_for(service_state().kg).label(value) or short_iri(value)
        return {"text": name, "href": entity_url(value), "iri": value, "sort": name.casefold()}
    if binding["type"] == "bnode":
        return {"text": f"_:{value}", "href": None, "iri": None}
    if binding["type"] == "triple":
        parts = binding["value"]
        return {"text": " ".join(cell(parts[k])["text"] for k in ("subject", "predicate", "object")),
                "href": None, "iri": None}
    return {"text": value, "href": None, "iri": None, "title": binding.get("datatype") or binding.get("xml:lang"),
            "long": len(value) > LONG_TEXT, "lang": binding.get("xml:lang")}


def _same(cells: list[dict]) -> bool:
    first = cells[0]
    return bool(first["text"]) and all((c["text"], c.get("href")) == (first["text"], first.get("href")) for c in cells)


def page_url(number: int) -> str:
    """This page's URL at another page of the table."""
    args = request.args.to_dict(flat=True)
    args["page"] = str(number)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def result_table(document: dict, truncated: bool = False, page: int = 1) -> dict:
    """The table of a SPARQL JSON results document (see the module docstring)."""
    variables = document["head"].get("vars", [])
    labelled = {v for v in variables if f"{v}Label" in variables}
    columns = [v for v in variables if not (v.endswith("Label") and v[: -len("Label")] in labelled)]
    passage_var = next((v for v in PASSAGE_VARIABLES if v in columns), None) if "quote" in columns else None
    bindings = document.get("results", {}).get("bindings", [])
    rows = [{v: cell(binding.get(v), (binding.get(f"{v}Label") or {}).get("value") if v in labelled else None)
             for v in columns} for binding in bindings]
    if passage_var:
        hrefs = [quote_url((binding.get(passage_var) or {}).get("value")) for binding in bindings]
        for row, href in zip(rows, hrefs):
            row["quote"]["source_href"] = href
        if all(hrefs):  # every quote links to its lines: the passage column says nothing more
            columns.remove(passage_var)
    constants = []
    if len(rows) > 1:
        for v in list(columns):
            if len(columns) > 1 and v != "quote" and _same([row[v] for row in rows]):
                constants.append({"heading": heading(v), "cell": rows[0][v]})
                columns.remove(v)
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return {"columns": [{"name": v, "heading": heading(v)} for v in columns],
            "rows": [[row.get(v) or cell(None) for v in columns] for row in shown],
            "constants": constants, "total": total, "page": page, "pages": pages,
            "first": (page - 1) * PAGE_SIZE + 1, "last": (page - 1) * PAGE_SIZE + len(shown),
            "previous": page_url(page - 1) if page > 1 else None, "next": page_url(page + 1) if page < pages else None,
            "truncated": truncated, "boolean": document.get("boolean")}


def requested_page() -> int:
    """The ``?page=`` of the request (1 if absent or not a number)."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1
