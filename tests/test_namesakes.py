"""Names that tell people apart: search, pickers and the explorer's chooser with a second partnership loaded.

The second partnership, Testshire, is FICTIONAL (written below for these tests): it has a person named like a
Lewisham person (Richard McDonagh), a body named like a Lewisham body (Operational team), shares the Metropolitan
Police with Lewisham (naming it only as a partner: the Met is stated about in Lewisham's passages alone), and has a
"Testshire S.H.I.E.L.D." body. Its source document names Lewisham as publisher, a deliberate trap: whose a fact is
comes from the context of the graph that states it, never from a publisher.
"""

from __future__ import annotations

import re

import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_parameters import ParameterError
from lscp_kg.name_resolution import resolve_value
from lscp_kg.search import index_for, search
from lscp_kg.store import load_knowledge_graph

LSCP = "https://lscp-kg.example.org/ontology#"
BASE = "https://lscp-kg.example.org/"
LEWISHAM, TESTSHIRE = BASE + "id/partnership/lewisham", BASE + "id/partnership/testshire"
MET = BASE + "id/org/metropolitan-police"
LEWISHAM_TEAM, TESTSHIRE_TEAM = BASE + "id/lewisham/body/operational-team", BASE + "id/testshire/body/operational-team"
LEWISHAM_RICHARD, TESTSHIRE_RICHARD = BASE + "id/person/richard-mcdonagh", BASE + "id/person/richard-mcdonagh-testshire"
SHIELD, SHIELD_NETWORK = BASE + "id/testshire/body/shield", BASE + "id/testshire/body/shield-network"

TESTSHIRE_TRIG = """\
@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dcterms: <http://purl.org/dc/terms/> .

# FICTIONAL test data (tests/test_namesakes.py): Testshire does not exist. Its publisher is Lewisham on purpose
# (a trap: search must not take whose a fact is from the publisher).
<id/source/testshire-arrangements> {
    <id/source/testshire-arrangements> a lscp:SourceDocument ; lscp:partnershipContext <id/partnership/testshire> ;
        rdfs:label "Testshire Safeguarding Children Partnership arrangements (fictional test fixture)" ;
        dcterms:publisher <id/partnership/lewisham> .
}
<id/testshire/passage/L1> {
    <id/testshire/passage/L1> a lscp:SourcePassage ; lscp:source <id/source/testshire-arrangements> ;
        lscp:partnershipContext <id/partnership/testshire> ; lscp:startLine 1 ; lscp:endLine 1 ;
        prov:value "The Testshire partnership's statutory partners include the Metropolitan Police." .
    <id/partnership/testshire> a lscp:SafeguardingPartnership ;
        rdfs:label "Testshire Safeguarding Children Partnership" ;
        lscp:area <id/area/testshire> ;
        lscp:safeguardingPartner <id/org/metropolitan-police> .
    <id/area/testshire> a lscp:LocalAuthorityArea ; rdfs:label "Testshire" .
}
<id/testshire/passage/L2> {
    <id/testshire/passage/L2> a lscp:SourcePassage ; lscp:source <id/source/testshire-arrangements> ;
        lscp:partnershipContext <id/partnership/testshire> ; lscp:startLine 2 ; lscp:endLine 2 ;
        prov:value "Richard McDonagh chairs the Operational team." .
    <id/testshire/body/operational-team> a lscp:Body ; rdfs:label "Operational team" ;
        lscp:partnershipOf <id/partnership/testshire> .
    <id/testshire/post/operational-team-chair> a org:Post ; rdfs:label "Chair of Testshire's Operational team" ;
        org:postIn <id/testshire/body/operational-team> ; org:role lscp:ChairRole .
    <id/person/richard-mcdonagh-testshire> a foaf:Person ; rdfs:label "Richard McDonagh" ;
        foaf:name "Richard McDonagh" ; org:holds <id/testshire/post/operational-team-chair> .
}
<id/testshire/passage/L3> {
    <id/testshire/passage/L3> a lscp:SourcePassage ; lscp:source <id/source/testshire-arrangements> ;
        lscp:partnershipContext <id/partnership/testshire> ; lscp:startLine 3 ; lscp:endLine 3 ;
        prov:value "Testshire S.H.I.E.L.D. and the Young People's Shield Network report to the Operational team." .
    <id/testshire/body/shield> a lscp:Subgroup ; rdfs:label "Testshire S.H.I.E.L.D." ;
        lscp:partnershipOf <id/partnership/testshire> ; org:reportsTo <id/testshire/body/operational-team> .
    <id/testshire/body/shield-network> a lscp:Subgroup ; rdfs:label "Young People's Shield Network" ;
        lscp:partnershipOf <id/partnership/testshire> ; org:reportsTo <id/testshire/body/operational-team> .
}
"""


