"""Store backends without a server: query rewriting for SPARQL 1.1 stores, the on-disk
embedded store, answer conversion, publish batching and the store options.

The remote store itself (Virtuoso) is exercised in tests/test_remote_store.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from lscp_kg.backends import StoreSettings, endpoint_url, store_settings
from lscp_kg.backends.registry import EMPTY_GRAPH, UNION_GRAPH, Published
from lscp_kg.backends.remote import RemoteBackend
from lscp_kg.backends.remote_results import solutions_from_json, triples_from_rdf
from lscp_kg.backends.query_rewrite import prepare
from lscp_kg.backends.sparql_text import QueryRefused
from lscp_kg.cli import main
from lscp_kg.namespaces import PREFIXES
from lscp_kg.publish import batches, insert_text
from lscp_kg.service.app import create_app
from lscp_kg.store import load_knowledge_graph
from lscp_kg.data_errors import DataFileError

CASES = yaml.safe_load((Path(__file__).parent / "competency" / "questions.yaml").read_text(encoding="utf-8"))
XSD = "http://www.w3.org/2001/XMLSchema#"


def named_query_runs(named_queries) -> list[tuple[str, dict]]:
    """Every named query with its defaults, with each competency case's parameters, and with the
    optional parameters given: the parameter sets the parity tests run."""
    with_defaults = [name for name, q in named_queries.items()  # a required parameter with no default needs a value
                     if all(not p.required or p.default is not None or p.default_rule for p in q.parameters)]
    runs = [(name, {}) for name in with_defaults] + [(c["query"], c.get("params", {})) for c in CASES]
    runs += [("changes-over-time", {"entity": "id/org/london-borough-of-lewisham"}),
             ("source-issues", {"entity": "id/lewisham/body/partnership-group"}),
             ("facts-as-of", {"asof": "2019-06-30"}), ("accountability-chain", {"start": "id/person/ceri-jacob"})]
    unique = {(name, tuple(sorted(params.items()))): (name, params) for name, params in runs}
    return list(unique.values())


def answer_rows(result) -> list[tuple]:
    """A query answer as a sorted list of rows of N-Triples terms (None for unbound): comparable across stores."""
    if isinstance(result, ox.QueryBoolean):
        return [(bool(result),)]
    if isinstance(result, ox.QueryTriples):
        return sorted((str(t),) for t in result)
    names = [v.value for v in result.variables]
    return sorted((tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result))


# --- query rewriting --------------------------------------------------------------------------


def test_values_and_constants_bind_parameters_as_pyoxigraph_substitution_does(kg, named_queries):
    """The rewritten text, run without substitutions, answers exactly as pyoxigraph's substitution."""
    for name, params in named_query_runs(named_queries):
        query = named_queries[name]
        bound = query.bind(params, kg.base_iri)
        expected = answer_rows(kg.query(query.sparql, substitutions=bound))
        rewritten = prepare(query.sparql, bound, kg.base_iri, PREFIXES).text(None, None)
        assert answer_rows(kg.query(rewritten)) == expected, f"{name} {params}"


def test_a_hostile_string_parameter_stays_one_literal(kg):
    hostile = 'x" } ; DROP ALL ; SELECT * { ?s ?p ?o } # \n\\ \'{'
    text = prepare("SELECT ?v WHERE { FILTER (STRLEN(?v) > 0) }", {ox.Variable("v"): ox.Literal(hostile)},
                   kg.base_iri, PREFIXES).text(None, None)
    rows = list(kg.query(text))
    assert [r["v"].value for r in rows] == [hostile]


@pytest.mark.parametrize("text, why", [
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "only SELECT"),
    ("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { ?s bif:contains 'x' }", "undefined prefix bif:"),
    ("DEFINE input:inference 'x' SELECT * { ?s ?p ?o }", "only SELECT"),
    ("SELECT * { ?s ?p '\x00' }", "NUL"),
])
def test_what_must_not_reach_a_remote_store_is_refused(text, why):
    with pytest.raises(QueryRefused, match=why):
        prepare(text, None, None, PREFIXES)


def test_keywords_inside_strings_iris_and_comments_do_not_count():
    query = prepare("SELECT ?s WHERE { ?s ?p 'SERVICE { }' . ?s ?p <urn:service> } # SERVICE {", None, None, {})
    assert query.form == "select" and not query.uses_graph


def test_the_query_own_dataset_is_taken_out_and_reported():
    query = prepare("PREFIX ex: <http://x/> SELECT * FROM <g1> FROM NAMED ex:g2 WHERE { GRAPH ?g { ?s ?p ?o } }",
                    None, "http://b/", {})
    assert query.query_from == ("http://b/g1",) and query.query_from_named == ("http://x/g2",)
    text = query.text(["urn:u"], ["urn:n"])
    assert "FROM <g1>" not in text and "ex:g2" not in text.split("WHERE")[0]
    assert "FROM <urn:u>\nFROM NAMED <urn:n>\nWHERE" in text


