"""The authoring format: clear messages for bad files, deterministic builds, the shipped schema,
quote matching on the source's exact characters, and the store loading YAML beside TriG."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lscp_kg.authoring import AuthoringError, compile_file
from lscp_kg.authoring.quotes import SourceText
from lscp_kg.authoring.schema import SCHEMA_FILE, authoring_schema
from lscp_kg.cli import main
from lscp_kg.store import load_knowledge_graph
from lscp_kg.data_errors import DataFileError

BASE = "https://lscp-kg.example.org/"
SOURCE = ("Testshire Safeguarding Children Partnership\n"
          "\n"
          "The Executive meets\u00a0every six weeks.\n"
          "\n"
          "  \u2022 Conducting rapid reviews\n"
          "  \u2022 Conducting rapid reviews\n"
          "The partners are Testshire Council and Testshire Police.\n")
HEADER = """# yaml-language-server: $schema=../schema.json
partnership: testshire
source:
  id: testshire-arrangements
  text: source.txt
passages:
"""


def write(tmp_path: Path, passages: str, source: str = SOURCE) -> Path:
    (tmp_path / "source.txt").write_text(source, encoding="utf-8")
    path = tmp_path / "partnership.yaml"
    path.write_text(HEADER + passages, encoding="utf-8")
    return path


def problems(path: Path) -> list:
    with pytest.raises(AuthoringError) as caught:
        compile_file(path, BASE)
    assert isinstance(caught.value, DataFileError)  # the loaders' error: names the file
    return caught.value.problems


def test_exact_characters_and_span_are_recorded(tmp_path):
    path = write(tmp_path, """- quote: The Executive meets every six weeks.
  facts:
  - body: executive
    type: executive-body
    label: Executive
    partnership_of: testshire
    meets: P6W
    meets_as_stated: every six weeks
""")
    quads = compile_file(path, BASE)
    graph = ox.NamedNode(BASE + "id/testshire/passage/L3")
    values = {q.predicate.value.rsplit("#", 1)[-1]: q.object for q in quads if q.subject == graph}
    assert values["value"].value == "The Executive meets\u00a0every six weeks."
    assert (values["startLine"].value, values["endLine"].value) == ("3", "3")
    interval = [q.object for q in quads if q.predicate.value.endswith("meetingInterval")]
    assert interval == [ox.Literal("P6W", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#duration"))]
    assert all(q.graph_name == graph for q in quads if q.subject.value.endswith("body/executive"))


def test_broken_yaml_names_file_line_and_fix(tmp_path):
    path = write(tmp_path, "- quote: The Executive meets\n  facts: [\n   - body: x\n")
    [problem] = problems(path)
    assert problem.file == str(path) and problem.line in (9, 10)
    assert "not valid YAML" in problem.message and "indentation" in problem.fix


@pytest.mark.parametrize("entry, says, fix_says", [
    ("  - bdy: executive\n    label: Executive\n", "unknown kind 'bdy'", ("did you mean 'body'", "seat")),
    ("  - body: executive\n    meet: P6W\n", "'meet' was unexpected", ("did you mean 'meets'",)),
], ids=["unknown-kind", "unknown-field"])
def test_a_misspelt_kind_or_field_is_named_with_its_line_and_the_nearest(tmp_path, entry, says, fix_says):
    path = write(tmp_path, "- quote: The Executive meets every six weeks.\n  facts:\n" + entry)
    [problem] = problems(path)
    assert problem.line == 9 and says in problem.message
    assert all(part in problem.fix for part in fix_says), problem.fix
    assert str(problem).startswith(f"{path}:9: ")


def test_quote_not_in_source_gives_nearest_passage(tmp_path):
    path = write(tmp_path, """- quote: The partners are Testshire Council and Testshire Fire Service.
  facts: []
""")
    [problem] = problems(path)
    assert problem.line == 7
    assert "is not in source.txt" in problem.message and "line 7" in problem.message
    assert "'Police.'" in problem.message or "Police" in problem.message
    assert "copy the words exactly from line 7 of source.txt" in problem.fix


def test_quote_found_twice_lists_both_and_line_disambiguates(tmp_path):
    path = write(tmp_path, "- quote: Conducting rapid reviews\n")
    [problem] = problems(path)
    assert "occurs 2 times" in problem.message and "line 5" in problem.message and "line 6" in problem.message
    assert "line: 5" in problem.fix
    path = write(tmp_path, "- quote: Conducting rapid reviews\n  line: 6\n")
    quads = compile_file(path, BASE)
    assert {q.graph_name.value.rsplit("/", 1)[-1] for q in quads} >= {"L6"}


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, """- quote: Not there at all, nowhere.
- quote: Conducting rapid reviews
- quote: The Executive meets every six weeks.
  facts:
  - body: executive
    meets: every six weeks
