"""People are merged only on purpose (issue 16): a person's IRI (id/person/NAME) is shared by every partnership,
so a person one partnership's file names and another's names again is one person only where the second says
why (``reused_because:``, recorded as lscp:reuseReason in that passage's graph); a new person who has the name
of another gets a warning that says how to tell them apart. Fictional partnerships only."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from lscp_kg.authoring.check import check_files
from lscp_kg.cli import main
from lscp_kg.namespaces import LSCP
from lscp_kg.store import load_knowledge_graph
from lscp_kg.validation import validate_graph

BASE = "https://lscp-kg.example.org/"
REASON, CONTEXT = LSCP + "reuseReason", LSCP + "partnershipContext"


def partnership(root: Path, name: str, title: str, people: str, line: str) -> Path:
    """A fictional partnership that validates, whose second source line names a person (the facts given)."""
    folder = root / name
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / f"{name}.txt").write_text(
        f"{title} Safeguarding Children Partnership (FICTIONAL)\n{line}\n", encoding="utf-8")
    path = folder / "partnership.yaml"
    path.write_text(f"""partnership: {name}
source:
  id: {name}-arrangements
  label: {title} arrangements (fictional, as text)
  text: sources/{name}.txt
passages:
- quote: {title} Safeguarding Children Partnership
  facts:
  - partnership: {name}
    type: safeguarding-partnership
    label: {title} Safeguarding Children Partnership
    area: {name}
  - area: {name}
    type: local-authority-area
    label: {title}
- quote: "{line}"
  facts:
  - post: chair
    type: post
    label: Chair of the {title} partnership
    post_in: partnership/{name}
{people}""", encoding="utf-8")
    return path


def ashbury(root: Path) -> Path:
    return partnership(root, "ashbury", "Ashbury", """  - person: robin-hale
    type: person
    label: Robin Hale
    name: Robin Hale
    holds: chair
""", "Robin Hale, of Ashbury Police, chairs the partnership.")


def brackley(root: Path, person: str) -> Path:
    return partnership(root, "brackley", "Brackley", person,
                       "Robin Hale chairs the partnership, as in Ashbury.")


SAME_NAME = """  - person: robin-hale
    holds: chair
"""


def test_a_person_named_again_by_another_partnership_without_a_reason_is_an_error(tmp_path):
    first, second = ashbury(tmp_path), brackley(tmp_path, SAME_NAME)
    [problem] = check_files([second], BASE, (first,)).problems
    assert problem.file == str(second) and problem.line == 23  # the first statement about the person
    assert problem.message.startswith("Robin Hale is named by brackley's file and by ashbury's, and neither says they "
                                      "are the same person: they would be merged on the name alone")
    assert "give this one a name of its own (e.g. robin-hale-brackley)" in problem.fix
    assert "'reused_because: \"...\"'" in problem.fix
    # validate says the same of both files (neither states the reuse), and serve would refuse the data
    report = validate_graph(load_knowledge_graph([first, second]))
    assert sorted(p.file for p in report.provenance) == sorted([str(first), str(second)])


def test_stating_the_reuse_merges_on_purpose_and_records_the_reason_in_the_passage_graph(tmp_path):
    first = ashbury(tmp_path)
    second = brackley(tmp_path, SAME_NAME + '    reused_because: "the page says she chairs as in Ashbury"\n')
    result = check_files([second], BASE, (first,))
    assert result.problems == [] and result.warnings == []
    kg = load_knowledge_graph([first, second])
    assert validate_graph(kg).ok
    [row] = kg.query(f"""SELECT ?why ?context WHERE {{ GRAPH ?g {{ <{BASE}id/person/robin-hale> <{REASON}> ?why }}
        ?g <{CONTEXT}> ?context }}""")
    assert row["why"].value == "the page says she chairs as in Ashbury"
    assert row["context"] == ox.NamedNode(BASE + "id/partnership/brackley")


def test_a_person_only_referred_to_by_another_partnership_is_named_again(tmp_path):
    first = ashbury(tmp_path)
    second = brackley(tmp_path, """  - holding: chair-holding
    type: post-holding
    label: Robin Hale, chair
    holder: robin-hale
    post: chair
    status: current
""")
    [problem] = check_files([second], BASE, (first,)).problems
    assert problem.file == str(second) and "Robin Hale is named by brackley's file" in problem.message


def test_a_new_person_with_the_name_of_another_gets_a_warning_saying_how_to_tell_them_apart(tmp_path):
    first = ashbury(tmp_path)
    second = brackley(tmp_path, """  - person: robin-hale-brackley
    type: person
    label: Robin Hale
    name: Robin Hale
    holds: chair
""")
    result = check_files([second], BASE, (first,))
    assert result.problems == []
    [warning] = result.warnings
    assert warning.line == 24  # the label
    assert warning.message == ("person 'robin-hale-brackley' is called 'Robin Hale', as is robin-hale (named by ashbury) "
                               "in the loaded data")
    assert "if they are two people, keep the two names" in warning.fix
    assert "if they are one person, name them 'robin-hale' here" in warning.fix and "reused_because:" in warning.fix
    build = CliRunner().invoke(main, ["build", "--check", "--data", str(second), "--data", str(first)])
    assert build.exit_code == 0 and f"warning: {second}:24: person 'robin-hale-brackley'" in build.stderr


def test_one_partnership_naming_its_people_needs_no_reason(tmp_path):
    assert check_files([ashbury(tmp_path)], BASE).problems == []
