"""A named query, and its parameters bound: checked, converted to terms, and handed to the engine.

A :class:`NamedQuery` is what :mod:`lscp_kg.query_files` reads from one
``.rq`` file (the header is described in :mod:`lscp_kg.named_queries`).
Binding turns the values a request gives into RDF terms
(:class:`~lscp_kg.query_parameters.Parameter`), fills in defaults, refuses
unknown names, and, for ``iri`` parameters, lets a resolver turn a name into
its entity (:mod:`lscp_kg.name_resolution`). The terms reach the engine as
pyoxigraph ``substitutions``, or first in a ``VALUES`` block
(``#+ bind: values-first``); they are never pasted into the text by hand.

>>> q = NamedQuery("q", "Q", "", "SELECT ?d WHERE { ?s ?p ?d }", (Parameter("d", "date", required=True),))
>>> q.bind({"d": "2024-05-01"}, "http://x/")
{<Variable value=d>: <Literal value=2024-05-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>}
>>> q.bind({}, "http://x/")
Traceback (most recent call last):
lscp_kg.query_parameters.ParameterError: parameter 'd': is required
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import pyoxigraph as ox

from .home_sections import HomeSection
from .query_parameters import Parameter, ParameterError
from .sparql_reader import tokens
from .sparql_terms import values_block

BIND_STYLES = ("substitutions", "values-first")

#: Turns the text of an ``iri`` parameter (an IRI or a name) into its entity, or raises ParameterError.
Resolve = Callable[[Parameter, str], ox.NamedNode]


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = ()
    answers: tuple[int, ...] = ()
    path: Path | None = field(default=None, compare=False)
    #: who asks it (governance-lead, scrutineer, integrator), its topic and a one-line summary, for the questions page
    audience: tuple[str, ...] = ()
    topic: str = ""
    summary: str = ""
    #: how parameters reach the engine (``#+ bind:``): pyoxigraph's ``substitutions``, or ``values-first``
    bind_style: str = "substitutions"
    #: where the home page shows its answer (``#+ home:``), or None
    home: HomeSection | None = None

    def prepare(self, raw: Mapping[str, Any], base_iri: str, resolve: Resolve | None = None) -> tuple[str, dict]:
        """The text to run and its substitutions, bound the way this query is fastest (``#+ bind:``).

        ``substitutions`` (the default) hands the terms to pyoxigraph; ``values-first`` puts the same terms,
        written by pyoxigraph, in a ``VALUES`` block that opens the WHERE clause, which Oxigraph applies
        before the rest (it does not push a substituted variable into UNION branches or OPTIONAL parts).

        >>> q = NamedQuery("q", "Q", "", "SELECT ?x ?l WHERE { ?x rdfs:label ?l }",
        ...                (Parameter("x", "iri", classes=("http://www.w3.org/2002/07/owl#Thing",)),),
        ...                bind_style="values-first")
        >>> q.prepare({"x": "id/a"}, "http://e/")
        ('SELECT ?x ?l WHERE { VALUES (?x) { (<http://e/id/a>) } ?x rdfs:label ?l }', {})
        """
        bound = self.bind(raw, base_iri, resolve)
        if self.bind_style != "values-first" or not bound:
            return self.sparql, bound
        return values_first(self.sparql, bound), {}

    def bind(self, raw: Mapping[str, Any], base_iri: str,
             resolve: Resolve | None = None) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Check and convert parameter values; unknown names are refused.

        ``resolve(parameter, text)``, when given, turns the value of an ``iri``
        parameter (an IRI or a name) into the NamedNode of an entity of its kind,
        or raises :class:`ParameterError` with suggestions.

        >>> from lscp_kg.named_queries import load_named_queries
        >>> q = load_named_queries()["members-of-body"]
        >>> q.bind({"body": "id/lewisham/body/mace"}, "http://x/")
        {<Variable value=body>: <NamedNode value=http://x/id/lewisham/body/mace>}
        """
        self._refuse_unknown(raw)
        bound = {}
        for param in self.parameters:
            value = _given_or_default(param, raw)
            if value is None:
                _check_may_be_left_out(param, resolve)
            else:
                bound[ox.Variable(param.name)] = _term(param, value, base_iri, resolve)
        return bound

    def _refuse_unknown(self, raw: Mapping[str, Any]) -> None:
        known = [p.name for p in self.parameters]
        for name in raw:
            if name not in known:
                raise ParameterError(name, f"unknown parameter; this query takes {', '.join(known) or 'none'}")

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "answers": list(self.answers), "parameters": [p.describe() for p in self.parameters],
                "audience": list(self.audience), "topic": self.topic, "summary": self.summary}


def _given_or_default(param: Parameter, raw: Mapping[str, Any]) -> Any:
    """The value the request gives, else the parameter's default; None when neither has one."""
    for value in (raw.get(param.name), param.default):
        if value is not None and value != "":
            return value
    return None


def _check_may_be_left_out(param: Parameter, resolve: Resolve | None) -> None:
    """A required parameter without a value is refused; with a resolver, with the entities to choose from."""
    if not param.required:
        return
    if resolve is not None and param.type == "iri":
        resolve(param, "")  # raises, with the entities to choose from
    raise ParameterError(param.name, "is required")


def _term(param: Parameter, value: Any, base_iri: str, resolve: Resolve | None) -> ox.NamedNode | ox.Literal:
    """The term of a given value: an ``iri`` parameter's through the resolver when there is one."""
    if resolve is not None and param.type == "iri" and not isinstance(value, bool):
        return resolve(param, str(value))
    return param.to_term(value, base_iri)


def values_first(sparql: str, bound: Mapping) -> str:
    """The query with ``bound`` terms as a ``VALUES`` block first in its outermost WHERE clause
    (written by :func:`lscp_kg.sparql_terms.values_block`).

    >>> values_first("SELECT * { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode("http://x/a")})
    'SELECT * { VALUES (?s) { (<http://x/a>) } ?s ?p ?o }'
    """
    depth, after_where, opening = 0, False, None
    for token in tokens(sparql):
        if token.text == "{":
            if depth == 0 and (after_where or opening is None):
                opening = token
                if after_where:
                    break
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            after_where = True
    if opening is None:
        raise ValueError("the query has no WHERE clause to put the parameters in")
    return f"{sparql[:opening.end]} {values_block(bound)}{sparql[opening.end:]}"
