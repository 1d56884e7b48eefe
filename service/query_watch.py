"""The query watch: one process beside the server's workers that stops a query past its time or memory limit.

pyoxigraph cannot interrupt a query, so a worker process running one past a
limit is killed (SIGKILL) and gunicorn forks a fresh one from the preloaded
server. While a worker holds a connection (from its acceptance until its
answer is written), the watch holds a duplicate of it (:meth:`WatchLink.hold`,
:meth:`WatchLink.release`); before a query, the worker tells it the query's
deadline and memory allowance (:meth:`WatchLink.arm`), and after it waits for
the watch to let go (:meth:`WatchLink.disarm`) before it goes on.
The watch looks every few milliseconds; a query past a limit has its worker
killed, and the watch writes the client a complete ``503`` with
``Retry-After`` and a plain-English reason on the socket it holds (the site's
own page for a browser, JSON or text for a program: :func:`refusal`), frees the
client's query place and counts a strike against it (:mod:`fairness`). A
worker that dies for any other reason (killed by hand, or out of address
space) costs only the request it was serving: its client gets a ``503`` too
(unless the answer was already on its way), and the connections it held
waiting for their headers a ``503`` to retry.

The watch is forked from the server's first process before the workers (it
shares the fairness state) and dies with it.
"""

from __future__ import annotations

import array
import ctypes
import fcntl
import json
import logging
import os
import secrets
import select
import signal
import socket
import struct
import termios
import time
from dataclasses import dataclass
from typing import Callable

from lscp_kg.service.guarded_worker import hand_off
from lscp_kg.service.process_guards import die_with_parent, name_process, resident_bytes

log = logging.getLogger(__name__)
STEP = 0.005  # seconds between looks
DISARM_WAIT = 10.0  # seconds a worker waits for the watch to let go of its query (it answers in microseconds)
WATCH_NAME, WORKER_NAME = "lscp-kg-watch", "lscp-kg-worker"
OUTSIDE = "The query's worker was stopped from outside; please try again."
MEMORY_MESSAGE = "The query was stopped: it needed more memory than this service allows."


def time_limit_message(limit: float) -> str:
    """What a client whose query ran past the time limit is told.

    >>> time_limit_message(1.0), time_limit_message(2.5)[-26:]
    ("The query was stopped: it ran longer than this service's time limit of 1 second.", 'time limit of 2.5 seconds.')
    """
    return f"The query was stopped: it ran longer than this service's time limit of {limit:g} second{'' if limit == 1 else 's'}."
TCP_INFO_BYTES_ACKED = slice(120, 128)  # struct tcp_info's tcpi_bytes_acked (Linux 4.1 and later)


class WatchCounters(ctypes.Structure):
    """Shared with the workers, for /health."""

    _fields_ = [("workers", ctypes.c_int), ("isolated", ctypes.c_int), ("replaced", ctypes.c_long)]


@dataclass
class Armed:
    """A query being watched: its deadline and allowance, and its client."""

    key: int  # the held connection it is for
    deadline: float
    memory_limit: int  # resident bytes past which the worker is stopped (0: none)
    client: str | None
    strikes: bool  # a stopped query counts against its client
    suspect: bool  # the client holds a suspect's place (see fairness)
    media_type: str  # the form of an error answer the client asked for (JSON, HTML or plain text)
    time_limit: float


#: The headers of every answer the watch writes, beside its own body's.
REFUSAL_HEADERS = {"Retry-After": "2", "Cache-Control": "no-store"}


