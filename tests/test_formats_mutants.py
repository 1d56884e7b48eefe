"""The one format negotiation (service/formats.py), pinned case by case: which format wins and why, the
406 and its message, the error media type, XML's forbidden characters and spreadsheet-safe CSV.

Written to kill the mutants that survived the mutation run (docs/mutation-testing.md).
"""

from __future__ import annotations

import flask
import pyoxigraph as ox
import pytest

from lscp_kg.service.formats import (API_FORMATS, CSV, GRAPH_FORMATS, HTML, JSON, NTRIPLES, PAGE_FORMATS, RDFXML,
                                     RESULT_FORMATS, TSV, TURTLE, XML, NotAcceptable, choose_format,
                                     error_media_type, negotiate, negotiate_or_none, refuse, spreadsheet_safe_csv,
                                     xml_refusal)


def test_each_format_knows_its_pyoxigraph_format_and_names():
    assert JSON.oxigraph == ox.QueryResultsFormat.JSON and CSV.oxigraph == ox.QueryResultsFormat.CSV
    assert TURTLE.oxigraph == ox.RdfFormat.TURTLE and PAGE_FORMATS[-1].oxigraph == ox.RdfFormat.N_QUADS
    assert HTML.oxigraph is None and API_FORMATS[0].oxigraph is None
    assert CSV.names() == ("csv", "text/csv") and XML.names()[:3] == ("xml", "application/sparql-results+xml", "srx")
    assert RDFXML.prefixes({"a": "b"}) == {"a": "b"} and NTRIPLES.prefixes({"a": "b"}) is None


@pytest.mark.parametrize("offers, values, expected", [
    (RESULT_FORMATS, ["TSV"], TSV),
    (RESULT_FORMATS, [" , text/csv "], CSV),  # empty tokens skipped, case and spaces ignored
    (RESULT_FORMATS, ["nope", "xml"], XML),  # repeated: the first offered token wins
    (RESULT_FORMATS, ["application/json"], JSON),  # an alias
    (GRAPH_FORMATS, ["ttl,nt"], TURTLE),
])
def test_the_format_parameter_wins(offers, values, expected):
    assert negotiate(offers, values, accept="text/csv") is expected


@pytest.mark.parametrize("values, listed", [(["png, gif"], "png, gif"), ([" , "], "(empty)")])
def test_an_unknown_format_parameter_is_refused_with_what_is_offered(values, listed):
    with pytest.raises(NotAcceptable) as refused:
        negotiate((CSV, TSV), values)
    assert str(refused.value) == (f"format={listed} is not offered here; offered: csv (text/csv), "
                                  "tsv (text/tab-separated-values)")


@pytest.mark.parametrize("accept, expected", [
    (None, JSON), ("", JSON), ("  ", JSON), ("*/*", JSON), ("*", JSON),
    ("text/*", CSV),  # not JSON under its old alias text/javascript
    ("text/tab-separated-values", TSV),
    ("text/csv;q=0.5, text/tab-separated-values;q=0.6", TSV),  # quality first
    ("text/*;q=0.9, text/csv;q=0.9", CSV),
    ("*/*;q=0.9, text/tab-separated-values;q=0.9", TSV),  # then specificity
    ("text/*, text/tab-separated-values", TSV),
    ("application/xml", XML),  # an alias named exactly
    ("text/javascript", JSON),
    ("application/*", JSON),
    ("application/sparql-results+json;q=0, */*;q=0.1", XML),  # the most specific entry decides: q=0 refuses JSON
    ("text/csv;q=0, text/tab-separated-values;q=0.1", TSV),
    ("*/*;q=0.9, text/*;q=0.9", CSV),  # a type's wildcard is more specific than */*
    ("text/tab-separated-values; charset=utf-8", TSV),  # parameters other than q are not part of the type
])
def test_accept_picks_by_quality_then_specificity_then_order(accept, expected):
    assert negotiate(RESULT_FORMATS, accept=accept) is expected


@pytest.mark.parametrize("accept, asked", [("image/png", "image/png"), ("text/csv;q=0", "text/csv"),
                                           ("application/javascript;q=0.5", "application/javascript"),
                                           ("image/png, image/gif;q=0.5", "image/png, image/gif")])
def test_nothing_acceptable_is_refused(accept, asked):
    with pytest.raises(NotAcceptable) as refused:
        negotiate((CSV, TSV), accept=accept)
    assert str(refused.value) == (f"none of the requested media types ({asked}) is offered here; offered: "
                                  "csv (text/csv), tsv (text/tab-separated-values)")


