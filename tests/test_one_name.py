"""One name per entity (issue 19): every surface names an entity as ``lscp_kg.labels`` does.

Alphashire is FICTIONAL (written below for these tests): a partnership with a body that has both
``rdfs:label`` "Alpha Group Long Name" and ``skos:prefLabel`` "AG" (the page has always shown the
``rdfs:label``), a person named only by ``foaf:name``, and a body with a Welsh and an English label. The
same name must appear on the entity page, in ``/api/search``, in the network (``project``, the explorer's
node data), in the report export's context and in the scrutiny findings. A second test fails if a second
label chooser appears in the package.
"""

from __future__ import annotations

import ast
import html
import json
import re
from pathlib import Path

import pytest

from lscp_kg.labels import labels_for
from lscp_kg.scrutiny import run_scrutiny
from lscp_kg.scrutiny_evidence import labels_of
from lscp_kg.store import load_knowledge_graph
from lscp_kg.visualisations.projection import project

from page_support import opening_trig

BASE = "https://lscp-kg.example.org/"
ALPHASHIRE = BASE + "id/partnership/alphashire"
ALPHA_GROUP, PERSON, WELSH = (BASE + "id/alphashire/body/alpha-group", BASE + "id/person/bryn-ashdown-alphashire",
                              BASE + "id/alphashire/body/welsh-group")
EXPECTED = {ALPHA_GROUP: "Alpha Group Long Name", PERSON: "Bryn Ashdown", WELSH: "Welsh Language Group",
            ALPHASHIRE: "Alphashire Safeguarding Children Partnership"}

