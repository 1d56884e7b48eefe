"""Every named query answers for one partnership from that partnership's own graphs.

A second partnership, Riverbrook (FICTIONAL: a test fixture, not a real partnership), shares the
Metropolitan Police, NHS South East London ICB, the Lewisham area and one person (Ceri Jacob) with
Lewisham, and has its own lead representatives, delegated officer, chair named only by post, report,
source issue, change event, ceased organisation, cross-border group and priorities. Adding it must
leave every Lewisham answer byte for byte as it was (issue 16), and Riverbrook's answers must hold its
facts only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_files import QUERIES_DIR
from lscp_kg.store import load_knowledge_graph

CASES = yaml.safe_load((Path(__file__).parent / "competency" / "questions.yaml").read_text(encoding="utf-8"))
LSCP = "https://lscp-kg.example.org/ontology#"
LEWISHAM, RIVERBROOK = "id/partnership/lewisham", "id/partnership/riverbrook"
#: Organisations both partnerships name: questions about one must not mix the two partnerships' facts.
SHARED = ("id/org/metropolitan-police", "id/org/nhs-south-east-london-icb", "id/person/ceri-jacob", "id/area/lewisham")
#: Questions about several partnerships at once (no partnership parameter by design).
ACROSS_PARTNERSHIPS = {"people-across-partnerships"}

# One statement per line; the TriG below quotes these lines.
SOURCE = """\
Riverbrook Safeguarding Children Partnership: our arrangements (FICTIONAL test fixture)
Our statutory safeguarding partners are Riverbrook Council, the Metropolitan Police and NHS South East London Integrated Care Board.
For the Metropolitan Police the Borough Commander is our lead representative, and delegates to the Detective Chief Inspector for Safeguarding, Alex Fenwick.
For the ICB the Chief Nurse is our lead representative.
The Riverbrook Executive meets monthly; the Metropolitan Police sits on it through its Detective Chief Inspector, and Dr Ceri Jacob sits on it as adviser.
The partnership is chaired by the council's chief executive.
The Bi-borough Exploitation Group, shared with Lewisham, meets quarterly.
Our annual report for 2023 to 2024 was published in October 2024.
NHS Riverbrook Clinical Commissioning Group sits on the Executive.
The Metropolitan Police leads on children missing from home.
The Integrated Care Board replaced NHS Riverbrook Clinical Commissioning Group in July 2022.
Our priority for 2024 to 2026 is tackling exploitation.
Our arrangements are underpinned by the Children Act 2004.
"""


def passage(line: int, facts: str) -> str:
    quote = SOURCE.splitlines()[line - 1].replace("\\", "\\\\").replace('"', '\\"')
    return f"""rbx:L{line} {{
    rbx:L{line} a lscp:SourcePassage ; lscp:source src:riverbrook-arrangements ; lscp:partnershipContext rp: ;
        lscp:startLine {line} ; lscp:endLine {line} ; prov:value "{quote}" .
{facts}
}}
"""


TRIG = """@prefix lscp:    <https://lscp-kg.example.org/ontology#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix schema:  <https://schema.org/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix freq:    <http://purl.org/cld/freq/> .
@prefix rb:      <id/riverbrook/> .
@prefix rbpost: <id/riverbrook/post/> .
@prefix rbbody: <id/riverbrook/body/> .
@prefix rbseat: <id/riverbrook/seat/> .
@prefix rbissue: <id/riverbrook/issue/> .
@prefix rbdoc:  <id/riverbrook/doc/> .
@prefix rbresponsibility: <id/riverbrook/responsibility/> .
@prefix rbconcept: <id/riverbrook/concept/> .
@prefix rbx:     <id/riverbrook/passage/> .
@prefix src:     <id/source/> .
@prefix rp:      <id/partnership/riverbrook> .
@prefix met:     <id/org/metropolitan-police> .
@prefix icb:     <id/org/nhs-south-east-london-icb> .
@prefix ccg:     <id/org/nhs-riverbrook-ccg> .

# FICTIONAL: Riverbrook is a made-up partnership for tests. It follows docs/adding-a-partnership.md:
# shared organisations keep their one label (the source's words are lscp:nameUsed).

src:riverbrook-arrangements {
    src:riverbrook-arrangements a lscp:SourceDocument ; lscp:partnershipContext rp: ;
        rdfs:label "Riverbrook Safeguarding Children Partnership: our arrangements (FICTIONAL test fixture)" ;
        lscp:textFile "riverbrook.txt" .
}

