"""The query watch: one process beside the server's workers that stops a query past its time or memory limit.

pyoxigraph cannot interrupt a query, so a worker process running one past a
limit is killed (SIGKILL) and gunicorn forks a fresh one from the preloaded
server. While a worker serves a request, the watch holds a duplicate of the
client's socket (:meth:`WatchLink.hold`, until the answer is about to be
written: :meth:`WatchLink.release`); before a query, the worker tells it the
query's deadline and memory allowance (:meth:`WatchLink.arm`), and after it
waits for the watch to let go (:meth:`WatchLink.disarm`) before it goes on.
The watch looks every few milliseconds; a query past a limit has its worker
killed, and the watch writes the client a complete ``503`` with
``Retry-After`` and a plain-English reason on the socket it holds, frees the
client's query place and counts a strike against it (:mod:`fairness`). A
worker that dies mid-request for any other reason (killed by hand, or out of
address space) costs only that request: its client gets a ``503`` too.

The watch is forked from the server's first process before the workers (it
shares the fairness state) and dies with it.
"""

from __future__ import annotations

import array
import ctypes
import json
import os
import secrets
import select
import signal
import socket
import struct
import time
from dataclasses import dataclass

from lscp_kg.service.process_guards import die_with_parent, name_process, resident_bytes

STEP = 0.005  # seconds between looks
DISARM_WAIT = 10.0  # seconds a worker waits for the watch to let go of its query (it answers in microseconds)
WATCH_NAME, WORKER_NAME = "lscp-kg-watch", "lscp-kg-worker"
OUTSIDE = "The query's worker was stopped from outside; please try again."


class WatchCounters(ctypes.Structure):
    """Shared with the workers, for /health."""

    _fields_ = [("workers", ctypes.c_int), ("isolated", ctypes.c_int), ("replaced", ctypes.c_long)]


@dataclass
class Armed:
    """A query being watched: its deadline and allowance, and its client."""

    deadline: float
    memory_limit: int  # resident bytes past which the worker is stopped (0: none)
    client: str | None
    strikes: bool  # a stopped query counts against its client
    suspect: bool  # the client holds a suspect's place (see fairness)
    json: bool  # answer in JSON rather than plain text
    time_limit: float


def refusal(message: str, as_json: bool) -> bytes:
    """The complete HTTP answer the watch writes for a stopped query.

    >>> refusal("Stopped.", False).split(b"\\r\\n")[0]
    b'HTTP/1.1 503 Service Unavailable'
    """
    body = (json.dumps({"error": message, "status": 503}) if as_json else message).encode() + b"\n"
    kind = "application/json" if as_json else "text/plain; charset=utf-8"
    head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
            "Retry-After: 2\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n")
    return head.encode() + body


class WatchLink:
    """A worker's line to the watch."""

    def __init__(self, address: bytes):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.connect(address)
        self.sock.settimeout(DISARM_WAIT)

    def hello(self, isolated: bool) -> None:
        self.sock.send(b"H" + json.dumps(isolated).encode())

    def hold(self, client_socket: int) -> None:
        """A request from the client on ``client_socket`` is being served."""
        self.sock.sendmsg([b"R"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [client_socket]))])

    def release(self) -> None:
        """The request's answer is about to be written."""
        self.sock.send(b"E")

    def arm(self, armed: dict) -> None:
        """Watch the query about to run for the request held (``armed``: the fields of :class:`Armed`)."""
        self.sock.send(b"S" + json.dumps(armed).encode())

    def disarm(self) -> None:
        """The query ended: once the watch has let go (or killed this worker), the answer may be written."""
        self.sock.send(b"D")
        try:
            self.sock.recv(8)
        except socket.timeout:  # the watch is gone or stuck: answering beats waiting
            pass


