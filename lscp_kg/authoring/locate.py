"""The line of an authoring YAML file that writes a statement, for messages that name file and line
(lscp_kg.validation_locate asks here for .yaml files).

>>> from lscp_kg.locations import SHIPPED_DATA_DIR
>>> path = SHIPPED_DATA_DIR / "lewisham" / "partnership.yaml"
>>> base = "https://lscp-kg.example.org/"
>>> lines = path.read_text(encoding="utf-8").split("\\n")
>>> line = line_of_node(path, base + "id/lewisham/body/mace", base, after="executive-partnership")
>>> lines[line - 1].strip(), lines[line - 2].strip(), lines[line - 6].strip()
('- executive-partnership', 'reports_to:', '- body: mace')
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .compiler import Compilation, compile_document
from .errors import AuthoringError
from .yamlload import load_yaml_file


@lru_cache(maxsize=16)
def _compiled(path: str, mtime: float, base_iri: str) -> Compilation | None:
    try:
        return compile_document(load_yaml_file(path), Path(path), base_iri)
    except AuthoringError:
        return None


def compilation(path: Path, base_iri: str) -> Compilation | None:
    """What the file compiles to, with the line and entry of each statement (cached while it is unchanged)."""
    path = Path(path)
    return _compiled(str(path), path.stat().st_mtime, base_iri)


def statement_lines(path: Path, base_iri: str) -> tuple[tuple[ox.Quad, int], ...]:
    """(quad, line) for every statement the file compiles to (cached while the file is unchanged)."""
    result = compilation(path, base_iri)
    return tuple((quad, line) for quad, line in result.lines.items() if line) if result else ()


def line_of_node(path: Path, iri: str, base_iri: str, after: str | None = None) -> int | None:
    """The first line that states something about the node (with ``after``, a statement whose value
    ends with that text, if there is one); else the first line that refers to it; else None."""
    rows = statement_lines(path, base_iri)
    about = [(q, n) for q, n in rows if q.subject.value == iri]
    if after:
        valued = [n for q, n in about if str(q.object.value).endswith(after)]
        if valued:
            return min(valued)
    if about:
        return min(n for _q, n in about)
    referring = [n for q, n in rows if isinstance(q.object, ox.NamedNode) and q.object.value == iri]
    return min(referring) if referring else None
