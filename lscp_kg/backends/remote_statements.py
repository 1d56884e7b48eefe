"""``kg.statements`` for a graph in a remote store: the quads matching a pattern, by SPARQL queries.

Pages look up the same few subjects many times (a label, a type, each in its
own call), and each lookup is a round trip to the store; so a lookup with a
subject fetches everything about that subject once, kept per published
version (registry token): an answer kept for a version is that version's
answer, and a new version is looked up afresh as soon as this process learns
of it (at its next query).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Iterator

import pyoxigraph as ox

#: Subjects whose quads are kept (least recently used go first).
SUBJECTS_KEPT = 4096

# One query per lookup (a remote store makes each a round trip): named graphs, default graph, or both.
_NAMED_PATTERN = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_DEFAULT_PATTERN = "SELECT ?s ?p ?o ?g WHERE { ?s ?p ?o }"
_ANY_PATTERN = "SELECT ?s ?p ?o ?g WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"


class RemoteStatements:
    """The statements of a remote store's graph (see the module docstring)."""

    def __init__(self, backend):
        self.backend = backend
        self._about: OrderedDict[tuple, list[ox.Quad]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<RemoteStatements {self.backend.describe()}>"

    def matching(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """The quads matching a pattern; ``None`` matches anything, ``DefaultGraph()`` the default graph only."""
        if subject is None and predicate is None and object is None and graph_name is None:
            return self.backend.quads()  # the whole graph, checked against the published count
        if subject is not None and self.backend.published() is not None:
            return iter([q for q in self._quads_about(subject) if _matches(q, predicate, object, graph_name)])
        return iter(self._lookup(subject, predicate, object, graph_name))

    def _lookup(self, subject, predicate, object, graph_name) -> list[ox.Quad]:
        bound = {ox.Variable(name): term for name, term in (("s", subject), ("p", predicate), ("o", object)) if term is not None}
        if isinstance(graph_name, ox.NamedNode):
            bound[ox.Variable("g")] = graph_name
        pattern = {type(None): _ANY_PATTERN, ox.DefaultGraph: _DEFAULT_PATTERN}.get(type(graph_name), _NAMED_PATTERN)
        rows = self.backend.query(pattern, substitutions=bound or None, use_default_graph_as_union=False)
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph()) for row in rows]

    def _quads_about(self, subject) -> list[ox.Quad]:
        key = (self.backend.published().token, subject)
        with self._lock:
            if key in self._about:
                self._about.move_to_end(key)
                return self._about[key]
        quads = self._lookup(subject, None, None, None)
        # Kept under the version the answer was checked against (the query may have met a new one).
        key = (self.backend.published().token, subject)
        with self._lock:
            self._about[key] = quads
            while len(self._about) > SUBJECTS_KEPT:
                self._about.popitem(last=False)
        return quads


def _matches(quad: ox.Quad, predicate, object, graph_name) -> bool:
    if predicate is not None and quad.predicate != predicate or object is not None and quad.object != object:
        return False
    if graph_name is None:
        return True
    if isinstance(graph_name, ox.DefaultGraph):
        return isinstance(quad.graph_name, ox.DefaultGraph)
    return quad.graph_name == graph_name
