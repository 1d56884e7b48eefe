"""The limits that protect the service, and how they read from the app config: the one place of their defaults.

========================  ======================  =========================================
config key                default                 what it bounds
========================  ======================  =========================================
``QUERY_TIME_LIMIT``      5 seconds               one query's (or scrutiny report's) run, in
                                                  a worker process that is killed and
                                                  replaced when it is exceeded
``QUERY_ROW_CAP``         10000                   rows (or triples) in one answer; more is
                                                  cut and flagged ``X-Truncated: true``
``MAX_QUERY_LENGTH``      100000 characters       the SPARQL text -> 413
``MAX_CONTENT_LENGTH``    1 MiB                   a request body (Flask's own key) -> 413
``QUERY_WORKERS``         2                       worker processes, so a runaway query
                                                  never holds up the others
``QUERY_SPARE_WORKERS``   1                       started workers standing by, to take over at
                                                  once from a worker killed at a limit
``QUERY_QUEUE_WAIT``      2 x time limit + 5 s    how long a request waits for a free
                                                  worker before 503
``QUERY_MEMORY_LIMIT``    2 GiB                   address space of a worker (0 = none)
``QUERY_PER_CLIENT``      3                       queries one client (address) may have
                                                  running or waiting at once -> 429
``QUERY_SLOTS``           24                      requests waiting for or holding a worker,
                                                  all clients together -> 503 (the other
                                                  request threads stay free for cheap answers)
``QUERY_STRIKE_WINDOW``   120 seconds             how long a query stopped at a limit (or
                                                  that killed its worker) counts against its
                                                  client, see :mod:`fairness`
========================  ======================  =========================================

The HTTP server's own limits (``lscp-kg serve`` options) are :class:`ServerLimits`.

>>> Limits.from_config({"QUERY_TIME_LIMIT": "2.5"}).time_limit
2.5
>>> Limits.from_config({}).queue_wait
15.0
>>> ServerLimits().query_slots
24
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Limits:
    time_limit: float = 5.0
    row_cap: int = 10_000
    max_query_length: int = 100_000
    max_request_bytes: int = 1024 * 1024
    workers: int = 2
    spare_workers: int = 1
    queue_wait: float = 15.0
    memory_limit: int = 2 * 1024**3
    per_client: int = 3
    query_slots: int = 24
    strike_window: float = 120.0

    @classmethod
    def from_config(cls, config: Mapping) -> "Limits":
        time_limit = float(config.get("QUERY_TIME_LIMIT", cls.time_limit))
        limits = cls(
            time_limit=time_limit,
            row_cap=int(config.get("QUERY_ROW_CAP", cls.row_cap)),
            max_query_length=int(config.get("MAX_QUERY_LENGTH", cls.max_query_length)),
            max_request_bytes=int(config.get("MAX_CONTENT_LENGTH") or cls.max_request_bytes),
            workers=int(config.get("QUERY_WORKERS", cls.workers)),
            spare_workers=int(config.get("QUERY_SPARE_WORKERS", cls.spare_workers)),
            queue_wait=float(config.get("QUERY_QUEUE_WAIT", 2 * time_limit + 5.0)),
            memory_limit=int(config.get("QUERY_MEMORY_LIMIT", cls.memory_limit)),
            per_client=int(config.get("QUERY_PER_CLIENT", cls.per_client)),
            query_slots=int(config.get("QUERY_SLOTS", cls.query_slots)),
            strike_window=float(config.get("QUERY_STRIKE_WINDOW", cls.strike_window)),
        )
        if (limits.time_limit <= 0 or limits.row_cap < 1 or limits.workers < 1 or limits.max_query_length < 1
                or limits.per_client < 1 or limits.query_slots < 1 or limits.spare_workers < 0):
            raise ValueError(f"limits must be positive: {limits}")
        return limits

    def describe(self) -> dict:
        """The limits as the service description, /health and the docs state them."""
        return {"time_limit_seconds": self.time_limit, "row_cap": self.row_cap,
                "max_query_length": self.max_query_length, "max_request_bytes": self.max_request_bytes,
                "workers": self.workers, "queries_per_client": self.per_client}


@dataclass(frozen=True)
class ServerLimits:
    """What the HTTP server allows, so that slow or greedy clients cannot hold it (see :mod:`http_server`)."""

    #: request threads; ``QUERY_SLOTS`` of them at most wait for query workers, the rest serve cheap answers
    threads: int = 32
    #: threads kept for answers that need no worker (cache hits, /health, pages, assets)
    reserved_threads: int = 8
    #: open connections in all
    connection_limit: int = 1000
    #: open connections from one address (0: no limit; behind a reverse proxy, every client has its address)
    connections_per_client: int = 64
    #: seconds a client may take to send a request's line and headers
    header_timeout: float = 10.0
    #: seconds an idle keep-alive connection stays open
    idle_timeout: float = 30.0

    @property
    def query_slots(self) -> int:
        """Request threads that may wait for or hold a query worker: all but the reserved ones (at most a
        quarter of them, for small thread counts)."""
        return max(1, self.threads - min(self.reserved_threads, self.threads // 4))