@pytest.fixture(scope="module")
def testshire_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("testshire") / "testshire-fictional.trig"
    path.write_text(TESTSHIRE_TRIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def both(testshire_file):
    """Lewisham (the shipped data) and fictional Testshire, loaded together."""
    return load_knowledge_graph([testshire_file])


@pytest.fixture(scope="module")
def both_client(testshire_file):
    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "VALIDATE": False, "DATA": [testshire_file], "QUERY_WORKERS": 1})
    yield app.test_client()
    app.extensions["lscp_kg"].runner.close()


def owners(hit) -> list[str]:
    return [iri for iri, _label, _short in hit.partnerships]


# --- search ---------------------------------------------------------------------------------------------------

def test_namesakes_are_both_found_each_with_its_partnership(both):
    people = search(both, "Richard McDonagh", kinds=["http://xmlns.com/foaf/0.1/Person"]).hits
    assert {hit.iri: owners(hit) for hit in people} == {LEWISHAM_RICHARD: [LEWISHAM], TESTSHIRE_RICHARD: [TESTSHIRE]}
    assert all(hit.namesake for hit in people)
    assert sorted(hit.display for hit in people) == ["Richard McDonagh (Lewisham)", "Richard McDonagh (Testshire)"]
    teams = {hit.iri: hit.display for hit in search(both, "Operational team").hits if hit.label == "Operational team"}
    assert teams == {LEWISHAM_TEAM: "Operational team (Lewisham)", TESTSHIRE_TEAM: "Operational team (Testshire)"}


def test_a_unique_name_is_shown_alone(both):
    hit = search(both, "Multi-Agency Child Exploitation").hits[0]
    assert hit.label == "Multi-Agency Child Exploitation (MACE)" and not hit.namesake and hit.display == hit.label


def test_a_shared_organisation_is_found_in_each_partnership_that_names_it(both):
    met = next(hit for hit in search(both, "Metropolitan Police").hits if hit.iri == MET)
    assert owners(met) == [LEWISHAM, TESTSHIRE] and met.display == "Metropolitan Police"
    for partnership in (LEWISHAM, TESTSHIRE):
        assert MET in [hit.iri for hit in search(both, "Metropolitan Police", partnerships=[partnership]).hits]


def test_whose_a_fact_is_comes_from_the_graph_context_not_the_publisher(both):
    for iri in (SHIELD, TESTSHIRE_TEAM, TESTSHIRE_RICHARD):
        assert owners(index_for(both).entity(iri)) == [TESTSHIRE], iri
    lewisham_only = [hit.iri for hit in search(both, "Operational team", partnerships=[LEWISHAM]).hits]
    assert LEWISHAM_TEAM in lewisham_only and TESTSHIRE_TEAM not in lewisham_only


