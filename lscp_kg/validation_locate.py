"""Where a node or a statement is written in the data files, for validation messages
that name the file and the line.

A node is found by the forms a data file may write it in: its full IRI, its IRI
relative to the base, a prefixed name of one of the file's ``@prefix``
declarations, or (in an authoring YAML file) the last segment of its IRI.

>>> from lscp_kg.locations import SHIPPED_DATA_DIR
>>> common = SHIPPED_DATA_DIR / "common" / "legislation-and-vocabularies.trig"
>>> line_of(common, "http://purl.org/cld/freq/monthly", "https://lscp-kg.example.org/") > 1
True
>>> shown("http://purl.org/cld/freq/monthly")
'freq:monthly'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .namespaces import curie
from .rdf_files import RDF_FORMATS, parse_rdf_file

_PREFIX = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_NAME_END = r"(?![\w-])"


def shown(iri: str) -> str:
    """An IRI as a person reads it in a message: a prefixed name if it has one, else <IRI>."""
    short = curie(iri)
    return short if short != iri else f"<{iri}>"


@lru_cache(maxsize=64)
def _text(path: Path) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        return ()


def _forms(path: Path, iri: str, base_iri: str) -> list[re.Pattern]:
    lines = _text(path)
    forms = [re.escape(f"<{iri}>")]
    relative = iri[len(base_iri):] if iri.startswith(base_iri) else None
    if relative:
        forms.append(re.escape(f"<{relative}>"))
    for line in lines:
        for match in _PREFIX.finditer(line):
            prefix, namespace = match.group(1) or "", match.group(2)
            for full in {namespace, base_iri + namespace if not re.match(r"^\w+:", namespace) else namespace}:
                if full and iri.startswith(full) and re.fullmatch(r"[\w.-]+", iri[len(full):] or "-"):
                    forms.append(r"(?<![\w:/-])" + re.escape(f"{prefix}:{iri[len(full):]}") + _NAME_END)
    if path.suffix in (".yaml", ".yml"):
        last = iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if last:
            forms.append(r"(?<![\w-])" + re.escape(last) + _NAME_END)
    return [re.compile(f) for f in forms]


def line_of(path: Path, iri: str, base_iri: str, after: str | None = None) -> int | None:
    """The first line (1-based) of the file that writes the IRI; with ``after`` (a value's text), the
    first line that has both, else the first line from the IRI's on that has ``after`` (a statement
    continued on the next lines), else the IRI's line."""
    if Path(path).suffix in (".yaml", ".yml"):  # an authoring file knows the line of each statement it compiles to
        # Imported here: the authoring compiler and its JSON Schema cost about 1 s to import (measured beside
        # lscp_kg.provenance), and the service imports this module at start-up through lscp_kg.coverage.
        from .authoring.locate import line_of_node

        found = line_of_node(Path(path), iri, base_iri, after)
        if found:
            return found
    lines = _text(Path(path))
    forms = _forms(Path(path), iri, base_iri)
    mentions = [n for n, line in enumerate(lines, start=1) if any(f.search(line) for f in forms)]
    if not mentions or after is None:
        return mentions[0] if mentions else None
    both = [n for n in mentions if after in lines[n - 1]]
    if both:
        return both[0]
    later = [n for n in range(mentions[0], len(lines) + 1) if after in lines[n - 1]]
    return later[0] if later else mentions[0]


def file_of(place: str) -> str:
    """The file of a ``file:line`` place, as validation messages name places.

    >>> file_of("graph_data/lewisham/partnership.yaml:12")
    'graph_data/lewisham/partnership.yaml'
    """
    return re.sub(r":\d+$", "", place)


def line_of_text(path: Path, text: str) -> int | None:
    """The first line (1-based) that contains the text (a label, a value), if any."""
    for number, line in enumerate(_text(Path(path)), start=1):
        if text and text in line:
            return number
    return None


def default_graph_statements(files, base_iri: str, statements: list[tuple]) -> dict[tuple, tuple[Path, int | None]]:
    """For statements (subject, predicate, object terms) found outside any named graph, the data
    file that writes them there and the line of their subject."""
    wanted, found = set(statements), {}
    for path in files:
        if Path(path).suffix not in RDF_FORMATS or not wanted:
            continue
        try:
            quads = parse_rdf_file(Path(path), base_iri)
        except Exception:  # noqa: BLE001 - a file that no longer parses is reported by the loader
            continue
        for quad in quads:
            key = (quad.subject, quad.predicate, quad.object)
            if isinstance(quad.graph_name, ox.DefaultGraph) and key in wanted and key not in found:
                subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
                found[key] = (Path(path), line_of(Path(path), subject, base_iri) if subject else None)
    return found
