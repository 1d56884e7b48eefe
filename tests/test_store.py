"""Loading data: good files load, bad files are refused with file and line and change nothing."""

from __future__ import annotations

import pytest

from lscp_kg.backends import StoreSettings
from lscp_kg.store import load_knowledge_graph
from lscp_kg.data_errors import DataFileError


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


def test_a_broken_file_leaves_an_on_disk_store_as_it_was(tmp_path):
    """Bad data changes nothing: loading the shipped data plus a broken file into an existing on-disk store
    fails with the file's name before anything is written, and the store still holds the graph it held."""
    settings = StoreSettings(store_path=tmp_path / "store")
    good = load_knowledge_graph(settings=settings)
    before, fingerprint = len(good), good.fingerprint()
    del good
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    with pytest.raises(DataFileError, match="bad.ttl"):
        load_knowledge_graph([bad], settings=settings)
    again = load_knowledge_graph(settings=settings)
    assert (len(again), again.fingerprint()) == (before, fingerprint)


def test_missing_data_path_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        load_knowledge_graph([tmp_path / "nope.trig"])


def test_base_iri_is_configurable():
    other = load_knowledge_graph(base_iri="http://example.org/kg/")
    assert bool(other.query("ASK { <http://example.org/kg/id/partnership/lewisham> a lscp:SafeguardingPartnership }"))


def test_an_in_memory_graph_has_a_fingerprint_of_its_content(tmp_path):
    """The fingerprint names the data: the same quads give the same one, other quads another."""
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    one, two, other = load_knowledge_graph(), load_knowledge_graph(), load_knowledge_graph([extra])
    assert one.fingerprint() == two.fingerprint() != other.fingerprint()
    assert len(one.fingerprint()) == 16
