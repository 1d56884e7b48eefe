"""Any partnership: scrutiny per partnership (a second partnership changes nothing
for the first), the no-partner findings, structural rules on other wording, and
the questions asked across partnerships (Lewisham + the test partnerships)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lscp_kg.cli import main
from lscp_kg.query_parameters import ParameterError
from lscp_kg.scrutiny import run_scrutiny
from lscp_kg.store import load_knowledge_graph
from lscp_kg.locations import SHIPPED_DATA_DIR
from lscp_kg.validation import validate_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scrutiny"
COMMON = SHIPPED_DATA_DIR / "common"
EXAMPLESHIRE, BARESHIRE, NORTHSHIRE = (FIXTURES / f"{n}.trig" for n in ("exampleshire", "bareshire", "northshire"))
BASE = "https://lscp-kg.example.org/"
LEWISHAM, EXAMPLE, NORTH = (BASE + f"id/partnership/{n}" for n in ("lewisham", "exampleshire", "northshire"))
ASOF = "2026-06-01"


@pytest.fixture(scope="module")
def lewisham_only():
    return run_scrutiny(load_knowledge_graph(), ASOF)


@pytest.fixture(scope="module")
def everyone():
    return load_knowledge_graph([EXAMPLESHIRE, BARESHIRE, NORTHSHIRE])


@pytest.fixture(scope="module")
def pooled(everyone):
    return run_scrutiny(everyone, ASOF)


def _comparable(results):
    return sorted((r.rule, r.outcome, r.message, tuple(e["graph"] for e in r.evidence)) for r in results)


def test_the_test_partnerships_with_lewisham_are_valid_data(everyone):
    report = validate_graph(everyone)
    problems = [str(v) for v in report.violations if v.files] + [str(p) for p in report.provenance]
    assert problems == []


def test_adding_partnerships_changes_nothing_for_lewisham(lewisham_only, pooled):
    assert _comparable(pooled.of(LEWISHAM)) == _comparable(lewisham_only.results)
    alone = {p["iri"]: p for p in lewisham_only.partnerships}[LEWISHAM]
    together = {p["iri"]: p for p in pooled.partnerships}[LEWISHAM]
    assert together["requirements"] == alone["requirements"] and together["summary"] == alone["summary"]


def test_adding_partnerships_changes_nothing_for_exampleshire(pooled):
    alone = run_scrutiny(load_knowledge_graph([COMMON, EXAMPLESHIRE], include_shipped=False), ASOF)
    assert _comparable(pooled.of(EXAMPLE)) == _comparable(alone.results)
    section = {p["iri"]: p for p in pooled.partnerships}[EXAMPLE]
    assert section["summary"] == {"must": 0, "should": 0, "note": 0, "passes": alone.summary()["passes"]}
    assert {r["status"] for r in section["requirements"]} <= {"pass", "not checked"}


def test_each_partnership_has_its_own_requirement_statuses(pooled):
    statuses = {p["iri"]: {r["id"]: r["status"] for r in p["requirements"]} for p in pooled.partnerships}
    assert set(statuses) == {LEWISHAM, EXAMPLE, NORTH, BASE + "id/partnership/bareshire"}
    assert statuses[EXAMPLE]["EDU"] == "pass" and statuses[NORTH]["EDU"] == "fail"
    # The pooled status is the worst of the partnerships', and each is kept by partnership.
    edu = next(r for r in pooled.requirements if r["id"] == "EDU")
    assert edu["status"] == "fail" and edu["by_partnership"][EXAMPLE] == "pass"


def test_every_result_is_about_one_partnership_or_the_shared_data(pooled):
    assert all(r.partnership is None or r.partnership["iri"] in {p["iri"] for p in pooled.partnerships}
               for r in pooled.results)
    # A consistency finding with no ?partnership column is placed by the source its passage quotes.
    ceased = [r for r in pooled.findings if r.rule == "CEASED-ORG"]
    assert ceased and {r.partnership["iri"] for r in ceased} == {LEWISHAM}


def test_one_partnership_asked_for(everyone):
    report = run_scrutiny(everyone, ASOF, partnership="id/partnership/northshire")
    assert report.partnership == {"iri": NORTH, "label": "Northshire Safeguarding Children Partnership"}
    assert report.results and {r.partnership["iri"] for r in report.results} == {NORTH}
    assert [p["iri"] for p in report.partnerships] == [NORTH]
    with pytest.raises(ParameterError, match="no safeguarding partnership .*nowhere.* known: .*Exampleshire"):
        run_scrutiny(everyone, ASOF, partnership="id/partnership/nowhere")


@pytest.mark.parametrize("rule", ["LSP", "DSP"])
def test_partners_named_only_as_people_fail_with_a_finding_that_says_so(everyone, rule):
    report = run_scrutiny(everyone, ASOF, partnership=NORTH)
    (finding,) = [f for f in report.findings if f.rule == rule]
    assert finding.outcome == "no-partners"
    assert "name no safeguarding partner organisation" in finding.message and "lscp:safeguardingPartner" in finding.message
    if rule == "LSP":
        assert "People given as partners: Dana Kay, Sam Patel" in finding.message
        assert {e["start_line"] for e in finding.evidence} == {1, 3}
    status = {r["id"]: r["status"] for r in report.partnerships[0]["requirements"]}
    assert status[rule] == "fail"


def test_rapid_reviews_recognised_through_the_function_not_the_words(everyone):
    report = run_scrutiny(everyone, ASOF, partnership=NORTH)
    (passed,) = [p for p in report.passes if p.rule == "RR"]
    assert passed.message == ("conducting rapid reviews: Case Review Group is responsible for “Triage serious "
                              "incident referrals and decide which need a local review”.")
    assert [f.message for f in report.findings if f.rule == "RR"] == [
        "No responsibility in the arrangements of Northshire Safeguarding Children Partnership covers "
        "notifying incidents to the National Panel."]


def test_words_alone_no_longer_pass_a_structural_rule(tmp_path):
    """Exampleshire's practice review group, its functions removed: its words no longer count."""
    text = EXAMPLESHIRE.read_text(encoding="utf-8")
    for function in ("identifying-serious-cases", "rapid-reviews", "notifying-national-panel"):
        text = text.replace(f"lscp:function lscp:function-{function} ;", "")
    stripped = tmp_path / "exampleshire.trig"
    stripped.write_text(text, encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "exampleshire.txt").write_text((FIXTURES / "sources" / "exampleshire.txt").read_text())
    report = run_scrutiny(load_knowledge_graph([COMMON, stripped], include_shipped=False), ASOF)
    assert {f.message.split(" covers ")[-1] for f in report.findings if f.rule in ("RR", "LCSPR")} == {
        "conducting rapid reviews.", "notifying incidents to the National Panel.",
        "identifying serious child safeguarding cases or incidents."}


