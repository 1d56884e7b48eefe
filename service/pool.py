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

import ctypes
import hashlib
import logging
import os
import queue
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection

import pyoxigraph as ox

from lscp_kg.backends import StoreError, StoreTimeout
from lscp_kg.service.errors import HttpError
from lscp_kg.service.fairness import Fairness, current_client
from lscp_kg.service.limits import Limits
from lscp_kg.service.results import NotAcceptableResult, QueryOutcome
from lscp_kg.store import KnowledgeGraph

log = logging.getLogger(__name__)
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
STARTUP_TIMEOUT = 60.0
WORKER_COMMAND = ("import sys; from lscp_kg.service.pool import worker_main; "
                  "worker_main(int(sys.argv[1]), int(sys.argv[2]))")
PR_SET_PDEATHSIG = 1


def isolate_from_network() -> bool:
    """Move this (single-threaded) process into a new, empty network namespace; False if not allowed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int) -> None:
    """Be killed when the server dies, even in the middle of a runaway query."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before we asked
        os._exit(0)


def worker_main(fd: int, parent: int) -> None:
    """A worker's life: isolate, load the graph sent first, then answer jobs until the socket closes."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    conn = Connection(fd)
    dataset, base_iri, memory_limit = conn.recv()
    # A graph in a remote store arrives as a KnowledgeGraph holding only the store's address (each
    # worker opens its own connections): such a worker keeps its network, to reach that one store.
    # An on-disk store (--store-path) arrives as its folder, which the worker opens read-only.
    remote = isinstance(dataset, KnowledgeGraph) and dataset.is_remote
    isolated = False if remote else isolate_from_network()
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    if isinstance(dataset, KnowledgeGraph):
        kg = dataset
    else:
        store = ox.Store()
        store.bulk_load(path=f"/proc/self/fd/{dataset}", format=ox.RdfFormat.N_QUADS)  # its own offset
        os.close(dataset)
        kg = KnowledgeGraph(store=store, base_iri=base_iri)
        release_freed_memory()
    del dataset
    conn.send(("ready", isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        started = time.monotonic()
        try:
            reply = ("ok", job.run(kg))
        except SyntaxError as error:
            reply = ("syntax", str(error))
        except NotAcceptableResult as error:
            reply = ("not-acceptable", str(error))
        except MemoryError:
            reply = ("limit", "The query needed more memory than this service allows.")
        except StoreTimeout as error:  # a remote store stopped the query at the time limit
            reply = ("limit", f"The store stopped the query: {error}.")
        except StoreError as error:  # a remote store unreachable
            reply = ("store", f"The store could not answer: {error}.")
        except (ValueError, TypeError, RuntimeError) as error:
            reply = ("query-error", str(error))
        except Exception as error:  # noqa: BLE001 - a worker must answer, whatever happened
            reply = ("error", f"{type(error).__name__}: {error}")
        conn.send(reply)
        if time.monotonic() - started > 0.02:  # a big query leaves much freed memory: return it (a few ms, after answering)
            release_freed_memory()


def release_freed_memory() -> None:
    """Give the pages freed after loading (the parsed quads) back to the system, where glibc allows it."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def write_dataset(kg: KnowledgeGraph) -> tuple[int, bytes]:
    """Write the graph as N-Quads to an unlinked temporary file: its open descriptor and a fingerprint of its content.

    Unlinked, the file disappears with the server however it ends; workers inherit the descriptor.
    """
    handle, path = tempfile.mkstemp(prefix="lscp-kg-dataset-", suffix=".nq")
    os.unlink(path)
    with os.fdopen(os.dup(handle), "wb") as out:
        ox.serialize(kg.store.quads_for_pattern(None, None, None, None), out, format=ox.RdfFormat.N_QUADS)
    digest = hashlib.sha256()
    with open(f"/proc/self/fd/{handle}", "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return handle, digest.digest()


class Worker:
    def __init__(self, process: subprocess.Popen, conn: Connection, isolated: bool):
        self.process, self.conn, self.isolated = process, conn, isolated

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
        if kg.is_remote:  # the workers query the store themselves, within the service's time limit
            kg.backend.timeout = limits.time_limit * 0.9  # answer (503) before the worker is killed
            self.dataset, self.fingerprint = kg, kg.backend.url.encode()
        elif getattr(kg.backend, "path", None):  # on disk: each worker opens the same store, read-only
            self.dataset, self.fingerprint = kg, str(kg.backend.path).encode()
        else:  # a file each worker loads itself: the server keeps no second copy of the graph
            self.dataset, self.fingerprint = write_dataset(kg)
            release_freed_memory()
        self.base_iri, self.limits = kg.base_iri, limits
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._workers: set[Worker] = set()
        self._lock = threading.Lock()
        self._started = self._closed = False
        self._spawner: threading.Thread | None = None
        self._to_spawn: queue.Queue[bool] = queue.Queue()
        self.replaced = 0  # workers killed over a limit, for /health
        self.start_error: str | None = None
        self.fairness = Fairness(limits)
        self.needs_network = kg.is_remote
        self._first_ready = threading.Event()

    def start(self) -> None:
        """Start the workers (once; in the background)."""
        with self._lock:
            if self._started or self._closed:
                return
            self._started = True
        for _ in range(self.limits.workers):
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
        while self._to_spawn.get() and not self._closed:
            self._spawn()

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair()
        conn, process = Connection(ours.detach()), None
        try:
            with theirs:
                inherited = (theirs.fileno(),) + ((self.dataset,) if isinstance(self.dataset, int) else ())
                process = subprocess.Popen([sys.executable, "-c", WORKER_COMMAND, str(theirs.fileno()), str(os.getpid())],
                                           pass_fds=inherited, stdin=subprocess.DEVNULL)
            conn.send((self.dataset, self.base_iri, self.limits.memory_limit))
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
        """Run a job for a client (default: the current request's address), within the limits."""
        client = current_client() if client is None else client
        with self.fairness.admit(client):
            try:
                return self._run(job)
            except StoppedQuery:
                self.fairness.strike(client)
                raise

    def _run(self, job):
        self.start()
        try:
            worker = self._idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            detail = f" ({self.start_error})" if self.start_error else ""
            raise HttpError(503, f"Every query worker is busy; please try again shortly{detail}.",
                            {"Retry-After": "2"}) from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.limits.time_limit):
                self._replace(worker)
                raise StoppedQuery(503, f"The query was stopped: it ran longer than this service's time limit "
                                        f"of {self.limits.time_limit:g} seconds.")
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise StoppedQuery(503, "The query stopped its worker (it may have needed more memory than allowed).") from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        if status == "limit":
            raise StoppedQuery(503, payload)
        raise HttpError(*{
            "syntax": (400, f"SPARQL syntax error: {payload}"),
            "not-acceptable": (406, payload),
            "query-error": (400, f"The query could not be evaluated: {payload}"),
            "store": (503, payload),
        }.get(status, (500, f"The query failed: {payload}")))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = list(self._workers), set()
        self._to_spawn.put(False)  # the starter thread ends
        for worker in workers:
            worker.kill()
        if isinstance(self.dataset, int):
            try:
                os.close(self.dataset)
            except OSError:
                pass
