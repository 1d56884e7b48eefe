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


# Issue 16, item 6: every statement of Lewisham's page.

def test_every_line_that_states_something_is_cited_or_marked(kg):
    from lscp_kg.coverage import coverage_of, find_document

    report = coverage_of(kg, find_document(kg, "lewisham-our-partnership-arrangements"))
    counts = report.counts()
    assert counts["stating"] == 0, [line for line in report.lines if line.status == "stating"]
    assert counts.get("partly", 0) == 0, [line for line in report.lines if line.status == "partly"]
    assert counts["cited"] > 200 and 0 < counts["not-modelled"] < 20


def test_relevant_agencies_rest_on_the_lines_that_name_them(kg, iri):
    rows = _rows(kg, f"""SELECT ?agency ?label ?quote ?start ?end WHERE {{
        GRAPH ?g {{ <{iri("id/partnership/lewisham")}> lscp:relevantAgency ?agency }}
        ?g prov:value ?quote ; lscp:startLine ?start ; lscp:endLine ?end . ?agency rdfs:label ?label }}""")
    assert len({r["agency"] for r in rows}) == 15
    for row in rows:  # the sentence that calls them relevant agencies (line 117) and the table row naming each
        assert int(row["start"]) <= 117 and int(row["end"]) >= 142, row
        assert row["label"].replace("'", "’") in row["quote"].replace("'", "’"), row["label"]


def test_the_three_responses_to_the_inspection_and_who_gave_them(kg, iri):
    rows = _rows(kg, f"""SELECT ?response ?by ?kind WHERE {{
        ?response prov:wasAttributedTo ?by ; dcterms:references <{iri("id/lewisham/doc/jtai-report-2023")}> ;
                  dcterms:description ?words . ?by a ?kind .
        GRAPH ?g {{ ?response prov:wasAttributedTo ?by }} ?g lscp:partnershipContext <{iri("id/partnership/lewisham")}> }}""")
    people = {r["response"].rsplit("/", 1)[1]: set() for r in rows}
    for row in rows:
        people[row["response"].rsplit("/", 1)[1]].add(row["by"].split("/id/", 1)[1])
    assert people == {
        "response-lewisham-council": {"org/london-borough-of-lewisham", "person/chris-barnham"},
        "response-south-east-london-ics": {"org/nhs-south-east-london-icb", "person/ceri-jacob"},
        "response-metropolitan-police": {"org/metropolitan-police", "person/richard-mcdonagh"}}


def test_richard_mcdonagh_is_linked_to_the_metropolitan_police(kg, iri):
    rows = _rows(kg, f"""SELECT ?post ?label WHERE {{
        <{iri("id/person/richard-mcdonagh")}> org:holds ?post . ?post org:postIn <{iri("id/org/metropolitan-police")}> ;
        rdfs:label ?label }}""")
    assert [r["label"] for r in rows] == ["Local police lead for public protection, Metropolitan Police"]


def test_the_probation_seat_refers_to_the_probation_service_by_a_citation(kg, iri):
    rows = _rows(kg, f"""SELECT ?g ?cited WHERE {{
        <{iri("id/lewisham/seat/partnership-group-15")}> org:member ?member .
        GRAPH ?g {{ ?member dcterms:references <{iri("id/org/probation-service")}> }}
        ?g a lscp:ExternalCitation ; dcterms:bibliographicCitation ?cited }}""")
    assert len(rows) == 1 and "Probation Service" in rows[0]["cited"]


def test_the_inspections_further_findings_are_in_line_334(kg, iri):
    rows = _rows(kg, f"""SELECT ?finding WHERE {{ GRAPH ?g {{ <{iri("id/lewisham/doc/jtai-report-2023")}> lscp:finding ?finding }}
        ?g lscp:startLine 334 }}""")
    findings = " ".join(r["finding"] for r in rows)
    for words in ("mental health and youth offending services", "missing from home", "tenacious child-centred practice"):
        assert words in findings


@pytest.mark.parametrize("issue, concerns", [
    ("bi-monthly", "id/lewisham/body/executive-partnership"),
    ("ics-governing-body", "id/lewisham/ics-governing-body"),
    ("inspection-news-undated", "id/person/richard-mcdonagh"),
])
def test_the_sources_ambiguities_are_recorded(kg, iri, issue, concerns):
    rows = _rows(kg, f"""SELECT ?comment WHERE {{ <{iri("id/lewisham/issue/" + issue)}> a lscp:SourceIssue ;
        rdfs:comment ?comment ; lscp:concerns <{iri(concerns)}> }}""")
    assert len(rows) == 1 and rows[0]["comment"]


def test_every_normalised_value_keeps_the_sources_words_beside_it(kg, iri):
    """A date, number, yes/no or frequency term in a Lewisham passage or citation has the words it was read from
    (lscp:asWritten, or lscp:meetingFrequencyAsStated for how often a body meets) in the same graph."""
    rows = _rows(kg, f"""SELECT ?s ?p ?o WHERE {{
        GRAPH ?g {{ ?s ?p ?o }} ?g lscp:partnershipContext <{iri("id/partnership/lewisham")}> .
        FILTER ((isLiteral(?o) && DATATYPE(?o) IN (xsd:gYear, xsd:gYearMonth, xsd:date, xsd:integer, xsd:decimal,
                                                    xsd:boolean, xsd:duration)
                 && ?p NOT IN (lscp:startLine, lscp:endLine, lscp:stepOrder))
                || ?p IN (lscp:rotation, dcterms:accrualPeriodicity, lscp:holdingStatus, lscp:meetingFrequency))
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?s lscp:asWritten|lscp:meetingFrequencyAsStated ?words }} }} }}""")
    assert rows == []
    words = _rows(kg, "SELECT ?w WHERE { ?s lscp:asWritten ?w }")
    assert {"seven", "November 2022", "31.01.23", "March 2025", "yearly rotation"} <= {r["w"] for r in words}
