"""Throughput under concurrent keep-alive clients: requests/s, p50/p99 latency and errors.

With ``wrk`` installed (Debian: ``apt-get install wrk``) the load comes from
wrk, which needs little CPU, so that on a 2-core machine the server under test
gets most of it. Without wrk a Python client pool does the same (threads, one
keep-alive ``http.client`` connection each, in a separate process); it costs
more CPU, so its numbers are lower bounds, and the report says which was used.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

from harness import parse_wrk

TOOL = "wrk" if shutil.which("wrk") else "python"

_PYTHON_CLIENT = textwrap.dedent("""
    import http.client, json, sys, threading, time
    port, paths, headers, clients, seconds = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds
    def run(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad, i = [], 0, k
        while time.monotonic() < stop:
            started = time.perf_counter()
            i += 1
            try:
                conn.request("GET", paths[i % len(paths)], headers=headers)
                response = conn.getresponse(); response.read()
                bad += response.status >= 400
            except Exception:
                bad += 1
                conn.close(); conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine); errors[0] += bad
    threads = [threading.Thread(target=run, args=(k * 7919,)) for k in range(clients)]
    began = time.monotonic()
    [t.start() for t in threads]; [t.join() for t in threads]
    elapsed = time.monotonic() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * (len(latencies) - 1)))] if latencies else float("nan")
    print(json.dumps({"rps": len(latencies) / elapsed, "p50": pick(0.5), "p99": pick(0.99), "errors": errors[0],
                      "requests": len(latencies)}))
""")


def run_load(port: int, path: str | list[str], *, clients: int, seconds: float, headers: dict | None = None,
             warmup: float = 1.0) -> dict:
    """Load ``http://127.0.0.1:port{path}`` with ``clients`` concurrent connections for ``seconds``; a list of
    paths is asked in turn (a rotating set of distinct queries, so that no cache helps)."""
    headers = headers or {}
    if warmup:
        _once(port, path, clients, warmup, headers)
    return _once(port, path, clients, seconds, headers)


ROTATE = """
paths = {%s}
counter = 0
function setup(thread) thread:set("offset", counter * 7919); counter = counter + 1 end
function init(args) i = offset end
function request() i = i + 1; return wrk.format("GET", paths[(i %% #paths) + 1]) end
"""


def _once(port: int, path: str | list[str], clients: int, seconds: float, headers: dict) -> dict:
    paths = [path] if isinstance(path, str) else list(path)
    if TOOL == "wrk":
        command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency",
                   "--timeout", "30s"]
        if len(paths) > 1:
            script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
            script.write(ROTATE % ", ".join(json.dumps(p) for p in paths))
            script.close()
            command += ["-s", script.name]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        for attempt in range(2):  # a rare failure to connect is retried once, then reported in the row
            done = subprocess.run(command + [f"http://127.0.0.1:{port}{paths[0]}"], capture_output=True, text=True)
            if done.returncode == 0 and "Requests/sec" in done.stdout:
                return parse_wrk(done.stdout)
            time.sleep(1)
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": 1, "requests": 0,
                "failure": (done.stderr or done.stdout)[-300:]}
    output = subprocess.run([sys.executable, "-c", _PYTHON_CLIENT, str(port), json.dumps(paths), json.dumps(headers), str(clients),
                             str(seconds)], capture_output=True, text=True, check=True).stdout
    return json.loads(output)