def test_education_is_recognised_by_sector(pooled):
    (passed,) = [p for p in pooled.of(EXAMPLE) if p.rule == "EDU"]
    assert "Education Board of headteachers" in passed.message
    assert {e["start_line"] for e in passed.evidence} == {10}


def test_a_threshold_document_is_recognised_however_it_is_named(tmp_path):
    extra = tmp_path / "continuum.trig"
    extra.write_text(BARESHIRE.read_text(encoding="utf-8").replace(
        "lscp:documentStatus \"in draft\" ;\n        lscp:thresholdLevel ex:need .",
        "lscp:documentStatus \"published\" .\n    ex:levels-of-need a lscp:ThresholdDocument ."), encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "bareshire.txt").write_text((FIXTURES / "sources" / "bareshire.txt").read_text())
    report = run_scrutiny(load_knowledge_graph([COMMON, extra], include_shipped=False), ASOF)
    (passed,) = [p for p in report.passes if p.rule == "THRESH"]
    assert passed.message == ("Levels of Need is published as the threshold document of Bareshire Safeguarding "
                              "Children Partnership (levels of need: (none)).")


def test_cli_reports_one_section_per_partnership_and_takes_partnership():
    data = [f"--data={p}" for p in (EXAMPLESHIRE, NORTHSHIRE)]
    result = CliRunner().invoke(main, ["scrutinise", "--as-of", ASOF, *data])
    assert result.exit_code == 0, result.output
    sections = [line for line in result.output.splitlines() if line.startswith("== ")]
    assert sections == ["== Exampleshire Safeguarding Children Partnership ==",
                        "== Lewisham Safeguarding Children Partnership ==",
                        "== Northshire Safeguarding Children Partnership =="]
    one = CliRunner().invoke(main, ["scrutinise", "--as-of", ASOF, "--format", "json",
                                    "--partnership", "id/partnership/northshire", *data])
    assert one.exit_code == 0, one.output
    assert {f["partnership"]["iri"] for f in json.loads(one.output)["findings"]} == {NORTH}
    bad = CliRunner().invoke(main, ["scrutinise", "--partnership", "id/partnership/nowhere", *data])
    assert bad.exit_code == 2 and "no safeguarding partnership" in bad.output


