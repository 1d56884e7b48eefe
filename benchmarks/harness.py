"""What every benchmark needs: timing, the service and the Oxigraph server as processes, a keep-alive client.

Only 127.0.0.1 is ever used. Processes started here are stopped by their own
handles (never by name).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from server_support import start_server, stop_server  # noqa: E402 - the one way to start and stop the service

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SPARQL_JSON = "application/sparql-results+json"


# --- timing ---------------------------------------------------------------------------------------

@dataclass
class Timing:
    """Latencies of repeated runs, in milliseconds."""

    samples: list[float] = field(default_factory=list)
    timed_out: float | None = None  # seconds, if a run was stopped

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p99(self) -> float:
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]

    def __len__(self) -> int:
        return len(self.samples)


def measure(run, *, reps: int = 100, budget: float = 2.0, warmup: int = 2) -> Timing:
    """Run ``run()`` ``warmup`` times, then up to ``reps`` times or until ``budget`` seconds are spent (at least 3)."""
    for _ in range(warmup):
        run()
    timing, spent = Timing(), 0.0
    while len(timing) < reps and (spent < budget or len(timing) < 3):
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        timing.samples.append(elapsed * 1000)
        spent += elapsed
    return timing


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_memory(pid: int) -> int:
    """Memory of a process and all its children, in bytes: their proportional set sizes, so that pages the
    forked workers share with the server are counted once, not once per worker."""
    try:
        root = psutil.Process(pid)
        return sum(p.memory_full_info().pss for p in [root, *root.children(recursive=True)])
    except psutil.NoSuchProcess:
        return 0


def machine() -> dict:
    import platform

    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 1024**3, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "load": os.getloadavg()}


# --- HTTP ---------------------------------------------------------------------------------------

class Client:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1 (what an integrator's poller holds)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        return self._send("GET", path, None, headers or {})

    def post_query(self, sparql: str, headers: dict | None = None) -> tuple[int, bytes]:
        """A SPARQL query POSTed to ``/query`` (the Oxigraph server's endpoint), for texts too long for a GET."""
        return self._send("POST", "/query", sparql.encode("utf-8"),
                          {"Content-Type": "application/sparql-query", **(headers or {})})

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, OSError):  # a new connection for the next request
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            raise

    def close(self) -> None:
        self.conn.close()


def named_query_path(name: str, params: dict) -> str:
    query = urllib.parse.urlencode(params)
    return f"/api/queries/{name}" + (f"?{query}" if query else "")


def wait_for(port: int, path: str, deadline: float, process: subprocess.Popen | None = None) -> float:
    """Poll until GET ``path`` answers 200; returns the time it first did (``time.monotonic``)."""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return time.monotonic()
        except OSError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"no answer from 127.0.0.1:{port}{path}")


# --- the service and the Oxigraph server ------------------------------------------------------------

