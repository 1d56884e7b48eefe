"""The query guard in the service: SERVICE never reaches another host, and worker-killing queries get 400.

These go through the Flask app and its real worker pool (the ``client`` fixture). Each bypass is first shown to
be real: pyoxigraph, run directly in this process with no guard and no network namespace, does connect to the
listener; through the service, the same text is refused and nothing connects.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from lscp_kg.service.query_guard import LIMITS
from network_support import ConnectionCounter

PROLOGUE = "PREFIX ex: <http://example.org/> "
BYPASSES = {
    "escaped-quote-in-a-name": "SELECT * WHERE {{ BIND(ex:a\\' AS ?x) SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "issue-10-order": "SELECT * WHERE {{ ex:a\\' ex:b ex:c . SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "comparison-read-as-iri": "SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{url}/sparql> {{ ?s ?p ?o }} }}",
    "keyword-glued-to-silent": "SELECT * WHERE {{ SERVICESILENT <{url}/sparql> {{ ?s ?p ?o }} }}",
    "second-dot-run-ends-a-name": "SELECT * WHERE {{ VALUES ?s {{ ex:a.b.SERVICE <{url}/sparql> {{ }} }} }}",
}


@pytest.fixture
def listener():
    opened = ConnectionCounter()
    yield opened
    opened.close()


def _connects_without_the_guard(text: str, listener: ConnectionCounter) -> bool:
    try:
        list(ox.Store().query(text))
    except (OSError, RuntimeError, SyntaxError):
        pass
    time.sleep(0.2)
    return listener.connections > 0


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_a_service_query_never_causes_a_connection(client, listener, name):
    text = PROLOGUE + BYPASSES[name].format(url=listener.url)
    for request in ({"query_string": {"query": text}}, {"data": {"query": text}, "method": "POST"},
                    {"data": text.encode(), "method": "POST", "content_type": "application/sparql-query"}):
        response = client.open("/sparql", **request)
        assert response.status_code == 400, response.get_data(as_text=True)
        assert "SERVICE" in response.get_data(as_text=True)
    time.sleep(0.3)
    assert listener.connections == 0


@pytest.mark.parametrize("name", ["escaped-quote-in-a-name", "comparison-read-as-iri", "keyword-glued-to-silent"])
def test_the_bypasses_are_real_without_the_guard(listener, name):
    """Shows that the refused texts above are not harmless: Oxigraph itself would call the service."""
    assert _connects_without_the_guard(PROLOGUE + BYPASSES[name].format(url=listener.url), listener)


# --- Worker-killing queries --------------------------------------------------------------------------------------

KILLERS = {
    "12000-terms": ("SELECT * WHERE { BIND(" + "+".join(["1"] * 12_000) + " AS ?x) }", "operators in one expression"),
    "3000-chained-binds": ("SELECT * WHERE { BIND(1 AS ?x0) " + " ".join(f"BIND(?x{i}+1 AS ?x{i + 1})" for i in range(3000))
                           + " }", "BIND"),
    "3000-groups-behind-an-escaped-name": ("SELECT * WHERE { ex:a\\' ?p ?o " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
                                           + " }", "levels deep"),
    "1000-nested-calls": ("SELECT * WHERE { BIND(" + "STR(" * 1000 + "1" + ")" * 1000 + " AS ?x) }", "levels deep"),
    "7000-unions": ("SELECT * WHERE { " + " UNION ".join("{ ?s ex:p ?o }" for _ in range(7000)) + " }", "UNION"),
    "3000-projections": ("SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(3000)) + " WHERE { }", "AS"),
    "12000-path-alternatives": ("SELECT * WHERE { ?s " + "|".join(["ex:p"] * 12_000) + " ?o }", "path steps"),
}


@pytest.fixture(scope="module")
def roomy_app(kg):
    """An app that accepts long queries (the session app's 20,000 characters would answer 413 first)."""
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "MAX_QUERY_LENGTH": 200_000,
                              "MAX_CONTENT_LENGTH": 1 << 20, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 10})
    yield application
    application.extensions["lscp_kg"].runner.close()


