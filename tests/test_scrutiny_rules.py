"""Each scrutiny rule on small test graphs: a partnership where nothing fires,
one flaw at a time added to it, and a partnership whose arrangements say
almost nothing (where every requirement check fails)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lscp_kg.scrutiny import ScrutinyReport, load_rules, run_scrutiny
from lscp_kg.store import load_knowledge_graph
from lscp_kg.locations import SHIPPED_DATA_DIR
from lscp_kg.validation import validate_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scrutiny"
#: The requirements, ceased kinds of organisation and legislation every partnership is judged by.
COMMON = SHIPPED_DATA_DIR / "common"
EXAMPLESHIRE = FIXTURES / "exampleshire.trig"
BARESHIRE = FIXTURES / "bareshire.trig"
FLAWS = FIXTURES / "flaws"
BASE = "https://lscp-kg.example.org/"


def scrutinise(*files: Path, asof: str = "2026-06-01") -> ScrutinyReport:
    """Scrutinise the test graphs (and the common requirements only, not the Lewisham data)."""
    kg = load_knowledge_graph([COMMON, *files], include_shipped=False)
    return run_scrutiny(kg, asof)


def fired(report: ScrutinyReport, rule: str) -> list:
    return [f for f in report.findings if f.rule == rule]


def entity_iris(results) -> set[str]:
    return {e["iri"] for r in results for e in r.entities}


REQUIREMENT_RULES = sorted(r.id for r in load_rules() if r.kind == "requirement")


@pytest.fixture(scope="module")
def clean():
    return scrutinise(EXAMPLESHIRE)


@pytest.fixture(scope="module")
def bare():
    return scrutinise(BARESHIRE)


def test_test_graphs_are_valid_data():
    kg = load_knowledge_graph([COMMON, EXAMPLESHIRE, BARESHIRE, FLAWS], include_shipped=False)
    report = validate_graph(kg)
    assert report.ok, report.as_text()


def test_nothing_fires_on_a_partnership_that_meets_every_check(clean):
    assert [(f.rule, f.message) for f in clean.findings] == []
    assert sorted({p.rule for p in clean.passes}) == REQUIREMENT_RULES
    for requirement in clean.requirements:
        checked = any(rule in REQUIREMENT_RULES for rule in requirement["rules"])
        assert requirement["status"] == ("pass" if checked else "not checked"), requirement["id"]


# (flaw file, the rule it makes fire, an entity the finding must concern, rules allowed to fire with it)
FLAW_CASES = [
    ("ceased-organisation.trig", "CEASED-ORG", "id/exampleshire/ccg", set()),
    ("chair-rotation-and-joint-chairs.trig", "CHAIR-CONFLICT", "id/exampleshire/partnership-board", {"CHAIR-OUTSIDE"}),
    ("chair-rotation-and-joint-chairs.trig", "CHAIR-OUTSIDE", "id/exampleshire/seat-chair-icb", {"CHAIR-CONFLICT"}),
    ("outdated-lead-representative.trig", "OUTDATED-LEAD-REP", "id/exampleshire/icb-chief-executive", set()),
    ("outdated-terms.trig", "OUTDATED-TERMS", "id/exampleshire/director-of-housing", set()),
    ("names-of-different-kinds.trig", "NAME-KINDS", "id/exampleshire/icb", {"NAMES"}),
    ("many-names.trig", "NAMES", "id/exampleshire/police", set()),
    ("period-ended.trig", "PERIOD-ENDED", "id/exampleshire/mou-2021-2022", set()),
    ("confirmed-until.trig", "CONFIRMED-UNTIL", "id/exampleshire/pilot-funding", set()),
    ("source-issue.trig", "SOURCE-ISSUE", "id/exampleshire/strategy", set()),
    ("police-ceased.trig", "SP-DEF", "id/exampleshire/police", {"CEASED-ORG"}),
    ("police-ceased.trig", "CEASED-ORG", "id/exampleshire/police", {"SP-DEF"}),
]


@pytest.mark.parametrize("flaw, rule, entity, also", FLAW_CASES, ids=[f"{c[1]}:{c[0]}" for c in FLAW_CASES])
def test_each_flaw_fires_its_rule_and_no_other(clean, flaw, rule, entity, also):
    report = scrutinise(EXAMPLESHIRE, FLAWS / flaw)
    found = fired(report, rule)
    assert found, f"{rule} did not fire on {flaw}"
    assert BASE + entity in entity_iris(found)
    assert {f.rule for f in report.findings} <= {rule} | also
    for finding in found:
        assert finding.message and "{" not in finding.message
        assert finding.evidence, "a finding cites the passages or citations it rests on"
        assert finding.requirement["iri"].startswith(BASE + "id/requirement/")
    assert not fired(clean, rule)


def test_chair_outside_spares_the_joint_chair_from_a_body_on_the_executive():
    report = scrutinise(EXAMPLESHIRE, FLAWS / "chair-rotation-and-joint-chairs.trig")
    assert BASE + "id/exampleshire/seat-chair-council" not in entity_iris(fired(report, "CHAIR-OUTSIDE"))


def test_name_kinds_lists_both_kinds_and_all_names():
    (finding,) = fired(scrutinise(EXAMPLESHIRE, FLAWS / "names-of-different-kinds.trig"), "NAME-KINDS")
    assert "Integrated care board" in finding.message and "Integrated care system" in finding.message
    assert "Example Integrated Care System (ICS)" in finding.message and "Example ICB" in finding.message


def test_outdated_lead_rep_quotes_the_words_and_the_citation():
    (finding,) = fired(scrutinise(EXAMPLESHIRE, FLAWS / "outdated-lead-representative.trig"), "OUTDATED-LEAD-REP")
    assert "the accountable officer of a clinical commissioning group" in finding.message
    kinds = {e["kind"] for e in finding.evidence}
    assert kinds == {"passage", "citation"}
    assert any("1 July 2022" in (e["citation"] or "") for e in finding.evidence)


@pytest.mark.parametrize("rule", REQUIREMENT_RULES)
def test_every_requirement_check_fails_on_arrangements_that_say_almost_nothing(bare, rule):
    if rule == "LSP":  # the one lead representative Bareshire names is there
        assert not fired(bare, rule) and [p for p in bare.passes if p.rule == rule]
        return
    found = fired(bare, rule)
    assert found, f"{rule} did not fail on Bareshire"
    assert all(f.kind == "requirement" and f.severity in ("must", "should", "note") for f in found)
    statuses = {r["iri"]: r["status"] for r in bare.requirements}
    assert statuses[found[0].requirement["iri"]] == "fail"


@pytest.mark.parametrize("rule, outcome", [("DSP", "unnamed"), ("CHAIR", "unheld"), ("THRESH", "unpublished"),
                                           ("YR", "none"), ("PUB", "fail")])
def test_partial_answers_are_reported_for_what_they_lack(bare, rule, outcome):
    assert outcome in {f.outcome for f in fired(bare, rule)}


def test_sp_def_names_each_missing_partner(bare):
    messages = " ".join(f.message for f in fired(bare, "SP-DEF"))
    assert "an integrated care board" in messages and "chief officer of police" in messages
    assert [p for p in bare.passes if p.rule == "SP-DEF"][0].entities[1]["iri"] == BASE + "id/bareshire/council"


def test_a_new_edition_of_the_guidance_is_a_data_change(tmp_path):
    edition = tmp_path / "new-edition.trig"
    edition.write_text((FIXTURES / "new-edition.trig.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert not fired(scrutinise(EXAMPLESHIRE), "SP-DEF")
    found = fired(scrutinise(EXAMPLESHIRE, edition), "SP-DEF")
    assert [f.message for f in found] == [
        "Exampleshire Safeguarding Children Partnership names no safeguarding partner that is an NHS trust (test edition)."]


# As-of dates: the same graph judged at different dates.

def test_yearly_reports_missing_once_their_years_are_over():
    assert not fired(scrutinise(EXAMPLESHIRE, asof="2026-12-31"), "YR")
    (finding,) = fired(scrutinise(EXAMPLESHIRE, asof="2028-01-01"), "YR")
    assert finding.outcome == "missing"
    assert "No yearly report for 2025-2026, 2026-2027 is listed in the arrangements" in finding.message
    assert {e["start_line"] for e in finding.evidence} == {15}


def test_a_period_given_in_years_lasts_to_the_end_of_its_last_year():
    assert not fired(scrutinise(EXAMPLESHIRE, asof="2027-12-31"), "PERIOD-ENDED")
    (finding,) = fired(scrutinise(EXAMPLESHIRE, asof="2028-01-01"), "PERIOD-ENDED")
    assert finding.entities[0]["iri"] == BASE + "id/exampleshire/strategy"


def test_a_full_date_of_ceasing_is_the_first_day_it_no_longer_exists():
    flaw = FLAWS / "ceased-organisation.trig"
    assert not fired(scrutinise(EXAMPLESHIRE, flaw, asof="2022-06-30"), "CEASED-ORG")
    assert fired(scrutinise(EXAMPLESHIRE, flaw, asof="2022-07-01"), "CEASED-ORG")


def test_a_month_lasts_to_its_last_day():
    flaw = FLAWS / "confirmed-until.trig"
    assert not fired(scrutinise(EXAMPLESHIRE, flaw, asof="2023-03-31"), "CONFIRMED-UNTIL")
    assert fired(scrutinise(EXAMPLESHIRE, flaw, asof="2023-04-01"), "CONFIRMED-UNTIL")


def test_outdated_terms_only_once_the_kind_has_ceased():
    flaw = FLAWS / "outdated-lead-representative.trig"
    assert not fired(scrutinise(EXAMPLESHIRE, flaw, asof="2022-06-30"), "OUTDATED-LEAD-REP")
    assert fired(scrutinise(EXAMPLESHIRE, flaw, asof="2022-07-01"), "OUTDATED-LEAD-REP")


def test_before_1_july_2022_the_health_partner_required_is_a_ccg():
    report = scrutinise(EXAMPLESHIRE, asof="2022-06-30")
    (finding,) = fired(report, "SP-DEF")
    assert "a clinical commissioning group (before 1 July 2022)" in finding.message
    assert not fired(scrutinise(EXAMPLESHIRE, asof="2022-07-01"), "SP-DEF")


def test_no_requirement_is_judged_before_the_partnership_began():
    report = scrutinise(EXAMPLESHIRE, asof="2020-03-31")
    assert [r for r in report.results if r.kind == "requirement"] == []
    assert {r["status"] for r in report.requirements} <= {"no result", "not checked"}


def bareshire_line_9(quote: str, facts: str) -> str:
    """TriG of a passage, line 9 of Bareshire's arrangements (quoting ``quote``), that says ``facts``."""
    return f"""
@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<id/bareshire/passage/L9> {{
    <id/bareshire/passage/L9> a lscp:SourcePassage ; lscp:source <id/source/bareshire-arrangements> ;
        lscp:partnershipContext <id/partnership/bareshire> ; lscp:startLine 9 ; lscp:endLine 9 ;
        prov:value "{quote}" .
{facts}
}}
"""


