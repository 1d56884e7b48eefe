"""/scrutiny and /scrutiny.json: the findings as a page and as JSON, as of a date, linked to
entity pages and network views; bad input is a clear 400."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def app(kg):
    """The service with a time limit a whole scrutiny report fits in on a busy machine (the shared
    test app's 2 s is for single queries; the report runs under the same limit)."""
    from conftest import SERVICE_TEST_LIMITS
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, **SERVICE_TEST_LIMITS, "QUERY_TIME_LIMIT": 120.0})
    yield application
    application.extensions["lscp_kg"].runner.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def page(app):
    response = app.test_client().get("/scrutiny?asof=2026-11-26")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_lists_findings_by_severity_with_quotes(page):
    must, should, note = (page.index(f'id="severity-{s}"') for s in ("must", "should", "note"))
    assert must < should < note
    ccg = page.index("NHS Lewisham Clinical Commissioning Group is still named")
    assert should < ccg < note
    assert "NHS Lewisham CCG - Joint Chair Managing Director" in page
    assert "replaced by integrated care boards on 1 July 2022" in page


def test_page_has_no_inline_scripts_and_a_strict_policy(client):
    response = client.get("/scrutiny?asof=2026-11-26")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.get_data(as_text=True), re.S)
    # Only the site's own script file (the folding menu); the report itself needs none.
    assert all(re.search(r'src="/static/[\w.-]+\.js"', attributes) and not body.strip() for attributes, body in scripts)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_findings_link_to_entity_pages_that_resolve(client, page):
    assert 'href="/id/org/nhs-lewisham-ccg"' in page
    assert client.get("/id/org/nhs-lewisham-ccg").status_code == 200
    assert 'href="/id/lewisham/passage/L123"' in page


def test_each_finding_opens_as_a_network_view_of_its_entities(client, page):
    links = re.findall(r'<a class="network" href="([^"]+)"', page)
    assert len(links) >= 10
    views = set(links)
    assert any("iri=https://lscp-kg.example.org/id/org/nhs-lewisham-ccg" in link.replace("%3A", ":").replace("%2F", "/")
               for link in views)
    for link in sorted(views)[:3]:
        assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_requirements_table_shows_status_and_evidence(page):
    assert re.search(r'id="requirement-YR" class="status-fail"', page)
    assert re.search(r'id="requirement-SP-DEF" class="status-pass"', page)
    assert re.search(r'id="requirement-LSP-SIGN" class="status-not-checked"', page)
    assert "Unverified: Who may hold the chair" in page


def test_page_is_reachable_from_the_nav_of_other_pages(client):
    for path in ("/", "/explore/", "/id/org/nhs-lewisham-ccg"):
        assert 'href="/scrutiny"' in client.get(path).get_data(as_text=True), path


def test_json_has_the_findings_with_links(client):
    data = client.get("/scrutiny.json?asof=2026-11-26").json
    assert data["asof"] == "2026-11-26" and data["summary"]["must"] == 1
    finding = next(f for f in data["findings"] if f["rule"] == "CEASED-ORG"
                   and f["entities"][0]["iri"].endswith("/id/org/nhs-lewisham-ccg"))
    assert finding["entities"][0]["href"] == "/id/org/nhs-lewisham-ccg"
    assert finding["network"].startswith("/explore/entity?")
    assert any(e["quote"] == "NHS Lewisham CCG - Joint Chair Managing Director" for e in finding["evidence"])


def test_json_by_content_negotiation_and_as_of_changes_the_answer(client):
    earlier = client.get("/scrutiny?asof=2022-06-01", headers={"Accept": "application/json"})
    assert earlier.mimetype == "application/json" and earlier.json["asof"] == "2022-06-01"
    ceased = {e["iri"] for f in earlier.json["findings"] if f["rule"] == "CEASED-ORG" for e in f["entities"][:1]}
    assert not any(iri.endswith("/id/org/nhs-lewisham-ccg") for iri in ceased)
    assert any(iri.endswith("/community-rehabilitation-company") for iri in ceased)


def test_default_date_is_today(client):
    import datetime as dt

    assert client.get("/scrutiny.json").json["asof"] == dt.date.today().isoformat()


@pytest.mark.parametrize("query", ["asof=2026-13-01", "asof=yesterday", "asof=<script>", "when=2026-01-01"])
def test_bad_parameters_are_a_clear_400(client, query):
    response = client.get(f"/scrutiny.json?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "<script>" not in response.get_data(as_text=True)
    assert client.get(f"/scrutiny?{query}").status_code == 400


def test_unacceptable_format_is_406(client):
    assert client.get("/scrutiny", headers={"Accept": "image/png"}).status_code == 406


def test_network_view_shows_the_entities_concerned(client):
    from urllib.parse import parse_qs, urlsplit

    data = client.get("/scrutiny.json?asof=2026-11-26").json
    outside = next(f for f in data["findings"] if f["rule"] == "CHAIR-OUTSIDE")
    # A view of exactly the entities concerned (joined by their shortest connections).
    asked = parse_qs(urlsplit(outside["network"]).query)
    assert set(asked["iri"]) <= {e["iri"] for e in outside["entities"]} and len(asked["iri"]) >= 2
    page = client.get(outside["network"]).get_data(as_text=True)
    assert "LSCP Executive Partnership" in page and "NHS Lewisham Clinical Commissioning Group" in page


def test_page_opens_on_a_summary_of_one_line_per_finding(page):
    """Issue 17: each must/should finding is one line with its network and evidence; its details, the notes and
    the requirements are folded; rule codes appear only inside the folds ("Technical details")."""
    items = re.findall(r'<li class="finding severity-(must|should)" id="([\w-]+)">\s*<p class="line">(.*?)</p>\s*'
                       r'<details class="more">', page, re.S)
    assert [s for s, _, _ in items].count("must") == 1 and [s for s, _, _ in items].count("should") == 9
    for _, finding, line in items:
        assert 'class="network"' in line and f'href="#{finding}-evidence"' in line, line
        assert not re.search(r"\b[A-Z]{2,}-[A-Z]+\b", re.sub(r"<[^>]+>", "", line)), line
        assert f'<ul class="evidence" id="{finding}-evidence">' in page
    assert re.search(r'<details class="notes">\s*<summary>16 notes:\s', page)
    assert '<details class="requirements">' in page
    unfolded, innermost = page, re.compile(r"<details[^>]*>(?:(?!<details).)*?</details>", re.S)
    while innermost.search(unfolded):  # fold from the inside out: what shows before anything is opened
        unfolded = innermost.sub("", unfolded)
    shown = re.sub(r"<[^>]+>", " ", unfolded[unfolded.index("<main"):])
    assert not re.search(r"\b(CEASED-ORG|PERIOD-ENDED|SOURCE-ISSUE|YR)\b", shown)
