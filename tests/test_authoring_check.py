"""`lscp-kg build --check` reports every problem `lscp-kg validate` would, before it, in the YAML's own words:
each message of issue 16 with its field, its line and its fix (one test per message). Fictional data only."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lscp_kg.authoring.check import check_files
from lscp_kg.cli import main

BASE = "https://lscp-kg.example.org/"
FIXTURES = Path(__file__).parent / "fixtures"
SHIPPED = Path(__file__).parent.parent / "graph_data"
SOURCE = ("Nethercombe Safeguarding Children Partnership (a FICTIONAL partnership)\n"
          "The partnership follows the Children Act 2004.\n"
          "Our annual report is scrutinised by the Independent Scrutineer.\n"
          "The Chair of the Executive is the Council's Director of Children's Services.\n")
#: The passage of the chair's line, and a post of it that builds (the tests add a field, or leave one out).
CHAIR = """- quote: The Chair of the Executive is the Council's Director of Children's Services.
  facts:
"""
DIRECTOR = """  - post: director-of-childrens-services
    type: post
    label: Director of Children's Services, Nethercombe Council
"""
#: A partnership that builds and validates; each test adds the passage with its mistake (from line 19).
VALID = """partnership: nethercombe
source:
  id: nethercombe-arrangements
  label: Nethercombe arrangements (fictional, as text)
  text: source.txt
passages:
- quote: Nethercombe Safeguarding Children Partnership
  facts:
  - partnership: nethercombe
    type: safeguarding-partnership
    label: Nethercombe Safeguarding Children Partnership
    area: nethercombe
  - area: nethercombe
    type: local-authority-area
    label: Nethercombe
  - organisation: nethercombe-council
    type: local-authority
    label: Nethercombe Council
"""


def write(tmp_path: Path, passages: str = "") -> Path:
    (tmp_path / "source.txt").write_text(SOURCE, encoding="utf-8")
    path = tmp_path / "partnership.yaml"
    path.write_text(VALID + passages, encoding="utf-8")
    return path


def check(tmp_path: Path, passages: str) -> list:
    """Every problem of the file, after checking that the valid part alone has none."""
    return check_files([write(tmp_path, passages)], BASE).problems


def the_problem(tmp_path: Path, passages: str):
    found = check(tmp_path, passages)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_the_valid_part_alone_builds_with_no_problem(tmp_path):
    assert check(tmp_path, "") == []


def test_an_act_not_in_the_common_data_needs_its_type_and_label(tmp_path):
    problem = the_problem(tmp_path, """- quote: The partnership follows the Children Act 2004.
  facts:
  - partnership: nethercombe
    underpinned_by: ukpga/2099/7
  - legislation: ukpga/2099/7
    name_used: Children Act 2004
""")
    assert problem.line == 23 and "legislation 'ukpga/2099/7' is not among the Acts of graph_data/common/" in problem.message
    assert "'type: legislation'" in problem.fix and "'label:'" in problem.fix


def test_an_act_of_the_common_data_needs_only_name_used(tmp_path):
    assert check(tmp_path, """- quote: The partnership follows the Children Act 2004.
  facts:
  - partnership: nethercombe
    underpinned_by: ukpga/2004/31
  - legislation: ukpga/2004/31
    name_used: Children Act 2004
""") == []


def test_a_document_with_no_type_is_told_the_document_types(tmp_path):
    problem = the_problem(tmp_path, """- quote: Our annual report is scrutinised by the Independent Scrutineer.
  facts:
  - document: annual-report
    label: Nethercombe annual report
""")
    assert problem.line == 21 and problem.message == "document 'annual-report' has no 'type'"
    assert problem.fix.startswith("add 'type:', one of: arrangements-document, annual-report")
    assert "org:" not in problem.fix


def test_a_report_step_without_order_names_the_yaml_field(tmp_path):
    problem = the_problem(tmp_path, """- quote: Our annual report is scrutinised by the Independent Scrutineer.
  facts:
  - report-step: scrutiny-step
    type: report-step
    label: Scrutiny of the annual report
    step: independent-scrutiny
