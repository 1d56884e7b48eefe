"""Run one query and serialise at most ``row_cap`` rows (or triples) of its answer.

This is what a worker process does with a :class:`QueryJob`; it is plain
code so that it can also be tested in-process. pyoxigraph serialises whole
result iterators only, so capped SELECT results are written as SPARQL JSON
here and converted to XML, CSV or TSV by pyoxigraph.

>>> from lscp_kg.store import load_knowledge_graph
>>> job = QueryJob("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", {"results": "csv", "graph": None}, row_cap=2)
>>> outcome = run_job(load_knowledge_graph(), job)
>>> outcome.body, outcome.truncated, outcome.rows
(b'n\\r\\n1\\r\\n2\\r\\n', True, 2)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from lscp_kg.namespaces import PREFIXES
from lscp_kg.service.formats import BY_NAME
from lscp_kg.store import KnowledgeGraph

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


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


def term_json(term) -> dict:
    """A term as SPARQL 1.1 JSON results write it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate), "object": term_json(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        out["datatype"] = term.datatype.value
    return out


def solutions_json(variables: list[str], rows) -> dict:
    bindings = [{name: term_json(row[name]) for name in variables if row[name] is not None} for row in rows]
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


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
        variables = [v.value for v in result.variables]
        rows = list(islice(result, job.row_cap + 1))
        truncated = len(rows) > job.row_cap
        rows = rows[: job.row_cap]
        body = json.dumps(solutions_json(variables, rows), ensure_ascii=False).encode()
        if fmt.name != "json":
            body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt.oxigraph)
        return QueryOutcome(body, fmt.media_type, "solutions", len(rows), truncated)
    fmt = _format_for(job, "graph")
    triples = list(islice(result, job.row_cap + 1))
    truncated = len(triples) > job.row_cap
    triples = triples[: job.row_cap]
    prefixes = PREFIXES if fmt.name in ("turtle", "rdfxml") else None
    body = ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes)
    return QueryOutcome(body, fmt.media_type, "graph", len(triples), truncated)
