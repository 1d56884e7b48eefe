"""Where the graph lives: the store interface behind :class:`lscp_kg.store.KnowledgeGraph`.

Three implementations answer the same calls with the same pyoxigraph objects:

* :class:`~lscp_kg.backends.embedded.EmbeddedBackend`, a pyoxigraph store in
  this process, in memory or on disk (``--store-path DIR``, built once and
  reopened read-only);
* :class:`~lscp_kg.backends.remote.RemoteBackend`, any triple store that speaks
  the SPARQL 1.1 Protocol (``--store sparql+http://host:port/sparql``);
* :class:`~lscp_kg.backends.dump.DumpBackend`, one RDF file read into memory
  (``--store dump:///path/graph.nq``).

Every caller (the service, the views, the scrutiny checks, the tests) goes
through :class:`~lscp_kg.store.KnowledgeGraph` (``kg.query``, ``kg.statements``,
``kg.triple_count``, ``kg.fingerprint``...) and so never knows which one it has;
nothing outside this package builds or touches a pyoxigraph store. Store kinds
are chosen by address scheme (:data:`STORE_SCHEMES`); each process the server
forks asks its backend for the one it should use
(:meth:`StoreBackend.for_forked_process`).

A new kind of store is one module and one line:

1. a module here with a class that has the methods of :class:`StoreBackend`:
   ``from_settings`` opens ``--store SCHEME://...``; ``for_forked_process``
   gives a forked process its own connections or file handle where the
   parent's must not be shared; ``needs_network`` says whether a process that
   runs queries may cut itself off from the network. A store that pyoxigraph
   holds can inherit the embedded backend's methods, as :mod:`.dump` does in
   30 lines;
2. ``"SCHEME": "lscp_kg.backends.module.Class"`` in :data:`STORE_SCHEMES`.

Nothing else changes: the loader, the CLI's ``--store``, the service and its
workers reach every kind through this registry and the interface.
tests/test_store_interface.py serves pages and /sparql through :mod:`.dump`,
and plugs in a kind defined in a test by its registry line alone.

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
    @classmethod
    def from_settings(cls, settings: "StoreSettings") -> "StoreBackend":
        """The backend for ``--store ADDRESS`` (``settings.store``; the graph is already in the store)."""

    def set_time_limit(self, seconds: float) -> None:
        """Stop every later query after this long (a store without its own limit relies on the workers')."""

    def data_version(self, refresh: bool = False) -> str | None:
        """The version of data that can change under this process (a shared store's published version,
        re-read when ``refresh``); None when the data is fixed for this backend's life."""

    def check_base_iri(self, base_iri: str) -> str | None:
        """Raise ValueError when the store's graph was built with another base IRI; a note to show, or None."""

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

    def for_forked_process(self) -> "StoreBackend":
        """The backend a forked server process uses: one with its own connections or file handle where the
        parent's must not be shared, else this one (an in-memory store is shared copy-on-write)."""


def backend_class(address: str):
    """The backend for a store address, chosen by its scheme (``sparql+http(s)://``; a folder or ``file://``
    path is an embedded store on disk).

    >>> backend_class("sparql+https://kg.example.org/sparql").__name__
    'RemoteBackend'
    >>> backend_class("/var/lib/lscp-kg").__name__
    'EmbeddedBackend'
    """
    return scheme_class(address.split("://", 1)[0] if "://" in address else "file", address)


def scheme_class(scheme: str, address: str | None = None):
    """The backend class registered for an address scheme (its module imported only now).

    >>> scheme_class("file").__name__
    'EmbeddedBackend'
    """
    if scheme not in STORE_SCHEMES:
        raise ValueError(f"{address or scheme!r}: no store of the kind {scheme!r}; use one of {', '.join(STORE_SCHEMES)}")
    module, name = STORE_SCHEMES[scheme].rsplit(".", 1)
    return getattr(__import__(module, fromlist=[name]), name)


#: The registry of store kinds by address scheme (modules imported only when used: the remote one needs HTTP).
STORE_SCHEMES = {"sparql+http": "lscp_kg.backends.remote.RemoteBackend",
                 "sparql+https": "lscp_kg.backends.remote.RemoteBackend",
                 "http": "lscp_kg.backends.remote.RemoteBackend", "https": "lscp_kg.backends.remote.RemoteBackend",
                 "file": "lscp_kg.backends.embedded.EmbeddedBackend",
                 "dump": "lscp_kg.backends.dump.DumpBackend"}


@dataclass(frozen=True)
class StoreSettings:
    """Where a command's graph lives, from ``--store``, ``--store-update`` and ``--store-path``."""

    store: str | None = None
    store_update: str | None = None
    store_path: Path | None = None

    @property
    def remote_url(self) -> str | None:
        """The HTTP address of a store reached over the network (None for any other kind of store)."""
        if not self.store:
            return None
        scheme = self.store.split("://", 1)[0] if "://" in self.store else None
        # another registered kind of store (a store on disk is --store-path's, not an address)
        if scheme in STORE_SCHEMES and scheme != "file" and not scheme_class(scheme).needs_network:
            return None
        return endpoint_url(self.store)  # refuses anything else that is not a network address

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