def test_adding_a_partnership_leaves_lewisham_s_search_as_it_was(both, kg):
    for typed in ("Operational team", "Richard McDonagh", "Metropolitan Police", "mace", "partnership group", "chair"):
        alone = [(h.iri, owners(h)) for h in search(kg, typed, partnerships=[LEWISHAM], limit=50).hits]
        together = [(h.iri, owners(h)) for h in search(both, typed, partnerships=[LEWISHAM], limit=50).hits]
        shared = {MET}  # the Met is now also Testshire's
        assert [(iri, [p for p in ps if iri not in shared or p == LEWISHAM]) for iri, ps in together] == alone, typed


@pytest.mark.parametrize("typed,found", [
    ("shield", {SHIELD, SHIELD_NETWORK}), ("S.H.I.E.L.D.", {SHIELD, SHIELD_NETWORK}), ("s.h.i.e.l.d", {SHIELD, SHIELD_NETWORK}),
    ("Testshire Shield", {SHIELD}), ("testshire S.H.I.E.L.D.", {SHIELD}), ("shie", {SHIELD, SHIELD_NETWORK})])
def test_dotted_abbreviations_match_their_undotted_form_both_ways(both, typed, found):
    hits = search(both, typed).hits
    assert found <= {hit.iri for hit in hits} and not search(both, typed).closest, typed
    if found == {SHIELD}:
        assert hits[0].iri == SHIELD and hits[0].match == "exact"


def test_the_display_name_finds_its_entity_again(both):
    index = index_for(both)
    assert [hit.iri for hit in index.named("Operational team")] == [LEWISHAM_TEAM, TESTSHIRE_TEAM]
    assert [hit.iri for hit in index.named("Operational team (Testshire)")] == [TESTSHIRE_TEAM]
    assert [hit.iri for hit in index.named("operational team (lewisham safeguarding children partnership)")] == [
        LEWISHAM_TEAM]
    assert [hit.iri for hit in search(both, "Operational team (Testshire)").hits][:1] == [TESTSHIRE_TEAM]
    assert index.named("Operational team (Nowhere)") == []
    # brackets that name no partnership are part of the name
    assert [hit.label for hit in index.named("Multi-Agency Child Exploitation (MACE)")] == [
        "Multi-Agency Child Exploitation (MACE)"]


def test_a_name_that_fits_two_is_never_picked_silently(both):
    param = load_named_queries()["members-of-body"].parameters[0]
    with pytest.raises(ParameterError) as raised:
        resolve_value(both, param, "Operational team")
    assert raised.value.ambiguous and {s["iri"] for s in raised.value.suggestions} == {LEWISHAM_TEAM, TESTSHIRE_TEAM}
    assert resolve_value(both, param, "Operational team (Testshire)").value == TESTSHIRE_TEAM


# --- the service: /api/search, /search, the pickers and the explorer's chooser -----------------------------------

def test_api_search_gives_the_partnerships_and_the_display_name(both_client):
    hits = both_client.get("/api/search", query_string={"q": "Operational team", "kind": "lscp:Body"}).json["hits"]
    teams = [h for h in hits if h["label"] == "Operational team"]
    assert sorted((h["display"], h["namesake"], [p["shortLabel"] for p in h["partnerships"]]) for h in teams) == [
        ("Operational team (Lewisham)", True, ["Lewisham"]), ("Operational team (Testshire)", True, ["Testshire"])]
    met = both_client.get("/api/search", query_string=[("q", "Metropolitan Police"),
                                                        ("partnership", "id/partnership/testshire")]).json["hits"]
    assert MET in [h["iri"] for h in met]


def test_search_page_shows_the_partnership_beside_namesakes(both_client):
    page = both_client.get("/search", query_string={"q": "Richard McDonagh"}).get_data(as_text=True)
    assert ">Richard McDonagh (Lewisham)</a>" in page and ">Richard McDonagh (Testshire)</a>" in page
    mace = both_client.get("/search", query_string={"q": "mace"}).get_data(as_text=True)
    assert ">Multi-Agency Child Exploitation (MACE)</a>" in mace


