"""The server's worker: gunicorn's sync worker (one request at a time) that waits for many connections' headers
at once, and leaves the connections it cannot serve now to idle workers.

One request at a time, so that killing a worker at a query's limit costs
only that query. A worker accepts connections and looks at what they sent
(``MSG_PEEK``: nothing is taken off the connection) without blocking on any;
it serves a request only once its headers are complete, so a client slow to
send them holds no process, and is dropped past ``header_timeout`` seconds.
When it starts serving a request, it hands every other connection it waits
for to the *hand-off* socket shared by all workers, where an idle one takes
it: no request waits behind another's query. The :mod:`query_watch` holds a
copy of every connection a worker holds; if the worker dies, the request it
was serving gets a ``503`` and the connections it waited for are handed off,
untouched, to the others.

gunicorn's own parser does the rest of the framing (a request with both
``Content-Length`` and ``Transfer-Encoding`` is refused with 400, so a request
hidden in a body is never served); a first chunk announced larger than the
request size limit is refused with 413 at once.
"""

from __future__ import annotations

import array
import errno
import json
import os
import re
import select
import socket
import time
from collections import Counter
from dataclasses import dataclass

from gunicorn.util import close_graceful
from gunicorn.workers.sync import SyncWorker

from lscp_kg.service.limits import ServerOptions

LOOK = 0.5  # seconds between a worker's looks at its arbiter when nothing happens
AGAIN = 0.05  # seconds between looks at connections whose headers are incomplete
CHUNKED = re.compile(rb"^transfer-encoding:[^\r\n]*chunked", re.IGNORECASE | re.MULTILINE)
HANDOFF_BYTES = 1024 * 1024  # the hand-off socket's buffer


def handoff_sockets() -> tuple[socket.socket, socket.socket]:
    """The two ends every worker sends waiting connections to and takes them from (made before the fork)."""
    pair = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    for end in pair:
        end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, HANDOFF_BYTES)
        end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, HANDOFF_BYTES)
        end.setblocking(False)
    return pair


def hand_off(handoff: socket.socket, client: socket.socket, about: list) -> bool:
    """Send a waiting connection (``about``: its address, peer and acceptance time) to the idle workers."""
    try:
        handoff.sendmsg([json.dumps(about).encode()],
                       [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [client.fileno()]))])
        return True
    except OSError:  # the hand-off is full
        return False


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


class WatchedClient:
    """A client socket, with the key under which the query watch holds it (a query run for it is watched so),
    whose answer leaves in one write when it is complete (its headers and body together): a worker killed
    while answering leaves either no byte of the answer, and the watch answers instead, or all of it."""

    def __init__(self, sock: socket.socket, watch_key: int | None):
        self._sock, self.watch_key, self._out = sock, watch_key, []

    def sendall(self, data) -> None:
        self._out.append(bytes(data))

    def flush(self) -> None:
        if self._out:
            data, self._out = b"".join(self._out), []
            self._sock.sendall(data)

    def sendfile(self, file, offset: int = 0, count: int | None = None):
        self.flush()
        return self._sock.sendfile(file, offset, count)

    def shutdown(self, how: int) -> None:
        self.flush()
        self._sock.shutdown(how)

    def close(self) -> None:
        self.flush()
        self._sock.close()

    def __getattr__(self, name):
        return getattr(self._sock, name)


@dataclass
class Waiting:
    """A connection whose request headers are still arriving."""

    address: str
    peer: tuple
    began: float  # wall-clock time of its acceptance (it may move to another process)
    key: int | None = None  # the query watch's key while it holds the connection too

    def about(self) -> list:
        return [self.address, list(self.peer), self.began]


