"""/sparql through real clients against the real server (``lscp-kg serve`` under gunicorn).

SPARQLWrapper and rdflib's SPARQLStore for SELECT, ASK and CONSTRUCT in
several formats; plain HTTP (requests) for content negotiation, the dataset
parameters, CORS and every error case of the SPARQL 1.1 Protocol.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

LEWISHAM = "https://lscp-kg.example.org/id/partnership/lewisham"
LSCP = "https://lscp-kg.example.org/ontology#"
PARTNERS = f"SELECT DISTINCT ?partner WHERE {{ <{LEWISHAM}> lscp:safeguardingPartner ?partner }} ORDER BY ?partner"
PARTNERS_CONSTRUCT = f"CONSTRUCT {{ <{LEWISHAM}> lscp:safeguardingPartner ?p }} WHERE {{ <{LEWISHAM}> lscp:safeguardingPartner ?p }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def endpoint(live_server):
    return live_server.url + "/sparql"


@pytest.fixture(scope="module")
def partners(kg):
    return sorted({r["p"].value for r in kg.query(f"SELECT ?p WHERE {{ <{LEWISHAM}> lscp:safeguardingPartner ?p }}")})


def wrapper(endpoint, query, fmt, method="GET"):
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


# --- SPARQLWrapper ------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_sparqlwrapper_select_json_by_each_method(endpoint, partners, method):
    client = SPARQLWrapper(endpoint)
    client.setQuery(PARTNERS)
    client.setReturnFormat(JSON)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    else:
        client.setMethod(method)
    result = client.query()
    assert result.response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert [b["partner"]["value"] for b in result.convert()["results"]["bindings"]] == partners


def test_sparqlwrapper_select_xml_csv_tsv(endpoint, partners):
    xml = wrapper(endpoint, PARTNERS, XML).convert()  # a minidom document
    assert sorted(n.firstChild.data for n in xml.getElementsByTagName("uri")) == partners
    rows = list(csv.reader(io.StringIO(wrapper(endpoint, PARTNERS, CSV).convert().decode())))
    assert rows[0] == ["partner"] and [r[0] for r in rows[1:]] == partners
    lines = wrapper(endpoint, PARTNERS, TSV).convert().decode().splitlines()
    assert lines[0] == "?partner" and lines[1:] == [f"<{p}>" for p in partners]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, fmt):
    yes = wrapper(endpoint, f"ASK {{ <{LEWISHAM}> a lscp:SafeguardingPartnership }}", fmt).convert()
    no = wrapper(endpoint, f"ASK {{ <{LEWISHAM}> a lscp:Seat }}", fmt).convert()
    if fmt == JSON:
        assert (yes["boolean"], no["boolean"]) == (True, False)
    else:
        assert [d.getElementsByTagName("boolean")[0].firstChild.data for d in (yes, no)] == ["true", "false"]


@pytest.mark.parametrize("fmt, media_type", [(TURTLE, "text/turtle"), (RDFXML, "application/rdf+xml"),
                                             (JSONLD, "application/ld+json"), (N3, "text/turtle")])
def test_sparqlwrapper_construct_in_each_rdf_format(endpoint, partners, fmt, media_type):
    result = wrapper(endpoint, PARTNERS_CONSTRUCT, fmt)
    assert result.response.headers["Content-Type"].startswith(media_type)
    converted = result.convert()
    graph = converted if isinstance(converted, rdflib.Graph) else rdflib.Graph().parse(
        data=converted, format={TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[fmt])
    assert sorted(str(o) for o in graph.objects()) == partners


# --- rdflib's SPARQLStore -------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_select_ask_construct(endpoint, partners, method):
    graph = rdflib.Graph(store=SPARQLStore(query_endpoint=endpoint, method=method))
    graph.bind("lscp", LSCP)  # rdflib sends PREFIX declarations for the graph's bound namespaces
    assert sorted(str(row.partner) for row in graph.query(PARTNERS)) == partners
    assert graph.query(f"ASK {{ <{LEWISHAM}> ?p ?o }}").askAnswer is True
    assert graph.query(f"ASK {{ <{LEWISHAM}> a lscp:Seat }}").askAnswer is False
    constructed = graph.query(PARTNERS_CONSTRUCT).graph
    assert sorted(str(o) for o in constructed.objects()) == partners


# --- Content negotiation ------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    ("*/*", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
    ("application/sparql-results+xml;q=0.5, text/csv", "text/csv"),
    ("text/csv;q=0.2, text/tab-separated-values;q=0.9", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/*", "text/csv"),
])
def test_select_format_follows_accept_with_q_values(endpoint, accept, expected):
    headers = {"Accept": accept} if accept else {}
    response = requests.get(endpoint, params={"query": PARTNERS}, headers=headers, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == expected
    assert "Accept" in response.headers["Vary"]


def test_construct_defaults_to_turtle_and_format_parameter_overrides_accept(endpoint, partners):
    turtle = requests.get(endpoint, params={"query": PARTNERS_CONSTRUCT}, headers={"Accept": "*/*"}, timeout=10)
    assert turtle.headers["Content-Type"].startswith("text/turtle")
    nt = requests.get(endpoint, params={"query": PARTNERS_CONSTRUCT, "format": "ntriples"},
                      headers={"Accept": "text/turtle"}, timeout=10)
    assert nt.headers["Content-Type"].startswith("application/n-triples")
    assert sorted(str(o) for o in rdflib.Graph().parse(data=nt.text, format="nt").objects()) == partners
    csv_body = requests.get(endpoint, params={"query": PARTNERS, "format": "csv"},
                            headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert csv_body.headers["Content-Type"].startswith("text/csv")


def test_describe_answers_rdf(endpoint):
    response = requests.get(endpoint, params={"query": f"DESCRIBE <{LEWISHAM}>"}, headers={"Accept": "application/ld+json"},
                            timeout=10)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert (rdflib.URIRef(LEWISHAM), rdflib.RDFS.label, None) in graph


# --- The dataset: default-graph-uri and named-graph-uri ----------------------------------------------

def test_default_graph_uri_and_named_graph_uri_choose_the_dataset(endpoint, kg):
    passage = kg.iri("id/lewisham/passage/L90")
    in_passage = len(list(kg.statements(graph=ox.NamedNode(passage))))
    count = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                           "default-graph-uri": passage}, timeout=10).json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == in_passage
    union = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}, timeout=10).json()
    assert int(union["results"]["bindings"][0]["n"]["value"]) > in_passage  # no parameters: the union
    graphs = requests.post(endpoint, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                           "named-graph-uri": passage}, timeout=10).json()
    assert [b["g"]["value"] for b in graphs["results"]["bindings"]] == [passage]


def test_from_in_the_query_sets_the_dataset_unless_the_protocol_does(endpoint, kg):
    passage, other = kg.iri("id/lewisham/passage/L90"), kg.iri("id/lewisham/passage/L88")
    in_passage = len(list(kg.statements(graph=ox.NamedNode(passage))))
    query = f"SELECT (COUNT(*) AS ?n) FROM <{passage}> WHERE {{ ?s ?p ?o }}"
    count = requests.get(endpoint, params={"query": query}, timeout=10).json()
    assert int(count["results"]["bindings"][0]["n"]["value"]) == in_passage
    overridden = requests.get(endpoint, params={"query": query, "default-graph-uri": other}, timeout=10).json()
    assert int(overridden["results"]["bindings"][0]["n"]["value"]) == len(
        list(kg.statements(graph=ox.NamedNode(other)))) != in_passage


def test_invalid_graph_iri_is_400(endpoint):
    response = requests.get(endpoint, params={"query": "ASK {}", "default-graph-uri": "not an iri"}, timeout=10)
    assert response.status_code == 400 and "default-graph-uri" in response.text


# --- The service description ------------------------------------------------------------------------

def test_get_without_query_is_the_service_description(endpoint):
    response = requests.get(endpoint, timeout=10)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(endpoint)
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.endpoint, service) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph
    assert "union of all named graphs" in str(graph.value(service, rdflib.RDFS.comment))


def test_browser_without_query_goes_to_the_query_page(endpoint):
    response = requests.get(endpoint, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 303 and response.headers["Location"].endswith("/query")


# --- CORS -----------------------------------------------------------------------------------------------

def test_cors_headers_and_preflight(endpoint):
    simple = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Origin": "http://tool.example"}, timeout=10)
    assert simple.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Truncated" in simple.headers["Access-Control-Expose-Headers"]
    preflight = requests.options(endpoint, headers={"Origin": "http://tool.example", "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


# --- Errors -------------------------------------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parser_message(endpoint):
    response = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p }"}, timeout=10)
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error: error at 1:")  # line:column from Oxigraph's parser


def test_errors_answer_json_to_json_clients(endpoint):
    response = requests.get(endpoint, params={"query": "SELEC"}, headers={"Accept": "application/json"}, timeout=10)
    assert response.status_code == 400
    assert response.json()["status"] == 400 and "syntax" in response.json()["error"]


@pytest.mark.parametrize("request_kwargs", [
    {"method": "POST", "data": {"format": "json"}},
    {"method": "POST", "data": b"", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
], ids=["form-without-query", "empty-form"])
def test_missing_query_is_400(endpoint, request_kwargs):
    response = requests.request(url=endpoint, timeout=10, **request_kwargs)
    assert response.status_code == 400 and "query" in response.text


@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]},
    {"method": "POST", "data": [("query", "ASK {}"), ("query", "ASK {}")]},
    {"method": "POST", "params": {"query": "ASK {}"}, "data": {"query": "ASK {}"}},
    {"method": "POST", "params": {"query": "ASK {}"}, "data": "ASK {}", "headers": {"Content-Type": "application/sparql-query"}},
], ids=["get", "form", "url-and-form", "url-and-direct"])
def test_repeated_query_is_400(endpoint, request_kwargs):
    response = requests.request(url=endpoint, timeout=10, **request_kwargs)
    assert response.status_code == 400 and "exactly one" in response.text


def test_empty_query_is_400(endpoint):
    response = requests.get(endpoint, params={"query": "  "}, timeout=10)
    assert response.status_code == 400 and "empty" in response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "multipart/form-data; boundary=x", None])
def test_unsupported_media_type_is_415(endpoint, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = requests.post(endpoint, data=b"ASK {}", headers=headers, timeout=10)
    if content_type is None:  # requests sends no Content-Type for raw bytes
        assert "Content-Type" not in response.request.headers
    assert response.status_code == 415 and "application/sparql-query" in response.text


@pytest.mark.parametrize("query, accept, params", [
    (PARTNERS, "image/png", {}),
    (PARTNERS_CONSTRUCT, "text/csv", {}),
    (PARTNERS, "*/*", {"format": "pdf"}),
    (PARTNERS_CONSTRUCT, "*/*", {"format": "tsv"}),
])
def test_unacceptable_format_is_406(endpoint, query, accept, params):
    response = requests.get(endpoint, params={"query": query, **params}, headers={"Accept": accept}, timeout=10)
    assert response.status_code == 406 and "offered" in response.text


def count_quads(endpoint) -> int:
    return int(requests.get(endpoint, params={"query": COUNT}, timeout=10).json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("request_kwargs", [
    {"method": "GET", "params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"method": "POST", "data": {"update": "DELETE WHERE { ?s ?p ?o }"}},
    {"method": "POST", "data": {"query": "PREFIX ex: <urn:> CLEAR ALL"}},
    {"method": "POST", "data": "DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "POST", "data": "DELETE WHERE { ?s ?p ?o }", "headers": {"Content-Type": "application/sparql-query"}},
    {"method": "GET", "params": {"query": "load <http://127.0.0.1:9/data.ttl>"}},
], ids=["insert-get", "update-form", "clear-form", "sparql-update-body", "delete-direct", "load"])
def test_update_is_refused_and_changes_nothing(endpoint, request_kwargs):
    before = count_quads(endpoint)
    response = requests.request(url=endpoint, timeout=10, **request_kwargs)
    assert response.status_code == 400 and "read-only" in response.text
    assert count_quads(endpoint) == before


def test_json_results_are_standard_sparql_json(endpoint):
    body = requests.get(endpoint, params={"query": f"SELECT ?l WHERE {{ <{LEWISHAM}> rdfs:label ?l }}"}, timeout=10).text
    document = json.loads(body)
    assert set(document) == {"head", "results"}  # no extra members: standard clients may be strict
    assert document["results"]["bindings"] == [{"l": {"type": "literal", "value": "Lewisham Safeguarding Children Partnership"}}]
