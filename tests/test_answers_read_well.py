"""Answers that read well (issue 17, item 2), through the service: one entry per thing on a question's
page while the API keeps one row per solution; seats in number order; things of the past marked; an
empty answer that says what the data does say and which questions have an answer; the questions
suggested for an entity all answer for it; none of this changes when another partnership is added."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from lscp_kg.store import load_knowledge_graph

CCG = "id/org/nhs-lewisham-ccg"
SUPPORT_TEAM = "id/lewisham/body/support-team"
CONCERN_HUB = "id/lewisham/body/concern-hub"
LEWISHAM = "https://lscp-kg.example.org/id/partnership/lewisham"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "partnerships"


def page(client, path: str, **params) -> str:
    response = client.get(path, query_string=params) if params else client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def shown(html: str) -> str:
    """What a reader sees unopened: the main content without the technical details, tags or scripts."""
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r'<details class="technical-details">.*?</details>', "", main, flags=re.S)
    main = re.sub(r"<script.*?</script>", "", main, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_ceased_organisations_page_has_one_entry_per_organisation_and_the_api_one_row_per_fact(client):
    html = page(client, "/queries/ceased-organisations")
    rows = re.findall(r"<tr[^>]*><td data-label=\"organisation\"", html)
    assert len(rows) == 2
    assert "2 entries, one per organisation" in shown(html)
    ccg_row = html[html.index(">NHS Lewisham Clinical Commissioning Group</a>"):]
    ccg_row = ccg_row[:ccg_row.index("</tr>")]
    assert ccg_row.count("<li>") >= 5 and "Partnership Group seat 2:" in ccg_row  # the places that name it, listed
    answer = client.get("/api/queries/ceased-organisations", query_string={"format": "csv"}).get_data(as_text=True)
    flat = list(csv.DictReader(io.StringIO(answer)))
    assert len(flat) > 2 and {r["organisation"] for r in flat} == {
        "https://lscp-kg.example.org/id/lewisham/community-rehabilitation-company",
        "https://lscp-kg.example.org/id/org/nhs-lewisham-ccg"}


@pytest.mark.parametrize("name", ["members-of-body", "seats-by-sector"])
def test_seats_come_in_number_order(client, name):
    answer = client.get(f"/api/queries/{name}", query_string={"body": "id/lewisham/body/partnership-group",
                                                               "format": "csv"}).get_data(as_text=True)
    numbers = [int(re.search(r"(\d+)$", r["seat"]).group(1)) for r in csv.DictReader(io.StringIO(answer))
               if re.search(r"-\d+$", r["seat"])]
    assert len(numbers) > 3 and numbers == sorted(numbers)


def test_the_page_sort_keys_order_numbers_by_value(client):
    html = page(client, "/queries/members-of-body", body="id/lewisham/body/partnership-group")
    keys = [k for k in re.findall(r'data-label="seat" data-sort="([^"]+)"', html) if "seat 0" in k]
    assert len(keys) > 10 and keys == sorted(keys)  # the natural keys sort as the seats' numbers do
    assert "partnership group seat 000000000002" in keys[1]


def test_things_of_the_past_are_marked_with_their_end_and_successor(client):
    html = page(client, "/queries/facts-as-of", asof="2024-01-01")
    assert re.search(r'Community Rehabilitation Company</a> <span class="ended">\(ended 30 June 2021, replaced by '
                     r'<a href="/id/org/probation-service">Probation Service</a>\)</span>', html)
    # A row that names the successor itself says it already: no mark repeats it.
    ceased = page(client, "/queries/ceased-organisations")
    assert 'class="ended"' not in ceased
    # The past comes after the present.
    statuses = re.findall(r'<tr( class="past")?><td data-label="thing"', html)
    assert statuses.index(' class="past"') > 0 and "" not in statuses[statuses.index(' class="past"'):]


def test_an_end_still_to_come_is_not_the_past(client):
    html = page(client, "/queries/facts-as-of", asof="2024-01-01")
    strategy = re.search(r"Strategy 2024-2027</a>(.{0,40})", html).group(1)
    assert "ended" not in strategy


def test_an_empty_answer_says_what_the_data_does_say_and_where_the_answer_is(client):
    html = page(client, "/queries/changes-over-time", entity=CCG)
    text = shown(html)
    assert "No answer for NHS Lewisham Clinical Commissioning Group" in text
    assert "0 rows" not in text
    assert "Functions transferred to: NHS South East London Integrated Care Board" in text
    assert "a cited source: Health and Care Act 2022" in text and "1 July 2022" in text
    assert "It is a thing of the past: ended 1 July 2022, replaced by NHS South East London" in text
    links = dict((title, href) for href, title in re.findall(
        r'<li><a href="(/queries/[^"]+)">([^<]+)</a></li>', html[html.index("Questions with an answer"):]))
    assert "Organisations named in the arrangements that have since ceased" in links
    assert "What replaced what, and when" not in links  # not the question that has just answered nothing


@pytest.mark.parametrize("name", ["chairing-of-body", "members-of-body"])
def test_the_support_team_questions_that_answer_nothing_lead_to_those_that_do(client, name):
    html = page(client, f"/queries/{name}", body=SUPPORT_TEAM)
    assert "No answer for Safeguarding Partnership Support Team" in shown(html)
    hrefs = re.findall(r'<li><a href="(/queries/[^"]+)">', html[html.index("Questions with an answer"):])
    assert len(hrefs) >= 2
    for href in hrefs:
        answer = page(client, href.replace("&amp;", "&").replace("%3A", ":"))
        assert '<table class="results"' in answer and "No answer" not in shown(answer), href


def test_every_suggested_question_answers_for_the_entity_and_the_others_do_not(app, client):
    from lscp_kg.service.suggestions import questions_about
    from lscp_kg.service.scoping import entity_types
    from lscp_kg.service.suggestions import questions_with_answers

    iri = "https://lscp-kg.example.org/" + SUPPORT_TEAM
    with app.test_request_context("/"):
        suggested = questions_with_answers(iri)
        taking = questions_about(entity_types(iri))
    names = {q["name"] for q in suggested}
    assert {"responsibilities", "what-reports-to"} <= names
    for question in taking:
        answer = client.get(f"/api/queries/{question['name']}", query_string={question["parameter"]: iri}).json
        has_rows = bool(answer.get("results", {}).get("bindings")) if answer and "results" in answer else False
        assert has_rows == (question["name"] in names), question["name"]


def test_no_competency_numbers_variables_or_copy_buttons_unopened(client):
    html = page(client, "/queries/members-of-body", body="id/lewisham/body/partnership-group")
    text = shown(html)
    assert "competency question" not in text and "(iri" not in text
    assert not re.search(r"\?[a-z]\w+\b", text)
    assert "copy IRI" not in html and "data-iri=\"https" not in html.split('id="param-body"')[-1]
    details = html[html.index('<details class="technical-details">'):]
    assert details.count('class="copy-identifier"') == 1 and "id/lewisham/body/partnership-group</code>" in details


def test_explanations_and_suggestions_do_not_change_when_other_partnerships_are_added():
    """The same empty answer about organisations Lewisham shares, with or without the fictional fixtures."""
    from lscp_kg.service.app import create_app

    def explanations(kg) -> list[str]:
        app = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1})
        try:
            client = app.test_client()
            found = []
            for entity in ("id/org/metropolitan-police", "id/org/nhs-south-east-london-icb", CCG):
                html = page(client, "/queries/changes-over-time", entity=entity, partnership=LEWISHAM)
                found.append(html[html.index('<section class="empty-answer"'):html.index("</section>")])
            return found
        finally:
            app.extensions["lscp_kg"].runner.close()

    alone = explanations(load_knowledge_graph())
    others = load_knowledge_graph([FIXTURES / n / "partnership.yaml" for n in ("eastmoor", "westmoor", "twin-rivers")])
    assert explanations(others) == alone
    assert all("No answer for" in e for e in alone)
