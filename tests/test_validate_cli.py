"""`lscp-kg validate` passes on the shipped data and fails, readably, on bad data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lscp_kg.cli import main
from lscp_kg.store import SHIPPED_DATA_DIR

PASSAGE = """@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
<id/test/passage/L25> {{
    <id/test/passage/L25> a lscp:SourcePassage ; lscp:source <id/source/lewisham-our-partnership-arrangements> ;
        lscp:startLine 25 ; lscp:endLine 25 ; prov:value "{quote}" .
    {facts}
}}
"""


@pytest.fixture
def runner():
    return CliRunner()


def test_shipped_data_validates(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK")


def test_broken_turtle_file_is_reported_with_file_and_line(runner, tmp_path):
    bad = tmp_path / "broken.trig"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    result = runner.invoke(main, ["validate", "--data", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2" in result.output


def test_node_without_label_fails(runner, tmp_path):
    data = tmp_path / "nolabel.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts="<id/test/thing> a org:Organization ."))
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert "id/test/thing" in result.output and "rdfs:label" in result.output
    assert "nolabel.trig" in result.output


def test_quote_not_in_source_fails(runner, tmp_path):
    data = tmp_path / "badquote.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob, Chief Constable",
                                   facts='<id/test/thing> a org:Organization ; rdfs:label "Thing" .'))
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert "quote not found verbatim in lines 25-25" in result.output
    assert "badquote.trig" in result.output


def test_fact_outside_a_passage_graph_fails(runner, tmp_path):
    data = tmp_path / "loose.ttl"
    data.write_text('<id/test/thing> a <http://www.w3.org/ns/org#Organization> ; <http://www.w3.org/2000/01/rdf-schema#label> "Thing" .\n')
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 1
    assert "no provenance graph" in result.output


def test_a_copy_of_the_data_with_one_quote_altered_fails(runner, tmp_path):
    copy = tmp_path / "graph_data"
    shutil.copytree(SHIPPED_DATA_DIR, copy)
    # Lewisham is kept in YAML: compile it to TriG (as `lscp-kg build` does) and alter a quote there.
    from lscp_kg.authoring import compile_file
    from lscp_kg.authoring.trig import to_trig

    authored = copy / "lewisham" / "partnership.yaml"
    structure = copy / "lewisham" / "partnership.trig"
    structure.write_bytes(to_trig(compile_file(authored)))
    authored.unlink()
    structure.write_text(structure.read_text(encoding="utf-8").replace("will meet bi-monthly", "will meet monthly"), encoding="utf-8")
    # Validate only the altered copy (the shipped data would repeat the same graphs).
    from lscp_kg.store import load_knowledge_graph
    from lscp_kg.validation import validate_graph

    report = validate_graph(load_knowledge_graph([copy], include_shipped=False))
    assert not report.ok
    assert any("L115" in p.graph for p in report.provenance)


def test_query_command_prints_a_table(runner):
    result = runner.invoke(main, ["query", "SELECT ?l WHERE { <https://lscp-kg.example.org/id/person/ceri-jacob> rdfs:label ?l }"])
    assert result.exit_code == 0
    assert "Ceri Jacob" in result.output


def test_query_syntax_error_is_reported(runner):
    result = runner.invoke(main, ["query", "SELEKT nothing"])
    assert result.exit_code == 2
    assert "SPARQL syntax" in result.output


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_export_keeps_provenance(runner, tmp_path, fmt, kg):
    """Reading the export back gives the same facts, each still tied to its passage."""
    import pyoxigraph as ox

    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(main, ["export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
                  "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    back = ox.Store()
    back.bulk_extend(ox.parse(out.read_bytes(), format=rdf_format))
    fact = "<https://lscp-kg.example.org/id/lewisham/body/executive-partnership> lscp:meetingFrequency <http://purl.org/cld/freq/bimonthly>"
    if fmt == "turtle":
        ask = f"""ASK {{ ?st rdf:subject <https://lscp-kg.example.org/id/lewisham/body/executive-partnership> ;
                     rdf:predicate lscp:meetingFrequency ; prov:wasDerivedFrom ?g . ?g prov:value ?q }}"""
    else:
        ask = f"ASK {{ GRAPH ?g {{ {fact} }} GRAPH ?g {{ ?g prov:value ?q }} }}"
    from lscp_kg.namespaces import sparql_prologue
    assert bool(back.query(sparql_prologue() + ask))
    assert len({q.triple for q in back}) >= len({q.triple for q in kg.store})
