"""The one label lookup: names of entities and plain-English names of relations, from the graph.

Entities are named by ``rdfs:label``, ``skos:prefLabel``, ``foaf:name``,
``dcterms:title`` or ``schema:name`` (English or untagged first). Relations
are named by their ``rdfs:label`` in the ontology ("reports to"); a relation
read backwards by its ``lscp:inverseLabel`` ("is reported to by"), or by the
label of its ``owl:inverseOf``. Answers are cached per store: the graph is
read-only while it is served.

>>> from lscp_kg.store import load_knowledge_graph
>>> labels = labels_for(load_knowledge_graph())
>>> labels.relation("http://www.w3.org/ns/org#reportsTo"), labels.inverse("http://www.w3.org/ns/org#reportsTo")
('reports to', 'is reported to by')
>>> labels.label(labels.kg.base_iri + "id/person/ceri-jacob")
'Ceri Jacob'
>>> labels.relation("http://example.org/ns#heldSince")
'held since'
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from .namespaces import LSCP, PREFIXES
from .per_store import PerStore

LABEL_PROPERTIES = [ox.NamedNode(PREFIXES[p] + n) for p, n in
                    (("rdfs", "label"), ("skos", "prefLabel"), ("foaf", "name"), ("dcterms", "title"), ("schema", "name"))]
INVERSE_LABEL = ox.NamedNode(LSCP + "inverseLabel")
INVERSE_OF = ox.NamedNode(PREFIXES["owl"] + "inverseOf")
_ENGLISH = (None, "en", "en-gb")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


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

    def _literals(self, iri: str, properties) -> list[ox.Literal]:
        node = ox.NamedNode(iri)
        found = [q.object for p in properties for q in self.kg.statements(node, p, None, None)
                 if isinstance(q.object, ox.Literal)]
        found.sort(key=lambda lit: lit.language not in _ENGLISH)  # stable: keeps the order of the properties
        return found

    def label(self, iri: str | None) -> str | None:
        """The entity's name, or None when the graph gives it none."""
        if not iri:
            return None
        if iri not in self._labels:
            try:
                literals = self._literals(iri, LABEL_PROPERTIES)
            except ValueError:  # not an IRI pyoxigraph accepts
                literals = []
            self._labels[iri] = literals[0].value if literals else None
        return self._labels[iri]

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


#: The label cache of a loaded graph (one per store).
labels_for = PerStore(Labels)
