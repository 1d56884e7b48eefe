"""What to say when a question has no answer for an entity, and which questions do have one.

* :func:`questions_with_answers` runs every named question that takes an entity of this kind,
  with the entity bound (and the partnership, where the question takes one), through the
  service's guarded query runner (its time limit; a row cap of 1, since only "any row?" matters), and
  keeps those that answer. Entity pages suggest these; an empty answer offers them next.
  Results are kept per (entity, partnership) in the service's cache: the graph is read-only.
* :func:`what_the_graph_says` lists, in words, the entity's kinds and a few of its relations,
  each with where it is stated (the arrangements, a cited source, or the shared data), taken
  only from the partnership's own graphs and graphs no partnership owns (the scoping rule).
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from flask import url_for

from lscp_kg.labels import labels_for
from lscp_kg.name_resolution import resolver
from lscp_kg.query_parameters import ParameterError
from lscp_kg.namespaces import LSCP, PREFIXES
from lscp_kg.service.errors import HttpError
from lscp_kg.service.history import date_in_words, ended
from lscp_kg.service.query_runner import QueryJob
from lscp_kg.service.scoping import Scope, entity_types
from lscp_kg.service.state import service_state

#: Relations that only name or file an entity: said by its name and kind, not as relations.
QUIET = frozenset({PREFIXES["rdfs"] + "label", PREFIXES["rdf"] + "type", PREFIXES["skos"] + "altLabel",
                   LSCP + "nameUsed", LSCP + "asWritten", LSCP + "partnershipContext"})
MOST_STATEMENTS = 8


class SuggestionJob(QueryJob):
    """A question run to see whether it answers: the service's own look, never a strike against the reader."""

    counts_against_client = False
    page_goes_on = True  # a question stopped at the limit is only not suggested


def _has_rows(query, raw: dict) -> bool:
    state = service_state()
    try:
        sparql, substitutions = query.prepare(raw, state.kg.base_iri, resolver(state.kg))
        outcome = state.runner.run(SuggestionJob(sparql, {"results": "json", "graph": "turtle"},
                                               substitutions=substitutions, row_cap=1))
    except (ParameterError, HttpError):  # a question that needs more than the entity, or stopped at the limit
        return False
    if outcome.kind == "graph":
        return bool(outcome.body.strip())
    document = json.loads(outcome.body)
    return bool(document.get("boolean") or document.get("results", {}).get("bindings"))


def _with_partnership(query, raw: dict, partnership: str | None) -> dict:
    if partnership and "partnership" not in raw and any(p.name == "partnership" for p in query.parameters):
        return {**raw, "partnership": partnership}
    return raw


def _default_answer(query, partnership: str | None) -> bytes:
    """A question's answer with its defaults (for the partnership), kept: it is the same for every entity."""
    state = service_state()
    key = ("default-answer", query.name, partnership)
    if key not in state.cache:
        state.cache[key] = b""
        try:
            sparql, substitutions = query.prepare(_with_partnership(query, {}, partnership), state.kg.base_iri,
                                                  resolver(state.kg))
            state.cache[key] = state.runner.run(SuggestionJob(sparql, {"results": "json", "graph": "ntriples"},
                                                            substitutions=substitutions,
                                                            row_cap=state.limits.row_cap)).body
        except (ParameterError, HttpError):
            pass
    return state.cache[key]


SUBCLASS_OF = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")


def expand(name: str) -> str:
    """``lscp:Body`` -> the full IRI (full IRIs pass through)."""
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else name


def kinds_of(kg, types: list[str]) -> set[str]:
    """The entity's classes and all their superclasses (rdfs:subClassOf, any depth)."""
    found, todo = set(), list(types)
    while todo:
        cls = todo.pop()
        if cls in found:
            continue
        found.add(cls)
        todo += [q.object.value for q in kg.statements(ox.NamedNode(cls), SUBCLASS_OF, None, None)
                 if isinstance(q.object, ox.NamedNode)]
    return found


def questions_about(types: list[str]) -> list[dict]:
    """Named queries with a parameter whose declared ``class`` this entity is one of (whether or not they
    answer for it: :func:`questions_with_answers` keeps those that do)."""
    state = service_state()
    kinds = kinds_of(state.kg, types) | {PREFIXES["owl"] + "Thing"}
    found = []
    for query in state.named_queries.values():
        for parameter in query.parameters:
            declared = parameter.describe().get("class") or []
            declared = [declared] if isinstance(declared, str) else declared
            if any(expand(str(cls)) in kinds for cls in declared):
                found.append({"title": query.title, "name": query.name, "parameter": parameter.name})
                break
    return found