class QueryWatch:
    """The watch process (see the module docstring); ``runner`` gives it the fairness state and counters."""

    def __init__(self, runner):
        self.runner = runner
        self.address = b"\0lscp-kg-watch-%d-%s" % (os.getpid(), secrets.token_hex(6).encode())
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.listener.bind(self.address)
        self.listener.listen(512)
        self.pid: int | None = None
        self._links: dict[socket.socket, tuple[int, bool]] = {}  # a worker's line -> its pid, isolation
        self._held: dict[socket.socket, socket.socket] = {}  # a worker's line -> the client it is serving
        self._armed: dict[socket.socket, Armed] = {}  # a worker's line -> the query it is running

    def start(self) -> int:
        """Fork the watch (from the server's single-threaded first process); returns its pid."""
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                name_process(WATCH_NAME)
                die_with_parent(parent)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                self.serve_forever()
            finally:
                os._exit(0)
        return self.pid

    def link(self) -> WatchLink:
        return WatchLink(self.address)

    def serve_forever(self) -> None:
        while True:
            ready, _, _ = select.select([self.listener, *self._links], [], [], STEP)
            for sock in ready:
                if sock is self.listener:
                    self._accept()
                else:
                    self._receive(sock)
            self._enforce(time.monotonic())

    def _accept(self) -> None:
        sock, _ = self.listener.accept()
        pid, _uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
        self._links[sock] = (pid, False)

    def _receive(self, sock: socket.socket) -> None:
        try:
            data, ancillary, _flags, _ = sock.recvmsg(65536, socket.CMSG_SPACE(4))
        except OSError:
            data, ancillary = b"", []
        kind = data[:1]
        if not data:
            self._gone(sock)
        elif kind == b"R":
            self._let_go(sock)
            self._held[sock] = socket.socket(fileno=array.array("i", ancillary[0][2][:4])[0])
        elif kind == b"S":
            self._armed[sock] = Armed(**json.loads(data[1:]))
        elif kind == b"D":
            self._armed.pop(sock, None)
            sock.send(b"K")
        elif kind == b"E":
            self._let_go(sock)
        elif kind == b"H":
            self._hello(sock, bool(json.loads(data[1:])))

    def _hello(self, sock: socket.socket, isolated: bool) -> None:
        self._links[sock] = (self._links[sock][0], isolated)
        self.counters.workers += 1
        self.counters.isolated += isolated

    def _let_go(self, sock: socket.socket) -> None:
        held = self._held.pop(sock, None)
        if held is not None:
            held.close()

    @property
    def counters(self) -> WatchCounters:
        return self.runner.counters

    def _gone(self, sock: socket.socket) -> None:
        """A worker's line closed: it ended (or was killed); a query it was running gets its answer here."""
        pid, isolated = self._links[sock]
        if sock in self._held:
            self._stop(sock, pid, OUTSIDE, strike=False)
        del self._links[sock]
        self.counters.workers -= 1
        self.counters.isolated -= isolated
        sock.close()

    def _enforce(self, now: float) -> None:
        for sock, armed in list(self._armed.items()):
            pid = self._links[sock][0]
            if now > armed.deadline:
                self._stop(sock, pid, "The query was stopped: it ran longer than this service's time limit of "
                                      f"{armed.time_limit:g} seconds.", strike=True)
            elif armed.memory_limit and resident_bytes(pid) > armed.memory_limit:
                self._stop(sock, pid, "The query was stopped: it needed more memory than this service allows.",
                           strike=True)

    def _stop(self, sock: socket.socket, pid: int, message: str, strike: bool) -> None:
        """Kill the worker, answer its client, and settle the client's query place."""
        armed = self._armed.pop(sock, None)
        try:
            os.kill(pid, signal.SIGKILL)  # first, so that the worker writes nothing more
        except ProcessLookupError:
            pass
        held = self._held.pop(sock, None)
        if held is not None:
            answer(held, refusal(message, armed.json if armed else False))
        self.counters.replaced += 1
        if armed is None:
            return
        if armed.client is not None:
            self.runner.fairness.release(armed.client, armed.suspect)
            if strike and armed.strikes:
                self.runner.fairness.strike(armed.client)


def answer(client: socket.socket, response: bytes) -> None:
    """Write a whole answer to a client and close the connection (nothing if the client has gone)."""
    try:
        client.settimeout(1.0)
        client.sendall(response)
        client.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    client.close()
