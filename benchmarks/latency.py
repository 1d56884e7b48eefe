"""Latency of each named query and of the competency suite, by engine, on the same graph and machine.

Engines: pyoxigraph in this process (``kg.query`` with substitutions, rows
materialised); rdflib's in-memory engine (a ``Dataset`` with the union as its
default graph, parameters as ``initBindings``: what a Python user would
otherwise pick), each query in a forked child so that a query past its time
limit can be stopped; the service over HTTP (one keep-alive connection,
``Accept: application/sparql-results+json``), both answered afresh
(``Cache-Control: no-cache``) and revalidated/cached as a polling integrator
gets it; and the Oxigraph server over HTTP (parameters inlined as a VALUES
clause, after the query or first in its WHERE clause, whichever the server
answers faster; the same SPARQL otherwise).
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml

from harness import SPARQL_JSON, Client, OxigraphServer, Timing, fastest_inlining, measure, named_query_path

COMPETENCY_FILE = Path(__file__).resolve().parent.parent / "tests" / "competency" / "questions.yaml"


@dataclass(frozen=True)
class Case:
    """One query to time: a named query and its parameters (a competency question is one such case)."""

    query: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return self.query + ("(" + ", ".join(f"{k}={v}" for k, v in self.params) + ")" if self.params else "")


def runs_with_defaults(query) -> bool:
    """Whether a named query can run with no parameter given (a required one without default cannot)."""
    return all(not p.required or p.default is not None or p.default_rule for p in query.parameters)


def named_cases(named_queries) -> list[Case]:
    """Every named query that runs with its defaults (the others appear in the competency cases)."""
    return [Case(name) for name, query in named_queries.items() if runs_with_defaults(query)]


def competency_cases() -> list[Case]:
    cases = yaml.safe_load(COMPETENCY_FILE.read_text(encoding="utf-8"))
    return [Case(c["query"], tuple(sorted((k, str(v)) for k, v in (c.get("params") or {}).items()))) for c in cases]


# --- in-process engines --------------------------------------------------------------------------------

def time_pyoxigraph(kg, named_queries, case: Case, **budget) -> Timing:
    query = named_queries[case.query]
    sparql, bound = query.prepare(dict(case.params), kg.base_iri)  # as the service binds it (#+ bind:)
    return measure(lambda: list(kg.query(sparql, substitutions=bound)), **budget)


def _rdflib_term(term):
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


class RdflibEngine:
    """rdflib's in-memory SPARQL engine over the same quads."""

    def __init__(self, nquads: bytes):
        import rdflib

        started = time.perf_counter()
        self.dataset = rdflib.Dataset(default_union=True)
        self.dataset.parse(data=nquads, format="nquads")
        self.load_seconds = time.perf_counter() - started

    def _child(self, sparql, bindings, reps, budget, conn):
        spent, samples = 0.0, []
        while len(samples) < reps and (spent < budget or not samples):
            started = time.perf_counter()
            rows = list(self.dataset.query(sparql, initBindings=bindings))
            elapsed = time.perf_counter() - started
            samples.append(elapsed * 1000)
            spent += elapsed
        conn.send((samples, len(rows)))

    def time(self, named_queries, base_iri: str, case: Case, *, reps: int, budget: float, limit: float) -> Timing:
        import rdflib

        query = named_queries[case.query]
        bindings = {rdflib.Variable(k.value): _rdflib_term(v) for k, v in query.bind(dict(case.params), base_iri).items()}
        ours, theirs = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=self._child, args=(query.sparql, bindings, reps, budget, theirs), daemon=True)
        child.start()
        timing = Timing()
        if ours.poll(limit):
            timing.samples = ours.recv()[0]
        else:
            timing.timed_out = limit
        child.kill()
        child.join()
        return timing


# --- over HTTP -------------------------------------------------------------------------------------

def time_service(port: int, case: Case, *, fresh: bool, **budget) -> Timing:
    """One keep-alive client; ``fresh`` asks for the answer afresh, else polls with If-None-Match."""
    client = Client(port)
    path = named_query_path(case.query, dict(case.params))
    headers = {"Accept": SPARQL_JSON}
    if fresh:
        headers["Cache-Control"] = "no-cache"
        run = lambda: _ok(client.get(path, headers))  # noqa: E731
    else:
        etag_headers = dict(headers)

        def run():
            # The poller's view: the first answer, then revalidation (304) of what it has.
            status, _body = client.get(path, etag_headers)
            assert status in (200, 304), status

        client.conn.request("GET", path, headers=headers)
        first = client.conn.getresponse()
        first.read()
        if first.getheader("ETag"):
            etag_headers["If-None-Match"] = first.getheader("ETag")
    try:
        return measure(run, **budget)
    finally:
        client.close()


def time_service_cached(port: int, case: Case, **budget) -> Timing:
    """The whole answer again (no validator), served from the response cache."""
    client = Client(port)
    path = named_query_path(case.query, dict(case.params))
    try:
        return measure(lambda: _ok(client.get(path, {"Accept": SPARQL_JSON})), **budget)
    finally:
        client.close()


def time_oxigraph_server(server: OxigraphServer, kg, named_queries, case: Case, **budget) -> Timing:
    query = named_queries[case.query]
    sparql = fastest_inlining(server.port, query.sparql, query.bind(dict(case.params), kg.base_iri))
    client = Client(server.port)
    try:  # POSTed: some texts are longer than the 8 KB the Oxigraph server takes in a GET
        return measure(lambda: _ok(client.post_query(sparql, {"Accept": SPARQL_JSON})), **budget)
    finally:
        client.close()


def _ok(answer):
    status, body = answer
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
    return body
