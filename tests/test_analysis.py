"""Network analyses against the Lewisham data, on the command line and at /api/analysis."""

from __future__ import annotations

import json

import pytest

from lscp_kg.cli import main as cli
from lscp_kg.store import load_knowledge_graph
from lscp_kg.visualisations.analysis import analyse
from lscp_kg.visualisations.projection import project


@pytest.fixture(scope="module")
def report(kg):
    return {check["check"]: check for check in analyse(project(kg))["checks"]}


def labels(check) -> list[str]:
    return [finding["entities"][0]["label"] for finding in check["findings"]]


def test_bodies_with_no_reporting_line(report):
    found = set(labels(report["bodies-without-reporting-line"]))
    assert {"Strategic Leadership Subgroup", "Task and Finish Groups", "Tri-borough Steering Group",
            "LSCP Executive Partnership", "Lewisham Safeguarding Children Partnership Group"} <= found
    assert not found & {"Multi-Agency Child Exploitation (MACE)", "Learning from Practice",
                        "Safeguarding Partnership Support Team"}


def test_posts_with_no_holder(report, iri):
    posts = {finding["entities"][0]["iri"] for finding in report["posts-without-holder"]["findings"]}
    assert iri("id/lewisham/post/ccg-designated-nurse") in posts
    assert iri("id/lewisham/post/lbl-executive-director-cyp") not in posts  # Pinaki Ghoshal holds it
    nurse = next(f for f in report["posts-without-holder"]["findings"]
                 if f["entities"][0]["iri"] == iri("id/lewisham/post/ccg-designated-nurse"))
    assert "Partnership Group" in nurse["summary"]


def test_organisations_with_most_seats(report):
    top = {f["entities"][0]["label"]: f["seats"] for f in report["organisations-with-most-seats"]["findings"][:3]}
    assert top == {"NHS Lewisham Clinical Commissioning Group": 3, "London Borough of Lewisham": 2, "Metropolitan Police": 2}
    seats = [f["seats"] for f in report["organisations-with-most-seats"]["findings"]]
    assert seats == sorted(seats, reverse=True)


def test_where_accountability_stops_short_of_a_lead_representative(report, iri):
    findings = {f["entities"][0]["iri"]: f for f in report["accountability-dead-ends"]["findings"]}
    assert "no accountability step" in findings[iri("id/lewisham/body/strategic-leadership-subgroup")]["summary"]
    head = findings[iri("id/lewisham/post/head-of-safeguarding-and-quality-assurance")]
    assert [step["relation"] for step in head["path"]] == ["org:reportsTo"]
    assert head["path"][0]["from"]["iri"] == iri("id/lewisham/body/support-team")
    nurse = findings[iri("id/lewisham/post/ccg-designated-nurse")]
    assert iri("id/lewisham/body/mace") in {e["iri"] for e in nurse["entities"]}
    for lead in ("lbl-chief-executive", "health-accountable-officer", "chief-officer-of-police"):
        assert iri(f"id/lewisham/post/{lead}") not in findings
    assert iri("id/lewisham/body/mace") not in findings


def test_no_reporting_cycles_in_lewisham_but_a_loop_is_found(report, tmp_path):
    assert report["reporting-cycles"]["findings"] == []
    loop = tmp_path / "loop.trig"
    loop.write_text("""@prefix lscp: <https://lscp-kg.example.org/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<id/test/passage/loop> { <id/test/passage/loop> a lscp:SourcePassage ; prov:value "A reports to B; B reports to A." .
  <id/test/a> a lscp:Subgroup ; rdfs:label "Body A" ; org:reportsTo <id/test/b> .
  <id/test/b> a lscp:Subgroup ; rdfs:label "Body B" ; org:reportsTo <id/test/a> . }""")
    checks = {c["check"]: c for c in analyse(project(load_knowledge_graph([loop])))["checks"]}
    (cycle,) = checks["reporting-cycles"]["findings"]
    assert {e["label"] for e in cycle["entities"]} == {"Body A", "Body B"}
    assert all(step["quotes"] == ["A reports to B; B reports to A."] for step in cycle["path"])


def test_centrality_ranks_bodies_and_people(report):
    bodies, people = report["central-bodies"]["findings"], report["central-people"]["findings"]
    assert {e["type"] for f in bodies for e in f["entities"]} <= {"body", "subgroup"}
    assert {e["type"] for f in people for e in f["entities"]} == {"person"}
    assert [f["score"] for f in bodies] == sorted((f["score"] for f in bodies), reverse=True)
    assert bodies[0]["score"] > 0


def test_every_entity_links_to_its_page(report, kg):
    for check in report.values():
        for finding in check["findings"]:
            for entity in finding["entities"]:
                expected = "/" + entity["iri"][len(kg.base_iri):] if entity["iri"].startswith(kg.base_iri + "id/") else None
                assert entity["href"] == expected or entity["href"].startswith("/entity?iri=")


def test_links_agree_with_the_service(app, report):
    from lscp_kg.service.page_urls import entity_url

    with app.test_request_context():
        for check in report.values():
            for finding in check["findings"]:
                assert all(e["href"] == entity_url(e["iri"]) for e in finding["entities"])


def test_cli_analyse_text_and_json(runner):
    text = runner.invoke(cli, ["analyse"])
    assert text.exit_code == 0 and "== Bodies with no reporting line" in text.output
    as_json = runner.invoke(cli, ["analyse", "--format", "json"])
    assert as_json.exit_code == 0
    checks = {c["check"] for c in json.loads(as_json.output)["checks"]}
    assert {"accountability-dead-ends", "reporting-cycles", "posts-without-holder"} <= checks


def test_api_analysis_and_explore_pages(client, report):
    answer = client.get("/api/analysis")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    served = {c["check"]: c for c in answer.json["checks"]}
    views = [f.pop("view") for c in served.values() for f in c["findings"]]
    assert served == report
    assert views and all(v.startswith("/explore/entity?iri=") and v.endswith(("&depth=0", "&depth=1")) for v in views)
    page = client.get("/explore/analysis")
    assert page.status_code == 200 and b"Posts with no holder" in page.data
    assert page.data.count(b'class="network" href="/explore/entity?iri=') == len(views)
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


@pytest.mark.parametrize("url, status", [
    ("/explore/", 200), ("/explore/structure", 200), ("/explore/entity?iri=id/lewisham/body/mace&depth=2", 200),
    ("/explore/path?from=id/lewisham/body/mace&to=id/person/ceri-jacob", 200), ("/explore/nope", 404),
    ("/explore/entity?iri=id/nothing/here", 404), ("/explore/entity?iri=id/lewisham/body/mace&depth=two", 400),
    ("/explore/structure?iri=x", 400), ("/explore/path?from=%3Cbad%3E&to=id/person/ceri-jacob", 400),
    ("/explore/assets/vis-network.min.js", 200), ("/explore/assets/..%2F..%2Fpyproject.toml", 404),
])
def test_explore_routes_answer_clearly(client, url, status):
    answer = client.get(url)
    assert answer.status_code == status
    if url.startswith("/explore/") and status == 200 and "assets" not in url:
        policy = answer.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "http" not in policy
        assert b"https://cdn" not in answer.data and b"<script src=\"http" not in answer.data