@pytest.mark.parametrize("text", ["ASK{}", "SELECT*{?s ?p ?o}", "CONSTRUCT{?s ?p ?o}WHERE{?s ?p ?o}",
                                  "DESCRIBE<http://x/a>", "SELECT(COUNT(*)AS?n){?s ?p ?o}"])
def test_dataset_clauses_fit_queries_written_without_spaces(kg, text):
    """The rewritten text, dataset clauses inserted, is still a query (pyoxigraph parses and runs it here)."""
    rewritten = prepare(text, None, kg.base_iri, PREFIXES).text(["urn:lscp-kg:no-graph"], ["urn:lscp-kg:no-graph"])
    kg.query(rewritten, use_default_graph_as_union=False)


def test_a_where_group_that_is_one_subselect_gets_values_beside_it(kg):
    text = prepare("SELECT ?x WHERE { SELECT ?x WHERE { BIND(1 AS ?y) } }", {ox.Variable("x"): ox.Literal("v")},
                   None, {}).text(None, None)
    assert [r["x"].value for r in kg.query(text)] == ["v"]


# --- the dataset a remote query gets -----------------------------------------------------------


PUBLISHED = Published(token="t", state="ready", version="urn:v", graphs=("http://g/1", "http://g/2"),
                      default_graph="urn:lscp-kg:default-graph")


@pytest.mark.parametrize("query, options, expected", [
    ("SELECT * { ?s ?p ?o }", {"use_default_graph_as_union": True}, ([UNION_GRAPH], None)),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", {"use_default_graph_as_union": True}, ([UNION_GRAPH], ["http://g/1", "http://g/2"])),
    ("SELECT * { ?s ?p ?o }", {}, (["urn:lscp-kg:default-graph"], None)),
    ("SELECT * FROM <http://g/2> FROM <http://other/> { ?s ?p ?o }", {}, (["http://g/2"], None)),
    ("SELECT * FROM <http://g/2> { ?s ?p ?o }", {"use_default_graph_as_union": True}, ([UNION_GRAPH], None)),
    ("SELECT * { GRAPH ?g { ?s ?p ?o } }", {"default_graph": [ox.NamedNode("http://g/1"), ox.DefaultGraph()],
                                            "named_graphs": [ox.NamedNode("http://elsewhere/")]},
     (["http://g/1", "urn:lscp-kg:default-graph"], [EMPTY_GRAPH])),
])
def test_remote_dataset_follows_pyoxigraph_options_within_the_published_graphs(query, options, expected):
    backend = RemoteBackend("http://127.0.0.1:9/sparql")
    assert backend._dataset(PUBLISHED, prepare(query, None, None, {}), options) == expected


# --- answers from a store become pyoxigraph objects ---------------------------------------------


def test_store_answers_become_pyoxigraph_solutions_with_valid_blank_nodes_and_canonical_booleans():
    body = b"""{"head": {"vars": ["b", "c", "t", "l"]}, "results": {"bindings": [
        {"b": {"type": "bnode", "value": "nodeID://b10000"}, "c": {"type": "bnode", "value": "nodeID://b10000"},
         "t": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"},
         "l": {"type": "literal", "xml:lang": "en-gb", "value": "x"}}]}}"""
    [row] = list(solutions_from_json(body))
    assert row["b"] == row["c"] == ox.BlankNode("nodeID_b10000")
    assert row["t"] == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    assert row["l"].language == "en-gb"
    assert bool(solutions_from_json(b'{"head": {}, "boolean": true}')) is True


def test_graph_answers_become_query_triples():
    triples = triples_from_rdf(b'<http://x/a> <http://x/p> _:b1 .\n_:b1 <http://x/q> "0"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n',
                               "application/n-triples")
    assert isinstance(triples, ox.QueryTriples)
    got = list(triples)
    assert len(got) == 2 and ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean")) in {t.object for t in got}
    assert len({t.subject for t in got if isinstance(t.subject, ox.BlankNode)} | {t.object for t in got if isinstance(t.object, ox.BlankNode)}) == 1


# --- publishing in batches -----------------------------------------------------------------------


def test_batches_keep_quads_linked_by_blank_nodes_together():
    g, p = ox.NamedNode("http://x/g"), ox.NamedNode("http://x/p")
    b1, b2 = ox.BlankNode(), ox.BlankNode()
    quads = [ox.Quad(ox.NamedNode(f"http://x/{i}"), p, ox.Literal(str(i)), g) for i in range(5)]
    quads += [ox.Quad(ox.NamedNode("http://x/a"), p, b1, g), ox.Quad(b1, p, b2, g), ox.Quad(b2, p, ox.Literal("end"), g)]
    out = batches(quads, size=2)
    assert sorted(map(str, (q for b in out for q in b))) == sorted(map(str, quads))
    holder = next(b for b in out if any(b1 in (q.subject, q.object) for q in b))
    assert sum(1 for q in holder if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)) == 3
    assert insert_text(holder, {"http://x/g": "urn:s"}).startswith("INSERT {")  # blank nodes: not INSERT DATA


