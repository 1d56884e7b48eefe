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