""")
    found = problems(path)
    assert [p.line for p in found] == [7, 8, 12]
    assert "'every six weeks' is not one of" in found[2].message and "P6W" in found[2].message


def test_turtle_block_is_loaded_and_its_errors_have_lines(tmp_path):
    path = write(tmp_path, """- quote: Testshire Safeguarding Children Partnership
  turtle: |
    <id/partnership/testshire> lscp:nameUsed "Testshire Safeguarding Children Partnership" .
""")
    [quad] = [q for q in compile_file(path, BASE) if q.predicate.value.endswith("nameUsed")]
    assert quad.graph_name.value == BASE + "id/testshire/passage/L1"
    path = write(tmp_path, """- quote: Testshire Safeguarding Children Partnership
  turtle: |
    <id/partnership/testshire> lscp:nameUsed "ok" .
    <id/partnership/testshire> lscp:nameUsed "unterminated .
""")
    [problem] = problems(path)
    assert problem.line == 10 and "not valid Turtle" in problem.message


#: A partnership that validates: its name, type and area (the least a partnership's file can be).
VALID = """- quote: Testshire Safeguarding Children Partnership
  facts:
  - partnership: testshire
    type: safeguarding-partnership
    label: Testshire Safeguarding Children Partnership
    area: testshire
  - area: testshire
    type: local-authority-area
    label: Testshire
"""


def write_valid(tmp_path: Path, passages: str = "") -> Path:
    """A file that builds and validates: the source has its label, the partnership its type, label and area."""
    path = write(tmp_path, VALID + passages)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  text: source.txt\n", "  label: Testshire arrangements (as text)\n  text: source.txt\n"), encoding="utf-8")
    return path


def test_build_is_deterministic_and_reports_problems(tmp_path):
    path = write_valid(tmp_path, "- quote: The partners are Testshire Council and Testshire Police.\n")
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(path)])
    second = runner.invoke(main, ["build", str(path)])
    assert first.exit_code == 0 and first.stdout_bytes == second.stdout_bytes
    back = set(ox.parse(first.stdout_bytes, format=ox.RdfFormat.TRIG, base_iri=BASE))
    assert back == set(compile_file(path, BASE))
    shipped = runner.invoke(main, ["build"]).stdout_bytes
    assert shipped == runner.invoke(main, ["build"]).stdout_bytes and b"<id/lewisham/passage/L1-3>" in shipped
    path.write_text(HEADER + "- quote: Not in the text\n", encoding="utf-8")
    failed = runner.invoke(main, ["build", str(path)])
    assert failed.exit_code == 1 and f"{path}:7: the quote" in failed.stderr and "nothing written" in failed.stderr


def test_build_takes_data_like_every_command_and_the_path_as_before(tmp_path):
    path = write_valid(tmp_path)
    runner = CliRunner()
    by_option = runner.invoke(main, ["build", "--data", str(tmp_path)])
    by_argument = runner.invoke(main, ["build", str(path)])
    assert by_option.exit_code == 0 and by_option.stdout_bytes == by_argument.stdout_bytes
    assert b"<id/testshire/passage/L1>" in by_option.stdout_bytes
    trig = tmp_path / "extra.trig"
    trig.write_text("")
    wrong = runner.invoke(main, ["build", str(trig)])
    assert wrong.exit_code == 2 and f"write --data {trig}" in wrong.output


def test_store_loads_yaml_and_trig_as_before(tmp_path):
    path = write(tmp_path, """- quote: The partners are Testshire Council and Testshire Police.
  facts:
  - organisation: testshire-council
    type: local-authority
    label: Testshire Council
