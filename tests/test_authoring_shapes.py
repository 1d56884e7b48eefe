"""The shapes real partnerships have, in the authoring format: each new kind or field compiles to the
triples docs/adding-a-partnership.md documents, and the JSON Schema accepts exactly what the compiler does."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from jsonschema import Draft202012Validator

from lscp_kg.authoring import AuthoringError, compile_file
from lscp_kg.authoring.kinds import DURATION
from lscp_kg.authoring.schema import authoring_schema

BASE = "https://lscp-kg.example.org/"
LSCP = "https://lscp-kg.example.org/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SOURCE = ("Testshire Safeguarding Children Partnership (a fictional partnership)\n"
          "The Executive meets every six weeks; its chair rotates every two years.\n"
          "There are seven members.\n")
HEADER = """partnership: testshire
source:
  id: testshire-arrangements
  text: source.txt
passages:
"""


def compile_passages(tmp_path: Path, passages: str) -> list[ox.Quad]:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "partnership.yaml"
    path.write_text(HEADER + passages, encoding="utf-8")
    return compile_file(path, BASE)


def objects(quads, subject: str, predicate: str) -> list:
    return [q.object for q in quads if q.subject.value == BASE + subject and q.predicate.value == predicate]


def duration(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "duration"))


GOOD_DURATIONS = ["P2Y", "P4M", "P1Y6M", "P6W", "P10D", "PT12H", "P1DT12H", "P0.5Y", "P1,5D", "PT30M", "P1Y2M3DT4H5M6S"]
BAD_DURATIONS = ["P", "PT", "P1H", "2Y", "P1YT", "P1Y2", "every two years", "p2y"]


@pytest.mark.parametrize("value", GOOD_DURATIONS)
def test_any_iso_8601_duration_is_a_meeting_interval_and_a_chair_rotation_period(tmp_path, value):
    quads = compile_passages(tmp_path, f"""- quote: The Executive meets every six weeks; its chair rotates every two years.
  facts:
  - body: executive
    meets: {value}
    chairing_rule: executive-chairing
  - chairing-rule: executive-chairing
    rotation: {value}
""")
    assert objects(quads, "id/testshire/body/executive", LSCP + "meetingInterval") == [duration(value)]
    assert objects(quads, "id/testshire/executive-chairing", LSCP + "chairRotationPeriod") == [duration(value)]


@pytest.mark.parametrize("value", BAD_DURATIONS)
def test_what_is_not_a_duration_is_refused_with_what_to_write(tmp_path, value):
    with pytest.raises(AuthoringError) as caught:
        compile_passages(tmp_path, f"""- quote: The Executive meets every six weeks; its chair rotates every two years.
  facts:
  - chairing-rule: executive-chairing
    rotation: {value}
""")
    assert any("ISO 8601 duration" in p.message or "ISO 8601 duration" in p.fix for p in caught.value.problems)


def test_the_schema_and_the_compiler_agree_on_durations():
    rotation = authoring_schema()["$defs"]["kind-chairing-rule"]["properties"]["rotation"]
    validator = Draft202012Validator(rotation)
    assert [v for v in GOOD_DURATIONS if not validator.is_valid(v)] == []
    assert [v for v in BAD_DURATIONS if validator.is_valid(v)] == []
    assert all(DURATION.match(v) for v in GOOD_DURATIONS) and not any(DURATION.match(v) for v in BAD_DURATIONS)
    # A frequency field with no duration property (how often a responsibility is done) takes terms only.
    periodicity = authoring_schema()["$defs"]["kind-responsibility"]["properties"]["periodicity"]
    assert not Draft202012Validator(periodicity).is_valid("P1Y")


def test_as_written_keeps_the_sources_words_beside_a_normalised_value(tmp_path):
    quads = compile_passages(tmp_path, """- quote: There are seven members.
  facts:
  - body: executive
    as_written: seven
