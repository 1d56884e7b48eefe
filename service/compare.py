"""Partnerships side by side: ``/compare`` (HTML, or JSON by ``Accept`` or ``?format=json``) and ``/compare.json``.

One row per loaded partnership, from the named question ``partnerships-side-by-side`` (its areas, partners,
chair and scrutiny models, bodies, meetings and key documents, each taken only from that partnership's own
passages) and its findings by severity from the scrutiny report, the same report (runner, worker, time
limit and cache) as ``/scrutiny``. Both run in the query workers under the time limit; a report that does not
finish in time leaves the findings "not available" and the rest of the page as it is.

Parameters: ``q`` (a filter on the name: case, accents and apostrophes do not matter), ``sort`` (``name``,
``bodies``, ``must``, ``should``, ``note``), ``order`` (``asc`` or ``desc``; by default names ascend and counts
descend), ``page`` (25 partnerships a page). Anything else, or a page past the last, answers 400.
"""

from __future__ import annotations

import json
import re
import time

from flask import Blueprint, Response, render_template, request, url_for

from lscp_kg.scrutiny import SEVERITIES, parse_asof
from lscp_kg.search_text import normalise
from lscp_kg.service.cache import computed_once
from lscp_kg.service.errors import HttpError
from lscp_kg.service.formats import API_JSON, HTML, choose_format
from lscp_kg.service.page_urls import entity_url
from lscp_kg.service.queries import named_query, run_named
from lscp_kg.service import scrutiny_pages  # its report_for called through the module: tests replace it
from lscp_kg.service.state import service_state

bp = Blueprint("compare", __name__)

QUESTION = "partnerships-side-by-side"
PAGE_SIZE = 25
SORTS = {"name": "name", "bodies": "number of bodies", **{s: f"{s} findings" for s in SEVERITIES}}
PARAMETERS = ("q", "sort", "order", "page", "format")
#: list columns of the question (one cell, items joined by "; ") and single-valued ones
LISTS = {"sitsWithin": "sits_within", "areas": "areas", "statutoryPartners": "statutory_partners", "additionalPartners": "additional_partners",
         "chairRotatesAmong": "chair_rotates_among", "meetingFrequencies": "meeting_frequencies",
         "keyDocuments": "key_documents"}
SINGLE = {"kind": "kind", "chairModel": "chair_model", "chairRotationPeriod": "chair_rotation_period", "scrutinyModel": "scrutiny_model"}
#: how long a report that did not finish in time is not asked for again (each attempt costs a worker)
UNAVAILABLE_FOR = 300.0
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
_DURATION_UNITS = ("year", "month", "week", "day")


def period_in_words(duration: str | None) -> str | None:
    """An ISO 8601 duration of whole years, months, weeks or days in words (else as given).

    >>> period_in_words("P2Y"), period_in_words("P4M"), period_in_words("P1Y6M"), period_in_words("PT3H")
    ('every 2 years', 'every 4 months', 'every 1 year and 6 months', 'every PT3H')
    """
    if not duration:
        return None
    found = _DURATION.match(duration)
    parts = [f"{n} {unit}{'s' if int(n) != 1 else ''}" for n, unit in zip(found.groups(), _DURATION_UNITS) if n] \
        if found else []
    if not parts:
        return f"every {duration}"
    return "every " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


def meeting_in_words(item: str) -> str:
    """A "Body: how often" item with an interval (a duration) in words.

    >>> meeting_in_words("Board: P6W"), meeting_in_words("Group: three times a year")
    ('Board: every 6 weeks', 'Group: three times a year')
    """
    body, _, how = item.rpartition(": ")
    return f"{body}: {period_in_words(how)}" if body and _DURATION.match(how) and how != "P" else item


