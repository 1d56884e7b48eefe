"""Answers that stay the same until the data changes: ETags, ``Cache-Control`` and a response cache.

The graph is read only while the service runs (a shared store that
another process publishes to is asked afresh), so the answer to a GET of a query
(``/sparql?query=``, ``/api/queries/<name>?...``), of the named-query list or
of an entity page depends only on the request and the data
(:data:`CACHEABLE_ENDPOINTS`). For such an answer the service then

* sends a strong ``ETag`` (a hash of the body) and ``Cache-Control: public,
  max-age=N`` (``CACHE_MAX_AGE``, default 60 s), and answers ``304 Not
  Modified`` to an ``If-None-Match`` that matches, so that integrators who
  poll fetch only what changed;
* keeps the whole response in :class:`ResponseCache`, a WSGI layer in front of
  Flask keyed on (data version, path and query string = query and
  parameters, ``Accept`` = format, ``Origin``). A repeated request is
  answered from memory without routing, parsing or running the query again.
  A request that says ``Cache-Control: no-cache`` (or ``Pragma: no-cache``)
  is always answered afresh, and refreshes the entry.

The cache holds at most ``RESPONSE_CACHE_BYTES`` (default 64 MiB; 0 turns it
off), least recently used first out; a single answer larger than an eighth
of that is never kept. Errors, POSTs and partial answers are never cached.

>>> from lscp_kg.service.app import create_app
>>> client = create_app({"TESTING": True, "QUERY_WORKERS": 1}).test_client()
>>> first = client.get("/api/queries/statutory-partners")
>>> first.headers["Cache-Control"], first.headers.get("X-Cache")
('public, max-age=60', None)
>>> again = client.get("/api/queries/statutory-partners", headers={"If-None-Match": first.headers["ETag"]})
>>> again.status_code, again.headers["X-Cache"], again.data
(304, 'hit', b'')
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, request
from werkzeug.http import parse_etags

from lscp_kg.service.request_log import QUERY_LOG_KEY, write_query_line

CACHEABLE_KEY = "lscp_kg.cacheable"
#: Views whose GET answers depend only on the request and the data (``/sparql`` only with a query:
#: its service description names the host it was asked through).
CACHEABLE_ENDPOINTS = frozenset({"sparql.endpoint", "queries.run_api", "queries.list_api",
                                 "entities.by_path", "entities.by_iri"})
#: Response headers a 304 repeats (RFC 9110 15.4.5); the others describe the body it leaves out.
NOT_MODIFIED_HEADERS = frozenset({"cache-control", "etag", "vary", "expires", "content-location", "date",
                                  "access-control-allow-origin", "access-control-expose-headers"})


@dataclass(frozen=True)
class CachedResponse:
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    log: tuple | None  # (query label, rows, truncated) for the request log


def data_version(dataset: bytes) -> str:
    """A short fingerprint of the loaded data: answers cached for other data are never served.

    >>> data_version(b"<a> <b> <c> .")
    'b2ea068271f453a9'
    """
    return hashlib.sha256(dataset).hexdigest()[:16]


def _no_cache(environ) -> bool:
    directives = (environ.get("HTTP_CACHE_CONTROL", "") + "," + environ.get("HTTP_PRAGMA", "")).lower()
    return "no-cache" in directives or "no-store" in directives


class ResponseCache:
    """WSGI middleware serving repeated cacheable GETs from memory (see the module docstring)."""

    def __init__(self, wsgi_app, version: str, max_bytes: int):
        self.wsgi_app, self.version, self.max_bytes = wsgi_app, version, max_bytes
        self.max_entry = max_bytes // 8
        self._entries: OrderedDict[tuple, CachedResponse] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def _key(self, environ, accept: str | None = None) -> tuple:
        # No Host: cacheable answers hold no absolute URL of this service (the service description, which
        # names the endpoint, is never cached), so every name the server is reached by shares them.
        return (self.version, environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                environ.get("HTTP_ACCEPT", "") if accept is None else accept, environ.get("HTTP_ORIGIN", ""))

    def alias(self, environ, accepts) -> None:
        """Serve the cached answer to ``environ`` also to requests that differ only by these ``Accept`` values
        (which negotiate to the same answer)."""
        with self._lock:
            entry = self._entries.get(self._key(environ))
            if entry is not None:
                for accept in accepts:
                    if self._entries.setdefault(self._key(environ, accept), entry) is entry:
                        self._size += len(entry.body)

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if self.max_bytes <= 0 or method not in ("GET", "HEAD") or "HTTP_RANGE" in environ:
            return self.wsgi_app(environ, start_response)
        key = self._key(environ)
        if not _no_cache(environ):
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
            if entry is not None:
                return self._answer(entry, environ, start_response)
        with self._lock:
            self.misses += 1
        if method == "HEAD":  # its body is empty: nothing worth keeping
            return self.wsgi_app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body_iter = self.wsgi_app(environ, capture)
        if not (environ.get(CACHEABLE_KEY) and captured.get("status", "").startswith("200")):
            return body_iter
        try:
            body = b"".join(body_iter)
        finally:
            if hasattr(body_iter, "close"):
                body_iter.close()
        self._store(key, captured, body, environ)
        return [body]

    def _store(self, key, captured, body: bytes, environ) -> None:
        headers = tuple(captured["headers"])
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        if etag is None or len(body) > self.max_entry:
            return
        entry = CachedResponse(captured["status"], headers, body, etag, environ.get(QUERY_LOG_KEY))
        with self._lock:
            old = self._entries.pop(key, None)
            self._size += len(body) - (len(old.body) if old else 0)
            self._entries[key] = entry
            while self._size > self.max_bytes and self._entries:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.body)

    def _answer(self, entry: CachedResponse, environ, start_response):
        started = time.perf_counter()
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted and parse_etags(wanted).contains_weak(entry.etag.strip('"').removeprefix("W/").strip('"')):
            status, body = "304 NOT MODIFIED", b""
            headers = [(k, v) for k, v in entry.headers if k.lower() in NOT_MODIFIED_HEADERS]
        else:
            status, body = entry.status, entry.body
            headers = list(entry.headers)
        headers.append(("X-Cache", "hit"))
        if entry.log is not None:
            label, rows, truncated = entry.log
            write_query_line(label, int(status[:3]), (time.perf_counter() - started) * 1000, rows, truncated, cached=True)
        start_response(status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


_flights: dict = {}
_flights_lock = threading.Lock()


def computed_once(cache: dict, key, build):
    """``cache[key]``, built by ``build()`` if missing, by one request at a time per key: requests asking
    for a value being built wait for it instead of building it again (a report asked by many at once).

    >>> values = {}
    >>> computed_once(values, "a", lambda: 42), computed_once(values, "a", lambda: 0)
    (42, 42)
    """
    if key in cache:
        return cache[key]
    with _flights_lock:
        flight = _flights.setdefault(key, threading.Lock())
    try:
        with flight:
            if key not in cache:
                cache[key] = build()
            return cache[key]
    finally:
        with _flights_lock:
            _flights.pop(key, None)


def register_response_cache(app: Flask, dataset: bytes) -> ResponseCache:
    """ETag and Cache-Control for marked answers, and the response cache in front of the app."""
    max_age = int(app.config.get("CACHE_MAX_AGE", 60))

    @app.after_request
    def _validators(response):
        if (request.endpoint not in CACHEABLE_ENDPOINTS or request.method not in ("GET", "HEAD")
                or response.status_code != 200 or (request.endpoint == "sparql.endpoint" and "query" not in request.args)):
            return response
        response.cache_control.public = True
        response.cache_control.max_age = max_age
        response.add_etag()
        request.environ[CACHEABLE_KEY] = True
        return response.make_conditional(request)

    cache = ResponseCache(app.wsgi_app, data_version(dataset), int(app.config.get("RESPONSE_CACHE_BYTES", 64 * 1024**2)))
    app.wsgi_app = cache
    app.extensions["lscp_kg_cache"] = cache
    if app.config.get("WARM_CACHE", not app.testing) and cache.max_bytes > 0:
        threading.Thread(target=warm, args=(app,), name="lscp-kg-warm-up", daemon=True).start()
    return cache


#: The Accept headers pollers send for the API's JSON (the first is asked, the others share its answer).
WARM_ACCEPTS = ("*/*", "", "application/json")


def warm(app: Flask) -> int:
    """Answer, through the whole app as a request would, each named query with its default parameters (and
    today's scrutiny report), so that their first poll is a cache hit; returns how many were kept."""
    from werkzeug.test import EnvironBuilder

    cache, state = app.extensions["lscp_kg_cache"], app.extensions["lscp_kg"]
    paths = ["/api/queries"] + [f"/api/queries/{name}" for name in state.named_queries] + ["/scrutiny.json"]
    kept = 0
    state.warm_up = "running"
    for path in paths:
        environ = EnvironBuilder(path=path, headers={"Accept": WARM_ACCEPTS[0]},
                                 environ_base={"REMOTE_ADDR": "start-up"}).get_environ()
        try:
            body = app.wsgi_app(environ, lambda status, headers, exc_info=None: None)
            b"".join(body)
            if hasattr(body, "close"):
                body.close()
        except Exception:  # noqa: BLE001 - a warm-up failure only means a first request computes its answer
            continue
        cache.alias(environ, WARM_ACCEPTS[1:])
        kept += 1
    state.warm_up = "done"
    return kept