""")
    [words] = objects(quads, "id/testshire/body/executive", LSCP + "asWritten")
    assert words == ox.Literal("seven")
    [quad] = [q for q in quads if q.predicate.value == LSCP + "asWritten"]
    assert quad.graph_name.value == BASE + "id/testshire/passage/L3"


# A fictional joint partnership of two areas inside a pan-area arrangement: every new kind and field once.
TESTSHIRE_TEXT = """Testshire Safeguarding Partnership (a FICTIONAL partnership for the tests)
The partnership covers Testshire and Exborough and safeguards children and adults at risk.
It sits within the Wider Testshire Safeguarding Arrangements, whose Wider Testshire Executive brings together the partners of three areas.
Beside the statutory partners, Testshire Schools Alliance is an education partner.
The partnership meets every three months and is chaired by Testshire Council's Chief Executive.
Its seats: Testshire Police.
A scrutiny panel scrutinises the arrangements; its independent chair also chairs the partnership's Review Group.
The partnership publishes a strategic plan for safeguarding adults. Its Adults Review Group commissions safeguarding adults reviews.
The Deputy Chief Executive post was deleted in June 2024.
The partnership replaced the Testshire Safeguarding Children Partnership and the Testshire Safeguarding Adults Board on 1 April 2024.
These arrangements were revised in March 2025, updated on 2 April 2025 and signed by Sam Oduya.
Membership as of 1 May 2025.
The Review Group reports to the Executive or to the partnership.
"""


def line(n: int) -> str:
    return TESTSHIRE_TEXT.splitlines()[n - 1]


TESTSHIRE_YAML = f"""partnership: testshire
source:
  id: testshire-arrangements
  label: Testshire's arrangements (fictional)
  text: source.txt
passages:
- quote: "{line(1)}"
  url: https://testshire.example.org/about
  facts:
  - partnership: testshire
    type: joint-safeguarding-partnership
    label: Testshire Safeguarding Partnership
- quote: "{line(2)}"
  url: https://testshire.example.org/about
  facts:
  - partnership: testshire
    area: [testshire, exborough]
  - area: testshire
    type: local-authority-area
    label: Testshire
  - area: exborough
    type: local-authority-area
    label: Exborough
- quote: "{line(3)}"
  facts:
  - partnership: wider-testshire
    type: pan-area-arrangement
    label: Wider Testshire Safeguarding Arrangements
  - partnership: testshire
    sits_within: wider-testshire
  - body: wider-testshire/body/executive
    type: executive-body
    label: Wider Testshire Executive
    partnership_of: wider-testshire
- quote: "{line(4)}"
  facts:
  - partnership: testshire
    additional_partner: testshire-schools-alliance
  - organisation: testshire-schools-alliance
    type: organisation
    label: Testshire Schools Alliance
    sector: education
