"""Forms that take names: parameters declare their kind, names and IRIs resolve in one place, defaults come from the data."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from lscp_kg import name_resolution
from lscp_kg.name_resolution import resolve_value, resolver
from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_files import parse_query_file, QUERIES_DIR, QueryFileError
from lscp_kg.query_parameters import ParameterError
from lscp_kg.service.app import create_app
from lscp_kg.store import load_knowledge_graph

LSCP = "https://lscp-kg.example.org/ontology#"
SCRUTINY = Path(__file__).resolve().parent / "fixtures" / "scrutiny"


def param(named_queries, query, name):
    return next(p for p in named_queries[query].parameters if p.name == name)


def test_every_iri_parameter_declares_its_kind(named_queries):
    for query in named_queries.values():
        for p in query.parameters:
            if p.type == "iri":
                assert p.classes and all(c.startswith("http") for c in p.classes), (query.name, p.name)
    assert param(named_queries, "members-of-body", "body").classes == (LSCP + "Body",)


def test_no_query_file_names_a_partnership():
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        assert "lewisham" not in path.read_text(encoding="utf-8").lower(), path.name


def test_the_listing_gives_each_parameter_its_kind(client):
    listed = {q["name"]: q for q in client.get("/api/queries").json}
    body = listed["members-of-body"]["parameters"][0]
    assert body["class"] == [LSCP + "Body"] and body["default"] == "id/lewisham/body/partnership-group"


def test_defaults_are_resolved_against_the_data_as_they_were(named_queries):
    """The shipped data gives every question the default it had when the defaults were written as IRIs."""
    defaults = {(q.name, p.name): p.default for q in named_queries.values() for p in q.parameters if p.type == "iri"}
    assert defaults[("members-of-body", "body")] == "id/lewisham/body/partnership-group"
    assert defaults[("accountability-chain", "start")] == "id/lewisham/body/mace"
    assert defaults[("statutory-partners", "partnership")] == "id/partnership/lewisham"
    assert defaults[("seats-and-meetings-of-post", "post")] == "id/lewisham/post/independent-scrutineer"
    assert defaults[("what-reports-to", "body")] == "id/lewisham/body/support-team"
    assert defaults[("report-path", "series")] == "id/lewisham/doc/annual-reports"
    assert defaults[("person", "person")] == "id/person/ceri-jacob"


def test_with_several_partnerships_the_partnership_is_asked_for_and_label_defaults_are_dropped():
    several = load_knowledge_graph([SCRUTINY / "exampleshire.trig", SCRUTINY / "bareshire.trig"])
    queries = load_named_queries(kg=several)
    partnership = next(p for p in queries["statutory-partners"].parameters if p.name == "partnership")
    assert partnership.default is None and partnership.required
    with pytest.raises(ParameterError) as raised:
        queries["statutory-partners"].bind({}, several.base_iri, resolver(several))
    assert len(raised.value.suggestions) >= 3  # Lewisham, Exampleshire, Bareshire...: the form asks
    unresolved = load_named_queries()  # without data, a rule is no value
    assert next(p for p in unresolved["members-of-body"].parameters).default is None


def test_start_up_notes_say_which_questions_which_entities_and_what_to_do_once_each(caplog, monkeypatch):
    monkeypatch.setattr(name_resolution, "_SAID", set())
    several = load_knowledge_graph([SCRUTINY / "exampleshire.trig", SCRUTINY / "bareshire.trig"])
    with caplog.at_level(logging.INFO, logger="lscp_kg.name_resolution"):
        load_named_queries(kg=several)
        load_named_queries(kg=several)  # the service loads them more than once: each note is given once
    notes = [r.getMessage() for r in caplog.records if r.name == "lscp_kg.name_resolution"]
    assert notes and len(notes) == len(set(notes))
    [partnerships] = [n for n in notes if "for the partnership instead" in n]
    assert partnerships.startswith("note: the data has several of the kind safeguarding children partnership (")
    assert "Lewisham Safeguarding Children Partnership (id/partnership/lewisham)" in partnerships
    asking = [q.name for q in load_named_queries().values() if any(
        p.name == "partnership" and p.default_rule == ("only", "") for p in q.parameters)]
    assert f"questions {', '.join(sorted(asking))} ask for the partnership" in partnerships
    assert partnerships.endswith("nothing to fix: choose one on the form, or give it in the request (?partnership=...)")
    assert all(n.startswith("note: ") and "nothing to fix" in n for n in notes)


def test_a_query_file_with_a_bad_class_or_default_is_refused(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ title: T\n#+ params:\n#+   x: {type: iri, description: d}\nSELECT ?x WHERE {}\n")
    with pytest.raises(QueryFileError, match="needs the kind it takes"):
        parse_query_file(bad)
    bad.write_text("#+ title: T\n#+ params:\n#+   x: {type: iri, class: nowhere:Thing}\nSELECT ?x WHERE {}\n")
    with pytest.raises(QueryFileError, match="CURIE of a known prefix"):
        parse_query_file(bad)
    bad.write_text("#+ title: T\n#+ params:\n#+   x: {type: iri, class: lscp:Body, default: {guess: 1}}\nSELECT ?x WHERE {}\n")
    with pytest.raises(QueryFileError, match="only: true"):
        parse_query_file(bad)


# --- the resolver ------------------------------------------------------------------------------------------

def test_a_name_resolves_to_the_one_entity_of_the_kind(kg, named_queries):
    body = param(named_queries, "members-of-body", "body")
    assert resolve_value(kg, body, "partnership group").value == kg.iri("id/lewisham/body/partnership-group")
    assert resolve_value(kg, body, "MACE").value == kg.iri("id/lewisham/body/mace")  # a Subgroup is a Body
    start = param(named_queries, "accountability-chain", "start")
    assert resolve_value(kg, start, "Pinaki Goshal").value == kg.iri("id/person/pinaki-ghoshal")


def test_an_iri_must_be_in_the_graph_and_of_the_kind(kg, named_queries):
    body = param(named_queries, "members-of-body", "body")
    assert resolve_value(kg, body, "id/lewisham/body/mace").value == kg.iri("id/lewisham/body/mace")
    assert resolve_value(kg, body, kg.iri("id/lewisham/body/mace")).value == kg.iri("id/lewisham/body/mace")
    with pytest.raises(ParameterError) as unknown:
        resolve_value(kg, body, "id/lewisham/body/macee")
    assert "no partnership body with the IRI id/lewisham/body/macee" in unknown.value.detail
    assert unknown.value.suggestions[0]["iri"] == kg.iri("id/lewisham/body/mace")
    with pytest.raises(ParameterError) as wrong:
        resolve_value(kg, body, "id/person/ceri-jacob")
    assert "Ceri Jacob (id/person/ceri-jacob) is a person, not a partnership body" in wrong.value.detail
    anything = param(named_queries, "source-of-fact", "entity")
    passage = next(iter(kg.query("SELECT ?p WHERE { ?p a lscp:SourcePassage } LIMIT 1")))["p"].value
    assert resolve_value(kg, anything, passage).value == passage  # in the graph, unnamed: still fine for owl:Thing


def test_a_name_that_fits_several_gives_the_choices_and_one_that_fits_none_the_closest(kg, named_queries):
    body = param(named_queries, "members-of-body", "body")
    with pytest.raises(ParameterError) as several:
        resolve_value(kg, body, "safeguarding")
    assert several.value.ambiguous and len(several.value.suggestions) > 1
    assert all(set(s) == {"iri", "label", "kind", "display", "partnerships"} for s in several.value.suggestions)
    assert len({s["display"] for s in several.value.suggestions}) == len(several.value.suggestions)
    with pytest.raises(ParameterError) as none:
        resolve_value(kg, body, "Pinaki Ghoshal")
    assert not none.value.ambiguous and none.value.detail == "no partnership body is called “Pinaki Ghoshal”"
    assert none.value.suggestions[0]["label"] == "Pinaki Ghoshal"  # the closest match, of another kind


# --- the API and the page -------------------------------------------------------------------------------------

def test_api_takes_a_name_and_answers_as_for_the_iri(client, kg):
    by_name = client.get("/api/queries/members-of-body", query_string={"body": "Executive Partnership"}).json
    by_iri = client.get("/api/queries/members-of-body", query_string={"body": "id/lewisham/body/executive-partnership"}).json
    assert by_name["results"] == by_iri["results"] and len(by_iri["results"]["bindings"]) > 3


@pytest.mark.parametrize("value,says", [("id/lewisham/body/nothing-here", "in the graph"),
                                        ("no such group at all", "no partnership body is called"),
                                        ("id/person/ceri-jacob", "not a partnership body")])
def test_api_says_what_is_wrong_with_suggestions(client, value, says):
    response = client.get("/api/queries/members-of-body", query_string={"body": value})
    assert response.status_code == 400 and response.mimetype == "application/json"
    document = response.json
    assert says in document["error"] and document["parameter"] == "body" and document["status"] == 400
    assert isinstance(document["suggestions"], list)
    assert all(set(s) == {"iri", "label", "kind", "display", "partnerships"} for s in document["suggestions"])


def test_api_error_for_an_unknown_iri_lists_the_closest(client, kg):
    document = client.get("/api/queries/body-remit", query_string={"body": "id/lewisham/body/macee"}).json
    assert document["suggestions"][0] == {"iri": kg.iri("id/lewisham/body/mace"),
                                          "label": "Multi-Agency Child Exploitation (MACE)", "kind": "Subgroup",
                                          "display": "Multi-Agency Child Exploitation (MACE)",
                                          "partnerships": ["Lewisham Safeguarding Children Partnership"]}


def test_page_shows_an_error_summary_the_field_error_and_the_closest_matches(client):
    response = client.get("/queries/members-of-body", query_string={"body": "Pinaki Ghoshal"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = page[page.index('class="error-summary"'):page.index("</div>", page.index('class="error-summary"'))]
    assert "There is a problem" in summary and 'href="#param-body"' in summary
    assert "Body: " in summary and "parameter 'body'" not in summary, "the field named as its label names it"
    assert '<p class="field-error" id="param-body-error">' in page and 'aria-invalid="true"' in page
    assert re.search(r'<a href="/queries/members-of-body\?body=id/person/pinaki-ghoshal"[^>]*>Pinaki Ghoshal</a>', page)


def test_a_field_is_named_in_words_in_its_label_and_in_the_error_summary(client):
    response = client.get("/queries/facts-as-of", query_string={"asof": "last spring"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<label for="param-asof">As of <span', page)
    assert '<a href="#param-asof">As of: expected a date as YYYY-MM-DD</a>' in page


def test_page_with_a_name_runs_the_question(client):
    page = client.get("/queries/members-of-body", query_string={"body": "partnership group"}).get_data(as_text=True)
    assert '<table class="results"' in page and 'value="Lewisham Safeguarding Children Partnership Group"' in page


def test_page_with_a_name_that_fits_several_lists_the_choices_each_rerunning_the_question(client):
    response = client.get("/queries/members-of-body", query_string={"body": "safeguarding"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "fits more than one partnership body: which one?" in page
    links = re.findall(r'<li><a href="(/queries/members-of-body\?body=[^"]+)"', page)
    assert "/queries/members-of-body?body=id/lewisham/body/partnership-group" in links and len(links) > 1


def test_a_required_choice_with_nothing_given_shows_the_form(client):
    response = client.get("/queries/seats-by-sector")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="param-body"' in page and "error-summary" not in page
    submitted = client.get("/queries/seats-by-sector", query_string={"body": "", "sector": "health"})
    assert submitted.status_code == 400 and "is required" in submitted.get_data(as_text=True)


@pytest.fixture(scope="module")
def hostile_client():
    app = create_app({"TESTING": True, "VALIDATE": False, "DATA": [Path(__file__).resolve().parent / "fixtures" / "hostile"],
                      "QUERY_WORKERS": 1})
    yield app.test_client()
    app.extensions["lscp_kg"].runner.close()


def test_hostile_labels_stay_text_in_pickers_suggestions_and_choices(hostile_client):
    shown = hostile_client.get("/queries/members-of-body", query_string={"body": "id/test/body/hostile"})
    page = shown.get_data(as_text=True)
    assert 'value="&lt;img src=x onerror=alert(1)&gt;"' in page and "<img src=x" not in page
    wrong = hostile_client.get("/queries/members-of-body", query_string={"body": "img onerror zzz"}).get_data(as_text=True)
    assert "<img src=x" not in wrong and "&lt;img src=x onerror=alert(1)&gt;" in wrong
    choices = hostile_client.get("/queries/person", query_string={"person": "script"}).get_data(as_text=True)
    assert "<script>alert(4)" not in choices