""")
    assert problem.line == 21 and problem.message == "report-step 'scrutiny-step' has no 'order'"
    assert problem.fix.startswith("add 'order:': 1 for the first step") and "stepOrder" not in str(problem)


def test_a_thing_with_no_label(tmp_path):
    problem = the_problem(tmp_path, CHAIR + """  - post: director-of-childrens-services
    type: post
    post_in: org/nethercombe-council
""")
    assert problem.line == 21 and problem.message == "post 'director-of-childrens-services' has no 'label'"
    assert problem.fix.startswith("add 'label:'")


def test_a_required_field(tmp_path):
    problem = the_problem(tmp_path, CHAIR + DIRECTOR)
    assert problem.line == 21 and problem.message == "post 'director-of-childrens-services' has no 'post_in'"
    assert problem.fix.startswith("add 'post_in:': The organisation, body or partnership the post belongs to")


def test_a_rule_of_the_whole_entry_is_said_in_its_fields(tmp_path):
    found = check(tmp_path, CHAIR + """  - body: executive
    type: executive-body
    label: Executive
    partnership_of: nethercombe
  - seat: executive-1
    type: seat
    label: Executive, seat 1
    body: executive
    role: member
""")
    [problem] = found
    assert problem.line == 25 and problem.message == ("seat 'executive-1': a membership needs a member ('member') or "
                                                      "the post that holds the seat ('post')")
    assert "the fields of 'seat'" in problem.fix


def test_a_value_of_the_wrong_kind_is_said_with_the_field_and_the_written_name(tmp_path):
    problem = the_problem(tmp_path, CHAIR + DIRECTOR + """    post_in: org/nethercombe-council
    delegates_to: org/nethercombe-council
""")
    assert problem.line == 25 and problem.message == (
        "post 'director-of-childrens-services' has 'delegates_to' 'Nethercombe Council' 'org/nethercombe-council', which "
        "is not a 'post' "
        "(it is a 'local-authority')")
    assert problem.fix.startswith("a post delegates to another post ('delegates_to' an 'post')")


def test_a_second_label_on_a_shared_organisation_names_both_labels_and_where(tmp_path):
    problem = the_problem(tmp_path, CHAIR + """  - organisation: metropolitan-police
    label: The Met
""")
    assert problem.line == 22 and problem.message.startswith("organisation 'metropolitan-police' has 2 labels: ")
    assert "'Metropolitan Police' (" in problem.message and "graph_data/lewisham/partnership.yaml:" in problem.message
    assert "'The Met' (" in problem.message and "name_used" in problem.fix


def test_a_reference_to_something_described_nowhere(tmp_path):
    problem = the_problem(tmp_path, CHAIR + DIRECTOR + """    post_in: org/nowhere
""")
    assert problem.line == 24
    assert problem.message == ("post 'director-of-childrens-services', post_in: 'org/nowhere' is described nowhere "
                               "in the loaded data (nothing gives it a type or a label)")
    assert "'- organisation: nowhere' with type and label" in problem.fix


def test_a_misspelt_reference_is_given_the_close_names(tmp_path):
    problem = the_problem(tmp_path, CHAIR + DIRECTOR + """    post_in: org/nethercombe-counsil
""")
    assert problem.line == 24 and "(in the data: nethercombe-council" in problem.fix


def test_a_term_its_vocabulary_does_not_define_in_a_field(tmp_path):
    problem = the_problem(tmp_path, """- quote: Nethercombe Safeguarding Children Partnership
  line: 1
  id: L1b
  facts:
  - organisation: nethercombe-council
    sector: local-authoritie
