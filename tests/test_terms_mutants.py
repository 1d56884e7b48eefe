"""Exact text from the one writer of bound values (lscp_kg/sparql_terms.py).

Written to kill the mutants that survived the mutation run (docs/mutation-testing.md): whole strings are
compared, and each refusal is checked for its kind and message.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lscp_kg.sparql_terms import iri_term, sparql_term, values_block


@pytest.mark.parametrize("term, expected", [
    (ox.NamedNode("http://x/a"), "<http://x/a>"),
    (ox.Literal("a\nb"), '"a\\nb"'),
    (ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
     '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
])
def test_named_nodes_and_literals_are_written(term, expected):
    assert sparql_term(term) == expected


@pytest.mark.parametrize("term", [ox.BlankNode("b0"), "http://x/a", None, ox.Variable("x")])
def test_anything_else_is_refused_by_name(term):
    with pytest.raises(TypeError) as refused:
        sparql_term(term)
    assert str(refused.value) == f"only a pyoxigraph NamedNode or Literal is written into a query, not {term!r}"


def test_iri_term_checks_the_iri():
    assert iri_term("http://x/a#b") == "<http://x/a#b>"
    with pytest.raises(ValueError):
        iri_term("not an iri")


def test_values_block_names_each_variable_and_writes_each_term():
    bound = {ox.Variable("x"): ox.NamedNode("http://x/a"), "n": ox.Literal("o'k")}
    assert values_block(bound) == "VALUES (?x ?n) { (<http://x/a> \"o'k\") }"


def test_values_block_writes_with_the_writer_given():
    bound = {ox.Variable("b"): ox.BlankNode("b1"), ox.Variable("c"): ox.Literal("c")}
    assert values_block(bound, write=lambda term: f"[{term.value}]") == "VALUES (?b ?c) { ([b1] [c]) }"
    with pytest.raises(TypeError):
        values_block(bound)  # the default writer refuses the blank node
