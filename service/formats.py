"""Content negotiation: the one place that picks a response format.

Every endpoint offers a list of :class:`Format` s; :func:`negotiate` picks one
from the ``format`` parameter (which wins) or from ``Accept`` (q-values and
wildcards, via Werkzeug), and raises :class:`NotAcceptable` (406) otherwise.
The first format offered is the default for ``*/*`` or no ``Accept``.
Blueprints call :func:`choose_format`, which answers the 406 (with ``Vary: Accept``)
in one way; whether a format writes prefixed names is its ``prefixed`` property.

>>> negotiate(RESULT_FORMATS, accept="text/csv;q=0.9, application/sparql-results+xml").name
'xml'
>>> negotiate(GRAPH_FORMATS, accept="*/*").name
'turtle'
>>> negotiate(RESULT_FORMATS, ["tsv", "text/tab-separated-values"], accept="application/json").name
'tsv'
>>> negotiate(RESULT_FORMATS, accept="image/png")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
NotAcceptable: none of the requested media types (image/png) is offered here
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Sequence

import pyoxigraph as ox
from flask import request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Format:
    """A response format: its name (for ``?format=``), media types and pyoxigraph format."""

    name: str
    media_type: str
    kind: str  # "results" (SELECT/ASK), "graph" (CONSTRUCT/DESCRIBE), "dataset", "page", "api"
    extension: str
    aliases: tuple[str, ...] = ()  # other names and media types that select this format
    prefixed: bool = False  # its serialisation writes prefixed names (Turtle, RDF/XML, TriG): decided here only

    @property
    def oxigraph(self):
        """The pyoxigraph format object (``None`` for HTML and the API's JSON)."""
        if self.kind == "results":
            return ox.QueryResultsFormat.from_media_type(self.media_type)
        if self.kind in ("graph", "dataset"):
            return ox.RdfFormat.from_media_type(self.media_type)
        return None

    def names(self) -> tuple[str, ...]:
        return (self.name, self.media_type, *self.aliases)

    def prefixes(self, prefixes: dict) -> dict | None:
        """``prefixes`` for pyoxigraph's ``serialize`` if this format writes prefixed names, else ``None``.

        >>> TURTLE.prefixes({"ex": "http://example.org/"}), NTRIPLES.prefixes({"ex": "http://example.org/"})
        ({'ex': 'http://example.org/'}, None)
        """
        return prefixes if self.prefixed else None


JSON = Format("json", "application/sparql-results+json", "results", "srj",
              ("srj", "application/json", "text/javascript", "application/javascript"))
XML = Format("xml", "application/sparql-results+xml", "results", "srx", ("srx", "application/xml", "text/xml"))
CSV = Format("csv", "text/csv", "results", "csv")
TSV = Format("tsv", "text/tab-separated-values", "results", "tsv")
TURTLE = Format("turtle", "text/turtle", "graph", "ttl", ("ttl", "application/turtle", "application/x-turtle",
                                                          "n3", "text/n3", "text/rdf+n3", "application/n3"), True)
NTRIPLES = Format("ntriples", "application/n-triples", "graph", "nt", ("nt", "n-triples", "text/plain"))
RDFXML = Format("rdfxml", "application/rdf+xml", "graph", "rdf", ("rdf+xml", "rdf", "xml", "application/xml"), True)
JSONLD = Format("jsonld", "application/ld+json", "graph", "jsonld", ("json-ld", "json", "application/x-json+ld",
                                                                      "application/json"))
TRIG = Format("trig", "application/trig", "dataset", "trig", (), True)
NQUADS = Format("nquads", "application/n-quads", "dataset", "nq", ("nq", "n-quads"))
HTML = Format("html", "text/html", "page", "html", ("application/xhtml+xml",))
#: The named-query API's own JSON: SPARQL JSON results plus ``truncated`` and ``query``.
API_JSON = Format("json", "application/json", "api", "json")
PLAIN = Format("text", "text/plain", "page", "txt")

#: SELECT and ASK results, default SPARQL JSON.
RESULT_FORMATS = (JSON, XML, CSV, TSV)
#: CONSTRUCT and DESCRIBE results, default Turtle.
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD)
#: Entity pages and the ontology: HTML for people, RDF for machines (TriG/N-Quads keep the source graphs).
PAGE_FORMATS = (HTML, *GRAPH_FORMATS, TRIG, NQUADS)
#: The named-query API: its JSON (default), then every /sparql format.
API_FORMATS = (API_JSON, CSV, JSON, XML, TSV, *GRAPH_FORMATS)

