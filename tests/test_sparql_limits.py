"""The limits that protect the service, against the real server (time limit 2 s, row cap 500,
64 KiB requests, 20000-character queries: see ``SERVICE_TEST_LIMITS`` in conftest), and the
guarantee that no query makes the service contact another host or read a local file."""

from __future__ import annotations

import csv
import io
import threading
import time

import pytest
import requests
from network_support import ConnectionCounter
from server_support import busy_worker, session_from, start_server

from lscp_kg.service.errors import HttpError
from lscp_kg.service.limits import Limits
from lscp_kg.service.guarded_runner import GuardedRunner
from lscp_kg.service.query_runner import QueryJob

#: The runaway client has an address of its own: the service penalises a client whose query hits the
#: time limit (429), and that penalty must not fall on the other tests' client, 127.0.0.1.
RUNAWAY_CLIENT = "127.0.14.1"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "SELECT ?l WHERE { <https://lscp-kg.example.org/id/partnership/lewisham> rdfs:label ?l }"


@pytest.fixture(scope="module")
def endpoint(live_server):
    return live_server.url + "/sparql"


@pytest.fixture
def listener():
    opened = ConnectionCounter()
    yield opened
    opened.close()


# --- Time limit -------------------------------------------------------------------------------------

def test_runaway_query_is_stopped_near_its_limit_while_another_client_is_served(endpoint, live_server):
    limit = 2.0
    runaway = {}

    def run_away():
        started = time.monotonic()
        response = session_from(RUNAWAY_CLIENT).get(endpoint, params={"query": RUNAWAY}, timeout=30)
        runaway.update(status=response.status_code, text=response.text, elapsed=time.monotonic() - started,
                       finished=time.monotonic())

    replaced_before = requests.get(live_server.url + "/health", timeout=10).json()["workers_replaced"]
    thread = threading.Thread(target=run_away)
    thread.start()
    time.sleep(0.3)  # the runaway is now holding a worker
    other = requests.Session()  # another client, on its own connection
    quick = other.get(endpoint, params={"query": QUICK}, timeout=30)
    quick_finished = time.monotonic()
    thread.join(timeout=30)

    assert quick.status_code == 200 and "Lewisham" in quick.text
    # Behaviour, not speed (machines here are noisy): the other client is answered before the runaway
    # ends, and the runaway ends at its limit, far before the client's own 30 s timeout.
    assert quick_finished < runaway["finished"], "the other client was answered while the runaway ran"
    assert runaway["status"] == 503 and "time limit of 2 seconds" in runaway["text"]
    assert limit <= runaway["elapsed"] < limit + 3, runaway["elapsed"]
    health = requests.get(live_server.url + "/health", timeout=10).json()
    assert health["workers_replaced"] == replaced_before + 1
    # The killed worker is replaced: queries keep being answered.
    assert all(requests.get(endpoint, params={"query": QUICK}, timeout=10).status_code == 200 for _ in range(4))


def test_named_query_api_has_the_same_time_limit(app, kg, tmp_path):
    (tmp_path / "slow.rq").write_text("#+ title: Slow\n" + RUNAWAY + "\n")
    from lscp_kg.service.app import create_app

    slow = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERIES_DIR": tmp_path, "QUERY_TIME_LIMIT": 0.5,
                       "QUERY_WORKERS": 1})
    try:
        started = time.monotonic()
        response = slow.test_client().get("/api/queries/slow")
        assert response.status_code == 503 and "time limit" in response.json["error"]
        assert time.monotonic() - started < 3
    finally:
        slow.extensions["lscp_kg"].runner.close()


def test_query_over_the_memory_limit_stops_its_worker_only(kg):
    pool = GuardedRunner(kg, Limits(time_limit=30, workers=1, memory_limit=400 * 1024**2))
    greedy = ("SELECT (STRLEN(GROUP_CONCAT(?x)) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
              "BIND(CONCAT(STR(?c), STR(?f)) AS ?x) }")
    try:
        with pytest.raises(HttpError) as stopped:
            pool.run(QueryJob(greedy, {"results": "json", "graph": None}))
        assert stopped.value.status == 503 and "memory" in stopped.value.message
        assert pool.run(QueryJob("ASK {}", {"results": "json", "graph": None})).body == b'{"head":{},"boolean":true}'
    finally:
        pool.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] not in "ZX"  # a zombie has stopped
    except FileNotFoundError:
        return False


def test_workers_die_with_the_server_even_mid_query(tmp_path):
    url, server = start_server(["--workers", "2", "--time-limit", "600"], tmp_path / "server.log")

    def run_away():
        try:
            requests.get(url + "/sparql", params={"query": RUNAWAY}, timeout=30)
        except requests.RequestException:  # the server is killed under it
            pass

    threading.Thread(target=run_away, daemon=True).start()
    busy = busy_worker(server)
    assert busy is not None, "no worker started the query"
    worker = busy.pid
    assert _alive(worker)  # the worker is deep in the runaway query now
    server.kill()
    server.wait()
    deadline = time.monotonic() + 5
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker), "a worker outlived its server"


