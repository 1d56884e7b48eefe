"""Where the graph lives: the store interface behind :class:`lscp_kg.store.KnowledgeGraph`.

Two implementations answer the same calls with the same pyoxigraph objects:

* :class:`~lscp_kg.backends.embedded.EmbeddedBackend`, a pyoxigraph store in
  this process, in memory or on disk (``--store-path DIR``, built once and
  reopened read-only);
* :class:`~lscp_kg.backends.remote.RemoteBackend`, any triple store that speaks
  the SPARQL 1.1 Protocol (``--store sparql+http://host:port/sparql``).

Every caller (the service, the views, the scrutiny checks, the tests) goes
through ``kg.query`` and so never knows which one it has.

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
