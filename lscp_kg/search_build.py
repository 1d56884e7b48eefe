"""Build the full-text index of a graph: names, kinds and partnerships of every entity, in SQLite FTS5.

Read through ``kg.query`` (the one store interface), so an embedded, on-disk
or remote graph is indexed alike. Indexed names: labels (``rdfs:label``,
``skos:prefLabel``), people's ``foaf:name``, titles (``dcterms:title``),
alternative labels (``skos:altLabel`` and its sub-properties, such as
``lscp:nameUsed``, the names the source uses) and ``lscp:describedAs`` (the
source's own words for a post or body). An entity's kind is the
``rdfs:label`` of its most specific class; its partnerships are those whose
graphs state or name it (:mod:`lscp_kg.search_owners`: by graph context,
never by publisher). Its label is the one :func:`lscp_kg.labels.Labels.names`
gives (an alternative name only where that gives none). Dotted abbreviations are indexed as one word
too ("S.H.I.E.L.D." is also "shield"), and names are compared with them joined.

Tables: ``entity`` (iri, label, kind, and how many other entities have the
same name: its ``namesakes``), ``partnership`` (each one's label and short
name), ``entity_class`` (every class of an
entity, superclasses included), ``entity_partnership``, ``name`` (each name
and its normal form), ``name_fts`` (FTS5, ``unicode61 remove_diacritics 2``,
prefix indexes; its ``tags`` column holds a token per class and partnership of
the entity, so that filters are part of the full-text match), ``term`` and ``gram`` (the vocabulary and its trigrams, for
typo tolerance).

>>> from lscp_kg.store import load_knowledge_graph
>>> db = build_index(load_knowledge_graph())
>>> db.execute("SELECT kind FROM entity WHERE iri LIKE '%/body/mace'").fetchone()
('Subgroup',)
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict

from .labels import LABEL_PROPERTIES, is_english, labels_for
from .namespaces import PREFIXES
from .search_owners import areas_of, owners, short_names
from .search_text import comparable, index_terms, names_of, trigrams

SCHEMA_VERSION = 3
PRIMARY_NAMES = ("rdfs:label", "skos:prefLabel", "foaf:name", "schema:name")
OTHER_NAMES = ("skos:altLabel", "dcterms:title", "lscp:describedAs")
#: Kinds of the ontology's own terms: not entities a person looks for.
SCHEMA_KINDS = {PREFIXES["owl"] + n for n in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
                                              "Ontology", "SymmetricProperty", "TransitiveProperty",
                                              "FunctionalProperty", "InverseFunctionalProperty")} | {
    PREFIXES["rdfs"] + "Class", PREFIXES["rdf"] + "Property", "http://www.w3.org/ns/shacl#NodeShape"}
#: Where each naming property ranks when an entity's label is chosen: the order of :mod:`lscp_kg.labels`.
LABEL_RANK = {p.value: i for i, p in enumerate(LABEL_PROPERTIES)}


def _expand(names: tuple[str, ...]) -> str:
    return " ".join(f"{p}:{n}" if ":" not in p else p for p, n in (name.split(":", 1) for name in names))


NAMES_QUERY = f"""SELECT ?e ?p ?name WHERE {{
  VALUES ?p {{ {_expand(PRIMARY_NAMES + OTHER_NAMES)} }}
  ?e ?p ?name FILTER(isIRI(?e) && isLiteral(?name))
}}"""
ALT_SUBPROPERTIES = "SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf+ skos:altLabel }"
TYPES_QUERY = "SELECT ?e ?t WHERE { ?e a ?t FILTER(isIRI(?e) && isIRI(?t)) }"
CLASSES_QUERY = """SELECT ?c ?sup WHERE {
  { ?c rdfs:subClassOf ?sup FILTER(isIRI(?c) && isIRI(?sup)) } UNION { ?c a owl:Class FILTER(isIRI(?c)) }
}"""

DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE entity(id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL,
                    kind_iri TEXT, namesakes INTEGER NOT NULL);
CREATE TABLE partnership(iri TEXT PRIMARY KEY, label TEXT NOT NULL, short TEXT NOT NULL, norm TEXT NOT NULL,
                         short_norm TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE entity_class(entity INTEGER NOT NULL, class TEXT NOT NULL, PRIMARY KEY(class, entity)) WITHOUT ROWID;
CREATE TABLE entity_partnership(entity INTEGER NOT NULL, partnership INTEGER NOT NULL,
                                PRIMARY KEY(partnership, entity)) WITHOUT ROWID;
CREATE INDEX entity_partnership_by_entity ON entity_partnership(entity);
CREATE INDEX entity_class_by_entity ON entity_class(entity);
CREATE TABLE name(id INTEGER PRIMARY KEY, entity INTEGER NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL,
                  is_primary INTEGER NOT NULL);
CREATE INDEX name_by_norm ON name(norm);
CREATE INDEX name_by_entity ON name(entity);
CREATE VIRTUAL TABLE name_fts USING fts5(terms, tags, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
CREATE TABLE class(iri TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tag(tag TEXT PRIMARY KEY, iri TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX tag_by_iri ON tag(iri);
CREATE TABLE term(term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE gram(gram TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY(gram, term)) WITHOUT ROWID;
"""


