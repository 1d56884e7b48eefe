"""The one label lookup: names of entities and plain-English names of relations, from the graph.

Every surface (entity pages, search, the network view, scrutiny findings, the ontology page, the footer)
names an entity through this module, so an entity has one name everywhere. The order of preference, as
entity pages have always shown it (the page is what people read):

1. language: untagged or English (``en``, ``en-GB``, any ``en-*``) before any other language;
2. property: ``rdfs:label`` (the preferred name SHACL asks for), ``skos:prefLabel``, ``foaf:name``,
   ``dcterms:title``, ``schema:name``, and last ``lscp:nameUsed`` (a name the source uses), so that an entity
   with ``rdfs:label`` "Alpha Group Long Name" and ``skos:prefLabel`` "AG" is "Alpha Group Long Name";
3. text: the first in code-point order, so that the answer never depends on the store's order.

:meth:`Labels.label` names one IRI; :meth:`Labels.names` names many (or every named IRI) at once from one
pass over the naming statements, kept per store. Drawn for one partnership (``names(partnership=P)``), a
name is taken from the graphs whose ``lscp:partnershipContext`` is P first, then from the common data (graphs
with no context: the rule of :mod:`lscp_kg.partnership_graphs`); never from another partnership's graphs, so that adding a partnership cannot change P's
names (an entity named only by another partnership gets no name there: the caller's fallback applies).

Relations are named by their ``rdfs:label`` in the ontology ("reports to"); a relation read backwards by
its ``lscp:inverseLabel`` ("is reported to by"), or by the label of its ``owl:inverseOf``. The graph is
read-only while it is served, so answers are cached per store.

>>> from lscp_kg.store import load_knowledge_graph
>>> labels = labels_for(load_knowledge_graph())
>>> labels.relation("http://www.w3.org/ns/org#reportsTo"), labels.inverse("http://www.w3.org/ns/org#reportsTo")
('reports to', 'is reported to by')
>>> labels.label(labels.kg.base_iri + "id/person/ceri-jacob")
'Ceri Jacob'
>>> list(labels.names([labels.kg.base_iri + "id/person/ceri-jacob", "http://example.org/nameless"]).values())
[None, 'Ceri Jacob']
>>> labels.relation("http://example.org/ns#heldSince")
'held since'
"""

from __future__ import annotations

import re
import threading
from typing import Iterable

import pyoxigraph as ox

from .namespaces import LSCP, PREFIXES
from .partnership_graphs import graph_owners, may_use
from .per_store import PerStore

#: The naming properties, most preferred first (see the module docstring).
LABEL_PROPERTIES = [ox.NamedNode(PREFIXES[p] + n) for p, n in
                    (("rdfs", "label"), ("skos", "prefLabel"), ("foaf", "name"), ("dcterms", "title"), ("schema", "name"))]
#: The source's own name: used only when none of :data:`LABEL_PROPERTIES` names the entity.
NAME_USED = ox.NamedNode(LSCP + "nameUsed")
NAMING_PROPERTIES = LABEL_PROPERTIES + [NAME_USED]
_RANK = {p.value: i for i, p in enumerate(NAMING_PROPERTIES)}
INVERSE_LABEL = ox.NamedNode(LSCP + "inverseLabel")
INVERSE_OF = ox.NamedNode(PREFIXES["owl"] + "inverseOf")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def is_english(language: str | None) -> bool:
    """Untagged or English.

    >>> [is_english(tag) for tag in (None, "", "en", "en-GB", "cy")]
    [True, True, True, True, False]
    """
    return not language or language.lower() == "en" or language.lower().startswith("en-")


def name_key(prop: str, literal: ox.Literal) -> tuple:
    """How a name competes to be the label: smaller wins (language, then property, then text).

    >>> rdfs, skos = (PREFIXES[p] + n for p, n in (("rdfs", "label"), ("skos", "prefLabel")))
    >>> min([(skos, ox.Literal("AG")), (rdfs, ox.Literal("Alpha Group Long Name"))], key=lambda c: name_key(*c))[1].value
    'Alpha Group Long Name'
    >>> name_key(rdfs, ox.Literal("Grŵp", language="cy")) > name_key(skos, ox.Literal("AG", language="en"))
    True
    """
    return (not is_english(literal.language), _RANK.get(prop, len(_RANK)), literal.value)


def choose_name(statements: Iterable[tuple[str, ox.Literal]]) -> str | None:
    """The name that (property IRI, literal) pairs give an entity, for a caller holding statements already.

    >>> choose_name([(PREFIXES["dcterms"] + "title", ox.Literal("Title")), (PREFIXES["rdfs"] + "label", ox.Literal("Label"))])
    'Label'
    """
    keys = [name_key(prop, literal) for prop, literal in statements if prop in _RANK and isinstance(literal, ox.Literal)]
    return min(keys)[2] if keys else None


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``).

    >>> local_name("http://www.w3.org/ns/org#reportsTo")
    'reportsTo'
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def words(name: str) -> str:
    """A camelCase name as lower-case words.

    >>> words("representedBy")
    'represented by'
    """
    return _CAMEL.sub(" ", name).lower()


