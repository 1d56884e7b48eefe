"""The store interface is the only way to a store (issue 19, item 5).

A new kind of store is one module and one line of the registry. The test backend below
(``memtest://NAME``, a pyoxigraph store in memory that a test names) is found by its scheme,
loaded by :func:`load_knowledge_graph`, handed to a forked process through
``for_forked_process``, and answers every competency question as the embedded store does; the
package's own smallest kind, :mod:`lscp_kg.backends.dump`, serves pages and /sparql. And no module of the package outside ``lscp_kg/backends/`` builds a
pyoxigraph store or reads a knowledge graph's ``.store``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from lscp_kg import backends
from lscp_kg.backends import StoreSettings, backend_class, store_settings
from lscp_kg.backends.dump import DumpBackend
from lscp_kg.backends.embedded import EmbeddedBackend
from lscp_kg.service.app import create_app
from lscp_kg.service.limits import Limits
from lscp_kg.service.guarded_runner import GuardedRunner, reopened
from lscp_kg.store import KnowledgeGraph, graph_from_quads, load_knowledge_graph

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "tests" / "competency" / "questions.yaml").read_text(encoding="utf-8"))

#: The test stores by name: what ``memtest://NAME`` opens (the "server" of this kind of store).
MEMTEST_DATA: dict[str, list[ox.Quad]] = {}


class MemTestBackend(EmbeddedBackend):
    """A whole kind of store: a pyoxigraph store in memory, filled from :data:`MEMTEST_DATA` by name.

    It answers through the embedded backend's methods; what makes it a kind of its own is how it is
    opened (by its address, and in a forked process) and described, and that it keeps the time limit it
    is given.
    """

    def __init__(self, name: str):
        store = ox.Store()
        store.bulk_extend(MEMTEST_DATA[name])
        super().__init__(store)
        self.name, self.time_limit = name, None

    @classmethod
    def from_settings(cls, settings: StoreSettings) -> "MemTestBackend":
        return cls(settings.store.split("://", 1)[1])

    def for_forked_process(self) -> "MemTestBackend":
        """A store of its own in the forked process (as a store reached by connections would be)."""
        backend = type(self)(self.name)
        backend.set_time_limit(self.time_limit)
        return backend

    def describe(self) -> str:
        return f"test store {self.name!r} (in memory)"

    def set_time_limit(self, seconds: float) -> None:
        self.time_limit = seconds


@pytest.fixture
def memtest(monkeypatch, kg):
    """The registry line that makes ``memtest://`` a kind of store, and a store named ``shipped``."""
    monkeypatch.setitem(backends.STORE_SCHEMES, "memtest", f"{__name__}.MemTestBackend")
    monkeypatch.setitem(MEMTEST_DATA, "shipped", list(kg.quads()))
    return "memtest://shipped"


def test_the_registry_finds_a_new_kind_of_store_by_its_scheme(memtest):
    assert backend_class(memtest) is MemTestBackend
    settings = store_settings(store=memtest)
    assert settings.remote_url is None  # not a network address: nothing treats it as one
    with pytest.raises(ValueError, match="no store of the kind 'nostore'"):
        backend_class("nostore://x")


def test_load_knowledge_graph_opens_it_and_it_answers_like_the_embedded_store(memtest, kg, named_queries):
    other = load_knowledge_graph(settings=StoreSettings(store=memtest))
    assert isinstance(other.backend, MemTestBackend) and not other.is_remote
    assert len(other) == len(kg) and other.triple_count() == kg.triple_count()
    assert other.named_graphs() == kg.named_graphs()
    for case in CASES:
        query = named_queries[case["query"]]
        sparql, substitutions = query.prepare(case.get("params", {}), kg.base_iri)
        assert _rows(other, sparql, substitutions) == _rows(kg, sparql, substitutions), f"CQ{case['id']}"
        assert _rows(kg, sparql, substitutions), f"CQ{case['id']} answers nothing: the comparison would be empty"


def test_a_forked_process_gets_its_own_backend_with_the_same_limit(memtest, kg):
    parent = load_knowledge_graph(settings=StoreSettings(store=memtest))
    parent.backend.set_time_limit(12.5)
    forked = KnowledgeGraph(backend=parent.backend.for_forked_process(), base_iri=kg.base_iri)
    assert isinstance(forked.backend, MemTestBackend) and forked.backend is not parent.backend
    assert forked.backend.time_limit == 12.5 and forked.fingerprint() == parent.fingerprint()


def test_reopened_asks_the_backend_for_the_forked_process_s_store(memtest):
    graph = load_knowledge_graph(settings=StoreSettings(store=memtest))
    before = graph.backend
    assert reopened(graph) is graph and isinstance(graph.backend, MemTestBackend) and graph.backend is not before


def test_the_query_runner_gives_any_backend_its_time_limit(memtest):
    graph = load_knowledge_graph(settings=StoreSettings(store=memtest))
    runner = GuardedRunner(graph, Limits(time_limit=4.0))  # nothing run: no process started
    try:
        assert graph.backend.time_limit == pytest.approx(3.6) and runner.needs_network is False
        assert graph.backend.for_forked_process().time_limit == pytest.approx(3.6)
    finally:
        runner.close()


