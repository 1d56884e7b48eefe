"""Named queries as an API (/api/queries) and as pages (/queries/<name>), parameters bound as RDF terms."""

from __future__ import annotations

from lscp_kg.service.security_headers import CONTENT_SECURITY_POLICY

import csv
import io
import re

import pytest
import requests

from lscp_kg.named_queries import load_named_queries

BODY = "id/lewisham/body/executive-partnership"  # a body with seats, not the default one


def values(document: dict, variable: str) -> list[str]:
    return [b[variable]["value"] for b in document["results"]["bindings"] if variable in b]


def test_list_holds_every_query_file_with_its_header(client, named_queries):
    listed = client.get("/api/queries").json
    assert sorted(q["name"] for q in listed) == sorted(load_named_queries())  # read from queries/ at startup
    for entry in listed:
        assert {"name", "title", "description", "parameters"} <= set(entry)
        assert entry["title"] == named_queries[entry["name"]].title
        for parameter in entry["parameters"]:
            assert parameter["type"] in ("iri", "date", "string", "integer", "boolean")
    members = next(q for q in listed if q["name"] == "members-of-body")
    assert members["parameters"][0]["name"] == "body" and members["api"] == "/api/queries/members-of-body"


def test_run_with_defaults_gives_what_the_query_gives(client, run_named):
    document = client.get("/api/queries/statutory-partners").json
    assert document["truncated"] is False and document["query"]["name"] == "statutory-partners"
    expected = sorted({row["partner"] for row in run_named("statutory-partners")})
    assert sorted(set(values(document, "partner"))) == expected and len(expected) == 3


def test_parameter_is_bound(client, kg, run_named):
    document = client.get("/api/queries/members-of-body", query_string={"body": BODY}).json
    assert set(values(document, "body")) == {kg.iri(BODY)}
    assert sorted(values(document, "seat")) == sorted(r["seat"] for r in run_named("members-of-body", body=BODY))
    absolute = client.get("/api/queries/members-of-body", query_string={"body": kg.iri(BODY)}).json
    assert absolute["results"] == document["results"]


@pytest.mark.parametrize("how", ["format", "accept"])
def test_csv_and_other_formats(client, how):
    kwargs = {"query_string": {"format": "csv"}} if how == "format" else {"headers": {"Accept": "text/csv"}}
    response = client.get("/api/queries/statutory-partners", **kwargs)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["partnerLabel"] for r in rows} >= {"London Borough of Lewisham"}
    xml = client.get("/api/queries/statutory-partners", query_string={"format": "xml"})
    assert xml.mimetype == "application/sparql-results+xml" and b"<sparql" in xml.data
    tsv = client.get("/api/queries/statutory-partners", headers={"Accept": "text/tab-separated-values"})
    assert tsv.mimetype == "text/tab-separated-values"
    assert client.get("/api/queries/statutory-partners", query_string={"format": "turtle"}).status_code == 406


def test_unknown_query_is_404(client):
    response = client.get("/api/queries/no-such-query")
    assert response.status_code == 404 and "no-such-query" in response.json["error"]
    assert client.get("/queries/no-such-query").status_code == 404


@pytest.mark.parametrize("params, named", [
    ({"body": "not an iri>"}, "body"),
    ({"body": "id/a b"}, "body"),
    ({"colour": "red"}, "colour"),
])
def test_wrong_parameter_is_400_naming_it(client, params, named):
    response = client.get("/api/queries/members-of-body", query_string=params)
    assert response.status_code == 400
    assert f"parameter '{named}'" in response.json["error"]


def test_repeated_parameter_is_400(client):
    response = client.get("/api/queries/members-of-body?body=id/a&body=id/b")
    assert response.status_code == 400 and "'body'" in response.json["error"]


# --- Injection ----------------------------------------------------------------------------------------

def test_iri_injection_through_the_real_server_is_refused(live_server):
    injected = "id/lewisham/body/mace> . } UNION { ?seat ?p ?o } #"
    response = requests.get(f"{live_server.url}/api/queries/members-of-body", params={"body": injected}, timeout=10)
    assert response.status_code == 400 and "parameter 'body'" in response.json()["error"]


def test_iri_that_looks_like_sparql_is_just_an_iri(live_server, kg):
    # Percent-encoded, the attempt is a valid IRI: it is only looked up as that IRI, which is not in the graph, so
    # the answer says so (never a silent empty answer), and nothing changes.
    injected = "id/lewisham/body/mace%3E%20%7D%20UNION%20%7B%20%3Fseat%20%3Fp%20%3Fo"
    before = len(kg)
    response = requests.get(f"{live_server.url}/api/queries/members-of-body", params={"body": injected}, timeout=10)
    assert response.status_code == 400
    document = response.json()
    assert document["parameter"] == "body" and "in the graph" in document["error"]
    assert kg.iri("id/lewisham/body/mace") in [s["iri"] for s in document["suggestions"]]
    assert len(kg) == before


