"""From what a person types to the entity a named query's parameter needs: the one resolver.

A value of an ``iri`` parameter may be an IRI (absolute, or relative to the
base) or a name. An IRI must be an entity of the graph of one of the
parameter's kinds (``class:`` in the query's header, subclasses counting);
a name resolves to the one entity of those kinds that it names (exactly, or
as the only match of the search). Anything else raises
:class:`~lscp_kg.query_parameters.ParameterError` with what went wrong and the
closest matches (``suggestions``), or the candidates (``ambiguous``) when a
name fits several. Defaults written as rules (``{only: ...}``, ``{label: ...}``)
are resolved here too, against the loaded data, once at start-up.

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.named_queries import load_named_queries
>>> kg = load_knowledge_graph()
>>> query = load_named_queries()["members-of-body"]
>>> resolve_value(kg, query.parameters[0], "Multi-Agency Child Exploitation").value.endswith("/body/mace")
True
>>> try:
...     resolve_value(kg, query.parameters[0], "Pinaki Ghoshal")
... except ParameterError as error:
...     print(error.detail)
no partnership body is called “Pinaki Ghoshal”
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Mapping

import pyoxigraph as ox

from .query_binding import NamedQuery
from .query_parameters import Parameter, ParameterError
from .search import index_for
from .search_hits import Hit
from .search_index import ANY_KIND, MAX_QUERY_LENGTH

log = logging.getLogger(__name__)
SUGGESTIONS = 8
CHOICES = 50
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def looks_like_iri(text: str) -> bool:
    """An IRI (absolute or relative) rather than a name: no spaces, and a scheme or a path.

    >>> looks_like_iri("id/person/ceri-jacob"), looks_like_iri("MACE"), looks_like_iri("Partnership Group: seats")
    (True, False, False)
    """
    return not re.search(r"\s", text) and bool(_ABSOLUTE.match(text) or "/" in text)


def suggestion(hit: Hit) -> dict:
    """A choice offered for a name: with ``display`` (the name with its partnerships when another entity has the
    same name) and its partnerships, so that two namesakes are never two identical choices."""
    return {"iri": hit.iri, "label": hit.label, "kind": hit.kind, "display": hit.display,
            "partnerships": [label for _iri, label, _short in hit.partnerships]}


def kinds_in_words(index, classes: tuple[str, ...]) -> str:
    """The kinds a parameter takes, in words: "partnership body, post or person"."""
    names = [index.kind_label(c).lower() for c in classes if c not in ANY_KIND] or ["entity"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _of_kind(kg, iri: str, classes: tuple[str, ...]) -> bool:
    """Whether the graph has this IRI, of one of these kinds (for entities the index does not hold)."""
    kinds = [c for c in classes if c not in ANY_KIND]
    if not kinds:
        return bool(kg.query("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }", substitutions={ox.Variable("x"): ox.NamedNode(iri)}))
    values = " ".join(f"<{c}>" for c in kinds)
    return bool(kg.query(f"ASK {{ VALUES ?k {{ {values} }} ?x a/rdfs:subClassOf* ?k }}",
                         substitutions={ox.Variable("x"): ox.NamedNode(iri)}))


def _closest(index, text: str, kinds: tuple[str, ...]) -> list[dict]:
    hits = index.search(text, kinds, limit=SUGGESTIONS).hits or index.search(text, limit=SUGGESTIONS).hits
    return [suggestion(h) for h in hits]


@dataclass(frozen=True)
class _Lookup:
    """One parameter's value looked up in one graph: its search index, the kinds it takes, and those in words."""

    kg: Any
    param: Parameter

    @cached_property
    def index(self):
        return index_for(self.kg)

    @cached_property
    def kinds(self) -> tuple[str, ...]:
        """The classes the parameter takes, none for any entity."""
        return tuple(c for c in self.param.classes if c not in ANY_KIND)

    @cached_property
    def wanted(self) -> str:
        return kinds_in_words(self.index, self.param.classes)

    def refuse(self, message: str, suggestions=(), ambiguous: bool = False) -> ParameterError:
        return ParameterError(self.param.name, message, suggestions, ambiguous)


def resolve_value(kg, param: Parameter, text: str) -> ox.NamedNode:
    """The entity a parameter's value stands for; raises :class:`ParameterError` with suggestions."""
    lookup, text = _Lookup(kg, param), text.strip()
    if not text:
        choices = [suggestion(h) for h in lookup.index.of_kinds(lookup.kinds, limit=CHOICES)]
        raise lookup.refuse(f"is required: choose a {lookup.wanted}", choices)
    if looks_like_iri(text):
        return _by_iri(lookup, text)
    if len(text) > MAX_QUERY_LENGTH:
        raise lookup.refuse(f"a name is at most {MAX_QUERY_LENGTH} characters")
    return _by_name(lookup, text)


def _by_iri(lookup: _Lookup, text: str) -> ox.NamedNode:
    """An IRI, if the graph has it as an entity of one of the kinds; else the closest entities by its last word."""
    index, kinds, wanted = lookup.index, lookup.kinds, lookup.wanted
    term = lookup.param.to_term(text, lookup.kg.base_iri)  # refuses what cannot be an IRI
    hit = index.entity(term.value)
    if hit is not None and kinds and not hit.classes.intersection(kinds):
        raise lookup.refuse(f"{hit.label} ({text}) is a {hit.kind.lower()}, not a {wanted}", _closest(index, hit.label, kinds))
    if hit is not None or _of_kind(lookup.kg, term.value, lookup.param.classes):
        return term
    words = " ".join(re.split(r"[/#:_.-]+", term.value.rsplit("/", 1)[-1]))
    raise lookup.refuse(f"there is no {wanted} with the IRI {text} in the graph", _closest(index, words, kinds))


