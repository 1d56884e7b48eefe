"""Unit tests of the endpoint's parts: format negotiation, the query guard, and capped serialisation."""

from __future__ import annotations

import doctest
import importlib
import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lscp_kg.service.formats import (API_FORMATS, GRAPH_FORMATS, PAGE_FORMATS, RESULT_FORMATS, NotAcceptable,
                                     error_media_type, negotiate)
from lscp_kg.service.query_guard import check_query, inspect_query
from lscp_kg.service.errors import HttpError
from lscp_kg.service.query_runner import QueryJob, run_job

SERVICE_MODULES = ["formats", "query_guard", "limits", "query_runner", "request_log", "description", "page_urls", "guarded_runner", "fairness", "query_watch", "server",
                   "sparql", "queries", "entities", "pages", "app", "errors", "state", "ontology_doc"]


@pytest.mark.parametrize("name", SERVICE_MODULES)
def test_service_module_doctests(name):
    module = importlib.import_module(f"lscp_kg.service.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


# --- negotiation --------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+xml, */*", "xml"),  # specific beats wildcard at equal quality
    ("*/*;q=0.9, text/csv;q=0.1", "json"),  # CSV's own (most specific) entry gives it 0.1; JSON gets */*'s 0.9
    ("text/csv;q=0, */*", "json"),  # an explicit q=0 refuses
    ("text/javascript", "json"),  # an alias counts when named exactly
    ("text/*", "csv"),  # ... and not through a wildcard
])
def test_result_negotiation(accept, expected):
    assert negotiate(RESULT_FORMATS, accept=accept).name == expected


def test_format_parameter_takes_names_media_types_and_sparqlwrapper_lists():
    assert negotiate(RESULT_FORMATS, ["tsv", "text/tab-separated-values"]).name == "tsv"
    assert negotiate(GRAPH_FORMATS, ["json-ld", "application/ld+json,application/x-json+ld"]).name == "jsonld"
    assert negotiate(GRAPH_FORMATS, ["xml"]).name == "rdfxml"
    assert negotiate(RESULT_FORMATS, ["xml"]).name == "xml"
    assert negotiate(API_FORMATS, ["json"]).media_type == "application/json"
    with pytest.raises(NotAcceptable, match="format=pdf"):
        negotiate(RESULT_FORMATS, ["pdf"])


def test_pages_prefer_html_for_browsers_and_rdf_for_rdf_clients():
    assert negotiate(PAGE_FORMATS, accept="text/html,application/xhtml+xml,*/*;q=0.8").name == "html"
    assert negotiate(PAGE_FORMATS, accept="text/turtle").name == "turtle"
    assert negotiate(PAGE_FORMATS, accept="application/ld+json;q=0.9, text/turtle;q=0.5").name == "jsonld"
    assert negotiate(PAGE_FORMATS, accept="*/*").name == "html"


def test_error_media_type():
    assert error_media_type("application/sparql-results+json,application/json") == "application/json"
    assert error_media_type(None, "application/json") == "application/json"
    assert error_media_type("text/turtle") == "text/plain"


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_accept_header_gives_a_format_or_406(accept):
    try:
        assert negotiate(RESULT_FORMATS, accept=accept) in RESULT_FORMATS
    except NotAcceptable:
        pass


# --- the query guard ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "select"),
    ("# SELECT\nPREFIX ask: <http://x/> BASE <http://y/> CONSTRUCT WHERE { ?s ?p ?o }", "construct"),
    ("describe <http://x>", "describe"),
    ("Ask {}", "ask"),
    ("prefix : <http://x/> SELECT ?select WHERE { ?select :construct 'ask' }", "select"),
])
def test_form_is_the_first_keyword_after_the_prologue(query, form):
    assert inspect_query(query).form == form


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * WHERE { ?s ex:service ?o }",
    "SELECT ?service WHERE { ?s ?p ?service }",
    "SELECT * WHERE { ?s ?p 'SERVICE <http://x> { }' }",
    'SELECT * WHERE { ?s ?p """\nservice\n""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x> { }",
    "SELECT * WHERE { ?s ?p 'load insert delete' }",
])
def test_words_in_iris_strings_names_and_comments_are_not_keywords(query):
    shape = inspect_query(query)
    assert not shape.service and not shape.update


@given(prefix=st.sampled_from(["", "PREFIX ex: <http://example.org/> ", "# comment\n", "BASE <http://x/> "]),
       word=st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "\\u0053ERVICE", "SERV\\u0049CE"]),
       target=st.sampled_from(["<http://127.0.0.1:9/>", "?endpoint", "SILENT <http://example.org/>"]))
def test_service_is_always_found(prefix, word, target):
    query = f"{prefix}SELECT * WHERE {{ {word} {target} {{ ?s ?p ?o }} }}"
    assert inspect_query(query).service
    with pytest.raises(HttpError) as refused:
        check_query(query, 10_000)
    assert refused.value.status == 400 and "SERVICE" in refused.value.message


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_guard_never_crashes(text):
    shape = inspect_query(text)
    assert shape.form in (None, "select", "ask", "construct", "describe")


@pytest.mark.parametrize("update", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "PREFIX x: <urn:> DELETE WHERE { ?s ?p ?o }",
                                    "LOAD <http://example.org/x>", "CLEAR DEFAULT", "DROP ALL", "CREATE GRAPH <urn:g>",
                                    "ADD <urn:a> TO <urn:b>", "MOVE DEFAULT TO <urn:b>", "COPY <urn:a> TO DEFAULT",
                                    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"])
def test_updates_are_recognised(update):
    assert inspect_query(update).update


# --- capped serialisation ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_capped_writer_matches_pyoxigraph_when_nothing_is_cut(kg, fmt):
    query = ("SELECT ?s ?label (LANG(?label) AS ?lang) (1 AS ?one) ?missing WHERE { ?s rdfs:label ?label } "
             "ORDER BY ?s ?label LIMIT 40")
    ours = run_job(kg, QueryJob(query, {"results": fmt, "graph": None}, row_cap=1000))
    theirs = kg.query(query).serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert not ours.truncated and ours.rows == 40
    if fmt == "json":
        assert json.loads(ours.body) == json.loads(theirs)
    else:
        assert ours.body == theirs


def test_capped_writer_keeps_language_tags_and_datatypes(kg):
    query = 'SELECT ?x ?y ?z WHERE { VALUES (?x ?y ?z) { ("hello"@en-GB "2024-01-31"^^xsd:date <urn:a>) } }'
    body = json.loads(run_job(kg, QueryJob(query, {"results": "json", "graph": None})).body)
    row = body["results"]["bindings"][0]
    assert row["x"] == {"type": "literal", "value": "hello", "xml:lang": "en-gb"}
    assert row["y"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert row["z"] == {"type": "uri", "value": "urn:a"}
