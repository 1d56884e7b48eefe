"""People in the authoring check: a person of the files checked who has the name of another person in the loaded
data gets a warning (two people who share a name, or one person under two names), saying how to tell them apart
or how to state that they are one. Merging one person across partnerships without a reason is an error of its
own (lscp_kg.provenance.people_merged_without_reason).

>>> _fold("  Richard  McDonagh "), _fold("RICHARD MCDONAGH")
('richard mcdonagh', 'richard mcdonagh')
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..namespaces import LSCP, PREFIXES
from ..store import KnowledgeGraph
from .compiler import Compilation
from .errors import AuthoringProblem

FOAF_PERSON, FOAF_NAME, RDFS_LABEL = PREFIXES["foaf"] + "Person", PREFIXES["foaf"] + "name", PREFIXES["rdfs"] + "label"


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _people_by_name(kg: KnowledgeGraph) -> dict[str, dict[str, set[str]]]:
    """Folded name -> person -> the short names of the partnerships whose files name them so."""
    rows = kg.query(f"""SELECT DISTINCT ?person ?name ?partnership WHERE {{ ?person a <{FOAF_PERSON}> .
        GRAPH ?g {{ {{ ?person <{RDFS_LABEL}> ?name }} UNION {{ ?person <{FOAF_NAME}> ?name }} }}
        OPTIONAL {{ ?g <{LSCP}partnershipContext> ?partnership }} }}""")
    people: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        owners = people.setdefault(_fold(row["name"].value), {}).setdefault(row["person"].value, set())
        if row["partnership"] is not None:
            owners.add(row["partnership"].value.rstrip("/").rsplit("/", 1)[-1])
    return people


def namesakes(compiled: list[Compilation], kg: KnowledgeGraph) -> list[AuthoringProblem]:
    """A warning for each person of the files who has the name of another person in the loaded data."""
    people = _people_by_name(kg)
    warnings = []
    for one in compiled:
        seen = set()
        for quad, origin in one.origins.items():
            if origin.kind != "person" or quad.predicate.value not in (RDFS_LABEL, FOAF_NAME):
                continue
            same = people.get(_fold(quad.object.value), {})
            others = sorted(set(same) - {quad.subject.value})
            if not others or quad.subject.value in seen:
                continue
            seen.add(quad.subject.value)
            them = ", ".join(one.ns.shorten(ox.NamedNode(o), "person")
                             + (f" (named by {' and '.join(sorted(same[o]))})" if same[o] else "") for o in others)
            first = one.ns.shorten(ox.NamedNode(others[0]), "person")
            warnings.append(AuthoringProblem(
                one.file, one.lines.get(quad),
                f"person {origin.name!r} is called {quad.object.value!r}, as is {them} in the loaded data",
                f"if they are two people, keep the two names: they keep them apart (a name that says whose, such as "
                f"'{first}-{one.ns.partnership}', reads best); if they are one person, name them '{first}' here "
                "and state the reuse on the person: 'reused_because:' with the reason or a citation"))
    return warnings
