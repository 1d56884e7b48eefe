"""Historical things are marked as such and kept out of what is current (issue 17, item 2): the home page lists
a body the arrangements say was replaced under "Former bodies" with its successor and date, not among the current
bodies; priorities and documents whose period has ended say so; the network analyses do not count a replaced
body among the bodies with no reporting line, and say how central a body is in words (the number on request)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.service.overview import PAGE_QUERIES
from lscp_kg.store import load_knowledge_graph
from lscp_kg.visualisations.analysis import analyse
from lscp_kg.visualisations.projection import project


@pytest.fixture(scope="module")
def home(app) -> str:
    return app.test_client().get("/").get_data(as_text=True)


def test_a_replaced_body_is_a_former_body_not_a_current_one(home):
    tree = re.search(r'<ul class="body-tree">.*?<h4>Former bodies</h4>', home, re.S).group(0)
    assert ">Concern Hub</a>" not in tree  # not among the current bodies
    assert ">Multi-Agency Child Exploitation (MACE)</a>" in tree
    former = re.search(r'<ul class="former-bodies">(.*?)</ul>', home, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", former)
    assert re.search(r"Concern Hub\s+\(replaced by Multi-Agency Child Exploitation \(MACE\) from January 2022\)", text), text


def test_ended_priorities_and_documents_say_so(home):
    # the strategic priorities run 2023-2025, the 2022-2023 memorandum ended in 2023 (the arrangements' own dates)
    assert re.search(r">Think Family</a>.*?<span class=\"status\">ended 2025</span>", home)
    assert re.search(r">LSCP Memorandum of Understanding Document 2022-2023</a>\s*<span class=\"status\">period ended 2023</span>",
                     home)
    report = re.search(r">LSCP Annual Report 2020-2021</a>([^\n]*)", home).group(1)
    assert "ended" not in report.split("</li>")[0]  # a report's dates are the year it reports on
    communication = re.search(r">LSCP Communication and Engagement Strategy 2024-2027</a>([^\n]*)", home).group(1)
    assert "ended" not in communication.split("</li>")[0]  # runs to 2027


def test_the_developers_links_are_on_request(home):
    developers = re.search(r'<details class="technical-details">\s*<summary>For developers</summary>.*?</details>',
                           home, re.S)
    assert developers and "/sparql" in developers.group(0) and "/api/queries" in developers.group(0)
    assert "<h2>For integrators</h2>" not in home


@pytest.fixture(scope="module")
def report(kg) -> dict:
    return {check["check"]: check for check in analyse(project(kg))["checks"]}


def test_the_analyses_leave_out_a_replaced_body(report, iri):
    hub = iri("id/lewisham/body/concern-hub")
    for check in ("bodies-without-reporting-line", "accountability-dead-ends", "central-bodies"):
        assert all(e["iri"] != hub for f in report[check]["findings"] for e in f["entities"]), check


def test_centrality_is_said_in_words_with_the_number_on_request(report, client):
    for finding in report["central-bodies"]["findings"]:
        assert re.search(r": how central: (high|medium|low|not on any path between others) \(directly linked to \d+ others?\)\.$",
                         finding["summary"]), finding["summary"]
        assert "betweenness" not in finding["summary"] and finding["technical"].startswith("betweenness centrality ")
    order = ["high", "medium", "low", "not on any path between others"]
    words = [order.index(f["centrality"]) for f in report["central-bodies"]["findings"]]
    assert words == sorted(words) and words[0] == 0  # most central first, and the most central body is "high"
    page = client.get("/explore/analysis").get_data(as_text=True)
    assert "how central: high" in page
    measure = re.search(r"<details class=\"technical-details\"><summary>The measure.*?</details>", page, re.S).group(0)
    assert "betweenness centrality" in measure


PARTNERSHIP_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "partnerships"


def _page_answers(kg) -> dict:
    """Each home-page query's answer for each loaded partnership, as JSON."""
    pages = load_named_queries(PAGE_QUERIES)
    partnerships = [row["p"].value for row in kg.query(
        "SELECT DISTINCT ?p WHERE { ?g <https://lscp-kg.example.org/ontology#partnershipContext> ?p }")]
    answers = {}
    for name, query in sorted(pages.items()):
        if not any(p.name == "partnership" for p in query.parameters):
            continue
        for partnership in partnerships:
            sparql, subs = query.prepare({"partnership": partnership}, kg.base_iri)
            answers[(name, partnership)] = kg.query(sparql, substitutions=subs).serialize(format=ox.QueryResultsFormat.JSON)
    return answers


def test_the_home_pages_queries_answer_each_partnership_alone():
    """Adding partnerships changes no partnership's overview (former bodies, documents, bodies), byte for byte."""
    names = sorted(p.name for p in PARTNERSHIP_FIXTURES.iterdir() if (p / "partnership.yaml").is_file())
    everything = _page_answers(load_knowledge_graph([PARTNERSHIP_FIXTURES / n / "partnership.yaml" for n in names]))
    assert any(name == "former-bodies" for name, _ in everything)
    for name in names:
        alone = _page_answers(load_knowledge_graph([PARTNERSHIP_FIXTURES / name / "partnership.yaml"]))
        changed = sorted(key for key in alone if alone[key] != everything.get(key))
        assert alone and not changed, f"loading the others changed {name}'s: {changed}"