<id/citation/riverbrook-ccg-abolished> {
    <id/citation/riverbrook-ccg-abolished> a lscp:ExternalCitation ; lscp:partnershipContext rp: ;
        rdfs:label "FICTIONAL: NHS Riverbrook CCG abolished" ;
        dcterms:bibliographicCitation "FICTIONAL test citation: NHS Riverbrook CCG was abolished on 1 July 2022." .
    ccg: lscp:ceasedNoLaterThan "2022-07-01"^^xsd:date ; lscp:functionsTransferredTo icb: .
}
""" + passage(1, """    rp: a lscp:SafeguardingPartnership ; rdfs:label "Riverbrook Safeguarding Children Partnership" ;
        lscp:area <id/area/riverbrook> .
    <id/area/riverbrook> a lscp:LocalAuthorityArea ; rdfs:label "Riverbrook" .
    src:riverbrook-arrangements dcterms:publisher rp: .""") + passage(2, """    rp: lscp:safeguardingPartner <id/org/riverbrook-council> , met: , icb: .
    <id/org/riverbrook-council> a lscp:LocalAuthority ; rdfs:label "Riverbrook Council" .
    met: lscp:nameUsed "the Metropolitan Police" ; lscp:sector lscp:sector-police .""") + passage(3, """    rbpost:borough-commander a org:Post ; rdfs:label "Borough Commander (Riverbrook)" ;
        org:role lscp:LeadRepresentativeRole ; lscp:accountableFor met: ; lscp:delegatesTo rbpost:dci-safeguarding .
    rbpost:dci-safeguarding a org:Post ; rdfs:label "Detective Chief Inspector for Safeguarding (Riverbrook)" .
    <id/person/alex-fenwick> a foaf:Person ; rdfs:label "Alex Fenwick" ; org:holds rbpost:dci-safeguarding .""") \
    + passage(4, """    rbpost:chief-nurse a org:Post ; rdfs:label "Chief Nurse (Riverbrook)" ;
        org:role lscp:LeadRepresentativeRole ; lscp:accountableFor icb: .""") + passage(5, """    rbbody:executive a lscp:ExecutiveBody ; rdfs:label "Riverbrook Executive" ; lscp:partnershipOf rp: ;
        lscp:meetingFrequency freq:monthly .
    rbseat:met a lscp:Seat ; rdfs:label "Riverbrook Executive seat: Metropolitan Police" ;
        org:organization rbbody:executive ; org:member met: ; lscp:seatPost rbpost:dci-safeguarding ; org:role lscp:MemberRole .
    rbseat:adviser a lscp:Seat ; rdfs:label "Riverbrook Executive seat: adviser" ;
        org:organization rbbody:executive ; org:member <id/person/ceri-jacob> ; org:role lscp:MemberRole .
    <id/person/ceri-jacob> lscp:nameUsed "Dr Ceri Jacob" .""") + passage(6, """    rbpost:chair a org:Post ; rdfs:label "Chief Executive of Riverbrook Council, as chair" ;
        org:postIn rp: ; org:role lscp:ChairRole .""") + passage(7, """    rbbody:bi-borough-group a lscp:Subgroup ; rdfs:label "Bi-borough Exploitation Group" ; lscp:partnershipOf rp: ;
        lscp:area <id/area/riverbrook> , <id/area/lewisham> ; lscp:meetingFrequency freq:quarterly ; org:reportsTo rbbody:executive .
    rbissue:met-unit a lscp:SourceIssue ; rdfs:label "Which police unit is not said" ;
        rdfs:comment "FICTIONAL: the source names the Metropolitan Police but not its command unit." ;
        lscp:concerns met: , <id/area/lewisham> .""") + passage(8, """    rbdoc:annual-report-2023-2024 a lscp:AnnualReport ; rdfs:label "Riverbrook Annual Report 2023-2024" ;
        lscp:producedBy rp: ; schema:startDate "2023"^^xsd:gYear ; schema:endDate "2024"^^xsd:gYear ;
        dcterms:issued "2024-10"^^xsd:gYearMonth .""") + passage(9, """    ccg: a lscp:ClinicalCommissioningGroup ; rdfs:label "NHS Riverbrook Clinical Commissioning Group" .
    rbseat:ccg a lscp:Seat ; rdfs:label "Riverbrook Executive seat: NHS Riverbrook CCG" ;
        org:organization rbbody:executive ; org:member ccg: ; org:role lscp:MemberRole .""") \
    + passage(10, """    met: lscp:hasResponsibility rbresponsibility:missing-children .
    rbresponsibility:missing-children a lscp:Responsibility ; rdfs:label "Lead on children missing from home" .""") \
    + passage(11, """    rb:ccg-to-icb a org:ChangeEvent ; rdfs:label "NHS South East London ICB replaces NHS Riverbrook CCG" ;
        org:originalOrganization ccg: ; org:resultingOrganization icb: ; dcterms:date "2022-07"^^xsd:gYearMonth .""") \
    + passage(12, """    rbconcept:priorities-2024-2026 a skos:ConceptScheme ; rdfs:label "Riverbrook priorities 2024-2026" ;
        lscp:partnershipOf rp: ; schema:startDate "2024"^^xsd:gYear ; schema:endDate "2026"^^xsd:gYear .
    rbconcept:exploitation a lscp:StrategicPriority ; rdfs:label "Tackling exploitation" ;
        skos:inScheme rbconcept:priorities-2024-2026 .
    rbbody:bi-borough-group lscp:addressesPriority rbconcept:exploitation .""") \
    + passage(13, """    rp: lscp:underpinnedBy <http://www.legislation.gov.uk/id/ukpga/2004/31> .""")


