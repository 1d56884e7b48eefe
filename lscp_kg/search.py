"""Find entities by name: the one search used by the search page, ``/api/search`` and the form pickers.

A SQLite FTS5 index (:mod:`lscp_kg.search_build`) of every entity's names.
Matching ignores case, accents, punctuation and apostrophe style; every word
matches as a prefix ("multi agency chi"); a word found nowhere is replaced by
the words of the index within a small edit distance ("Goshal" → "ghoshal"),
found by their shared trigrams in SQL. An exact name ranks first, then a
name that starts with the query, then the rest by bm25. When no name holds
every word, the hits that hold some of them come back marked ``closest``.

Every hit carries its partnerships (:mod:`lscp_kg.search_owners`: those whose
graphs state or name it). An entity whose name another entity also has is
shown with its partnerships' short names beside it, its ``display`` name
("Operational team (Lewisham)"); that name finds it again, as a name and as a
search (a partnership in brackets after a name is a filter).

The index is built when a graph is first searched: in memory for a graph
loaded in memory or from a remote store (rebuilt when a new version is
published), and kept in a file beside an on-disk store (``--store-path``),
named after the store's fingerprint, so that changed data means a new index.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> [h.label for h in search(kg, "multi agency chi").hits][:1]
['Multi-Agency Child Exploitation (MACE)']
>>> [h.label for h in search(kg, "Pinaki Goshal").hits][:1]
['Pinaki Ghoshal']
>>> [h.display for h in search(kg, "Schools", limit=2).hits]
['Schools (Lewisham)', 'schools']
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Iterable

from .search_build import SCHEMA_VERSION, build_index
from .search_hits import SearchResult
from .search_index import REMOTE_RECHECK_SECONDS, SearchIndex


# -- one index per loaded graph ------------------------------------------------------------------

_INDEXES: "weakref.WeakKeyDictionary[object, SearchIndex]" = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()


def index_file(store_dir: Path) -> Path:
    """The index file kept beside an on-disk store (its folder is named after the data's fingerprint)."""
    return store_dir.parent / f"search-{store_dir.name}-v{SCHEMA_VERSION}.sqlite"


def _on_disk(kg, store_dir: Path) -> SearchIndex:
    path = index_file(store_dir)
    if not path.exists():
        built = build_index(kg, version=store_dir.name)
        handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".building", dir=path.parent)
        os.close(handle)
        target = sqlite3.connect(temporary)
        built.backup(target)
        target.close()
        os.replace(temporary, path)  # atomic: a reader sees the whole file or none
        for old in path.parent.glob("search-store-*.sqlite"):
            if old != path and not (path.parent / old.name[len("search-"):].rsplit("-v", 1)[0]).is_dir():
                old.unlink(missing_ok=True)
        return SearchIndex(built, store_dir.name)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return SearchIndex(db, store_dir.name)


def index_for(kg) -> SearchIndex:
    """The search index of this graph, built (or read from beside its on-disk store) on first use."""
    backend = kg.backend
    index = _INDEXES.get(backend)
    if index is not None and kg.data_may_change and time.monotonic() - index.checked_at > REMOTE_RECHECK_SECONDS:
        index.checked_at = time.monotonic()
        if kg.backend.data_version(refresh=True) != index.version:
            index = None
    if index is not None:
        return index
    with _BUILDING:
        index = _INDEXES.get(backend)
        if index is not None and not kg.data_may_change:
            return index
        store_dir = getattr(backend, "path", None)
        if store_dir is not None:
            index = _on_disk(kg, Path(store_dir))
        else:
            version = kg.backend.data_version(refresh=True) or "memory"
            index = SearchIndex(build_index(kg, version=version), version)
        _INDEXES[backend] = index
        return index


def search(kg, text: str, kinds: Iterable[str] = (), partnerships: Iterable[str] = (), limit: int = 20) -> SearchResult:
    """Search the graph's names: the one search function (see :meth:`SearchIndex.search`)."""
    return index_for(kg).search(text, kinds, partnerships, limit)
