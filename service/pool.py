"""Worker processes that run queries, so that a query over its time limit really stops.

pyoxigraph cannot interrupt a query from another thread and has no timeout,
so each query runs in one of a few long-lived worker processes holding their
own copy of the store. The request thread waits at most the time limit for
the answer; past it, the worker is killed (SIGKILL) and a fresh one is started
in the background, while the other workers keep serving other clients.

A worker is a fresh interpreter (``python -c``, never a fork of the
multi-threaded web server) talking over a socket pair; it loads the graph from
an N-Quads file the pool writes once (so that the server does not keep a second
copy of the graph in memory; the file is unlinked at once and lives while the
server holds it open) in a few milliseconds and then, where the system allows
it, moves into
an empty network namespace: even a query that got past :mod:`query_guard`
could not reach another host from there.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from lscp_kg.syntax_errors import explain as explain_syntax_error
from lscp_kg.service.errors import HttpError
from lscp_kg.service.fairness import Fairness, current_client
from lscp_kg.service.limits import Limits
from lscp_kg.service.results import QueryOutcome
from lscp_kg.service.worker import release_freed_memory
from lscp_kg.store import KnowledgeGraph

log = logging.getLogger(__name__)
STARTUP_TIMEOUT = 60.0
REAP_INTERVAL = 1.0  # seconds between looks for workers that died while idle
WORKER_COMMAND = ("import sys; from lscp_kg.service.worker import worker_main; "
                  "worker_main(int(sys.argv[1]), int(sys.argv[2]))")


class Worker:
    def __init__(self, process: subprocess.Popen, conn: Connection, isolated: bool):
        self.process, self.conn, self.isolated = process, conn, isolated

    def killed_from_outside(self) -> bool:
        """Whether the worker, now gone, died of SIGKILL (a query that breaks its worker aborts instead)."""
        try:
            return self.process.wait(timeout=2) == -signal.SIGKILL
        except subprocess.TimeoutExpired:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.conn.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            log.error("query worker %s did not exit after SIGKILL", self.process.pid)


class StoppedQuery(HttpError):
    """A query stopped at the time or memory limit, or that stopped its worker: a strike against its client."""


class QueryPool:
    """A few worker processes; :meth:`run` answers a job within the time limit or raises :class:`HttpError`.

    Admission goes through :class:`~lscp_kg.service.fairness.Fairness` (a few queries per client, abusive
    clients slowed); a job is anything with ``run(kg)`` returning something picklable.
    """

    def __init__(self, kg: KnowledgeGraph, limits: Limits):
        # A store with its own time limit stops a query (503) before the service kills the worker.
        kg.backend.set_time_limit(limits.time_limit * 0.9)
        # How each worker opens the graph (its backend says: the folder of an on-disk store, a file of the
        # in-memory graph, or a remote store's address) and the descriptors it inherits.
        self.source, self.inherited = kg.backend.worker_source()
        self.fingerprint = kg.fingerprint().encode()
        release_freed_memory()
        self.base_iri, self.limits = kg.base_iri, limits
        self._idle: queue.Queue[Worker] = queue.Queue()
        # At most ``workers`` queries run at once; the spare processes stand by to take over at once from
        # a worker killed at a limit (its replacement starts in the background).
        self._running = threading.BoundedSemaphore(limits.workers)
        self._workers: set[Worker] = set()
        self._lock = threading.Lock()
        self._started = self._closed = False
        self._spawner: threading.Thread | None = None
        self._to_spawn: queue.Queue[bool] = queue.Queue()
        self.replaced = 0  # workers killed over a limit, for /health
        self.start_error: str | None = None
        self.fairness = Fairness(limits)
        self.needs_network = bool(kg.backend.needs_network)
        self._first_ready = threading.Event()

    def start(self) -> None:
        """Start the workers (once; in the background)."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
        for _ in range(self.limits.workers + self.limits.spare_workers):
            self._spawn_in_background()

    def _spawn_in_background(self) -> None:
        # Workers are started by one long-lived thread: Linux sends the parent-death signal when the
        # *thread* that started a worker ends, so a short-lived starter thread would kill its worker.
        with self._lock:
            if self._spawner is None:
                self._spawner = threading.Thread(target=self._spawn_forever, name="lscp-kg-worker-starter", daemon=True)
                self._spawner.start()
        self._to_spawn.put(True)

    def _spawn_forever(self) -> None:
        while not self._closed:
            try:
                wanted = self._to_spawn.get(timeout=REAP_INTERVAL)
            except queue.Empty:  # meanwhile, replace workers that died while idle (killed from outside)
                with self._lock:
                    dead = [w for w in self._workers if w.process.poll() is not None]
                for worker in dead:
                    self._replace(worker)
                continue
            if not wanted or self._closed:
                return
            self._spawn()

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair()
        conn, process = Connection(ours.detach()), None
        try:
            with theirs:
                inherited = (theirs.fileno(), *self.inherited)
                process = subprocess.Popen([sys.executable, "-c", WORKER_COMMAND, str(theirs.fileno()), str(os.getpid())],
                                           pass_fds=inherited, stdin=subprocess.DEVNULL,
                                           env={**os.environ, "RUST_BACKTRACE": "0"})  # a query that breaks a worker: no slow trace
            conn.send((self.source, self.base_iri, self.limits.memory_limit))
            if not conn.poll(STARTUP_TIMEOUT):
                raise RuntimeError("worker did not start in time")
            _status, isolated = conn.recv()
        except Exception as error:  # noqa: BLE001 - reported by /health and the 503 below
            self.start_error = f"{type(error).__name__}: {error}"
            log.error("query worker failed to start: %s", self.start_error)
            conn.close()
            if process is not None:
                process.kill()
                process.wait()
            return
        worker = Worker(process, conn, isolated)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._workers.add(worker)
        if not self._first_ready.is_set():
            self._first_ready.set()
            log.info("query workers: %s", self.isolation_text(isolated))
        self._idle.put(worker)

    def isolation_text(self, isolated: bool) -> str:
        if isolated:
            return "isolated from the network (each in an empty network namespace)"
        if self.needs_network:
            return "not isolated from the network: they query the remote store"
        return ("NOT isolated from the network: this host gives no network namespace; SERVICE and LOAD are "
                "still refused by the query guard (lscp-kg serve --require-network-isolation refuses to start here)")

    def wait_until_ready(self, timeout: float = STARTUP_TIMEOUT) -> bool:
        """Start the workers and wait for the first one (False if none started in time)."""
        self.start()
        return self._first_ready.wait(timeout)

    def _replace(self, worker: Worker) -> None:
        with self._lock:
            if worker not in self._workers:  # replaced already (found dead twice)
                return
            self._workers.discard(worker)
            self.replaced += 1
        threading.Thread(target=worker.kill, daemon=True).start()
        if not self._closed:
            self._spawn_in_background()

    @property
    def size(self) -> int:
        with self._lock:
            return len(self._workers)

    @property
    def network_isolated(self) -> bool:
        with self._lock:
            return bool(self._workers) and all(w.isolated for w in self._workers)

    def isolation(self) -> dict:
        """For /health: whether the workers are cut off from the network, and why not."""
        with self._lock:
            workers = list(self._workers)
        if not workers:
            return {"isolated": None, "detail": "no query worker has started yet"}
        isolated = all(w.isolated for w in workers)
        return {"isolated": isolated, "detail": self.isolation_text(isolated)}

    def run(self, job, client: str | None = None) -> QueryOutcome:
        """Run a job for a client (default: the current request's address, or none outside a request), within
        the limits."""
        client = current_client() if client is None else client
        if client is None:  # the service's own work (start-up, commands, tests): no client to be fair to
            return self._run(job)
        with self.fairness.admit(client) as suspect:
            try:
                return self._run(job, wait=not suspect)
            except StoppedQuery:
                if getattr(job, "counts_against_client", True):
                    self.fairness.strike(client)
                raise

    def _run(self, job, wait: bool = True):
        self.start()
        admitted = self._running.acquire(timeout=self.limits.queue_wait) if wait else self._running.acquire(False)
        if not admitted:
            raise self._none_free(wait)
        try:
            return self._run_on_a_worker(job, wait)
        finally:
            self._running.release()

    def _none_free(self, wait: bool) -> HttpError:
        if not wait:
            return HttpError(429, "This client's recent queries ran to the time limit: it may run a query only "
                                  "when a worker is free at once, and none is now.", {"Retry-After": "2"})
        detail = f" ({self.start_error})" if self.start_error else ""
        return HttpError(503, f"Every query worker is busy; please try again shortly{detail}.", {"Retry-After": "2"})

    def _idle_worker(self, wait: bool) -> Worker:
        """A live idle worker (one that died while idle is replaced, and costs no request)."""
        deadline = time.monotonic() + (self.limits.queue_wait if wait else 0)
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic())) if wait else self._idle.get_nowait()
            except queue.Empty:
                raise self._none_free(wait) from None
            if worker.process.poll() is None:
                return worker
            self._replace(worker)

    def _run_on_a_worker(self, job, wait: bool):
        worker = self._idle_worker(wait)
        try:
            worker.conn.send(job)
        except OSError:  # it died between our look and the job: the job never ran, so try another
            self._replace(worker)
            worker = self._idle_worker(wait)
            worker.conn.send(job)
        try:
            if not worker.conn.poll(self.limits.time_limit):
                self._replace(worker)
                raise StoppedQuery(503, f"The query was stopped: it ran longer than this service's time limit "
                                        f"of {self.limits.time_limit:g} seconds.")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            killed = worker.killed_from_outside()
            self._replace(worker)
            if killed:  # by an operator or the system, not by the query: no strike against the client
                raise HttpError(503, "The query's worker was stopped from outside; please try again.") from None
            raise StoppedQuery(503, "The query stopped its worker (it may have needed more memory than allowed).") from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "limit":
            raise StoppedQuery(503, payload)
        raise HttpError(*{
            "syntax": (400, f"SPARQL syntax error: {explain_syntax_error(getattr(job, 'sparql', ''), payload)}"),
            "not-acceptable": (406, payload),
            "query-error": (400, f"The query could not be evaluated: {payload}"),
            "store": (503, payload),
        }.get(status, (500, f"The query failed: {payload}")))

    def close(self) -> None:
        """Stop the workers and close the descriptors they inherit. Only the first call does anything: a second
        (at exit after an explicit close) would close descriptor numbers that now belong to something else."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers, self._workers = list(self._workers), set()
            inherited, self.inherited = self.inherited, ()
        self._to_spawn.put(False)  # the starter thread ends
        for worker in workers:
            worker.kill()
        for descriptor in inherited:
            try:
                os.close(descriptor)
            except OSError:
                pass