EDUCATION_PARTNER = bareshire_line_9("Schools are our fourth partner, through the Bareshire Education Partnership.", """
    <id/partnership/bareshire> lscp:additionalPartner <id/bareshire/education-partnership> .
    <id/bareshire/education-partnership> a org:Organization ; rdfs:label "Bareshire Education Partnership" ;
        lscp:sector lscp:sector-schools .""")

SCRUTINEER_POST = bareshire_line_9("Our independent scrutineer also chairs the partnership.", """
    <id/partnership/bareshire> lscp:scrutinyModel lscp:IndependentScrutineerModel .
    <id/bareshire/post/independent-scrutineer> a org:Post ; rdfs:label "Independent scrutineer and chair, Bareshire" ;
        org:postIn <id/partnership/bareshire> ; org:role lscp:IndependentScrutineerRole , lscp:ChairRole ;
        lscp:independent true .""")


@pytest.mark.parametrize("rule, added, entity", [
    ("EDU", EDUCATION_PARTNER, "id/bareshire/education-partnership"),  # education as an additional partner
    ("IS", SCRUTINEER_POST, "id/bareshire/post/independent-scrutineer"),  # a scrutineer post of the partnership
])
def test_a_passage_that_says_what_was_missing_meets_the_requirement(bare, tmp_path, rule, added, entity):
    assert fired(bare, rule)
    extra = tmp_path / "added.trig"
    extra.write_text(added, encoding="utf-8")
    report = scrutinise(BARESHIRE, extra)
    assert not fired(report, rule)
    (passed,) = [p for p in report.passes if p.rule == rule]
    assert BASE + entity in {e["iri"] for e in passed.entities}
    assert {e["start_line"] for e in passed.evidence} == {9}
