"""The input files of a graph: which files there are, and one RDF file read into quads.

A module of its own, below the loader (:mod:`lscp_kg.store`) and the authoring
compiler (its vocabulary check reads the ontology with it), so that neither
imports the other through here. Authoring files (``.yaml``) are found here but
compiled by :func:`lscp_kg.store.parse_file`.

>>> names = [p.name for p in data_files([ONTOLOGY_DIR])]
>>> "lscp.ttl" in names and names == sorted(names)
True
>>> quads = parse_rdf_file(ONTOLOGY_DIR / "lscp.ttl", "https://x.example/", ox.NamedNode("urn:g"))
>>> len(quads) > 100 and {q.graph_name.value for q in quads}
{'urn:g'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

from .data_errors import DataFileError
from .locations import ONTOLOGY_DIR, SHAPES_FILE, SHIPPED_DATA_DIR

RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
#: Authoring files (lscp_kg.authoring), compiled to quads as they are loaded.
AUTHORING_SUFFIXES = (".yaml", ".yml")
#: Every suffix a data file may have.
DATA_SUFFIXES = (*RDF_FORMATS, *AUTHORING_SUFFIXES)

def ontology_files() -> list[Path]:
    """The ontology modules (every ``ontology/*.ttl`` but the SHACL shapes)."""
    return sorted(p for p in ONTOLOGY_DIR.glob("*.ttl") if p != SHAPES_FILE)


def data_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand files and folders into the data files they hold, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in DATA_SUFFIXES and p.is_file()))
        elif path.is_file():
            if path.suffix not in DATA_SUFFIXES:
                raise DataFileError(path, f"unsupported file type {path.suffix!r}; use one of {', '.join(DATA_SUFFIXES)}")
            found.append(path)
        else:
            raise DataFileError(path, "no such file or folder")
    return found


def input_files(extra_data: Sequence[Path | str] = (), *, include_shipped: bool = True,
                include_ontology: bool = True) -> tuple[list[Path], list[Path]]:
    """The ontology modules and the data files a graph is built from (missing paths raise DataFileError)."""
    sources = ([SHIPPED_DATA_DIR] if include_shipped else []) + list(extra_data)
    return (ontology_files() if include_ontology else []), data_files(sources)


def parse_rdf_file(path: Path, base_iri: str, graph: ox.NamedNode | None = None) -> list[ox.Quad]:
    """Parse one RDF file (a suffix of :data:`RDF_FORMATS`) into quads; triples go into ``graph``
    (the default graph if None). A file that cannot be read or parsed raises DataFileError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataFileError(path, f"cannot read: {error.strerror or error}") from error
    try:
        # Blank node labels are scoped to their file, as RDF says they are.
        quads = list(ox.parse(data, format=RDF_FORMATS[path.suffix], base_iri=base_iri, rename_blank_nodes=True))
    except SyntaxError as error:
        raise DataFileError(path, str(error.msg), error.lineno, error.offset) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise DataFileError(path, str(error)) from error
    if graph is not None:
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph) if isinstance(q.graph_name, ox.DefaultGraph) else q
                 for q in quads]
    return quads
