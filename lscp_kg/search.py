"""Find entities by name: the one search used by the search page, ``/api/search`` and the form pickers.

A SQLite FTS5 index (:mod:`lscp_kg.search_build`) of every entity's names.
Matching ignores case, accents, punctuation and apostrophe style; every word
matches as a prefix ("multi agency chi"); a word found nowhere is replaced by
the words of the index within a small edit distance ("Goshal" → "ghoshal"),
found by their shared trigrams in SQL. An exact name ranks first, then a
name that starts with the query, then the rest by bm25. When no name holds
every word, the hits that hold some of them come back marked ``closest``.

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
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .search_build import SCHEMA_VERSION, build_index, normalise, trigrams

#: Longest query accepted (characters), and most words used.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_LIMIT = 100
#: Classes that stand for "anything": a parameter of this class takes any entity.
ANY_KIND = ("http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#Resource")
REMOTE_RECHECK_SECONDS = 5.0
_WORD = re.compile(r"[^\W_]+")
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, name, kind, partnerships (IRI, label) and the name that matched."""

    iri: str
    label: str
    kind: str
    kind_iri: str | None
    partnerships: tuple[tuple[str, str], ...]
    matched: str
    classes: frozenset[str]
    match: str  # "exact", "prefix", "words" or "close"

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "kindIri": self.kind_iri,
                "matched": self.matched, "match": self.match,
                "partnerships": [{"iri": iri, "label": label} for iri, label in self.partnerships]}


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    closest: bool = False  # no name holds every word: these hits hold some of them


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with adjacent transpositions (optimal string alignment).

    >>> edit_distance("goshal", "ghoshal"), edit_distance("mcae", "mace")
    (1, 1)
    """
    if abs(len(a) - len(b)) > 3:
        return 4
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    """How many edits a word may be off by: none under 4 letters, one up to 7, then two."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


#: Ranking in two steps, because a common word matches thousands of names: first the candidates (names equal
#: to the query, names that start with it, and the best FTS matches: by bm25 when there are few enough to score
#: them all quickly, else the shortest, the index's own order), then the best name of each entity among them.
BM25_MAX_MATCHES = 1500
_FTS_CANDIDATES = "SELECT rowid FROM name_fts WHERE name_fts MATCH :match ORDER BY {order} LIMIT 400"
_NORM_CANDIDATES = """SELECT n.id FROM name n JOIN entity e ON e.id = n.entity
WHERE n.norm >= :q AND n.norm < :qtop {filters} ORDER BY n.norm LIMIT 50"""
_HITS_SQL = """WITH cand(id, pos) AS (SELECT value, key FROM json_each(:candidates))
SELECT e.id, e.iri, e.label, e.kind, e.kind_iri,
  MIN((CASE WHEN n.norm = :q THEN 0 WHEN substr(n.norm, 1, :qlen) = :q THEN 1 ELSE 2 END) * 100000
      + c.pos * 2 + (1 - n.is_primary)) AS key, n.text
FROM cand c JOIN name n ON n.id = c.id JOIN entity e ON e.id = n.entity
GROUP BY e.id ORDER BY key, length(e.label), e.label LIMIT :limit"""
_NEAR_SQL = """SELECT term FROM (
  SELECT term, COUNT(*) AS shared FROM gram WHERE gram IN ({grams}) GROUP BY term ORDER BY shared DESC LIMIT 60)
WHERE editdist(term, :word) <= :d OR (length(term) > :len AND editdist(substr(term, 1, :len), :word) <= :d)
ORDER BY editdist(term, :word), shared DESC LIMIT 6"""


