"""Run a query job within the time and memory limits, once :mod:`fairness` admits its client.

In a server worker (:mod:`server`) the job runs right there, on the store the
worker shares copy-on-write with the others, while the :mod:`query_watch`
holds the client's socket and stops the worker if the query passes a limit.
Anywhere else (the Flask test client, commands, the server's warm-up before it
forks its workers), and for a job whose page goes on when it is stopped (the
scrutiny report, suggestions, the query page: ``page_goes_on``), the job runs
in a forked child that leaves the network and is killed past a limit, so that
the same guarantees hold.

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.service.limits import Limits
>>> from lscp_kg.service.query_runner import QueryJob
>>> runner = GuardedRunner(load_knowledge_graph(), Limits(time_limit=5))
>>> runner.run(QueryJob("ASK {}", {"results": "json", "graph": None})).body
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from multiprocessing.sharedctypes import RawValue

from flask import has_request_context, request

from lscp_kg.backends import StoreError, StoreTimeout
from lscp_kg.service.errors import HttpError, request_error_type
from lscp_kg.service.fairness import Fairness, current_client
from lscp_kg.service.limits import Limits
from lscp_kg.service.process_guards import (die_with_parent, isolate_from_network, limit_address_space,
                                            release_freed_memory, resident_bytes)
from lscp_kg.service.query_runner import NotAcceptableResult
from lscp_kg.service.query_watch import MEMORY_MESSAGE, OUTSIDE, WatchCounters, WatchLink, time_limit_message
from lscp_kg.store import KnowledgeGraph
from lscp_kg.syntax_errors import explain as explain_syntax_error

STEP = 0.005  # seconds between looks at a child running a query


class StoppedQuery(HttpError):
    """A query stopped at the time or memory limit, or that stopped its worker: a strike against its client."""


def outcome_of(job, kg: KnowledgeGraph) -> tuple[str, object]:
    """Run the job: ``("ok", answer)`` or a failure's kind and message (see :func:`answer_of`)."""
    try:
        return "ok", job.run(kg)
    except SyntaxError as error:
        return "syntax", str(error)
    except NotAcceptableResult as error:
        return "not-acceptable", str(error)
    except MemoryError:
        return "limit", MEMORY_MESSAGE
    except StoreTimeout as error:  # a remote store stopped the query at the time limit
        return "limit", f"The store stopped the query: {error}."
    except StoreError as error:  # a remote store unreachable
        return "store", f"The store could not answer: {error}."
    except (ValueError, TypeError, RuntimeError) as error:
        return "query-error", str(error)
    except Exception as error:  # noqa: BLE001 - a query must get an answer, whatever happened
        return "error", f"{type(error).__name__}: {error}"


def answer_of(outcome: tuple[str, object], job):
    """The answer of an :func:`outcome_of`, or the HttpError that tells the client what went wrong."""
    status, payload = outcome
    if status == "ok":
        return payload
    if status == "limit":
        raise StoppedQuery(503, payload, {"Retry-After": "2"})
    raise HttpError(*{
        "syntax": (400, f"SPARQL syntax error: {explain_syntax_error(getattr(job, 'sparql', ''), payload)}"),
        "not-acceptable": (406, payload),
        "query-error": (400, f"The query could not be evaluated: {payload}"),
        "store": (503, payload),
    }.get(status, (500, f"The query failed: {payload}")))


def reopened(kg: KnowledgeGraph) -> KnowledgeGraph:
    """The graph for a forked process: a store reached over the network gets connections of its own (the
    parent's must not be shared); an on-disk store is reopened read-only; an in-memory one is shared as is."""
    kg.backend = kg.backend.for_forked_process()
    return kg