@pytest.mark.parametrize("name", sorted(KILLERS))
def test_worker_killing_queries_are_refused_before_they_run(roomy_app, name):
    text, words = KILLERS[name]
    client = roomy_app.test_client()
    response = client.post("/sparql", data=(PROLOGUE + text).encode(), content_type="application/sparql-query")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and words in body and "this service accepts at most" in body, body
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert roomy_app.extensions["lscp_kg"].runner.replaced == 0  # no worker died


def test_the_size_messages_name_the_measure_and_the_limit():
    from lscp_kg.service.errors import HttpError
    from lscp_kg.service.query_guard import check_query

    with pytest.raises(HttpError) as refused:
        check_query(PROLOGUE + KILLERS["12000-terms"][0], 10**6)
    assert refused.value.status == 400
    assert refused.value.message.startswith("The query has 11,999 operators in one expression (about 12,000 terms)")
    assert f"at most {LIMITS.expression_operators:,}" in refused.value.message


def _at_the_limits() -> str:
    depth = LIMITS.nesting - 5
    expression = "+".join(["1"] * (LIMITS.expression_operators + 1))
    binds = " ".join(f"BIND({i} AS ?b{i})" for i in range((LIMITS.pattern_operators - depth - 10) // 2))  # 2 each
    return (f"SELECT ?x WHERE {{ {binds} BIND({expression} AS ?x) " + "{" * depth + " BIND(1 AS ?y) " + "}" * depth
            + " }")


def test_a_query_just_within_every_limit_runs_in_a_worker(kg):
    """The limits stay well below what kills a worker: a query at all of them at once is answered."""
    from lscp_kg.service.limits import Limits
    from lscp_kg.service.guarded_runner import GuardedRunner
    from lscp_kg.service.query_guard import check_query
    from lscp_kg.service.query_runner import QueryJob

    text = _at_the_limits()
    check_query(text, 10**6)
    pool = GuardedRunner(kg, Limits(time_limit=30, workers=1))
    try:
        outcome = pool.run(QueryJob(text, {"results": "json", "graph": None}))
        assert outcome.rows == 1 and pool.replaced == 0
    finally:
        pool.close()


# --- Refused or failing: never a 500 -------------------------------------------------------------------------

@pytest.mark.parametrize("text, status", [
    ("SELECT (<http://example.org/fn>(1) AS ?x) {}", 400),  # accepted by the parser, refused by the evaluator
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 18446744073709551616", 400),
    ("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { } }", 400), ("LOAD <http://127.0.0.1:9/x>", 400),
    ("SELECT * WHERE { ſERVICE <http://127.0.0.1:9/> { } }", 400),
])
def test_refused_and_failing_queries_are_4xx(client, text, status):
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == status, response.get_data(as_text=True)


def test_a_query_that_fails_in_its_worker_is_503_not_500(kg):
    """An evaluation error the worker does not expect (here: SERVICE handed to it past the guard) is not a 500."""
    from flask import Flask

    from lscp_kg.service.errors import HttpError, register_error_handlers
    from lscp_kg.service.limits import Limits
    from lscp_kg.service.guarded_runner import GuardedRunner
    from lscp_kg.service.query_runner import QueryJob

    pool = GuardedRunner(kg, Limits(time_limit=10, workers=1))
    app = Flask(__name__)
    register_error_handlers(app)

    @app.get("/run")
    def run():
        pool.run(QueryJob("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                          {"results": "json", "graph": None}))
        return "ran"

    try:
        response = app.test_client().get("/run", headers={"Accept": "application/json"})
        assert response.status_code in (400, 503), response.get_data(as_text=True)
    finally:
        pool.close()
    assert HttpError  # the pool's refusals are HttpErrors, rendered by the one handler


@pytest.mark.parametrize("text", ["LOAD <http://127.0.0.1:9/x>", "load silent <http://127.0.0.1:9/x>",
                                  "LOADSILENT <http://127.0.0.1:9/x>", "LOAD<http://127.0.0.1:9/x>INTO GRAPH <urn:g>",
                                  "PREFIX ex: <http://x/> LOAD ex:a\\'"])
def test_load_is_refused_whatever_its_spelling(text):
    from lscp_kg.service.errors import HttpError
    from lscp_kg.service.query_guard import check_query

    with pytest.raises(HttpError) as refused:
        check_query(text, 10_000)
    assert refused.value.status == 400 and "LOAD" in refused.value.message