@pytest.fixture(scope="module")
def riverbrook_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("riverbrook")
    (folder / "riverbrook.txt").write_text(SOURCE, encoding="utf-8")
    path = folder / "riverbrook.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def both(riverbrook_file):
    """Lewisham (the shipped data) and the fictional Riverbrook."""
    return load_knowledge_graph([riverbrook_file])


def all_queries(kg=None) -> dict:
    """The named queries and the home page's queries that take parameters, by name (defaults resolved on ``kg``)."""
    queries = load_named_queries(kg=kg)
    pages = load_named_queries(Path(QUERIES_DIR) / "pages", kg=kg)
    return {**queries, **{f"pages/{name}": query for name, query in pages.items() if query.parameters}}


def runs_for(query, name: str, partnership: str) -> list[dict]:
    """The parameter sets a query is asked with: its defaults (resolved on Lewisham alone), each competency
    case's values, and each shared entity where a parameter takes one; ``partnership`` given when it takes one."""
    params = {p.name: p for p in query.parameters}
    runs = [{}] + [dict(c.get("params", {})) for c in CASES if c["query"] == name]
    for param in query.parameters:
        if param.type == "iri" and param.name != "partnership":
            runs += [{param.name: entity} for entity in SHARED]
    for param in query.parameters:  # a required value with no default: one a competency case gives a kind it takes
        if param.required and param.default is None and param.default_rule is None and param.name != "partnership":
            runs = [dict(run, **{param.name: value}) for run in runs if param.name not in run
                    for value in competency_values(param)] + [run for run in runs if param.name in run]
    if "partnership" in params:
        runs = [dict(run, partnership=partnership) for run in runs]
    unique = {tuple(sorted(run.items())): run for run in runs}
    return list(unique.values())


def competency_values(param) -> list[str]:
    queries = load_named_queries()
    found = []
    for case in CASES:
        for key, value in case.get("params", {}).items():
            other = next((p for p in queries[case["query"]].parameters if p.name == key), None)
            if other is not None and set(other.classes) & set(param.classes) and value not in found:
                found.append(value)
    return found[:1]


def answer(kg, query, params: dict) -> bytes:
    """The answer as SPARQL JSON bytes, the parameters bound as the service binds them."""
    sparql, substitutions = query.prepare(params, kg.base_iri)
    return kg.query(sparql, substitutions=substitutions).serialize(format=ox.QueryResultsFormat.JSON)


