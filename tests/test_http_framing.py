"""HTTP framing and connection limits of a real ``lscp-kg serve``, over raw sockets.

RFC 9112 section 6.3: a request with both Content-Length and Transfer-Encoding
is refused and its connection closed, so a request smuggled in its body is
never served; an absurd chunk size is refused at once; slow or greedy clients
cannot hold the server (header time limit, connections per address).
"""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
import requests
from server_support import running_server

HEADER_TIMEOUT = 2.0
PER_CLIENT = 20


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    options = ["--workers", "1", "--header-timeout", str(HEADER_TIMEOUT), "--connections-per-client", str(PER_CLIENT)]
    with running_server(options, tmp_path_factory.mktemp("framing") / "server.log") as (url, _):
        yield url


def connect(url: str, source: str = "127.0.0.1", timeout: float = 10) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout, source_address=(source, 0))
    return sock


def read_all(sock: socket.socket, timeout: float = 10) -> bytes:
    """Everything the server sends until it closes the connection (fails if it stays open)."""
    sock.settimeout(timeout)
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            raise AssertionError(f"the connection was left open; received so far: {b''.join(chunks)[:300]!r}") from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def test_content_length_with_chunked_is_refused_and_the_smuggled_request_never_served(server):
    smuggled = b"GET /api/queries HTTP/1.1\r\nHost: x\r\n\r\n"
    body = b"0\r\n\r\n" + smuggled
    request = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    with connect(server) as sock:
        sock.sendall(request)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert answer.count(b"HTTP/1.1 ") == 1, "one answer only: the request in the body is not served"
    assert b"statutory-partners" not in answer


def test_an_absurd_chunk_size_is_refused_at_once(server):
    request = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
               b"Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\nASK {}")
    with connect(server) as sock:
        sock.sendall(request)  # and nothing more: the server must not wait for a terabyte
        answer = read_all(sock, timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_well_formed_chunked_query_is_still_answered(server):
    query = b"ASK { }"
    request = (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
               b"Accept: application/sparql-results+json\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
               + f"{len(query):X}".encode() + b"\r\n" + query + b"\r\n0\r\n\r\n")
    with connect(server) as sock:
        sock.sendall(request)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
    assert b'"boolean":true' in answer.replace(b" ", b"")


def test_slow_header_clients_do_not_hold_the_server(server):
    # 105 connections (from several addresses, each within its limit) that never finish their headers
    slow = [connect(server, source=f"127.0.0.{10 + i % 7}") for i in range(105)]
    try:
        for sock in slow:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        answer = requests.get(server + "/health", timeout=5)
        assert answer.status_code == 200 and answer.json()["status"] == "ok"
        # past the header time limit the server has closed them
        slow[0].settimeout(HEADER_TIMEOUT + 10)
        started = time.monotonic()
        try:
            closed = slow[0].recv(100) == b""
        except ConnectionResetError:
            closed = True
        except socket.timeout:
            closed = False
        assert closed, "a connection past the header time limit is closed"
        assert time.monotonic() - started < HEADER_TIMEOUT + 10
    finally:
        for sock in slow:
            sock.close()


def test_one_address_holds_a_bounded_number_of_connections(server):
    held = [connect(server, source="127.0.0.50") for _ in range(PER_CLIENT)]
    try:
        time.sleep(0.3)
        extra = connect(server, source="127.0.0.50")
        extra.settimeout(5)
        extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            refused = extra.recv(100)
        except ConnectionResetError:
            refused = b""
        assert refused == b"", "the connection past the address's limit is closed unanswered"
        extra.close()
        assert requests.get(server + "/health", timeout=5).status_code == 200, "other addresses are served"
    finally:
        for sock in held:
            sock.close()
