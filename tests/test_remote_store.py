"""The graph in a real SPARQL 1.1 store: Virtuoso Open Source (Debian's ``virtuoso-opensource``).

A private Virtuoso runs on free 127.0.0.1 ports for this module
(tests/virtuoso_support.py); ``lscp-kg publish`` loads the graph into it; then
the competency tests and every named query run against it and must give the
same answers as the embedded store. Publishing, the time limit, read-only
behaviour, credentials, the CLI and the service are checked on it too.
Skipped only where Virtuoso is not installed (CI installs it).
"""

from __future__ import annotations

import json
import threading
import time

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from lscp_kg.backends import StoreError, StoreTimeout, store_settings
from lscp_kg.backends.registry import STAGING_QUERY
from lscp_kg.backends.remote import RemoteBackend
from lscp_kg.backends.remote_results import solutions_from_json
from lscp_kg.backends.remote_statements import RemoteStatements
from lscp_kg.cli import main
from lscp_kg.named_queries import load_named_queries
from lscp_kg.namespaces import PREFIXES
from lscp_kg.publish import publish
from lscp_kg.service.app import create_app
from lscp_kg.store import graph_from_quads, load_knowledge_graph



# tests/ is on the path (pyproject's pythonpath): the support and check modules beside this one.
import test_competency as competency  # noqa: E402
import test_store_backends as backends  # noqa: E402
import virtuoso_support  # noqa: E402

answer_rows = backends.answer_rows
RUNS = backends.named_query_runs(load_named_queries())
pytestmark = pytest.mark.skipif(not virtuoso_support.virtuoso_available(),
                                reason="Virtuoso Open Source (Debian: apt-get install virtuoso-opensource) is not installed")

EXTRA = """@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/test#> .
<http://example.org/test/citation> {
  <http://example.org/test/citation> a lscp:ExternalCitation ; dcterms:bibliographicCitation "A test citation" .
  ex:thing ex:shape [ ex:width 3 ; ex:next [ ex:width "2.5"^^xsd:decimal ] ] ;
    ex:year "2023"^^xsd:gYear ; ex:month "2023-05"^^xsd:gYearMonth ; ex:day "2024-02-29"^^xsd:date ;
    ex:flag true , false ; ex:count 42 ; ex:label "Lewisham"@en-GB , "quote \\" brace } newline \\n tab \\t £ ’"@en .
}
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    server = virtuoso_support.VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def virtuoso_still_answers(request):
    """After each test, Virtuoso must still answer. Its SPARQL updates can stall behind lock waits
    (openlink/virtuoso-opensource issues 165, 271 and 1020); if one did, this test fails with the end of
    Virtuoso's log, and the server is restarted on its database so the tests after it are served."""
    yield
    if "virtuoso" not in request.fixturenames:
        return
    server = request.getfixturevalue("virtuoso")
    if not server.answers():
        tail = server.log_tail()
        server.restart()
        pytest.fail(f"Virtuoso stopped answering during this test (restarted since). The end of its log:\n{tail}")


def store_args(server) -> list[str]:
    return ["--store", f"sparql+{server.query_url}", "--store-update", f"sparql+{server.update_url}"]


@pytest.fixture(scope="module")
def published(virtuoso):
    """The shipped graph, published with ``lscp-kg publish`` (validated first)."""
    result = CliRunner().invoke(main, ["publish", *store_args(virtuoso)], env=virtuoso.publisher_environment)
    assert result.exit_code == 0, result.output
    assert "Published" in result.output
    return virtuoso


@pytest.fixture(scope="module")
def remote_kg(published):
    return load_knowledge_graph(settings=store_settings(store=f"sparql+{published.query_url}"))


@pytest.fixture
def remote_run_named(remote_kg, named_queries):
    def run(name: str, **params):
        query = named_queries[name]
        result = remote_kg.query(query.sparql, substitutions=query.bind(params, remote_kg.base_iri))
        names = [v.value for v in result.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]

    return run


