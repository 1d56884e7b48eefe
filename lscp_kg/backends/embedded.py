"""The embedded store: pyoxigraph in this process, in memory or on disk.

On disk (``--store-path DIR``) the graph is built once and then reopened
read-only, fast, by every later process::

    DIR/manifest.json      fingerprint of the inputs, the store folder, files, graph owners
    DIR/store-<hash>/      the pyoxigraph (RocksDB) store for that fingerprint

The fingerprint covers the base IRI and the path and content (SHA-256) of
every input file, so a changed file means a new build. A build is written to
a fresh folder and only then named in the manifest (written atomically), so a
process opening the folder never sees a half-built store; the previous store
folder is kept for processes that still have it open, older ones are removed.

>>> backend = EmbeddedBackend(ox.Store())
>>> bool(backend.query("ASK { }"))
True
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox


MANIFEST = "manifest.json"
LAYOUT_VERSION = 1


class EmbeddedBackend:
    """A pyoxigraph :class:`~pyoxigraph.Store`; ``path`` is set when it was opened from disk."""

    needs_network = False

    def __init__(self, store: ox.Store, path: Path | None = None):
        self.store, self.path = store, path

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> "EmbeddedBackend":
        """A new in-memory store holding these quads.

        >>> len(EmbeddedBackend.from_quads([ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))]))
        1
        """
        store = ox.Store()
        store.bulk_extend(quads)
        return cls(store)

    @classmethod
    def from_settings(cls, settings) -> "EmbeddedBackend":
        raise ValueError(f"{settings.store!r}: an embedded store on disk is chosen with --store-path DIR")

    def set_time_limit(self, seconds: float) -> None:
        """pyoxigraph has no time limit: the service's workers enforce it."""

    def data_version(self, refresh: bool = False) -> str | None:
        return None  # its data never changes: built once, then read only

    def check_base_iri(self, base_iri: str) -> str | None:
        return None  # built here, from the same base

    def query(self, sparql: str, substitutions: dict | None = None, **options):
        options.pop("timeout", None)  # pyoxigraph has none: the service's workers enforce the limit
        options.pop("max_answer_bytes", None)  # nothing travels: the answer is read as it is used
        return self.store.query(sparql, substitutions=substitutions, **options)

    def quads(self) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, None)

    def named_graphs(self) -> list[ox.NamedNode]:
        return sorted(self.store.named_graphs(), key=str)

    def __len__(self) -> int:
        return len(self.store)

    def describe(self) -> str:
        return f"embedded pyoxigraph store at {self.path}" if self.path else "embedded pyoxigraph store (in memory)"

    def statements(self, subject=None, predicate=None, object=None, graph=None) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(subject, predicate, object, graph)

    def triple_count(self) -> int:
        if getattr(self, "_triples", None) is None:  # read only once built
            self._triples = len({quad.triple for quad in self.quads()})
        return self._triples

    def fingerprint(self) -> str:
        if getattr(self, "_fingerprint", None) is None:
            if self.path is not None:
                self._fingerprint = hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:16]
            else:
                digest = hashlib.sha256()
                ox.serialize(self.quads(), _Digest(digest), format=ox.RdfFormat.N_QUADS)
                self._fingerprint = digest.hexdigest()[:16]
        return self._fingerprint

    def for_forked_process(self) -> "EmbeddedBackend":
        """An on-disk store reopened read-only (its handle is not the parent's); one in memory shared as is."""
        return self if self.path is None else type(self)(ox.Store.read_only(str(self.path)), self.path)


class _Digest:
    """A file-like sink that hashes what pyoxigraph writes."""

    def __init__(self, digest):
        self.digest = digest

    def write(self, chunk) -> int:
        self.digest.update(chunk)
        return len(chunk)

    def flush(self) -> None:  # pyoxigraph flushes the sink when it has written everything
        pass


def fingerprint(files: list[Path], base_iri: str) -> str:
    """A hash of everything a build depends on."""
    digest = hashlib.sha256(f"{LAYOUT_VERSION}\n{ox.__version__.rsplit('.', 1)[0]}\n{base_iri}\n".encode())
    for path in files:
        digest.update(f"{path.resolve()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@contextmanager
def _locked(directory: Path):
    """One builder at a time per folder (other processes wait, then reuse the build)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(directory: Path) -> dict | None:
    try:
        return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def open_on_disk(directory: Path, files: list[Path], base_iri: str,
                 build: Callable[[], tuple[list[ox.Quad], dict[str, Path]]]) -> tuple[EmbeddedBackend, dict[str, Path], bool]:
    """Open the store in ``directory`` for these inputs, building it first if they changed.

    ``build`` parses the inputs (raising :class:`~lscp_kg.store.DataFileError`
    before anything is written). Returns the backend, the graph owners and
    whether a build happened.
    """
    wanted = fingerprint(files, base_iri)
    manifest = read_manifest(directory)
    built = False
    if not _usable(directory, manifest, wanted):
        with _locked(directory):
            manifest = read_manifest(directory)
            if not _usable(directory, manifest, wanted):
                quads, owners = build()
                manifest = _build(directory, wanted, quads, owners, files, manifest)
                built = True
    store_dir = directory / manifest["store"]
    owners = {graph: Path(path) for graph, path in manifest["graph_files"].items()}
    return EmbeddedBackend(ox.Store.read_only(str(store_dir)), store_dir), owners, built


def _usable(directory: Path, manifest: dict | None, wanted: str) -> bool:
    return bool(manifest) and manifest.get("fingerprint") == wanted and (directory / manifest["store"]).is_dir()


def _build(directory: Path, wanted: str, quads: list[ox.Quad], owners: dict[str, Path],
           files: list[Path], previous: dict | None) -> dict:
    name = f"store-{wanted[:16]}"
    building = directory / f"{name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    store = ox.Store(str(building))
    store.bulk_extend(quads)
    store.flush()
    del store  # closes RocksDB before the folder is renamed
    final = directory / name
    shutil.rmtree(final, ignore_errors=True)
    building.rename(final)
    manifest = {"fingerprint": wanted, "store": name, "quads": len(quads),
                "files": [str(p) for p in files], "graph_files": {g: str(p) for g, p in owners.items()}}
    temporary = directory / f"{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(temporary, directory / MANIFEST)
    keep = {name, (previous or {}).get("store")}
    for old in directory.glob("store-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return manifest
