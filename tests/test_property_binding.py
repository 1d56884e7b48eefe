"""Property-based tests (hypothesis) of parameter binding, the one place raw values become RDF terms.

Whatever a client sends, binding either refuses it with a ParameterError that
names the parameter, or gives exactly one RDF term of the declared type; a
bound value can only ever match itself (it is never pasted into the query),
and the HTTP API answers such values with 200 or a clear 400, never more.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lscp_kg.query_binding import NamedQuery
from lscp_kg.query_parameters import Parameter, ParameterError

BASE = "https://lscp-kg.example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text a client might send: any code point but lone surrogates (which no URL or JSON can carry as text).
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
IRI_LIKE = st.one_of(ANY_TEXT, st.from_regex(r"\A(https?://|urn:|id/|/)?[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]{0,80}\Z"))


def bound_or_refused(param: Parameter, raw):
    try:
        return param.to_term(raw, BASE)
    except ParameterError as error:
        assert error.parameter == param.name and param.name in str(error)
        return None


@SETTINGS
@given(IRI_LIKE)
def test_iri_parameter_is_one_named_node_or_a_refusal(raw):
    term = bound_or_refused(Parameter("x", "iri"), raw)
    if term is None:
        return
    assert isinstance(term, ox.NamedNode)
    text = raw.strip()
    assert term.value == text or term.value == BASE + text.lstrip("/")
    assert not any(c in term.value for c in '<>"{}|^`\\ \n')


@SETTINGS
@given(st.dates())
def test_every_date_is_accepted_as_xsd_date(day):
    term = Parameter("d", "date").to_term(day.isoformat(), BASE)
    assert term.datatype.value == XSD + "date" and dt.date.fromisoformat(term.value) == day


@SETTINGS
@given(ANY_TEXT)
def test_date_parameter_never_accepts_anything_but_a_date(raw):
    term = bound_or_refused(Parameter("d", "date"), raw)
    if term is not None:
        assert dt.date.fromisoformat(term.value) == dt.date.fromisoformat(raw.strip())


@SETTINGS
@given(st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1))
def test_integers_round_trip(number):
    term = Parameter("n", "integer").to_term(str(number), BASE)
    assert term.datatype.value == XSD + "integer" and int(term.value) == number


@SETTINGS
@given(st.one_of(ANY_TEXT, st.booleans()))
def test_integer_and_boolean_parameters_refuse_other_text(raw):
    for kind, datatype in (("integer", "integer"), ("boolean", "boolean")):
        term = bound_or_refused(Parameter("v", kind), raw)
        if term is not None:
            assert term.datatype.value == XSD + datatype
            if kind == "boolean":
                assert term.value in ("true", "false")


@SETTINGS
@given(ANY_TEXT)
def test_string_parameter_keeps_the_text_as_a_plain_literal(raw):
    term = Parameter("s", "string").to_term(raw, BASE)
    assert isinstance(term, ox.Literal) and term.value == raw.strip() and term.datatype.value == XSD + "string"


@SETTINGS
@given(st.dictionaries(st.text(max_size=20), ANY_TEXT, max_size=4))
def test_bind_refuses_unknown_names_and_binds_only_declared_ones(named_queries, raw):
    query: NamedQuery = named_queries["members-of-body"]
    declared = {p.name for p in query.parameters}
    try:
        bound = query.bind(raw, BASE)
    except ParameterError as error:
        assert error.parameter in set(raw) | declared
        return
    assert set(raw) <= declared
    assert {v.value for v in bound} <= declared


@SETTINGS
@given(IRI_LIKE)
def test_a_bound_value_matches_only_itself_in_the_query(kg, named_queries, raw):
    """Injection attempts run as the one IRI they bind to: every row is about that IRI, or there are none."""
    query = named_queries["members-of-body"]
    try:
        bound = query.bind({"body": raw}, kg.base_iri)
    except ParameterError:
        return
    rows = list(kg.query(query.sparql, substitutions=bound))
    assert all(row["body"] == bound[ox.Variable("body")] for row in rows)


@pytest.fixture(scope="module")
def http(app):
    return app.test_client()


@settings(max_examples=60, deadline=None)
@given(value=IRI_LIKE, query=st.sampled_from([("members-of-body", "body"), ("accountability-chain", "start"),
                                              ("ceased-organisations", "asof"), ("source-issues", "entity")]))
def test_http_api_answers_any_parameter_value_with_200_or_a_clear_400(http, value, query):
    name, param = query
    response = http.get(f"/api/queries/{name}?{param}={quote(value, safe='')}")
    assert response.status_code in (200, 400), response.data[:300]
    document = response.get_json()
    if response.status_code == 400:
        assert param in document["error"]
    else:
        assert document["query"]["parameters"] == {param: value}
