"""SPARQL JSON results as tables people can read: names linked to entity pages, relations in
plain English, quotes linked to their source lines, a column that holds one value on every row
said once above the table, long text collapsed, and pages of :data:`PAGE_SIZE` rows.

A column ``xLabel`` becomes the text of column ``x``'s links; a ``passage`` column (the named
graph of a quote) becomes the "source lines" link of the row's ``quote``.

One entry per thing: when the first column names the same entity on several rows (a ceased
organisation named by five seats and posts), the page shows one entry for it, each other column
listing its distinct values. The page groups; the query and its downloads keep one row per
solution (the API's columns and rows never depend on how a page shows them).

Things of the past are marked where they are named ("ended 1 July 2022, replaced by ...", see
:mod:`~lscp_kg.service.history`) and entries whose first column has ended come after the current ones.
Every sort key orders numbers by value ("seat 2" before "seat 10"): :func:`natural_key`.
"""

from __future__ import annotations

import re

from flask import request, url_for

from lscp_kg.labels import labels_for, words
from lscp_kg.source_texts import sources_for
from lscp_kg.service.history import ended
from lscp_kg.service.page_urls import entity_url, quote_url, short_iri
from lscp_kg.service.scoping import Scope
from lscp_kg.service.state import service_state

PAGE_SIZE = 200
LONG_TEXT = 160
#: Variables that name the source passage of a row's quote.
PASSAGE_VARIABLES = ("passage", "source", "g", "graph")
DATE_TYPES = ("#date", "#dateTime", "#gYearMonth", "#gYear")
ISO_DATE = re.compile(r"\d{4}-\d{2}(-\d{2}(T[\d:.]+Z?)?)?")


def heading(variable: str) -> str:
    """A column heading from a variable name.

    >>> heading("representedBy"), heading("start_date")
    ('represented by', 'start date')
    """
    return words(variable).replace("_", " ").replace("asof", "as of")


def natural_key(text: str) -> str:
    """A sort key that orders the numbers in a text by value: each run of digits padded to 12.

    >>> sorted(["seat 10", "Seat 2", "seat 1"], key=natural_key)
    ['seat 1', 'Seat 2', 'seat 10']
    """
    return re.sub(r"\d+", lambda m: m.group().zfill(12), text.casefold())


def cell(binding: dict | None, label: str | None = None) -> dict:
    """One table cell from a SPARQL JSON binding: text, and a link for IRIs."""
    if binding is None:
        return {"text": "", "href": None, "iri": None}
    value = binding["value"]
    if binding["type"] == "uri":
        passage = None if label else sources_for(service_state().kg).passage(value)
        if passage is not None and not labels_for(service_state().kg).label(value):  # a passage: its lines, in words
            name = f"lines {passage.start}–{passage.end}" if passage.end != passage.start else f"line {passage.start}"
            return {"text": name, "href": quote_url(value), "iri": value, "sort": natural_key(name)}
        name = label or labels_for(service_state().kg).label(value) or short_iri(value)
        return {"text": name, "href": entity_url(value), "iri": value, "sort": natural_key(name)}
    if binding["type"] == "bnode":
        return {"text": f"_:{value}", "href": None, "iri": None}
    if binding["type"] == "triple":
        parts = binding["value"]
        return {"text": " ".join(cell(parts[k])["text"] for k in ("subject", "predicate", "object")),
                "href": None, "iri": None}
    datatype = binding.get("datatype") or ""
    return {"text": value, "href": None, "iri": None, "long": len(value) > LONG_TEXT, "lang": binding.get("xml:lang"),
            "sort": natural_key(value), "date": datatype.endswith(DATE_TYPES) or bool(ISO_DATE.fullmatch(value))}


def _same(cells: list[dict]) -> bool:
    first = cells[0]
    return bool(first["text"]) and all((c["text"], c.get("href")) == (first["text"], first.get("href")) for c in cells)


def page_url(number: int) -> str:
    """This page's URL at another page of the table."""
    args = request.args.to_dict(flat=True)
    args["page"] = str(number)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _key(c: dict) -> tuple:
    return c["text"], c.get("href"), c.get("source_href")


def grouped(rows: list[list[dict]]) -> list[list[dict]]:
    """One row per entity of the first column, each other cell listing the distinct values of its rows
    (``entries``), in the order they came; rows whose first cell is not an entity stay as they are.

    >>> a, b = {"text": "A", "href": "/a"}, {"text": "B", "href": "/b"}
    >>> [[c["text"] if "entries" not in c else [i["text"] for i in c["entries"]] for c in row]
    ...  for row in grouped([[a, {"text": "x"}], [b, {"text": "y"}], [a, {"text": "z"}]])]
    [['A', ['x', 'z']], ['B', 'y']]
    """
    groups: dict = {}
    for row in rows:
        key = row[0].get("href") or id(row)
        groups.setdefault(key, []).append(row)
    merged = []
    for members in groups.values():
        if len(members) == 1:
            merged.append(members[0])
            continue
        row = [members[0][0]]
        for column in range(1, len(members[0])):
            items = list({_key(m[column]): m[column] for m in members if m[column]["text"]}.values())
            if len(items) < 2:
                row.append(items[0] if items else {"text": "", "href": None, "iri": None})
            else:
                row.append({"entries": items, "text": "; ".join(i["text"] for i in items), "sort": items[0].get("sort", "")})
        merged.append(row)
    return merged


