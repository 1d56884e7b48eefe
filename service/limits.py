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
``QUERY_WORKERS``         2 x cores + 1           server processes (each answers one request
                                                  at a time; one running a query past a limit
                                                  is killed and replaced)
``QUERY_QUEUE_WAIT``      2 x time limit + 5 s    how long a query waits for a free query
                                                  slot before 503
``QUERY_MEMORY_LIMIT``    2 GiB                   memory a query may take in its worker
                                                  (resident, beyond the worker's own; twice
                                                  it in address space as a backstop; 0 = none)
``QUERY_PER_CLIENT``      3                       queries one client (address) may have
                                                  running or waiting at once -> 429
``QUERY_SLOTS``           workers - workers / 4   queries running at once, all clients
                                                  together (beyond: a short wait, then 503);
                                                  the other processes stay free for answers
                                                  that need no query
``QUERY_STRIKE_WINDOW``   120 seconds             how long a query stopped at a limit (or
                                                  that killed its worker) counts against its
                                                  client, see :mod:`fairness`
========================  ======================  =========================================

The HTTP server's own limits (``lscp-kg serve`` options) are :class:`ServerOptions` (see :mod:`server`).

>>> Limits.from_config({"QUERY_TIME_LIMIT": "2.5"}).time_limit
2.5
>>> Limits.from_config({}).queue_wait
15.0
>>> Limits.from_config({"QUERY_WORKERS": 8}).query_slots
6
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

#: server processes by default: one request at a time each, so a few per core (gunicorn's advice)
DEFAULT_WORKERS = 2 * (os.cpu_count() or 1) + 1


def query_slots_for(workers: int) -> int:
    """Queries that may run at once: all processes but a quarter (at least one), kept for cheap answers.

    >>> query_slots_for(5), query_slots_for(1)
    (4, 1)
    """
    return max(1, workers - max(1, workers // 4))


@dataclass(frozen=True)
class Limits:
    time_limit: float = 5.0
    row_cap: int = 10_000
    max_query_length: int = 100_000
    max_request_bytes: int = 1024 * 1024
    workers: int = DEFAULT_WORKERS
    queue_wait: float = 15.0
    memory_limit: int = 2 * 1024**3
    per_client: int = 3
    query_slots: int = query_slots_for(DEFAULT_WORKERS)
    strike_window: float = 120.0

    @classmethod
    def from_config(cls, config: Mapping) -> "Limits":
        """The limits an app's config sets (each under its key in :data:`CONFIG_KEYS`), the others by default.

        >>> Limits.from_config({"QUERY_TIME_LIMIT": "2", "QUERY_WORKERS": 5}).queue_wait
        9.0
        """
        given = {name: kind(config[key]) for name, (key, kind) in CONFIG_KEYS.items()
                 if config.get(key) is not None}
        given.setdefault("queue_wait", 2 * given.get("time_limit", cls.time_limit) + 5.0)
        given.setdefault("query_slots", query_slots_for(given.get("workers", cls.workers)))
        limits = cls(**given)
        if (limits.time_limit <= 0 or limits.row_cap < 1 or limits.workers < 1 or limits.max_query_length < 1
                or limits.per_client < 1 or limits.query_slots < 1):
            raise ValueError(f"limits must be positive: {limits}")
        return limits

    def describe(self) -> dict:
        """The limits as the service description, /health and the docs state them."""
        return {"time_limit_seconds": self.time_limit, "row_cap": self.row_cap,
                "max_query_length": self.max_query_length, "max_request_bytes": self.max_request_bytes,
                "workers": self.workers, "queries_per_client": self.per_client}


#: each limit's key in an app's config, and its type
CONFIG_KEYS = {"time_limit": ("QUERY_TIME_LIMIT", float), "row_cap": ("QUERY_ROW_CAP", int),
               "max_query_length": ("MAX_QUERY_LENGTH", int), "max_request_bytes": ("MAX_CONTENT_LENGTH", int),
               "workers": ("QUERY_WORKERS", int), "queue_wait": ("QUERY_QUEUE_WAIT", float),
               "memory_limit": ("QUERY_MEMORY_LIMIT", int), "per_client": ("QUERY_PER_CLIENT", int),
               "query_slots": ("QUERY_SLOTS", int), "strike_window": ("QUERY_STRIKE_WINDOW", float)}


@dataclass(frozen=True)
class ServerOptions:
    """What the HTTP server allows (``lscp-kg serve`` options), so that slow or greedy clients cannot hold it."""

    #: seconds a client may take to send a request's line and headers (and each later read of its body)
    header_timeout: float = 10.0
    #: connections one address may hold open in one worker process, headers unfinished (0: no limit)
    connections_per_client: int = 64
    #: connections whose headers a worker process waits for at once
    pending_per_worker: int = 1000
    #: a request's line and headers, in bytes (a GET query's text travels in its line)
    max_header_bytes: int = 512 * 1024
    #: a request body, in bytes
    max_request_bytes: int = 1024 * 1024