def _rows(kg, sparql: str):
    for row in kg.query(sparql):
        yield tuple(None if term is None else term.value for term in row)


def label_key(name: tuple[int, int, str, bool]) -> tuple:
    """The order of an entity's names in the index: English first, then the order of :mod:`lscp_kg.labels`'
    properties, then the alternative names; the first names an entity that :mod:`lscp_kg.labels` does not."""
    rank, language, text, _primary = name
    return rank >= len(LABEL_RANK), language, rank, text


def collect(kg) -> dict:
    """Everything the index holds, read from the graph (four queries, and those of :mod:`.search_owners`)."""
    alt = [p for (p,) in _rows(kg, ALT_SUBPROPERTIES)]
    names: dict[str, list[tuple[int, int, str, bool]]] = defaultdict(list)
    primary = {PREFIXES[p.split(":")[0]] + p.split(":")[1] for p in PRIMARY_NAMES}
    sparql = NAMES_QUERY if not alt else NAMES_QUERY.replace("VALUES ?p {", "VALUES ?p { " + " ".join(f"<{p}>" for p in alt))
    for row in kg.query(sparql):
        entity, prop, literal = row[0].value, row[1].value, row[2]
        names[entity].append((LABEL_RANK.get(prop, len(LABEL_RANK)), int(not is_english(getattr(literal, "language", None))),
                              literal.value, prop in primary))
    types: dict[str, set[str]] = defaultdict(set)
    for entity, kind in _rows(kg, TYPES_QUERY):
        types[entity].add(kind)
    parents: dict[str, set[str]] = defaultdict(set)
    classes: set[str] = set()
    for cls, sup in _rows(kg, CLASSES_QUERY):
        if sup:
            parents[cls].add(sup)
        else:
            classes.add(cls)
    labels = labels_for(kg).names()  # the one name of every entity and class (lscp_kg.labels)
    class_labels = {cls: labels[cls] for cls in classes if labels.get(cls)}
    return {"names": names, "labels": labels, "types": types, "parents": parents, "class_labels": class_labels,
            "partnerships": owners(kg), "areas": areas_of(kg)}


def ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    """A class and every class above it (``rdfs:subClassOf``, transitively; cycles are harmless)."""
    seen, todo = set(), [cls]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