- quote: "{line(5)}"
  facts:
  - partnership: testshire
    meets: P3M
    meets_as_stated: every three months
    chair_model: partner-officer
  - organisation: testshire-council
    type: local-authority
    label: Testshire Council
  - post: partnership-chair
    type: post
    label: Chair of the Testshire Safeguarding Partnership (Testshire Council's Chief Executive)
    post_in: partnership/testshire
    role: chair
- quote: "{line(6)}"
  facts:
  - organisation: testshire-police
    type: police-force
    label: Testshire Police
  - seat: partnership-police
    type: seat
    label: "Partnership seat: Testshire Police"
    body: partnership/testshire
    member: testshire-police
    role: member
- quote: "{line(7)}"
  facts:
  - partnership: testshire
    scrutiny_model: panel
  - body: review-group
    type: subgroup
    label: Review Group
    partnership_of: testshire
  - post: scrutiny-panel-chair
    type: post
    label: Independent chair of the scrutiny panel
    post_in: partnership/testshire
    role: [independent-scrutineer, chair]
    independent: true
    leads: testshire/body/review-group
- quote: "{line(8)}"
  facts:
  - partnership: testshire
    responsibility: adults-strategic-plan
  - responsibility: adults-strategic-plan
    type: adults-duty
    label: Publish a strategic plan for safeguarding adults
    function: adults-strategic-plan
  - body: adults-review-group
    type: subgroup
    label: Adults Review Group
    partnership_of: testshire
    concerns_adults: true
- quote: "{line(9)}"
  facts:
  - post: deputy-chief-executive
    type: post
    label: Deputy Chief Executive, Testshire Council
    post_in: testshire-council
    end: 2024-06
    as_written: June 2024
- quote: "{line(10)}"
  facts:
  - partnership: testshire
    start: 2024-04-01
    replaced: [partnership/testshire-children, testshire-safeguarding-adults-board]
  - partnership: testshire-children
    type: safeguarding-partnership
    label: Testshire Safeguarding Children Partnership
    area: testshire
    end: 2024-04-01
  - organisation: testshire-safeguarding-adults-board
    type: board
    label: Testshire Safeguarding Adults Board
    end: 2024-04-01
- quote: "{line(11)}"
  facts:
  - source-document: testshire-arrangements
    revised: 2025-03
    updated: 2025-04-02
    signatory: sam-oduya
  - person: sam-oduya
    type: person
    label: Sam Oduya
    name: Sam Oduya
- quote: "{line(12)}"
  facts:
  - seat: partnership-police
    as_of: 2025-05-01
- quote: "{line(13)}"
  facts:
  - alternatives: review-group-reports-to
    type: alternatives
    label: The Review Group reports to the Executive or to the partnership
    subject: testshire/body/review-group
    property: org:reportsTo
    either_of: [wider-testshire/body/executive, partnership/testshire]
"""


@pytest.fixture(scope="module")
def testshire(tmp_path_factory):
    folder = tmp_path_factory.mktemp("testshire")
    (folder / "source.txt").write_text(TESTSHIRE_TEXT, encoding="utf-8")
    (folder / "partnership.yaml").write_text(TESTSHIRE_YAML, encoding="utf-8")
    return folder, compile_file(folder / "partnership.yaml", BASE)


def iri(path: str) -> ox.NamedNode:
    return ox.NamedNode(path if "://" in path else BASE + path)


def has(quads, subject: str, predicate: str, obj, passage: str | None = None) -> bool:
    obj = obj if isinstance(obj, (ox.Literal, ox.NamedNode)) else iri(obj)
    return any(q.subject == iri(subject) and q.predicate.value == predicate and q.object == obj
               and (passage is None or q.graph_name == iri(f"id/testshire/passage/{passage}")) for q in quads)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
ORG = "http://www.w3.org/ns/org#"
P = "id/partnership/testshire"
#: (what, subject, predicate, object, passage): each new kind or field and the triple the guide documents for it.
DOCUMENTED = [
    ("joint partnership", P, RDF + "type", LSCP + "JointSafeguardingPartnership", "L1"),
    ("joint partnership is a partnership", P, RDF + "type", LSCP + "SafeguardingPartnership", "L1"),
    ("page address", "id/testshire/passage/L1", "http://xmlns.com/foaf/0.1/page", "https://testshire.example.org/about", "L1"),
    ("first area", P, LSCP + "area", "id/area/testshire", "L2"),
    ("second area", P, LSCP + "area", "id/area/exborough", "L2"),
    ("pan-area arrangement", "id/partnership/wider-testshire", RDF + "type", LSCP + "PanAreaArrangement", "L3"),
    ("sits within", P, LSCP + "sitsWithin", "id/partnership/wider-testshire", "L3"),
    ("pan-area executive", "id/wider-testshire/body/executive", LSCP + "partnershipOf",
     "id/partnership/wider-testshire", "L3"),
    ("additional partner", P, LSCP + "additionalPartner", "id/org/testshire-schools-alliance", "L4"),
    ("partnership meets", P, LSCP + "meetingInterval", typed("P3M", "duration"), "L5"),
    ("chair model", P, LSCP + "chairModel", LSCP + "PartnerOfficerChairModel", "L5"),
    ("chair post in the partnership", "id/testshire/post/partnership-chair", ORG + "postIn", P, "L5"),
    ("seat on the partnership", "id/testshire/seat/partnership-police", ORG + "organization", P, "L6"),
    ("scrutiny model", P, LSCP + "scrutinyModel", LSCP + "ScrutinyPanelModel", "L7"),
    ("independent post", "id/testshire/post/scrutiny-panel-chair", LSCP + "independent", typed("true", "boolean"), "L7"),
    ("scrutineer who chairs", "id/testshire/post/scrutiny-panel-chair", ORG + "role", LSCP + "ChairRole", "L7"),
    ("scrutineer who leads", "id/testshire/post/scrutiny-panel-chair", LSCP + "leads", "id/testshire/body/review-group", "L7"),
    ("adults' duty", "id/testshire/responsibility/adults-strategic-plan", RDF + "type", LSCP + "AdultsDuty", "L8"),
    ("adults' duty is a responsibility", "id/testshire/responsibility/adults-strategic-plan", RDF + "type",
     LSCP + "Responsibility", "L8"),
    ("adults' function", "id/testshire/responsibility/adults-strategic-plan", LSCP + "function",
     LSCP + "function-adults-strategic-plan", "L8"),
    ("adults' body", "id/testshire/body/adults-review-group", LSCP + "concernsAdults", typed("true", "boolean"), "L8"),
    ("post end date", "id/testshire/post/deputy-chief-executive", "https://schema.org/endDate", typed("2024-06", "gYearMonth"), "L9"),
    ("as written", "id/testshire/post/deputy-chief-executive", LSCP + "asWritten", ox.Literal("June 2024"), "L9"),
    ("predecessor partnership", P, LSCP + "replaced", "id/partnership/testshire-children", "L10"),
    ("predecessor board", P, LSCP + "replaced", "id/org/testshire-safeguarding-adults-board", "L10"),
    ("partnership end date", "id/partnership/testshire-children", "https://schema.org/endDate", typed("2024-04-01", "date"), "L10"),
    ("revised", "id/source/testshire-arrangements", LSCP + "revised", typed("2025-03", "gYearMonth"), "L11"),
    ("updated", "id/source/testshire-arrangements", "http://purl.org/dc/terms/modified", typed("2025-04-02", "date"), "L11"),
    ("signatory", "id/source/testshire-arrangements", LSCP + "signatory", "id/person/sam-oduya", "L11"),
    ("as of", "id/testshire/seat/partnership-police", LSCP + "asOf", typed("2025-05-01", "date"), "L12"),
    ("alternatives", "id/testshire/review-group-reports-to", RDF + "type", LSCP + "Alternatives", "L13"),
    ("alternatives' subject", "id/testshire/review-group-reports-to", RDF + "subject", "id/testshire/body/review-group", "L13"),
    ("alternatives' relation", "id/testshire/review-group-reports-to", RDF + "predicate", ORG + "reportsTo", "L13"),
    ("either A", "id/testshire/review-group-reports-to", LSCP + "eitherOf", "id/wider-testshire/body/executive", "L13"),
    ("or B", "id/testshire/review-group-reports-to", LSCP + "eitherOf", P, "L13"),
]


@pytest.mark.parametrize("what, subject, predicate, obj, passage", DOCUMENTED, ids=[d[0] for d in DOCUMENTED])
def test_each_new_kind_and_field_compiles_to_its_documented_triple(testshire, what, subject, predicate, obj, passage):
    _folder, quads = testshire
    assert has(quads, subject, predicate, obj, passage), what


def test_an_alternatives_statement_asserts_neither_value(testshire):
    _folder, quads = testshire
    assert not [q for q in quads if q.subject == iri("id/testshire/body/review-group") and q.predicate.value == ORG + "reportsTo"]


def test_the_fixture_validates(testshire):
    from lscp_kg.store import load_knowledge_graph
    from lscp_kg.validation import validate_graph

    folder, _quads = testshire
    report = validate_graph(load_knowledge_graph([folder], include_shipped=False))
    assert report.ok, report.as_text()


@pytest.mark.parametrize("replace, wrong, fix", [
    ("    sits_within: wider-testshire\n", "    sits_within: testshire-children\n", "sits within a pan-area arrangement"),
    ("    either_of: [wider-testshire/body/executive, partnership/testshire]\n",
     "    either_of: [partnership/testshire]\n", "offers two or more values"),
    ("    chair_model: partner-officer\n", "    chair_model: [partner-officer, independent-chair]\n", "at most one chair model"),
    ("    signatory: sam-oduya\n", "    signatory: org/testshire-police\n", "a signatory is a person"),
    ("    leads: testshire/body/review-group\n", "    leads: testshire/aim/none\n", "leads the partnership or a body"),
], ids=["sits within a partnership", "one alternative", "two chair models", "an organisation signs", "leads nothing"])
def test_shapes_refuse_what_the_model_does_not_allow(tmp_path, replace, wrong, fix):
    from lscp_kg.store import load_knowledge_graph
    from lscp_kg.validation import validate_graph

    assert replace in TESTSHIRE_YAML
    (tmp_path / "source.txt").write_text(TESTSHIRE_TEXT, encoding="utf-8")
    (tmp_path / "partnership.yaml").write_text(TESTSHIRE_YAML.replace(replace, wrong), encoding="utf-8")
    report = validate_graph(load_knowledge_graph([tmp_path], include_shipped=False))
    assert not report.ok and fix in report.as_text()


def test_a_passage_url_must_be_a_web_address(tmp_path):
    with pytest.raises(AuthoringError) as caught:
        compile_passages(tmp_path, """- quote: There are seven members.
  url: not an address
""")
    [problem] = caught.value.problems
    assert problem.line == 7 and "url" in problem.message


def test_two_partnerships_in_one_pan_area_arrangement_each_state_it_and_validate_together(testshire, tmp_path):
    """The arrangement and its executive have one name whichever file states them (the arrangement's own
    namespace), so a second partnership inside it adds its own statements without a conflict."""
    from lscp_kg.store import load_knowledge_graph
    from lscp_kg.validation import validate_graph

    folder, _quads = testshire
    other = tmp_path / "northshire"
    other.mkdir()
    (other / "source.txt").write_text("Northshire Safeguarding Children Partnership (FICTIONAL)\n"
                                      "We sit within the Wider Testshire Safeguarding Arrangements.\n", encoding="utf-8")
    (other / "partnership.yaml").write_text("""partnership: northshire
source:
  id: northshire-arrangements
  label: Northshire's arrangements (fictional)
  text: source.txt
passages:
- quote: Northshire Safeguarding Children Partnership (FICTIONAL)
  facts:
  - partnership: northshire
    type: safeguarding-partnership
    label: Northshire Safeguarding Children Partnership
    area: northshire
  - area: northshire
    type: local-authority-area
    label: Northshire
- quote: We sit within the Wider Testshire Safeguarding Arrangements.
  facts:
  - partnership: northshire
    sits_within: wider-testshire
  - partnership: wider-testshire
    type: pan-area-arrangement
    label: Wider Testshire Safeguarding Arrangements
""", encoding="utf-8")
    quads = compile_file(other / "partnership.yaml", BASE)
    assert has(quads, "id/partnership/northshire", LSCP + "sitsWithin", "id/partnership/wider-testshire")
    report = validate_graph(load_knowledge_graph([folder, other], include_shipped=False))
    assert report.ok, report.as_text()


GUIDE = Path(__file__).parent.parent / "docs" / "adding-a-partnership.md"
EXAMPLE = Path(__file__).parent / "fixtures" / "worked-example"


def _guide_section_turtle() -> list[str]:
    """The Turtle blocks of the guide's section on the shapes partnerships have ('...' lines left out)."""
    import re

    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### The shapes partnerships have", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```turtle\n(.*?)```", section, re.S)
    return ["\n".join(row for row in block.splitlines() if row.strip() != "...") for block in blocks]


def test_every_statement_the_guide_shows_for_the_shapes_is_compiled(testshire):
    from lscp_kg.authoring.compiler import turtle_header

    _folder, quads = testshire
    compiled = {(q.subject, q.predicate, q.object) for q in quads + compile_file(EXAMPLE / "partnership.yaml", BASE)}
    blocks = _guide_section_turtle()
    assert len(blocks) >= 8
    for block in blocks:
        shown = list(ox.parse((turtle_header(BASE) + block).encode("utf-8"), format=ox.RdfFormat.TRIG, base_iri=BASE))
        missing = [str(q) for q in shown if (q.subject, q.predicate, q.object) not in compiled]
        assert shown and missing == [], block


def test_a_quotation_says_who_gave_it_and_what_it_responds_to(tmp_path):
    quads = compile_passages(tmp_path, """- quote: There are seven members.
  facts:
  - quotation: response-police
    type: quotation
    label: Response from Testshire Police
    attributed_to: [testshire-police, person/sam-oduya]
    references: testshire/doc/inspection-report
""")
    response = "id/testshire/response-police"
    assert has(quads, response, RDF + "type", "https://schema.org/Quotation")
    assert has(quads, response, "http://www.w3.org/ns/prov#wasAttributedTo", "id/org/testshire-police")
    assert has(quads, response, "http://www.w3.org/ns/prov#wasAttributedTo", "id/person/sam-oduya")
    assert has(quads, response, "http://purl.org/dc/terms/references", "id/testshire/doc/inspection-report")
