"""`lscp-kg validate` passes on the shipped data and fails, readably, on bad data."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from lscp_kg.cli import main
from lscp_kg.locations import SHIPPED_DATA_DIR

PASSAGE = """@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
<id/test/passage/L25> {{
    <id/test/passage/L25> a lscp:SourcePassage ; lscp:source <id/source/lewisham-our-partnership-arrangements> ;
        lscp:partnershipContext <id/partnership/lewisham> ;
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
    assert f"{data}:1:" in result.output and "outside any passage or citation graph" in result.output


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
    from lscp_kg.namespaces import PREFIXES
    assert bool(back.query(ask, prefixes=PREFIXES))
    assert len({q.triple for q in back}) >= len({q.triple for q in kg.quads()})


# Every validation message names the file, the line, the value and the fix.

BODY = """<id/test/body/board> a lscp:Subgroup ; rdfs:label "Test Board" ;
        lscp:partnershipOf <id/partnership/lewisham> ;
        lscp:meetingFrequency {frequency} ."""


def _validate(runner, path):
    result = runner.invoke(main, ["validate", "--data", str(path)])
    assert result.exit_code == 1, result.output
    return result.output


def _line_of(path, text):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_undeclared_frequency_names_the_term_the_line_and_the_ways_to_say_it(runner, tmp_path):
    data = tmp_path / "frequency.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts=BODY.format(frequency="<http://purl.org/cld/freq/everySixWeeks>")))
    output = _validate(runner, data)
    (line,) = [x for x in output.splitlines() if "everySixWeeks" in x]
    assert f"{data}:{_line_of(data, 'everySixWeeks')}:" in line  # the line of the statement itself
    assert "'Test Board'" in line and "lscp:meetingFrequency freq:everySixWeeks, which is not a dcterms:Frequency" in line
    assert "(it is not declared in the data)" in line
    assert "Fix:" in line and "freq:monthly" in line and "lscp:meetingInterval" in line and '"P6W"^^xsd:duration' in line
    assert "Value does not have class" not in output


@pytest.mark.parametrize("frequency", ["<http://purl.org/cld/freq/monthly>", "<http://purl.org/cld/freq/weekly>"])
def test_monthly_and_weekly_are_declared(runner, tmp_path, frequency):
    data = tmp_path / "monthly.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts=BODY.format(frequency=frequency)))
    result = runner.invoke(main, ["validate", "--data", str(data)])
    assert result.exit_code == 0, result.output


def test_every_six_weeks_as_a_duration(runner, tmp_path):
    data = tmp_path / "sixweeks.trig"
    facts = BODY.replace("lscp:meetingFrequency {frequency}", 'lscp:meetingInterval "P6W"^^<http://www.w3.org/2001/XMLSchema#duration>')
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts=facts))
    assert runner.invoke(main, ["validate", "--data", str(data)]).exit_code == 0
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts=BODY.replace("lscp:meetingFrequency {frequency}", 'lscp:meetingInterval "six weeks"')))
    (line,) = [x for x in _validate(runner, data).splitlines() if "meetingInterval" in x]
    assert "'six weeks', which is not of datatype xsd:duration" in line and '"P6W"^^xsd:duration' in line


def test_people_given_as_partners_are_each_named_with_the_fix(runner, tmp_path):
    data = tmp_path / "partners.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts="<id/partnership/lewisham> lscp:safeguardingPartner "
                                   "<id/person/ceri-jacob> , <id/person/simon-dilkes> , <id/person/pinaki-ghoshal> ."))
    output = _validate(runner, data)
    lines = [x for x in output.splitlines() if "lscp:safeguardingPartner" in x and "which is not a org:Organization" in x]
    assert len(lines) == 3 and len(set(lines)) == 3
    for name in ("Ceri Jacob", "Simon Dilkes", "Pinaki Ghoshal"):
        (line,) = [x for x in lines if f"'{name}'" in x]
        assert "(it is a foaf:Person)" in line and "use lscp:partnerNamedAsPerson" in line
        assert f"{data}:" in line


def test_a_second_label_on_a_shared_organisation_names_both_labels_and_where(runner, tmp_path):
    data = tmp_path / "label.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts='<id/org/nhs-england> rdfs:label "NHS England (national)" .'))
    output = _validate(runner, data)
    (line,) = [x for x in output.splitlines() if "has 2 labels" in x]
    assert "'NHS England'" in line and "'NHS England (national)'" in line
    assert f"({data}:{_line_of(data, 'NHS England (national)')})" in line
    assert "partnership.yaml:" in line and "Fix: give it exactly one rdfs:label" in line and "lscp:nameUsed" in line