BY_NAME = {f.name: f for f in (*RESULT_FORMATS, *GRAPH_FORMATS, TRIG, NQUADS)}


class NotAcceptable(Exception):
    """No offered format matches the request: the one 406 answer, this message with ``Vary: Accept``
    (``errors.register_error_handlers`` renders it as every other refusal)."""

    status = 406

    def __init__(self, message: str):
        super().__init__(message)
        self.message, self.headers = message, {"Vary": "Accept"}


def _describe(offers: Sequence[Format]) -> str:
    return ", ".join(f"{f.name} ({f.media_type})" for f in offers)


def _by_format_parameter(offers: Sequence[Format], values: Sequence[str]) -> Format:
    # SPARQLWrapper repeats the parameter and may send comma-separated media types.
    tokens = [t.strip().lower() for v in values for t in v.split(",") if t.strip()]
    for token in tokens:
        for fmt in offers:
            if token in fmt.names():
                return fmt
    raise NotAcceptable(f"format={', '.join(tokens) or '(empty)'} is not offered here; offered: {_describe(offers)}")


def _match(accepted: list[tuple[str, float]], media_type: str, exact_only: bool = False) -> tuple[float, int]:
    """(quality, specificity) of the most specific ``Accept`` entry that covers ``media_type``."""
    major = media_type.split("/")[0]
    best = (0.0, -1)
    for value, quality in accepted:
        value = value.split(";")[0].strip().lower()
        specificity = 2 if value == media_type else 1 if value == f"{major}/*" else 0 if value in ("*/*", "*") else -1
        if specificity > best[1] and (specificity == 2 or not exact_only):
            best = (quality, specificity)
    return best


def negotiate(offers: Sequence[Format], format_values: Sequence[str] = (), accept: str | None = None) -> Format:
    """Pick the response format from ``?format=`` values, else the ``Accept`` header.

    Highest quality wins, then the most specific entry (``text/csv`` over
    ``text/*`` over ``*/*``), then the order of ``offers``. A format's other
    media types (aliases) count only when named exactly, so ``text/*`` picks
    CSV, not SPARQL JSON under its old alias ``text/javascript``.
    """
    if format_values:
        return _by_format_parameter(offers, format_values)
    if not accept or not accept.strip():
        return offers[0]
    accepted = list(parse_accept_header(accept, MIMEAccept))
    best, best_score = None, (0.0, -1)
    for fmt in offers:
        score = max([_match(accepted, fmt.media_type)] +
                    [_match(accepted, alias, exact_only=True) for alias in fmt.aliases if "/" in alias])
        if score[0] > 0 and score > best_score:
            best, best_score = fmt, score
    if best is None:
        asked = ", ".join(value for value, _q in accepted) or accept
        raise NotAcceptable(f"none of the requested media types ({asked}) is offered here; offered: {_describe(offers)}")
    return best


def negotiate_or_none(offers: Sequence[Format], format_values: Sequence[str] = (), accept: str | None = None):
    """Like :func:`negotiate`, but ``(None, message)`` instead of raising."""
    try:
        return negotiate(offers, format_values, accept), None
    except NotAcceptable as refusal:
        return None, str(refusal)


def refuse(message: str):
    """The one 406 answer: ``message`` (why, and what is offered) with ``Vary: Accept``, raised as :class:`NotAcceptable`."""
    raise NotAcceptable(message)