#: FICTIONAL test data (tests/test_one_name.py): Alphashire and everyone in it do not exist.
ALPHASHIRE_TRIG = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
""" + opening_trig("alphashire", "Alphashire arrangements (fictional test fixture)",
                   "The Alphashire Safeguarding Children Partnership (ASCP) has the Alpha Group (AG).") + """\
    <id/partnership/alphashire> a lscp:SafeguardingPartnership ;
        rdfs:label "Alphashire Safeguarding Children Partnership" ; skos:prefLabel "ASCP" .
    <id/alphashire/body/alpha-group> a lscp:Body ; lscp:partnershipOf <id/partnership/alphashire> ;
        skos:prefLabel "AG" ; rdfs:label "Alpha Group Long Name" ; org:reportsTo <id/partnership/alphashire> .
}
<id/alphashire/passage/L2> {
    <id/alphashire/passage/L2> a lscp:SourcePassage ; lscp:source <id/source/alphashire-arrangements> ;
        lscp:partnershipContext <id/partnership/alphashire> ; lscp:startLine 2 ; lscp:endLine 2 ;
        prov:value "Bryn Ashdown chairs the Alpha Group; the Welsh Language Group (Grŵp yr Iaith Gymraeg) reports to it." .
    <id/person/bryn-ashdown-alphashire> a foaf:Person ; foaf:name "Bryn Ashdown" .
    <id/alphashire/body/welsh-group> a lscp:Body ; lscp:partnershipOf <id/partnership/alphashire> ;
        rdfs:label "Grŵp yr Iaith Gymraeg"@cy , "Welsh Language Group"@en ;
        org:reportsTo <id/alphashire/body/alpha-group> .
    <id/alphashire/post/alpha-group-chair> a org:Post ; org:postIn <id/alphashire/body/alpha-group> ;
        rdfs:label "Chair of the Alpha Group" ; org:heldBy <id/person/bryn-ashdown-alphashire> .
    <id/person/bryn-ashdown-alphashire> org:holds <id/alphashire/post/alpha-group-chair> .
}
"""


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    path = tmp_path_factory.mktemp("alphashire") / "alphashire-fictional.trig"
    path.write_text(ALPHASHIRE_TRIG, encoding="utf-8")
    return load_knowledge_graph([path])


@pytest.fixture(scope="module")
def app(kg):
    from lscp_kg.service.app import create_app

    # Not validated: the names under test are what SHACL asks authors to avoid (two labels, foaf:name alone),
    # and a store the service reads (a remote one, say) may still hold them.
    app = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1, "VALIDATE": False})
    yield app
    app.extensions["lscp_kg"].runner.close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def test_the_one_function_names_them_in_its_documented_order(kg):
    labels = labels_for(kg)
    assert {iri: labels.label(iri) for iri in EXPECTED} == EXPECTED
    assert labels.names(EXPECTED) == EXPECTED, "the bulk form agrees with the one-at-a-time form"
    assert {iri: labels.names(partnership=ALPHASHIRE)[iri] for iri in EXPECTED} == EXPECTED


@pytest.mark.parametrize("iri", sorted(EXPECTED))
def test_the_entity_page_shows_the_name(app, client, iri):
    from lscp_kg.service.page_urls import entity_url

    with app.test_request_context():
        url = entity_url(iri)
    page = client.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 200
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.get_data(as_text=True), re.S).group(1)
    assert EXPECTED[iri] in html.unescape(re.sub(r"<[^>]+>", " ", heading))


@pytest.mark.parametrize("iri, query", [(ALPHA_GROUP, "AG"), (ALPHA_GROUP, "Alpha Group"), (PERSON, "Bryn Ashdown"),
                                        (WELSH, "Welsh Language"), (WELSH, "Gymraeg")])
def test_search_gives_the_same_name_whichever_name_was_searched(client, iri, query):
    hits = client.get("/api/search", query_string={"q": query, "limit": 20}).get_json()
    found = [hit for hit in hits["results"] if hit["iri"] == iri] if "results" in hits else \
        [hit for hit in hits["hits"] if hit["iri"] == iri]
    assert found, f"searching {query!r} finds {iri}"
    assert found[0]["label"] == EXPECTED[iri]


def test_the_network_gives_the_same_name(kg, client):
    for graph in (project(kg), project(kg, ALPHASHIRE)):
        assert {iri: graph.nodes[iri]["label"] for iri in EXPECTED} == EXPECTED
    nodes = {}  # the explorer's node data for what expanding the group, then the chair's post, brings
    for iri in (ALPHA_GROUP, BASE + "id/alphashire/post/alpha-group-chair"):
        answer = client.get("/api/explore/neighbours", query_string={"iri": iri, "partnership": ALPHASHIRE})
        nodes.update({node["id"]: node.get("full_label", node["label"]) for node in answer.get_json()["nodes"]})
    assert {iri: nodes.get(iri) for iri in EXPECTED} == EXPECTED


def test_the_explorer_pages_node_data_gives_the_same_name(client):
    page = client.get("/explore/structure", query_string={"partnership": ALPHASHIRE}).get_data(as_text=True)
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    nodes = {node["id"]: node.get("full_label", node["label"]) for block in blocks
             for node in _nodes_in(json.loads(block))}
    assert nodes.get(ALPHA_GROUP) == EXPECTED[ALPHA_GROUP] and nodes.get(WELSH) == EXPECTED[WELSH]


def _nodes_in(data) -> list[dict]:
    """The node records anywhere in a page's JSON (the explorer's data block holds them under "nodes")."""
    if isinstance(data, dict):
        own = data.get("nodes") if isinstance(data.get("nodes"), list) else []
        return [n for n in own if isinstance(n, dict) and "id" in n] + \
            [n for key, value in data.items() if key != "nodes" for n in _nodes_in(value)]
    if isinstance(data, list):
        return [n for value in data for n in _nodes_in(value)]
    return []


def test_the_report_export_context_names_the_partnership_the_same(client):
    answer = client.get("/api/explore/export-context", query_string={"partnership": ALPHASHIRE}).get_json()
    assert [p["name"] for p in answer["partnerships"]] == [EXPECTED[ALPHASHIRE]]


def test_scrutiny_names_them_the_same(kg):
    assert labels_of(kg, EXPECTED) == EXPECTED
    report = run_scrutiny(kg, partnership=ALPHASHIRE)
    named = {entity["iri"]: entity["label"] for result in report.results for entity in result.entities
             if entity.get("iri") in EXPECTED}
    assert named, "a finding about fictional Alphashire (it states no partners) names an entity of it"
    assert named == {iri: EXPECTED[iri] for iri in named}
    assert report.partnership["label"] == EXPECTED[ALPHASHIRE]


# --- no second chooser -------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
#: The import package lscp_kg: its own folder and the top-level folders mapped into it (pyproject.toml).
PACKAGE = [ROOT / folder for folder in ("lscp_kg", "service", "visualisations")]
#: A naming property written in SPARQL (prefixed or in full), used as the predicate of a pattern whose object
#: is a variable: that selects a name into a column. Outside lscp_kg/labels.py this is a second chooser. The
#: named queries (queries/*.rq) return labels as columns by design and are not Python: they are not scanned;
#: nor are docstrings (their doctests show the query interface with a label, choosing nothing).
NAMING = r"(?:rdfs:label|skos:prefLabel|foaf:name|<http://www\.w3\.org/2000/01/rdf-schema#label>|" \
         r"<http://www\.w3\.org/2004/02/skos/core#prefLabel>|<http://xmlns\.com/foaf/0\.1/name>)"
CHOOSER = re.compile(NAMING + r"(?:\s*[|/]\s*\S+)*\s+\?\w+")
ALLOWED = {"lscp_kg/labels.py"}


def choosers_in(source: str) -> list[str]:
    """The SPARQL snippets of a module's string constants (docstrings left out) that select a name.

    >>> choosers_in('Q = "SELECT ?x ?l WHERE { ?x rdfs:label ?l }"')
    ['rdfs:label ?l']
    >>> choosers_in('Q = "SELECT ?s WHERE { ?s skos:prefLabel|rdfs:label ?name }"')
    ['skos:prefLabel|rdfs:label ?name']
    >>> choosers_in('def f():\\n    "Docstring: ?x rdfs:label ?l"\\n    return "?x lscp:area ?a"')
    []
    """
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [match.group(0) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            for match in CHOOSER.finditer(node.value)]


def test_no_second_label_chooser_in_the_package():
    paths = sorted(path for folder in PACKAGE for path in folder.rglob("*.py"))
    assert len(paths) > 50, "the package was found"
    found = {path.relative_to(ROOT).as_posix(): choosers_in(path.read_text(encoding="utf-8"))
             for path in paths if path.relative_to(ROOT).as_posix() not in ALLOWED}
    assert {path: snippets for path, snippets in found.items() if snippets} == {}, \
        "name entities with lscp_kg.labels (labels_for(kg).label / .names, labels_of), not a query of their own"