def test_negotiate_or_none():
    assert negotiate_or_none(RESULT_FORMATS, accept="text/csv") == (CSV, None)
    chosen, message = negotiate_or_none(RESULT_FORMATS, ["png"])
    assert chosen is None and message.startswith("format=png is not offered here")


def assert_the_one_406(refusal: Exception, message: str) -> None:
    """406 with ``message`` and ``Vary: Accept`` (raised as HttpError or NotAcceptable: both carry them)."""
    assert (refusal.status, refusal.headers) == (406, {"Vary": "Accept"})
    assert refusal.message.startswith(message) and str(refusal).startswith(message)


def test_the_one_406_answer():
    with pytest.raises(Exception) as refused:
        refuse("why")
    assert_the_one_406(refused.value, "why")
    assert refused.value.message == "why"
    app = flask.Flask(__name__)
    with app.test_request_context("/?format=tsv", headers={"Accept": "text/csv"}):
        assert choose_format(RESULT_FORMATS) is TSV
    with app.test_request_context("/", headers={"Accept": "text/csv"}):
        assert choose_format(RESULT_FORMATS) is CSV
    with app.test_request_context("/", headers={"Accept": "image/png"}), pytest.raises(Exception) as refused:
        choose_format(RESULT_FORMATS)
    assert_the_one_406(refused.value, "none of the requested media types (image/png)")


@pytest.mark.parametrize("accept, preferred, expected", [
    (None, "application/json", "application/json"),
    ("", "text/plain", "text/plain"),
    (" ", "text/html", "text/html"),
    ("*/*", "text/plain", "text/plain"),
    ("application/json", "text/plain", "application/json"),
    ("text/plain;q=0.5, application/json", "text/html", "application/json"),
    ("text/html", "text/plain", "text/html"),
    ("image/png", "text/html", "text/html"),
    ("text/plain", "text/html", "text/plain"),
    ("text/*", "application/json", "text/plain"),  # wildcards match, in the order plain text, JSON, HTML
])
def test_error_media_type(accept, preferred, expected):
    assert error_media_type(accept, preferred) == expected


def test_error_media_type_prefers_plain_text():
    assert error_media_type("*/*") == "text/plain"


@pytest.mark.parametrize("body, code", [
    (b"a\x00b", "U+0000"), (b"a\x08", "U+0008"), (b"\x0b", "U+000B"), (b"\x0c", "U+000C"), (b"\x1f", "U+001F"),
    (b"\xef\xbf\xbe", "U+FFFE"), (b"\xef\xbf\xbf", "U+FFFF"),
    (b"&#x1;", "U+0001"), (b"&#X1F;", "U+001F"), (b"&#xd800;", "U+D800"), (b"&#xFFFE;", "U+FFFE"),
    (b"&#8;", "U+0008"), (b"&#11;", "U+000B"), (b"&#31;", "U+001F"), (b"&#0012;", "U+000C"),
])
def test_xml_refusal_names_the_forbidden_character(body, code):
    refusal = xml_refusal(b"<literal>" + body + b"</literal>", XML.media_type)
    assert refusal == (f"The answer holds the character {code}, which XML cannot carry, so it cannot be sent as "
                       "SPARQL XML results without being malformed; ask for SPARQL JSON "
                       "(application/sparql-results+json), CSV or TSV instead.")


def test_xml_refusal_offers_other_rdf_for_rdf_xml():
    assert xml_refusal(b"\x01", RDFXML.media_type).endswith(
        "cannot be sent as RDF/XML without being malformed; ask for Turtle (text/turtle), N-Triples or JSON-LD "
        "instead.")


@pytest.mark.parametrize("body, media_type", [
    (b"\t\n\r &#9; &#10; &#13; &#32; &#xA; \xef\xbf\xbd", XML.media_type),  # allowed in XML
    (b"a\x01b", CSV.media_type),  # not XML: nothing to refuse
    (b"a\x01b", TURTLE.media_type),
])
def test_xml_refusal_lets_the_rest_through(body, media_type):
    assert xml_refusal(body, media_type) is None


def test_spreadsheet_safe_csv_quotes_every_formula_start_only():
    body = "a,b\r\n=1,+2\r\n-3,@4\r\n\tx,\"\ry\"\r\nplain,x=1\r\n".encode()
    assert spreadsheet_safe_csv(body).decode() == "a,b\r\n'=1,'+2\r\n'-3,'@4\r\n'\tx,\"'\ry\"\r\nplain,x=1\r\n"
    assert spreadsheet_safe_csv("é,ü\r\n".encode()) == "é,ü\r\n".encode()
    assert spreadsheet_safe_csv(b'"two\r\nlines",x\r\n') == b'"two\r\nlines",x\r\n'  # line breaks in a cell kept