def natural_key(name: str) -> tuple:
    """A name as it sorts for people: numbers by value ("Borough 2" before "Borough 10"), case ignored.

    >>> sorted(["Borough 10", "borough 2", "Borough 1"], key=natural_key)
    ['Borough 1', 'borough 2', 'Borough 10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", normalise(name)) if part)


def _cell(binding: dict, name: str) -> str | None:
    value = (binding.get(name) or {}).get("value")
    return value if value not in (None, "") else None


def partnership_rows(document: dict) -> list[dict]:
    """The question's SPARQL JSON answer as one dict per partnership, lists split (``"; "``) into lists.

    >>> rows = partnership_rows({"results": {"bindings": [{"partnership": {"value": "http://x/p"},
    ...     "label": {"value": "P"}, "areas": {"value": "A; B"}, "bodies": {"value": "3"}}]}})
    >>> rows[0]["areas"], rows[0]["bodies"], rows[0]["chair_model"]
    (['A', 'B'], 3, None)
    """
    rows = []
    for binding in document["results"]["bindings"]:
        iri = binding["partnership"]["value"]
        row = {"iri": iri, "label": _cell(binding, "label") or iri, "bodies": int(_cell(binding, "bodies") or 0)}
        row.update({key: (_cell(binding, name) or "").split("; ") if _cell(binding, name) else []
                    for name, key in LISTS.items()})
        row.update({key: _cell(binding, name) for name, key in SINGLE.items()})
        rows.append(row)
    return rows


def _question_rows() -> list[dict]:
    """The named question's answer, run in a query worker (the one binder and runner), once per loaded graph."""
    state = service_state()
    query = named_query(QUESTION)

    def build():
        outcome = run_named(query, {}, {"results": "json", "graph": None})
        return partnership_rows(json.loads(outcome.body))
    if state.kg.data_may_change:  # a shared store gets new versions under us: asked afresh each time
        return build()
    return computed_once(state.cache, "compare", build)


def findings_by_partnership(asof: str) -> tuple[dict | None, str | None]:
    """Each partnership's findings by severity (and checks passed), from ``/scrutiny``'s report and cache;
    ``(None, why)`` when the report could not be computed within the time limit."""
    state = service_state()
    failed_key = ("compare-scrutiny-unavailable", asof)
    failed = state.cache.get(failed_key)
    if failed and time.monotonic() - failed[1] < UNAVAILABLE_FOR:
        return None, failed[0]
    try:
        report = scrutiny_pages.report_for(asof)
    except HttpError as refusal:
        if refusal.status < 500:
            raise
        why = "The scrutiny report could not be computed within the service's time limit."
        state.cache[failed_key] = (why, time.monotonic())
        return None, why
    return {p["iri"]: dict(p["summary"]) for p in report.partnerships}, None


def _choice(name: str, allowed, default: str) -> str:
    value = request.args.get(name, default)
    if value not in allowed:
        raise HttpError(400, f"{name}: {value!r} is not one of {', '.join(allowed)}.")
    return value


def _requested() -> dict:
    unknown = sorted(set(request.args) - set(PARAMETERS))
    if unknown:
        raise HttpError(400, f"unknown parameter {unknown[0]!r}; /compare takes q (a name), sort "
                             f"({', '.join(SORTS)}), order (asc, desc), page (a number) and format")
    for name in request.args:
        if len(request.args.getlist(name)) > 1:
            raise HttpError(400, f"parameter {name!r}: given {len(request.args.getlist(name))} times; give it once.")
    sort = _choice("sort", SORTS, "name")
    order = _choice("order", ("asc", "desc"), "asc" if sort == "name" else "desc")
    page = request.args.get("page", "1")
    if not (page.isdigit() and 0 < len(page) < 7 and int(page) > 0):
        raise HttpError(400, f"page: {page!r} is not a page number (1, 2, ...).")
    text = request.args.get("q", "").strip()
    if len(text) > 200:
        raise HttpError(400, "q: a name filter is at most 200 characters.")
    return {"q": text, "sort": sort, "order": order, "page": int(page)}


def sorted_rows(rows: list[dict], sort: str, order: str) -> list[dict]:
    """Rows in the order asked; ties (and partnerships without findings) by name.

    >>> rows = [{"label": "B", "bodies": 2, "findings": None}, {"label": "A", "bodies": 2, "findings": {"must": 1}}]
    >>> [r["label"] for r in sorted_rows(rows, "bodies", "desc")], [r["label"] for r in sorted_rows(rows, "must", "desc")]
    (['A', 'B'], ['A', 'B'])
    """
    by_name = sorted(rows, key=lambda r: natural_key(r["label"]), reverse=(sort == "name" and order == "desc"))
    if sort == "name":
        return by_name
    if sort == "bodies":
        return sorted(by_name, key=lambda r: r["bodies"], reverse=(order == "desc"))
    known = [r for r in by_name if r["findings"] is not None]
    unknown = [r for r in by_name if r["findings"] is None]  # always last: nothing to compare them by
    return sorted(known, key=lambda r: r["findings"].get(sort, 0), reverse=(order == "desc")) + unknown


