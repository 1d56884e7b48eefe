"""A picture for the report: what the explorer's exports print beside the picture, and its PDF.

``GET /api/explore/export-context`` names the partnership a view draws (``?partnership=``, else
every loaded one), the dates its sources say they are as of (each taken only from a graph whose
``lscp:partnershipContext`` is that partnership) and the pages of those sources, for the export's
title block and source note.

``POST /explore/export.pdf`` receives the SVG the explorer drew (explorer-export.js) and renders it
on an A4 landscape page with svglib and ReportLab, labels as PDF text. The SVG is untrusted: it is
parsed by defusedxml (no DTD, no entities), capped in bytes and elements, and only the shapes and
text the explorer writes are accepted (no links, images, styles or scripts); anything else answers
400 saying what was refused.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask import Blueprint, Response, jsonify, request
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas
from svglib.svglib import svg2rlg

from lscp_kg.service.errors import HttpError
from lscp_kg.service.explore import chosen_partnership, loaded_partnerships
from lscp_kg.service.page_urls import source_url
from lscp_kg.service.state import service_state

bp = Blueprint("explore_export", __name__)

SVG_NS = "http://www.w3.org/2000/svg"
MAX_SVG_BYTES = 1_048_576  # as the service's own body limit (MAX_CONTENT_LENGTH), which answers 413 first
MAX_ELEMENTS = 6_000  # bounds the time: Lewisham's 157 nodes draw 1,400 elements (PDF in 0.9 s); 6,000 texts about 4 s
#: What the explorer's SVG is made of; an upload with anything else is refused.
ELEMENTS = {"svg", "g", "title", "desc", "rect", "circle", "ellipse", "line", "polygon", "polyline", "path", "text"}
ATTRIBUTES = {"xmlns", "width", "height", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
              "points", "d", "fill", "stroke", "stroke-width", "stroke-dasharray", "stroke-linejoin", "opacity",
              "font-family", "font-size", "font-weight", "text-anchor", "class", "role", "aria-label", "lang",
              "data-kind", "data-node", "data-priority"}
_NUMBERS = re.compile(r"^[-0-9., eE]*$")
_PAINT = re.compile(r"^(none|#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,20}|rgba?\([0-9., %]+\))$")
DATES = (("lscp:asOf", "as of"), ("dcterms:modified", "updated"), ("lscp:revised", "revised"), ("dcterms:issued", "issued"))


def _partnerships() -> dict[str, str]:
    """The partnership the view draws (``?partnership=``, as the explorer chooses it), else every loaded one."""
    chosen, known = chosen_partnership(), loaded_partnerships()
    return {chosen: known[chosen]} if chosen else dict(sorted(known.items(), key=lambda item: item[1].casefold()))


def _sources(partnership: str) -> list[dict]:
    """The partnership's own source documents, with the dates each says it is as of (from its own graphs)."""
    kg = service_state().kg
    found: dict[str, dict] = {}
    for row in kg.query("""SELECT ?partnership ?doc (SAMPLE(?t) AS ?title) WHERE {
            GRAPH ?g { ?doc a lscp:SourceDocument . OPTIONAL { ?doc dcterms:title ?t } }
            ?g lscp:partnershipContext ?partnership } GROUP BY ?partnership ?doc ORDER BY ?doc""",
                        substitutions={ox.Variable("partnership"): ox.NamedNode(partnership)}):
        doc = row["doc"].value
        found[doc] = {"title": row["title"].value if row["title"] is not None else None,
                      "href": request.host_url.rstrip("/") + source_url(doc), "dates": []}
    for prefixed, words in DATES:
        for row in kg.query(f"""SELECT ?partnership ?doc ?date WHERE {{ GRAPH ?g {{ ?doc a lscp:SourceDocument }}
                ?g lscp:partnershipContext ?partnership . GRAPH ?d {{ ?doc {prefixed} ?date }}
                ?d lscp:partnershipContext ?partnership }} ORDER BY ?doc ?date""",
                            substitutions={ox.Variable("partnership"): ox.NamedNode(partnership)}):
            found[row["doc"].value]["dates"].append({"kind": words, "date": row["date"].value})
    return list(found.values())