""")
    assert problem.line == 24 and "sector: lscp:sector-local-authoritie is not a term of its vocabulary" in problem.message
    assert problem.fix.startswith("did you mean lscp:sector-local-authority?")


def test_an_unknown_property_inside_turtle(tmp_path):
    problem = the_problem(tmp_path, """- quote: The Chair of the Executive is the Council's Director of Children's Services.
  turtle: |
    <id/org/nethercombe-council> rdfs:label "Nethercombe Council" .
    <id/org/nethercombe-council> org:headof <id/person/nobody> .
""")
    assert problem.line == 22
    assert problem.message == "the turtle block uses org:headof, which its vocabulary does not define"
    assert problem.fix.startswith("did you mean org:headOf?")


def test_an_unknown_class_of_the_ontology_inside_turtle(tmp_path):
    problem = the_problem(tmp_path, """- quote: The Chair of the Executive is the Council's Director of Children's Services.
  turtle: |
    <id/nethercombe/body/executive> a lscp:ExecutiveBodyy ; rdfs:label "Executive" .
""")
    assert problem.line == 21 and "lscp:ExecutiveBodyy" in problem.message and "lscp:ExecutiveBody?" in problem.fix


@pytest.mark.parametrize("written, line, says", [
    ("  - body: Bad_Name\n", 21, "'Bad_Name' is not a name: names are lower-case letters and digits joined by "
                                 "hyphens (write 'bad-name')"),
    ("  - post: chair\n    post_in: org/Bad_Name\n", 22, "'Bad_Name' in 'org/Bad_Name' is not a name"),
])
def test_names_that_break_the_iri_rules(tmp_path, written, line, says):
    problem = the_problem(tmp_path, "- quote: The Chair of the Executive is the Council's Director of Children's "
                                    "Services.\n  facts:\n" + written)
    assert problem.line == line and says in problem.message, str(problem)


def test_the_source_section_without_its_label(tmp_path):
    path = write(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("  label: Nethercombe arrangements (fictional, as text)\n", ""))
    [problem] = check_files([path], BASE).problems
    assert problem.line == 2 and problem.message == "source 'nethercombe-arrangements' has no 'label'"
    assert problem.fix.startswith("add 'label:' under 'source:'")


def test_the_command_prints_file_line_and_fix_and_writes_nothing(tmp_path):
    path = write(tmp_path, """- quote: Our annual report is scrutinised by the Independent Scrutineer.
  facts:
  - document: annual-report
    label: Nethercombe annual report
""")
    result = CliRunner().invoke(main, ["build", "--check", "--data", str(tmp_path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{path}:21: document 'annual-report' has no 'type' (fix: add 'type:', one of:" in result.stderr
    assert "1 problem(s); nothing written." in result.stderr


@pytest.mark.parametrize("folder", [FIXTURES / "worked-example", SHIPPED / "lewisham"], ids=["worked-example", "lewisham"])
def test_a_stewards_file_of_the_current_release_keeps_building(folder):
    result = CliRunner().invoke(main, ["build", "--check", "--data", str(folder)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("OK: 1 file(s)")


def test_a_reference_to_something_described_in_other_data_given_with_data_is_found(tmp_path):
    path = write(tmp_path, CHAIR + DIRECTOR + """    post_in: org/nethercombe-trust
""")
    other = tmp_path / "other"
    other.mkdir()
    (other / "trust.trig").write_text("""@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<id/citation/trust> {
    <id/citation/trust> a lscp:ExternalCitation ; lscp:partnershipContext <id/partnership/nethercombe> ;
        dcterms:bibliographicCitation "A FICTIONAL register of trusts." .
    <id/org/nethercombe-trust> a lscp:NHSTrust ; rdfs:label "Nethercombe Trust" .
}
""", encoding="utf-8")
    alone = CliRunner().invoke(main, ["build", "--check", "--data", str(path)])
    assert alone.exit_code == 1 and "'org/nethercombe-trust' is described nowhere" in alone.stderr
    beside = CliRunner().invoke(main, ["build", "--check", "--data", str(path), "--data", str(other)])
    assert beside.exit_code == 0, beside.stderr