class Labels:
    """Labels of one graph's IRIs, each looked up once."""

    def __init__(self, kg):
        self.kg, self.backend = kg, kg.backend
        self._labels: dict[str, str | None] = {}
        self._inverse: dict[str, str] = {}
        self._lock = threading.Lock()
        self._candidates: dict[str, list[tuple]] | None = None  # IRI -> [(key, graph)], built on first bulk use
        self._chosen: dict[str | None, dict[str, str]] = {}  # partnership (None: unscoped) -> IRI -> name

    def _literals(self, iri: str, properties) -> list[ox.Literal]:
        node = ox.NamedNode(iri)
        found = [q.object for p in properties for q in self.kg.statements(node, p, None, None)
                 if isinstance(q.object, ox.Literal)]
        found.sort(key=lambda lit: not is_english(lit.language))  # stable: keeps the order of the properties
        return found

    def label(self, iri: str | None) -> str | None:
        """The entity's name (the order of the module docstring), or None when the graph gives it none."""
        if not iri:
            return None
        if iri not in self._labels:
            if self._candidates is not None:
                self._labels[iri] = self._all(None).get(iri)
            else:
                try:
                    node = ox.NamedNode(iri)
                except ValueError:  # not an IRI pyoxigraph accepts
                    node = None
                found = [name_key(p.value, q.object) for p in NAMING_PROPERTIES if node is not None
                         for q in self.kg.statements(node, p, None, None) if isinstance(q.object, ox.Literal)]
                self._labels[iri] = min(found)[2] if found else None
        return self._labels[iri]

    def names(self, iris: Iterable[str] | None = None, partnership: str | None = None) -> dict[str, str | None]:
        """The names of many IRIs at once (every named IRI when ``iris`` is None), by one pass over the graph.

        With ``partnership``, names come from that partnership's graphs, then the common data (see the module
        docstring); an IRI with no name there maps to None."""
        if iris is None:
            return dict(self._all(partnership))
        wanted = sorted(set(iris))
        if partnership is None or partnership in self._chosen:
            chosen = self._all(partnership)
            return {iri: chosen.get(iri) for iri in wanted}
        with self._lock:  # a few names of one partnership: chosen among those IRIs' names only
            candidates, contexts = self._read()
        chosen = _choose({iri: candidates[iri] for iri in wanted if iri in candidates}, contexts, partnership)
        return {iri: chosen.get(iri) for iri in wanted}

    def _all(self, partnership: str | None) -> dict[str, str]:
        with self._lock:
            if partnership not in self._chosen:
                candidates, contexts = self._read()
                self._chosen[partnership] = _choose(candidates, contexts, partnership)
            return self._chosen[partnership]

    def _read(self) -> tuple[dict[str, list[tuple]], dict[str, str]]:
        if self._candidates is None:
            candidates: dict[str, list[tuple]] = {}
            for prop in NAMING_PROPERTIES:
                for q in self.kg.statements(None, prop, None, None):
                    if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal):
                        graph = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
                        candidates.setdefault(q.subject.value, []).append((name_key(prop.value, q.object), graph))
            self._candidates = candidates
        return self._candidates, graph_owners(self.kg)

    def relation(self, iri: str) -> str:
        """A property read forwards, in plain English ("reports to")."""
        return self.label(iri) or words(local_name(iri))

    def inverse(self, iri: str) -> str:
        """A property read backwards ("is reported to by")."""
        if iri not in self._inverse:
            literals = self._literals(iri, [INVERSE_LABEL])
            if literals:
                text = literals[0].value
            else:
                inverses = [q.object.value for q in self.kg.statements(ox.NamedNode(iri), INVERSE_OF, None, None)
                            if isinstance(q.object, ox.NamedNode)]
                inverses += [q.subject.value for q in self.kg.statements(None, INVERSE_OF, ox.NamedNode(iri), None)
                             if isinstance(q.subject, ox.NamedNode)]
                text = self.relation(inverses[0]) if inverses else f"is {self.relation(iri)} of"
            self._inverse[iri] = text
        return self._inverse[iri]


def _choose(candidates: dict[str, list[tuple]], contexts: dict[str, str], partnership: str | None) -> dict[str, str]:
    """Each IRI's name: the best key of all its names, or, for one partnership, of its own graphs' names
    first (tier 0), then the common data's (tier 1); other partnerships' names are never taken."""
    chosen: dict[str, str] = {}
    for iri, found in candidates.items():
        if partnership is None:
            best = min(key for key, _graph in found)
        else:
            tiered = [(0 if contexts.get(graph) == partnership else 1, key) for key, graph in found
                      if may_use(contexts.get(graph), partnership)]
            if not tiered:
                continue
            best = min(tiered)[1]
        chosen[iri] = best[2]
    return chosen


def labels_of(kg, iris: Iterable[str], partnership: str | None = None) -> dict[str, str]:
    """The names of the IRIs that have one (as :meth:`Labels.names`), for callers that drop the nameless."""
    return {iri: name for iri, name in labels_for(kg).names(iris, partnership).items() if name is not None}


#: The label cache of a loaded graph (one per store).
labels_for = PerStore(Labels)
