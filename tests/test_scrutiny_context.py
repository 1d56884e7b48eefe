"""Scrutiny in the partnership's context: adding a partnership that shares
organisations with others changes nothing in their reports, byte for byte.

Riverside (below, fictional) shares the Metropolitan Police and NHS South
East London ICB with Lewisham: its own lead representatives accountable for
them and its own delegated officers, its own names for the Met, its own
source issue, and its own mention of the ceased NHS Lewisham CCG with its
own citation that the CCG had ceased. Lewisham's and Exampleshire's reports
(JSON, text and HTML) must be the same with and without it, and in a graph
holding every test partnership each one's report must be what it is alone,
resting only on its own graphs and the common data.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from lscp_kg.scrutiny import ScrutinyReport, run_scrutiny
from lscp_kg.scrutiny_render import render_html, render_text
from lscp_kg.store import load_knowledge_graph
from lscp_kg.locations import SHIPPED_DATA_DIR

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scrutiny"
COMMON = SHIPPED_DATA_DIR / "common"
BASE = "https://lscp-kg.example.org/"
LEWISHAM, EXAMPLESHIRE, RIVERSIDE = (BASE + f"id/partnership/{n}" for n in ("lewisham", "exampleshire", "riverside"))
#: Before NHS Lewisham CCG ceased (2022-07-01) and after.
DATES = ["2022-06-01", "2026-11-26"]

RIVERSIDE_TRIG = """
@prefix lscp:    <https://lscp-kg.example.org/ontology#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix schema:  <https://schema.org/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix rv:      <id/riverside/> .
@prefix rvp:     <id/riverside/passage/> .
@prefix shared:  <id/org/> .

# A made-up partnership (a test fixture, not a real one) beside Lewisham, sharing two of its partners.

<id/source/riverside-arrangements> {
    <id/source/riverside-arrangements> a lscp:SourceDocument ; lscp:partnershipContext <id/partnership/riverside> ;
        rdfs:label "Riverside Safeguarding Children Partnership: our arrangements (test fixture)" .
}

rvp:L1 {
    rvp:L1 a lscp:SourcePassage ; lscp:source <id/source/riverside-arrangements> ;
        lscp:partnershipContext <id/partnership/riverside> ; lscp:startLine 1 ; lscp:endLine 1 ;
        prov:value "Riverside Safeguarding Children Partnership, published by the partnership since 2019." .
    <id/partnership/riverside> a lscp:SafeguardingPartnership ; rdfs:label "Riverside Safeguarding Children Partnership" ;
        schema:startDate "2019"^^xsd:gYear .
    <id/source/riverside-arrangements> dcterms:publisher <id/partnership/riverside> .
}

rvp:L2 {
    rvp:L2 a lscp:SourcePassage ; lscp:source <id/source/riverside-arrangements> ;
        lscp:partnershipContext <id/partnership/riverside> ; lscp:startLine 2 ; lscp:endLine 2 ;
        prov:value "Our partners are Riverside Council, the MPS and NHS South East London ICB." .
    <id/partnership/riverside> lscp:safeguardingPartner rv:council , shared:metropolitan-police , shared:nhs-south-east-london-icb .
    rv:council a lscp:LocalAuthority ; rdfs:label "Riverside Council" .
    shared:metropolitan-police a lscp:PoliceForce ; rdfs:label "Metropolitan Police" ; lscp:nameUsed "the MPS" .
    shared:nhs-south-east-london-icb a lscp:IntegratedCareBoard ; rdfs:label "NHS South East London Integrated Care Board" .
}

rvp:L3 {
    rvp:L3 a lscp:SourcePassage ; lscp:source <id/source/riverside-arrangements> ;
        lscp:partnershipContext <id/partnership/riverside> ; lscp:startLine 3 ; lscp:endLine 3 ;
        prov:value "The lead representatives are our chief executive, the Met's Assistant Commissioner and the accountable officer of the clinical commissioning group." .
    rv:chief-executive a org:Post ; rdfs:label "Chief Executive, Riverside Council" ; org:postIn rv:council ;
        org:role lscp:LeadRepresentativeRole ; lscp:accountableFor rv:council .
    rv:assistant-commissioner a org:Post ; rdfs:label "Assistant Commissioner, Metropolitan Police (Riverside)" ;
        org:postIn shared:metropolitan-police ; org:role lscp:LeadRepresentativeRole ;
        lscp:accountableFor shared:metropolitan-police .
    rv:icb-accountable-officer a org:Post ; rdfs:label "Accountable officer for Riverside, NHS South East London ICB" ;
        lscp:describedAs "the accountable officer of the clinical commissioning group" ;
        org:postIn shared:nhs-south-east-london-icb ; org:role lscp:LeadRepresentativeRole ;
        lscp:accountableFor shared:nhs-south-east-london-icb .
    shared:metropolitan-police lscp:nameUsed "the Met" .
}

