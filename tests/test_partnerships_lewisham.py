"""Lewisham's data is structural: every organisation carries its sector (stated by
the passage whose words give it, or by a cited external source), responsibilities
carry functions, and the legal-framework list is its own relation."""

from __future__ import annotations

import pytest

from lscp_kg.namespaces import LSCP

#: Kinds of organisation that are not agencies with a sector: the partnership, its bodies, boards it works with.
NOT_AGENCIES = "lscp:SafeguardingPartnership lscp:SafeguardingChildrenBoard lscp:Board lscp:MultiAgencySafeguardingHub"


def _rows(kg, sparql):
    result = kg.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_every_organisation_carries_a_sector_of_the_scheme(kg):
    rows = _rows(kg, f"""SELECT ?o ?sector ?kind WHERE {{
        ?o a ?t . ?t rdfs:subClassOf* org:Organization .
        FILTER NOT EXISTS {{ ?o a ?x . VALUES ?x {{ {NOT_AGENCIES} }} }}
        FILTER NOT EXISTS {{ ?o a/rdfs:subClassOf* lscp:Body }}
        OPTIONAL {{ ?o lscp:sector ?sector . ?sector skos:inScheme lscp:OrganisationSectors .
                   GRAPH ?g {{ ?o lscp:sector ?sector }} ?g a ?kind }} }}""")
    assert len({r["o"] for r in rows}) == 28
    assert [r["o"] for r in rows if r["sector"] is None] == []
    assert {r["kind"] for r in rows} <= {LSCP + "SourcePassage", LSCP + "ExternalCitation"}


@pytest.mark.parametrize("organisation, sector, citation", [
    ("id/org/nhs-england", "sector-nhs-england", "id/citation/health-and-care-act-2022-nhs-england"),
    ("id/org/national-safeguarding-practice-review-panel", "sector-central-government", "id/citation/children-act-2004-s16B"),
    ("id/lewisham/community-rehabilitation-company", "sector-probation", "id/citation/probation-reform-2021"),
])
def test_sectors_the_source_does_not_state_carry_their_citation(kg, iri, organisation, sector, citation):
    rows = _rows(kg, f"""SELECT ?g ?cited WHERE {{ GRAPH ?g {{ <{iri(organisation)}> lscp:sector lscp:{sector} }}
        ?g a lscp:ExternalCitation ; dcterms:bibliographicCitation ?cited }}""")
    assert [r["g"] for r in rows] == [iri(citation)] and rows[0]["cited"]


def test_health_organisations_are_health_by_the_scheme(kg):
    rows = _rows(kg, """SELECT ?label WHERE { ?o lscp:sector/skos:broader* lscp:sector-health ; rdfs:label ?label }""")
    assert {r["label"] for r in rows} == {
        "NHS England", "NHS South East London Integrated Care Board", "NHS Lewisham Clinical Commissioning Group",
        "South London and Maudsley NHS Trust", "Lewisham and Greenwich NHS Trust"}


def test_review_training_and_audit_responsibilities_carry_functions_in_their_passage(kg):
    rows = _rows(kg, """SELECT ?r ?f WHERE { GRAPH ?g { ?r lscp:function ?f ; rdfs:label ?l } ?g a lscp:SourcePassage .
        ?f skos:inScheme lscp:ResponsibilityFunctions }""")
    functions = {r["f"].rsplit("#", 1)[1] for r in rows}
    assert functions >= {"function-rapid-reviews", "function-notifying-national-panel", "function-identifying-serious-cases",
                         "function-commissioning-practice-reviews", "function-publishing-practice-reviews",
                         "function-training-needs", "function-training-evaluation", "function-audit"}


def test_the_legal_framework_list_is_its_own_relation(kg, iri):
    partnership = iri("id/partnership/lewisham")
    listed = _rows(kg, f"SELECT ?d WHERE {{ <{partnership}> lscp:legalFramework ?d }}")
    governed = _rows(kg, f"SELECT ?d WHERE {{ <{partnership}> lscp:followsGuidance ?d }}")
    assert len(listed) == 10
    assert [r["d"] for r in governed] == [iri("id/doc/working-together-2023")]
    assert not {r["d"] for r in listed} & {r["d"] for r in governed}