def test_a_remote_store_takes_its_time_limit_through_the_interface():
    remote = backend_class("sparql+http://127.0.0.1:9/sparql").from_settings(
        store_settings(store="sparql+http://127.0.0.1:9/sparql"))
    remote.set_time_limit(2.5)
    forked = remote.for_forked_process()
    assert remote.needs_network and forked is not remote and forked.timeout == 2.5 and forked.url == remote.url


def test_the_embedded_store_is_shared_in_memory_and_reopened_read_only_on_disk(kg, tmp_path):
    in_memory = graph_from_quads(kg.quads(), kg.base_iri)
    assert in_memory.backend.for_forked_process() is in_memory.backend  # shared copy-on-write after the fork
    on_disk = load_knowledge_graph(settings=store_settings(store_path=tmp_path / "s"))
    forked = KnowledgeGraph(backend=on_disk.backend.for_forked_process(), base_iri=kg.base_iri)
    assert forked.backend is not on_disk.backend and forked.backend.path == on_disk.backend.path
    assert len(forked) == len(kg) and forked.triple_count() == kg.triple_count()
    ask = "SELECT ?l WHERE { ?p a lscp:SafeguardingPartnership ; rdfs:label ?l }"
    assert _rows(forked, ask, None) == _rows(kg, ask, None) != []


def test_a_kind_of_store_in_the_registry_serves_pages_and_sparql_through_its_workers(kg, tmp_path):
    dump = tmp_path / "graph.nq"
    dump.write_bytes(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS))
    graph = load_knowledge_graph(settings=store_settings(store=f"dump://{dump}"))
    assert isinstance(graph.backend, DumpBackend) and len(graph) == len(kg)
    served = create_app({"KNOWLEDGE_GRAPH": graph, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 5})
    local = create_app({"KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 5})
    try:
        assert graph.backend.for_forked_process() is graph.backend  # read once, shared by the forked processes
        page, want = served.test_client().get("/id/lewisham/body/mace"), local.test_client().get("/id/lewisham/body/mace")
        assert page.status_code == 200 and page.data == want.data and b"Multi-Agency" in page.data
        sparql = {"query": "SELECT ?l WHERE { ?p a lscp:SafeguardingPartnership ; rdfs:label ?l } ORDER BY ?l"}
        answer = served.test_client().get("/sparql", query_string=sparql, headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200 and answer.get_json() == local.test_client().get(
            "/sparql", query_string=sparql, headers={"Accept": "application/sparql-results+json"}).get_json()
        assert [row["l"]["value"] for row in answer.get_json()["results"]["bindings"]] == [
            "Lewisham Safeguarding Children Partnership"]
        assert served.test_client().get("/health").get_json()["triples"] == len(kg)
    finally:
        served.extensions["lscp_kg"].runner.close()
        local.extensions["lscp_kg"].runner.close()


def test_a_dump_that_cannot_be_read_is_refused_with_its_name(tmp_path):
    with pytest.raises(ValueError, match="graph.nq"):
        load_knowledge_graph(settings=store_settings(store=f"dump://{tmp_path / 'graph.nq'}"))
    (tmp_path / "graph.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="a dump is an RDF file"):
        load_knowledge_graph(settings=store_settings(store=f"dump://{tmp_path / 'graph.csv'}"))


def _rows(graph: KnowledgeGraph, sparql: str, substitutions) -> list:
    result = graph.query(sparql, substitutions=substitutions)
    if isinstance(result, bool) or not hasattr(result, "variables"):
        return [bool(result)]
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result)


# --- nothing outside lscp_kg/backends/ reaches into a store ----------------------------------------------------

def _package_modules() -> list[Path]:
    return sorted(p for folder in ("lscp_kg", "service", "visualisations", "benchmarks")
                  for p in (ROOT / folder).rglob("*.py")
                  if "backends" not in p.relative_to(ROOT).parts[:2])


def _reaches_into_a_store(path: Path) -> list[str]:
    """Where a module builds or names pyoxigraph's Store, or reads ``.store`` of anything but the
    settings (``StoreSettings.store`` is an address, not a store)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in sorted(ast.walk(tree), key=lambda n: getattr(n, "lineno", 0)):
        if isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph" and any(a.name == "Store" for a in node.names):
            found.append(f"{path.name}:{node.lineno} imports pyoxigraph's Store")
        elif isinstance(node, ast.Attribute) and node.attr == "Store":
            found.append(f"{path.name}:{node.lineno} uses pyoxigraph's Store")
        elif isinstance(node, ast.Attribute) and node.attr == "store" and not (
                isinstance(node.value, ast.Name) and node.value.id == "settings"):
            found.append(f"{path.name}:{node.lineno} reads .store")
    return found


def test_only_the_backends_touch_a_pyoxigraph_store():
    found = [hit for path in _package_modules() for hit in _reaches_into_a_store(path)]
    assert not found, "go through KnowledgeGraph's methods or lscp_kg.backends instead:\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pyoxigraph as ox\nfrom pyoxigraph import Store\ns = ox.Store()\nkg.store.query('ASK {}')\n"
                   "settings.store\n\n\ndef store(self):\n    return self.backend.store\n", encoding="utf-8")
    assert _reaches_into_a_store(bad) == ["bad.py:2 imports pyoxigraph's Store", "bad.py:3 uses pyoxigraph's Store",
                                          "bad.py:4 reads .store", "bad.py:9 reads .store"]


def test_a_knowledge_graph_has_no_store_to_reach_into(kg):
    assert not hasattr(kg, "store")
