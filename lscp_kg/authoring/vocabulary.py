"""The terms a ``turtle:`` block may use: every term of a vocabulary the project declares a prefix for must be
one that vocabulary defines, so that a misspelt property (``org:headof``) is caught when the file is built.

``lscp:`` terms are those the ontology (``ontology/*.ttl``) defines; ``freq:`` terms those the common data
declares; the W3C and other standard vocabularies (ORG, FOAF, SKOS, DCMI terms, PROV, schema.org, RDF, RDFS,
OWL, XSD, SHACL) are checked against rdflib's closed lists of their terms. IRIs outside these vocabularies
(the partnership's own ``<id/...>``, legislation.gov.uk) are not vocabulary terms and are not checked here.

>>> unknown_term("http://www.w3.org/ns/org#headOf") is None
True
>>> unknown_term("http://www.w3.org/ns/org#headof")
('org:headof', 'org:headOf')
>>> unknown_term("https://lscp-kg.example.org/ontology#meetingFrequency") is None
True
>>> unknown_term("https://example.org/anything") is None
True
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import pyoxigraph as ox
from rdflib import namespace as rdflib_namespaces

from ..locations import SHIPPED_DATA_DIR
from ..namespaces import PREFIXES
from ..rdf_files import RDF_FORMATS, data_files, ontology_files, parse_rdf_file

#: Vocabularies whose terms rdflib lists (prefix -> its DefinedNamespace).
_CLOSED = {"org": "ORG", "foaf": "FOAF", "skos": "SKOS", "dcterms": "DCTERMS", "prov": "PROV", "schema": "SDO",
           "rdf": "RDF", "rdfs": "RDFS", "owl": "OWL", "xsd": "XSD", "sh": "SH"}
#: Vocabularies defined in this project's own files: the ontology, and the common data (DCMI frequencies).
_OWN = ("lscp", "freq")


def _subjects(paths) -> set[str]:
    """The IRIs these RDF files say something about (an authoring file defines no vocabulary: it uses one)."""
    found: set[str] = set()
    for path in paths:
        if path.suffix in RDF_FORMATS:
            found.update(q.subject.value for q in parse_rdf_file(path, "https://lscp-kg.example.org/")
                         if isinstance(q.subject, ox.NamedNode))
    return found


@lru_cache(maxsize=1)
def vocabulary_terms() -> dict[str, frozenset[str]]:
    """For each checked prefix, the local names its vocabulary defines."""
    terms: dict[str, frozenset[str]] = {}
    for prefix, name in _CLOSED.items():
        space = getattr(rdflib_namespaces, name)
        if str(space._NS) == PREFIXES.get(prefix):
            terms[prefix] = frozenset(space.__annotations__)
    defined = _subjects(ontology_files()) | _subjects(data_files([SHIPPED_DATA_DIR / "common"]))
    for prefix in _OWN:
        space = PREFIXES[prefix]
        terms[prefix] = frozenset(iri[len(space):] for iri in defined if iri.startswith(space))
    return terms


def unknown_term(iri: str) -> tuple[str, str | None] | None:
    """None if the IRI is not in a checked vocabulary or is a term of it; else (the term as a prefixed name,
    the closest defined term or None)."""
    for prefix, names in vocabulary_terms().items():
        space = PREFIXES[prefix]
        if iri.startswith(space):
            local = iri[len(space):]
            if local in names:
                return None
            near = difflib.get_close_matches(local, names, n=1, cutoff=0.6)
            if not near:  # a case slip (org:headof) is the commonest typo
                near = [n for n in names if n.lower() == local.lower()][:1]
            return f"{prefix}:{local}", (f"{prefix}:{near[0]}" if near else None)
    return None
