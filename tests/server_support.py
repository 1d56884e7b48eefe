"""Start and stop a real ``lscp-kg serve`` process for tests that talk to it over HTTP."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

SERVING = re.compile(r"Serving on (http://127\.0\.0\.1:\d+)")


def start_server(options: list[str], log_path: Path, timeout: float = 60,
                 prefix: tuple[str, ...] = ()) -> tuple[str, subprocess.Popen]:
    """``lscp-kg serve --host 127.0.0.1 --port 0 <options>``; returns its URL (read from its log) and process.

    ``prefix`` is a command that runs the server (e.g. ``unshare ...``). Raises RuntimeError, with the
    server's log, if it does not start in time.
    """
    command = [*prefix, sys.executable, "-c", "from lscp_kg.cli import main; main()", "serve", "--host", "127.0.0.1",
               "--port", "0", *options]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        found = SERVING.search(log_path.read_text(errors="replace"))
        if found:
            return found.group(1), process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"lscp-kg serve did not start:\n{log_path.read_text(errors='replace')}")


@contextmanager
def running_server(options: list[str], log_path: Path):
    """A server for a test module's fixture: ``with running_server(options, log) as (url, process): yield ...``;
    the test fails, with the server's log, if it does not start, and the server is stopped after."""
    try:
        url, process = start_server(options, log_path)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield url, process
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask the server to stop; kill it if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def session_from(address: str):
    """A requests session whose connections come from ``address`` (any of 127.0.0.0/8 on Linux), so that
    tests can be several clients, as the service tells clients apart by address."""
    import requests
    from requests.adapters import HTTPAdapter

    class SourceAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", SourceAdapter())
    return session


#: The name the server's worker processes go by (``psutil.Process.name()``), see lscp_kg.service.query_watch.
WORKER_NAME = "lscp-kg-worker"


def server_workers(process) -> list:
    """The worker processes of a running ``lscp-kg serve`` (gunicorn's workers, forked from it)."""
    def named(child):
        try:
            return child.name() == WORKER_NAME
        except psutil.NoSuchProcess:
            return False

    return [child for child in psutil.Process(process.pid).children(recursive=True) if named(child)]


def busy_worker(process, timeout: float = 20, step: float = 0.5, threshold: float = 0.05):
    """The worker of server ``process`` running a query: the one whose processor time grows (idle ones wait on
    their sockets); None if none did within ``timeout`` seconds. The workers are listed again at each step:
    the server says it is serving before gunicorn has forked (and named) every worker."""
    def used(worker):
        try:
            times = worker.cpu_times()
            return times.user + times.system
        except psutil.NoSuchProcess:  # replaced meanwhile
            return None

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = {w: used(w) for w in server_workers(process)}
        time.sleep(step)
        after = {w: used(w) for w in before}  # read once: a worker may end between two reads
        grown = {w: after[w] - before[w] for w in before if before[w] is not None and after[w] is not None}
        busy = max(grown, key=grown.get, default=None)
        if busy is not None and grown[busy] > threshold:
            return busy
    return None


#: the named questions a normal client of the soaks asks
SOAK_QUESTIONS = ["statutory-partners", "accountability-chain", "members-of-body", "reports", "person", "facts-as-of"]


def normal_request(rng: random.Random, k: int, i: int) -> tuple[str, dict, dict]:
    """The ``i``-th request of normal client ``k`` in the soaks (the suite's and the benchmark's): what people
    and integrators ask, half of it fresh (``no-cache``); each /sparql query distinct, so that no cache helps.
    Returns the path, its query parameters and the request headers."""
    fresh = {"Cache-Control": "no-cache"} if rng.random() < 0.5 else {}
    kind = rng.randrange(6)
    if kind == 0:
        return "/api/queries/" + rng.choice(SOAK_QUESTIONS), {}, fresh
    if kind == 1:
        return "/sparql", {"query": f"SELECT ?x ?l WHERE {{ ?x rdfs:label ?l }} ORDER BY ?l LIMIT {1 + (k * 997 + i) % 400}"}, \
            {"Accept": "application/sparql-results+json"}
    if kind == 2:
        return "/id/partnership/lewisham", {}, fresh
    if kind == 3:
        return "/explore/" + rng.choice(["structure", "accountability", "seats"]), {}, {}
    if kind == 4:  # today's report, as most people ask for it
        return rng.choice(["/scrutiny.json", "/scrutiny"]), {}, {}
    return "/queries/" + rng.choice(SOAK_QUESTIONS), {}, fresh
