"""The timeline (``/timeline``): what changed and when, for a partnership and for an entity.

Lewisham's chair is undated in its source: Ceri Jacob is the current chair (lines 23-29) and Richard McDonagh
a former one (lines 358-360), and the timeline says so without a date. The partnership's timeline has the
LSCB's replacement on 2019-06-29 and the CCG's end; every date it shows is one the graph states. A fictional
partnership that shares organisations with Lewisham, and says other things about them, changes nothing in
Lewisham's timeline, byte for byte.
"""

from __future__ import annotations

import json
import re

import pytest

from lscp_kg.service.app import create_app
from lscp_kg.store import load_knowledge_graph
from page_support import opening_trig, synthetic_benchmark

CHAIR = "id/lewisham/post/partnership-chair"
CCG = "id/org/nhs-lewisham-ccg"
SOURCE = "/source/lewisham-our-partnership-arrangements"

#: A made-up partnership (a test fixture, not a real one) that names Lewisham's organisations, its chair post
#: and its board, and gives them other dates and changes: none of it is Lewisham's to show.
NORTHBANK = opening_trig("northbank", "Northbank Safeguarding Children Partnership: our arrangements (test fixture)",
                         "Northbank's partners since 2020 (test fixture).") + """
    <id/partnership/northbank> a lscp:SafeguardingPartnership ; rdfs:label "Northbank Safeguarding Children Partnership" ;
        schema:startDate "2020"^^xsd:gYear ; lscp:replaced <id/org/lewisham-safeguarding-children-board> .
    <id/org/nhs-lewisham-ccg> schema:endDate "2021-03-31"^^xsd:date ; lscp:ceasedNoLaterThan "2021-03-31"^^xsd:date .
    <id/org/nhs-south-east-london-icb> schema:startDate "2021-04-01"^^xsd:date .
    <id/org/metropolitan-police> lscp:replaced <id/org/nhs-lewisham-ccg> .
    <id/northbank/holding-dana> a lscp:PostHolding ; rdfs:label "Dana Kay as Lewisham's chair (test fixture)" ;
        lscp:heldPost <id/lewisham/post/partnership-chair> ; lscp:holder <id/person/dana-kay-northbank> ;
        lscp:holdingStatus lscp:FormerHolding ; schema:startDate "2018-01-01"^^xsd:date .
    <id/person/dana-kay-northbank> rdfs:label "Dana Kay (Northbank)" .
    <id/northbank/doc/plan> rdfs:label "Northbank plan" ; dcterms:issued "2021-05-01"^^xsd:date ;
        dcterms:references <id/org/nhs-lewisham-ccg> .
}
"""


@pytest.fixture(scope="module")
def with_northbank(tmp_path_factory):
    path = tmp_path_factory.mktemp("northbank") / "northbank.trig"
    path.write_text(NORTHBANK, encoding="utf-8")
    # Not validated: it contradicts Lewisham's dates on purpose (an organisation's dates are one per graph's word).
    return create_app({"TESTING": True, "VALIDATE": False,
                       "KNOWLEDGE_GRAPH": load_knowledge_graph([path])}).test_client()


