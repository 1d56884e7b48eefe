"""Validation once per version of the data: the app factory refuses data that does not validate, and a
version that passed once (same input files, same shapes, same checking code) is not checked again, so that
the service starts in about a second after the first time.

The key is a hash of the graph's input files (or of its content, for a graph built in memory without files)
and of what decides validity: the SHACL shapes and the modules that check provenance and authoring. Only a
pass is remembered; a failure is checked again at the next start, so its problems are always shown.

>>> key = validation_key_of(("a.trig",), "content-hash")
>>> len(key), key == validation_key_of(("a.trig",), "content-hash"), key == validation_key_of((), "other")
(64, True, False)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .locations import SHAPES_FILE
from .provenance import source_texts
from .store import KnowledgeGraph

PACKAGE = Path(__file__).resolve().parent
#: What decides whether data is valid, besides the data: a change to any of these checks everything again.
CHECKING_CODE = (SHAPES_FILE, PACKAGE / "validation.py", PACKAGE / "validation_locate.py", PACKAGE / "provenance.py",
                 *sorted((PACKAGE / "authoring").glob("*.py")))


def cache_dir() -> Path:
    """``LSCP_KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/lscp-kg`` or ``~/.cache/lscp-kg``."""
    if os.environ.get("LSCP_KG_CACHE_DIR"):
        return Path(os.environ["LSCP_KG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lscp-kg"


def validation_key_of(files, data_hash: str) -> str:
    digest = hashlib.sha256(data_hash.encode())
    for path in CHECKING_CODE:
        digest.update(Path(path).read_bytes() if Path(path).is_file() else b"")
    for name in files:
        digest.update(str(name).encode())
    return digest.hexdigest()


def _data_hash(kg: KnowledgeGraph) -> str:
    """The input files' bytes (or, for a graph built from no files, its content) and the source texts its
    quotes are checked against (a changed text can make a quote wrong without changing any data file)."""
    files = [Path(f) for f in kg.files]
    digest = hashlib.sha256(kg.base_iri.encode())
    if files and all(f.is_file() for f in files):
        for path in files:
            digest.update(path.read_bytes())
    else:
        digest.update(kg.fingerprint().encode())
    texts, _problems = source_texts(kg, kg.graph_files)
    for document in sorted(texts):
        digest.update(document.encode() + b"\0" + "\n".join(texts[document]).encode())
    return digest.hexdigest()


def validate_once(kg: KnowledgeGraph):
    """The validation report of ``kg``, or None when this version of the data passed before."""
    # pyshacl and rdflib are imported only when a check is needed: about 1.5 s of the service's start-up.
    from .validation import validate_graph

    marker = cache_dir() / "validated" / validation_key_of(kg.files, _data_hash(kg))
    if marker.is_file():
        return None
    report = validate_graph(kg)
    if report.ok:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text("passed\n", encoding="utf-8")
        except OSError:  # a read-only home: check again next time
            pass
    return report
