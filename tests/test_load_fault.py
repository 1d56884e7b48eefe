"""Load and faults on a real server of its own: many clients and runaway queries at once, and query workers
killed mid-query. The service stays up, answers everyone it can (a query cut by a limit or a killed worker
gets a clear 503), replaces the workers, and its data is unchanged.

The default versions are short, for CI; ``-m slow`` runs longer, heavier ones.
"""

from __future__ import annotations

import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from server_support import busy_worker, running_server, server_workers, session_from, start_server, stop_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
FINGERPRINT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
NAMED = ["statutory-partners", "accountability-chain", "members-of-body", "reports", "facts-as-of", "person"]
TIME_LIMIT = 5.0
#: server processes: two can be held by runaway queries while the others answer everyone else
WORKERS = 6


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``lscp-kg serve`` with 2 workers and a 2 s time limit, only for these tests (they kill its workers)."""
    options = ["--workers", str(WORKERS), "--time-limit", str(TIME_LIMIT)]
    with running_server(options, tmp_path_factory.mktemp("load-fault") / "server.log") as (url, process):
        wait_for_workers(url, WORKERS)
        yield url, process


def health(url: str) -> dict:
    return requests.get(url + "/health", timeout=10).json()


def wait_for_workers(url: str, count: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = health(url)
        if state["workers"] >= count:
            return state
        time.sleep(0.1)
    raise AssertionError(f"workers not back: {health(url)}")


def fingerprint(url: str) -> str:
    response = requests.get(url + "/sparql", params={"query": FINGERPRINT},
                            headers={"Accept": "text/csv", "Cache-Control": "no-cache"}, timeout=30)
    assert response.status_code == 200
    return response.text


def named(url: str, name: str, fresh: bool) -> requests.Response:
    headers = {"Cache-Control": "no-cache"} if fresh else {}
    return requests.get(f"{url}/api/queries/{name}", headers=headers, timeout=60)


def storm(url: str, *, clients: int, requests_each: int, runaways: int, network: int = 2) -> tuple[list, list]:
    """``clients`` clients asking named queries (half afresh) while ``runaways`` runaway queries run."""
    def client(k: int) -> list:
        session, statuses = session_from(f"127.{network}.1.{k + 1}"), []  # each client its own address
        for i in range(requests_each):
            name = NAMED[(k + i) % len(NAMED)]
            response = session.get(f"{url}/api/queries/{name}", timeout=60,
                                   headers={"Cache-Control": "no-cache"} if (k + i) % 2 else {})
            statuses.append((response.status_code, response.text[:200]))
        return statuses

    def run_away(k: int) -> tuple:
        response = session_from(f"127.{network}.2.{k + 1}").get(url + "/sparql", params={"query": RUNAWAY}, timeout=60)
        return response.status_code, response.text

    with ThreadPoolExecutor(max_workers=clients + runaways) as pool:
        stuck = [pool.submit(run_away, k) for k in range(runaways)]
        answered = [pool.submit(client, k) for k in range(clients)]
        return [s for future in answered for s in future.result()], [future.result() for future in stuck]


def check_storm(url: str, normal: list, runaway: list, replaced_before: int, print_=None) -> None:
    assert all(status == 503 and "time limit" in text for status, text in runaway), runaway
    bad = [s for s in normal if s[0] != 200 and not (s[0] == 503 and "busy" in s[1])]
    assert not bad, bad[:5]
    assert sum(s[0] == 200 for s in normal) >= 0.9 * len(normal), "nearly everyone is answered"
    state = wait_for_workers(url, 2)
    assert state["workers_replaced"] >= replaced_before + len(runaway)


def test_many_clients_and_runaway_queries_at_once(server):
    url, _process = server
    before, replaced = fingerprint(url), health(url)["workers_replaced"]
    normal, runaway = storm(url, clients=12, requests_each=15, runaways=2)
    check_storm(url, normal, runaway, replaced)
    assert fingerprint(url) == before


def test_cached_answers_keep_flowing_while_every_worker_is_stuck(server):
    url, _process = server
    named(url, "statutory-partners", fresh=False)  # now in the response cache
    results = []
    threads = [threading.Thread(target=lambda k=k: results.append(session_from(f"127.0.3.{k + 1}").get(
        url + "/sparql", params={"query": RUNAWAY}, timeout=60).status_code)) for k in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # both workers now hold a runaway
    started = time.monotonic()
    cached = [named(url, "statutory-partners", fresh=False) for _ in range(20)]
    elapsed = time.monotonic() - started
    for thread in threads:
        thread.join()
    assert all(r.status_code == 200 and r.headers.get("X-Cache") == "hit" for r in cached)
    assert elapsed < TIME_LIMIT, "answered from the cache, not queued behind the runaways"
    assert results == [503, 503]
    wait_for_workers(url, 2)


def _workers(process: subprocess.Popen) -> list:
    return server_workers(process)


def every_worker(url: str, process: subprocess.Popen, timeout: float = 60) -> list:
    """All ``WORKERS`` worker processes, once a replacement for one killed by an earlier test has started."""
    deadline = time.monotonic() + timeout
    wait_for_workers(url, WORKERS, timeout)
    while len(workers := _workers(process)) != WORKERS and time.monotonic() < deadline:
        time.sleep(0.1)
    return workers


def test_a_worker_killed_mid_query_is_replaced_and_nothing_is_lost(server):
    url, process = server
    workers = every_worker(url, process)
    assert len(workers) == WORKERS
    before, replaced = fingerprint(url), health(url)["workers_replaced"]
    answers = []
    thread = threading.Thread(target=lambda: answers.append(  # a client of its own: the kill is no strike against it
        session_from("127.0.8.1").get(url + "/sparql", params={"query": RUNAWAY}, timeout=60)))
    thread.start()
    busy = busy_worker(process)
    assert busy is not None, "no worker started the query"
    busy.kill()
    thread.join(timeout=30)
    assert answers and answers[0].status_code == 503 and "stopped from outside" in answers[0].text
    state = wait_for_workers(url, WORKERS)
    assert state["workers_replaced"] == replaced + 1
    assert busy.pid not in {w.pid for w in _workers(process)}
    # Everything is answered again, from both workers, with the same data.
    assert all(named(url, name, fresh=True).status_code == 200 for name in NAMED * 2)
    assert fingerprint(url) == before


def test_every_worker_killed_at_once_is_survived(server):
    url, process = server
    before = fingerprint(url)
    for worker in _workers(process):
        worker.kill()
    # Requests meanwhile wait for the replacements (or get a clear 503), never a hang or a 500.
    responses = [named(url, "members-of-body", fresh=True) for _ in range(4)]
    assert all(r.status_code == 200 or (r.status_code == 503 and "worker" in r.text) for r in responses)
    wait_for_workers(url, 2)
    assert fingerprint(url) == before
    assert named(url, "accountability-chain", fresh=True).status_code == 200


@pytest.mark.slow
def test_long_storm_with_runaways_and_killed_workers(server):
    url, process = server
    before, replaced = fingerprint(url), health(url)["workers_replaced"]
    stop = threading.Event()

    def killer():
        while not stop.wait(3.0):
            workers = _workers(process)
            if workers:
                workers[0].kill()

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        normal, runaway = storm(url, clients=48, requests_each=60, runaways=6, network=3)  # clients with no strikes
    finally:
        stop.set()
        thread.join()
    # Killed workers turn a few in-flight queries into a clear 503 as well.
    bad = [s for s in normal if s[0] != 200 and not (s[0] == 503 and ("busy" in s[1] or "worker" in s[1]))]
    assert not bad, bad[:5]
    assert sum(s[0] == 200 for s in normal) >= 0.8 * len(normal)
    assert all(status == 503 for status, _ in runaway)
    state = wait_for_workers(url, 2)
    assert state["workers_replaced"] > replaced
    assert fingerprint(url) == before


# --- Network isolation: reported, and required on request ------------------------------------------------------

#: Runs a command where the host gives no new network namespace: a user namespace (the system's own, not a
#: simulation in the service) whose limits allow no further network or user namespaces.
NO_NAMESPACES = ("unshare", "--user", "--map-root-user", "sh", "-c",
                 "echo 0 > /proc/sys/user/max_net_namespaces && echo 0 > /proc/sys/user/max_user_namespaces "
                 "&& exec \"$@\"", "no-namespaces")


def namespaces_can_be_denied() -> bool:
    try:
        done = subprocess.run([*NO_NAMESPACES, "unshare", "--net", "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode != 0 and b"unshare" in done.stderr  # the inner unshare was refused


def serve_command(*options: str) -> list[str]:
    import sys

    return [sys.executable, "-c", "from lscp_kg.cli import main; main()", "serve", "--host", "127.0.0.1",
            "--port", "0", "--workers", "1", *options]


@pytest.fixture(scope="module")
def no_namespaces():
    if not namespaces_can_be_denied():
        pytest.skip("this host cannot run a process without network namespaces (unshare --user)")
    return NO_NAMESPACES


def test_without_network_namespaces_the_service_says_so(no_namespaces, tmp_path):
    url, process = start_server(["--workers", "1"], tmp_path / "server.log", prefix=no_namespaces)
    try:
        state = wait_for_workers(url, 1)
        assert state["network_isolation"]["isolated"] is False and state["workers_network_isolated"] is False
        assert "no network namespace" in state["network_isolation"]["detail"]
        deadline = time.monotonic() + 10
        while "NOT isolated" not in (tmp_path / "server.log").read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "query workers: NOT isolated from the network" in (tmp_path / "server.log").read_text()
    finally:
        stop_server(process)


def test_require_network_isolation_refuses_to_start_without_namespaces(no_namespaces):
    done = subprocess.run([*no_namespaces, *serve_command("--require-network-isolation")], capture_output=True,
                          text=True, timeout=90)
    assert done.returncode != 0
    assert "--require-network-isolation" in done.stderr and "no network namespace" in done.stderr
    assert "Serving on" not in done.stdout + done.stderr


def test_require_network_isolation_starts_where_workers_are_isolated(server, tmp_path):
    if not health(server[0])["workers_network_isolated"]:
        pytest.skip("this host gives no network namespace")
    url, process = start_server(["--workers", "1", "--require-network-isolation"], tmp_path / "server.log")
    try:
        assert wait_for_workers(url, 1)["network_isolation"]["isolated"] is True
    finally:
        stop_server(process)
