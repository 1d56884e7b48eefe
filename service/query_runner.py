"""Run one query and serialise at most ``row_cap`` rows (or triples) of its answer.

This is what a worker process does with a :class:`QueryJob`; it is plain
code so that it can also be tested in-process. Answers are serialised by
pyoxigraph in Rust and travel as bytes: SELECT results are written as TSV
(one line per row) into :class:`CappedOutput`, which stops the serialiser
past the row cap, and rewritten by pyoxigraph in the format asked for
(graphs likewise through N-Triples).

>>> from lscp_kg.store import load_knowledge_graph
>>> job = QueryJob("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", {"results": "csv", "graph": None}, row_cap=2)
>>> outcome = run_job(load_knowledge_graph(), job)
>>> outcome.body, outcome.truncated, outcome.rows
(b'n\\r\\n1\\r\\n2\\r\\n', True, 2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from lscp_kg.namespaces import PREFIXES
from lscp_kg.service.formats import BY_NAME
from lscp_kg.store import KnowledgeGraph



@dataclass(frozen=True)
class QueryJob:
    """One query to run: text, bound parameters, dataset and the format to answer in per result kind."""

    sparql: str
    #: format name per result kind ("results" for SELECT/ASK, "graph" for CONSTRUCT/DESCRIBE); None = not acceptable
    formats: dict
    substitutions: dict | None = None
    default_graph: tuple[str, ...] | None = None  # protocol default-graph-uri (None: union of all graphs)
    named_graphs: tuple[str, ...] | None = None  # protocol named-graph-uri (None: every named graph)
    #: without protocol graphs: default graph = union of all graphs, unless the query has FROM / FROM NAMED
    union_default_graph: bool = True
    row_cap: int = 10_000
    #: why each kind is not acceptable, for the 406 message
    refusals: dict = field(default_factory=dict)

    #: a query stopped at a limit is a strike against the client that sent it (see :mod:`fairness`)
    counts_against_client = True
    #: the page that runs it goes on if it is stopped (it then runs in a child process: see :mod:`guarded_runner`)
    page_goes_on = False

    def run(self, kg: KnowledgeGraph) -> "QueryOutcome":
        return run_job(kg, self)


@dataclass(frozen=True)
class ScrutinyJob:
    """The scrutiny report as of a date (``options`` go to :func:`lscp_kg.scrutiny.run_scrutiny`), in a worker
    so that it runs under the same time and memory limits as a query."""

    asof: str
    options: tuple = ()  # (name, value) pairs
    #: the same report for everyone: one stopped at the time limit is no client's fault
    counts_against_client = False
    #: the pages that show it say when it could not be computed in time
    page_goes_on = True

    def run(self, kg: KnowledgeGraph):
        from lscp_kg.scrutiny import run_scrutiny

        return run_scrutiny(kg, self.asof, **dict(self.options))


@dataclass(frozen=True)
class QueryOutcome:
    body: bytes
    media_type: str
    kind: str  # "solutions", "boolean" or "graph"
    rows: int = 0
    truncated: bool = False


class NotAcceptableResult(Exception):
    """The query's kind of result has no acceptable format (found only once it ran)."""


class _Enough(Exception):
    """Raised by :class:`CappedOutput` to stop pyoxigraph's serialiser once the cap is passed."""


class CappedOutput:
    """A file-like sink for pyoxigraph's serialisers that keeps ``lines`` lines at most (one row or triple each
    in TSV and N-Triples, after ``header`` lines) and stops the serialiser past them: the cap is applied on the
    serialised stream, with no Python object per row."""

    def __init__(self, rows: int, header: int = 0):
        self.keep, self.parts, self.lines = rows + header, [], 0

    def write(self, chunk) -> int:
        self.parts.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.lines > self.keep:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass

    def capped(self) -> tuple[bytes, bool]:
        """The kept lines and whether any were cut."""
        data = b"".join(self.parts)
        if self.lines <= self.keep:
            return data, False
        end = -1
        for _ in range(self.keep):
            end = data.index(b"\n", end + 1)
        return data[: end + 1], True


def _capped(result, fmt, row_cap: int, header: int) -> tuple[bytes, bool]:
    output = CappedOutput(row_cap, header)
    try:
        result.serialize(output, format=fmt)
    except _Enough:
        pass
    return output.capped()


def _dataset_options(job: QueryJob) -> dict:
    if job.default_graph is None and job.named_graphs is None:
        # The knowledge graph's default is the union of all graphs; a query's FROM clause overrides it.
        return {} if job.union_default_graph else {"use_default_graph_as_union": False}
    return {"use_default_graph_as_union": False,
            "default_graph": [ox.NamedNode(i) for i in job.default_graph or ()],
            "named_graphs": [ox.NamedNode(i) for i in job.named_graphs or ()]}


def _format_for(job: QueryJob, kind: str):
    name = job.formats.get(kind)
    if name is None:
        raise NotAcceptableResult(job.refusals.get(kind) or f"no acceptable format for this query's {kind}")
    return BY_NAME[name]


def run_job(kg: KnowledgeGraph, job: QueryJob) -> QueryOutcome:
    """Run the job; SyntaxError for a bad query, NotAcceptableResult for an unacceptable format."""
    result = kg.query(job.sparql, substitutions=job.substitutions, **_dataset_options(job))
    if isinstance(result, ox.QueryBoolean):
        fmt = _format_for(job, "results")
        return QueryOutcome(result.serialize(format=fmt.oxigraph), fmt.media_type, "boolean", 1)
    if isinstance(result, ox.QuerySolutions):
        fmt = _format_for(job, "results")
        # Serialised once in Rust as TSV (one line per row), cut at the cap, then written by pyoxigraph in the
        # format asked for: TSV keeps every term exactly (IRIs, blank nodes, literals with their datatype).
        tsv, truncated = _capped(result, ox.QueryResultsFormat.TSV, job.row_cap, header=1)
        rows = tsv.count(b"\n") - 1
        if fmt.oxigraph == ox.QueryResultsFormat.TSV:
            body = tsv
        else:
            body = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=fmt.oxigraph)
        return QueryOutcome(body, fmt.media_type, "solutions", rows, truncated)
    fmt = _format_for(job, "graph")
    ntriples, truncated = _capped(result, ox.RdfFormat.N_TRIPLES, job.row_cap, header=0)
    count = ntriples.count(b"\n")
    if fmt.oxigraph == ox.RdfFormat.N_TRIPLES:
        body = ntriples
    else:
        body = ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), format=fmt.oxigraph,
                            prefixes=fmt.prefixes(PREFIXES))
    return QueryOutcome(body, fmt.media_type, "graph", count, truncated)
