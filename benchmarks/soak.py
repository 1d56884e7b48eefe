"""The long soak: 64 normal clients (each its own address) mixing named queries, ``/sparql``, entity pages,
views and scrutiny for 60 s, while 2 clients send queries that run to the time limit and 2 send queries that
kill their worker (past the worker memory limit), and a worker is killed by hand halfway.

    python benchmarks/soak.py [--clients 64] [--seconds 60]      # prints one JSON object

Targets (issue 10): 0 errors for the normal clients, their p99 under 250 ms, ``/health`` always under
100 ms, and the hand-killed worker costs at most the one request it was running. The short form, with
no timing targets, is ``tests/test_soak.py``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Service  # noqa: E402
from server_support import normal_request, server_workers  # noqa: E402 - put on the path by harness

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
KILLER = "SELECT (STRLEN(?s28) AS ?n) WHERE { BIND(\"abcdefgh\" AS ?s0) " + " ".join(
    f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28)) + " }"


class Client:
    """One keep-alive connection from its own loopback address."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.conn = self._connect()

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.address, 0))

    def get(self, path: str, params: dict | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
        target = path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            self.conn.request("GET", target, headers=headers or {})
            response = self.conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = self._connect()
            return 0, repr(error).encode(), {}


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1)))] if values else float("nan")


def soak(clients: int = 64, seconds: float = 60.0, time_limit: float = 5.0, memory_mib: int = 300) -> dict:
    service = Service(time_limit=time_limit,
                      extra=["--memory-limit", str(memory_mib), "--connections-per-client", "8"])
    try:
        service.wait_ready()
        service.warm_workers()
        port, stop = service.port, threading.Event()
        normal: list[tuple] = []
        abusive: list[tuple] = []
        health: list[float] = []
        health_failures: list = []
        killed: list[int] = []

        def run_normal(k: int):
            client, rng, i, mine = Client(port, f"127.1.{k // 250}.{k % 250 + 1}"), random.Random(k), 0, []
            while not stop.is_set():
                i += 1
                path, params, headers = normal_request(rng, k, i)
                started = time.perf_counter()
                status, body, _ = client.get(path, params, headers)
                mine.append((path, status, (time.perf_counter() - started) * 1000, body[-200:]))
            normal.extend(mine)

        def run_abusive(address: str, query: str):
            client, mine = Client(port, address), []
            while not stop.is_set():
                status, body, headers = client.get("/sparql", {"query": query})
                mine.append((status, headers.get("Retry-After")))
                if status == 429:
                    stop.wait(0.2)
            abusive.extend(mine)

        def watch_health():
            client = Client(port, "127.2.0.1")
            while not stop.is_set():
                started = time.perf_counter()
                status, _, _ = client.get("/health")
                (health if status == 200 else health_failures).append((time.perf_counter() - started) * 1000)
                stop.wait(0.1)

        def kill_by_hand():
            stop.wait(seconds / 2)
            for _ in range(100):
                for worker in server_workers(service.process):
                    try:
                        if worker.cpu_percent(interval=0.05) > 50:
                            worker.kill()
                            killed.append(worker.pid)
                            return
                    except psutil.NoSuchProcess:
                        continue

        threads = [threading.Thread(target=run_normal, args=(k,)) for k in range(clients)]
        threads += [threading.Thread(target=run_abusive, args=(f"127.3.0.{k + 1}", RUNAWAY)) for k in range(2)]
        threads += [threading.Thread(target=run_abusive, args=(f"127.3.1.{k + 1}", KILLER)) for k in range(2)]
        threads += [threading.Thread(target=watch_health), threading.Thread(target=kill_by_hand)]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        latencies = [ms for _, status, ms, _ in normal if status == 200]
        errors = [(path, status, body.decode("utf-8", "replace")) for path, status, _, body in normal if status != 200]
        by_hand = [e for e in errors if "stopped from outside" in e[2]]
        return {
            "clients": clients, "seconds": seconds, "time_limit": time_limit, "requests": len(normal),
            "rps": len(normal) / seconds, "p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
            "errors": len(errors) - min(1, len(by_hand)), "killed_by_hand_cost": len(by_hand),
            "error_samples": [f"{p} {s} {b[-120:]}" for p, s, b in errors[:5]],
            "health_answers": len(health), "health_failures": len(health_failures),
            "health_max": max(health, default=float("nan")), "health_p99": percentile(health, 0.99),
            "abusive_requests": len(abusive), "abusive_429": sum(s == 429 for s, _ in abusive),
            "abusive_stopped": sum(s == 503 for s, _ in abusive), "workers_killed_by_hand": len(killed),
        }
    finally:
        service.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print(json.dumps(soak(args.clients, args.seconds)))


if __name__ == "__main__":
    main()