def test_a_statement_outside_any_passage_graph_names_its_file_and_line(runner, tmp_path):
    data = tmp_path / "loose.trig"
    data.write_text('@prefix org: <http://www.w3.org/ns/org#> .\n\n<id/test/thing> a org:Organization .\n')
    output = _validate(runner, data)
    (line,) = [x for x in output.splitlines() if "outside any passage" in x]
    assert f"{data}:3:" in line and "org:Organization" in line and "Fix: move it into the named graph" in line
    # Its missing label is placed in the same file and line, though no named graph holds it.
    (label,) = [x for x in output.splitlines() if "has no rdfs:label" in x]
    assert label.startswith(f"  - {data}:3: <https://lscp-kg.example.org/id/test/thing> has no rdfs:label.")


def test_a_line_span_past_the_end_counts_the_lines_as_an_editor_does(runner, tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "short.txt").write_text("".join(f"line {n}\n" for n in range(1, 28)))
    data = tmp_path / "short.trig"
    data.write_text("""@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<id/source/short> {
    <id/source/short> a lscp:SourceDocument ; rdfs:label "A short source" ; lscp:textFile "sources/short.txt" .
}
<id/test/passage/L27-28> {
    <id/test/passage/L27-28> a lscp:SourcePassage ; lscp:source <id/source/short> ;
        lscp:partnershipContext <id/partnership/lewisham> ;
        lscp:startLine 27 ; lscp:endLine 28 ; prov:value "line 27" .
}
""")
    output = _validate(runner, data)
    (line,) = [x for x in output.splitlines() if "line span" in x]
    assert "which has 27 lines" in line and f"{data}:7:" in line and "give lines between 1 and 27" in line
    (tmp_path / "sources" / "short.txt").write_text("".join(f"line {n}\n" for n in range(1, 29)))
    assert runner.invoke(main, ["validate", "--data", str(data)]).exit_code == 0


def test_a_person_without_a_name_is_told_what_to_add(runner, tmp_path):
    data = tmp_path / "noname.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts='<id/person/test-person> a <http://xmlns.com/foaf/0.1/Person> ; rdfs:label "Test Person" .'))
    output = _validate(runner, data)
    (line,) = [x for x in output.splitlines() if "foaf:name" in x]
    assert f"{data}:{_line_of(data, 'test-person')}:" in line
    assert "'Test Person' <https://lscp-kg.example.org/id/person/test-person> has no foaf:name" in line
    assert "Fix: give the person one foaf:name" in line
    assert "Less than 1 values" not in output


# `serve` validates what it loads.

def _undeclared_frequency(tmp_path):
    data = tmp_path / "frequency.trig"
    data.write_text(PASSAGE.format(quote="Ceri Jacob", facts=BODY.format(frequency="<http://purl.org/cld/freq/everySixWeeks>")))
    return data


def test_serve_refuses_invalid_data_naming_each_problem(runner, tmp_path):
    data = _undeclared_frequency(tmp_path)
    result = runner.invoke(main, ["serve", "--port", "0", "--data", str(data)])
    assert result.exit_code == 1
    assert f"{data}:" in result.output and "freq:everySixWeeks" in result.output
    assert "it is not served" in result.output and "--no-validate" in result.output
    assert "Serving on" not in result.output


def test_serve_no_validate_serves_and_says_so_on_every_page(tmp_path):
    import urllib.request

    from server_support import start_server, stop_server

    url, process = start_server(["--no-validate", "--data", str(_undeclared_frequency(tmp_path))], tmp_path / "serve.log")
    try:
        for path in ("/", "/queries", "/scrutiny", "/ontology"):
            with urllib.request.urlopen(url + path, timeout=60) as response:
                page = response.read().decode("utf-8")
            assert 'class="not-validated" role="alert"' in page and "--no-validate" in page, path
    finally:
        stop_server(process)
    assert "warning: --no-validate" in (tmp_path / "serve.log").read_text()


def test_pages_of_validated_data_have_no_banner(client):
    assert "not-validated" not in client.get("/").get_data(as_text=True)