@pytest.fixture(scope="module")
def label_app(kg, tmp_path_factory):
    """An app whose only named query takes a string: the injection target most worth testing."""
    from lscp_kg.service.app import create_app

    folder = tmp_path_factory.mktemp("queries")
    (folder / "by-label.rq").write_text(
        "#+ title: Things with a label\n"
        "#+ params:\n"
        "#+   label: {type: string, required: true, description: The exact label}\n"
        "SELECT ?label ?thing WHERE { ?thing rdfs:label ?label }\n")
    (folder / "everything.rq").write_text("#+ title: Every statement\nSELECT ?s ?p ?o WHERE { ?s ?p ?o }\n")
    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERIES_DIR": folder, "QUERY_WORKERS": 1,
                              "QUERY_ROW_CAP": 50})
    yield application
    application.extensions["lscp_kg"].runner.close()


@pytest.mark.parametrize("attempt", [
    'x" } UNION { ?thing ?p ?label } #',
    "x' } UNION { ?thing ?p ?label } #",
    'Lewisham Safeguarding Children Partnership" . ?thing ?p ?label . FILTER("',
    "\\\" } UNION { ?thing ?p ?label } #",
])
def test_string_injection_leaves_the_query_meaning_unchanged(label_app, attempt):
    client = label_app.test_client()
    honest = client.get("/api/queries/by-label", query_string={"label": "Lewisham Safeguarding Children Partnership"}).json
    assert values(honest, "thing") == ["https://lscp-kg.example.org/id/partnership/lewisham"]
    injected = client.get("/api/queries/by-label", query_string={"label": attempt}).json
    assert injected["results"]["bindings"] == []  # no such label: the text stayed one literal
    assert client.get("/api/queries/by-label").status_code == 400  # required


def test_named_query_answer_cut_at_the_row_cap_says_so(label_app):
    client = label_app.test_client()
    document = client.get("/api/queries/everything").json
    assert document["truncated"] is True and len(document["results"]["bindings"]) == 50
    as_csv = client.get("/api/queries/everything", query_string={"format": "csv"})
    assert as_csv.headers["X-Truncated"] == "true"
    page = client.get("/queries/everything").get_data(as_text=True)
    assert "cut at the row cap" in page


# --- Pages ------------------------------------------------------------------------------------------------

def test_index_page_lists_every_query(client, named_queries):
    page = client.get("/queries").get_data(as_text=True)
    for query in named_queries.values():
        assert f'href="/queries/{query.name}"' in page


def test_query_page_has_form_table_links_and_sparql(client, kg):
    response = client.get("/queries/members-of-body", query_string={"body": BODY})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # The picker shows the current value by its label and keeps its IRI (sent instead when JavaScript runs).
    assert re.search(r'<input id="param-body" name="body" type="text" value="LSCP Executive Partnership" '
                     r'data-iri="id/lewisham/body/executive-partnership"', page)
    assert '<table class="results"' in page and "<td " in page
    assert 'href="/id/lewisham/body/executive-partnership"' in page  # IRIs link to entity pages
    assert "PREFIX org: &lt;http://www.w3.org/ns/org#&gt;" in page  # the SPARQL, escaped
    csv_link = re.search(r'href="(/api/queries/members-of-body\?[^"]*format=csv[^"]*)"', page).group(1)
    assert "body=id/lewisham/body/executive-partnership" in csv_link
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_query_page_shows_a_parameter_error(client):
    response = client.get("/queries/members-of-body", query_string={"body": "<script>alert(1)</script>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#param-body">Body: ' in page and "<script>alert" not in page


def test_every_named_query_page_runs_with_its_defaults(client, named_queries):
    for name in named_queries:
        response = client.get(f"/queries/{name}")
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])


#: Questions about several partnerships at once: no partnership parameter, each row names its partnership.
ACROSS_PARTNERSHIPS = {"people-across-partnerships", "partnerships-side-by-side"}


def test_every_question_scopes_by_partnership_context_never_by_publisher(named_queries):
    """A partnership's facts come from graphs in its context (lscp:partnershipContext); a source's publisher
    may be missing or shared, so no question scopes by it (tests/test_query_context.py checks the answers)."""
    for name, query in named_queries.items():
        assert "dcterms:publisher" not in query.sparql and "lscp:partnershipContext" in query.sparql, name
        parameter = next((p for p in query.parameters if p.name == "partnership"), None)
        if name not in ACROSS_PARTNERSHIPS:
            assert parameter is not None and parameter.classes == ("https://lscp-kg.example.org/ontology#SafeguardingPartnership",), name
