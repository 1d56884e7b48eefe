"""One log line per query: time, query name or hash, status, duration, rows.

Views call :func:`note_query` with the named query's name or the SPARQL text;
the line is written once the response exists (errors included), e.g.::

    2025-01-31T10:12:03Z query=sha256:3f2a9c01d4e5 status=200 duration_ms=12.4 rows=3 truncated=false

A request thread only puts the line's fields on a :class:`queue.SimpleQueue`
(no lock, no formatting, no I/O on the request path); one writer thread
formats and logs them. Under ``TESTING`` lines are written at once, so that
tests read them right after the request.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from datetime import datetime, timezone

from flask import Flask, g, request

log = logging.getLogger("lscp_kg.service.queries")
#: Where a request's log details wait for the response cache (a WSGI environ key).
QUERY_LOG_KEY = "lscp_kg.query_log"


def query_label(sparql: str) -> str:
    """A short stable name for an ad-hoc query.

    >>> query_label("ASK {}")
    'sha256:819ea91ed5f1'
    """
    return "sha256:" + hashlib.sha256(sparql.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def note_query(label: str) -> None:
    g.query_label = label


def note_result(rows: int, truncated: bool) -> None:
    g.query_rows, g.query_truncated = rows, truncated


def _write(when: float, label: str, status: int, elapsed_ms: float, rows, truncated: bool, cached: bool) -> None:
    stamp = datetime.fromtimestamp(when, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    log.info("%s query=%s status=%d duration_ms=%.1f rows=%s truncated=%s%s", stamp, label, status, elapsed_ms,
             rows, str(truncated).lower(), " cached=true" if cached else "")


_lines: queue.SimpleQueue = queue.SimpleQueue()
_writer: list[threading.Thread] = []
_writer_lock = threading.Lock()
#: write on the request thread (tests); set by :func:`register_request_log`
synchronous = False


def _write_forever() -> None:
    while True:
        _write(*_lines.get())


def write_query_line(label: str, status: int, elapsed_ms: float, rows, truncated: bool, cached: bool = False) -> None:
    """Queue one query's log line (``cached=true`` is added for an answer served from the response cache)."""
    if synchronous:
        _write(time.time(), label, status, elapsed_ms, rows, truncated, cached)
        return
    if not _writer:
        with _writer_lock:
            if not _writer:
                _writer.append(threading.Thread(target=_write_forever, name="lscp-kg-query-log", daemon=True))
                _writer[0].start()
    _lines.put((time.time(), label, status, elapsed_ms, rows, truncated, cached))


def after_fork() -> None:
    """In a forked process: the writer thread stayed behind in the parent; a new one starts at the next line."""
    _writer.clear()


def register_request_log(app: Flask) -> None:
    global synchronous
    if app.config.get("TESTING"):  # a test process: every app in it logs at once
        synchronous = True

    @app.before_request
    def _start_clock():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_query(response):
        label = g.pop("query_label", None)
        if label is not None:
            elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
            rows, truncated = g.get("query_rows", "-"), g.get("query_truncated", False)
            write_query_line(label, response.status_code, elapsed, rows, truncated)
            request.environ[QUERY_LOG_KEY] = (label, rows, truncated)  # for answers served again from the cache
        return response
