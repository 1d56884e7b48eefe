"""Lewisham is kept in the authoring format: its compiled graph is today's graph, statement for statement.

tests/fixtures/lewisham-before.nq is the Lewisham graph as the TriG files gave it before the switch
(commit 1fb60f0). Every difference is listed here as a deliberate correction: quotes now hold the
source's exact characters, line spans are the lines the quote occupies, and the partnerships
engineer's fidelity additions (sectors, functions, the legal-framework list, the threshold type).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from lscp_kg.authoring import compile_file
from lscp_kg.authoring.from_trig import convert
from lscp_kg.store import SHIPPED_DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
LEWISHAM = SHIPPED_DATA_DIR / "lewisham"
BASE = "https://lscp-kg.example.org/"
LSCP = BASE + "ontology#"
PROV_VALUE = "http://www.w3.org/ns/prov#value"
PASSAGE = BASE + "id/lewisham/passage/"

#: Quotes that now carry the source's exact characters (bullet indents, non-breaking spaces).
EXACT_QUOTES = {"L57-62", "L64-68", "L72-80", "L82-84", "L109-113", "L144-149", "L171-173", "L175", "L181-185",
                "L227-233", "L247-255", "L291-294", "L308", "L310", "L370", "L396-400", "L402-408"}
#: Passages whose recorded span (start, end) was wider than the quote: now the lines the quote occupies.
SPANS = {"L82-84": ((82, 84), (82, 82)), "L117-142": ((117, 142), (117, 117)), "L153-155": ((153, 155), (155, 155)),
         "L157-161": ((157, 161), (159, 159)), "L177-179": ((177, 179), (179, 179)),
         "L187-191": ((187, 191), (189, 191)), "L199-205": ((199, 205), (199, 199)),
         "L334-338": ((334, 338), (336, 336)), "L340-342": ((340, 342), (342, 342))}
#: The items of the "Our Legal Frameworks" list: lscp:legalFramework instead of lscp:followsGuidance (issue 13, item 10).
LEGAL_FRAMEWORK_PASSAGES = {"L370": 1, "L372-388": 9}
#: External citations added for sectors the source does not state.
NEW_CITATIONS = {"children-act-2004-s16B", "gov-uk-about", "health-and-care-act-2022-nhs-england"}
SECTORS_ADDED, FUNCTIONS_ADDED = 30, 12


@pytest.fixture(scope="module")
def graphs():
    before = set(ox.parse(path=str(FIXTURES / "lewisham-before.nq"), format=ox.RdfFormat.N_QUADS))
    after = set(compile_file(LEWISHAM / "partnership.yaml", BASE))
    return before, after


def _name(graph: ox.NamedNode) -> str:
    return graph.value.rsplit("/", 1)[-1]


def _span(quads, name):
    values = {q.predicate.value: int(q.object.value) for q in quads
              if q.graph_name.value == PASSAGE + name and q.predicate.value in (LSCP + "startLine", LSCP + "endLine")}
    return values[LSCP + "startLine"], values[LSCP + "endLine"]


def test_shipped_lewisham_is_yaml_only():
    assert (LEWISHAM / "partnership.yaml").is_file()
    assert not list(LEWISHAM.glob("*.trig")), "Lewisham is maintained in partnership.yaml"
    assert list((SHIPPED_DATA_DIR / "common").glob("*.trig")), "graph_data/common stays TriG"


def test_same_passage_graphs(graphs):
    before, after = graphs
    assert {q.graph_name for q in before} - {q.graph_name for q in after} == set()
    new_graphs = {_name(g) for g in {q.graph_name for q in after} - {q.graph_name for q in before}}
    assert new_graphs == NEW_CITATIONS


def test_every_difference_is_a_listed_correction(graphs):
    before, after = graphs
    removed, added = before - after, after - before
    unexplained_removed, unexplained_added = [], []
    source = (LEWISHAM / "sources" / "our-partnership-arrangements.txt").read_text(encoding="utf-8")
    for quad in removed:
        name, predicate = _name(quad.graph_name), quad.predicate.value
        if predicate == PROV_VALUE and name in EXACT_QUOTES:
            continue
        if predicate in (LSCP + "startLine", LSCP + "endLine") and name in SPANS:
            continue
        if predicate == LSCP + "followsGuidance" and name in LEGAL_FRAMEWORK_PASSAGES:
            assert ox.Quad(quad.subject, ox.NamedNode(LSCP + "legalFramework"), quad.object, quad.graph_name) in added
            continue
        unexplained_removed.append(str(quad))
    for quad in added:
        name, predicate = _name(quad.graph_name), quad.predicate.value
        if predicate == PROV_VALUE and name in EXACT_QUOTES:
            # The new quote is the source's own characters, and differs from the old one only in white space.
            assert quad.object.value in source
            old = next(q.object.value for q in removed if q.graph_name == quad.graph_name and q.predicate.value == PROV_VALUE)
            assert re.sub(r"\s+", " ", old) == re.sub(r"\s+", " ", quad.object.value)
            continue
        if predicate in (LSCP + "startLine", LSCP + "endLine", LSCP + "legalFramework", LSCP + "sector", LSCP + "function"):
            continue
        if name in NEW_CITATIONS or (predicate.endswith("#type") and quad.object.value == LSCP + "ThresholdDocument"):
            continue
        unexplained_added.append(str(quad))
    assert unexplained_removed == [] and unexplained_added == []
    counts = {p: sum(1 for q in added if q.predicate.value == LSCP + p) for p in ("sector", "function", "legalFramework")}
    assert counts == {"sector": SECTORS_ADDED, "function": FUNCTIONS_ADDED, "legalFramework": 10}
    assert sum(1 for q in removed if q.predicate.value == PROV_VALUE) == len(EXACT_QUOTES)


def test_line_spans_are_the_quotes_lines(graphs):
    before, after = graphs
    for name, (old, new) in SPANS.items():
        assert _span(before, name) == old and _span(after, name) == new, name
    lines = (LEWISHAM / "sources" / "our-partnership-arrangements.txt").read_text(encoding="utf-8").split("\n")
    for quad in after:
        if quad.predicate.value == PROV_VALUE:
            start, end = _span(after, _name(quad.graph_name))
            assert quad.object.value in "\n".join(lines[start - 1:end]), _name(quad.graph_name)


def test_conversion_reruns_to_the_same_file(tmp_path):
    """The converter turns the TriG of the freeze (rebuilt here from the compiled file) back into the same YAML."""
    from lscp_kg.authoring.trig import to_trig

    folder = tmp_path / "lewisham"
    shutil.copytree(LEWISHAM / "sources", folder / "sources")
    (folder / "all.trig").write_bytes(to_trig(compile_file(LEWISHAM / "partnership.yaml", BASE), BASE))
    text = convert([folder / "all.trig"], "lewisham", folder / "partnership.yaml", BASE)
    shipped = (LEWISHAM / "partnership.yaml").read_text(encoding="utf-8")
    # Only the first line differs: the schema's path relative to the folder.
    assert text.split("\n", 1)[1] == shipped.split("\n", 1)[1]
