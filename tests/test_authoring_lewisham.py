"""Lewisham is kept in the authoring format: its compiled graph is today's graph, statement for statement.

tests/fixtures/lewisham-before.nq is the Lewisham graph as the TriG files gave it before the switch
(commit 1fb60f0). Every difference is listed here as a deliberate correction: quotes now hold the
source's exact characters, line spans are the lines the quote occupies, and the partnerships
engineer's fidelity additions (sectors, functions, the legal-framework list, the threshold type).
Then issue 16 (every statement of the page): every graph names its partnership, passage names agree
with their lines (three renamed, quotes widened to the lines their name gives or to their sentence's
start), new passages for what no passage quoted (facts, or why not: lscp:notModelled), new facts in
nine passages, and the source's own words beside every normalised value (lscp:asWritten).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from lscp_kg.authoring import compile_file
from lscp_kg.authoring.from_trig import convert
from lscp_kg.locations import SHIPPED_DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
LEWISHAM = SHIPPED_DATA_DIR / "lewisham"
BASE = "https://lscp-kg.example.org/"
LSCP = BASE + "ontology#"
PROV_VALUE = "http://www.w3.org/ns/prov#value"
PASSAGE = BASE + "id/lewisham/passage/"

#: Quotes that now carry the source's exact characters (bullet indents, non-breaking spaces).
EXACT_QUOTES = {"L57-62", "L64-68", "L72-80", "L82-84", "L109-113", "L144-149", "L171-173", "L175", "L181-185",
                "L227-233", "L247-255", "L291-294", "L308", "L310", "L370", "L396-400", "L402-408"}
#: Passages whose recorded span (start, end) was wider than the quote: now the lines the quote occupies (issue 16:
#: the quote widened to the span, or the passage renamed to its lines).
SPANS = {"L82-84": ((82, 84), (82, 84)), "L117-142": ((117, 142), (117, 142)), "L153-155": ((153, 155), (153, 155)),
         "L157-161": ((157, 161), (157, 159)), "L177-179": ((177, 179), (177, 179)),
         "L187-191": ((187, 191), (187, 191)), "L199-205": ((199, 205), (199, 199)),
         "L334-338": ((334, 338), (336, 336)), "L340-342": ((340, 342), (340, 342))}
#: The items of the "Our Legal Frameworks" list: lscp:legalFramework instead of lscp:followsGuidance (issue 13, item 10).
LEGAL_FRAMEWORK_PASSAGES = {"L370": 1, "L372-388": 9}
#: External citations added for sectors the source does not state, and (issue 16) for the Probation seat.
NEW_CITATIONS = {"children-act-2004-s16B", "gov-uk-about", "health-and-care-act-2022-nhs-england", "probation-service-2021"}
SECTORS_ADDED, FUNCTIONS_ADDED = 30, 12

# Issue 16: Lewisham, every statement of the page.
#: Every source passage and citation graph names the partnership whose arrangements state it (commit 101b1c4).
CONTEXT = LSCP + "partnershipContext"
#: Passages (public IRIs) renamed: their old names gave lines other than the quote's.
RENAMED = {"L157-161": "L157-159", "L199-205": "L199", "L334-338": "L336"}
#: Passages whose quote now runs over the lines their name gives: the heading above (82-84, 153-155, 157-159,
#: 177-179, 187-191, 340-342), or the table naming the relevant agencies under the sentence that calls them so
#: (117-142); and quotes that now start where their sentence starts (13, 19, 57-62, 261).
WIDENED = {"L82-84", "L117-142", "L153-155", "L157-159", "L177-179", "L187-191", "L340-342",
           "L13", "L19", "L57-62", "L261"}
#: New passages for lines no passage cited: what they state, or (marked lscp:notModelled) why they are left out.
NEW_PASSAGES = {
    "L5": "heading", "L51": "heading", "L86": "heading", "L165": "heading", "L193": "heading", "L195": "heading",
    "L239": "heading", "L245": "heading", "L259": "heading", "L265": "heading", "L287": "heading",
    "L366": "heading", "L392": "heading", "L304": "the news item's heading", "L390": "about the website",
    "L410": "the page's footer",
    "L17": "aim", "L163": "aim", "L197": "aim", "L201": "aim", "L203": "aim", "L209": "aim", "L211": "aim",
    "L213": "aim", "L215": "aim", "L217": "aim", "L263": "two aims", "L273": "aim", "L277-279": "aim",
    "L334": "the inspection's further findings", "L344-348": "Lewisham Council's response",
    "L350": "the South East London Integrated Care System's response", "L354": "its words",
    "L356-358": "the Metropolitan Police's response, given by Richard McDonagh", "L360-364": "its words",
    # sentences of lines another passage cites only in part
    "L19a": "two aims", "L40c": "the Pathfinder's delivery", "L70b": "what the priorities are", "L167a": "schools",
    "L241": "a responsibility", "L267a": "aim", "L271a": "two aims",
    # images' descriptions run into the text ('mother and child', 'young child') and words run into a heading
    "L7a": "image", "L53a": "image", "L88a": "image", "L177": "image", "L195a": "image", "L277": "heading's prefix",
}
#: Facts added to passages that were there (passage -> the properties of the added statements).
ADDED_FACTS = {
    "L115": {"type", "label", "comment", "concerns"},  # source issue: 'bi-monthly'
    "L257": {"type", "label", "comment", "concerns"},  # source issue: 'ICS Governing Body'
    "L157-159": {"aim", "type", "label"},  # line 159's first sentence: a dynamic and self-improving system
    "L340-342": {"type", "label", "wasAttributedTo"},  # Lewisham Council's response, by Chris Barnham
    "L352": {"wasAttributedTo"},  # the ICS's response, by Ceri Jacob
    # Richard McDonagh's post (in the Metropolitan Police, line 356) and the undated news item (source issue)
    "L358-360": {"type", "label", "describedAs", "holds", "comment", "concerns"},
    "L23-29": {"chairModel"},  # the current chair is an officer of a partner (the ICB's Place Executive Lead)
    "L227-233": {"independent"},  # 'scrutiny by an independent person'
    "L235": {"scrutinyModel"},  # 'Independent Scrutiny will be provided by a single individual'
}
#: The source's own words beside each normalised value (lscp:asWritten): 'seven' beside 7, 'November 2022' beside
#: 2022-11, '31.01.23' beside 2023-01-31, 'yearly rotation' beside freq:annual, ...
AS_WRITTEN = LSCP + "asWritten"
AS_WRITTEN_ADDED = 27


def _renamed(quads):
    """The earlier graph with the renamed passages under their new names (the graph and its own statements)."""
    names = {ox.NamedNode(PASSAGE + old): ox.NamedNode(PASSAGE + new) for old, new in RENAMED.items()}
    return {ox.Quad(names.get(q.subject, q.subject), q.predicate, q.object, names.get(q.graph_name, q.graph_name))
            for q in quads}


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
    assert {_name(g) for g in {q.graph_name for q in before} - {q.graph_name for q in after}} == set(RENAMED)
    new_graphs = {_name(g) for g in {q.graph_name for q in after} - {q.graph_name for q in _renamed(before)}}
    assert new_graphs == NEW_CITATIONS | set(NEW_PASSAGES)


def test_every_difference_is_a_listed_correction(graphs):
    before, after = graphs
    before = _renamed(before)
    removed, added = before - after, after - before
    unexplained_removed, unexplained_added = [], []
    source = (LEWISHAM / "sources" / "our-partnership-arrangements.txt").read_text(encoding="utf-8")
    used = set()
    for quad in removed:
        name, predicate = _name(quad.graph_name), quad.predicate.value
        if predicate == PROV_VALUE and (name in EXACT_QUOTES or name in WIDENED):
            continue
        if predicate in (LSCP + "startLine", LSCP + "endLine") and name in {RENAMED.get(n, n) for n in SPANS}:
            continue
        if predicate == LSCP + "followsGuidance" and name in LEGAL_FRAMEWORK_PASSAGES:
            assert ox.Quad(quad.subject, ox.NamedNode(LSCP + "legalFramework"), quad.object, quad.graph_name) in added
            continue
        unexplained_removed.append(str(quad))
    for quad in added:
        name, predicate = _name(quad.graph_name), quad.predicate.value
        if predicate == CONTEXT and quad.subject == quad.graph_name:
            assert quad.object.value == BASE + "id/partnership/lewisham"
            continue
        if name in NEW_PASSAGES:
            continue
        if predicate == PROV_VALUE and name in WIDENED:
            # The quote now runs over the lines its name gives: the earlier quote's words and those around them.
            old = next(q.object.value for q in removed if q.graph_name == quad.graph_name and q.predicate.value == PROV_VALUE)
            assert quad.object.value in source and re.sub(r"\s+", " ", old) in re.sub(r"\s+", " ", quad.object.value)
            continue
        if predicate == AS_WRITTEN:
            # The words are the source's: in the passage's quote, or in the citation's text.
            words = {q.object.value for q in after if q.graph_name == quad.graph_name and q.subject == quad.graph_name
                     and q.predicate.value in (PROV_VALUE, "http://purl.org/dc/terms/bibliographicCitation")}
            assert any(quad.object.value in re.sub(r"\s+", " ", w) for w in words), str(quad)
            continue
        if re.split(r"[#/]", predicate)[-1] in ADDED_FACTS.get(name, ()):
            used.add((name, re.split(r"[#/]", predicate)[-1]))
            continue
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
    assert used == {(name, p) for name, predicates in ADDED_FACTS.items() for p in predicates}, "a correction not made"
    counts = {p: sum(1 for q in added if q.predicate.value == LSCP + p) for p in ("sector", "function", "legalFramework")}
    assert counts == {"sector": SECTORS_ADDED, "function": FUNCTIONS_ADDED, "legalFramework": 10}
    assert sum(1 for q in removed if q.predicate.value == PROV_VALUE) == len(EXACT_QUOTES | WIDENED)
    assert sum(1 for q in added if q.predicate.value == AS_WRITTEN) == AS_WRITTEN_ADDED


def test_line_spans_are_the_quotes_lines(graphs):
    before, after = graphs
    for name, (old, new) in SPANS.items():
        assert _span(before, name) == old and _span(after, RENAMED.get(name, name)) == new, name
    lines = (LEWISHAM / "sources" / "our-partnership-arrangements.txt").read_text(encoding="utf-8").split("\n")
    for quad in after:
        if quad.predicate.value == PROV_VALUE:
            start, end = _span(after, _name(quad.graph_name))
            assert quad.object.value in "\n".join(lines[start - 1:end]), _name(quad.graph_name)


def test_passage_names_do_not_contradict_their_lines(graphs):
    """A passage's public name gives its lines: L<start>-<end>, or L<line> with a letter when several share it."""
    _before, after = graphs
    names = {_name(q.graph_name) for q in after if q.graph_name.value.startswith(PASSAGE)}
    for name in names:
        start, end = _span(after, name)
        match = re.fullmatch(r"L(\d+)(?:-(\d+))?([a-z]?)", name)
        assert match, name
        assert (int(match[1]), int(match[2] or match[1])) == (start, end), name


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