@bp.get("/api/explore/export-context")
def export_context():
    """What an export prints beside the picture: the partnerships, their sources' pages and dates."""
    unknown = sorted(set(request.args) - {"partnership"})
    if unknown:
        raise HttpError(400, f"unknown parameter {unknown[0]!r}; /api/explore/export-context takes partnership")
    return jsonify({"partnerships": [{"iri": iri, "name": name, "sources": _sources(iri)}
                                     for iri, name in _partnerships().items()]})


def checked_svg(body: bytes) -> ET.Element:
    """The uploaded SVG, parsed safely and held to what the explorer writes; HttpError 400 otherwise.

    >>> checked_svg(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="2">a</text></svg>').tag
    '{http://www.w3.org/2000/svg}svg'
    >>> checked_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/y.png"/></svg>')
    Traceback (most recent call last):
    ...
    lscp_kg.service.errors.HttpError: the SVG has an element <image> the explorer never draws; only shapes and text are accepted
    """
    root = _parsed(body)
    for count, element in enumerate(root.iter()):
        if count >= MAX_ELEMENTS:
            raise HttpError(400, f"the SVG has more than {MAX_ELEMENTS} elements; export a smaller view")
        _check_element(element)
    return root


def _parsed(body: bytes) -> ET.Element:
    """The upload parsed without a DTD or entities, its size and root checked; HttpError 400 otherwise."""
    if not body:
        raise HttpError(400, "no SVG received: POST the explorer's SVG export as the request body (image/svg+xml)")
    if len(body) > MAX_SVG_BYTES:
        raise HttpError(400, f"the SVG is {len(body)} bytes; at most {MAX_SVG_BYTES} are accepted")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise HttpError(400, f"the SVG is not well-formed XML without a DTD or entities ({error})") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise HttpError(400, "the upload is not an SVG document: its root must be <svg> in the SVG namespace")
    return root


def _check_element(element: ET.Element) -> None:
    """One element: a shape or text of the SVG namespace, with only the attributes and values the explorer writes."""
    namespace, _, name = element.tag.rpartition("}")
    if namespace.lstrip("{") != SVG_NS or name not in ELEMENTS:
        raise HttpError(400, f"the SVG has an element <{name}> the explorer never draws; only shapes and text are accepted")
    for attribute, value in element.attrib.items():
        if attribute not in ATTRIBUTES:
            raise HttpError(400, f"the SVG's <{name}> has an attribute {attribute!r} the explorer never writes")
        if attribute in ("fill", "stroke") and not _PAINT.match(value):
            raise HttpError(400, f"the SVG's <{name}> has {attribute}={value!r}: only colours are accepted")
        if attribute in ("x", "y", "width", "height", "points", "d", "r") and not _NUMBERS.match(value) \
                and not (attribute == "d" and re.match(r"^[MLHVZmlhvz0-9., -]*$", value)):
            raise HttpError(400, f"the SVG's <{name}> has {attribute}={value!r}: only numbers are accepted")


def pdf_of(root: ET.Element) -> bytes:
    """The SVG on one A4 landscape page, scaled to fit with a margin; its text stays text."""
    drawing = svg2rlg(io.BytesIO(ET.tostring(root)))
    if drawing is None or not drawing.width or not drawing.height:
        raise HttpError(400, "the SVG could not be drawn: give it a width and a height")
    page_width, page_height = landscape(A4)
    margin = 18
    scale = min((page_width - 2 * margin) / drawing.width, (page_height - 2 * margin) / drawing.height)
    drawing.scale(scale, scale)
    width, height = drawing.width * scale, drawing.height * scale
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(page_width, page_height), pageCompression=1)
    title = root.find(f"{{{SVG_NS}}}title")
    pdf.setTitle(title.text if title is not None and title.text else "lscp-kg picture")
    pdf.setCreator("lscp-kg")
    renderPDF.draw(drawing, pdf, (page_width - width) / 2, (page_height - height) / 2)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@bp.post("/explore/export.pdf")
def export_pdf():
    """The explorer's SVG as an A4 landscape PDF (``?name=`` names the download, default picture.pdf)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", request.args.get("name", "picture"))[:80] or "picture"
    length = request.content_length
    if length is not None and length > MAX_SVG_BYTES:
        raise HttpError(400, f"the SVG is {length} bytes; at most {MAX_SVG_BYTES} are accepted")
    body = request.get_data(cache=False)
    response = Response(pdf_of(checked_svg(body)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