class Service:
    """``lscp-kg serve`` in its own process, on a free port (started as the tests start it: tests/server_support)."""

    #: The load generators (wrk, the Python pool) are one client address: the per-address limits, meant for
    #: the public, are lifted so that they measure the service, not its fairness rules (benchmarks/soak.py
    #: measures those, with a client per address).
    ONE_ADDRESS = ("--queries-per-client", "256", "--connections-per-client", "0")

    def __init__(self, *, data: list[Path] = (), workers: int | None = None, time_limit: float = 30.0,
                 extra: list[str] = ONE_ADDRESS):
        options = ["--time-limit", str(time_limit), *(["--workers", str(workers)] if workers else []), *extra]
        for path in data:
            options += ["--data", str(path)]
        handle, log = tempfile.mkstemp(prefix="lscp-kg-bench-", suffix=".log")
        os.close(handle)
        self.log = Path(log)
        self.started = time.monotonic()
        url, self.process = start_server(options, self.log, timeout=600)
        self.port = int(url.rsplit(":", 1)[1])

    def wait_ready(self, path: str = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", timeout: float = 300) -> float:
        """Seconds from process start to the first answered query (whatever the data)."""
        return wait_for(self.port, path, time.monotonic() + timeout, self.process) - self.started

    def warm_workers(self, timeout: float = 300) -> None:
        """Wait until every worker is up and the start-up answers are computed."""
        deadline = time.monotonic() + timeout
        client = Client(self.port)
        while time.monotonic() < deadline:
            health = json.loads(client.get("/health")[1])
            if health["workers"] >= health["limits"]["workers"] and health.get("warm_up") in ("done", None):
                break
            time.sleep(0.05)
        client.close()

    def rss(self) -> int:
        return tree_memory(self.process.pid)

    def stop(self) -> None:
        stop_server(self.process)
        self.log.unlink(missing_ok=True)


def oxigraph_binary() -> str | None:
    found = shutil.which("oxigraph") or str(Path(PYTHON).with_name("oxigraph"))
    return found if found and Path(found).exists() else None


OXIGRAPH_MAX_GET = 8_000  # bytes of a GET path the Oxigraph server takes (its limit: 8 KB of line and headers)


class OxigraphServer:
    """The Oxigraph server (PyPI ``oxigraph``): the same N-Quads loaded into a store, served read-only."""

    def __init__(self, nquads: bytes):
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph command is not installed: pip install -e '.[bench]'")
        self.folder = Path(tempfile.mkdtemp(prefix="lscp-kg-bench-oxigraph-"))
        data = self.folder / "data.nq"
        data.write_bytes(nquads)
        subprocess.run([binary, "load", "--location", str(self.folder / "store"), "--file", str(data)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.port = free_port()
        self.process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(self.folder / "store"), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        wait_for(self.port, "/query?query=" + urllib.parse.quote("ASK {}"), time.monotonic() + 60, self.process)

    @staticmethod
    def path(sparql: str) -> str:
        """The GET path of a query; the Oxigraph server refuses a request whose line and headers pass 8 KB (the
        load generator sends GETs only, so such a query cannot be loaded there: ValueError)."""
        path = "/query?query=" + urllib.parse.quote(sparql)
        if len(path) > OXIGRAPH_MAX_GET:
            raise ValueError(f"the Oxigraph server refuses a GET request over 8 KB (this query's is {len(path):,} bytes)")
        return path

    def stop(self) -> None:
        stop_server(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def inline_parameters(sparql: str, bound: dict, leading: bool = False) -> str:
    """The SPARQL text with bound parameters as a VALUES clause (for engines without substitution):
    after the query, or first in its WHERE clause.

    >>> import pyoxigraph as ox
    >>> inline_parameters("SELECT ?x WHERE { ?x ?p ?o }", {ox.Variable("x"): ox.NamedNode("http://e/a")})
    'SELECT ?x WHERE { ?x ?p ?o }\\nVALUES (?x) { (<http://e/a>) }\\n'
    >>> inline_parameters("SELECT ?x WHERE { ?x ?p ?o }", {ox.Variable("x"): ox.NamedNode("http://e/a")}, leading=True)
    'SELECT ?x WHERE { VALUES (?x) { (<http://e/a>) } ?x ?p ?o }'
    """
    sparql = "\n".join(line for line in sparql.splitlines() if not line.startswith("#+"))  # the header is comments
    if not bound:
        return sparql
    names = " ".join(str(v) for v in bound)
    terms = " ".join(str(t) for t in bound.values())
    values = f"VALUES ({names}) {{ ({terms}) }}"
    if leading:
        return re.sub(r"WHERE\s*\{", lambda m: f"WHERE {{ {values}", sparql, count=1)
    return sparql.rstrip() + f"\n{values}\n"


def fastest_inlining(port: int, sparql: str, bound: dict) -> str:
    """Of the two ways to inline parameters, the one the Oxigraph server answers faster (it has no substitution)."""
    best, best_time = None, float("inf")
    for leading in (False, True):
        text = inline_parameters(sparql, bound, leading)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            for _ in range(2):
                started = time.perf_counter()
                conn.request("POST", "/query", body=text.encode("utf-8"),
                             headers={"Accept": SPARQL_JSON, "Content-Type": "application/sparql-query"})
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
            if response.status == 200 and elapsed < best_time:
                best, best_time = text, elapsed
        except OSError:  # timed out: far slower than the other
            pass
        finally:
            conn.close()
    return best if best is not None else inline_parameters(sparql, bound)


# --- wrk ---------------------------------------------------------------------------------------------

_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()
    return float(number) * _UNIT[unit]


def parse_wrk(output: str) -> dict:
    """Requests/s, p50/p99 (ms) and errors from ``wrk --latency`` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        errors += sum(int(x) for x in sockets.groups())
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": total}
