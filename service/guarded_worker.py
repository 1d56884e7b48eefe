"""The server's worker: gunicorn's sync worker (one request at a time), reading the headers of many connections
at once, and leaving the connections it cannot serve now to idle workers.

One request at a time, so that killing a worker at a query's limit costs
only that query. A worker accepts connections and reads their headers
without blocking on any; it serves a request only once its headers are
complete, so a client slow to send them holds no process, and is dropped
past ``header_timeout`` seconds. When it starts serving a request, it hands
every other connection it holds (with the bytes read so far) to the *hand-off*
socket shared by all workers, where an idle one takes it: no request waits
behind another's query, and a worker killed at a limit takes no one else's
request with it.

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

from gunicorn.workers.sync import SyncWorker

from lscp_kg.service.limits import ServerOptions

LOOK = 0.5  # seconds between a worker's looks at its connections and its arbiter when nothing happens
CHUNKED = re.compile(rb"^transfer-encoding:[^\r\n]*chunked", re.IGNORECASE | re.MULTILINE)
HANDOFF_BYTES = 4 * 1024 * 1024  # the hand-off socket's buffer: many connections' headers


def handoff_sockets() -> tuple[socket.socket, socket.socket]:
    """The two ends every worker sends held connections to and takes them from (made before the fork)."""
    pair = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    for end in pair:
        end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, HANDOFF_BYTES)
        end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, HANDOFF_BYTES)
        end.setblocking(False)
    return pair


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
    began: float  # wall-clock time of its acceptance (it may move to another process)
    data: bytearray


class GuardedWorker(SyncWorker):
    """gunicorn's sync worker, reading the headers of many connections at once (see the module docstring)."""

    options = ServerOptions()
    #: (sending end, taking end) of the hand-off, set by the server before it forks
    handoff: tuple[socket.socket, socket.socket] | None = None

    def run(self):
        self.pending: dict[socket.socket, Pending] = {}
        self.per_address: Counter = Counter()
        for listener in self.sockets:
            listener.setblocking(False)
        sources = [*self.sockets, self.PIPE[0], *([self.handoff[1]] if self.handoff else [])]
        while self.alive:
            self.notify()
            self._drop_overdue(time.time())
            try:
                ready = select.select([*sources, *self.pending], [], [], LOOK)[0]
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
        elif source in self.pending:
            self._receive(source)

    # --- holding connections --------------------------------------------------------------------------------

    def _hold(self, client: socket.socket, pending: Pending) -> bool:
        limit = self.options.connections_per_client
        if (limit and self.per_address[pending.address] >= limit) or len(self.pending) >= self.options.pending_per_worker:
            client.close()  # this address holds enough connections already, or this worker is full
            return False
        client.setblocking(False)
        self.per_address[pending.address] += 1
        self.pending[client] = pending
        return True

    def _forget(self, client: socket.socket) -> Pending:
        pending = self.pending.pop(client)
        self.per_address[pending.address] -= 1
        if self.per_address[pending.address] <= 0:
            del self.per_address[pending.address]
        return pending

    def _accept(self, listener) -> None:
        try:
            client, peer = listener.accept()
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                return
            raise
        address = peer[0] if isinstance(peer, tuple) else str(peer)
        if self._hold(client, Pending(address, peer, time.time(), bytearray())):
            self._receive(client)  # its headers have usually arrived with it

    def _drop_overdue(self, now: float) -> None:
        for client in [c for c, p in self.pending.items() if now - p.began > self.options.header_timeout]:
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
            self._hand_off_others()
            self._serve(client, pending, end)

    # --- the hand-off ---------------------------------------------------------------------------------------

    def _hand_off_others(self) -> None:
        """Before serving one request, leave every other held connection to an idle worker."""
        if self.handoff is None:
            return
        for client in list(self.pending):
            pending = self.pending[client]
            message = json.dumps([pending.address, list(pending.peer), pending.began]).encode() + b"\n" + pending.data
            try:
                self.handoff[0].sendmsg([message], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [client.fileno()]))])
            except OSError:  # the hand-off is full: keep it
                continue
            self._forget(client)
            client.close()

    def _take_over(self) -> None:
        try:
            message, ancillary, _flags, _ = self.handoff[1].recvmsg(self.options.max_header_bytes + 4096,
                                                                 socket.CMSG_SPACE(4))
        except (BlockingIOError, InterruptedError):
            return  # another worker took it
        if not ancillary:
            return
        client = socket.socket(fileno=array.array("i", ancillary[0][2][:4])[0])
        head, data = message.split(b"\n", 1)
        address, peer, began = json.loads(head)
        pending = Pending(address, tuple(peer), began, bytearray(data))
        end = data.find(b"\r\n\r\n")
        if self._hold(client, pending) and end >= 0:  # complete: served now (this worker was idle)
            self._forget(client)
            self._serve(client, pending, end)

    # --- serving ----------------------------------------------------------------------------------------------

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
