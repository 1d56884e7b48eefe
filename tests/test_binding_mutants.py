"""How a named query binds its parameters (``Parameter.to_term``, ``NamedQuery.bind`` in
lscp_kg/named_queries.py): each type's accepted forms, its refusals and their messages, defaults, required
parameters and the resolver.

Written to kill the mutants that survived the mutation run (docs/mutation-testing.md).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lscp_kg.query_binding import NamedQuery
from lscp_kg.query_parameters import Parameter, ParameterError

XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "http://b/"


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize("kind, raw, term", [
    ("iri", "id/a", ox.NamedNode(BASE + "id/a")),
    ("iri", " //id/a ", ox.NamedNode(BASE + "id/a")),  # stripped, leading slashes dropped
    ("iri", "urn:x:y", ox.NamedNode("urn:x:y")),
    ("iri", "Ab+1.-z:rest", ox.NamedNode("Ab+1.-z:rest")),  # any scheme is absolute
    ("iri", "1a:b", ox.NamedNode(BASE + "1a:b")),  # a scheme starts with a letter
    ("date", " 2024-05-01 ", typed("2024-05-01", "date")),
    ("date", "20240501", typed("2024-05-01", "date")),  # written back in the one form
    ("integer", "+007", typed("7", "integer")),
    ("integer", "-3", typed("-3", "integer")),
    ("integer", "9" * 18, typed("9" * 18, "integer")),
    ("integer", 12, typed("12", "integer")),
    ("boolean", "TRUE", typed("true", "boolean")),
    ("boolean", "1", typed("true", "boolean")),
    ("boolean", "False", typed("false", "boolean")),
    ("boolean", "0", typed("false", "boolean")),
    ("boolean", True, typed("true", "boolean")),
    ("boolean", False, typed("false", "boolean")),
    ("string", True, ox.Literal("true")),
    ("string", False, ox.Literal("false")),
    ("iri", "/Xa", ox.NamedNode(BASE + "Xa")),  # only slashes are dropped
    ("string", "  a b  ", ox.Literal("a b")),
    ("string", "x" * 10_000, ox.Literal("x" * 10_000)),
])
def test_to_term(kind, raw, term):
    assert Parameter("p", kind).to_term(raw, BASE) == term


@pytest.mark.parametrize("kind, raw, message", [
    ("iri", "", "expected an IRI (no spaces, quotes or angle brackets)"),
    ("iri", "   ", "expected an IRI (no spaces, quotes or angle brackets)"),
    *[("iri", f"id/a{c}b", "expected an IRI (no spaces, quotes or angle brackets)") for c in ' <>"{}|^`\\\x00\x1f'],
    ("date", "2024-13-01", "expected a date as YYYY-MM-DD"),
    ("date", "yesterday", "expected a date as YYYY-MM-DD"),
    ("integer", "1.5", "expected a whole number"),
    ("integer", "9" * 19, "expected a whole number"),
    ("integer", "", "expected a whole number"),
    ("integer", "12a", "expected a whole number"),
    ("boolean", "yes", "expected true or false"),
    ("string", "x" * 10_001, "value is too long"),
])
def test_to_term_refuses_by_name_and_says_why(kind, raw, message):
    with pytest.raises(ParameterError) as refused:
        Parameter("p", kind).to_term(raw, BASE)
    assert (refused.value.parameter, refused.value.detail) == ("p", message)
    assert str(refused.value) == f"parameter 'p': {message}"


def test_an_iri_pyoxigraph_refuses_says_so():
    with pytest.raises(ParameterError) as refused:
        Parameter("p", "iri").to_term("http://x/%zz", BASE)
    assert refused.value.parameter == "p" and refused.value.detail.startswith("expected an IRI: ")


QUERY = NamedQuery("q", "Q", "", "SELECT ?a ?n ?s WHERE {}", (
    Parameter("a", "iri", required=True),
    Parameter("n", "integer", default="5"),
    Parameter("s", "string"),
))


def test_bind_converts_each_value_and_fills_defaults():
    assert QUERY.bind({"a": "id/x", "s": "t"}, BASE) == {
        ox.Variable("a"): ox.NamedNode(BASE + "id/x"), ox.Variable("n"): typed("5", "integer"),
        ox.Variable("s"): ox.Literal("t")}
    assert QUERY.bind({"a": "id/x", "n": "", "s": None}, BASE) == {
        ox.Variable("a"): ox.NamedNode(BASE + "id/x"), ox.Variable("n"): typed("5", "integer")}
    assert QUERY.bind({"a": "id/x", "n": 0}, BASE)[ox.Variable("n")] == typed("0", "integer")


@pytest.mark.parametrize("raw", [{}, {"a": ""}, {"a": None}])
def test_a_required_parameter_must_be_given(raw):
    with pytest.raises(ParameterError) as refused:
        QUERY.bind(raw, BASE)
    assert (refused.value.parameter, refused.value.detail) == ("a", "is required")


def test_unknown_parameters_are_refused_with_the_known_ones():
    with pytest.raises(ParameterError) as refused:
        QUERY.bind({"a": "id/x", "zz": "1"}, BASE)
    assert (refused.value.parameter, refused.value.detail) == ("zz", "unknown parameter; this query takes a, n, s")
    with pytest.raises(ParameterError) as refused:
        NamedQuery("q", "Q", "", "SELECT * {}").bind({"x": "1"}, BASE)
    assert refused.value.detail == "unknown parameter; this query takes none"
    assert NamedQuery("q", "Q", "", "SELECT * {}").bind({}, BASE) == {}


def test_the_resolver_names_iri_parameters_only():
    asked = []

    def resolve(parameter, text):
        asked.append((parameter.name, text))
        return ox.NamedNode("http://resolved/" + text.replace(" ", "-"))

    bound = QUERY.bind({"a": "The Group", "n": "2", "s": "x"}, BASE, resolve)
    assert asked == [("a", "The Group")]
    assert bound == {ox.Variable("a"): ox.NamedNode("http://resolved/The-Group"),
                     ox.Variable("n"): typed("2", "integer"), ox.Variable("s"): ox.Literal("x")}


def test_a_missing_required_iri_asks_the_resolver_for_choices_first():
    def resolve(parameter, text):
        raise ParameterError(parameter.name, f"choose one ({text!r})", suggestions=({"iri": "http://x/1"},))

    with pytest.raises(ParameterError) as refused:
        QUERY.bind({}, BASE, resolve)
    assert refused.value.detail == "choose one ('')" and refused.value.suggestions == ({"iri": "http://x/1"},)


def test_a_missing_optional_iri_is_left_unbound_without_the_resolver():
    query = NamedQuery("q", "Q", "", "SELECT ?a {}", (Parameter("a", "iri"),))
    assert query.bind({}, BASE, lambda parameter, text: pytest.fail("resolver asked")) == {}
    assert query.bind({"a": True}, BASE, lambda parameter, text: pytest.fail("resolver asked")) == {
        ox.Variable("a"): ox.NamedNode(BASE + "true")}


def test_missing_optional_parameters_are_skipped_and_the_next_ones_bound():
    query = NamedQuery("q", "Q", "", "SELECT ?x ?y ?z {}", (
        Parameter("x", "string"), Parameter("y", "string", default=""), Parameter("z", "string")))
    assert query.bind({"z": "v"}, BASE) == {ox.Variable("z"): ox.Literal("v")}
