"""The HTTP server: gunicorn (pre-forking, supervised), with the service loaded once before it forks.

``lscp-kg serve`` builds the app (graph, search index, validation) and warms
its cache in the first process, starts the :mod:`query_watch`, then hands
the app to gunicorn with ``preload_app``: every worker process is a fork of
that first one and shares the graph copy-on-write, so memory does not grow
with workers, and the arbiter forks a fresh worker at once for one that dies.

A worker (:class:`GuardedWorker`, gunicorn's sync worker) answers one request
at a time, so that killing a worker at a query's limit costs only that query.
It reads the headers of many connections at once, without blocking on any,
and serves a request only once its headers are complete: a client that is
slow to send them holds no process, and is dropped past ``header_timeout``
seconds. gunicorn's own parser does the rest of the framing (a request with
both ``Content-Length`` and ``Transfer-Encoding`` is refused with 400, so a
request hidden in a body is never served); a first chunk announced larger
than the request size limit is refused with 413 at once. Behind a buffering
proxy (nginx, as gunicorn's documentation advises) slow clients never reach
the workers at all; see the README's deployment notes.
"""

from __future__ import annotations

import errno
import os
import re
import select
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass

from gunicorn.app.base import BaseApplication
from gunicorn.workers.sync import SyncWorker
from werkzeug.middleware.proxy_fix import ProxyFix

from lscp_kg.service import request_log
from lscp_kg.service.cache import warm
from lscp_kg.service.guarded_runner import reopened
from lscp_kg.service.limits import ServerOptions
from lscp_kg.service.process_guards import (die_with_parent, isolate_from_network, limit_address_space,
                                            name_process)
from lscp_kg.service.query_watch import WORKER_NAME, QueryWatch

LOOK = 0.5  # seconds between a worker's looks at its connections and its arbiter when nothing happens
CHUNKED = re.compile(rb"^transfer-encoding:[^\r\n]*chunked", re.IGNORECASE | re.MULTILINE)


class BufferedClient:
    """A client socket whose first bytes (the headers, read already) are handed out again before the rest."""

    def __init__(self, sock: socket.socket, first: bytes):
        self._sock, self._first = sock, first

    def recv(self, size: int, *flags) -> bytes:
        if self._first:
            data, self._first = self._first[:size], self._first[size:]
            return data
        return self._sock.recv(size, *flags)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def absurd_first_chunk(head: bytes, rest: bytes, limit: int) -> bool:
    """Whether a chunked body's first chunk is announced larger than the body may be.

    >>> absurd_first_chunk(b"POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked", b"FFFFFFFFFF\\r\\nASK {}", 1024)
    True
    >>> absurd_first_chunk(b"POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked", b"7\\r\\nASK { }", 1024)
    False
    """
    if not CHUNKED.search(head):
        return False
    size = rest.split(b"\r\n", 1)[0].split(b";", 1)[0].strip()
    try:
        return int(size, 16) > limit
    except ValueError:
        return False  # not read yet, or malformed: gunicorn's parser decides


@dataclass
class Pending:
    """A connection whose request headers are still arriving."""

    address: str
    peer: tuple
    began: float
    data: bytearray