def mark_history(rows: list[list[dict]], scope: Scope) -> None:
    """Mark each named thing that has ended (unless its row already names its successor) and mark the rows
    whose first entity has ended, so the page can show them after the current ones."""
    seen: dict = {}
    for row in rows:
        shown = {item["href"] for c in row for item in c.get("entries", [c]) if item.get("href")}
        for position, cell_ in enumerate(row):
            for item in cell_.get("entries", [cell_]):
                iri = item.get("iri")
                if not iri:
                    continue
                if iri not in seen:
                    seen[iri] = ended(iri, scope)
                past = seen[iri]
                if not past:
                    continue
                if position == 0:
                    row[0]["past"] = True
                successors = {s["href"] for s in past["successors"]}
                if not successors or not successors <= shown:  # a row that names the successor says it already
                    item["ended"] = past


def _partnership(document: dict, parameters: dict | None) -> str | None:
    """The partnership an answer is about: the one asked for, or the only one its rows name."""
    if parameters and parameters.get("partnership"):
        return parameters["partnership"]
    values = {(b.get("partnership") or {}).get("value") for b in document.get("results", {}).get("bindings", [])}
    values.discard(None)
    return values.pop() if len(values) == 1 else None


def _shown_columns(variables: list[str]) -> tuple[list[str], set[str]]:
    """The columns a table shows (an ``xLabel`` column is the text of ``x``'s links), and the labelled ones."""
    labelled = {v for v in variables if f"{v}Label" in variables}
    return [v for v in variables if not (v.endswith("Label") and v[: -len("Label")] in labelled)], labelled


def _cells(bindings: list[dict], columns: list[str], labelled: set[str]) -> list[dict]:
    """Each solution as cells by variable, a labelled IRI named by its label."""
    return [{v: cell(binding.get(v), (binding.get(f"{v}Label") or {}).get("value") if v in labelled else None)
             for v in columns} for binding in bindings]


def _link_quotes(rows: list[dict], bindings: list[dict], columns: list[str]) -> None:
    """Link each row's ``quote`` to its source lines (from the passage column); drop that column when every
    quote links to its lines, since it then says nothing more."""
    passage_var = next((v for v in PASSAGE_VARIABLES if v in columns), None) if "quote" in columns else None
    if not passage_var:
        return
    hrefs = [quote_url((binding.get(passage_var) or {}).get("value")) for binding in bindings]
    for row, href in zip(rows, hrefs):
        row["quote"]["source_href"] = href
    if all(hrefs):
        columns.remove(passage_var)


def _said_once(rows: list[dict], columns: list[str]) -> list[dict]:
    """Take out of ``columns`` each column (but the quote, and never the last one left) that holds one value
    on every row, returning them as ``{"heading", "cell"}`` to say once above the table."""
    constants = []
    if len(rows) < 2:
        return constants
    for v in list(columns):
        if len(columns) > 1 and v != "quote" and _same([row[v] for row in rows]):
            constants.append({"heading": heading(v), "cell": rows[0][v]})
            columns.remove(v)
    return constants


def _paged(rows: list[list[dict]], page: int) -> dict:
    """The page ``page`` (kept within range) of the rows, with what the page links and counts need."""
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return {"rows": shown, "total": total, "page": page, "pages": pages,
            "first": (page - 1) * PAGE_SIZE + 1, "last": (page - 1) * PAGE_SIZE + len(shown),
            "previous": page_url(page - 1) if page > 1 else None, "next": page_url(page + 1) if page < pages else None}


def result_table(document: dict, truncated: bool = False, page: int = 1, parameters: dict | None = None,
                 one_entry_per_thing: bool = False) -> dict:
    """The table of a SPARQL JSON results document (see the module docstring); ``parameters``: the question's
    bound values by name (their ``partnership`` decides which graphs say what has ended). A question's page
    asks for ``one_entry_per_thing`` (grouped, things of the past last); the SPARQL editor shows every
    solution in the query's own order."""
    columns, labelled = _shown_columns(document["head"].get("vars", []))
    bindings = document.get("results", {}).get("bindings", [])
    rows = _cells(bindings, columns, labelled)
    _link_quotes(rows, bindings, columns)
    constants = _said_once(rows, columns)
    table_rows = [[row.get(v) or cell(None) for v in columns] for row in rows]
    merged = grouped(table_rows) if columns and one_entry_per_thing else table_rows
    mark_history(merged, Scope(_partnership(document, parameters)))
    if one_entry_per_thing:
        merged.sort(key=lambda row: bool(row and row[0].get("past")))  # stable: the query's order within each
    paged = _paged(merged, page)
    return {"columns": [{"name": v, "heading": heading(v)} for v in columns], **paged,
            "constants": constants, "solutions": len(rows), "grouped": paged["total"] < len(rows),
            "truncated": truncated, "boolean": document.get("boolean")}


def requested_page() -> int:
    """The ``?page=`` of the request (1 if absent or not a number)."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1