class SearchIndex:
    """A built index (a SQLite connection) and the version of the data it was built from."""

    def __init__(self, db: sqlite3.Connection, version: str = ""):
        self.db, self.version = db, version
        self._lock = threading.Lock()
        db.create_function("editdist", 2, edit_distance, deterministic=True)
        self._partnership_labels = dict(db.execute(
            "SELECT DISTINCT e.iri, e.label FROM entity_partnership p JOIN entity e ON e.id = p.partnership").fetchall())
        self.checked_at = time.monotonic()

    def _sql(self, sql: str, params=()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, params).fetchall()

    def kind_label(self, iri: str) -> str:
        """The label of a class ("Partnership body"), or its local name."""
        rows = self._sql("SELECT label FROM class WHERE iri = ?", (iri,))
        return rows[0][0] if rows else re.split(r"[#/]", iri)[-1]

    def partnerships(self) -> list[tuple[str, str]]:
        """Every partnership in the index, (IRI, label), by label."""
        return sorted(self._partnership_labels.items(), key=lambda item: (item[1], item[0]))

    def _has_prefix(self, word: str) -> bool:
        return bool(self._sql("SELECT 1 FROM term WHERE term >= ? AND term < ? LIMIT 1", (word, word + _TOP)))

    def near_words(self, word: str) -> list[str]:
        """Words of the index within the allowed edit distance of ``word`` (or of its start)."""
        d = allowed_typos(word)
        if not d:
            return []
        grams = sorted(trigrams(word))
        params = {f"g{i}": g for i, g in enumerate(grams)} | {"word": word, "d": d, "len": len(word)}
        sql = _NEAR_SQL.format(grams=", ".join(f":g{i}" for i in range(len(grams))))
        return [term for (term,) in self._sql(sql, params)]

    def _tags(self, kinds: Iterable[str], partnerships: Iterable[str]) -> str | None:
        """The filters as a match on the tags column ("" for none; None when a kind or partnership is unknown)."""
        clauses = []
        for iris in ([k for k in kinds if k not in ANY_KIND], list(partnerships)):
            if iris:
                marks = ", ".join("?" * len(iris))
                found = [t for (t,) in self._sql(f"SELECT tag FROM tag WHERE iri IN ({marks})", iris)]
                if not found:
                    return None
                clauses.append("tags : (" + " OR ".join(f'"{t}"' for t in found) + ")")
        return " AND ".join(clauses)

    def _filters(self, kinds: Iterable[str], partnerships: Iterable[str], params: dict) -> str:
        clauses = []
        kinds = [k for k in kinds if k not in ANY_KIND]
        if kinds:
            params.update({f"k{i}": k for i, k in enumerate(kinds)})
            marks = ", ".join(f":k{i}" for i in range(len(kinds)))
            clauses.append(f"AND e.id IN (SELECT entity FROM entity_class WHERE class IN ({marks}))")
        partnerships = list(partnerships)
        if partnerships:
            params.update({f"p{i}": p for i, p in enumerate(partnerships)})
            marks = ", ".join(f":p{i}" for i in range(len(partnerships)))
            clauses.append("AND e.id IN (SELECT ep.entity FROM entity_partnership ep JOIN entity pe "
                           f"ON pe.id = ep.partnership WHERE pe.iri IN ({marks}))")
        return " ".join(clauses)

    def search(self, text: str, kinds: Iterable[str] = (), partnerships: Iterable[str] = (),
               limit: int = 20) -> SearchResult:
        """The entities whose names match ``text``, best first (see the module docstring)."""
        query = normalise(text[:MAX_QUERY_LENGTH])
        words = _WORD.findall(query)[:MAX_WORDS]
        if not words:
            return SearchResult([])
        groups, fuzzy = [], False
        for word in words:
            if self._has_prefix(word):
                groups.append(f'"{word}"*')
                continue
            near = self.near_words(word)
            fuzzy = fuzzy or bool(near)
            groups.append("(" + " OR ".join(f'"{t}"' for t in near) + ")" if near else None)
        found = [g for g in groups if g]
        if not found:
            return SearchResult([], closest=True)
        joined = " ".join(words)
        params = {"q": joined, "qtop": joined + _TOP, "qlen": len(joined), "limit": max(1, min(int(limit), MAX_LIMIT))}
        kinds, partnerships = list(kinds), list(partnerships)
        tags = self._tags(kinds, partnerships)
        if tags is None:
            return SearchResult([])
        filters = self._filters(kinds, partnerships, params)
        every = f"terms : ({' AND '.join(found)})" + (f" AND {tags}" if tags else "")
        rows = self._ranked(every, filters, params, prefix=True) if len(found) == len(groups) else []
        closest = not rows
        if closest:
            rows = self._ranked(f"terms : ({' OR '.join(found)})" + (f" AND {tags}" if tags else ""), filters, params,
                                prefix=False)
        return SearchResult([self._hit(row, fuzzy, closest) for row in rows], closest=closest)

    def _ranked(self, match: str, filters: str, params: dict, prefix: bool) -> list[tuple]:
        params = {**params, "match": match}
        count = self._sql("SELECT count(*) FROM name_fts WHERE name_fts MATCH :match", params)[0][0]
        order = "rank" if count <= BM25_MAX_MATCHES else "rowid"
        ids = [i for (i,) in self._sql(_FTS_CANDIDATES.format(order=order), params)]
        if prefix:
            seen = set(ids)
            ids += [i for (i,) in self._sql(_NORM_CANDIDATES.format(filters=filters), params) if i not in seen]
        if not ids:
            return []
        return self._sql(_HITS_SQL, {**params, "candidates": json.dumps(ids)})

    def _hit(self, row: tuple, fuzzy: bool, closest: bool) -> Hit:
        entity_id, iri, label, kind, kind_iri, key, matched = row
        tier = int(key // 100000)  # the key is tier * 100000 + the candidate's position
        match = "close" if closest or fuzzy else ("exact", "prefix", "words")[max(0, min(tier, 2))]
        return self._describe(entity_id, iri, label, kind, kind_iri, matched, match)

    def _describe(self, entity_id, iri, label, kind, kind_iri, matched, match) -> Hit:
        partnerships = tuple(sorted(self._sql(
            "SELECT pe.iri, pe.label FROM entity_partnership ep JOIN entity pe ON pe.id = ep.partnership "
            "WHERE ep.entity = ?", (entity_id,)), key=lambda p: p[1]))
        classes = frozenset(c for (c,) in self._sql("SELECT class FROM entity_class WHERE entity = ?", (entity_id,)))
        return Hit(iri, label, kind, kind_iri, partnerships, matched, classes, match)

    def entity(self, iri: str) -> Hit | None:
        """The indexed entity with this IRI, or None."""
        rows = self._sql("SELECT id, iri, label, kind, kind_iri FROM entity WHERE iri = ?", (iri,))
        return self._describe(*rows[0], rows[0][2], "exact") if rows else None

    def named(self, text: str, kinds: Iterable[str] = ()) -> list[Hit]:
        """Entities (of these kinds) with a name equal to ``text`` once normalised."""
        params: dict = {"norm": normalise(text)}
        filters = self._filters(kinds, (), params)
        rows = self._sql("SELECT DISTINCT e.id, e.iri, e.label, e.kind, e.kind_iri FROM name n "
                         f"JOIN entity e ON e.id = n.entity WHERE n.norm = :norm {filters} ORDER BY e.label", params)
        return [self._describe(*row, row[2], "exact") for row in rows]

    def of_kinds(self, kinds: Iterable[str], limit: int = 2) -> list[Hit]:
        """Up to ``limit`` entities of these kinds (to find "the only" one)."""
        params: dict = {"limit": limit}
        filters = self._filters(kinds, (), params)
        rows = self._sql(f"SELECT e.id, e.iri, e.label, e.kind, e.kind_iri FROM entity e WHERE 1 {filters} "
                         "ORDER BY e.label LIMIT :limit", params)
        return [self._describe(*row, row[2], "exact") for row in rows]


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


def _remote_version(kg) -> str:
    published = kg.backend.published(refresh=True)
    return f"{published.version}:{published.token}" if published else "unpublished"


def index_for(kg) -> SearchIndex:
    """The search index of this graph, built (or read from beside its on-disk store) on first use."""
    backend = kg.backend
    index = _INDEXES.get(backend)
    if index is not None and kg.is_remote and time.monotonic() - index.checked_at > REMOTE_RECHECK_SECONDS:
        index.checked_at = time.monotonic()
        if _remote_version(kg) != index.version:
            index = None
    if index is not None:
        return index
    with _BUILDING:
        index = _INDEXES.get(backend)
        if index is not None and not kg.is_remote:
            return index
        store_dir = getattr(backend, "path", None)
        if store_dir is not None:
            index = _on_disk(kg, Path(store_dir))
        else:
            version = _remote_version(kg) if kg.is_remote else "memory"
            index = SearchIndex(build_index(kg, version=version), version)
        _INDEXES[backend] = index
        return index


def search(kg, text: str, kinds: Iterable[str] = (), partnerships: Iterable[str] = (), limit: int = 20) -> SearchResult:
    """Search the graph's names: the one search function (see :meth:`SearchIndex.search`)."""
    return index_for(kg).search(text, kinds, partnerships, limit)