def timeline(client, **params) -> dict:
    response = client.get("/timeline", query_string={**params, "format": "json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def dated(data) -> list[dict]:
    return [e for year in data["years"] for e in year["entries"]]


def test_the_chairs_timeline_names_the_current_and_former_chair_without_dates(client):
    data = timeline(client, entity=CHAIR)
    assert data["entity"]["label"] == "Chair of the Lewisham Safeguarding Children Partnership"
    assert data["years"] == [], "the source dates neither chair"
    undated = {e["sentence"]: e for e in data["undated"]}
    assert set(undated) == {
        "Ceri Jacob chairs the Lewisham Safeguarding Children Partnership now (the current chair); "
        "the arrangements do not say since when",
        "Richard McDonagh chaired the Lewisham Safeguarding Children Partnership before Ceri Jacob; "
        "the arrangements do not say when"}
    links = {e["sentence"].split()[0]: [s["url"] for s in e["sources"]] for e in data["undated"]}
    assert links == {"Ceri": [SOURCE + "?lines=23-29#L23"], "Richard": [SOURCE + "?lines=358-360#L358"]}
    page = client.get("/timeline", query_string={"entity": CHAIR}).get_data(as_text=True)
    assert '<h2 class="timeline-year" id="undated">Undated</h2>' in page
    assert f'href="{SOURCE}?lines=358-360#L358">source, lines 358 to 360</a>' in page
    assert "<time" not in page, "no date is shown for an undated chair"


def test_the_partnership_timeline_has_the_lscb_replacement_and_the_ccgs_end(client):
    data = timeline(client)
    assert data["partnership"]["label"] == "Lewisham Safeguarding Children Partnership" and data["entity"] is None
    entries = {(e["date"], e["sentence"]): e for e in dated(data)}
    lscb = entries[("2019-06-29", "Lewisham Safeguarding Children Partnership replaced the Lewisham Safeguarding "
                                  "Children Board")]
    assert [s["url"] for s in lscb["sources"]] == [SOURCE + "?lines=15#L15"]
    ccg = entries[("2022-07-01", "NHS Lewisham Clinical Commissioning Group had ceased by this date; its functions "
                                 "passed to the NHS South East London Integrated Care Board")]
    assert [s["text"] for s in ccg["sources"]] == \
        ["cited source: Health and Care Act 2022: integrated care boards replace clinical commissioning groups"]
    assert ("2022-01", "Multi-Agency Child Exploitation (MACE) replaced the Concern Hub") in entries
    assert ("2023-01-31", "Ofsted Joint Targeted Area Inspection Report - 31.01.23 was issued") in entries
    assert ("2023", "LSCP Strategic Priorities 2023-2025 covers the period 2023 to 2025") in entries
    # Years in order, entries in date order within a year, each year heading its own entries.
    years = [y["year"] for y in data["years"]]
    assert years == sorted(years) and all(e["date"].startswith(y["year"]) for y in data["years"] for e in y["entries"])
    # Undated things are said as undated, not placed on a date.
    assert all(e["date"] is None and "do not say" in e["sentence"] for e in data["undated"])


def test_every_date_shown_is_one_the_graph_states(client, kg):
    stated = {row["d"].value for row in kg.query(
        "SELECT DISTINCT ?d WHERE { GRAPH ?g { ?s ?p ?d } ?g lscp:partnershipContext ?x "
        "FILTER(?p IN (schema:startDate, schema:endDate, lscp:ceasedNoLaterThan, dcterms:issued, dcterms:date, "
        "dcterms:modified, lscp:revised, lscp:asOf)) }")}
    shown = {e["date"] for e in dated(timeline(client))}
    assert shown and shown <= stated


def test_an_entity_timeline_has_only_that_entitys_changes(client):
    data = timeline(client, entity=CCG)
    assert data["title"] == "NHS Lewisham Clinical Commissioning Group"
    assert [(e["date"], e["kind"]) for e in dated(data)] == [("2022-07-01", "ceased")]
    assert all(any(a["iri"].endswith(CCG) for a in e["about"]) for e in dated(data) + data["undated"])
    # By name too, as the question forms take it.
    assert timeline(client, entity="Concern Hub")["years"][0]["entries"][0]["sentence"] == \
        "Multi-Agency Child Exploitation (MACE) replaced the Concern Hub"


def test_the_json_twin_is_the_page_as_data(client):
    by_parameter = client.get("/timeline?format=json")
    by_accept = client.get("/timeline", headers={"Accept": "application/json"})
    assert by_parameter.mimetype == by_accept.mimetype == "application/json"
    assert by_parameter.get_data() == by_accept.get_data()
    page = client.get("/timeline")
    assert page.mimetype == "text/html" and "Accept" in page.headers.get("Vary", "")
    html = page.get_data(as_text=True)
    for entry in dated(by_parameter.json):
        assert f'<time datetime="{entry["date"]}">' in html
    assert 'href="/timeline?format=json"' in html


@pytest.mark.parametrize("query, words", [
    ("when=2020", "'when' is not known"),
    ("entity=a&entity=b", "given 2 times"),
    ("entity=", "is empty"),
    ("entity=id/nothing/like-this", "parameter 'entity'"),
    ("entity=zzzzqqqq", "parameter 'entity'"),
    ("partnership=id/org/metropolitan-police", "parameter 'partnership'"),
])
def test_bad_parameters_answer_400_saying_what_is_wrong(client, query, words):
    response = client.get("/timeline?" + query, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


def test_a_format_not_offered_is_refused(client):
    assert client.get("/timeline?format=png").status_code == 406


def test_another_partnership_sharing_organisations_adds_nothing_to_lewishams(client, with_northbank):
    lewisham = "id/partnership/lewisham"
    for params in ({}, {"entity": CHAIR}, {"entity": CCG}, {"entity": "id/org/metropolitan-police"}):
        alone = client.get("/timeline", query_string={**params, "format": "json"})
        beside = with_northbank.get("/timeline", query_string={**params, "partnership": lewisham, "format": "json"})
        assert beside.status_code == 200
        assert json.loads(beside.get_data()) == {**json.loads(alone.get_data())}, params
        assert beside.get_data() == alone.get_data(), params
    # With two partnerships loaded, the partnership is asked for by name...
    response = with_northbank.get("/timeline", headers={"Accept": "application/json"})
    assert response.status_code == 400 and "Northbank" in response.get_data(as_text=True)
    # ...but an entity only one of them names needs none.
    assert timeline(with_northbank, entity="id/northbank/doc/plan")["partnership"]["label"] == \
        "Northbank Safeguarding Children Partnership"
    # Northbank's own timeline has its own statements.
    own = timeline(with_northbank, partnership="id/partnership/northbank")
    assert ("2021-03-31", "ceased") in [(e["date"], e["kind"]) for e in dated(own)]


def test_the_page_reads_as_plain_english(client):
    html = client.get("/timeline").get_data(as_text=True)
    main = re.sub(r"<[^>]+>", " ", html[html.index("<main"):html.index("</main>")])
    assert "https://" not in main and "lscp:" not in main and "id/" not in main
    assert "Undated" in main and "2019" in main


def test_facts_as_of_a_date_has_posts_and_who_held_them(run_named):
    """Each holding of a post is a row named for who held which post; an undated one is said as held at some
    time, never placed on the date."""
    rows = run_named("facts-as-of", asof="2020-01-01", partnership="id/partnership/lewisham")
    held = {r["thingLabel"]: r for r in rows if "/holding-" in r["thing"]}
    assert set(held) == {"Ceri Jacob, current Partnership chair", "Richard McDonagh, former Chair of the partnership"}
    for row in held.values():
        assert row["status"] == "dates not stated: held at some time"
        assert row["start"] is None and row["end"] is None
    assert held["Ceri Jacob, current Partnership chair"]["passage"].endswith("/passage/L23-29")
    # The things it listed before are all still there, as they were.
    statuses = {r["thingLabel"]: r["status"] for r in rows if r["thingLabel"] not in held}
    assert statuses["Lewisham Safeguarding Children Partnership"] == "current"
    assert statuses["LSCP Annual Report 2022-2023"] == "not yet started"
    assert len(statuses) == 13


def test_facts_as_of_a_date_places_dated_holdings_on_it(tmp_path):
    """Dated holdings (the synthetic benchmark's) are current, ended or not yet started on the date."""
    from lscp_kg.named_queries import load_named_queries

    synthetic = synthetic_benchmark()
    made = synthetic.generate(1, 6, tmp_path, first_year=2016)
    kg = load_knowledge_graph([made.folder])
    query = load_named_queries(kg=kg)["facts-as-of"]
    sparql, bound = query.prepare({"asof": "2019-01-01", "partnership": "id/synthetic-1/partnership"}, kg.base_iri)
    rows = [{v: row[v].value if row[v] is not None else None for v in ("thing", "start", "end", "status")}
            for row in kg.query(sparql, substitutions=bound)]
    holdings = [r for r in rows if "/holding-" in r["thing"]]
    assert holdings and {r["status"] for r in holdings} <= {"current", "ended", "not yet started"}
    for r in holdings:
        started = r["start"] <= "2019-01-01"
        ended = r["end"] is not None and r["end"] <= "2019-01-01"
        assert r["status"] == ("ended" if ended else "current" if started else "not yet started"), r
