"""The search index of one graph: a SQLite FTS5 database (built by :mod:`lscp_kg.search_build`) and the
searches it answers. How it matches and ranks: :mod:`lscp_kg.search`."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from typing import Iterable

from .search_hits import Hit, SearchResult
from .search_text import allowed_typos, comparable, edit_distance, trigrams

#: Longest query accepted (characters), and most words used.
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_LIMIT = 100
#: Classes that stand for "anything": a parameter of this class takes any entity.
ANY_KIND = ("http://www.w3.org/2002/07/owl#Thing", "http://www.w3.org/2000/01/rdf-schema#Resource")
REMOTE_RECHECK_SECONDS = 5.0
_WORD = re.compile(r"[^\W_]+")
_TOP = "\U0010ffff"
_OWNER_SUFFIX = re.compile(r"^(.*?\S)\s*\(([^()]+)\)\s*$")


#: Ranking in two steps, because a common word matches thousands of names: first the candidates (names equal
#: to the query, names that start with it, and the best FTS matches: by bm25 when there are few enough to score
#: them all quickly, else the shortest, the index's own order), then the best name of each entity among them.
BM25_MAX_MATCHES = 1500
_FTS_CANDIDATES = "SELECT rowid FROM name_fts WHERE name_fts MATCH :match ORDER BY {order} LIMIT 400"
_NORM_CANDIDATES = """SELECT n.id FROM name n JOIN entity e ON e.id = n.entity
WHERE n.norm >= :q AND n.norm < :qtop {filters} ORDER BY n.norm LIMIT 50"""
_ENTITY = "e.id, e.iri, e.label, e.kind, e.kind_iri, e.namesakes"
_HITS_SQL = f"""WITH cand(id, pos) AS (SELECT value, key FROM json_each(:candidates))
SELECT {_ENTITY},
  MIN((CASE WHEN n.norm = :q THEN 0 WHEN substr(n.norm, 1, :qlen) = :q THEN 1 ELSE 2 END) * 100000
      + c.pos * 2 + (1 - n.is_primary)) AS key, n.text