""")
    (tmp_path / "extra.trig").write_text(
        "<id/citation/x> { <id/citation/x> a <https://lscp-kg.example.org/ontology#ExternalCitation> . }\n")
    kg = load_knowledge_graph([tmp_path], include_shipped=False, include_ontology=False)
    labels = [r["l"].value for r in kg.query("SELECT ?l WHERE { <id/org/testshire-council> rdfs:label ?l }")]
    assert labels == ["Testshire Council"]
    assert kg.graph_files[BASE + "id/testshire/passage/L7"] == path
    assert kg.graph_files[BASE + "id/citation/x"] == tmp_path / "extra.trig"
    path.write_text(HEADER + "- quote: Not in the text\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="partnership.yaml:7"):
        load_knowledge_graph([tmp_path], include_shipped=False, include_ontology=False)


def test_shipped_schema_is_generated_from_the_kinds():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == authoring_schema()


def test_schema_gives_editors_the_kinds():
    schema = authoring_schema()
    kinds = [ref["$ref"].rsplit("-", 1)[-1] for ref in schema["$defs"]["fact"]["oneOf"]]
    for kind in ("partnership", "organisation", "person", "post", "holding", "seat", "body", "chairing-rule",
                 "responsibility", "scheme", "concept", "programme", "funding", "document", "guidance",
                 "legislation", "report-step", "contact", "change", "issue"):
        assert any(k.endswith(kind.split("-")[-1]) for k in kinds), kind
    meets = schema["$defs"]["kind-body"]["properties"]["meets"]
    assert "every six weeks" in meets["description"]


def test_normalised_matching():
    text = SourceText("Safeguarding is\u00a0everybody\u2019s\n\n  \u2022 business.")
    match = text.find("Safeguarding is everybody's business.")
    assert match.exact == "Safeguarding is\u00a0everybody\u2019s\n\n  \u2022 business."
    assert (match.start_line, match.end_line) == (1, 3)
    assert text.find("Safeguarding is nobody's business") is None


def test_editors_see_the_shipped_files_as_valid_and_a_typo_as_invalid():
    """What a YAML language server does with the schema line: validate the file against the shipped schema
    (YAML 1.2, where 2019-09-01 is text, as the authoring loader reads it)."""
    from jsonschema import Draft202012Validator

    from lscp_kg.authoring.yamlload import load_yaml_text
    from lscp_kg.locations import SHIPPED_DATA_DIR

    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    worked = Path(__file__).parent / "fixtures" / "worked-example" / "partnership.yaml"
    for path in (SHIPPED_DATA_DIR / "lewisham" / "partnership.yaml", worked):
        text = path.read_text(encoding="utf-8")
        schema_path = (path.parent / text.split("\n", 1)[0].split("$schema=", 1)[1]).resolve()
        assert schema_path == SCHEMA_FILE.resolve()
        assert [e.message for e in validator.iter_errors(load_yaml_text(text, str(path)))] == []
    broken = load_yaml_text(worked.read_text(encoding="utf-8").replace("    meets: P6W", "    meets: fortnightly-ish"), "x")
    assert list(validator.iter_errors(broken))


def test_quote_and_source_are_normalised_alike():
    """The quick normalisation of quotes and the offset-keeping one of source texts agree, and every match's
    exact text normalises back to the quote."""
    from hypothesis import given, settings, strategies as st

    from lscp_kg.authoring.quotes import normalise

    alphabet = st.sampled_from(list("ab \n\t\u00a0\u2022\u2019'\u201c\"\u2013-\u200b\u00ad."))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet, max_size=30), st.text(alphabet, min_size=1, max_size=8))
    def check(text, quote):
        source = SourceText(text)
        assert normalise(text) == source.normal.strip()
        for match in source.find_all(quote):
            assert normalise(match.exact) == normalise(quote)

    check()


def test_commands_that_load_data_report_authoring_problems(tmp_path):
    path = write(tmp_path, "- quote: Testshire Safeguarding Children Partnership\n- quote: Not in the text at all\n")
    result = CliRunner().invoke(main, ["validate", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{path}:8: the quote 'Not in the text at all' is not in source.txt" in result.output


def test_converter_keeps_what_no_kind_says_as_turtle(tmp_path):
    from lscp_kg.authoring.from_trig import convert

    folder = tmp_path / "testshire"
    folder.mkdir()
    (folder / "source.txt").write_text(SOURCE, encoding="utf-8")
    (folder / "data.trig").write_text("""@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<id/source/t> { <id/source/t> a lscp:SourceDocument ; lscp:textFile "source.txt" . }
<id/testshire/passage/P1> {
    <id/testshire/passage/P1> a lscp:SourcePassage ; lscp:source <id/source/t> ;
        lscp:startLine 7 ; lscp:endLine 7 ; prov:value "The partners are Testshire Council and Testshire Police." .
    <id/org/testshire-council> a lscp:LocalAuthority ; rdfs:label "Testshire Council" ;
        foaf:homepage <https://testshire.example.org/> .
}
""", encoding="utf-8")
    text = convert([folder / "data.trig"], "testshire", folder / "partnership.yaml", BASE)
    assert "  id: P1\n" in text and "organisation: testshire-council" in text and "type: local-authority" in text
    assert "turtle: |\n    <id/org/testshire-council> foaf:homepage <https://testshire.example.org/> .\n" in text
    assert "partnershipContext" not in text  # the compiler states it from 'partnership:'
    (folder / "partnership.yaml").write_text(text, encoding="utf-8")
    (folder / "data.trig").unlink()
    quads = compile_file(folder / "partnership.yaml", BASE)
    assert any(q.predicate.value == "http://xmlns.com/foaf/0.1/homepage" for q in quads)


def test_validation_messages_point_at_the_yaml_line(tmp_path):
    from lscp_kg.validation import validate_graph

    path = write(tmp_path, """- quote: Testshire Safeguarding Children Partnership
  facts:
  - post: orphan-post
    type: post
    label: A post of no organisation
""")
    report = validate_graph(load_knowledge_graph([path], include_shipped=False))
    messages = [str(v) for v in report.violations if "orphan-post" in str(v)]
    # in the file's words, as build --check says it: the entry, its missing field, the field's description
    assert messages == [f"{path}:9: post 'orphan-post' has no 'post_in'. Fix: add 'post_in:': The organisation, "
                        "body or partnership the post belongs to (one)."], messages