def _by_name(lookup: _Lookup, text: str) -> ox.NamedNode:
    """The one entity of the kinds with this name, else the only one the search finds; else the choices."""
    named = lookup.index.named(text, lookup.kinds)
    if len(named) == 1:
        return ox.NamedNode(named[0].iri)
    if len(named) > 1:
        raise lookup.refuse(f"{len(named)} entities are called “{text}”: choose one",
                            [suggestion(h) for h in named], ambiguous=True)
    found = lookup.index.search(text, lookup.kinds, limit=CHOICES)
    if found.hits and not found.closest:
        if len(found.hits) == 1:
            return ox.NamedNode(found.hits[0].iri)
        raise lookup.refuse(f"“{text}” matches {len(found.hits)} of the kind: choose one",
                            [suggestion(h) for h in found.hits], ambiguous=True)
    suggestions = [suggestion(h) for h in found.hits[:SUGGESTIONS]] or _closest(lookup.index, text, ())
    raise lookup.refuse(f"no {lookup.wanted} is called “{text}”", suggestions)


def resolver(kg) -> Callable[[Parameter, str], ox.NamedNode]:
    """The ``resolve`` argument of :meth:`NamedQuery.bind` for this graph."""
    return lambda param, text: resolve_value(kg, param, text)


def _relative(iri: str, base: str) -> str:
    return iri[len(base):] if iri.startswith(base) else iri


def _default_hits(kg, param: Parameter, limit: int = 2) -> list[Hit]:
    index = index_for(kg)
    rule, argument = param.default_rule
    if rule == "only":
        return index.of_kinds((argument,) if argument else param.classes, limit=limit)
    hits = index.named(argument, param.classes)
    if not hits:
        found = index.search(argument, param.classes, limit=limit)
        hits = [] if found.closest else found.hits
    return hits[:limit]


def resolve_default(kg, param: Parameter) -> str | None:
    """The value a default rule gives on this data (relative to the base where it can be), or None."""
    hits = _default_hits(kg, param)
    return _relative(hits[0].iri, kg.base_iri) if len(hits) == 1 else None


#: Start-up notes already given (each once per process, however often the queries are loaded).
_SAID: set[str] = set()
SHOWN_ENTITIES = 4


def _note(kg, param: Parameter, questions: list[tuple[str, str]]) -> str:
    """Which questions (name, parameter) have no default, which entities the default fits, and what to do."""
    rule, argument = param.default_rule
    hits = _default_hits(kg, param, limit=SHOWN_ENTITIES + 1)
    kinds = kinds_in_words(index_for(kg), (argument,) if rule == "only" and argument else param.classes)
    named = "; ".join(f"{h.display} ({_relative(h.iri, kg.base_iri)})" for h in hits[:SHOWN_ENTITIES])
    named += " and more" if len(hits) > SHOWN_ENTITIES else ""
    asked, todo = _asked_instead(questions)
    if rule == "only" and not hits:
        return f"note: the data has no {kinds}, so {asked}; {todo}"
    if rule == "only":
        return f"note: the data has several of the kind {kinds} ({named}), so {asked}; {todo}"
    if not hits:
        return (f"note: no {kinds} is called “{argument}” in this data, so {asked}; {todo}, "
                "or change the default in the query file")
    return (f"note: the default {param.name} “{argument}” fits several entities ({named}), so {asked}; "
            f"{todo}, or change the default in the query file to a name that fits one")


def _asked_instead(questions: list[tuple[str, str]]) -> tuple[str, str]:
    """Which questions ask for a value instead of taking a default, and what a person does about it."""
    names = sorted({p for _q, p in questions})
    several = len(questions) > 1
    listed = ", ".join(q if len(names) == 1 else f"{q} (its {p})" for q, p in questions)
    asked = (f"question{'s' if several else ''} {listed} {'ask' if several else 'asks'} "
             f"for {'the ' + names[0] if len(names) == 1 else 'one'} instead of taking a default")
    todo = "nothing to fix: choose one on the form, or give it in the request (" + ", ".join(f"?{p}=..." for p in names) + ")"
    return asked, todo


def resolve_defaults(queries: Mapping[str, NamedQuery], kg) -> dict[str, NamedQuery]:
    """The queries with their default rules resolved; "the only X" with none or several becomes required.
    Each default that gives no value is noted once, with every question it concerns."""
    resolved, unresolved = {}, {}
    for name, query in queries.items():
        params = tuple(_with_default(kg, param, name, unresolved) for param in query.parameters)
        resolved[name] = dataclasses.replace(query, parameters=params)
    for param, questions in unresolved.values():
        _say_once(_note(kg, param, questions))
    return resolved


def _with_default(kg, param: Parameter, question: str, unresolved: dict) -> Parameter:
    """The parameter with its default rule's value on this data; a rule that gives none is added to
    ``unresolved`` (one entry per rule: "the only executive body" is one note, whatever asks for it)."""
    if param.default_rule is None or param.default is not None:
        return param
    value = resolve_default(kg, param)
    rule, argument = param.default_rule
    if value is None:
        key = (rule, argument) if rule == "only" and argument else (rule, argument, param.classes)
        unresolved.setdefault(key, (param, []))[1].append((question, param.name))
    asks = value is None and rule == "only" and not argument
    return dataclasses.replace(param, default=value, required=param.required or asks)


def _say_once(note: str) -> None:
    """Log a start-up note the first time this process has it to give."""
    if note not in _SAID:
        _SAID.add(note)
        log.info("%s", note)
