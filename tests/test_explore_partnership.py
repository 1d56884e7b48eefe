"""The network views of one partnership (issue 16): a police force or an ICB that several partnerships share
brings none of the other partnerships' posts, seats or delegations into a partnership's picture.

The fictional Eastmoor and Westmoor (tests/fixtures/partnerships) share Moorland Police, NHS Moorland Integrated
Care Board and Sam Okoro.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lscp_kg.store import load_knowledge_graph
from lscp_kg.visualisations.projection import project

PARTNERSHIPS = Path(__file__).resolve().parent / "fixtures" / "partnerships"
FILES = [PARTNERSHIPS / name / "partnership.yaml" for name in ("eastmoor", "westmoor")]


@pytest.fixture(scope="module")
def kg():
    return load_knowledge_graph(FILES)


@pytest.fixture(scope="module")
def client(kg):
    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1})
    yield app.test_client()
    app.extensions["lscp_kg"].runner.close()


def _labels(graph) -> set[str]:
    return {attrs["label"] for _, attrs in graph.nodes(data=True)}


def test_one_partnerships_network_has_only_what_its_arrangements_state(kg):
    eastmoor, westmoor = kg.iri("id/partnership/eastmoor"), kg.iri("id/partnership/westmoor")
    whole, east = project(kg), project(kg, eastmoor)
    assert {"Jordan Hale", "Chris Lane", "Priya Shah", "Alex Morgan"} <= _labels(whole)
    assert {"Jordan Hale", "Priya Shah", "Moorland Police", "Sam Okoro"} <= _labels(east)
    assert not {"Chris Lane", "Alex Morgan", "Westmoor Strategic Board"} & _labels(east)
    police = kg.iri("id/org/moorland-police")
    posts_of_police = {s for s, _, k in east.in_edges(police, keys=True) if k == "org:postIn"}
    assert posts_of_police == {kg.iri("id/eastmoor/post/chief-constable"), kg.iri("id/eastmoor/post/detective-superintendent")}
    sam = kg.iri("id/person/sam-okoro")
    assert {o for _, o, k in east.out_edges(sam, keys=True) if k == "org:holds"} == {kg.iri("id/eastmoor/post/director-of-nursing")}
    assert whole.nodes[police]["partnerships"] == (eastmoor, westmoor)
    assert east.nodes[police]["partnerships"] == (eastmoor,)


def test_the_explorer_draws_one_partnership_on_request(client, kg):
    page = client.get("/explore/structure?partnership=id/partnership/eastmoor")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Jordan Hale" in text and "Chris Lane" not in text
    assert "partnership=https" in text, "the view's links keep the partnership"
    everyone = client.get("/explore/structure").get_data(as_text=True)
    assert "Chris Lane" in everyone


def test_expanding_a_shared_organisation_brings_only_the_partnerships_posts(client, kg):
    answer = client.get("/api/explore/neighbours", query_string={
        "iri": "id/org/moorland-police", "partnership": "id/partnership/westmoor"}).get_json()
    assert kg.iri("id/westmoor/post/detective-superintendent") in answer["neighbours"]
    assert not [n for n in answer["neighbours"] if "/eastmoor/" in n]


def test_the_explorer_offers_the_partnerships_and_refuses_an_unknown_one(client):
    index = client.get("/explore/").get_data(as_text=True)
    assert "Eastmoor Safeguarding Children Partnership" in index and 'name="partnership"' in index
    wrong = client.get("/explore/structure?partnership=id/partnership/nowhere")
    assert wrong.status_code == 400
    assert "Eastmoor Safeguarding Children Partnership" in wrong.get_data(as_text=True)


def test_the_choosers_offer_only_the_chosen_partnerships_entities(client):
    east = client.get("/explore/?partnership=id/partnership/eastmoor").get_data(as_text=True)
    assert "Jordan Hale" in east and "Chris Lane" not in east
    assert "Chris Lane" in client.get("/explore/").get_data(as_text=True)