def canonical(triples) -> str:
    """Triples with blank nodes relabelled canonically (RDFC), as sorted N-Triples."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return "\n".join(sorted(str(dataset).splitlines()))


def quad_count(backend: RemoteBackend) -> int:
    rows = backend.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", use_default_graph_as_union=True)
    return int(next(iter(rows))["n"].value)


# --- same answers --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", competency.CASES, ids=[f"CQ{c['id']}-{c['query']}" for c in competency.CASES])
def test_competency_question_on_virtuoso(case, remote_kg, remote_run_named, run_named, named_queries):
    competency.test_competency_question(case, remote_kg, remote_run_named, named_queries)
    params = case.get("params", {})
    assert sorted(map(str, remote_run_named(case["query"], **params))) == sorted(map(str, run_named(case["query"], **params)))


@pytest.mark.parametrize("name, params", RUNS, ids=[f"{n}{'-' + '-'.join(map(str, p.values())) if p else ''}" for n, p in RUNS])
def test_named_query_answers_the_same_on_virtuoso(name, params, kg, remote_kg, named_queries):
    query = named_queries[name]
    bound = query.bind(params, kg.base_iri)
    assert answer_rows(remote_kg.query(query.sparql, substitutions=bound)) == \
        answer_rows(kg.query(query.sparql, substitutions=bound))


def test_every_named_query_runs_with_its_defaults_on_virtuoso(remote_kg, named_queries):
    competency.test_every_named_query_runs_with_its_defaults(remote_kg, named_queries)


def test_the_whole_graph_comes_back_as_published(kg, remote_kg):
    assert len(remote_kg) == len(kg)
    assert sorted(map(str, remote_kg.quads())) == sorted(map(str, kg.quads()))
    assert sorted(map(str, remote_kg.named_graphs())) == sorted(map(str, kg.named_graphs()))
    mace, label = ox.NamedNode(kg.iri("id/lewisham/body/mace")), ox.NamedNode(PREFIXES["rdfs"] + "label")
    passage = next(iter(kg.statements(mace, label, None))).graph_name
    for pattern in [(mace, None, None, None), (mace, label, None, None), (mace, None, None, passage),
                    (mace, None, None, ox.DefaultGraph()), (None, None, mace, None), (None, label, None, passage),
                    (mace, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["lscp"] + "Subgroup"), None)]:
        for _ in range(2):  # the second time from what the view kept
            assert sorted(map(str, remote_kg.statements(*pattern))) == \
                sorted(map(str, kg.statements(*pattern))), pattern


# --- publishing ----------------------------------------------------------------------------------


def test_blank_nodes_datatypes_and_a_swap_that_readers_never_see_half_of(published, kg, tmp_path):
    """Publish a second version (with blank nodes and every datatype) while readers count, then the first again."""
    extra = tmp_path / "extra.trig"
    extra.write_text(EXTRA, encoding="utf-8")
    loaded = load_knowledge_graph([extra])
    # Every named graph changes: a reader shown part of the swap would count something in between.
    second = graph_from_quads([*loaded.quads(), *(ox.Quad(g, ox.NamedNode("urn:lscp-kg:test#version"), ox.Literal("2"), g)
                                                  for g in loaded.named_graphs())], loaded.base_iri, loaded.files)
    remote = RemoteBackend(published.query_url, published.update_url)
    reader = RemoteBackend(published.query_url)
    sizes = {len(kg), len(second)}
    seen, stop = [], threading.Event()

    def read():
        # A reader that asks again every 20 ms, as a busy service does; sending back to back instead
        # only adds lock waits inside Virtuoso, whose SPARQL updates can then stall (see the fixture below).
        while not stop.wait(0.02):
            seen.append(quad_count(reader))

    env = published.publisher_environment
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        patch.setattr("lscp_kg.publish.UPDATE_TIMEOUT", 120.0)  # a stalled update fails this test, not the run
        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        try:
            publish(second, remote, batch_size=200)
            after_swap = len(seen) + 2  # a count begun once the swap was done
            while len(seen) < after_swap and thread.is_alive():
                time.sleep(0.02)
            here = answer_rows(second.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/test/citation> { ?s ?p ?o } }"))
            there = list(reader.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/test/citation> { ?s ?p ?o } }",
                                      use_default_graph_as_union=True))
            assert len(there) == len(here) == 15  # 14 triples of the file and the version mark
            assert canonical(there) == canonical(second.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/test/citation> { ?s ?p ?o } }"))
            # blank nodes keep their structure; every literal keeps its datatype, language and characters
        finally:
            stop.set()
            thread.join(timeout=60)
            publish(kg, remote, batch_size=200)
    assert set(seen) == sizes, f"a reader saw a count that is neither version's, or missed one: {sorted(set(seen))}"
    assert quad_count(reader) == len(kg)


def test_an_interrupted_publish_changes_nothing_and_is_cleaned_up_by_the_next(published, kg, monkeypatch):
    for key, value in published.publisher_environment.items():
        monkeypatch.setenv(key, value)
    remote = RemoteBackend(published.query_url, published.update_url)
    before = remote.published(refresh=True)

    def fail(done, total):
        raise KeyboardInterrupt("stopped by the operator")

    with pytest.raises(KeyboardInterrupt):
        publish(kg, remote, progress=fail, batch_size=100)
    assert remote.published(refresh=True) == before
    assert quad_count(RemoteBackend(published.query_url)) == len(kg)
    staging = solutions_from_json(remote.post([("query", STAGING_QUERY)], "application/sparql-results+json",
                                              time.monotonic() + 10).content)
    left = [row["staging"].value for row in staging]
    assert left, "the interrupted publish should have noted its staging graphs"
    publish(kg, remote)
    staging = solutions_from_json(remote.post([("query", STAGING_QUERY)], "application/sparql-results+json",
                                              time.monotonic() + 10).content)
    assert list(staging) == []
    named = "".join(f"FROM NAMED <{g}> " for g in left)
    rows = remote.post([("query", f"SELECT (COUNT(*) AS ?n) {named} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")],
                       "application/sparql-results+json", time.monotonic() + 10)
    assert next(iter(solutions_from_json(rows.content)))["n"].value == "0"


def test_publish_needs_the_publisher_credentials(published, kg):
    before = RemoteBackend(published.query_url).published(refresh=True)
    runner = CliRunner()
    result = runner.invoke(main, ["publish", *store_args(published)], env={"LSCP_KG_STORE_UPDATE_USER": "",
                                                                           "LSCP_KG_STORE_USER": ""})
    assert result.exit_code == 2 and "no credentials" in result.output
    wrong = {**published.publisher_environment, "LSCP_KG_STORE_UPDATE_PASSWORD": "not-the-password"}
    result = runner.invoke(main, ["publish", *store_args(published)], env=wrong)
    assert result.exit_code == 2 and "refused" in result.output and "not-the-password" not in result.output
    assert RemoteBackend(published.query_url).published(refresh=True) == before


# --- limits and read-only ------------------------------------------------------------------------

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_past_its_time_limit_stops_with_store_timeout(remote_kg):
    remote_kg.query("ASK { }")
    started = time.monotonic()
    with pytest.raises(StoreTimeout):
        remote_kg.query(HEAVY, timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_virtuoso_partial_anytime_answers_are_refused(published):
    """Told a limit (here 1 s, with 30 s to answer), Virtuoso stops and sends the rows found so far,
    marked X-SQL-State: S1TAT: such an answer is refused, never returned."""
    fresh = RemoteBackend(published.query_url)  # has not met Virtuoso yet: adds no limit of its own
    # Under load Virtuoso sometimes answers a plain error instead of partial rows; either way no rows
    # may come back as an answer, which is what this test holds to.
    with pytest.raises(StoreError, match="partial answer was discarded|time limit|store"):
        fresh.post([("query", f"SELECT (COUNT(*) AS ?n) FROM <urn:lscp-kg:union> WHERE {HEAVY[HEAVY.index('{'):]}"),
                    ("timeout", "1000")], "application/sparql-results+json", time.monotonic() + 30)


def test_an_answer_larger_than_allowed_is_refused_not_cut(remote_kg):
    with pytest.raises(StoreError, match="larger than 0.25 MiB"):
        remote_kg.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", max_answer_bytes=2**20 // 4)


def test_updates_never_reach_the_store(remote_kg, published, kg):
    with pytest.raises(SyntaxError):
        remote_kg.query("INSERT DATA { GRAPH <http://example.org/g> { <http://x/a> <http://x/b> <http://x/c> } }")
    # And the store's own anonymous endpoint, the one the service reads, refuses updates.
    answer = requests.post(published.query_url, data={"update": "INSERT DATA { GRAPH <http://example.org/g> "
                                                               "{ <http://x/a> <http://x/b> <http://x/c> } }"}, timeout=10)
    assert answer.status_code >= 400
    assert len(remote_kg) == len(kg)


# --- the CLI and the service on the store ---------------------------------------------------------


def test_cli_commands_run_on_the_store(published, kg, tmp_path):
    runner, store = CliRunner(), ["--store", f"sparql+{published.query_url}"]
    result = runner.invoke(main, ["query", "SELECT DISTINCT ?p WHERE { ?x lscp:safeguardingPartner ?p }", "--format", "csv", *store])
    assert result.exit_code == 0 and len(result.output.splitlines()) == 4
    result = runner.invoke(main, ["validate", *store])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["export", "--format", "nquads", "-o", str(tmp_path / "g.nq"), *store])
    assert result.exit_code == 0, result.output
    exported = sorted((tmp_path / "g.nq").read_text(encoding="utf-8").splitlines())
    assert exported == sorted(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS).decode().splitlines())
    result = runner.invoke(main, ["query", "ASK {}", "--base", "http://elsewhere.example/", *store])
    assert result.exit_code == 2 and "published with --base" in result.output


def test_the_service_runs_unchanged_on_the_store(remote_kg, kg):
    limits = {"QUERY_TIME_LIMIT": 1.5, "QUERY_WORKERS": 1}
    remote_app = create_app({"KNOWLEDGE_GRAPH": remote_kg, **limits})
    local_app = create_app({"KNOWLEDGE_GRAPH": kg, **limits})
    try:
        remote, local = remote_app.test_client(), local_app.test_client()
        for path in ("/api/queries/members-of-body", "/api/queries/accountability-chain?start=id/person/ceri-jacob"):
            got, want = remote.get(path), local.get(path)
            assert got.status_code == want.status_code == 200
            assert answer_json(got.data) == answer_json(want.data)
        assert remote.get("/id/lewisham/body/mace").data == local.get("/id/lewisham/body/mace").data
        health = remote.get("/health").get_json()
        assert health["triples"] == len(kg) and health["workers_network_isolated"] is False
        started = time.monotonic()
        assert remote.get("/sparql", query_string={"query": HEAVY}).status_code == 503
        assert time.monotonic() - started < 4
        assert remote.post("/sparql", data={"update": "DROP ALL"}).status_code == 400
    finally:
        remote_app.extensions["lscp_kg"].runner.close()
        local_app.extensions["lscp_kg"].runner.close()


def answer_json(body: bytes):
    data = json.loads(body)
    rows = data.get("results", {}).get("bindings", data.get("rows"))
    return sorted(json.dumps(r, sort_keys=True) for r in rows) if rows is not None else data


def test_the_service_description_on_the_store_does_not_download_the_graph(remote_kg, kg, monkeypatch):
    def no_download(*_args, **_kwargs):
        raise AssertionError("the service description downloaded the graph")

    app = create_app({"KNOWLEDGE_GRAPH": remote_kg, "QUERY_WORKERS": 1, "QUERY_SPARE_WORKERS": 0})
    try:
        monkeypatch.setattr(RemoteBackend, "quads", no_download)
        monkeypatch.setattr(RemoteStatements, "matching", no_download)
        response = app.test_client().get("/sparql", headers={"Accept": "text/turtle"})
        assert response.status_code == 200 and response.mimetype == "text/turtle"
        triples = next(t for t in ox.parse(response.data, format=ox.RdfFormat.TURTLE)
                       if t.predicate.value == "http://rdfs.org/ns/void#triples")
        assert int(triples.object.value) == len({q.triple for q in kg.quads()}), "the count is still right"
    finally:
        app.extensions["lscp_kg"].runner.close()