def choose_format(offers: Sequence[Format]) -> Format:
    """The format for the current request, from its ``?format=`` values and ``Accept``; else the 406 of :func:`refuse`.

    Every blueprint calls this (or :func:`refuse` with :func:`negotiate_or_none`'s message), so a refusal has one
    status, one message and one ``Vary`` everywhere.
    """
    return negotiate(offers, request.args.getlist("format"), request.headers.get("Accept"))


def error_media_type(accept: str | None, preferred: str = "text/plain") -> str:
    """Media type for an error answer: ``preferred`` unless ``Accept`` prefers another of JSON, text or HTML.

    >>> error_media_type("application/json")
    'application/json'
    >>> error_media_type("*/*", preferred="application/json")
    'application/json'
    >>> error_media_type("text/html,*/*;q=0.8")
    'text/html'
    """
    kinds = [preferred] + [m for m in ("text/plain", "application/json", "text/html") if m != preferred]
    if not accept or not accept.strip():
        return preferred
    return parse_accept_header(accept, MIMEAccept).best_match(kinds) or preferred


#: Answers in these media types are XML documents (SPARQL XML results, RDF/XML).
XML_MEDIA_TYPES = {XML.media_type: "SPARQL XML results", RDFXML.media_type: "RDF/XML"}
# XML 1.0 cannot carry U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF or surrogates, even escaped:
# their UTF-8 bytes, matched without decoding the whole answer.
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]|\xed[\xa0-\xbf][\x80-\xbf]|&#(?:x0*(?:[0-8bcef]|1[0-9a-f]|d[89a-f][0-9a-f]{2}|fff[ef])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));",
                          re.IGNORECASE)


def xml_refusal(body: bytes, media_type: str) -> str | None:
    """Why an answer cannot be sent as XML (it holds a character XML 1.0 forbids), or None if it can.

    >>> xml_refusal(b"<literal>a\\x01b</literal>", "application/sparql-results+xml")[:70]
    'The answer holds the character U+0001, which XML cannot carry, so it c'
    >>> xml_refusal(b"<literal>caf\\xc3\\xa9</literal>", "application/rdf+xml") is None
    True
    >>> xml_refusal(b"<literal>\\xed\\xa0\\x80</literal>", "application/rdf+xml")[:42]  # a surrogate, U+D800
    'The answer holds the character U+D800, whi'
    """
    kind = XML_MEDIA_TYPES.get(media_type)
    found = _XML_ILLEGAL.search(body) if kind else None
    if found is None:
        return None
    raw = found.group()
    if raw.startswith(b"&#"):
        code = int(raw[3:-1], 16) if raw[2:3].lower() == b"x" else int(raw[2:-1])
    else:
        code = ord(raw.decode("utf-8", "surrogatepass"))
    other = "SPARQL JSON (application/sparql-results+json), CSV or TSV" if kind.startswith("SPARQL") else \
        "Turtle (text/turtle), N-Triples or JSON-LD"
    return (f"The answer holds the character U+{code:04X}, which XML cannot carry, so it cannot be sent as {kind} "
            f"without being malformed; ask for {other} instead.")


#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe_csv(body: bytes) -> bytes:
    """A CSV answer meant for spreadsheets, each cell that would start a formula prefixed with a single quote.

    For downloads from the pages and ``/api/queries`` (OWASP's rule); ``/sparql``
    keeps the SPARQL 1.1 CSV exactly as specified.

    >>> print(spreadsheet_safe_csv(b'name,n\\r\\n"=HYPERLINK(""http://x"")",-3\\r\\n@SUM(A1),plain\\r\\n').decode().replace("\\r", ""), end="")
    name,n
    "'=HYPERLINK(""http://x"")",'-3
    '@SUM(A1),plain
    """
    rows = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in row])
    return out.getvalue().encode("utf-8")