class Kinds:
    """The classes of the graph: each one's superclasses (computed once) and its label."""

    def __init__(self, parents: dict[str, set[str]], labels: dict[str, str]):
        self.parents, self.labels, self._above = parents, labels, {}

    def above(self, cls: str) -> frozenset[str]:
        if cls not in self._above:
            self._above[cls] = frozenset(ancestors(cls, self.parents))
        return self._above[cls]

    def kind_of(self, classes: set[str]) -> tuple[str | None, str]:
        """The most specific of an entity's classes and its label ("Subgroup", not "Partnership body")."""
        if not classes:
            return None, "Thing"
        higher = {a for c in classes for a in self.above(c) - {c}}
        specific = sorted(classes - higher) or sorted(classes)
        chosen = max(specific, key=lambda c: (len(self.above(c)), c in self.labels, c))
        label = self.labels.get(chosen) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", re.split(r"[#/]", chosen)[-1])
        return chosen, label[:1].upper() + label[1:]


#: Every row's tags padded to this many tokens: FTS5's bm25 counts a row's length over all its columns, and
#: names must not rank by how many classes or partnerships their entity has.
TAG_TOKENS = 16


def padded(tags: list[str]) -> str:
    """The tags column of a row: its tags, then a filler token up to :data:`TAG_TOKENS`.

    >>> padded(["k1", "p2"]).split()[:3], len(padded(["k1"]).split())
    (['k1', 'p2', 'x'], 16)
    """
    return " ".join(tags + ["x"] * (TAG_TOKENS - len(tags)))


def count_namesakes(entity_rows: list[list]) -> None:
    """Set each entity row's last field to how many other entities have the same label (compared as names are).

    >>> rows = [[1, "a", "Derek Benson", "Person", None, 0], [2, "b", "DEREK BENSON", "Person", None, 0],
    ...         [3, "c", "MACE", "Subgroup", None, 0]]
    >>> count_namesakes(rows); [row[-1] for row in rows]
    [1, 1, 0]
    """
    counts: dict[str, int] = defaultdict(int)
    for row in entity_rows:
        counts[comparable(row[2])] += 1
    for row in entity_rows:
        row[-1] = counts[comparable(row[2])] - 1


class IndexRows:
    """The rows of the index's tables, gathered entity by entity before they are written."""

    def __init__(self, kinds: Kinds):
        self.kinds = kinds
        self.ids: dict[str, int] = {}
        self.entities: list[list] = []
        self.names: list[tuple[int, str, str, int]] = []
        self.classes: list[tuple[int, str]] = []
        self.entity_tags: dict[int, list[str]] = {}
        self.tags: dict[str, str] = {}  # class or partnership IRI -> its token in the tags column ("k3", "p7")

    def tag(self, iri: str, prefix: str) -> str:
        return self.tags.setdefault(iri, f"{prefix}{len(self.tags) + 1}")

    def add_entity(self, iri: str, entity_names: list[tuple[int, int, str, bool]], classes: set[str],
                   label: str | None) -> None:
        """One entity: its row, its classes (superclasses included) and their tags, and its names."""
        entity_names.sort(key=label_key)
        kind_iri, kind = self.kinds.kind_of(classes)
        self.ids[iri] = entity_id = len(self.ids) + 1
        # The one name of lscp_kg.labels; an alternative name only for an entity it does not name.
        self.entities.append([entity_id, iri, label or entity_names[0][2], kind, kind_iri, 0])
        every_class = frozenset().union(*(self.kinds.above(c) for c in classes))
        self.classes.extend((entity_id, c) for c in every_class)
        self.entity_tags[entity_id] = [self.tag(c, "k") for c in sorted(every_class)]
        seen = set()
        for _rank, _lang, full, primary in entity_names:
            for position, text in enumerate(names_of(full)):
                if text not in seen:
                    seen.add(text)
                    self.names.append((entity_id, text, comparable(text), int(primary and not position)))

    def ownership(self, partnerships: dict[str, set[str]]) -> list[tuple[int, int, str]]:
        """``(entity id, partnership id, partnership IRI)`` for each indexed entity of each indexed partnership,
        each partnership's tag added to its entities' tags."""
        owned = [(self.ids[iri], self.ids[owner], owner) for iri, owners in partnerships.items() for owner in owners
                 if iri in self.ids and owner in self.ids]
        for entity_id, _p, owner in owned:
            self.entity_tags[entity_id].append(self.tag(owner, "p"))
        return owned


def gather_rows(data: dict) -> IndexRows:
    """The rows of every entity of :func:`collect`'s data, except the ontology's own terms and untyped things."""
    rows = IndexRows(Kinds(data["parents"], data["class_labels"]))
    for iri, entity_names in data["names"].items():
        classes = data["types"].get(iri, set())
        if classes and not classes & SCHEMA_KINDS:
            rows.add_entity(iri, entity_names, classes, data["labels"].get(iri))
    count_namesakes(rows.entities)
    return rows


def build_index(kg, target: sqlite3.Connection | None = None, version: str = "") -> sqlite3.Connection:
    """A new SQLite database (in memory unless ``target`` is given) indexing the graph's names."""
    data = collect(kg)
    db = target or sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(DDL)
    rows = gather_rows(data)
    db.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", rows.entities)
    db.executemany("INSERT OR IGNORE INTO entity_class VALUES (?, ?)", rows.classes)
    _write_partnerships(db, rows, data)
    db.executemany("INSERT INTO tag VALUES (?, ?)", ((t, iri) for iri, t in rows.tags.items()))
    db.executemany("INSERT INTO class VALUES (?, ?)",
                   ((c, rows.kinds.kind_of({c})[1]) for c, t in rows.tags.items() if t.startswith("k")))
    _write_names(db, rows)
    _write_vocabulary(db)
    db.executemany("INSERT INTO meta VALUES (?, ?)", (("schema", str(SCHEMA_VERSION)), ("version", version)))
    db.execute("INSERT INTO name_fts(name_fts) VALUES ('optimize')")
    db.commit()
    db.execute("ANALYZE")
    return db


def _write_partnerships(db: sqlite3.Connection, rows: IndexRows, data: dict) -> None:
    """Which partnerships each entity belongs to, and each partnership's label and short name."""
    owned = rows.ownership(data["partnerships"])
    db.executemany("INSERT OR IGNORE INTO entity_partnership VALUES (?, ?)", ((e, p) for e, p, _ in owned))
    labels = {owner: rows.entities[rows.ids[owner] - 1][2] for _e, _p, owner in owned}
    db.executemany("INSERT INTO partnership VALUES (?, ?, ?, ?, ?)",
                   ((p, labels[p], short, comparable(labels[p]), comparable(short))
                    for p, short in short_names(labels, data["areas"]).items()))


def _write_names(db: sqlite3.Connection, rows: IndexRows) -> None:
    """The names and their full-text rows, with their entity's tags."""
    rows.names.sort(key=lambda row: (len(row[2]), -row[3], row[2]))  # name ids in order of length: see search.py
    db.executemany("INSERT INTO name VALUES (?, ?, ?, ?, ?)",
                   ((i, *row) for i, row in enumerate(rows.names, start=1)))
    db.executemany("INSERT INTO name_fts(rowid, terms, tags) VALUES (?, ?, ?)",
                   ((i, index_terms(text), padded(rows.entity_tags[e]))
                    for i, (e, text, _n, _p) in enumerate(rows.names, start=1)))


def _write_vocabulary(db: sqlite3.Connection) -> None:
    """The indexed terms, with how many names hold each, and their trigrams (for typo tolerance)."""
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, name_fts, col)")
    db.execute("INSERT INTO term SELECT term, doc FROM temp.vocab WHERE col = 'terms'")
    db.executemany("INSERT OR IGNORE INTO gram VALUES (?, ?)",
                   ((g, term) for (term,) in db.execute("SELECT term FROM term").fetchall() for g in trigrams(term)))
    db.execute("DROP TABLE temp.vocab")
