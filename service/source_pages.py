"""Source pages: the whole text of each source document, line by line, each line an anchor.

``/source/<name>`` is the document ``<base>id/source/<name>``; ``/source?doc=<IRI>`` any other.
``?lines=144-149`` marks those lines on the server (so that the page reads right without
JavaScript) and the link's ``#L144`` scrolls to the first; ``source-page.js`` also marks a
fragment range such as ``#L144-L149``. The page lists the passages of the marked lines, which
link to the facts they state, and the document's original web address and retrieval date where
the data records them.

``/source/<name>/coverage`` (``/source?doc=<IRI>&view=coverage``) is the document's coverage
(:mod:`lscp_kg.coverage`): every line marked in the graph, deliberately not modelled or not in the
graph, the counts at the top, ``?only=missing`` (every line not wholly in the graph) or ``?only=stating``
(those that state something the graph does not say, in all or in part); as JSON by ``Accept``, ``?format=json`` or ``/source/<name>/coverage.json``.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, render_template, request

from lscp_kg.coverage import STATUSES, CoverageError, reports_for
from lscp_kg.labels import labels_for
from lscp_kg.service.errors import HttpError, one_value
from lscp_kg.service.formats import API_JSON, HTML, choose_format
from lscp_kg.service.page_urls import coverage_url, entity_url, own_iri, source_url
from lscp_kg.service.state import service_state
from lscp_kg.source_texts import sources_for

bp = Blueprint("source_pages", __name__)
_LINES = re.compile(r"^(\d{1,7})(?:-(\d{1,7}))?$")


def marked_lines(raw: str | None) -> tuple[int, int] | None:
    """``"144-149"`` -> (144, 149); ``"7"`` -> (7, 7); None if absent; 400 if malformed."""
    if not raw:
        return None
    found = _LINES.match(raw.strip())
    if not found:
        raise HttpError(400, f"lines: {raw!r} is not a line or a range of lines such as 144-149.")
    start = int(found.group(1))
    end = int(found.group(2) or start)
    if end < start:
        raise HttpError(400, f"lines: the range {raw!r} ends before it starts; write it as {end}-{start}.")
    return start, end


def source_page(iri: str):
    sources = sources_for(service_state().kg)
    document = sources.document(iri)
    if document is None:
        raise HttpError(404, f"{iri} is not a source document of the graph.")
    lines = sources.lines(iri)
    if lines is None:
        raise HttpError(404, f"The text of {document.label} is not available on this installation.")
    marked = marked_lines(request.args.get("lines"))
    if marked and marked[0] > len(lines):
        raise HttpError(400, f"lines: {document.label} has {len(lines)} lines; line {marked[0]} is past its end.")
    passages = [p for p in sources.passages_of(iri) if marked and p.start <= marked[1] and p.end >= marked[0]]
    return render_template("source.html", document=document, lines=lines, marked=marked, passages=passages,
                           coverage_href=coverage_url(iri))


#: ``?only=``: which lines the coverage page shows (all by default).
SHOWN = {"": STATUSES, "missing": ("partly", "not-modelled", "stating", "structural"), "stating": ("partly", "stating")}
COVERAGE_PARAMETERS = {"only", "format", "doc", "view"}


def coverage_page(iri: str, fmt=None):
    unknown = sorted(set(request.args) - COVERAGE_PARAMETERS)
    if unknown:
        raise HttpError(400, f"unknown parameter {unknown[0]!r}; the coverage page takes only (missing or stating) "
                             "and format (html or json)")
    only = request.args.get("only", "").strip()
    if only not in SHOWN:
        raise HttpError(400, f"only: {only!r} is not one of: missing (every line not wholly in the graph), "
                             "stating (the lines that state something the graph does not say, in all or in part)")
    fmt = fmt or choose_format((HTML, API_JSON))
    kg = service_state().kg
    if sources_for(kg).document(iri) is None:
        raise HttpError(404, f"{iri} is not a source document of the graph.")
    try:
        report = reports_for(kg).get(iri)
    except CoverageError as error:
        raise HttpError(404, f"No coverage: {error}.") from None
    shown = [line for line in report.lines if line.status in SHOWN[only]]
    if fmt is API_JSON:
        data = report.to_dict(labels=labels_for(kg))
        data["lines"] = [line.to_dict() for line in shown]
        for passage in data["passages"]:
            passage["href"] = entity_url(passage["passage"])
        data["html"] = coverage_url(iri, **({"only": only} if only else {}))
        response = Response(json.dumps(data, ensure_ascii=False, indent=1) + "\n", mimetype="application/json")
    else:
        response = Response(render_template(
            "source_coverage.html", report=report, counts=report.counts(), shown=shown, only=only,
            passages=report.passages, labels=labels_for(kg), source_href=source_url(iri),
            json_href=coverage_url(iri, format="json", **({"only": only} if only else {})),
            filter_hrefs={key: coverage_url(iri, **({"only": key} if key else {})) for key in SHOWN}),
            mimetype="text/html")
    response.vary.add("Accept")
    return response


@bp.get("/source/<name>/coverage")
def coverage(name: str):
    return coverage_page(own_iri("source/" + name))


@bp.get("/source/<name>/coverage.json")
def coverage_json(name: str):
    return coverage_page(own_iri("source/" + name), API_JSON)


@bp.get("/source/<name>")
def document(name: str):
    return source_page(own_iri("source/" + name))


@bp.get("/source")
def by_iri():
    if not request.args.getlist("doc"):
        return render_template("sources.html", documents=sources_for(service_state().kg).documents(),
                               coverage_url=coverage_url)
    doc = one_value("doc", "/source?doc=<IRI of a source document>")
    view = request.args.get("view", "text")
    if view not in ("text", "coverage"):
        raise HttpError(400, f"view: {view!r} is not one of: text (the source, line by line), coverage (what the graph "
                             "leaves out of it).")
    return coverage_page(doc) if view == "coverage" else source_page(doc)