class GuardedWorker(SyncWorker):
    """gunicorn's sync worker, waiting for many connections' headers at once (see the module docstring)."""

    options = ServerOptions()
    #: (sending end, taking end) of the hand-off, set by the server before it forks
    handoff: tuple[socket.socket, socket.socket] | None = None
    #: this worker's line to the query watch (set after the fork), which holds every connection held here
    watch = None

    def run(self):
        self.waiting: dict[socket.socket, Waiting] = {}
        self.incomplete: set[socket.socket] = set()  # looked at every AGAIN seconds, not on every byte
        self.per_address: Counter = Counter()
        for listener in self.sockets:
            listener.setblocking(False)
        sources = [*self.sockets, self.PIPE[0], *([self.handoff[1]] if self.handoff else [])]
        while self.alive:
            self.notify()
            self._look_again(time.time())
            watched = [client for client in self.waiting if client not in self.incomplete]
            try:
                ready = select.select([*sources, *watched], [], [], AGAIN if self.incomplete else LOOK)[0]
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
        elif self.handoff and source is self.handoff[1]:
            self._take_over()
        elif source in self.sockets:
            self._accept(source)
        elif source in self.waiting:
            self._look(source)

    # --- connections waited for -----------------------------------------------------------------------------

    def _wait_for(self, client: socket.socket, waiting: Waiting) -> None:
        limit = self.options.connections_per_client
        if (limit and self.per_address[waiting.address] >= limit) or len(self.waiting) >= self.options.pending_per_worker:
            client.close()  # this address holds enough connections already, or this worker is full
            return
        client.setblocking(False)
        self.per_address[waiting.address] += 1
        self.waiting[client] = waiting
        if self.watch is not None:
            waiting.key = self.watch.hold(client.fileno(), waiting.about())
        self._look(client)  # its headers have usually arrived with it

    def _stop_waiting(self, client: socket.socket) -> Waiting:
        waiting = self.waiting.pop(client)
        self.incomplete.discard(client)
        self.per_address[waiting.address] -= 1
        if self.per_address[waiting.address] <= 0:
            del self.per_address[waiting.address]
        return waiting

    def _close(self, client: socket.socket, waiting: Waiting) -> None:
        if waiting.key is not None:
            self.watch.release(waiting.key)
        client.close()

    def _accept(self, listener) -> None:
        try:
            client, peer = listener.accept()
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        self._wait_for(client, Waiting(peer[0] if isinstance(peer, tuple) else str(peer), peer, time.time()))

    def _take_over(self) -> None:
        try:
            message, ancillary, _flags, _ = self.handoff[1].recvmsg(4096, socket.CMSG_SPACE(4))
        except (BlockingIOError, InterruptedError):
            return  # another worker took it
        if ancillary:
            address, peer, began = json.loads(message)
            client = socket.socket(fileno=array.array("i", ancillary[0][2][:4])[0])
            self._wait_for(client, Waiting(address, tuple(peer), began))

    def _look_again(self, now: float) -> None:
        for client in [c for c, w in self.waiting.items() if now - w.began > self.options.header_timeout]:
            self._close(client, self._stop_waiting(client))
        for client in list(self.incomplete):
            if client in self.waiting:
                self._look(client)

    def _look(self, client: socket.socket) -> None:
        """Look (without taking anything) at what the client sent: serve it once its headers are complete."""
        waiting = self.waiting[client]
        try:
            data = client.recv(self.options.max_header_bytes + 1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(client, self._stop_waiting(client))
            return
        end = data.find(b"\r\n\r\n")
        if end < 0 and len(data) <= self.options.max_header_bytes:
            self.incomplete.add(client)  # not complete: looked at again shortly
            return
        self._stop_waiting(client)
        self._hand_off_others()
        self._serve(client, waiting, data, end)

    def _hand_off_others(self) -> None:
        """Before serving one request, leave every other connection waited for to an idle worker."""
        if self.handoff is None:
            return
        for client in list(self.waiting):
            if hand_off(self.handoff[0], client, self.waiting[client].about()):
                self._close(client, self._stop_waiting(client))

    # --- serving ----------------------------------------------------------------------------------------------

    def _serve(self, client: socket.socket, waiting: Waiting, data: bytes, end: int) -> None:
        if waiting.key is not None:
            self.watch.serving(waiting.key)
        client.setblocking(True)
        client.settimeout(self.options.header_timeout)
        try:
            if end < 0:
                self._refuse(client, "431 Request Header Fields Too Large", "The request's headers are too large.")
            elif absurd_first_chunk(data[:end], data[end + 4:], self.options.max_request_bytes):
                self._refuse(client, "413 Content Too Large", "The request body is larger than this service accepts.")
            else:
                self.handle(self.sockets[0], WatchedClient(client, waiting.key), waiting.peer)
        finally:
            self._close(client, waiting)

    @staticmethod
    def _refuse(client: socket.socket, status: str, message: str) -> None:
        body = (message + "\n").encode()
        try:
            client.sendall(f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                           f"{len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        except OSError:
            pass
        close_graceful(client)  # reads what the client sent first: closing on unread bytes would reset
