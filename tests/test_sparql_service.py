"""The rest of the service: /health, /openapi.json, /ontology, the pages, CORS configuration, the query log."""

from __future__ import annotations

from lscp_kg.service.security_headers import CONTENT_SECURITY_POLICY

import logging
import re
from urllib.parse import urlsplit

import pytest
import rdflib

MY_PAGES = ["/", "/query", "/queries", "/queries/statutory-partners", "/id/person/ceri-jacob", "/ontology"]


def test_health(client, kg):
    health = client.get("/health").json
    assert health["status"] == "ok" and health["triples"] == len(kg)
    assert health["named_queries"] >= 4 and health["limits"]["row_cap"] == 500


def test_openapi_describes_every_route_of_the_service(app, client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    ours = {"sparql", "queries", "entities", "pages"}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ours:
            routes.add(re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule))
    routes = {r.replace("{rest}", "{path}").replace("{filename}", "{file}") for r in routes}
    assert routes <= documented, routes - documented
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "responses" in operation and operation["operationId"], (path, method)
    run = spec["paths"]["/api/queries/{name}"]["get"]
    assert {"400", "404", "406"} <= set(run["responses"])
    assert {"400", "406", "413", "415", "503"} <= set(spec["paths"]["/sparql"]["post"]["responses"])


def test_ontology_documentation_and_file(client):
    page = client.get("/ontology", headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "pyLODE" in html and "Seat" in html and "Body" in html
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', html)  # nothing from another host
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    lscp = rdflib.Namespace("https://lscp-kg.example.org/ontology#")
    assert (lscp.Seat, rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert client.get("/ontology", query_string={"format": "jsonld"}).mimetype == "application/ld+json"
    assert client.get("/ontology", headers={"Accept": "application/rdf+xml"}).mimetype == "application/rdf+xml"


@pytest.mark.parametrize("path", MY_PAGES)
def test_pages_load_nothing_from_another_host(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for url in re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html):
        assert urlsplit(url).netloc == "" or url.startswith("data:"), url


def test_query_page_offers_the_named_queries_as_examples(client, named_queries):
    page = client.get("/query").get_data(as_text=True)
    for name in named_queries:
        assert f'<option value="{name}">' in page
    assert "/vendor/codemirror/lib/codemirror.js" in page
    assert client.get("/vendor/codemirror/mode/sparql/sparql.js").status_code == 200
    assert client.get("/vendor/codemirror/../../../__init__.py").status_code == 404
    assert client.get("/vendor/codemirror/mode/python/python.js").status_code == 404


def test_examples_with_defaults_are_valid_queries(client, app):
    from lscp_kg.service.pages import example_text

    with app.test_request_context():
        for query in app.extensions["lscp_kg"].named_queries.values():
            text = example_text(query)
            response = client.post("/sparql", data={"query": text})
            assert response.status_code == 200, (query.name, response.get_data(as_text=True))


def test_query_page_keeps_a_shared_query(client):
    page = client.get("/query", query_string={"query": "ASK { <x> <y> '</textarea><script>alert(1)</script>' }"})
    html = page.get_data(as_text=True)
    assert "&lt;/textarea&gt;&lt;script&gt;" in html and "<script>alert(1)" not in html
    assert "Answer: <strong>no</strong>" in html  # answered on the page itself


def test_configured_cors_origins(kg):
    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "CORS_ORIGINS": ["https://tools.example"]})
    client = app.test_client()
    allowed = client.get("/api/queries", headers={"Origin": "https://tools.example"})
    refused = client.get("/api/queries", headers={"Origin": "https://elsewhere.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://tools.example" and "Origin" in allowed.headers["Vary"]
    assert "Access-Control-Allow-Origin" not in refused.headers
    app.extensions["lscp_kg"].runner.close()


def test_a_log_line_per_query(client, caplog):
    with caplog.at_level(logging.INFO, logger="lscp_kg.service.queries"):
        client.get("/api/queries/statutory-partners")
        client.get("/sparql", query_string={"query": "ASK {}"})
        client.get("/health")
    lines = [r.getMessage() for r in caplog.records if r.name == "lscp_kg.service.queries"]
    assert len(lines) == 2
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ query=named:statutory-partners status=200 duration_ms=\d+\.\d rows=\d+ "
                    r"truncated=false( cached=true)?$", lines[0])  # the response cache may already hold it
    assert "query=sha256:819ea91ed5f1 status=200" in lines[1]


def test_serve_command_help_lists_the_limits(runner):
    from lscp_kg.cli import main

    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--time-limit", "--row-cap", "--max-request-bytes", "--cors-origin", "--data"):
        assert option in result.output
