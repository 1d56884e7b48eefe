"""A short soak of a real server: normal clients mixing every kind of request while abusive clients send
runaway queries (to the time limit) and worker-killing ones (past the worker memory limit), and a worker
killed by hand mid-run.

Normal clients get no error at all (the one request a hand-killed worker was running aside), /health is
always answered, and the abusive clients are slowed (429 with Retry-After). Only generous "answered at
all" bounds here; the long form, with latency percentiles, is ``benchmarks/soak.py``.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from server_support import busy_worker, normal_request, running_server, session_from

SECONDS = 15
TIME_LIMIT = 5.0
MEMORY_LIMIT_MIB = 250
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: a string doubled 28 times: far past the workers' memory limit within a second or so
KILLER = "SELECT (STRLEN(?s28) AS ?n) WHERE { BIND(\"abcdefgh\" AS ?s0) " + " ".join(
    f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28)) + " }"
KILLED_BY_HAND = "stopped from outside"
THINK = 0.3  # seconds between a normal client's requests


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    options = ["--workers", "12", "--time-limit", str(TIME_LIMIT), "--memory-limit", str(MEMORY_LIMIT_MIB)]
    with running_server(options, tmp_path_factory.mktemp("soak") / "server.log") as (url, process):
        session, deadline = session_from("127.0.5.2"), time.monotonic() + 180
        while time.monotonic() < deadline and session.get(url + "/health", timeout=10).json()["warm_up"] != "done":
            time.sleep(0.2)  # the named queries' default answers and today's scrutiny report, computed at start-up
        while time.monotonic() < deadline and session.get(url + "/scrutiny.json", timeout=60).status_code != 200:
            time.sleep(0.5)  # on a very busy machine the start-up report may have run past the time limit
        yield url, process


def normal_requests(k: int):
    """Client ``k``'s endless requests (:func:`server_support.normal_request`)."""
    rng = random.Random(k)
    return (normal_request(rng, k, i) for i in itertools.count(1))


def run_normal(url: str, k: int, stop: threading.Event) -> list[tuple]:
    session, outcomes = session_from(f"127.0.4.{k + 1}"), []
    for path, params, headers in normal_requests(k):
        if stop.is_set():
            return outcomes
        started = time.monotonic()
        try:
            response = session.get(url + path, params=params, headers=headers, timeout=30)
            outcomes.append((path, response.status_code, response.text[:200], time.monotonic() - started))
        except Exception as error:  # noqa: BLE001 - a refused connection or a timeout is an outcome too
            outcomes.append((path, None, repr(error), time.monotonic() - started))
        stop.wait(THINK)  # people and integrators read an answer before they ask again


def run_abusive(url: str, address: str, query: str, stop: threading.Event) -> list[tuple]:
    session, outcomes = session_from(address), []
    while not stop.is_set():
        response = session.get(url + "/sparql", params={"query": query}, timeout=60)
        outcomes.append((response.status_code, response.headers.get("Retry-After"), response.text[:120]))
        if response.status_code == 429:
            stop.wait(0.2)  # an impatient client: it retries long before Retry-After
    return outcomes


def watch_health(url: str, stop: threading.Event) -> list:
    session, answers = session_from("127.0.5.1"), []
    while not stop.is_set():
        try:
            answers.append(session.get(url + "/health", timeout=5).status_code)
        except Exception as error:  # noqa: BLE001
            answers.append(repr(error))
        stop.wait(0.2)
    return answers


def kill_a_busy_worker(process, stop: threading.Event) -> list[int]:
    """Halfway through, kill (by hand, SIGKILL) a worker that is running a query: one whose processor time grows."""
    stop.wait(SECONDS / 2)
    # a query of its own keeps one worker busy, so that there is surely a query running to cut short
    threading.Thread(target=lambda: session_from("127.0.9.1").get(
        process.url + "/sparql", params={"query": RUNAWAY}, timeout=60), daemon=True).start()

    while not stop.is_set():
        busy = busy_worker(process, timeout=0.3, step=0.3, threshold=0.02)
        if busy is not None:
            try:
                busy.kill()
                return [busy.pid]
            except psutil.NoSuchProcess:  # the killer queries end workers too
                continue
    return []


def test_normal_clients_are_served_while_abusive_ones_are_slowed(server):
    url, process = server
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=16) as pool:
        normal = [pool.submit(run_normal, url, k, stop) for k in range(6)]
        runaway = [pool.submit(run_abusive, url, f"127.0.6.{k + 1}", RUNAWAY, stop) for k in range(2)]
        killers = [pool.submit(run_abusive, url, f"127.0.7.{k + 1}", KILLER, stop) for k in range(2)]
        health = pool.submit(watch_health, url, stop)
        process.url = url
        killed = pool.submit(kill_a_busy_worker, process, stop)
        time.sleep(SECONDS)
        stop.set()
        normal_outcomes = [o for future in normal for o in future.result()]
        runaway_outcomes = [o for future in runaway for o in future.result()]
        killer_outcomes = [o for future in killers for o in future.result()]
        health_answers, killed_pids = health.result(), killed.result()

    slowest = sorted(normal_outcomes, key=lambda o: -o[3])[:8]
    assert len(normal_outcomes) > 20, ("the normal clients got answers at all", [(o[0], o[1], round(o[3], 1)) for o in slowest])
    errors = [o for o in normal_outcomes if o[1] != 200]
    by_hand = [o for o in errors if KILLED_BY_HAND in o[2]]
    assert len(by_hand) <= 1, "a worker killed by hand costs at most the one request it was running"
    assert not [o for o in errors if o not in by_hand], [(o[0], o[1], o[2][-160:]) for o in errors[:5]]
    assert health_answers and all(a == 200 for a in health_answers), [a for a in health_answers if a != 200][:5]
    assert killed_pids, "a worker was killed by hand mid-run"
    for name, outcomes in (("runaway", runaway_outcomes), ("worker-killing", killer_outcomes)):
        statuses = [status for status, _, _ in outcomes]
        assert set(statuses) <= {429, 503}, (name, set(statuses))
        assert 503 in statuses, f"the {name} queries were stopped"
        assert statuses.count(429) > statuses.count(503), f"the {name} clients were slowed (mostly refused at once)"
        assert all(retry for status, retry, _ in outcomes if status == 429), "every 429 says when to retry"