class GuardedRunner:
    """Admission and guarded runs of query jobs (anything with ``run(kg)`` returning something picklable)."""

    def __init__(self, kg: KnowledgeGraph, limits: Limits):
        # A store with its own time limit stops a query (503) before the service kills the worker.
        kg.backend.set_time_limit(limits.time_limit * 0.9)
        self.kg, self.limits = kg, limits
        self.fairness = Fairness(limits)
        self.counters = RawValue(WatchCounters)  # shared by the server's processes, for /health
        self.needs_network = bool(kg.backend.needs_network)
        self.watch: WatchLink | None = None  # set in a server worker
        self.child_isolated: bool | None = None  # whether the last child left the network
        self.process_isolated = False  # this process left it already (a server worker)
        self._children: set[int] = set()

    # --- what /health says ----------------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return self.counters.workers

    @property
    def replaced(self) -> int:
        return self.counters.replaced

    @property
    def network_isolated(self) -> bool:
        if self.counters.workers:
            return self.counters.isolated == self.counters.workers
        return bool(self.child_isolated)

    def isolation_text(self, isolated: bool) -> str:
        if isolated:
            return "isolated from the network (each in an empty network namespace)"
        if self.needs_network:
            return "not isolated from the network: they query the remote store"
        return ("NOT isolated from the network: this host gives no network namespace; SERVICE and LOAD are "
                "still refused by the query guard (lscp-kg serve --require-network-isolation refuses to start here)")

    def isolation(self) -> dict:
        """For /health: whether the processes that run queries are cut off from the network, and why not."""
        if not self.counters.workers and self.child_isolated is None:
            return {"isolated": None, "detail": "no query has run yet"}
        isolated = self.network_isolated
        return {"isolated": isolated, "detail": self.isolation_text(isolated)}

    # --- running a job --------------------------------------------------------------------------------------

    def run(self, job, client: str | None = None):
        """Run a job for a client (default: the current request's address, or none outside a request), within
        the limits."""
        client = current_client() if client is None else client
        if client is None:  # the service's own work (start-up, commands, tests): no client to be fair to
            return self._run(job, None, False)
        with self.fairness.admit(client) as suspect:
            try:
                return self._run(job, client, suspect)
            except StoppedQuery:
                if getattr(job, "counts_against_client", True):
                    self.fairness.strike(client)
                raise

    def _run(self, job, client: str | None, suspect: bool):
        client_socket = request.environ.get("gunicorn.socket") if has_request_context() else None
        key = getattr(client_socket, "watch_key", None)  # set by the worker that holds the connection
        if self.watch is None or key is None or getattr(job, "page_goes_on", False):
            return answer_of(self._run_in_child(job), job)
        limits = self.limits
        self.watch.arm({"key": key,
            "deadline": time.monotonic() + limits.time_limit, "time_limit": limits.time_limit,
            "memory_limit": resident_bytes() + limits.memory_limit if limits.memory_limit else 0,
            "client": client, "strikes": getattr(job, "counts_against_client", True), "suspect": suspect,
            "media_type": request_error_type()})
        try:
            outcome = outcome_of(job, self.kg)
        finally:
            self.watch.disarm()
        return answer_of(outcome, job)

    def _run_in_child(self, job) -> tuple[str, object]:
        read, write = os.pipe()
        baseline, parent = resident_bytes(), os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(read)
                self._child(job, write, parent)
            finally:
                os._exit(1)
        os.close(write)
        self._children.add(pid)
        try:
            return self._wait_for_child(job, pid, read, baseline)
        finally:
            os.close(read)
            self._children.discard(pid)

    def _child(self, job, write: int, parent: int) -> None:
        die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        isolated = self.process_isolated or (not self.needs_network and isolate_from_network())
        limit_address_space(2 * self.limits.memory_limit)
        kg = reopened(self.kg) if self.needs_network else self.kg
        data = pickle.dumps((isolated, outcome_of(job, kg)))
        with os.fdopen(write, "wb") as out:
            out.write(data)
        os._exit(0)

    def _wait_for_child(self, job, pid: int, read: int, baseline: int) -> tuple[str, object]:
        deadline, chunks = time.monotonic() + self.limits.time_limit, []
        while True:
            if select.select([read], [], [], STEP)[0]:
                chunk = os.read(read, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                continue
            stopped = self._past_a_limit(pid, deadline, baseline)
            if stopped:
                self._kill(pid)
                return "limit", stopped
        _, status = os.waitpid(pid, 0)
        if chunks:
            isolated, outcome = pickle.loads(b"".join(chunks))
            self.child_isolated = isolated
            return outcome
        self.counters.replaced += 1
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:  # killed from outside: no strike
            raise HttpError(503, OUTSIDE, {"Retry-After": "2"})
        return "limit", "The query stopped its worker (it may have needed more memory than allowed)."

    def _past_a_limit(self, pid: int, deadline: float, baseline: int) -> str | None:
        if time.monotonic() > deadline:
            return time_limit_message(self.limits.time_limit)
        if self.limits.memory_limit and resident_bytes(pid) > baseline + self.limits.memory_limit:
            return MEMORY_MESSAGE
        return None

    def _kill(self, pid: int) -> None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        self.counters.replaced += 1
        release_freed_memory()

    def close(self) -> None:
        """Stop the queries still running in children (a test that ends while one runs)."""
        for pid in list(self._children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
