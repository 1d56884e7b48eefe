"""The HTTP server: waitress, with the framing and connection rules it lacks by default.

waitress parses requests on its event loop (slow clients hold no request
thread) and hands complete requests to its thread pool. On top of its own
checks this module adds, through waitress's ``channel_class`` and
``parser_class`` hooks:

* a request with both ``Content-Length`` and ``Transfer-Encoding`` is refused
  with 400 and the connection closed (RFC 9112 section 6.3: such a request
  may be an attempt at request smuggling), so a request hidden in its body is
  never served;
* a chunk whose announced size would take the body past the request size
  limit (``FFFFFFFFFF``) is refused with 413 at once, without waiting for it;
* a client has ``header_timeout`` seconds to send a request's line and
  headers, an idle keep-alive connection is closed after ``idle_timeout``,
  one address holds at most ``connections_per_client`` connections, and
  there are at most ``connection_limit`` in all (see
  :class:`~lscp_kg.service.limits.ServerLimits`), so slow or greedy clients
  cannot hold the server.
"""

from __future__ import annotations

import time
from collections import Counter

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import TcpWSGIServer
from waitress.utilities import RequestEntityTooLarge

from lscp_kg.service.limits import ServerLimits

#: how often the server looks for connections past their header or idle time
MAINTENANCE_INTERVAL = 1


class StrictRequestParser(HTTPRequestParser):
    """waitress's parser, refusing ambiguous framing and absurd chunk sizes."""

    def parse_header(self, header_plus):
        super().parse_header(header_plus)
        if self.chunked and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("A request may not have both Content-Length and Transfer-Encoding "
                               "(RFC 9112 section 6.3)")

    def received(self, data):
        consumed = super().received(data)
        receiver = self.body_rcv
        if (self.chunked and receiver is not None and not self.completed and
                self.body_bytes_received + receiver.chunk_remainder >= self.adj.max_request_body_size):
            self.error = RequestEntityTooLarge(f"a chunk would take the body past {self.adj.max_request_body_size} bytes")
            self.completed = True
            return len(data)
        return consumed


class GuardedChannel(HTTPChannel):
    """A connection: strict parsing, and when the request it is reading began."""

    parser_class = StrictRequestParser
    request_began = None  # monotonic time of the first byte of the request being read
    opened = float("inf")  # monotonic time the connection was accepted
    address = None  # counted against this address while open

    def received(self, data):
        if self.request is None and data:
            self.request_began = time.monotonic()
        return super().received(data)

    def headers_overdue(self, now: float, timeout: float) -> bool:
        """Still sending its request line and headers after ``timeout`` seconds (or nothing at all)."""
        if self.request is not None and not self.request.headers_finished:
            return now - self.request_began > timeout
        return self.request_began is None and not self.requests and now - self.opened > timeout

    def del_channel(self, map=None):
        if self.address is not None:
            self.server.release_address(self.address)
            self.address = None
        super().del_channel(map)


class GuardedServer(TcpWSGIServer):
    """waitress's TCP server with :class:`GuardedChannel` connections and the limits of :class:`ServerLimits`."""

    channel_class = GuardedChannel

    def __init__(self, application, limits: ServerLimits, **kw):
        self.limits, self.per_address = limits, Counter()
        super().__init__(application, **kw)

    def handle_accept(self):
        try:
            accepted = self.accept()
            if accepted is None:
                return
            conn, addr = accepted
            self.set_socket_options(conn)
        except OSError:
            return
        address = addr[0] if isinstance(addr, tuple) else str(addr)
        if self.limits.connections_per_client and self.per_address[address] >= self.limits.connections_per_client:
            conn.close()  # this address holds enough connections already
            return
        self.per_address[address] += 1
        channel = self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)
        channel.address, channel.opened = address, time.monotonic()

    def release_address(self, address: str) -> None:
        self.per_address[address] -= 1
        if self.per_address[address] <= 0:
            del self.per_address[address]

    def maintenance(self, now):
        super().maintenance(now)
        monotonic = time.monotonic()
        for channel in list(self.active_channels.values()):
            if isinstance(channel, GuardedChannel) and channel.headers_overdue(monotonic, self.limits.header_timeout):
                channel.will_close = True


def make_server(app, host: str, port: int, limits: ServerLimits, **options) -> GuardedServer:
    """A waitress server for ``app`` on one address, with the rules above; ``options`` are waitress's own
    (e.g. ``trusted_proxy`` behind a reverse proxy)."""
    adj = Adjustments(host=host, port=port, threads=limits.threads, connection_limit=limits.connection_limit,
                      channel_timeout=int(limits.idle_timeout), cleanup_interval=MAINTENANCE_INTERVAL, **options)
    return GuardedServer(app, limits, adj=adj, sockinfo=adj.listen[0])