FROM cand c JOIN name n ON n.id = c.id JOIN entity e ON e.id = n.entity
GROUP BY e.id ORDER BY key, length(e.label), e.label, e.iri LIMIT :limit"""
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
        self._partnerships = {iri: (label, short) for iri, label, short in db.execute(
            "SELECT iri, label, short FROM partnership").fetchall()}
        self._partnership_names: dict[str, list[str]] = {}  # label or short name, compared as names are -> IRIs
        for iri, norm, short_norm in db.execute("SELECT iri, norm, short_norm FROM partnership").fetchall():
            for name in {norm, short_norm}:
                self._partnership_names.setdefault(name, []).append(iri)
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
        return sorted(((iri, label) for iri, (label, _short) in self._partnerships.items()),
                      key=lambda item: (item[1], item[0]))

    def owner_suffix(self, text: str) -> tuple[str, list[str]]:
        """A name and the partnerships named in brackets after it ("Operational team (Lewisham)"), or the text
        and none when the brackets name no partnership ("Multi-Agency Child Exploitation (MACE)")."""
        found = _OWNER_SUFFIX.match(text)
        if not found:
            return text, []
        owners = [self._partnership_names.get(comparable(name)) for name in found.group(2).split(";")]
        if not all(owners):
            return text, []
        return found.group(1), sorted({iri for iris in owners for iri in iris})

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
        text, partnerships = self._within_named_partnerships(text[:MAX_QUERY_LENGTH], partnerships)
        words = _WORD.findall(comparable(text))[:MAX_WORDS]
        if partnerships is None or not words:
            return SearchResult([])
        groups, fuzzy = self._word_matches(words)
        found = [g for g in groups if g]
        if not found:
            return SearchResult([], closest=True)
        kinds, partnerships = list(kinds), list(partnerships)
        tags = self._tags(kinds, partnerships)
        if tags is None:
            return SearchResult([])
        joined = " ".join(words)
        params = {"q": joined, "qtop": joined + _TOP, "qlen": len(joined), "limit": max(1, min(int(limit), MAX_LIMIT))}
        filters = self._filters(kinds, partnerships, params)
        tagged = f" AND {tags}" if tags else ""
        rows = self._ranked(f"terms : ({' AND '.join(found)}){tagged}", filters, params, prefix=True) \
            if len(found) == len(groups) else []
        closest = not rows
        if closest:  # no name has every word: the names with the most of them
            rows = self._ranked(f"terms : ({' OR '.join(found)}){tagged}", filters, params, prefix=False)
        return SearchResult([self._hit(row, fuzzy, closest) for row in rows], closest=closest)

    def _within_named_partnerships(self, text: str, partnerships: Iterable[str]):
        """For "Operational team (Lewisham)", the name and the partnerships to search: those named, within
        ``partnerships`` if given (None when none is left); other text and ``partnerships`` as they are."""
        base, owners = self.owner_suffix(text)
        if not owners:
            return text, partnerships
        chosen = [p for p in partnerships if p in owners] if partnerships else owners
        return base, chosen or None

    def _word_matches(self, words: list[str]) -> tuple[list[str | None], bool]:
        """Each word's FTS match: the word as a prefix if the index has it, else the indexed words near it
        (None when there is none); and whether any word was matched by its near words."""
        groups, fuzzy = [], False
        for word in words:
            if self._has_prefix(word):
                groups.append(f'"{word}"*')
                continue
            near = self.near_words(word)
            fuzzy = fuzzy or bool(near)
            groups.append("(" + " OR ".join(f'"{t}"' for t in near) + ")" if near else None)
        return groups, fuzzy

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
        *entity, key, matched = row
        tier = int(key // 100000)  # the key is tier * 100000 + the candidate's position
        match = "close" if closest or fuzzy else ("exact", "prefix", "words")[max(0, min(tier, 2))]
        return self._describe(*entity, matched=matched, match=match)

    def _describe(self, entity_id, iri, label, kind, kind_iri, namesakes, matched=None, match="exact") -> Hit:
        owners = [(p, *self._partnerships[p]) for (p,) in self._sql(
            "SELECT pe.iri FROM entity_partnership ep JOIN entity pe ON pe.id = ep.partnership WHERE ep.entity = ?",
            (entity_id,)) if p in self._partnerships]
        classes = frozenset(c for (c,) in self._sql("SELECT class FROM entity_class WHERE entity = ?", (entity_id,)))
        return Hit(iri, label, kind, kind_iri, tuple(sorted(owners, key=lambda p: (p[1], p[0]))),
                   label if matched is None else matched, classes, match, bool(namesakes))

    def entity(self, iri: str) -> Hit | None:
        """The indexed entity with this IRI, or None."""
        rows = self._sql(f"SELECT {_ENTITY} FROM entity e WHERE e.iri = ?", (iri,))
        return self._describe(*rows[0]) if rows else None

    def named(self, text: str, kinds: Iterable[str] = ()) -> list[Hit]:
        """Entities (of these kinds) with a name equal to ``text`` once normalised; or, for a name with
        partnerships in brackets ("Operational team (Lewisham)"), those of that name in every one of them."""
        found = self._named(text, kinds)
        base, owners = self.owner_suffix(text)
        if found or not owners:
            return found
        return [hit for hit in self._named(base, kinds) if set(owners) <= {p[0] for p in hit.partnerships}]

    def _named(self, text: str, kinds: Iterable[str]) -> list[Hit]:
        params: dict = {"norm": comparable(text)}
        filters = self._filters(kinds, (), params)
        rows = self._sql(f"SELECT DISTINCT {_ENTITY} FROM name n JOIN entity e ON e.id = n.entity "
                         f"WHERE n.norm = :norm {filters} ORDER BY e.label, e.iri", params)
        return [self._describe(*row) for row in rows]

    def of_kinds(self, kinds: Iterable[str], limit: int = 2) -> list[Hit]:
        """Up to ``limit`` entities of these kinds (to find "the only" one)."""
        params: dict = {"limit": limit}
        filters = self._filters(kinds, (), params)
        rows = self._sql(f"SELECT {_ENTITY} FROM entity e WHERE 1 {filters} ORDER BY e.label, e.iri LIMIT :limit",
                         params)
        return [self._describe(*row) for row in rows]

    def display_names(self, iris: Iterable[str]) -> dict[str, str]:
        """The display name (:attr:`Hit.display`) of each of these IRIs whose name is not unique (the others are
        shown by their name alone)."""
        wanted = set(iris)
        rows = self._sql(f"SELECT {_ENTITY} FROM entity e WHERE e.namesakes > 0")
        return {row[1]: self._describe(*row).display for row in rows if row[1] in wanted}
