"""A remote triple store that speaks the SPARQL 1.1 Protocol (Virtuoso, GraphDB, Fuseki, Neptune, QLever...).

Queries are rewritten as :mod:`.query_rewrite` explains (explicit prologue,
parameters as VALUES) and sent by POST with the dataset written into the
query as FROM / FROM NAMED clauses: the published graphs that the
:mod:`.registry` lists, and its union graph as the default graph. (Not as
the protocol's ``default-graph-uri`` parameters: Virtuoso echoes each one as
a response header, and past 100 graphs HTTP clients refuse the answer.)
Answers become pyoxigraph objects (:mod:`.remote_results`).

Consistency: every answer comes from one published version. The registry
token read before a query (cached per process) is checked after it; if a
publish started or finished in between, the answer is thrown away and the
query runs again on the new version. While a swap is in progress, queries
wait (within their time limit).

Time limit: each query has a deadline (``timeout`` option, else the
backend's default). It is the HTTP read timeout, and Virtuoso is also given
it (its ``timeout`` parameter, in ms); a Virtuoso answer cut short by that
limit (``X-SQL-State: S1TAT``, partial rows) is refused, never returned.

A forked process gets a backend of its own (:meth:`RemoteBackend.for_forked_process`),
which opens its own connections when it first needs them.
"""

from __future__ import annotations

import time
from typing import Iterator

import pyoxigraph as ox

from . import StoreError, StoreTimeout, http
from .registry import EMPTY_GRAPH, READ_QUERY, UNION_GRAPH, Published, check_query, parse_registry
from .remote_results import solutions_from_json, triples_from_rdf
from .query_rewrite import PreparedQuery, prepare
from .remote_statements import RemoteStatements

RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
#: The largest answer for the whole graph (export, validate): far beyond one query's answer.
EXPORT_BYTES = 4 * 2**30
#: How long a process trusts "this store has no registry" before looking again.
NO_REGISTRY_RECHECK = 10.0


