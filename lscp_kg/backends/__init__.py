"""Where the graph lives: the store interface behind :class:`lscp_kg.store.KnowledgeGraph`.

Two implementations answer the same calls with the same pyoxigraph objects:

* :class:`~lscp_kg.backends.embedded.EmbeddedBackend`, a pyoxigraph store in
  this process, in memory or on disk (``--store-path DIR``, built once and
  reopened read-only);
* :class:`~lscp_kg.backends.remote.RemoteBackend`, any triple store that speaks
  the SPARQL 1.1 Protocol (``--store sparql+http://host:port/sparql``).

Every caller (the service, the views, the scrutiny checks, the tests) goes
through :class:`~lscp_kg.store.KnowledgeGraph` (``kg.query``, ``kg.statements``,
``kg.triple_count``, ``kg.fingerprint``...) and so never knows which one it has;
nothing outside this package touches a pyoxigraph store. Store kinds are
chosen by address scheme (:data:`STORE_SCHEMES`), and a query worker opens its
own copy from :meth:`StoreBackend.worker_source` (:func:`open_for_worker`).

>>> store_settings(store="sparql+http://127.0.0.1:8890/sparql").remote_url
'http://127.0.0.1:8890/sparql'
>>> store_settings().remote_url is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol

import pyoxigraph as ox


class StoreError(Exception):
    """The store could not answer (the message says why; it never holds credentials)."""


class StoreTimeout(StoreError, TimeoutError):
    """A query ran past its time limit on the store."""


class StoreUnavailable(StoreError, ConnectionError):
    """The store cannot be reached, or refused the credentials."""


class StoreBackend(Protocol):
    """What a store must do for the knowledge graph."""

    #: True when a query needs the network (the service then keeps its workers' network).
    needs_network: bool
    #: pyoxigraph's Store, or a read-only stand-in with its reading methods
    store: object

    def query(self, sparql: str, substitutions: dict | None = None, **options):
        """Run a query: QuerySolutions, QueryBoolean or QueryTriples, as pyoxigraph's ``Store.query``.

        Options are pyoxigraph's (``use_default_graph_as_union``, ``default_graph``,
        ``named_graphs``, ``base_iri``, ``prefixes``) plus ``timeout`` (seconds) and
        ``max_answer_bytes`` (the largest answer a remote store may send).
        """

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the graph."""

    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs of the graph."""

    def __len__(self) -> int:
        """How many quads the graph holds."""

    def describe(self) -> str:
        """Where the graph lives, for logs and /health (never credentials)."""

    def statements(self, subject=None, predicate=None, object=None, graph=None) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None: any), e.g. an entity's statements in and out."""

    def triple_count(self) -> int:
        """How many distinct triples the union of all graphs holds (the default graph queries see)."""

    def fingerprint(self) -> str:
        """A short name of the data version: it changes when the data does (cached answers key on it)."""

    def worker_source(self) -> tuple[dict, tuple[int, ...]]:
        """How a query worker process opens this graph: a picklable description for :func:`open_for_worker`
        and the file descriptors the worker must inherit."""


#: How a worker opens each kind of source (``worker_source()["scheme"]``); filled by the backend modules.
WORKER_OPENERS: dict = {}


def open_for_worker(source: dict) -> "StoreBackend":
    """The backend a query worker process opens from a :meth:`StoreBackend.worker_source` description."""
    return WORKER_OPENERS[source["scheme"]](source)


def backend_class(address: str):
    """The backend for a store address, chosen by its scheme (``sparql+http(s)://``; a folder or ``file://``
    path is an embedded store on disk).

    >>> backend_class("sparql+https://kg.example.org/sparql").__name__
    'RemoteBackend'
    >>> backend_class("/var/lib/lscp-kg").__name__
    'EmbeddedBackend'
    """
    scheme = address.split("://", 1)[0] if "://" in address else "file"
    if scheme not in STORE_SCHEMES:
        raise ValueError(f"{address!r}: no store of the kind {scheme!r}; use one of {', '.join(STORE_SCHEMES)}")
    module, name = STORE_SCHEMES[scheme].rsplit(".", 1)
    return getattr(__import__(module, fromlist=[name]), name)


#: The registry of store kinds by address scheme (modules imported only when used: the remote one needs HTTP).
STORE_SCHEMES = {"sparql+http": "lscp_kg.backends.remote.RemoteBackend",
                 "sparql+https": "lscp_kg.backends.remote.RemoteBackend",
                 "http": "lscp_kg.backends.remote.RemoteBackend", "https": "lscp_kg.backends.remote.RemoteBackend",
                 "file": "lscp_kg.backends.embedded.EmbeddedBackend"}


@dataclass(frozen=True)
class StoreSettings:
    """Where a command's graph lives, from ``--store``, ``--store-update`` and ``--store-path``."""

    store: str | None = None
    store_update: str | None = None
    store_path: Path | None = None

    @property
    def remote_url(self) -> str | None:
        return endpoint_url(self.store) if self.store else None

    @property
    def update_url(self) -> str | None:
        if self.store_update:
            return endpoint_url(self.store_update)
        return self.remote_url


def endpoint_url(spec: str) -> str:
    """The HTTP URL of a ``sparql+http(s)://`` (or plain ``http(s)://``) store address.

    >>> endpoint_url("sparql+https://kg.example.org/sparql")
    'https://kg.example.org/sparql'
    """
    url = spec.strip()
    if url.startswith("sparql+"):
        url = url[len("sparql+"):]
    if not url.startswith(("http://", "https://")) or "@" in url.split("/")[2]:
        raise ValueError(f"{spec!r} is not a store address: use sparql+http://host:port/path "
                         "(credentials go in LSCP_KG_STORE_USER / LSCP_KG_STORE_PASSWORD, not in the address)")
    return url


def store_settings(store: str | None = None, store_update: str | None = None,
                   store_path: Path | str | None = None) -> StoreSettings:
    """Check the three options together and return them."""
    if store and store_path:
        raise ValueError("give either --store (a remote store) or --store-path (an embedded store on disk), not both")
    if store_update and not store:
        raise ValueError("--store-update needs --store")
    settings = StoreSettings(store, store_update, Path(store_path) if store_path else None)
    settings.remote_url, settings.update_url  # noqa: B018 - refuse a bad address now, not at the first query
    return settings