def test_choices_for_a_name_that_fits_two_show_each_with_its_partnership(both_client):
    response = both_client.get("/queries/members-of-body", query_string={"body": "Operational team"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "fits more than one" in page
    assert ">Operational team (Lewisham)</a>" in page and ">Operational team (Testshire)</a>" in page
    chosen = both_client.get("/queries/members-of-body", query_string={"body": "Operational team (Testshire)"})
    assert chosen.status_code == 200 and "fits more than one" not in chosen.get_data(as_text=True)


def test_the_api_s_choices_for_a_name_that_fits_two_tell_them_apart(both_client):
    document = both_client.get("/api/queries/members-of-body", query_string={"body": "Operational team"}).json
    shown = sorted(s["display"] for s in document["suggestions"])
    assert shown == ["Operational team (Lewisham)", "Operational team (Testshire)"]
    assert sorted(p for s in document["suggestions"] for p in s["partnerships"]) == [
        "Lewisham Safeguarding Children Partnership", "Testshire Safeguarding Children Partnership"]


def test_the_picker_shows_its_value_by_its_display_name(both_client):
    page = both_client.get("/queries/members-of-body",
                           query_string={"body": "id/testshire/body/operational-team"}).get_data(as_text=True)
    field = re.search(r'<input id="param-body"[^>]*>', page).group(0)
    assert 'value="Operational team (Testshire)"' in field and 'data-iri="id/testshire/body/operational-team"' in field


def test_the_explorer_chooser_tells_namesakes_apart(both_client):
    page = both_client.get("/explore/").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', page)
    shown = {iri: text for iri, text in options}
    assert shown[LEWISHAM_TEAM] == "Operational team (Lewisham)" and shown[TESTSHIRE_TEAM] == "Operational team (Testshire)"
    assert shown[LEWISHAM_RICHARD] == "Richard McDonagh (Lewisham)"
    assert shown[TESTSHIRE_RICHARD] == "Richard McDonagh (Testshire)"
    texts = [text for _iri, text in options]
    assert "Operational team" not in texts and "Richard McDonagh" not in texts


# --- in Chromium, on a phone --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def testshire_site(testshire_file):
    """The service over Lewisham and fictional Testshire, on 127.0.0.1."""
    from test_views_browser import serve

    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "VALIDATE": False, "DATA": [testshire_file], "QUERY_WORKERS": 1})
    server = serve(app)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["lscp_kg"].runner.close()


@pytest.mark.browser
def test_a_person_on_a_phone_sees_the_partnership_beside_namesakes(browser, testshire_site):
    from axe_support import assert_accessible, sideways_overflow
    from browser_support import wait_until

    browser.set_viewport(390)
    try:
        browser.open(testshire_site + "/search?q=Richard+McDonagh")
        browser.wait_for("ol.search-results h2 a")
        seen = browser.run_js("""return Array.from(document.querySelectorAll('.search-results h2 a')).map(a => {
            const box = a.getBoundingClientRect();
            return {text: a.innerText, visible: box.width > 0 && box.left >= 0 && box.right <= window.innerWidth};});""")
        people = [s for s in seen if s["text"].startswith("Richard McDonagh (")]
        assert sorted(s["text"] for s in people) == ["Richard McDonagh (Lewisham)", "Richard McDonagh (Testshire)"]
        assert all(s["visible"] for s in people)
        assert sideways_overflow(browser) == []
        assert_accessible(browser, "search for two namesakes at 390 px")

        browser.open(testshire_site + "/queries/members-of-body")
        browser.wait_for("#param-body[role=combobox]")
        wait_until(browser, "return !!document.querySelector('form.params input[type=hidden][name=body]');")
        browser.run_js("const i = document.getElementById('param-body'); i.focus(); i.select();")
        browser.type("Operational team")
        wait_until(browser, "return document.querySelectorAll('#param-body-options [role=option]').length >= 2;")
        options = browser.run_js("return Array.from(document.querySelectorAll('#param-body-options [role=option]'))"
                                 ".map(o => o.firstChild.textContent);")
        assert "Operational team (Lewisham)" in options and "Operational team (Testshire)" in options
        browser.press(*["ArrowDown"] * (options.index("Operational team (Testshire)") + 1), "Enter")
        chosen = browser.run_js("return [document.getElementById('param-body').value, "
                                "document.querySelector('form.params input[type=hidden][name=body]').value];")
        assert chosen == ["Operational team (Testshire)", TESTSHIRE_TEAM]
        assert sideways_overflow(browser) == []
        assert_accessible(browser, "a picker listing two namesakes at 390 px")
        assert browser.console_errors() == []
        browser.assert_only_local()
    finally:
        browser.set_viewport(None)


