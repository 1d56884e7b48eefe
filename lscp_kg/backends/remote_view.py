"""``kg.store`` for a graph in a remote store: the read-only part of pyoxigraph's ``Store`` API.

Code written against an embedded store (entity pages, the service
description, the ontology documentation, exports) reads the graph with
``quads_for_pattern``, ``named_graphs``, ``len`` and ``query``. For a remote
store these become SPARQL queries through the backend, so that code runs
unchanged. Writing methods do not exist: the service never writes.
"""

from __future__ import annotations

from typing import Iterator

import pyoxigraph as ox

# One query per lookup (a remote store makes each a round trip): named graphs, default graph, or both.
_NAMED_PATTERN = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_DEFAULT_PATTERN = "SELECT ?s ?p ?o ?g WHERE { ?s ?p ?o }"
_ANY_PATTERN = "SELECT ?s ?p ?o ?g WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"


class RemoteStoreView:
    """What ``kg.store`` is when the graph lives in a remote store (see the module docstring)."""

    def __init__(self, backend):
        self.backend = backend

    def __repr__(self) -> str:
        return f"<RemoteStoreView {self.backend.describe()}>"

    def query(self, sparql: str, **options):
        """As ``pyoxigraph.Store.query`` (the store's default graph, unless options say otherwise)."""
        return self.backend.query(sparql, **options)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """The quads matching a pattern; ``None`` matches anything, ``DefaultGraph()`` the default graph only."""
        if subject is None and predicate is None and object is None and graph_name is None:
            return self.backend.quads()  # the whole graph, checked against the published count
        bound = {ox.Variable(name): term for name, term in (("s", subject), ("p", predicate), ("o", object)) if term is not None}
        if isinstance(graph_name, ox.NamedNode):
            bound[ox.Variable("g")] = graph_name
        pattern = {type(None): _ANY_PATTERN, ox.DefaultGraph: _DEFAULT_PATTERN}.get(type(graph_name), _NAMED_PATTERN)
        rows = self.backend.query(pattern, substitutions=bound or None, use_default_graph_as_union=False)
        return iter([ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph()) for row in rows])

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter(self.backend.named_graphs())

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return graph in set(self.backend.named_graphs())

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.backend.quads()

    def __len__(self) -> int:
        return len(self.backend)
