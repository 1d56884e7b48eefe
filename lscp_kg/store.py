"""Load the ontology and data files into a store (embedded pyoxigraph by default).

Data files are Turtle/TriG (or N-Triples/N-Quads) with IRIs relative to a
configurable base. Every file is parsed before anything is added, so a bad
file is refused with its name, line and the parser's message and an existing
store is never half-updated.

>>> kg = load_knowledge_graph()
>>> kg.base_iri
'https://lscp-kg.example.org/'
>>> len(kg) > 1000
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

from .backends import StoreBackend, StoreSettings, backend_class
from .backends.embedded import EmbeddedBackend, open_on_disk
from .namespaces import DEFAULT_BASE_IRI, ONTOLOGY_IRI, PREFIXES
from .rdf_files import AUTHORING_SUFFIXES, input_files, parse_rdf_file



def parse_file(path: Path, base_iri: str, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
    """Parse one data file into quads: an authoring file compiled, an RDF file as :func:`parse_rdf_file` does."""
    if path.suffix in AUTHORING_SUFFIXES:
        # Imported only for an authoring file: lscp_kg.authoring costs about 270 ms (rdflib, jsonschema),
        # which every command that loads no .yaml (``lscp-kg query --store``, say) would pay.
        from .authoring.compiler import compile_file  # AuthoringError is a DataFileError

        return compile_file(path, base_iri)
    return parse_rdf_file(path, base_iri, graph)


class KnowledgeGraph:
    """The loaded graph: a store (see :mod:`lscp_kg.backends`) plus where its facts came from.

    Queries see the union of all named graphs as their default graph, because
    each fact lives in the named graph of the source passage that states it.
    ``KnowledgeGraph(backend=...)`` takes any backend; :func:`graph_from_quads`
    builds an in-memory one.
    """

    def __init__(self, *, backend: StoreBackend, base_iri: str = DEFAULT_BASE_IRI, files: tuple[Path, ...] = (),
                 graph_files: dict[str, Path] | None = None):
        self.backend, self.base_iri, self.files = backend, base_iri, tuple(files)
        #: The data file that declared each named graph, for error messages (empty for a remote store).
        self.graph_files: dict[str, Path] = dict(graph_files or {})

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.backend.describe()}, base_iri={self.base_iri!r})"

    @property
    def is_remote(self) -> bool:
        """Whether the graph is reached over the network (its processes keep the network)."""
        return bool(self.backend.needs_network)

    @property
    def data_may_change(self) -> bool:
        """Whether the data can change under this process (a shared store another process publishes to), so
        that answers computed from it must not be kept.

        >>> load_knowledge_graph().data_may_change
        False
        """
        return self.backend.data_version() is not None

    def __len__(self) -> int:
        return len(self.backend)

    def query(self, sparql: str, substitutions: dict | None = None, **options):
        """Run a SPARQL query over the union of all graphs.

        Options are pyoxigraph's ``Store.query`` options, plus ``timeout`` (seconds;
        passed on to a remote store, which is also cut off at that time).

        >>> kg = load_knowledge_graph()
        >>> from pyoxigraph import Variable, NamedNode
        >>> rows = kg.query("SELECT ?x ?l WHERE { ?x rdfs:label ?l }",
        ...     substitutions={Variable("x"): NamedNode(kg.iri("id/partnership/lewisham"))})
        >>> [str(r["l"].value) for r in rows]
        ['Lewisham Safeguarding Children Partnership']
        """
        options.setdefault("use_default_graph_as_union", True)
        options.setdefault("base_iri", self.base_iri)
        options.setdefault("prefixes", _DEFAULT_PREFIXES)
        return self.backend.query(sparql, substitutions=substitutions, **options)

    def quads(self):
        """Every quad of the graph, named graphs included."""
        return self.backend.quads()

    def statements(self, subject=None, predicate=None, object=None, graph=None):
        """The quads matching a pattern (None: any), from every graph.

        >>> kg = load_knowledge_graph()
        >>> from pyoxigraph import NamedNode
        >>> any(True for _ in kg.statements(NamedNode(kg.iri("id/partnership/lewisham"))))
        True
        """
        return self.backend.statements(subject, predicate, object, graph)

    def named_graphs(self) -> list:
        """The named graphs of the graph."""
        return self.backend.named_graphs()

    def triple_count(self) -> int:
        """How many distinct triples the default graph of queries (the union of all graphs) holds."""
        return self.backend.triple_count()

    def fingerprint(self) -> str:
        """A short name of the data version (it changes when the data does)."""
        return self.backend.fingerprint()

    def iri(self, relative: str) -> str:
        """The absolute IRI of a path relative to the base (``id/...``)."""
        return self.base_iri + relative.lstrip("/")


_DEFAULT_PREFIXES = dict(PREFIXES)


def parse_inputs(ontology: Sequence[Path], data: Sequence[Path], base_iri: str) -> tuple[list[ox.Quad], dict[str, Path]]:
    """Parse every input file: the quads, and the file that declared each named graph."""
    quads: list[ox.Quad] = []
    graph_files: dict[str, Path] = {}
    for path in ontology:
        quads.extend(parse_file(path, base_iri, ox.NamedNode(ONTOLOGY_IRI)))
    for path in data:
        file_quads = parse_file(path, base_iri)
        for quad in file_quads:
            if isinstance(quad.graph_name, ox.NamedNode):
                graph_files.setdefault(quad.graph_name.value, path)
        quads.extend(file_quads)
    return quads, graph_files


def load_knowledge_graph(
    extra_data: Sequence[Path | str] = (),
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    include_shipped: bool = True,
    include_ontology: bool = True,
    settings: StoreSettings | None = None,
) -> KnowledgeGraph:
    """Load the ontology, the shipped data and any extra files into a new store.

    ``settings`` (from ``--store``/``--store-path``) chooses the store: by default
    a new in-memory store; ``store_path`` an on-disk store, built only when the
    inputs changed; ``store`` a store of the kind its address's scheme names
    (:data:`~lscp_kg.backends.STORE_SCHEMES`) already holding the published graph
    (nothing is loaded; the local input files serve only to find source texts).

    Raises :class:`DataFileError` (file, line, message) before touching any store.
    """
    ontology, data = input_files(extra_data, include_shipped=include_shipped, include_ontology=include_ontology)
    files = tuple(ontology) + tuple(data)
    if settings is not None and settings.store:
        if extra_data:
            raise ValueError("--data adds files to an embedded graph; to add them to a remote store, "
                             "publish them: lscp-kg publish --store URL --data PATH")
        # chosen by the address's scheme; the backend's module (an HTTP client) is imported only now
        backend = backend_class(settings.store).from_settings(settings)
        return KnowledgeGraph(backend=backend, base_iri=base_iri, files=files)
    if settings is not None and settings.store_path:
        backend, graph_files, _built = open_on_disk(settings.store_path, list(files), base_iri,
                                                    lambda: parse_inputs(ontology, data, base_iri))
        return KnowledgeGraph(backend=backend, base_iri=base_iri, files=files, graph_files=graph_files)
    quads, graph_files = parse_inputs(ontology, data, base_iri)
    return graph_from_quads(quads, base_iri, files, graph_files)


def graph_from_quads(quads: Iterable[ox.Quad], base_iri: str = DEFAULT_BASE_IRI, files: tuple[Path, ...] = (),
                     graph_files: dict[str, Path] | None = None) -> KnowledgeGraph:
    """A knowledge graph of these quads in a new in-memory store.

    >>> len(graph_from_quads([]))
    0
    """
    return KnowledgeGraph(backend=EmbeddedBackend.from_quads(quads), base_iri=base_iri, files=files,
                          graph_files=graph_files)
