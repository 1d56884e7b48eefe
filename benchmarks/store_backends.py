"""Benchmark: every named query on the embedded store and on Virtuoso, median and p99 latency.

Starts a private Virtuoso Open Source (Debian's ``virtuoso-opensource``, via
tests/virtuoso_support.py) on 127.0.0.1, publishes the shipped graph with
:func:`lscp_kg.publish.publish`, then times ``kg.query`` (rewriting, HTTP,
the version check and the conversion to pyoxigraph objects included, i.e.
what the service's workers pay) for each named query with its defaults, on
both stores, and writes a Markdown table. Also times the publish and the
on-disk embedded store (first build, then reopening). Not a test.

    .venv/bin/python benchmarks/store_backends.py --repeat 50 -o docs/benchmarks-store-backends.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("virtuoso_support", ROOT / "tests" / "virtuoso_support.py")
virtuoso_support = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(virtuoso_support)

import pyoxigraph as ox  # noqa: E402

from lscp_kg.backends import store_settings  # noqa: E402
from lscp_kg.backends.remote import RemoteBackend  # noqa: E402
from lscp_kg.named_queries import load_named_queries  # noqa: E402
from lscp_kg.publish import publish  # noqa: E402
from lscp_kg.store import load_knowledge_graph  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def time_query(kg, query, repeat: int) -> tuple[list[float], int]:
    bound = query.bind({}, kg.base_iri)
    rows = len(list(kg.query(query.sparql, substitutions=bound)))  # warm-up (and Virtuoso's plan cache)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = kg.query(query.sparql, substitutions=bound)
        list(result)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, rows


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    done = subprocess.run(["virtuoso-t", "--help"], capture_output=True, text=True)
    version = (done.stdout + done.stderr).splitlines()
    virtuoso = next((line.strip() for line in version if line.startswith("Version")), "?")
    return (f"{os.cpu_count()} cores ({cpu}), {memory} GiB, {platform.system()} {platform.release()}, "
            f"CPython {platform.python_version()}, pyoxigraph {ox.__version__}, Virtuoso Open Source {virtuoso}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per query and store")
    parser.add_argument("-o", "--output", type=Path, help="Markdown file to write (default: print)")
    args = parser.parse_args()

    queries = load_named_queries(kg=load_knowledge_graph())  # defaults resolved against the data
    work = Path(tempfile.mkdtemp(prefix="lscp-kg-bench-"))
    server = virtuoso_support.VirtuosoServer(work / "virtuoso").start()
    try:
        os.environ.update(server.publisher_environment)
        embedded = load_knowledge_graph()
        started = time.perf_counter()
        report = publish(embedded, RemoteBackend(server.query_url, server.update_url))
        publish_seconds = time.perf_counter() - started
        remote = load_knowledge_graph(settings=store_settings(store=f"sparql+{server.query_url}"))

        started = time.perf_counter()
        load_knowledge_graph(settings=store_settings(store_path=work / "disk"))
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        load_knowledge_graph(settings=store_settings(store_path=work / "disk"))
        reopen_seconds = time.perf_counter() - started
        started = time.perf_counter()
        load_knowledge_graph()
        memory_seconds = time.perf_counter() - started

        fixed_local, fixed_far = [], []
        for _ in range(args.repeat):  # the fixed cost of one query: ASK {} answers at once
            for kg, samples in ((embedded, fixed_local), (remote, fixed_far)):
                started = time.perf_counter()
                kg.query("ASK { }")
                samples.append((time.perf_counter() - started) * 1000)
        lines, all_embedded, all_remote = [], [], []
        for name, query in queries.items():
            local, rows = time_query(embedded, query, args.repeat)
            far, remote_rows = time_query(remote, query, args.repeat)
            assert rows == remote_rows, f"{name}: {rows} rows embedded, {remote_rows} on Virtuoso"
            all_embedded += local
            all_remote += far
            lines.append(f"| {name} | {rows} | {statistics.median(local):.2f} | {percentile(local, 0.99):.2f} "
                         f"| {statistics.median(far):.1f} | {percentile(far, 0.99):.1f} |")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    command = f".venv/bin/python benchmarks/store_backends.py --repeat {args.repeat}"
    text = f"""# Store backends: named-query latency, embedded store and Virtuoso

`benchmarks/store_backends.py` runs every named query (with its default
parameters) {args.repeat} times on each store after one warm-up run, timing
`kg.query(...)` until the last row is read: for Virtuoso that includes the
query rewriting, the HTTP round trip on 127.0.0.1, the registry version check
(a second, small request) and turning the SPARQL JSON answer into pyoxigraph
objects, which is what the service's query workers pay. Both stores give the
same number of rows for every query (the script checks it; the tests check the
answers themselves).

- Date: {dt.date.today().isoformat()}
- Machine: {machine()}
- Command: `{command}`
- Graph: the shipped Lewisham graph, {report.quads} quads in {report.graphs} named graphs

| named query | rows | embedded median (ms) | embedded p99 (ms) | Virtuoso median (ms) | Virtuoso p99 (ms) |
|---|---:|---:|---:|---:|---:|
{chr(10).join(lines)}
| **all queries** | | **{statistics.median(all_embedded):.2f}** | **{percentile(all_embedded, 0.99):.2f}** | **{statistics.median(all_remote):.1f}** | **{percentile(all_remote, 0.99):.1f}** |
| `ASK {{ }}` (the fixed cost of a query) | 1 | {statistics.median(fixed_local):.2f} | {percentile(fixed_local, 0.99):.2f} | {statistics.median(fixed_far):.1f} | {percentile(fixed_far, 0.99):.1f} |

Loading and publishing the same graph:

| step | time |
|---|---:|
| embedded store in memory: parse and load (every start of a process) | {memory_seconds:.2f} s |
| embedded store on disk (`--store-path`): first build | {build_seconds:.2f} s |
| embedded store on disk: reopen (fingerprint check, read-only open) | {reopen_seconds:.2f} s |
| `publish` to Virtuoso (stage, count, union graph, swap) | {publish_seconds:.2f} s |

Reading: on one machine the embedded store answers in well under a
millisecond to a few milliseconds. Virtuoso answers the same queries in
{statistics.median(all_remote) / max(statistics.median(all_embedded), 1e-9):.0f} times the time at the median; of that, the `ASK {{ }}` row is the
fixed cost of any query on a remote store (rewriting, the query's HTTP round
trip on 127.0.0.1 and the version check's), the rest is Virtuoso compiling
and running the query. The p99 column shows Virtuoso's occasional slow
answer. Choose the remote store to share one graph among many service
processes, machines and other tools, not for speed on one machine; an HTTP
cache in front of the service (its answers carry ETag and Cache-Control, see
docs/remote-store.md) takes repeated queries off the store. The graph is
small, so the on-disk store's build and reopen times differ little here; the
build grows with the data (parsing and loading), the reopen does not (it
hashes the input files and opens the store).
"""
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        print(text)


if __name__ == "__main__":
    sys.exit(main())
