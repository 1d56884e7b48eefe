"""A graph read from one RDF file into memory: ``--store dump:///path/graph.nq``.

The smallest kind of store, and the example of adding one: this module and the
line ``"dump": "lscp_kg.backends.dump.DumpBackend"`` in
:data:`~lscp_kg.backends.STORE_SCHEMES`. The file (N-Quads or TriG, as
``lscp-kg export`` writes it) is served as it is: nothing else is loaded. It is
read once, before the server forks, and its processes share it. It answers as the
embedded store does, through :class:`~lscp_kg.backends.embedded.EmbeddedBackend`'s
methods (``for_forked_process`` included).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder) / "graph.nq"
...     _ = path.write_text('<urn:a> <urn:b> "c" <urn:g> .\\n', encoding="utf-8")
...     backend = DumpBackend(path)
...     len(backend), backend.named_graphs(), backend.for_forked_process() is backend
(1, [<NamedNode value=urn:g>], True)
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .embedded import EmbeddedBackend


class DumpBackend(EmbeddedBackend):
    """A pyoxigraph store in memory, filled from one RDF file (its format from the file's suffix)."""

    def __init__(self, file: Path):
        super().__init__(_read(file))
        self.file = file.resolve()  # named in full in describe(), whatever the working folder

    @classmethod
    def from_settings(cls, settings) -> "DumpBackend":
        return cls(Path(settings.store.split("://", 1)[1]))

    def describe(self) -> str:
        return f"pyoxigraph store in memory, read from {self.file}"


def _read(file: Path) -> ox.Store:
    """A new in-memory store holding the file's quads (ValueError naming the file if it cannot be read)."""
    rdf_format = ox.RdfFormat.from_extension(file.suffix.lstrip("."))
    if rdf_format is None:
        raise ValueError(f"{file}: a dump is an RDF file (.nq, .trig, .nt, .ttl), not {file.suffix or 'no suffix'!r}")
    store = ox.Store()
    try:
        store.bulk_load(path=str(file), format=rdf_format)
    except (OSError, SyntaxError) as error:
        raise ValueError(f"{file}: {error}") from error
    return store