class GuardedWorker(SyncWorker):
    """gunicorn's sync worker, reading the headers of many connections at once (see the module docstring)."""

    options = ServerOptions()

    def run(self):
        self.pending: dict[socket.socket, Pending] = {}
        self.per_address: Counter = Counter()
        for listener in self.sockets:
            listener.setblocking(False)
        while self.alive:
            self.notify()
            self._drop_overdue(time.monotonic())
            try:
                ready = select.select([*self.sockets, self.PIPE[0], *self.pending], [], [], LOOK)[0]
            except OSError as error:
                if error.errno == errno.EINTR:
                    continue
                return
            for source in ready:
                self._ready(source)
            if not self.is_parent_alive():
                return

    def _ready(self, source) -> None:
        if source == self.PIPE[0]:
            os.read(self.PIPE[0], 1)
        elif source in self.sockets:
            self._accept(source)
        elif source in self.pending:
            self._receive(source)

    def _accept(self, listener) -> None:
        try:
            client, peer = listener.accept()
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        address = peer[0] if isinstance(peer, tuple) else str(peer)
        limit = self.options.connections_per_client
        if (limit and self.per_address[address] >= limit) or len(self.pending) >= self.options.pending_per_worker:
            client.close()  # this address holds enough connections already, or this worker is full
            return
        client.setblocking(False)
        self.per_address[address] += 1
        self.pending[client] = Pending(address, peer, time.monotonic(), bytearray())

    def _forget(self, client: socket.socket) -> Pending:
        pending = self.pending.pop(client)
        self.per_address[pending.address] -= 1
        if self.per_address[pending.address] <= 0:
            del self.per_address[pending.address]
        return pending

    def _drop_overdue(self, now: float) -> None:
        overdue = [c for c, p in self.pending.items() if now - p.began > self.options.header_timeout]
        for client in overdue:
            self._forget(client)
            client.close()

    def _receive(self, client: socket.socket) -> None:
        pending = self.pending[client]
        try:
            data = client.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._forget(client)
            client.close()
            return
        pending.data += data
        end = pending.data.find(b"\r\n\r\n")
        if end >= 0 or len(pending.data) > self.options.max_header_bytes:
            self._forget(client)
            self._serve(client, pending, end)

    def _serve(self, client: socket.socket, pending: Pending, end: int) -> None:
        client.setblocking(True)
        client.settimeout(self.options.header_timeout)
        data = bytes(pending.data)
        if end < 0:
            self._refuse(client, "431 Request Header Fields Too Large", "The request's headers are too large.")
        elif absurd_first_chunk(data[:end], data[end + 4:], self.options.max_request_bytes):
            self._refuse(client, "413 Content Too Large", "The request body is larger than this service accepts.")
        else:
            self.handle(self.sockets[0], BufferedClient(client, data), pending.peer)

    @staticmethod
    def _refuse(client: socket.socket, status: str, message: str) -> None:
        body = (message + "\n").encode()
        try:
            client.sendall(f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                           f"{len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        except OSError:
            pass
        client.close()


class Server(BaseApplication):
    """gunicorn serving ``app`` (already built and warmed), see the module docstring."""

    def __init__(self, app, host: str, port: int, workers: int, options: ServerOptions):
        self.application, self.options = app, options
        self.runner = app.extensions["lscp_kg"].runner
        self.settings = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}", "workers": workers,
            "worker_class": GuardedWorker, "preload_app": True, "proc_name": "lscp-kg", "control_socket_disable": True,
            # the arbiter kills a silent worker: well after the query watch would have
            "timeout": int(self.runner.limits.time_limit) + 30, "graceful_timeout": 5, "keepalive": 0,
            "limit_request_line": 0, "limit_request_fields": 100,
            "post_fork": self.post_fork, "when_ready": self.when_ready,
        }
        GuardedWorker.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application

    def run(self):
        """Warm the cache and start the watch (in this process, before any worker is forked), then serve."""
        request_log.synchronous = True  # no writer thread in the process the workers are forked from
        self.application.extensions["lscp_kg"].warm_up = "running"
        warm(self.application)
        request_log.synchronous = False
        self.watch = QueryWatch(self.runner)
        self.watch.start()
        super().run()

    def when_ready(self, arbiter) -> None:
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        print(f"Serving on http://{host}:{port}", flush=True)
        sys.stderr.flush()

    def post_fork(self, arbiter, worker) -> None:
        """In a new worker, before any thread: die with the server, open the store for this process, leave
        the network (where the host allows it and the store is local), bound the address space, and link to
        the watch."""
        name_process(WORKER_NAME)
        die_with_parent(arbiter.pid)
        reopened(self.runner.kg)
        link = self.watch.link()  # before leaving the network: the watch's socket is in this namespace
        isolated = False if self.runner.needs_network else isolate_from_network()
        limit_address_space(2 * self.runner.limits.memory_limit)
        link.hello(isolated)
        self.runner.watch = link
        request_log.after_fork()


def network_isolation_refusal(kg) -> str | None:
    """Why the workers could not be cut off from the network here (None: they can)."""
    if kg.is_remote:
        return "the query workers of a remote store need the network to reach it"
    child = os.fork()
    if child == 0:  # try in a throwaway process: leaving the network cannot be undone
        os._exit(0 if isolate_from_network() else 1)
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        return None
    return ("this host gives no network namespace, so query workers cannot be cut off from the network; "
            "not starting")


class TrustedProxy:
    """WSGI layer: a request from the trusted reverse proxy has its client's address from ``X-Forwarded-For``
    (the address the proxy appended); from anyone else the header is ignored."""

    def __init__(self, wsgi_app, proxy: str):
        self.plain, self.proxy = wsgi_app, proxy
        self.fixed = ProxyFix(wsgi_app, x_for=1)

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") == self.proxy:
            return self.fixed(environ, start_response)
        environ.pop("HTTP_X_FORWARDED_FOR", None)
        return self.plain(environ, start_response)


def trust_proxy(app, proxy: str) -> None:
    app.wsgi_app = TrustedProxy(app.wsgi_app, proxy)
