"""Loading data: good files load, bad files are refused with file and line and change nothing."""

from __future__ import annotations

import pytest

from lscp_kg.store import DataFileError, load_knowledge_graph


def test_shipped_graph_loads_with_every_partner(kg):
    rows = list(kg.query("SELECT DISTINCT ?p WHERE { ?x lscp:safeguardingPartner ?p }"))
    assert len(rows) == 3


def test_broken_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text("@prefix ex: <http://example.org/> .\n<g> {\n  ex:a ex:b ex:c .\n  ex:d ex:e\n}\n")
    with pytest.raises(DataFileError) as caught:
        load_knowledge_graph([bad])
    assert caught.value.path == bad
    assert caught.value.line == 5
    assert "bad.trig:5" in str(caught.value)


def test_failed_reload_leaves_existing_graph_untouched(kg, tmp_path):
    before = len(kg)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(DataFileError):
        kg.replace_with(load_knowledge_graph([bad]))
    assert len(kg) == before


def test_missing_data_path_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        load_knowledge_graph([tmp_path / "nope.trig"])


def test_base_iri_is_configurable():
    other = load_knowledge_graph(base_iri="http://example.org/kg/")
    assert bool(other.query("ASK { <http://example.org/kg/id/partnership/lewisham> a lscp:SafeguardingPartnership }"))
