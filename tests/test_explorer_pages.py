"""The explorer's server side: the text alternative of every view (what a page says without
JavaScript), the neighbours API, the state parameters, the links from the analyses and the
scrutiny report to views of their entities, and no partnership named in the explorer's files."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from lscp_kg.visualisations.neighbourhood import neighbours
from lscp_kg.visualisations.projection import project
from lscp_kg.visualisations.views import FIXED_VIEWS, build_view

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def graph(kg):
    return project(kg)


def text_alternative(page: bytes) -> str:
    found = re.search(rb'<section id="text-alternative".*?</section>', page, re.S)
    assert found, "the page has a text alternative"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(0).decode()))


@pytest.mark.parametrize("name", FIXED_VIEWS)
def test_each_view_lists_its_nodes_and_edges_as_text(client, graph, name):
    view = build_view(graph, name)
    text = " ".join(text_alternative(client.get(f"/explore/{name}").data).split())
    drawn = {n for n, t in view.graph.nodes(data="type") if t not in view.hidden_kinds}
    for node in drawn:
        assert " ".join(view.graph.nodes[node]["label"].split()) in text
    for s, o, k, attrs in view.graph.edges(keys=True, data=True):
        if s in drawn and o in drawn:
            sentence = f"{view.graph.nodes[s]['label']} {attrs['relation_label']} {view.graph.nodes[o]['label']}."
            assert " ".join(sentence.split()) in text


def test_the_text_alternative_gives_each_quote_with_a_link_to_its_lines(client):
    page = client.get("/explore/reporting").data.decode()
    section = page[page.index('id="text-alternative"'):]
    assert "Four subgroups will report to" in html.unescape(section)
    assert re.search(r'<a href="/source[^"]*#L\d+">lines \d+', section)


def test_the_neighbours_api_answers_from_the_projection(client, graph, iri):
    mace = iri("id/lewisham/body/mace")
    answer = client.get("/api/explore/neighbours?iri=id/lewisham/body/mace")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.json
    assert set(body["neighbours"]) == {n["id"] for n in body["nodes"]} == neighbours(graph, mace)
    assert all(mace in (e["from"], e["to"]) and e["sources"] for e in body["edges"])
    assert all(n["label"] and n["type_label"] and "x" not in n for n in body["nodes"])
    assert client.get("/api/explore/neighbours").status_code == 400
    assert client.get("/api/explore/neighbours?iri=id/x&depth=2").status_code == 400
    assert client.get("/api/explore/neighbours?iri=id/nothing/here").status_code == 404


@pytest.mark.parametrize("query", ["focus_depth=9", "focus_depth=two", "layout=circle", "iri=x"])
def test_bad_state_parameters_are_400(client, query):
    answer = client.get(f"/explore/reporting?{query}")
    assert answer.status_code == 400


def test_a_url_with_state_gives_the_same_picture_as_text(client, graph, iri):
    mace, hub = iri("id/lewisham/body/mace"), iri("id/lewisham/body/concern-hub")
    page = client.get(f"/explore/reporting?expand={mace}&hide={hub}").data
    text = text_alternative(page)
    for node in neighbours(graph, mace) - {hub}:
        assert " ".join(graph.nodes[node]["label"].split()) in " ".join(text.split())
    assert graph.nodes[hub]["label"] not in text


def test_findings_link_to_a_view_of_exactly_their_entities(app, client, kg, graph):
    from lscp_kg.scrutiny import run_scrutiny
    from lscp_kg.service.scrutiny_pages import network_href

    findings = run_scrutiny(kg).to_dict()["findings"]
    with app.test_request_context():
        linked = [(f, network_href([e["iri"] for e in f["entities"]])) for f in findings]
    linked = [(f, href) for f, href in linked if href]
    assert linked
    for finding, href in linked:
        query = parse_qs(urlsplit(href).query)
        assert query["depth"] == ["1"] and query["limit"] == ["30"]  # bounded: tests/test_explorer_instrument.py
        assert query["iri"] == list(dict.fromkeys(e["iri"] for e in finding["entities"] if e["iri"] in graph))
    view = client.get(linked[0][1])
    assert view.status_code == 200 and b"Asked about (highlighted)" in view.data


def test_hostile_labels_are_escaped_in_the_text_alternative():
    from lscp_kg.service.app import create_app

    client = create_app({"TESTING": True, "VALIDATE": False, "DATA": [HOSTILE]}).test_client()
    page = client.get("/explore/entity?iri=id/test/body/hostile&depth=1").data
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page and b"<img src=x" not in page


def test_no_partnership_is_named_in_the_explorers_templates_and_scripts():
    files = [*(ROOT / "visualisations" / "templates").glob("*"), *(ROOT / "visualisations" / "static").glob("*"),
             *(ROOT / "service" / "templates" / "explore").glob("*")]
    assert files
    assert [f.name for f in files if "lewisham" in f.read_text(encoding="utf-8").lower()] == []
