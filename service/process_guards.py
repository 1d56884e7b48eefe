"""What a process that runs queries does to itself: leave the network, bound its memory, die with its parent.

Used by the server's worker processes (:mod:`server`) and by the child a query runs in outside the server
(:mod:`guarded_runner`).
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
PR_SET_PDEATHSIG, PR_SET_NAME = 1, 15
PAGE = os.sysconf("SC_PAGE_SIZE")


def isolate_from_network() -> bool:
    """Move this (single-threaded) process into a new, empty network namespace; False if not allowed.

    Sockets opened before (the server's listener, the query watch) keep working: a socket stays in the
    namespace it was made in."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int) -> None:
    """Be killed when the parent dies, even in the middle of a runaway query."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before we asked
        os._exit(0)


def name_process(name: str) -> None:
    """The name ``ps`` and ``psutil.Process.name()`` show (at most 15 characters), so that operators and tests
    tell the server's processes apart."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
    except (OSError, AttributeError):
        pass


def resident_bytes(pid: int | str = "self") -> int:
    """A process's resident memory (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def limit_address_space(extra: int) -> None:
    """A backstop under the resident-memory watch: the address space may grow by ``extra`` bytes from now."""
    if extra <= 0:
        return
    with open("/proc/self/statm", "rb") as statm:
        size = int(statm.read().split()[0]) * PAGE
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)  # never above a parent's
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def release_freed_memory() -> None:
    """Give freed pages (a big answer's) back to the system, where glibc allows it."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass
