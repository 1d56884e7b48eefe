"""Source pages: the whole text of each source document, line by line, each line an anchor.

``/source/<name>`` is the document ``<base>id/source/<name>``; ``/source?doc=<IRI>`` any other.
``?lines=144-149`` marks those lines on the server (so that the page reads right without
JavaScript) and the link's ``#L144`` scrolls to the first; ``source-page.js`` also marks a
fragment range such as ``#L144-L149``. The page lists the passages of the marked lines, which
link to the facts they state, and the document's original web address and retrieval date where
the data records them.
"""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request

from lscp_kg.service.errors import HttpError
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
    return render_template("source.html", document=document, lines=lines, marked=marked, passages=passages)


@bp.get("/source/<name>")
def document(name: str):
    return source_page(service_state().kg.base_iri + "id/source/" + name)


@bp.get("/source")
def by_iri():
    docs = request.args.getlist("doc")
    if not docs:
        return render_template("sources.html", documents=sources_for(service_state().kg).documents())
    if len(docs) != 1 or not docs[0].strip():
        raise HttpError(400, "Give exactly one 'doc' parameter: /source?doc=<IRI of a source document>.")
    return source_page(docs[0].strip())