@pytest.mark.browser
def test_the_explorer_chooser_never_picks_one_of_two_namesakes_silently(browser, testshire_site):
    from browser_support import wait_until

    browser.open(testshire_site + "/explore/")  # the views' index: its "Paths between two entities" form
    browser.wait_for("#path-from-name[role=combobox]")
    browser.run_js("const i = document.getElementById('path-from-name'); i.focus(); i.value = '';")
    browser.type("Operational team")
    listed = browser.run_js("return Array.from(document.querySelectorAll('#path-from-list [role=option]'))"
                            ".map(o => o.firstChild.textContent);")
    assert "Operational team (Lewisham)" in listed and "Operational team (Testshire)" in listed
    before = browser.url
    browser.run_js("document.getElementById('path-from-name').form.requestSubmit();")
    wait_until(browser, "return !document.getElementById('path-from-list').hidden;")
    state = browser.run_js("""const input = document.getElementById('path-from-name');
        return {url: location.href, chosen: document.getElementById('path-from').value, message: input.validationMessage,
                listed: Array.from(document.querySelectorAll('#path-from-list [role=option]')).map(o => o.firstChild.textContent)};""")
    assert state["url"] == before and state["chosen"] == ""  # not submitted, nothing picked
    assert "2 have this name" in state["message"]
    assert sorted(state["listed"]) == ["Operational team (Lewisham)", "Operational team (Testshire)"]
    browser.assert_only_local()


def test_a_field_s_closest_matches_show_namesakes_with_their_partnerships(both_client):
    response = both_client.get("/queries/members-of-body", query_string={"body": "Richard McDonagh"})  # people
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Closest matches:" in page
    suggestions = page[page.index('class="suggestions"'):]
    suggestions = suggestions[:suggestions.index("</ul>")]
    assert ">Richard McDonagh (Lewisham)</a>" in suggestions and ">Richard McDonagh (Testshire)</a>" in suggestions


@pytest.mark.browser
def test_the_explorer_s_find_box_tells_namesakes_apart(browser, testshire_site):
    """The network's "Find a node by name" lists a shared name with each node's partnership, and a name that fits
    two shown nodes is not picked silently."""
    from browser_support import wait_until

    browser.open(testshire_site + "/explore/entity?iri=id/testshire/body/operational-team&iri=id/lewisham/body/operational-team"
                 "&depth=0")
    browser.wait_for("#search")
    browser.run_js("document.getElementById('search').focus();")
    wait_until(browser, "return document.querySelectorAll('#node-names option').length > 0;")
    offered = browser.run_js("return Array.from(document.querySelectorAll('#node-names option')).map(o => o.value);")
    teams = sorted(o for o in offered if o.startswith("Operational team"))
    assert teams == ["Operational team (Lewisham Safeguarding Children Partnership)",
                     "Operational team (Testshire Safeguarding Children Partnership)"]
    for typed, said in (("Operational team", "2 shown nodes are called"),
                        (teams[1], "Found: " + teams[1])):
        browser.run_js("const s = document.getElementById('search'); s.value = arguments[0]; "
                       "document.getElementById('search-form').requestSubmit();", typed)
        wait_until(browser, "return document.getElementById('search-status').textContent.length > 0;")
        assert said in browser.run_js("return document.getElementById('search-status').textContent;")
