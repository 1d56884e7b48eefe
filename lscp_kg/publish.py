"""`lscp-kg publish`: load the (validated) graph into a remote store, replacing the previous version in one step.

1. Every named graph (and ``urn:lscp-kg:union``, each triple once, copied
   inside the store) is loaded under a fresh staging name
   (``urn:lscp-kg:staging:<version>:<n>``, noted in the registry first so an
   interrupted publish is cleaned up by the next one), in batches of SPARQL
   Update; quads that share a blank node always travel in the same batch, so
   blank nodes keep their identity. Readers do not see staging graphs: they
   query the graphs the registry lists.
2. The staged quads are counted against the graph.
3. The swap: the registry is marked ``publishing``; one SPARQL Update request
   then ``COPY``\\ s each staging graph onto its real name (the passage IRI,
   which the queries rely on), drops graphs of the old version that the new
   one lacks and points the registry at the new version, marked ``ready``.
   Every operation of it can be repeated without harm, so a request the
   store failed is sent again (:data:`SWAP_ATTEMPTS`). The staging graphs are
   dropped afterwards.

Guarantee: an lscp-kg process reading the store (service, CLI, views) answers
every query from exactly one version, old or new, never a mix: it checks the
registry token after each query and runs the query again if a swap started
or ended meanwhile, and waits while the registry says ``publishing``. Other
clients of the store see the swap as atomic where the store applies an
update request atomically (SPARQL 1.1 Update asks it to; Virtuoso does);
when the swap has to be split over several requests (more than
:data:`SWAP_OPERATIONS_PER_REQUEST` graphs) only lscp-kg readers keep the guarantee.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import pyoxigraph as ox

from .backends import StoreError
from .backends.registry import (DEFAULT_GRAPH_HOLDER, REGISTRY_GRAPH, STAGING_PREFIX, STAGING_QUERY, UNION_GRAPH,
                                VERSION_PREFIX,
                                forget_staging, forget_version, staging_note, state_update, version_description)
from .backends.remote import RemoteBackend
from .backends.remote_results import solutions_from_json
from .store import KnowledgeGraph

#: Virtuoso refuses updates whose generated SQL passes 10000 lines (about 1000-1500 quads).
BATCH_QUADS = 500
SWAP_OPERATIONS_PER_REQUEST = 2000
#: Tries of each swap request (1 s, 2 s, 4 s apart) before publish gives up.
SWAP_ATTEMPTS = 4
UPDATE_TIMEOUT = 600.0


@dataclass(frozen=True)
class PublishReport:
    version: str
    graphs: int
    quads: int
    dropped: int
    seconds: float

    def as_text(self) -> str:
        return (f"Published {self.quads} quads in {self.graphs} named graphs as {self.version} "
                f"({self.dropped} graph(s) of the previous version dropped) in {self.seconds:.1f} s.")


def batches(quads: list[ox.Quad], size: int = BATCH_QUADS) -> list[list[ox.Quad]]:
    """Quads in batches of about ``size``; quads linked by a blank node stay in one batch.

    >>> b = ox.BlankNode()
    >>> g = ox.NamedNode("http://x/g")
    >>> qs = [ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), b, g),
    ...       ox.Quad(ox.NamedNode("http://x/c"), ox.NamedNode("http://x/p"), ox.Literal("1"), g),
    ...       ox.Quad(b, ox.NamedNode("http://x/p"), ox.Literal("2"), g)]
    >>> [len(batch) for batch in batches(qs, size=1)]
    [2, 1]
    """
    parent: dict = {}

    def find(node):
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])  # path halving
            node = parent[node]
        return node

    def blanks(quad: ox.Quad) -> list:
        return [t for t in (quad.subject, quad.object, quad.graph_name) if isinstance(t, ox.BlankNode)]

    for quad in quads:
        linked = blanks(quad)
        for other in linked[1:]:
            first, second = find(linked[0]), find(other)
            if first != second:
                parent[second] = first
    merged: dict = {}
    for index, quad in enumerate(quads):
        linked = blanks(quad)
        merged.setdefault(find(linked[0]) if linked else index, []).append(quad)
    out: list[list[ox.Quad]] = [[]]
    for group in merged.values():
        if out[-1] and len(out[-1]) + len(group) > size:
            out.append([])
        out[-1].extend(group)
    return [batch for batch in out if batch]


def insert_text(batch: list[ox.Quad], staging: dict[str, str]) -> str:
    """One SPARQL Update for a batch, each quad into the staging graph of its graph.

    ``INSERT { } WHERE { }`` rather than ``INSERT DATA`` when blank nodes are
    present: some stores (Virtuoso) refuse blank nodes in INSERT DATA.
    """
    by_graph: dict[str, list[str]] = {}
    for quad in batch:
        target = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else DEFAULT_GRAPH_HOLDER
        by_graph.setdefault(staging[target], []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    body = "\n".join(f"GRAPH <{g}> {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
    if any(isinstance(t, ox.BlankNode) for q in batch for t in (q.subject, q.object)):
        return f"INSERT {{\n{body}\n}} WHERE {{ }}"
    return f"INSERT DATA {{\n{body}\n}}"


@dataclass
class Staging:
    """Where a new version is loaded before the swap: each graph's staging name (the default graph under
    :data:`DEFAULT_GRAPH_HOLDER`; :data:`UNION_GRAPH` once the union is copied)."""

    version_id: str
    targets: list[str]  # the named graphs of the new version
    has_default: bool
    graphs: dict[str, str]

    @classmethod
    def of(cls, quads: list[ox.Quad]) -> "Staging":
        version_id = uuid.uuid4().hex
        targets = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        has_default = any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
        graphs = {target: f"{STAGING_PREFIX}{version_id}:{n}" for n, target in enumerate(targets)}
        if has_default:
            graphs[DEFAULT_GRAPH_HOLDER] = f"{STAGING_PREFIX}{version_id}:default"
        return cls(version_id, targets, has_default, graphs)

    @property
    def union(self) -> str:
        return f"{STAGING_PREFIX}{self.version_id}:union"

    @property
    def version(self) -> str:
        return VERSION_PREFIX + self.version_id


def publish(kg: KnowledgeGraph, remote: RemoteBackend, progress: Callable[[int, int], None] | None = None,
            batch_size: int = BATCH_QUADS) -> PublishReport:
    """Publish ``kg`` (already validated) to ``remote``; see the module docstring for the steps."""
    started = time.monotonic()
    deadline = lambda: time.monotonic() + UPDATE_TIMEOUT  # noqa: E731 - each request gets its own
    quads = list(kg.quads())
    staging = Staging.of(quads)
    previous = remote.published(refresh=True)
    _prepare(remote, previous, staging, deadline)
    _load(remote, quads, staging, deadline, progress, batch_size)
    _check_and_copy_union(remote, quads, staging, deadline)
    dropped = _swap(remote, kg, previous, staging, len(quads), deadline)
    _drop_staging(remote, list(staging.graphs.values()), deadline)
    return PublishReport(staging.version, len(staging.targets), len(quads), dropped, time.monotonic() - started)


def _prepare(remote: RemoteBackend, previous, staging: Staging, deadline) -> None:
    """A registry if the store has none; no staging graphs of an interrupted publish; the new ones noted."""
    if previous is None:
        remote.update(state_update(uuid.uuid4().hex, "ready"), deadline())
    _drop_stale_staging(remote, deadline)
    notes = staging_note([(s, t) for t, s in staging.graphs.items()] + [(staging.union, UNION_GRAPH)])
    remote.update(f"INSERT DATA {{ GRAPH <{REGISTRY_GRAPH}> {{ {notes} }} }}", deadline())


def _load(remote: RemoteBackend, quads: list[ox.Quad], staging: Staging, deadline,
          progress: Callable[[int, int], None] | None, batch_size: int) -> None:
    """Step 1: every quad into the staging graph of its graph, batch by batch."""
    done = 0
    for batch in batches(quads, batch_size):
        _insert(remote, batch, staging.graphs, deadline)
        done += len(batch)
        if progress:
            progress(done, len(quads))


def _check_and_copy_union(remote: RemoteBackend, quads: list[ox.Quad], staging: Staging, deadline) -> None:
    """Step 2: the staged quads counted; then the union graph copied inside the store and counted too."""
    staged = count_quads(remote, list(staging.graphs.values()))
    if staged != len(quads):
        raise StoreError(f"the store holds {staged} of the {len(quads)} quads loaded; the published graph is unchanged")
    _copy_into(remote, list(staging.graphs.values()), staging.union, deadline)
    if count_quads(remote, [staging.union]) != len({q.triple for q in quads}):
        raise StoreError("the store's union graph does not hold every triple once; the published graph is unchanged")
    staging.graphs[UNION_GRAPH] = staging.union


def _swap(remote: RemoteBackend, kg: KnowledgeGraph, previous, staging: Staging, quad_count: int, deadline) -> int:
    """Step 3: the staging graphs copied onto their names, the old version's other graphs dropped, the registry
    pointed at the new version; how many graphs were dropped."""
    old_graphs = set(previous.graphs) if previous else set()
    if previous and previous.default_graph:
        old_graphs.add(previous.default_graph)
    dropped = sorted(old_graphs - set(staging.graphs))  # the union graph is in both: always moved onto
    operations = [f"DROP SILENT GRAPH <{g}>" for g in dropped]
    # COPY, not MOVE: every operation of the swap can be sent again without harm, so a swap the store
    # refused (Virtuoso times out a transaction under heavy reads) or whose answer was lost is retried.
    operations += [f"COPY SILENT GRAPH <{s}> TO GRAPH <{t}>" for t, s in staging.graphs.items()]
    published_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    description = version_description(staging.version, staging.targets,
                                      DEFAULT_GRAPH_HOLDER if staging.has_default else None,
                                      quad_count, published_at, kg.base_iri)
    finish = [forget_version(previous.version)] if previous and previous.version else []
    finish += [f"INSERT DATA {{ GRAPH <{REGISTRY_GRAPH}> {{ {description} }} }}", state_update(uuid.uuid4().hex, "ready")]

    _retried(remote, state_update(uuid.uuid4().hex, "publishing"), deadline)
    chunks = [operations[i:i + SWAP_OPERATIONS_PER_REQUEST] for i in range(0, len(operations), SWAP_OPERATIONS_PER_REQUEST)]
    for chunk in chunks[:-1]:
        _retried(remote, " ;\n".join(chunk), deadline)
    _retried(remote, " ;\n".join(chunks[-1] + finish), deadline)
    return len(dropped)


def _insert(remote: RemoteBackend, batch: list[ox.Quad], staging: dict[str, str], deadline) -> None:
    """Insert a batch; if the store refuses it as too big, insert it in halves (blank node groups kept whole)."""
    try:
        remote.update(insert_text(batch, staging), deadline())
    except (SyntaxError, StoreError):
        halves = batches(batch, max(1, len(batch) // 2))
        if len(halves) < 2:
            raise
        for half in halves:
            _insert(remote, half, staging, deadline)


def count_quads(remote: RemoteBackend, graphs: list[str]) -> int:
    """How many quads the store holds in these graphs (asked directly, outside the published dataset)."""
    named = "".join(f"FROM NAMED <{g}>\n" for g in graphs)
    form = [("query", f"SELECT (COUNT(*) AS ?n) {named}WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")]
    response = remote.post(form, "application/sparql-results+json", time.monotonic() + UPDATE_TIMEOUT)
    return int(next(iter(solutions_from_json(response.content)))["n"].value)


def _copy_into(remote: RemoteBackend, graphs: list[str], target: str, deadline, per_request: int = 200) -> None:
    """Copy the triples of ``graphs`` into ``target`` inside the store (a set: each triple once)."""
    for start in range(0, len(graphs), per_request):
        values = " ".join(f"<{g}>" for g in graphs[start:start + per_request])
        remote.update(f"INSERT {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} "
                      f"GRAPH ?g {{ ?s ?p ?o }} }}", deadline())


def _retried(remote: RemoteBackend, update: str, deadline, attempts: int = SWAP_ATTEMPTS) -> None:
    """Send an update that may be sent twice, again after a pause if the store failed it."""
    for attempt in range(1, attempts + 1):
        try:
            remote.update(update, deadline())
            return
        except StoreError:
            if attempt == attempts:
                raise
            time.sleep(0.5 * 2 ** (attempt - 1))


def _drop_staging(remote: RemoteBackend, graphs: list[str], deadline) -> None:
    for start in range(0, len(graphs), SWAP_OPERATIONS_PER_REQUEST):
        chunk = graphs[start:start + SWAP_OPERATIONS_PER_REQUEST]
        _retried(remote, " ;\n".join([f"DROP SILENT GRAPH <{g}>" for g in chunk] + [forget_staging(chunk)]), deadline)


def _drop_stale_staging(remote: RemoteBackend, deadline) -> None:
    """Drop the staging graphs an interrupted publish left behind."""
    response = remote.post([("query", STAGING_QUERY)], "application/sparql-results+json", deadline())
    _drop_staging(remote, [row["staging"].value for row in solutions_from_json(response.content)], deadline)