def refusal(message: str, media_type: str, page: Callable[[str], tuple[list, bytes]] | None = None) -> bytes:
    """The complete HTTP answer the watch writes for a stopped query; ``page`` makes the HTML page for a
    browser (with the service's own headers), plain text where there is none.

    >>> refusal("Stopped.", "text/plain").split(b"\\r\\n")[0]
    b'HTTP/1.1 503 Service Unavailable'
    >>> refusal("Stopped.", "application/json").endswith(b'{"error": "Stopped.", "status": 503}\\n')
    True
    >>> page = lambda message: ([("Content-Type", "text/html; charset=utf-8")], f"<p>{message}</p>".encode())
    >>> b"Content-Type: text/html" in refusal("Stopped.", "text/html", page), refusal("Stopped.", "text/html", page)[-15:]
    (True, b'<p>Stopped.</p>')
    """
    if media_type == "text/html" and page is not None:
        headers, body = page(message)
    else:
        as_json = media_type == "application/json"
        body = (json.dumps({"error": message, "status": 503}) if as_json else message).encode() + b"\n"
        headers = [("Content-Type", "application/json" if as_json else "text/plain; charset=utf-8"),
                   ("X-Content-Type-Options", "nosniff"), *REFUSAL_HEADERS.items()]
    kept = [(name, value) for name, value in headers if name.lower() not in ("content-length", "connection")]
    head = "".join(f"{name}: {value}\r\n" for name, value in kept)
    return (f"HTTP/1.1 503 Service Unavailable\r\n{head}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            .encode("latin-1") + body)


@dataclass
class Held:
    """A connection a worker holds: waited for (its request untouched), or being served."""

    client: socket.socket
    about: list  # its address, peer and acceptance time
    serving: bool = False


def answer_started(client: socket.socket) -> bool:
    """Whether any byte of an answer was written on this connection (sent, or waiting to be)."""
    try:
        info = client.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
        acked = int.from_bytes(info[TCP_INFO_BYTES_ACKED], "little") if len(info) >= 128 else 0
        waiting = struct.unpack("i", fcntl.ioctl(client.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]
    except OSError:  # not TCP (a test's socket pair)
        return False
    return acked > 1 or waiting > 0  # a TCP connection's own handshake acknowledges one


def answer(client: socket.socket, response: bytes) -> None:
    """Write a whole answer to a client, unless one was begun, and close the connection gracefully: what the
    client sent and no one read is read first (closing on unread bytes would reset the connection, and the
    client could lose the answer)."""
    try:
        client.settimeout(1.0)
        if not answer_started(client):
            client.sendall(response)
        client.shutdown(socket.SHUT_WR)
        client.setblocking(False)
        while client.recv(65536):
            pass
    except OSError:
        pass
    client.close()


class WatchLink:
    """A worker's line to the watch."""

    def __init__(self, address: bytes):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.connect(address)
        self.sock.settimeout(DISARM_WAIT)
        self._keys = 0

    def hello(self, isolated: bool) -> None:
        self.sock.send(b"H" + json.dumps(isolated).encode())

    def hold(self, client_socket: int, about: list) -> int:
        """The worker holds a connection (until :meth:`release`; ``about``: its address, peer and acceptance
        time, to hand it on if this worker dies before serving it); returns its key."""
        self._keys += 1
        self.sock.sendmsg([b"R" + json.dumps([self._keys, about]).encode()],
                          [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [client_socket]))])
        return self._keys

    def serving(self, key: int) -> None:
        """The worker starts reading and answering the request on this connection."""
        self.sock.send(b"G%d" % key)

    def release(self, key: int) -> None:
        """The worker has answered (or closed, or handed on) the connection."""
        self.sock.send(b"E%d" % key)

    def arm(self, armed: dict) -> None:
        """Watch the query about to run (``armed``: the fields of :class:`Armed`)."""
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

    def __init__(self, runner, handoff: socket.socket, page: Callable[[str], tuple[list, bytes]] | None = None):
        self.runner, self.handoff, self.page = runner, handoff, page  # page: a browser's 503 (see refusal)
        self.address = b"\0lscp-kg-watch-%d-%s" % (os.getpid(), secrets.token_hex(6).encode())
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.listener.bind(self.address)
        self.listener.listen(512)
        self.pid: int | None = None
        self._links: dict[socket.socket, tuple[int, bool]] = {}  # a worker's line -> its pid, isolation
        self._held: dict[socket.socket, dict[int, Held]] = {}  # a worker's line -> its connections
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
        self._links[sock], self._held[sock] = (pid, False), {}

    def _receive(self, sock: socket.socket) -> None:
        try:
            data, ancillary, _flags, _ = sock.recvmsg(65536, socket.CMSG_SPACE(4))
        except OSError:
            data, ancillary = b"", []
        kind = data[:1]
        if not data:
            self._gone(sock)
        elif kind == b"R":
            key, about = json.loads(data[1:])
            self._held[sock][key] = Held(socket.socket(fileno=array.array("i", ancillary[0][2][:4])[0]), about)
        elif kind == b"G":
            self._held[sock][int(data[1:])].serving = True
        elif kind == b"E":
            held = self._held[sock].pop(int(data[1:]), None)
            if held is not None:
                held.client.close()
        elif kind == b"S":
            self._armed[sock] = Armed(**json.loads(data[1:]))
        elif kind == b"D":
            self._armed.pop(sock, None)
            sock.send(b"K")
        elif kind == b"H":
            self._hello(sock, bool(json.loads(data[1:])))

    @property
    def counters(self) -> WatchCounters:
        return self.runner.counters

    def _hello(self, sock: socket.socket, isolated: bool) -> None:
        if not self.counters.workers and not self.counters.replaced:  # the first worker: say it once
            log.info("query workers: %s", self.runner.isolation_text(isolated))
        self._links[sock] = (self._links[sock][0], isolated)
        self.counters.workers += 1
        self.counters.isolated += isolated

    def _gone(self, sock: socket.socket) -> None:
        """A worker's line closed: it ended (or was killed); the connections it held get their answer here."""
        pid, isolated = self._links[sock]
        if self._held[sock]:
            self._stop(sock, pid, OUTSIDE, strike=False)
        del self._links[sock], self._held[sock]
        self.counters.workers -= 1
        self.counters.isolated -= isolated
        sock.close()

    def _enforce(self, now: float) -> None:
        for sock, armed in list(self._armed.items()):
            pid = self._links[sock][0]
            if now > armed.deadline:
                self._stop(sock, pid, time_limit_message(armed.time_limit), strike=True)
            elif armed.memory_limit and resident_bytes(pid) > armed.memory_limit:
                self._stop(sock, pid, MEMORY_MESSAGE, strike=True)

    def _stop(self, sock: socket.socket, pid: int, message: str, strike: bool) -> None:
        """Kill the worker, answer the clients it held, and settle the query's client's place."""
        armed = self._armed.pop(sock, None)
        try:
            os.kill(pid, signal.SIGKILL)  # first, so that the worker writes nothing more
        except ProcessLookupError:
            pass
        held, self._held[sock] = self._held[sock], {}
        for key, connection in held.items():
            if not connection.serving and hand_off(self.handoff, connection.client, connection.about):
                connection.client.close()  # untouched: another worker serves it
                continue
            answer(connection.client, refusal(message if armed and key == armed.key else OUTSIDE,
                                              armed.media_type if armed else "text/plain", self.page))
        self.counters.replaced += 1
        if armed is not None and armed.client is not None:
            self.runner.fairness.release(armed.client, armed.suspect)
            if strike and armed.strikes:
                self.runner.fairness.strike(armed.client)