# --- the embedded store on disk -----------------------------------------------------------------


def test_store_path_builds_once_then_reopens_read_only(tmp_path, kg):
    folder = tmp_path / "store"
    first = load_knowledge_graph(settings=store_settings(store_path=folder))
    manifest = (folder / "manifest.json").read_text()
    assert len(first) == len(kg)
    del first
    started = time.perf_counter()
    again = load_knowledge_graph(settings=store_settings(store_path=folder))
    reopened_in = time.perf_counter() - started
    assert (folder / "manifest.json").read_text() == manifest  # no rebuild
    assert answer_rows(again.query("SELECT ?p WHERE { ?x lscp:safeguardingPartner ?p }")) == \
        answer_rows(kg.query("SELECT ?p WHERE { ?x lscp:safeguardingPartner ?p }"))
    assert again.graph_files and again.files
    with pytest.raises((OSError, RuntimeError), match="read-write|read-only"):
        again.backend.store.update("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")  # opened read-only
    assert reopened_in < 5  # not a benchmark: only that no parse and load happened (see docs for timings)


def test_store_path_rebuilds_when_the_data_changes_and_keeps_the_old_store_on_a_bad_file(tmp_path, kg):
    folder, extra = tmp_path / "store", tmp_path / "extra.trig"
    extra.write_text("@prefix ex: <http://example.org/> .\n<http://example.org/g> { ex:a ex:b ex:c . }\n")
    first = load_knowledge_graph([extra], settings=store_settings(store_path=folder))
    assert len(first) == len(kg) + 1
    extra.write_text("@prefix ex: <http://example.org/> .\n<http://example.org/g> { ex:a ex:b ex:c , ex:d . }\n")
    assert len(load_knowledge_graph([extra], settings=store_settings(store_path=folder))) == len(kg) + 2
    manifest = (folder / "manifest.json").read_text()
    extra.write_text("<http://example.org/g> { broken")
    with pytest.raises(DataFileError):
        load_knowledge_graph([extra], settings=store_settings(store_path=folder))
    assert (folder / "manifest.json").read_text() == manifest
    assert len(list(folder.glob("store-*"))) <= 2  # the current store and the one before


# --- the store options --------------------------------------------------------------------------


@pytest.mark.parametrize("options, message", [
    ({"store": "sparql+http://127.0.0.1:1/sparql", "store_path": "x"}, "not both"),
    ({"store_update": "sparql+http://127.0.0.1:1/update"}, "needs --store"),
    ({"store": "sparql+http://user:secret@127.0.0.1:1/sparql"}, "not in the address"),
    ({"store": "file:///etc/passwd"}, "not a store address"),
])
def test_store_options_are_checked_together(options, message):
    with pytest.raises(ValueError, match=message):
        store_settings(**options)


def test_endpoint_url_drops_the_sparql_scheme_prefix():
    assert endpoint_url("sparql+http://127.0.0.1:8890/sparql") == "http://127.0.0.1:8890/sparql"
    assert StoreSettings(store="sparql+http://h/q", store_update="sparql+http://h/u").update_url == "http://h/u"


def test_cli_refuses_bad_store_options_with_a_clear_message(runner):
    result = runner.invoke(main, ["query", "ASK {}", "--store", "sparql+http://127.0.0.1:1/sparql", "--store-path", "x"])
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(main, ["query", "ASK {}", "--store", "sparql+http://127.0.0.1:1/sparql"])
    assert result.exit_code == 2 and "cannot reach the store" in result.output
    result = runner.invoke(main, ["validate", "--store", "sparql+http://127.0.0.1:1/sparql", "--data", "x.trig"])
    assert result.exit_code == 2


def test_cli_query_on_a_store_path(runner, tmp_path):
    folder = tmp_path / "store"
    for _ in range(2):  # the first run builds, the second reopens
        result = runner.invoke(main, ["query", "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?x lscp:safeguardingPartner ?p }",
                                      "--format", "csv", "--store-path", str(folder)])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[1] == "3"


def test_the_service_runs_on_a_store_path_with_workers_opening_it_read_only(tmp_path, kg):
    on_disk = load_knowledge_graph(settings=store_settings(store_path=tmp_path / "store"))
    app = create_app({"KNOWLEDGE_GRAPH": on_disk, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 5})
    local = create_app({"KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 5})
    try:
        path = "/api/queries/members-of-body"
        got, want = app.test_client().get(path), local.test_client().get(path)
        assert got.status_code == 200 and got.get_json() == want.get_json()
        assert app.test_client().get("/health").get_json()["triples"] == len(kg)
    finally:
        app.extensions["lscp_kg"].runner.close()
        local.extensions["lscp_kg"].runner.close()
