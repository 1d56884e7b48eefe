"""Who may run a query now: a few queries per client, and a penalty box for abusive ones, across processes.

A client is its address (``REMOTE_ADDR``; behind a reverse proxy,
``lscp-kg serve --trusted-proxy`` sets it from ``X-Forwarded-For``). Admission, before a
request runs a query:

* a client has at most ``per_client`` queries running or waiting at once
  (429 past it), and all clients together at most ``query_slots`` running
  (beyond them a query waits a little, then 503), so that some server
  processes stay free for answers that need no query;
* a query stopped at the time or memory limit, or that stopped its worker, is
  a *strike* against its client for ``strike_window`` seconds. After each
  strike the client is refused (429 with ``Retry-After``) for a while (twice
  the time limit, at least 10 s, doubled with each further strike);
* a client with a strike is a suspect: it may run one query at a time, only
  when a slot is free at once (it never waits in line), and suspects
  together hold at most half the slots, so that they can never take them all.

The state lives in memory shared by every server process (created before they
are forked): a fixed table of client addresses and a few totals, behind one
process-shared lock, so that the rules hold whichever process a request reaches.

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

import ctypes
import math
import multiprocessing
import time
import zlib
from contextlib import contextmanager
from multiprocessing.sharedctypes import RawArray, RawValue

from flask import has_request_context, request

from lscp_kg.service.errors import HttpError
from lscp_kg.service.limits import Limits

MAX_PENALTY = 300.0  # seconds
MAX_STRIKES = 8  # remembered per client: past 8 the penalty is at its maximum anyway
TABLE_SIZE = 4096  # client addresses remembered at once
PROBES = 32  # places a client's address may take in the table (open addressing)
WAIT_STEP = 0.01  # seconds between looks for a free slot


class ClientEntry(ctypes.Structure):
    _fields_ = [("address", ctypes.c_char * 64), ("running", ctypes.c_int), ("strikes", ctypes.c_double * MAX_STRIKES),
                ("boxed_until", ctypes.c_double)]


class Totals(ctypes.Structure):
    _fields_ = [("running", ctypes.c_int), ("waiting", ctypes.c_int), ("suspects", ctypes.c_int),
                ("refused", ctypes.c_long)]


def current_client() -> str | None:
    """The address of the client of the request being served (None outside a request: the service itself)."""
    return (request.remote_addr or "-") if has_request_context() else None


class Fairness:
    """Admission to the queries (see the module docstring)."""

    def __init__(self, limits: Limits):
        self.per_client, self.slots, self.window = limits.per_client, limits.query_slots, limits.strike_window
        self.suspect_slots = max(1, limits.query_slots // 2)
        #: queries that may wait for a slot: the server processes beyond the slots but one (at least one)
        self.max_waiting = max(1, limits.workers - 1 - limits.query_slots)
        self.queue_wait = limits.queue_wait
        self.base_penalty = max(10.0, 2 * limits.time_limit)
        self._lock = multiprocessing.Lock()
        self._table = RawArray(ClientEntry, TABLE_SIZE)
        self._totals = RawValue(Totals)

    # --- the table of clients -------------------------------------------------------------------------------

    def _recent_strikes(self, entry: ClientEntry, now: float) -> list[float]:
        return [t for t in entry.strikes if t and now - t < self.window]

    def _idle(self, entry: ClientEntry, now: float) -> bool:
        return not entry.address or (entry.running == 0 and entry.boxed_until < now
                                     and not self._recent_strikes(entry, now))

    def _entry(self, client: str, now: float) -> ClientEntry | None:
        """The client's entry (a free one taken for it if it has none; None if the table is full there)."""
        key = client.encode("utf-8", "replace")[:63]
        start = zlib.crc32(key) % TABLE_SIZE
        places = [self._table[(start + i) % TABLE_SIZE] for i in range(PROBES)]
        for entry in places:
            if entry.address == key:
                return entry
        free = next((entry for entry in places if self._idle(entry, now)), None)
        if free is not None:
            ctypes.memset(ctypes.addressof(free), 0, ctypes.sizeof(ClientEntry))
            free.address = key
        return free

    def _refuse(self, status: int, message: str, retry_after: float) -> HttpError:
        self._totals.refused += 1
        return HttpError(status, message, {"Retry-After": str(max(1, math.ceil(retry_after)))})

    # --- admission ------------------------------------------------------------------------------------------

    def _check_client(self, entry: ClientEntry | None, now: float) -> bool:
        """Raise 429 if the client may not run a query now; else whether it is a suspect."""
        if entry is None:
            raise self._refuse(503, "This service is serving too many clients at once; please try again shortly.", 2)
        boxed = entry.boxed_until - now
        if boxed > 0:
            raise self._refuse(429, "Too many of this client's recent queries ran to the time limit or stopped "
                                    f"their worker; try again in {math.ceil(boxed)} seconds.", boxed)
        if entry.running >= self.per_client:
            raise self._refuse(429, f"This client already has {self.per_client} queries running; wait for "
                                    "their answers before sending more.", 1)
        suspect = bool(self._recent_strikes(entry, now))
        if suspect and (entry.running >= 1 or self._totals.suspects >= self.suspect_slots
                        or self._totals.running >= self.slots):
            raise self._refuse(429, "This client's recent queries ran to the time limit: it may run one query "
                                    "at a time, when a worker is free for it.", self.base_penalty)
        return suspect

    def _try_enter(self, client: str, waiting: bool) -> bool | None:
        """Take a slot for the client: its suspicion, or None if every slot is taken (raises if refused)."""
        now = time.monotonic()
        with self._lock:
            entry = self._entry(client, now)
            suspect = self._check_client(entry, now)
            totals = self._totals
            if totals.running >= self.slots:
                if not waiting and totals.waiting >= self.max_waiting:
                    raise self._refuse(503, "Every query worker is busy; please try again shortly.", 1)
                if not waiting:
                    totals.waiting += 1
                return None
            totals.running += 1
            totals.suspects += suspect
            totals.waiting -= waiting
            entry.running += 1
            return suspect

    def _stop_waiting(self) -> None:
        with self._lock:
            self._totals.waiting -= 1

    def _wait_for_slot(self, client: str) -> bool:
        deadline = time.monotonic() + self.queue_wait
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            try:
                suspect = self._try_enter(client, waiting=True)
            except HttpError:
                self._stop_waiting()
                raise
            if suspect is not None:
                return suspect
        self._stop_waiting()
        raise self._refuse(503, "Every query worker is busy; please try again shortly.", 1)

    @contextmanager
    def admit(self, client: str):
        """Hold one of the client's query places for the ``with`` block (which gets whether the client is a
        suspect), or raise 429/503."""
        suspect = self._try_enter(client, waiting=False)
        if suspect is None:
            suspect = self._wait_for_slot(client)
        try:
            yield suspect
        finally:
            self.release(client, suspect)

    def release(self, client: str, suspect: bool) -> None:
        """Give back a place taken by :meth:`admit` (by the query watch for a worker it killed)."""
        with self._lock:
            entry = self._entry(client, time.monotonic())
            if entry is not None:
                entry.running = max(0, entry.running - 1)
            self._totals.running -= 1
            self._totals.suspects -= suspect

    def strike(self, client: str) -> None:
        """The client's query was stopped at a limit or killed its worker."""
        now = time.monotonic()
        with self._lock:
            entry = self._entry(client, now)
            if entry is None:
                return
            strikes = (self._recent_strikes(entry, now) + [now])[-MAX_STRIKES:]
            entry.strikes[:] = strikes + [0.0] * (MAX_STRIKES - len(strikes))
            entry.boxed_until = now + min(MAX_PENALTY, self.base_penalty * 2 ** (len(strikes) - 1))

    def running(self, client: str) -> int:
        key = client.encode("utf-8", "replace")[:63]
        with self._lock:
            return next((entry.running for entry in self._table if entry.address == key), 0)

    def describe(self) -> dict:
        """For /health."""
        now = time.monotonic()
        with self._lock:
            boxed = sum(entry.boxed_until > now for entry in self._table if entry.address)
            totals = self._totals
            return {"queries_waiting_or_running": totals.running + totals.waiting, "clients_slowed": boxed,
                    "refused": totals.refused}
