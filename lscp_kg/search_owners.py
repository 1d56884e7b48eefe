"""Whose an entity is, for search: the partnerships whose arrangements state it, found by graph context.

Every graph compiled from a partnership's file says whose it is
(``?g lscp:partnershipContext ?partnership``). An entity belongs to each
partnership whose graphs state a fact about it (it is the subject) or name it
(it is an object, other than a class). An entity the common data already names
(its label is in a graph with no partnership context: an Act, a sector, a role)
is shared by all, and belongs to a partnership only through facts its graphs
state about it. So a shared organisation (the Metropolitan Police) belongs to
every partnership that names it, and to no other; a source's publisher plays
no part. A body also belongs to what it is ``lscp:partnershipOf`` (a pan-area
arrangement's executive belongs to the arrangement).

A partnership's short name is the names of its areas ("Lewisham"), stated in
its own graphs; its full label where it has none, or where another loaded
partnership has the same short name.

>>> short_names({"p1": "Lewisham Safeguarding Children Partnership", "p2": "Testshire Partnership", "p3": "Sussex"},
...             {"p1": ["Lewisham"], "p2": ["Testshire"], "p3": ["Brighton and Hove", "East Sussex", "West Sussex"]})
{'p1': 'Lewisham', 'p2': 'Testshire', 'p3': 'Brighton and Hove, East Sussex and West Sussex'}
>>> short_names({"p1": "Northshire Children", "p2": "Northshire Adults"}, {"p1": ["Northshire"], "p2": ["Northshire"]})
{'p1': 'Northshire Children', 'p2': 'Northshire Adults'}
"""

from __future__ import annotations

from collections import defaultdict

from .labels import labels_for

PARTNERSHIP_KINDS = "lscp:SafeguardingPartnership lscp:PanAreaArrangement"
PARTNERSHIPS_QUERY = f"""SELECT DISTINCT ?partnership WHERE {{
  {{ VALUES ?kind {{ {PARTNERSHIP_KINDS} }} ?partnership a/rdfs:subClassOf* ?kind }}
  UNION {{ ?g lscp:partnershipContext ?partnership }}
  FILTER(isIRI(?partnership))
}}"""
STATED_QUERY = """SELECT DISTINCT ?e ?partnership WHERE {
  GRAPH ?g { ?e ?p ?o } ?g lscp:partnershipContext ?partnership FILTER(isIRI(?e))
}"""
NAMED_QUERY = """SELECT DISTINCT ?e ?partnership WHERE {
  GRAPH ?g { ?s ?p ?e FILTER(isIRI(?e) && ?p != rdf:type) } ?g lscp:partnershipContext ?partnership
}"""
COMMON_QUERY = """SELECT DISTINCT ?e WHERE {
  VALUES ?name { rdfs:label skos:prefLabel foaf:name dcterms:title schema:name }
  GRAPH ?g { ?e ?name ?n } FILTER(isIRI(?e)) FILTER NOT EXISTS { ?g lscp:partnershipContext ?any }
}"""
PART_OF_QUERY = "SELECT DISTINCT ?e ?partnership WHERE { ?e lscp:partnershipOf ?partnership FILTER(isIRI(?e)) }"
AREAS_QUERY = """SELECT DISTINCT ?partnership ?a WHERE {
  GRAPH ?g { ?partnership lscp:area ?a } ?g lscp:partnershipContext ?partnership
}"""


def _rows(kg, sparql: str):
    for row in kg.query(sparql):
        yield tuple(None if term is None else term.value for term in row)


def owners(kg) -> dict[str, set[str]]:
    """Each entity's partnerships (IRIs), as the module docstring says; a partnership is its own."""
    partnerships = {p for (p,) in _rows(kg, PARTNERSHIPS_QUERY)}
    common = {e for (e,) in _rows(kg, COMMON_QUERY)}
    found: dict[str, set[str]] = defaultdict(set)
    for entity, partnership in _rows(kg, STATED_QUERY):
        found[entity].add(partnership)
    for entity, partnership in _rows(kg, NAMED_QUERY):
        if entity not in common:
            found[entity].add(partnership)
    for entity, partnership in _rows(kg, PART_OF_QUERY):
        found[entity].add(partnership)
    for partnership in partnerships:
        found[partnership].add(partnership)
    return {entity: owned & partnerships for entity, owned in found.items() if owned & partnerships}


def in_words(names: list[str]) -> str:
    """Names as a list in words: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def short_names(labels: dict[str, str], areas: dict[str, list[str]]) -> dict[str, str]:
    """Each partnership's short name: its areas in words, or its label (see the module docstring)."""
    short = {p: in_words(sorted(set(areas[p]))) if areas.get(p) else label for p, label in labels.items()}
    counts: dict[str, int] = defaultdict(int)
    for name in short.values():
        counts[name.casefold()] += 1
    return {p: name if counts[name.casefold()] == 1 else labels[p] for p, name in short.items()}


def areas_of(kg) -> dict[str, list[str]]:
    """The labels of each partnership's areas, as its own graphs state them."""
    areas: dict[str, list[str]] = defaultdict(list)
    for partnership, area in _rows(kg, AREAS_QUERY):
        areas[partnership].append(area)
    found: dict[str, list[str]] = defaultdict(list)
    for partnership, iris in areas.items():  # each area's one name (lscp_kg.labels), from the partnership's graphs
        found[partnership] = [name for name in labels_for(kg).names(iris, partnership).values() if name]
    return found