def _answering_when_given(iri: str, partnership: str | None, taking: list[dict]) -> list[dict]:
    """Of the questions that take an entity of this kind, those that answer when given it."""
    found = []
    for question in taking:
        query = service_state().named_queries[question["name"]]
        raw = _with_partnership(query, {question["parameter"]: iri}, partnership)
        if _has_rows(query, raw):
            found.append({**question, "raw": raw})
    return found


def _naming_it_by_default(iri: str, partnership: str | None, asked: set[str]) -> list[dict]:
    """Of the other questions, those whose answer with their defaults names the entity."""
    found = []
    # as JSON results and N-Triples write it, delimited: not a prefix of a longer IRI
    needles = (json.dumps(iri).encode(), f"<{iri}>".encode())
    for query in sorted(service_state().named_queries.values(), key=lambda q: q.title):
        # A default found in the data ("the only report series") is looked for across every partnership,
        # so its answer would change when one is added: such questions are suggested only by the first way.
        if query.name in asked or any(p.default_rule for p in query.parameters if p.name != "partnership"):
            continue
        if any(n in _default_answer(query, partnership) for n in needles):
            found.append({"title": query.title, "name": query.name, "parameter": None,
                          "raw": _with_partnership(query, {}, partnership)})
    return found


def questions_with_answers(iri: str, partnership: str | None = None, skip: str | None = None) -> list[dict]:
    """The named questions that answer for this entity (``skip``: a question's name to leave out): those that
    take an entity of its kind and answer when given it, then those that take none and whose answer (with
    their defaults, none of them looked up in the data) names it.

    Each is ``{"title", "name", "parameter", "href"}``; ``href`` opens the question for the entity
    (and the partnership, if given and the question takes one); ``parameter`` is None for the second kind."""
    state = service_state()
    key = ("questions-with-answers", iri, partnership)
    if key not in state.cache:
        taking = questions_about(entity_types(iri))
        state.cache[key] = (_answering_when_given(iri, partnership, taking)
                            + _naming_it_by_default(iri, partnership, {q["name"] for q in taking}))
    return [{k: v for k, v in q.items() if k != "raw"} | {"href": url_for("queries.page", name=q["name"], **q["raw"])}
            for q in state.cache[key] if q["name"] != skip]


def what_the_graph_says(iri: str, partnership: str | None = None, most: int = MOST_STATEMENTS) -> dict:
    """The entity's name, kinds and up to ``most`` relations in words, from the graphs the scope allows.

    Each statement is ``{"subject", "relation", "object", "source"}``: ``subject`` and ``object`` are
    ``{"text", "href"}`` (``href`` None for a value), ``source`` says where it is stated in words and
    links there when it can. The entity's own statements come first, then those naming it."""
    labels = labels_for(service_state().kg)
    scope = Scope(partnership)
    me = scope.name(iri)
    kinds = sorted({labels.label(t) or labels.relation(t) for t in entity_types(iri)} - {None})
    statements = []
    for quad, outgoing in scope.statements_about(iri, skip=QUIET):
        other = quad.object if outgoing else quad.subject
        relation = labels.relation(quad.predicate.value) if outgoing else labels.inverse(quad.predicate.value)
        shown = scope.name(other)
        if isinstance(other, ox.Literal) and other.datatype.value.endswith("#date"):
            shown = {**shown, "text": date_in_words(other.value), "date": True}
        statements.append({"subject": me, "relation": relation, "object": shown,
                           "source": scope.source_of(quad.graph_name)})
        if len(statements) >= most:
            break
    return {"name": me, "kinds": kinds, "statements": statements}


def empty_answer(query, bound: dict[str, str]) -> dict:
    """Why a question answered nothing, from what the graph knows: for each entity it was asked about
    (``bound``: parameter name -> IRI of the question's ``iri`` parameters), what the graph says of it and
    the questions that do answer for it. ``partnership`` (its name) when one was asked about."""
    partnership = bound.get("partnership")
    entities = [(name, iri) for name, iri in bound.items() if name != "partnership"]
    scope, about = Scope(partnership), []
    for name, iri in entities:
        said = what_the_graph_says(iri, partnership)
        about.append({**said, "parameter": name, "ended": ended(iri, scope),
                      "questions": questions_with_answers(iri, partnership, skip=query.name)})
    return {"about": about, "partnership": scope.name(scope.partnership)["text"] if scope.partnership else None}
