"""The limits that protect the service, and how they read from the app config.

========================  ======================  =========================================
config key                default                 what it bounds
========================  ======================  =========================================
``QUERY_TIME_LIMIT``      5 seconds               one query's run, in a worker process that
                                                  is killed and replaced when it is exceeded
``QUERY_ROW_CAP``         10000                   rows (or triples) in one answer; more is
                                                  cut and flagged ``X-Truncated: true``
``MAX_QUERY_LENGTH``      100000 characters       the SPARQL text -> 413
``MAX_CONTENT_LENGTH``    1 MiB                   a request body (Flask's own key) -> 413
``QUERY_WORKERS``         2                       worker processes, so a runaway query
                                                  never holds up the others
``QUERY_QUEUE_WAIT``      time limit + 5 s        how long a request waits for a free
                                                  worker before 503
``QUERY_MEMORY_LIMIT``    2 GiB                   address space of a worker (0 = none)
========================  ======================  =========================================

>>> Limits.from_config({"QUERY_TIME_LIMIT": "2.5"}).time_limit
2.5
>>> Limits.from_config({}).queue_wait
10.0
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
    queue_wait: float = 10.0
    memory_limit: int = 2 * 1024**3

    @classmethod
    def from_config(cls, config: Mapping) -> "Limits":
        time_limit = float(config.get("QUERY_TIME_LIMIT", cls.time_limit))
        limits = cls(
            time_limit=time_limit,
            row_cap=int(config.get("QUERY_ROW_CAP", cls.row_cap)),
            max_query_length=int(config.get("MAX_QUERY_LENGTH", cls.max_query_length)),
            max_request_bytes=int(config.get("MAX_CONTENT_LENGTH") or cls.max_request_bytes),
            workers=int(config.get("QUERY_WORKERS", cls.workers)),
            queue_wait=float(config.get("QUERY_QUEUE_WAIT", time_limit + 5.0)),
            memory_limit=int(config.get("QUERY_MEMORY_LIMIT", cls.memory_limit)),
        )
        if limits.time_limit <= 0 or limits.row_cap < 1 or limits.workers < 1 or limits.max_query_length < 1:
            raise ValueError(f"limits must be positive: {limits}")
        return limits

    def describe(self) -> dict:
        """The limits as the service description, /health and the docs state them."""
        return {"time_limit_seconds": self.time_limit, "row_cap": self.row_cap,
                "max_query_length": self.max_query_length, "max_request_bytes": self.max_request_bytes,
                "workers": self.workers}
