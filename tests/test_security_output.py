"""What the service writes for data that is hostile to a format: XML that would be malformed is refused (406,
suggesting another format), and CSV meant for spreadsheets never starts a cell with a formula, while /sparql's
SPARQL 1.1 CSV and TSV stay exact."""

from __future__ import annotations

import csv
import io

import pytest

HOSTILE = {  # label -> what a spreadsheet would do with it
    "=HYPERLINK(\"http://evil.example/\",\"click\")": "formula", "+SUM(A1:A9)": "formula", "-2+3": "formula",
    "@cmd": "formula", "\tTAB": "formula", "\rCR": "formula", "plain label": "text",
}
CONTROL = "bell\u0001and\u0000nul"


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    from lscp_kg.service.app import create_app

    folder = tmp_path_factory.mktemp("hostile-output")
    def escape(text):
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    labels = " , ".join(f'"{escape(label)}"' for label in HOSTILE)
    (folder / "hostile.trig").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'<urn:test:hostile> {{ <urn:test:thing> rdfs:label {labels} . <urn:test:control> rdfs:label "{CONTROL}" }}\n'
        .replace("\u0001", "\\u0001").replace("\u0000", "\\u0000"), encoding="utf-8")
    queries = folder / "queries"
    queries.mkdir()
    (queries / "labels.rq").write_text(
        "#+ title: Hostile labels\n#+ description: Every label of the hostile test graph.\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?label WHERE { GRAPH <urn:test:hostile> { <urn:test:thing> rdfs:label ?label } } ORDER BY ?label\n",
        encoding="utf-8")
    application = create_app({"TESTING": True, "VALIDATE": False, "DATA": [str(folder / "hostile.trig")], "QUERIES_DIR": str(queries),
                              "QUERY_WORKERS": 1})
    yield application
    application.extensions["lscp_kg"].runner.close()


CONTROL_SELECT = "SELECT ?l WHERE { <urn:test:control> rdfs:label ?l }"
CONTROL_CONSTRUCT = "CONSTRUCT WHERE { <urn:test:control> rdfs:label ?l }"


@pytest.mark.parametrize("query, fmt, suggestion", [
    (CONTROL_SELECT, "xml", "SPARQL JSON"), (CONTROL_CONSTRUCT, "rdfxml", "Turtle"),
])
def test_xml_answers_with_xml_illegal_characters_are_406_not_malformed(hostile_app, query, fmt, suggestion):
    client = hostile_app.test_client()
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 406
    body = response.get_data(as_text=True)
    assert "U+0001" in body or "U+0000" in body
    assert suggestion in body and "XML" in body


@pytest.mark.parametrize("query, fmt", [(CONTROL_SELECT, "json"), (CONTROL_SELECT, "tsv"), (CONTROL_CONSTRUCT, "turtle")])
def test_the_same_answers_in_other_formats_carry_the_characters(hostile_app, query, fmt):
    response = hostile_app.test_client().get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200 and "\\u0001" in response.get_data(as_text=True).replace("\u0001", "\\u0001")


def test_xml_answers_without_them_stay_well_formed(hostile_app):
    from xml.dom.minidom import parseString

    response = hostile_app.test_client().get("/sparql", query_string={
        "query": "SELECT ?l WHERE { <urn:test:thing> rdfs:label ?l }", "format": "xml"})
    assert response.status_code == 200
    parseString(response.data)  # raises if malformed


def _cells(body: bytes, delimiter: str = ",") -> list[str]:
    return [cell for row in list(csv.reader(io.StringIO(body.decode(), newline=""), delimiter=delimiter))[1:]
            for cell in row]


def test_named_query_csv_downloads_neutralise_formulas(hostile_app):
    client = hostile_app.test_client()
    response = client.get("/api/queries/labels", query_string={"format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    cells = _cells(response.data)
    assert sorted(cells) == sorted(("'" + label if kind == "formula" else label) for label, kind in HOSTILE.items())
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    page = client.get("/queries/labels").get_data(as_text=True)
    assert "/api/queries/labels?format=csv" in page  # the page's download is that neutralised answer


def test_sparql_csv_and_tsv_stay_exact_to_the_specification(hostile_app):
    client = hostile_app.test_client()
    query = "SELECT ?label WHERE { <urn:test:thing> rdfs:label ?label }"
    cells = _cells(client.get("/sparql", query_string={"query": query, "format": "csv"}).data)
    assert sorted(cells) == sorted(HOSTILE)
    tsv = client.get("/sparql", query_string={"query": query, "format": "tsv"}).get_data(as_text=True)
    assert '"=HYPERLINK(\\"http://evil.example/\\",\\"click\\")"' in tsv and '"+SUM(A1:A9)"' in tsv