class RemoteBackend:
    """The store at ``url`` (its SPARQL query endpoint)."""

    needs_network = True

    def __init__(self, url: str, update_url: str | None = None, timeout: float = 60.0):
        self.url, self.update_url, self.timeout = url, update_url or url, timeout
        self._statements = RemoteStatements(self)
        self._reset()

    def _reset(self) -> None:
        self._published: Published | None = None
        self._checked_at = float("-inf")
        self._virtuoso = False

    @classmethod
    def from_settings(cls, settings) -> "RemoteBackend":
        return cls(settings.remote_url, settings.update_url)

    def for_forked_process(self) -> "RemoteBackend":
        """A backend of its own, whose connections are never the parent's (same store, same time limit).

        >>> parent = RemoteBackend("http://127.0.0.1:9/sparql", timeout=2.5)
        >>> child = parent.for_forked_process()
        >>> child is not parent, child.url, child.timeout
        (True, 'http://127.0.0.1:9/sparql', 2.5)
        """
        return type(self)(self.url, self.update_url, self.timeout)

    def describe(self) -> str:
        return f"SPARQL store at {self.url}"

    def set_time_limit(self, seconds: float) -> None:
        self.timeout = seconds  # the store is asked to stop then, and the answer is cut off

    def data_version(self, refresh: bool = False) -> str | None:
        published = self.published(refresh=refresh)
        return f"{published.version}:{published.token}" if published else "unpublished"

    def check_base_iri(self, base_iri: str) -> str | None:
        published = self.published(refresh=True)
        if published is None:
            return f"{self.describe()} has no lscp-kg registry: queries use the store's own dataset"
        if published.base_iri and published.base_iri != base_iri:
            raise ValueError(f"the store's graph was published with --base {published.base_iri}; "
                             f"use the same base (this command has {base_iri})")
        return None

    # -- the registry ---------------------------------------------------------------------------

    def published(self, deadline: float | None = None, refresh: bool = False) -> Published | None:
        """What the registry says (cached; read again when asked, or after a while if there is none)."""
        stale = self._published is None and time.monotonic() - self._checked_at > NO_REGISTRY_RECHECK
        if refresh or stale:
            response = self.post([("query", READ_QUERY)], RESULTS_JSON, deadline or self._deadline(None))
            rows = [{v.value: term.value for v, term in zip(answer.variables, row) if term is not None}
                    for answer in [solutions_from_json(response.content)] for row in answer]
            self._published, self._checked_at = parse_registry(rows), time.monotonic()
        return self._published

    def _still_current(self, published: Published, deadline: float) -> bool:
        response = self.post([("query", check_query(published.token))], RESULTS_JSON, deadline)
        return bool(solutions_from_json(response.content))

    def _dataset(self, published: Published | None, query: PreparedQuery, options: dict):
        """FROM and FROM NAMED graphs (None: leave that part to the store) as pyoxigraph's options say.

        As in pyoxigraph, explicit ``default_graph``/``named_graphs`` options win over the
        query's own FROM clauses, and the union default graph wins over the query's FROM.
        """
        default, named = options.get("default_graph"), options.get("named_graphs")
        union = options.get("use_default_graph_as_union", False)
        if published is None:  # a store lscp-kg did not publish to: its own dataset, or what was asked
            return _asked_dataset(query, default, named, union)
        default_iris = _published_default_graphs(published, query, default, union) or [EMPTY_GRAPH]
        if not query.uses_graph:
            return default_iris, None
        return default_iris, _published_named_graphs(published, query, named) or [EMPTY_GRAPH]

    # -- queries --------------------------------------------------------------------------------

    def _deadline(self, timeout: float | None) -> float:
        return time.monotonic() + (timeout if timeout is not None else self.timeout)

    def post(self, form: list[tuple[str, str]], accept: str, deadline: float, purpose: str = "query",
             max_bytes: int = http.MAX_ANSWER_BYTES):
        """One protocol request as it is (no rewriting, no dataset): for the registry and publishing."""
        if self._virtuoso and purpose == "query":
            # Virtuoso stops the query itself before our deadline, so it does not run on after we stop
            # waiting; its partial "anytime" answer is refused below. It rounds the limit up to whole
            # 2-second steps, so the limit given is a whole number of steps within 90% of the time left.
            steps = int((deadline - time.monotonic()) * 0.9 / 2)
            form = form + [("timeout", str(max(1, steps) * 2000))]
        response = http.post(self.url if purpose == "query" else self.update_url, form, accept, deadline, purpose,
                             max_bytes)
        self._virtuoso = response.headers.get("Server", "").startswith("Virtuoso")
        if response.headers.get("X-SQL-State") == "S1TAT":  # Virtuoso's "anytime" answer: partial rows
            raise StoreTimeout("the query ran past the store's time limit (the store's partial answer was discarded)")
        return response

    def query(self, sparql: str, substitutions: dict | None = None, **options):
        deadline = self._deadline(options.get("timeout"))
        if options.get("custom_functions") or options.get("custom_aggregate_functions"):
            raise StoreError("custom functions cannot run on a remote store")
        query = prepare(sparql, substitutions, options.get("base_iri"), options.get("prefixes"))
        accept = GRAPH_TYPES if query.form in ("construct", "describe") else RESULTS_JSON
        published = self.published(deadline)
        while True:
            if published is not None and not published.ready:
                _pause(deadline, "a publish is swapping in a new version of the graph")
                published = self.published(deadline, refresh=True)
                continue
            text = query.text(*self._dataset(published, query, options))
            response = self.post([("query", text)], accept, deadline,
                                 max_bytes=options.get("max_answer_bytes") or http.MAX_ANSWER_BYTES)
            if accept == RESULTS_JSON:
                result = solutions_from_json(response.content)
            else:
                media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
                result = triples_from_rdf(response.content, media_type)
            if published is None or self._still_current(published, deadline):
                return result
            published = self.published(deadline, refresh=True)

    def update(self, sparql: str, deadline: float) -> None:
        """Send a SPARQL Update (publishing only: the service never calls this)."""
        self.post([("update", sparql)], "*/*", deadline, purpose="update")

    # -- the whole graph ------------------------------------------------------------------------

    def named_graphs(self) -> list[ox.NamedNode]:
        published = self.published(refresh=True)
        if published is not None:
            return [ox.NamedNode(g) for g in published.graphs]
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted((row["g"] for row in rows), key=str)

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, in two answers (named graphs, then the default graph); a capped answer is an error."""
        published = self.published(refresh=True)
        rows = list(self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", max_answer_bytes=EXPORT_BYTES))
        quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        quads += [ox.Quad(r["s"], r["p"], r["o"]) for r in self.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
                                                                        use_default_graph_as_union=False,
                                                                        max_answer_bytes=EXPORT_BYTES)]
        if published is not None and published.quads and len(quads) < published.quads:
            raise StoreError(f"the store returned {len(quads)} of the {published.quads} published quads: "
                             "it caps the rows of an answer (Virtuoso: raise ResultSetMaxRows)")
        return iter(quads)

    def statements(self, subject=None, predicate=None, object=None, graph=None) -> Iterator[ox.Quad]:
        return self._statements.matching(subject, predicate, object, graph)

    def triple_count(self) -> int:
        """One COUNT over the union default graph (the published union graph holds each triple once)."""
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        return int(next(iter(rows))["n"].value)

    def fingerprint(self) -> str:
        published = self.published()
        return f"{self.url} {published.token if published else '-'}"

    def __len__(self) -> int:
        named = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        default = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=False)
        return sum(int(next(iter(rows))["n"].value) for rows in (named, default))


def _asked_dataset(query: PreparedQuery, default, named, union: bool) -> tuple[list | None, list | None]:
    """FROM and FROM NAMED graphs for a store without a registry: the options', else the query's own."""
    if default is not None:
        default_iris = [_graph_iri(g, None) for g in _as_list(default)]
    else:
        default_iris = None if union else list(query.query_from) or None
    named_iris = [g.value for g in _as_list(named)] if named is not None else list(query.query_from_named) or None
    return default_iris, named_iris


def _published_default_graphs(published: Published, query: PreparedQuery, default, union: bool) -> list[str]:
    """The FROM graphs among the published ones: the options', the union graph, the query's, or the default."""
    known = frozenset(published.graphs)
    if default is not None:
        iris = [_graph_iri(g, published.default_graph) for g in _as_list(default)]
        return [g for g in iris if g in known or g == published.default_graph]
    if union:
        return [UNION_GRAPH]
    if query.query_from:
        return [g for g in query.query_from if g in known]
    return [published.default_graph] if published.default_graph else []


def _published_named_graphs(published: Published, query: PreparedQuery, named) -> list[str]:
    """The FROM NAMED graphs among the published ones: the options', the query's, or all of them."""
    known = frozenset(published.graphs)
    if named is not None:
        return [g.value for g in _as_list(named) if g.value in known]
    if query.query_from_named:
        return [g for g in query.query_from_named if g in known]
    return list(published.graphs)


def _as_list(graphs) -> list:
    if graphs is None:
        return []
    return list(graphs) if isinstance(graphs, (list, tuple, set)) else [graphs]


def _graph_iri(graph, default_holder: str | None) -> str | None:
    if isinstance(graph, ox.DefaultGraph):
        return default_holder or EMPTY_GRAPH
    return graph.value


def _pause(deadline: float, why: str) -> None:
    if time.monotonic() + 0.05 >= deadline:
        raise StoreTimeout(f"the query could not run within its time limit: {why}")
    time.sleep(min(0.2, max(0.0, deadline - time.monotonic() - 0.05)))
