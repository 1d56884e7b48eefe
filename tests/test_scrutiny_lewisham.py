"""Acceptance: the scrutiny checks on the Lewisham arrangements. Every finding
and every passed requirement check cites passages that can be read, verbatim,
at their lines of the source text."""

from __future__ import annotations

import pytest

from lscp_kg.provenance import fold_space
from lscp_kg.scrutiny import run_scrutiny
from lscp_kg.locations import SHIPPED_DATA_DIR

SOURCE = (SHIPPED_DATA_DIR / "lewisham" / "sources" / "our-partnership-arrangements.txt").read_text(encoding="utf-8").split("\n")
TODAY = "2026-11-26"


@pytest.fixture(scope="module")
def report(kg):
    return run_scrutiny(kg, TODAY)


def findings(report, rule, iri=None):
    found = [f for f in report.findings if f.rule == rule]
    return [f for f in found if iri is None or iri in {e["iri"] for e in f.entities}]


def quotes(result) -> str:
    return " | ".join(e["quote"] or e["citation"] or "" for e in result.evidence)


def test_ccg_named_as_a_current_member_though_ccgs_ceased(report, iri):
    (finding,) = findings(report, "CEASED-ORG", iri("id/org/nhs-lewisham-ccg"))
    assert "2022-07-01" in finding.message and "NHS South East London Integrated Care Board" in finding.message
    assert "NHS Lewisham CCG - Joint Chair Managing Director" in quotes(finding)
    assert "replaced by integrated care boards on 1 July 2022" in quotes(finding)
    assert iri("id/lewisham/seat/partnership-group-02") in {e["iri"] for e in finding.entities}


def test_community_rehabilitation_company_named_though_it_ended(report, iri):
    (finding,) = findings(report, "CEASED-ORG", iri("id/lewisham/community-rehabilitation-company"))
    assert "2021-06-30" in finding.message and "Probation Service" in finding.message
    assert "Community Rehabilitation Company Area Manager" in quotes(finding)


def test_partnership_group_chaired_in_rotation_yet_three_joint_chairs(report, iri):
    (finding,) = findings(report, "CHAIR-CONFLICT", iri("id/lewisham/body/partnership-group"))
    assert "yearly rotation" in finding.message and "3 of its seats" in finding.message
    assert {e["start_line"] for e in finding.evidence} == {119, 122, 123, 124}
    (outside,) = findings(report, "CHAIR-OUTSIDE")
    assert outside.entities[0]["iri"] == iri("id/lewisham/seat/partnership-group-02")


def test_health_partner_named_as_a_board_and_as_a_system(report, iri):
    (finding,) = findings(report, "NAME-KINDS", iri("id/org/nhs-south-east-london-icb"))
    for name in ("NHS South East London ICB", "NHS Lewisham Integrated Care System (ICS)", "Lewisham Integrated Care Board"):
        assert name in finding.message
    assert findings(report, "NAMES", iri("id/org/nhs-south-east-london-icb"))


def test_health_lead_representative_described_as_a_ccg_officer(report, iri):
    (finding,) = findings(report, "OUTDATED-LEAD-REP", iri("id/lewisham/post/health-accountable-officer"))
    assert "the accountable officer of a clinical commissioning group" in finding.message
    assert 90 in {e["start_line"] for e in finding.evidence}


def test_documents_whose_period_has_passed(report, iri):
    ended = {e["iri"] for f in findings(report, "PERIOD-ENDED") for e in f.entities}
    assert iri("id/lewisham/doc/mou-2022-2023") in ended
    assert iri("id/lewisham/concept/strategic-priorities-2023-2025") in ended
    assert iri("id/lewisham/doc/communication-and-engagement-strategy-2024-2027") not in ended


def test_yearly_reports_not_listed_since_2022_2023(report):
    (finding,) = findings(report, "YR")
    assert finding.severity == "must"
    assert "No yearly report for 2023-2024, 2024-2025 is listed in the arrangements" in finding.message
    assert {e["start_line"] for e in finding.evidence} == {296, 300, 302}


@pytest.mark.parametrize("requirement", ["SP-DEF", "LSP", "DSP", "CHAIR", "IS", "IS-FUNC", "RA", "EDU", "THRESH",
                                         "LCSPR", "RR", "TRAIN", "FUND", "PUB"])
def test_requirements_the_arrangements_meet(report, requirement):
    statuses = {r["id"]: r["status"] for r in report.requirements}
    assert statuses[requirement] == "pass"
    assert any(p.requirement["id"] == requirement for p in report.passes)


def test_unchecked_requirements_say_so(report):
    statuses = {r["id"]: r["status"] for r in report.requirements}
    assert statuses["YR"] == "fail"
    assert {k for k, v in statuses.items() if v == "not checked"} == {"ARR-DUTY", "LSP-SIGN", "YR-SEND"}


def test_every_result_cites_passages_found_verbatim_at_their_lines(report):
    for result in report.findings + report.passes:
        assert result.entities and all(e["label"] for e in result.entities), result.rule
        assert result.evidence, f"{result.rule}: {result.message}"
        for evidence in result.evidence:
            if evidence["kind"] == "citation":
                assert evidence["citation"]
                continue
            span = fold_space("\n".join(SOURCE[evidence["start_line"] - 1: evidence["end_line"]]))
            assert fold_space(evidence["quote"]) in span


def test_as_of_mid_2022_the_ccg_had_not_yet_ceased_but_the_crc_had(kg, iri):
    earlier = run_scrutiny(kg, "2022-06-01")
    assert not findings(earlier, "CEASED-ORG", iri("id/org/nhs-lewisham-ccg"))
    assert findings(earlier, "CEASED-ORG", iri("id/lewisham/community-rehabilitation-company"))
    assert not findings(earlier, "OUTDATED-LEAD-REP")


def test_as_of_2025_the_strategic_priorities_were_current(kg, iri):
    ended = {e["iri"] for f in findings(run_scrutiny(kg, "2025-12-31"), "PERIOD-ENDED") for e in f.entities}
    assert iri("id/lewisham/concept/strategic-priorities-2023-2025") not in ended
    assert iri("id/lewisham/doc/mou-2022-2023") in ended
