"""``#+ bind:``: a named query chooses how its parameters reach the engine, and gets the same answer either way.

``values-first`` (a VALUES block opening the WHERE clause) is what Oxigraph evaluates fastest for queries whose
parameter would otherwise be applied late (UNION branches, OPTIONAL parts; docs/benchmarks.md); the answers
must be exactly those of pyoxigraph's own substitution.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_binding import NamedQuery, values_first
from lscp_kg.query_files import parse_query_file, QueryFileError


def rows(result) -> list:
    names = [v.value for v in result.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in result)


VALUES_FIRST = sorted(name for name, q in load_named_queries().items() if q.bind_style == "values-first")


def test_some_queries_bind_values_first():
    assert VALUES_FIRST, "the queries the profile found slow with late substitution say bind: values-first"


@pytest.mark.parametrize("name", VALUES_FIRST)
def test_values_first_gives_exactly_the_substituted_answer(kg, named_queries, name):
    query = named_queries[name]
    text, substitutions = query.prepare({}, kg.base_iri)
    assert substitutions == {} and "VALUES" in text
    bound = query.bind({}, kg.base_iri)
    assert rows(kg.query(text)) == rows(kg.query(query.sparql, substitutions=bound))


def test_values_go_in_the_outermost_where_clause_not_a_template_or_string():
    bound = {ox.Variable("x"): ox.NamedNode("http://e/a")}
    construct = 'CONSTRUCT { ?x ?p "{" } WHERE { ?x ?p ?o }'
    assert values_first(construct, bound) == 'CONSTRUCT { ?x ?p "{" } WHERE { VALUES (?x) { (<http://e/a>) } ?x ?p ?o }'
    assert values_first("SELECT * { ?x ?p ?o }", bound) == "SELECT * { VALUES (?x) { (<http://e/a>) } ?x ?p ?o }"


def test_an_unknown_bind_style_is_refused(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("#+ title: Q\n#+ bind: sometimes\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryFileError, match="bind"):
        parse_query_file(path)
    assert NamedQuery("q", "Q", "", "ASK {}").bind_style == "substitutions"
