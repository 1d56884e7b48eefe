"""Who may use a query worker now: a few queries per client, and a penalty box for abusive ones.

A client is its address (``REMOTE_ADDR``; behind a reverse proxy, waitress's
``trusted_proxy`` sets it from ``X-Forwarded-For``). Admission, before a
request waits for a worker:

* a client has at most ``per_client`` queries running or waiting at once
  (429 past it), and all clients together at most ``query_slots`` (503), so
  that request threads stay free for answers that need no worker;
* a query stopped at the time limit, or one that killed its worker, is a
  *strike* against its client for ``strike_window`` seconds. After each
  strike the client is refused (429 with ``Retry-After``) for a while (twice
  the time limit, at least 10 s, doubled with each further strike);
* a client with a strike is a suspect: it may run one query at a time, only
  when a worker is free at once (it never waits in line), and suspects
  together hold at most half the workers, so that they can never take them all.

>>> from lscp_kg.service.limits import Limits
>>> fair = Fairness(Limits(workers=2, time_limit=1.0))
>>> with fair.admit("10.0.0.1"):
...     fair.running("10.0.0.1")
1
>>> fair.strike("10.0.0.1")
>>> try:
...     fair.admit("10.0.0.1").__enter__()
... except HttpError as refused:
...     refused.status, refused.headers["Retry-After"]
(429, '10')
>>> with fair.admit("10.0.0.2"):  # others are not affected
...     fair.running("10.0.0.2")
1
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from contextlib import contextmanager

from flask import has_request_context, request

from lscp_kg.service.errors import HttpError
from lscp_kg.service.limits import Limits

MAX_PENALTY = 300.0  # seconds


def current_client() -> str | None:
    """The address of the client of the request being served (None outside a request: the service itself)."""
    return (request.remote_addr or "-") if has_request_context() else None


class Fairness:
    """Admission to the query workers (see the module docstring)."""

    def __init__(self, limits: Limits):
        self.per_client, self.slots, self.window = limits.per_client, limits.query_slots, limits.strike_window
        self.suspect_slots = max(1, limits.workers // 2)
        self.base_penalty = max(10.0, 2 * limits.time_limit)
        self._lock = threading.Lock()
        self._running: dict[str, int] = defaultdict(int)
        self._strikes: dict[str, list[float]] = {}
        self._boxed_until: dict[str, float] = {}
        self._total = self._suspects = 0
        self.refused = 0  # for /health

    def _recent_strikes(self, client: str, now: float) -> list[float]:
        strikes = [t for t in self._strikes.get(client, ()) if now - t < self.window]
        if strikes:
            self._strikes[client] = strikes
        else:
            self._strikes.pop(client, None)
        return strikes

    def _refuse(self, status: int, message: str, retry_after: float) -> HttpError:
        self.refused += 1
        return HttpError(status, message, {"Retry-After": str(max(1, math.ceil(retry_after)))})

    @contextmanager
    def admit(self, client: str):
        """Hold one of the client's query places for the ``with`` block (which gets whether the client is a
        suspect), or raise 429/503."""
        now = time.monotonic()
        with self._lock:
            boxed = self._boxed_until.get(client, 0.0) - now
            if boxed > 0:
                raise self._refuse(429, "Too many of this client's recent queries ran to the time limit or stopped "
                                        f"their worker; try again in {math.ceil(boxed)} seconds.", boxed)
            if self._running[client] >= self.per_client:
                raise self._refuse(429, f"This client already has {self.per_client} queries running; wait for "
                                        "their answers before sending more.", 1)
            suspect = bool(self._recent_strikes(client, now))
            if suspect and (self._running[client] >= 1 or self._suspects >= self.suspect_slots):
                raise self._refuse(429, "This client's recent queries ran to the time limit: it may run one query "
                                        "at a time, when a worker is free for it.", self.base_penalty)
            if self._total >= self.slots:
                raise self._refuse(503, "Every query worker is busy; please try again shortly.", 1)
            self._running[client] += 1
            self._total += 1
            self._suspects += suspect
        try:
            yield suspect
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
                self._total -= 1
                self._suspects -= suspect

    def strike(self, client: str) -> None:
        """The client's query was stopped at a limit or killed its worker."""
        now = time.monotonic()
        with self._lock:
            strikes = self._recent_strikes(client, now) + [now]
            self._strikes[client] = strikes
            penalty = min(MAX_PENALTY, self.base_penalty * 2 ** (len(strikes) - 1))
            self._boxed_until[client] = now + penalty
            for gone in [c for c, until in self._boxed_until.items() if until < now]:
                del self._boxed_until[gone]

    def running(self, client: str) -> int:
        with self._lock:
            return self._running.get(client, 0)

    def describe(self) -> dict:
        """For /health."""
        now = time.monotonic()
        with self._lock:
            boxed = sum(until > now for until in self._boxed_until.values())
            return {"queries_waiting_or_running": self._total, "clients_slowed": boxed, "refused": self.refused}