rvp:L4 {
    rvp:L4 a lscp:SourcePassage ; lscp:source <id/source/riverside-arrangements> ;
        lscp:partnershipContext <id/partnership/riverside> ; lscp:startLine 4 ; lscp:endLine 4 ;
        prov:value "They delegate to Ria Vale, Director of Children's Services; Rob Banks, Detective Chief Superintendent; and Rhea Moss, Chief Nurse." .
    rv:chief-executive lscp:delegatesTo rv:director-of-childrens-services .
    rv:assistant-commissioner lscp:delegatesTo rv:detective-chief-superintendent .
    rv:icb-accountable-officer lscp:delegatesTo rv:chief-nurse .
    rv:director-of-childrens-services a org:Post ; rdfs:label "Director of Children's Services, Riverside Council" ;
        org:postIn rv:council ; org:role lscp:DelegatedSeniorOfficerRole .
    rv:detective-chief-superintendent a org:Post ; rdfs:label "Detective Chief Superintendent, Metropolitan Police (Riverside)" ;
        org:postIn shared:metropolitan-police ; org:role lscp:DelegatedSeniorOfficerRole .
    rv:chief-nurse a org:Post ; rdfs:label "Chief Nurse for Riverside, NHS South East London ICB" ;
        org:postIn shared:nhs-south-east-london-icb ; org:role lscp:DelegatedSeniorOfficerRole .
    <id/person/ria-vale> a foaf:Person ; rdfs:label "Ria Vale" ; org:holds rv:director-of-childrens-services .
    <id/person/rob-banks> a foaf:Person ; rdfs:label "Rob Banks" ; org:holds rv:detective-chief-superintendent .
    <id/person/rhea-moss> a foaf:Person ; rdfs:label "Rhea Moss" ; org:holds rv:chief-nurse .
}

rvp:L5 {
    rvp:L5 a lscp:SourcePassage ; lscp:source <id/source/riverside-arrangements> ;
        lscp:partnershipContext <id/partnership/riverside> ; lscp:startLine 5 ; lscp:endLine 5 ;
        prov:value "The Riverside Executive: Metropolitan Police Service; Lewisham CCG (health)." .
    rv:executive a lscp:Body ; rdfs:label "Riverside Executive" ; lscp:partnershipOf <id/partnership/riverside> .
    rv:seat-police a org:Membership ; rdfs:label "Riverside Executive: police" ;
        org:organization rv:executive ; org:member shared:metropolitan-police .
    rv:seat-health a org:Membership ; rdfs:label "Riverside Executive: health" ;
        org:organization rv:executive ; org:member shared:nhs-lewisham-ccg .
    shared:metropolitan-police lscp:nameUsed "Metropolitan Police Service" .
    shared:nhs-lewisham-ccg a lscp:ClinicalCommissioningGroup ; rdfs:label "NHS Lewisham Clinical Commissioning Group" ;
        lscp:nameUsed "Lewisham CCG" .
}

rvp:L6 {
    rvp:L6 a lscp:SourcePassage ; lscp:source <id/source/riverside-arrangements> ;
        lscp:partnershipContext <id/partnership/riverside> ; lscp:startLine 6 ; lscp:endLine 6 ;
        prov:value "Our threshold document is being revised." .
    rv:issue-threshold a lscp:SourceIssue ; rdfs:label "Riverside: threshold document's status unclear" ;
        rdfs:comment "The arrangements say the threshold document is being revised but not whether a version is published." ;
        lscp:concerns shared:metropolitan-police .
}

<id/citation/riverside-ccgs-ended> {
    <id/citation/riverside-ccgs-ended> a lscp:ExternalCitation ; lscp:partnershipContext <id/partnership/riverside> ;
        dcterms:bibliographicCitation "Riverside test fixture: a notice that clinical commissioning groups ended on 1 July 2022." .
    shared:nhs-lewisham-ccg lscp:ceasedNoLaterThan "2022-07-01"^^xsd:date ;
        lscp:functionsTransferredTo shared:nhs-south-east-london-icb .
}
"""


@pytest.fixture(scope="module")
def riverside(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("riverside") / "riverside.trig"
    path.write_text(RIVERSIDE_TRIG, encoding="utf-8")
    return path


def every_form(report: ScrutinyReport) -> dict[str, str]:
    """The report as the CLI's JSON, plain text and standalone HTML."""
    return {"json": json.dumps(report.to_dict(), indent=2, ensure_ascii=False),
            "text": render_text(report, verbose=True), "html": render_html(report)}


def forms_of(kg, partnership: str, asof: str) -> dict[str, str]:
    return every_form(run_scrutiny(kg, asof, partnership=partnership))


def assert_same(alone: dict[str, str], together: dict[str, str]) -> None:
    for form in alone:
        assert together[form] == alone[form], f"the {form} report changed"


@pytest.fixture(scope="module")
def lewisham_alone():
    return load_knowledge_graph()


@pytest.fixture(scope="module")
def lewisham_with_riverside(riverside):
    return load_knowledge_graph([riverside])