@pytest.fixture(scope="module")
def client(everyone):
    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": everyone, "QUERY_TIME_LIMIT": 120.0, "QUERY_WORKERS": 1})
    yield app.test_client()
    app.extensions["lscp_kg"].runner.close()


def test_service_scrutiny_per_partnership(client):
    page = client.get(f"/scrutiny?asof={ASOF}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for label in ("Exampleshire", "Lewisham", "Northshire", "Bareshire"):
        assert f"<h2>{label} Safeguarding Children Partnership</h2>" in html
    assert 'id="p1-requirement-EDU"' in html and '<select id="partnership" name="partnership">' in html
    one = client.get(f"/scrutiny.json?asof={ASOF}&partnership=id/partnership/northshire")
    assert one.status_code == 200
    data = one.json
    assert data["partnership"]["iri"] == NORTH and {f["partnership"]["iri"] for f in data["findings"]} == {NORTH}
    negotiated = client.get(f"/scrutiny?asof={ASOF}&partnership={NORTH}", headers={"Accept": "application/json"})
    assert negotiated.json["partnership"]["iri"] == NORTH
    only = client.get(f"/scrutiny?asof={ASOF}&partnership={NORTH}").get_data(as_text=True)
    assert "<h2>Northshire Safeguarding Children Partnership</h2>" in only and "<h2>Exampleshire" not in only


@pytest.mark.parametrize("value", ["id/partnership/nowhere", "not an iri", "id/exampleshire/council"])
def test_service_refuses_an_unknown_partnership_with_400(client, value):
    response = client.get("/scrutiny.json", query_string={"asof": ASOF, "partnership": value})
    assert response.status_code == 400
    assert "partnership" in response.get_data(as_text=True)


# Questions across partnerships.

def run_named(kg, name, **params):
    from lscp_kg.named_queries import load_named_queries

    query = load_named_queries()[name]
    result = kg.query(query.sparql, substitutions=query.bind(params, kg.base_iri))
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_people_across_partnerships_lists_both_partnerships_with_their_quotes(everyone):
    rows = run_named(everyone, "people-across-partnerships")
    assert {r["personLabel"] for r in rows} == {"Dana Kay"}
    by_partnership = {r["partnershipLabel"]: r for r in rows}
    assert set(by_partnership) == {"Exampleshire Safeguarding Children Partnership",
                                   "Northshire Safeguarding Children Partnership"}
    assert by_partnership["Exampleshire Safeguarding Children Partnership"]["quote"] == \
        "The partnership is chaired by Dana Kay, Independent Chair."
    assert by_partnership["Exampleshire Safeguarding Children Partnership"]["how"] == "holds the post"
    north = by_partnership["Northshire Safeguarding Children Partnership"]
    assert north["how"] == "has the seat" and north["quote"].startswith("Dana Kay sits on the Northshire Safeguarding Board")


def test_nobody_is_across_partnerships_in_one_partnership():
    assert run_named(load_knowledge_graph(), "people-across-partnerships") == []


def test_health_seats_on_a_body_by_sector_not_by_name():
    rows = run_named(load_knowledge_graph(), "seats-by-sector", body="id/lewisham/body/partnership-group")
    members = {r["memberLabel"] for r in rows}
    assert members == {"NHS England", "South London and Maudsley NHS Trust", "Lewisham and Greenwich NHS Trust",
                       "NHS Lewisham Clinical Commissioning Group"}
    nhs_england = next(r for r in rows if r["memberLabel"] == "NHS England")
    # NHS England's sector is not stated by the source: it comes with its citation.
    assert nhs_england["memberSectorLabel"] == "NHS England" and "renamed NHS England" in nhs_england["sectorSource"]
    police = run_named(load_knowledge_graph(), "seats-by-sector", body="id/lewisham/body/partnership-group",
                       sector=BASE + "ontology#sector-police")
    assert {r["memberLabel"] for r in police} == {"Metropolitan Police"}


def test_meeting_frequency_as_a_duration_keeps_the_body(everyone):
    rows = run_named(everyone, "meeting-frequencies", partnership="id/partnership/northshire")
    assert [(r["bodyLabel"], r["interval"], r["asStated"]) for r in rows] == [
        ("Northshire Safeguarding Board", "P6W", "every six weeks")]


@pytest.mark.parametrize("name", ["source-issues", "ceased-organisations"])
def test_whole_graph_questions_take_an_optional_partnership(everyone, name):
    every = run_named(everyone, name)
    lewisham = run_named(everyone, name, partnership="id/partnership/lewisham")
    assert lewisham and {r["partnership"] for r in lewisham} == {LEWISHAM}
    assert run_named(everyone, name, partnership="id/partnership/northshire") == []
    assert len(every) >= len(lewisham)


def test_partners_without_lead_representative_posts_fail_with_findings_that_say_so(tmp_path):
    text = BARESHIRE.read_text(encoding="utf-8").replace(
        "org:postIn ex:council ; org:role lscp:LeadRepresentativeRole ; lscp:accountableFor ex:council ;",
        "org:postIn ex:council ;")
    data = tmp_path / "bareshire.trig"
    data.write_text(text, encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "bareshire.txt").write_text((FIXTURES / "sources" / "bareshire.txt").read_text())
    report = run_scrutiny(load_knowledge_graph([COMMON, data], include_shipped=False), ASOF)
    messages = {f.rule: f.message for f in report.findings if f.rule in ("LSP", "DSP")}
    assert messages == {
        "LSP": "No lead representative accountable for Bareshire Council is named in the arrangements of "
               "Bareshire Safeguarding Children Partnership.",
        "DSP": "No lead representative of Bareshire Council is named, so no delegated safeguarding partner is either."}
    status = {r["id"]: r["status"] for r in report.partnerships[0]["requirements"]}
    assert status["LSP"] == status["DSP"] == "fail"


def test_standalone_html_report_has_a_section_per_partnership():
    result = CliRunner().invoke(main, ["scrutinise", "--as-of", ASOF, "--format", "html",
                                       f"--data={EXAMPLESHIRE}", f"--data={NORTHSHIRE}"])
    assert result.exit_code == 0, result.output
    for label in ("Exampleshire", "Lewisham", "Northshire"):
        assert f"<h2>{label} Safeguarding Children Partnership</h2>" in result.output
    assert 'id="p3-requirement-RR"' in result.output and "<script" not in result.output
