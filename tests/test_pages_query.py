"""The query page without JavaScript: /query?query=... shows its answer, errors are one clear line,
the editor's textarea is labelled and its completion add-on is served from the installed package."""

from __future__ import annotations

import re

import pytest

QUERY = "SELECT ?partnership ?label WHERE { ?partnership a lscp:SafeguardingPartnership ; rdfs:label ?label }"


def test_a_query_in_the_url_is_answered_on_the_page(client):
    response = client.get("/query", query_string={"query": QUERY})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<table class="results"' in page and ">Lewisham Safeguarding Children Partnership<" in page
    assert re.search(r'<a data-format="csv" href="/sparql\?query=[^"]+format=csv"', page)
    assert 'role="region"' in page and 'tabindex="0"' in page  # the scrolling answer can be reached by keyboard


def test_a_graph_answer_is_shown_as_text(client):
    page = client.get("/query", query_string={"query": "CONSTRUCT { ?p a lscp:SafeguardingPartnership } "
                                                         "WHERE { ?p a lscp:SafeguardingPartnership }"}).get_data(as_text=True)
    assert re.search(r'<pre class="rdf"[^>]*>[^<]*SafeguardingPartnership', page)
    assert 'data-format="turtle"' in page


def test_an_unknown_prefix_is_one_line_naming_it(client):
    response = client.get("/query", query_string={"query": "SELECT * WHERE {\n  ?s a foo:Thing }"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    message = re.search(r'<pre class="error" role="alert">(.*?)</pre>', page, re.S).group(1)
    assert message.startswith("SPARQL syntax error: unknown prefix &#39;foo:&#39; (line 2, column 8)")
    assert "\n" not in message and "expected one of" not in message
    api = client.post("/sparql", data={"query": "SELECT * WHERE { ?s foo:p ?o }"})
    assert api.status_code == 400 and "unknown prefix 'foo:'" in api.get_data(as_text=True)


def test_other_syntax_errors_and_hostile_text_stay_text(client):
    response = client.get("/query", query_string={"query": "SELECT <img src=x onerror=alert(1)> WHERE {"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "SPARQL syntax error" in page
    assert "<img src=x" not in page


def test_the_editor_is_labelled_and_its_completion_is_served_locally(client):
    page = client.get("/query").get_data(as_text=True)
    assert '<label for="query">' in page and '<textarea id="query" name="query"' in page
    assert "/vendor/codemirror/addon/hint/show-hint.js" in page
    assert client.get("/vendor/codemirror/addon/hint/show-hint.js").status_code == 200
    assert client.get("/vendor/codemirror/addon/hint/anyword-hint.js").status_code == 404  # only what the page uses
    words = re.search(r'<script id="completions" type="application/json">(.*?)</script>', page, re.S).group(1)
    assert "lscp:Subgroup" in words and "org:reportsTo" in words and "PREFIX lscp:" in words


PASSAGE = "<https://lscp-kg.example.org/id/lewisham/passage/L15a>"


@pytest.mark.parametrize("dataset, pattern", [("FROM <urn:nothing>", "?s ?p ?o"),
                                              ("FROM NAMED <urn:nothing>", "GRAPH ?g { ?s ?p ?o }"),
                                              ("", f"GRAPH {PASSAGE} {{ ?s ?p ?o }}"),
                                              (f"FROM {PASSAGE}", "?s ?p ?o")])
def test_the_query_page_and_the_endpoint_agree_on_the_dataset(client, dataset, pattern):
    """One path for one operation: the query page runs a typed query with /sparql's dataset rules (FROM,
    FROM NAMED, GRAPH), so the same text gives the same answer on both."""
    query = f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ {pattern} }}"
    endpoint = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    expected = endpoint.get_json()["results"]["bindings"][0]["n"]["value"]
    page = client.get("/query", query_string={"query": query}).get_data(as_text=True)
    cells = re.findall(r"<td[^>]*>\s*(?:<[^>]+>\s*)*(\d+)", page)
    assert expected in cells, (expected, cells[:5])
