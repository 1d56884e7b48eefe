"""A query worker's life: a fresh interpreter that opens the graph, cuts itself off from the network where
the system allows it, and answers jobs from its socket until the socket closes (see :mod:`pool`).

It imports no web framework, so that a replacement starts quickly.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import time
from multiprocessing.connection import Connection

from lscp_kg.backends import StoreError, StoreTimeout, open_for_worker, scheme_class
from lscp_kg.service.results import NotAcceptableResult
from lscp_kg.store import KnowledgeGraph

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
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
    source, base_iri, memory_limit = conn.recv()
    # A worker of a store reached over the network keeps its network, to reach that one store; every other
    # one cuts itself off. The backend's module is imported only now (the remote one brings an HTTP client).
    isolated = False if scheme_class(source["scheme"]).needs_network else isolate_from_network()
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    kg = KnowledgeGraph(backend=open_for_worker(source), base_iri=base_iri)
    release_freed_memory()
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