def rows(kg, query, params: dict) -> list[dict]:
    sparql, substitutions = query.prepare(params, kg.base_iri)
    result = kg.query(sparql, substitutions=substitutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


EVERY = sorted(all_queries().items())


@pytest.mark.parametrize("name, query", EVERY, ids=[name for name, _ in EVERY])
def test_adding_a_partnership_leaves_lewisham_answers_byte_identical(name, query, kg, both):
    if name in ACROSS_PARTNERSHIPS:
        pytest.skip("a question about several partnerships: see test_people_across_partnerships_state_their_own_links")
    query = lewisham_queries(kg)[name]  # the defaults as they are with Lewisham alone, asked of both graphs
    takes_partnership = any(p.name == "partnership" for p in query.parameters)
    compared = 0
    for params in runs_for(query, name, LEWISHAM):
        alone = answer(kg, query, params)
        if takes_partnership or b'"partnership"' not in alone[:alone.index(b"]")]:
            assert answer(both, query, params) == alone, f"{name} {params}"
        else:  # one row per partnership (side by side): Lewisham's rows, in their order
            assert lewisham_rows(both, query, params) == lewisham_rows(kg, query, params), f"{name} {params}"
        compared += 1
    assert compared, f"{name} was never run"


def lewisham_rows(kg, query, params: dict) -> list[dict]:
    return [row for row in rows(kg, query, params) if row["partnership"] == kg.iri(LEWISHAM)]


_RESOLVED: dict = {}


def lewisham_queries(kg) -> dict:
    if "lewisham" not in _RESOLVED:
        _RESOLVED["lewisham"] = all_queries(kg)
    return _RESOLVED["lewisham"]


def own_terms(kg, partnership: str) -> set[str]:
    """The graphs of a partnership's context and the common graphs (no context)."""
    found = kg.query("SELECT DISTINCT ?g ?p0 WHERE { GRAPH ?g { ?s ?p ?o } "
                     "OPTIONAL { ?g lscp:partnershipContext ?c } FILTER (!BOUND(?c) || ?c = ?p0) }",
                     substitutions={ox.Variable("p0"): ox.NamedNode(kg.iri(partnership))})
    return {row["g"].value for row in found}


@pytest.mark.parametrize("name, query", EVERY, ids=[name for name, _ in EVERY])
def test_riverbrook_answers_hold_its_facts_only(name, query, both):
    if "partnership" not in {p.name for p in query.parameters}:
        pytest.skip("no partnership parameter")
    allowed = own_terms(both, RIVERBROOK)
    graphs = {q.graph_name.value for q in both.quads() if isinstance(q.graph_name, ox.NamedNode)}
    lewisham_own = both.iri("id/lewisham/")
    for params in runs_for(query, name, RIVERBROOK):
        for row in rows(both, query, params):
            for variable, value in row.items():
                if value in graphs:
                    assert value in allowed, f"{name} {params}: {variable} rests on {value}"
                assert not str(value or "").startswith(lewisham_own), f"{name} {params}: {variable} is Lewisham's {value}"


@pytest.fixture(scope="module")
def ask(both):
    queries = {name: query for name, query in load_named_queries(kg=both).items()}

    def run(name: str, **params) -> list[dict]:
        return rows(both, queries[name], params)

    return run


def test_each_partnership_has_its_own_lead_representatives_and_officers(ask, both):
    for partnership, lead, officer in [(RIVERBROOK, "Borough Commander (Riverbrook)", "Alex Fenwick"),
                                       (LEWISHAM, None, "Simon Dilkes")]:
        leads = ask("lead-representatives", partnership=partnership)
        officers = ask("delegated-officers", partnership=partnership)
        assert {r["partnership"] for r in leads + officers} == {both.iri(partnership)}
        assert officer in {r["officerLabel"] for r in officers}
        assert ({"Alex Fenwick", "Simon Dilkes"} - {officer}).isdisjoint({r["officerLabel"] for r in officers})
        if lead:
            assert {r["leadPostLabel"] for r in leads} == {lead, "Chief Nurse (Riverbrook)"}
    lewisham_leads = {r["leadPostLabel"] for r in ask("lead-representatives", partnership=LEWISHAM)}
    assert not any("Riverbrook" in label for label in lewisham_leads)


def test_riverbrook_questions_answer_from_its_own_passages(ask, both):
    chair = ask("chair-of-partnership", partnership=RIVERBROOK)
    assert [(r["chairPostLabel"], r["person"]) for r in chair] == [("Chief Executive of Riverbrook Council, as chair", None)]
    assert {r["title"] for r in ask("reports", partnership=RIVERBROOK)} == {"Riverbrook Annual Report 2023-2024"}
    assert {r["issueLabel"] for r in ask("source-issues", partnership=RIVERBROOK)} == {"Which police unit is not said"}
    assert {r["eventLabel"] for r in ask("changes-over-time", partnership=RIVERBROOK)} == \
        {"NHS South East London ICB replaces NHS Riverbrook CCG"}
    assert {r["organisationLabel"] for r in ask("ceased-organisations", partnership=RIVERBROOK)} == \
        {"NHS Riverbrook Clinical Commissioning Group"}
    groups = ask("cross-border-groups", partnership=RIVERBROOK)
    assert {(r["bodyLabel"], r["areaLabel"]) for r in groups} == \
        {("Bi-borough Exploitation Group", "Riverbrook"), ("Bi-borough Exploitation Group", "Lewisham")}
    assert {r["priorityLabel"] for r in ask("priorities", partnership=RIVERBROOK)} == {"Tackling exploitation"}
    assert {r["responsibilityLabel"] for r in ask("responsibilities", subject="id/org/metropolitan-police",
                                                  partnership=RIVERBROOK)} == {"Lead on children missing from home"}
    assert ask("responsibilities", subject="id/org/metropolitan-police", partnership=LEWISHAM) == []
    ceri = ask("person", person="id/person/ceri-jacob", partnership=RIVERBROOK)
    assert {(r["relation"], r["thingLabel"]) for r in ceri} == {("sits on", "Riverbrook Executive")}


def test_a_two_area_partnership_shares_only_bodies_beyond_its_areas(riverbrook_file, tmp_path):
    """A partnership of Riverbrook and Lewisham's areas: its group covering both is not cross-border."""
    two_areas = tmp_path / "two-areas.trig"
    two_areas.write_text(riverbrook_file.read_text(encoding="utf-8").replace(
        'lscp:area <id/area/riverbrook> .\n    <id/area/riverbrook> a',
        'lscp:area <id/area/riverbrook> , <id/area/lewisham> .\n    <id/area/riverbrook> a'), encoding="utf-8")
    (tmp_path / "riverbrook.txt").write_text(SOURCE, encoding="utf-8")
    kg = load_knowledge_graph([two_areas])
    query = load_named_queries(kg=kg)["cross-border-groups"]
    assert rows(kg, query, {"partnership": RIVERBROOK}) == []


def test_people_across_partnerships_state_their_own_links(ask, both):
    found = ask("people-across-partnerships", person="id/person/ceri-jacob")
    assert {r["partnershipLabel"] for r in found} == {"Lewisham Safeguarding Children Partnership",
                                                       "Riverbrook Safeguarding Children Partnership"}
    context = {row["g"].value: row["c"].value for row in both.query(
        "SELECT ?g ?c WHERE { ?g lscp:partnershipContext ?c }")}
    assert all(context[r["passage"]] == r["partnership"] for r in found)


def test_home_page_and_api_answer_for_the_chosen_partnership(riverbrook_file):
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "VALIDATE": False, "QUERY_WORKERS": 1, "DATA": [riverbrook_file]})
    try:
        client = application.test_client()
        chooser = client.get("/").get_data(as_text=True)
        names = dict(re.findall(r'<li><a href="(/\?partnership=[^"]+)">([^<]+)</a></li>', chooser))
        sections = {name: client.get(href).get_data(as_text=True).split("<footer")[0] for href, name in names.items()}
        unchosen = client.get("/api/queries/delegated-officers")
        chosen = client.get("/api/queries/delegated-officers", query_string={"partnership": RIVERBROOK})
        by_name = client.get("/api/queries/delegated-officers",
                             query_string={"partnership": "Riverbrook Safeguarding Children Partnership"})
    finally:
        application.extensions["lscp_kg"].runner.close()
    lewisham, riverbrook = (sections["Lewisham Safeguarding Children Partnership"],
                            sections["Riverbrook Safeguarding Children Partnership"])
    assert ">Simon Dilkes</a>" in lewisham and "Alex Fenwick" not in lewisham
    assert ">Alex Fenwick</a>" in riverbrook and "Simon Dilkes" not in riverbrook
    assert "Chief Executive of Riverbrook Council, as chair" in riverbrook  # a chair named only by post
    # With two partnerships loaded, a question about one asks which (400, naming both), then answers for it alone.
    assert unchosen.status_code == 400 and "Riverbrook" in unchosen.get_data(as_text=True)
    for answer in (chosen, by_name):
        assert answer.status_code == 200
        officers = {row["officerLabel"]["value"] for row in answer.get_json()["results"]["bindings"]}
        assert officers == {"Alex Fenwick"}
