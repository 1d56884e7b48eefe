"""Fresh answers as clients are added (2, 16, 64), and the candidate server designs side by side (issue 18).

Every answer is computed afresh: the service is asked with ``Cache-Control:
no-cache``, and the rotating /sparql target asks distinct queries in turn, so
that no cache helps. Each measurement is short (about 3 s after a warm-up), so
that each section takes under 3 minutes.

The previous design (waitress and the ``python -c`` query-worker pool, commit
``8b7bf43``) is started from its own checkout with its own virtualenv, named by
``LSCP_KG_PREVIOUS`` (default ``/tmp/prev``)::

    git worktree add /tmp/prev 8b7bf43
    python3.11 -m venv /tmp/prev/.venv && /tmp/prev/.venv/bin/pip install -e /tmp/prev
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

import load
from harness import OxigraphServer, Service, fastest_inlining, named_query_path, wait_for
from server_support import SERVING, stop_server

from lscp_kg.namespaces import PREFIXES

CLIENTS = (2, 16, 64)
NAMED = ("statutory-partners", "accountability-chain")
ROTATING = "rotating /sparql"
PREVIOUS_COMMIT = "8b7bf43"
PREVIOUS = Path(os.environ.get("LSCP_KG_PREVIOUS", "/tmp/prev"))
FRESH = {"Accept": "application/sparql-results+json", "Cache-Control": "no-cache"}
OXIGRAPH_HEADERS = {"Accept": "application/sparql-results+json"}


def rotating_queries(kg, count: int) -> list[str]:
    """Distinct SPARQL queries (so that no cache helps): a label-and-sort and an accountability path query,
    each with a different LIMIT or start, with their prefixes (the same text goes to every server)."""
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("org", "rdfs"))
    starts = [row["x"].value for row in kg.query(
        "PREFIX org: <http://www.w3.org/ns/org#> SELECT DISTINCT ?x WHERE { ?x org:reportsTo ?y } ORDER BY ?x")]
    queries = []
    for i in range(count):
        if i % 2:
            queries.append(f"SELECT ?x ?label WHERE {{ ?x rdfs:label ?label }} ORDER BY ?label LIMIT {1 + i}")
        else:
            start = starts[(i // 2) % len(starts)] if starts else kg.iri("id/partnership/lewisham")
            queries.append(f"SELECT ?to WHERE {{ <{start}> org:reportsTo+ ?to }} LIMIT {100 + i}")
    return [prefixes + q for q in queries]


def sparql_paths(queries: list[str]) -> list[str]:
    return ["/sparql?" + urlencode({"query": q}) for q in queries]


def fresh_targets(kg, named_queries, server: OxigraphServer | None, names, rotating: list[str]) -> list[tuple]:
    """(label, the service's paths, the Oxigraph server's paths or None) for each named query and the rotation."""
    targets = []
    for name in names:
        query = named_queries[name]
        peer = None
        if server is not None:
            peer = server.path(fastest_inlining(server.port, query.sparql, query.bind({}, kg.base_iri)))
        targets.append((name, named_query_path(name, {}), peer))
    peer_rotation = [server.path(q) for q in rotating] if server is not None else None
    return targets + [(f"{ROTATING} ({len(rotating)} queries)", sparql_paths(rotating), peer_rotation)]


def short_load(port: int, paths, headers: dict, clients: int, quick: bool) -> dict:
    """About 3 s of load (1 s with --quick) after a short warm-up."""
    return load.run_load(port, paths, clients=clients, seconds=1 if quick else 3, warmup=0.5, headers=headers)


def bench_scaling(kg, named_queries, quick: bool, bar) -> dict:
    """Each named query of ``NAMED`` and the rotation at every count of ``CLIENTS``, service beside Oxigraph."""
    rotating = rotating_queries(kg, 50 if quick else 2000)
    rows = []
    service, server = Service(), OxigraphServer(ox.serialize(kg.quads(), format=ox.RdfFormat.N_QUADS))
    try:
        service.wait_ready()
        service.warm_workers()
        for label, ours, peer in fresh_targets(kg, named_queries, server, NAMED, rotating):
            for clients in CLIENTS:
                bar.set_postfix_str(f"scaling {label[:24]} x{clients}")
                rows.append({"query": label, "clients": clients,
                             "service": short_load(service.port, ours, FRESH, clients, quick),
                             "oxigraph": short_load(server.port, peer, OXIGRAPH_HEADERS, clients, quick)})
    finally:
        service.stop()
        server.stop()
    bar.update(1)
    return {"clients": list(CLIENTS), "rows": rows}


class PreviousService:
    """The previous design's ``lscp-kg serve`` (waitress and the query-worker pool), from its own checkout."""

    def __init__(self, checkout: Path):
        handle, log = tempfile.mkstemp(prefix="lscp-kg-bench-previous-", suffix=".log")
        os.close(handle)
        self.log = Path(log)
        command = [str(checkout / ".venv" / "bin" / "python"), "-c", "from lscp_kg.cli import main; main()", "serve",
                   "--host", "127.0.0.1", "--port", "0", "--time-limit", "30", *Service.ONE_ADDRESS]
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(command, cwd=checkout, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        while not (found := SERVING.search(self.log.read_text(errors="replace"))):
            if self.process.poll() is not None or time.monotonic() > deadline:
                stop_server(self.process)
                raise RuntimeError(f"the previous design did not start:\n{self.log.read_text(errors='replace')[-600:]}")
            time.sleep(0.05)
        self.port = int(found.group(1).rsplit(":", 1)[1])
        wait_for(self.port, "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", time.monotonic() + 300, self.process)

    def stop(self) -> None:
        stop_server(self.process)
        self.log.unlink(missing_ok=True)


def previous_missing(checkout: Path = PREVIOUS) -> str | None:
    """Why the previous design cannot be measured, or None if its checkout and virtualenv are there."""
    if not (checkout / "lscp_kg" / "cli.py").exists():
        return f"no checkout of {PREVIOUS_COMMIT} at {checkout} (set LSCP_KG_PREVIOUS; see benchmarks/scaling.py)"
    if not (checkout / ".venv" / "bin" / "python").exists():
        return f"no virtualenv at {checkout}/.venv (see benchmarks/scaling.py)"
    return None


def candidates() -> list[tuple[str, object]]:
    """(name, a function starting it) for each design measured; the previous one only where its checkout is."""
    cores = os.cpu_count() or 1

    def this_design():
        service = Service()
        service.wait_ready()
        service.warm_workers()
        return service

    def sized_to_cores():
        service = Service(workers=cores)
        service.wait_ready()
        service.warm_workers()
        return service

    return [("this design (gunicorn), default workers", this_design),
            (f"this design, --workers {cores} (the cores)", sized_to_cores),
            (f"previous design (waitress + query-worker pool, {PREVIOUS_COMMIT})", lambda: PreviousService(PREVIOUS))]


def measure_candidate(name: str, start, targets: list[tuple], quick: bool, bar) -> list[dict]:
    """Every target at every count of clients against one candidate; a candidate that fails to start has a row
    saying why."""
    try:
        server = start()
    except (RuntimeError, TimeoutError, OSError) as error:
        return [{"candidate": name, "skipped": f"did not start: {str(error)[:300]}"}]
    rows = []
    try:
        for label, paths, _ in targets:
            for clients in CLIENTS:
                bar.set_postfix_str(f"candidates {name[:16]} {label[:16]} x{clients}")
                rows.append({"candidate": name, "query": label, "clients": clients,
                             **short_load(server.port, paths, FRESH, clients, quick)})
    finally:
        server.stop()
    return rows


def bench_candidates(kg, named_queries, quick: bool, bar) -> dict:
    """Fresh statutory-partners and the rotation at 2, 16 and 64 clients for each candidate design."""
    targets = fresh_targets(kg, named_queries, None, NAMED[:1], rotating_queries(kg, 50 if quick else 2000))
    missing = previous_missing()
    rows = []
    for name, start in candidates():
        if missing and name.startswith("previous"):
            rows.append({"candidate": name, "skipped": f"not measured: {missing}"})
            continue
        rows += measure_candidate(name, start, targets, quick, bar)
    bar.update(1)
    return {"clients": list(CLIENTS), "cores": os.cpu_count(), "rows": rows}