def comparison() -> dict:
    """The requested page of the comparison: rows, paging, sort links and the state of the findings."""
    asked = _requested()
    asof = parse_asof(None)
    findings, unavailable = findings_by_partnership(asof)
    rows = [{**row, "href": entity_url(row["iri"]),
             "findings": None if findings is None else findings.get(row["iri"]),
             "scrutiny_href": url_for("scrutiny.page", partnership=row["iri"])}
            for row in _question_rows()]
    wanted = normalise(asked["q"])
    matching = [r for r in rows if wanted in normalise(r["label"])] if wanted else rows
    ordered = sorted_rows(matching, asked["sort"], asked["order"])
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    if asked["page"] > pages:
        raise HttpError(400, f"page: there {'is' if pages == 1 else 'are'} only {pages} page{'s' if pages > 1 else ''} "
                             f"of {len(ordered)} partnership{'s' if len(ordered) != 1 else ''}.")
    first = (asked["page"] - 1) * PAGE_SIZE
    return {**asked, "asof": asof, "loaded": len(rows), "total": len(ordered), "pages": pages,
            "first": first + 1 if ordered else 0, "last": min(first + PAGE_SIZE, len(ordered)),
            "rows": ordered[first:first + PAGE_SIZE], "findings_unavailable": unavailable,
            "sorts": [_sort_link(asked, key, label) for key, label in SORTS.items()],
            "previous": _href(asked, page=asked["page"] - 1) if asked["page"] > 1 else None,
            "next": _href(asked, page=asked["page"] + 1) if asked["page"] < pages else None,
            "numbered": [(n, _href(asked, page=n)) for n in range(1, pages + 1)]}


def _href(asked: dict, endpoint: str = "compare.page", **changes) -> str:
    merged = {k: {**asked, **changes}[k] for k in ("q", "sort", "order", "page")}
    params = {k: v for k, v in merged.items() if v and not (k == "page" and v == 1)}
    return url_for(endpoint, **params)


def _sort_link(asked: dict, key: str, label: str) -> dict:
    """A column's sort link: the other direction if it is the current sort, else its usual direction."""
    current = asked["sort"] == key
    usual = "asc" if key == "name" else "desc"
    order = ("desc" if asked["order"] == "asc" else "asc") if current else usual
    return {"key": key, "label": label, "current": current, "order": asked["order"] if current else None,
            "href": _href(asked, sort=key, order=order, page=1)}


def _json(data: dict) -> Response:
    keys = ("iri", "label", "href", *LISTS.values(), *SINGLE.values(), "bodies", "findings")
    body = {"asof": data["asof"], "filter": data["q"], "sort": data["sort"], "order": data["order"],
            "page": data["page"], "pages": data["pages"], "total": data["total"], "loaded": data["loaded"],
            "findings_unavailable": data["findings_unavailable"],
            "previous": _href(data, "compare.as_json", page=data["page"] - 1) if data["page"] > 1 else None,
            "next": _href(data, "compare.as_json", page=data["page"] + 1) if data["page"] < data["pages"] else None,
            "partnerships": [{k: row[k] for k in keys} for row in data["rows"]]}
    return Response(json.dumps(body, ensure_ascii=False, indent=1) + "\n", mimetype="application/json")


@bp.get("/compare")
def page():
    fmt = choose_format((HTML, API_JSON))
    data = comparison()
    if fmt is API_JSON:
        response = _json(data)
    else:
        response = Response(render_template("compare.html", c=data, period_in_words=period_in_words,
                                            meeting_in_words=meeting_in_words, severities=SEVERITIES,
                                            json_href=_href(data, "compare.as_json", page=data["page"])),
                            mimetype="text/html")
    response.vary.add("Accept")
    return response


@bp.get("/compare.json")
def as_json():
    return _json(comparison())