# --- Row cap -------------------------------------------------------------------------------------------

def test_select_is_cut_at_the_row_cap_and_flagged(endpoint, kg):
    assert len(kg) > 500
    response = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["X-Truncated"] == "true" and response.headers["X-Row-Cap"] == "500"
    assert len(response.json()["results"]["bindings"]) == 500
    as_csv = requests.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"}, timeout=10)
    # a header and 500 records (a value may hold line breaks inside its quotes, so records, not lines)
    assert as_csv.headers["X-Truncated"] == "true" and len(list(csv.reader(io.StringIO(as_csv.text)))) == 501


def test_construct_is_cut_at_the_row_cap(endpoint):
    response = requests.get(endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "ntriples"}, timeout=10)
    assert response.headers["X-Truncated"] == "true"
    assert len(response.text.strip().splitlines()) == 500


def test_small_answers_are_not_flagged(endpoint):
    response = requests.get(endpoint, params={"query": QUICK}, timeout=10)
    assert response.headers["X-Truncated"] == "false"


# --- Request size -------------------------------------------------------------------------------------------

def test_request_body_over_the_limit_is_413(endpoint):
    padding = "#" + "x" * (70 * 1024) + "\n"
    form = requests.post(endpoint, data={"query": padding + "ASK {}"}, timeout=10)
    direct = requests.post(endpoint, data=(padding + "ASK {}").encode(), timeout=10,
                           headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == 413 and direct.status_code == 413


def test_query_over_the_length_limit_is_413(endpoint):
    long_query = "ASK {}" + " " * 20_001
    response = requests.get(endpoint, params={"query": long_query}, timeout=10)
    assert response.status_code == 413 and "at most 20000" in response.text
    assert requests.post(endpoint, data={"query": long_query}, timeout=10).status_code == 413


# --- No other host, no local file --------------------------------------------------------------------------------

@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SeRvIcE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_nothing_is_contacted(endpoint, listener, template):
    response = requests.get(endpoint, params={"query": template.format(port=listener.port)}, timeout=10)
    assert response.status_code == 400 and "SERVICE" in response.text
    time.sleep(0.3)
    assert listener.connections == 0


def test_load_is_refused_and_nothing_is_contacted(endpoint, listener):
    response = requests.post(endpoint, data={"query": f"LOAD <http://127.0.0.1:{listener.port}/data.ttl>"}, timeout=10)
    assert response.status_code == 400
    time.sleep(0.3)
    assert listener.connections == 0


def test_from_fetches_nothing_and_reads_no_file(endpoint, listener):
    remote = requests.get(endpoint, params={"query": f"SELECT * FROM <http://127.0.0.1:{listener.port}/data.ttl> "
                                                     "WHERE { ?s ?p ?o }"}, timeout=10)
    local = requests.get(endpoint, params={"query": "SELECT * FROM <file:///etc/passwd> FROM NAMED <file:///etc/hostname> "
                                                    "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"}, timeout=10)
    assert remote.status_code == 200 and remote.json()["results"]["bindings"] == []
    assert local.status_code == 200 and local.json()["results"]["bindings"] == []
    time.sleep(0.3)
    assert listener.connections == 0


def test_worker_cannot_reach_another_host_even_past_the_guard(kg, listener):
    """Defence in depth: a SERVICE query handed straight to a worker (skipping query_guard) reaches nothing."""
    pool = GuardedRunner(kg, Limits(time_limit=10, workers=1))
    try:
        job = QueryJob(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
                       {"results": "json", "graph": None})
        with pytest.raises(HttpError):
            pool.run(job)
        if not pool.network_isolated:
            pytest.skip("this system does not allow a network namespace; the query guard alone refuses SERVICE")
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        pool.close()


# --- The request log ---------------------------------------------------------------------------------------------

def test_one_log_line_per_query_with_hash_status_and_duration(endpoint, live_server):
    from lscp_kg.service.request_log import query_label

    query = "ASK { ?s ?p ?o } # log-line test"
    requests.get(endpoint, params={"query": query}, timeout=10)
    requests.get(live_server.url + "/api/queries/statutory-partners", timeout=10)
    requests.get(endpoint, params={"query": "SELEC log-line test"}, timeout=10)
    time.sleep(0.2)
    log = live_server.log()
    line = next(line for line in log.splitlines() if query_label(query) in line)
    assert " status=200 " in line and "duration_ms=" in line and line[:4].isdigit()  # starts with the time
    assert any("query=named:statutory-partners status=200" in line for line in log.splitlines())
    bad = query_label("SELEC log-line test")
    assert any(bad in line and "status=400" in line for line in log.splitlines())