@pytest.mark.parametrize("asof", DATES)
def test_lewisham_report_is_the_same_with_a_partnership_sharing_its_police_and_icb(lewisham_alone, lewisham_with_riverside, asof):
    assert_same(forms_of(lewisham_alone, LEWISHAM, asof), forms_of(lewisham_with_riverside, LEWISHAM, asof))


@pytest.mark.parametrize("asof", DATES)
def test_exampleshire_report_is_the_same_with_riverside(riverside, asof):
    without = load_knowledge_graph([FIXTURES / "exampleshire.trig"])
    together = load_knowledge_graph([FIXTURES / "exampleshire.trig", riverside])
    assert_same(forms_of(without, EXAMPLESHIRE, asof), forms_of(together, EXAMPLESHIRE, asof))


def test_riverside_is_judged_on_its_own_officers_and_lewisham_on_its_own(lewisham_with_riverside):
    """The fixture really shares: the Met and the ICB are judged for both, each on its own officers."""
    report = run_scrutiny(lewisham_with_riverside, "2026-11-26")
    riverside_posts = {r["iri"] for r in _entities(report.of(RIVERSIDE)) if "/riverside/" in r["iri"]}
    assert BASE + "id/riverside/assistant-commissioner" in riverside_posts
    assert BASE + "id/riverside/detective-chief-superintendent" in riverside_posts
    for result in report.of(LEWISHAM):
        assert not [e for e in result.entities if "/riverside/" in e["iri"]], result.message
        assert not [e for e in result.evidence if "riverside" in e["graph"] + (e.get("source") or "")], result.message
    dsp = {r.message for r in report.of(RIVERSIDE) if r.rule == "DSP" and r.passed}
    assert any("Rob Banks" in m for m in dsp) and not any("Simon Dilkes" in m for m in dsp)
    # Riverside's own findings: its source issue, its CCG seat, its outdated description, its names for the Met.
    found = {r.rule for r in report.of(RIVERSIDE) if not r.passed}
    assert {"SOURCE-ISSUE", "CEASED-ORG", "OUTDATED-LEAD-REP"} <= found
    assert not [r for r in report.of(LEWISHAM) if r.rule == "NAMES" and BASE + "id/org/metropolitan-police" in
                {e["iri"] for e in r.entities}]


def _entities(results) -> list[dict]:
    return [e for r in results for e in r.entities]


# Every test partnership together: each one's report is what it is alone.

def _alone(name: str, riverside: Path):
    if name == "lewisham":
        return load_knowledge_graph()
    # Northshire names Dana Kay, whom Exampleshire's file describes (a person shared on purpose): her name
    # comes from there, so Northshire is judged with it; the report must not change with anyone else.
    files = {"exampleshire": [FIXTURES / "exampleshire.trig", FIXTURES / "flaws"],
             "bareshire": [FIXTURES / "bareshire.trig"],
             "northshire": [FIXTURES / "northshire.trig", FIXTURES / "exampleshire.trig"],
             "riverside": [riverside]}[name]
    return load_knowledge_graph([COMMON, *files], include_shipped=False)


@pytest.fixture(scope="module")
def pooled(riverside):
    return load_knowledge_graph([FIXTURES / "exampleshire.trig", FIXTURES / "flaws", FIXTURES / "bareshire.trig",
                                 FIXTURES / "northshire.trig", riverside])


@pytest.mark.parametrize("name", ["lewisham", "exampleshire", "bareshire", "northshire", "riverside"])
def test_each_partnership_s_findings_are_its_own(pooled, riverside, name):
    partnership, asof = BASE + f"id/partnership/{name}", "2026-06-01"
    assert_same(forms_of(_alone(name, riverside), partnership, asof), forms_of(pooled, partnership, asof))


def test_every_result_rests_on_its_partnership_s_graphs_or_the_common_data(pooled):
    report = run_scrutiny(pooled, "2026-06-01")
    contexts = {row["g"].value: row["p"].value for row in pooled.query(
        "SELECT ?g ?p WHERE { GRAPH ?g { ?g lscp:partnershipContext ?p } }")}
    assert len({r.partnership["iri"] for r in report.results if r.partnership}) == 5
    for result in report.results:
        owner = (result.partnership or {}).get("iri")
        foreign = [e["graph"] for e in result.evidence if contexts.get(e["graph"], owner) != owner]
        assert not foreign, f"{result.rule} about {owner} rests on another partnership's graphs: {foreign}"


@pytest.mark.parametrize("asof", ["2019-01-01", "2026-06-01"])
def test_one_partnership_s_report_is_its_part_of_the_whole_report(pooled, asof):
    """Asked for one partnership, the rules run with ``?partnership`` bound (fast at 150 partnerships); the
    results must be exactly that partnership's results in the report on every partnership, run unbound."""
    whole = run_scrutiny(pooled, asof)
    owners = sorted({r.partnership["iri"] for r in whole.results if r.partnership})
    assert len(owners) == 5
    for owner in owners:
        alone = run_scrutiny(pooled, asof, partnership=owner)
        assert [asdict(r) for r in alone.results] == [asdict(r) for r in whole.of(owner)], owner
