"""The timeline: ``/timeline?partnership=...`` (default the only one) and ``/timeline?entity=...``.

What changed and when, from one partnership's own graphs (``lscp:partnershipContext``): posts and who
held them, chairs, bodies, organisations that ceased and where their functions went, documents (issued,
updated, revised, their periods) and priorities (their periods). Dated entries are listed by year; what the
arrangements say only in words ("former chair") is listed under "Undated", saying that no date is given.
Every entry links to the source lines (or the cited source) that state it. HTML for people, the same as
JSON by ``?format=json`` or ``Accept`` (:mod:`formats`). A bad parameter answers 400.

The SPARQL is ``queries/pages/timeline.rq``; the sentences are :mod:`timeline_entries`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for

from lscp_kg.labels import labels_for
from lscp_kg.name_resolution import resolve_value, resolver
from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_files import QUERIES_DIR
from lscp_kg.query_parameters import Parameter, ParameterError
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import API_JSON, HTML, choose_format
from lscp_kg.service.page_urls import entity_url, quote_url
from lscp_kg.service.state import service_state
from lscp_kg.service.timeline_entries import about_entity, timeline_entries
from lscp_kg.source_texts import sources_for

bp = Blueprint("timeline", __name__)

PAGE_QUERY = "timeline"
PARAMETERS = ("partnership", "entity", "format")
ENTITY = Parameter("entity", "iri", "The entity whose changes to show", classes=("http://www.w3.org/2002/07/owl#Thing",))


def _query(name: str = PAGE_QUERY):
    state = service_state()
    key = "timeline-queries"
    if key not in state.cache:  # defaults ("the only partnership") resolved against the loaded data, once
        state.cache[key] = load_named_queries(Path(QUERIES_DIR) / "pages", kg=state.kg)
    return state.cache[key][name]


def _parameters() -> dict[str, str]:
    raw = {}
    for key in request.args:
        if key not in PARAMETERS:
            raise HttpError(400, f"parameter {key!r} is not known here; the timeline takes partnership, entity "
                                 "and format.")
        values = request.args.getlist(key)
        if len(values) > 1:
            raise HttpError(400, f"parameter {key!r}: given {len(values)} times; give it once.")
        raw[key] = values[0]
    return raw


def _refuse(error: ParameterError):
    raise HttpError(400, str(error), details={"parameter": error.parameter,
                                              "suggestions": list(error.suggestions)}) from error


def _entity_partnership(entity: ox.NamedNode) -> str | None:
    """The one partnership whose graphs name the entity (None if none or several: the caller then asks)."""
    query = _query("entity-partnerships")
    found = [r["partnership"].value for r in service_state().kg.query(query.sparql, substitutions={ox.Variable("entity"): entity})]
    return found[0] if len(found) == 1 else None


def _rows(query, partnership: str | None) -> tuple[ox.NamedNode, list[dict]]:
    kg = service_state().kg
    try:
        sparql, substitutions = query.prepare({"partnership": partnership} if partnership else {}, kg.base_iri, resolver(kg))
    except ParameterError as error:
        _refuse(error)
    rows = [{name: row[name].value for name in ("subject", "relation", "object", "passage")}
            for row in kg.query(sparql, substitutions=substitutions)]
    return substitutions[ox.Variable("partnership")], rows


def _source(graph: str, quotes: dict) -> dict:
    """Where a statement comes from: the source lines of a passage, else the cited source's own page."""
    passage = sources_for(service_state().kg).passage(graph)
    if passage is not None:
        lines = f"line {passage.start}" if passage.start == passage.end else f"lines {passage.start} to {passage.end}"
        return {"graph": graph, "text": f"source, {lines}", "url": quote_url(graph), "quote": passage.quote}
    labels = labels_for(service_state().kg)
    return {"graph": graph, "text": f"cited source: {labels.label(graph) or 'external citation'}",
            "url": entity_url(graph), "quote": quotes.get(graph)}


def _entity(entity: str | None) -> ox.NamedNode | None:
    """The entity asked about (a name or an IRI), resolved; 400 if it names none or several."""
    if entity is None:
        return None
    try:
        return resolve_value(service_state().kg, ENTITY, entity)
    except ParameterError as error:
        _refuse(error)


def _namer():
    """An entity's name: its label, else the last part of its IRI in words."""
    labels = labels_for(service_state().kg)
    return lambda iri: labels.label(iri) or iri.rsplit("/", 1)[-1].replace("-", " ")


def _linked(entries: list[dict], name) -> None:
    """Give each entry its sources (in place of its graphs) and its entities as links."""
    quotes = {}
    for entry in entries:
        entry["sources"] = [_source(g, quotes) for g in entry.pop("graphs")]
        entry["about"] = [{"iri": iri, "label": name(iri), "url": entity_url(iri)} for iri in entry["about"]]


def _by_year(entries: list[dict]) -> list[dict]:
    """The dated entries grouped by year, years in order."""
    years: dict[str, list] = {}
    for e in entries:
        if e["date"]:
            years.setdefault(e["date"][:4], []).append(e)
    return [{"year": y, "entries": es} for y, es in sorted(years.items())]


def timeline(partnership: str | None, entity: str | None) -> dict:
    """The timeline as data: the partnership, the entity (if any), dated entries by year and undated ones."""
    entity_node = _entity(entity)
    if entity_node is not None:
        partnership = partnership or _entity_partnership(entity_node)
    partnership_node, rows = _rows(_query(), partnership)
    name = _namer()
    entries = timeline_entries(rows, name)
    if entity_node is not None:
        entries = about_entity(entries, entity_node.value)
    _linked(entries, name)
    subject = entity_node or partnership_node

    def described(node: ox.NamedNode) -> dict:
        return {"iri": node.value, "label": name(node.value), "url": entity_url(node.value)}

    return {"partnership": described(partnership_node),
            "entity": None if entity_node is None else described(entity_node),
            "title": name(subject.value), "years": _by_year(entries),
            "undated": [e for e in entries if not e["date"]]}


def axis(years: list[dict]) -> list[dict]:
    """The years from the first to the last dated entry, each with its number of entries (for the CSS axis).

    >>> [(y["year"], y["count"]) for y in axis([{"year": "2019", "entries": [1]}, {"year": "2021", "entries": [1, 2]}])]
    [('2019', 1), ('2020', 0), ('2021', 2)]
    """
    if not years:
        return []
    counts = {y["year"]: len(y["entries"]) for y in years}
    first, last = int(years[0]["year"]), int(years[-1]["year"])
    return [{"year": str(y), "count": counts.get(str(y), 0)} for y in range(first, last + 1)]


@bp.get("/timeline")
def page():
    raw = _parameters()
    fmt = choose_format((HTML, API_JSON))
    for key in ("partnership", "entity"):
        if key in raw and not raw[key].strip():
            raise HttpError(400, f"parameter {key!r} is empty: give a name or an IRI, or leave it out.")
    data = timeline(raw.get("partnership"), raw.get("entity"))
    own = {k: v for k, v in raw.items() if k != "format"}
    if fmt is API_JSON:
        response = Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json")
    else:
        response = Response(render_template("timeline.html", t=data, axis=axis(data["years"]),
                                            json_href=url_for("timeline.page", format="json", **own),
                                            partnership_href=url_for("timeline.page", partnership=data["partnership"]["iri"])),
                            mimetype="text/html")
    response.vary.add("Accept")
    return response
