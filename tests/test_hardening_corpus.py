"""A corpus of hostile and malformed requests, for every endpoint and parameter, against the real server.

For every request: no 5xx, except a deliberate 503 for an exceeded limit (said
so in the answer); and, after the whole corpus, no connection was made to
another address (queries aimed at a listener on 127.0.0.1 that counts
connections), the store is unchanged, and the server still answers.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests

from network_support import ConnectionCounter
from server_support import session_from

SPARQL_QUERY = "application/sparql-query"
SECRET_MARKERS = ("root:x:0:0", "[build-system]", "import click", "BEGIN RSA", "def create_app")
FINGERPRINT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


LISTENER = ConnectionCounter()
HOST = f"http://127.0.0.1:{LISTENER.port}"


def _deep(depth: int, open_: str, close: str, inner: str) -> str:
    return open_ * depth + inner + close * depth


# (id, method, path, keyword arguments for requests)
BAD_SPARQL = [
    "SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE {", "SELECT * WHERE { ?s ?p }", "SELECT * WHERE { ?s ?p 'open }",
    "SELECT * { nope:x ?p ?o }", "SELECT * { <http://a b> ?p ?o }", "SELECT ?x (1 AS ?x) {}",
    "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s",
    "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
    "SELECT (<http://example.org/fn>(1) AS ?x) {}", "SELECT * { ?s ?p ?o FILTER(?o > ) }", "}}}}", "{{{{",
    "ASK", "DESCRIBE", "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o } ; SELECT * {}",
    "SELECT * WHERE { BIND(1/0 AS ?x) }", "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, '[')) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), '(a{1000}){1000}')) } LIMIT 1",
    "PREFIX : <> PREFIX : <> SELECT * {}", "BASE <not absolute> SELECT * {}", "SELECT * WHERE { ?s ?p \u0000 }",
    "SELECT * WHERE { ?s ?p '\ud7ff\ue000' }", "SELECT ?\u0301 {}", "SELECT * WHERE { ?s ?p ?o } ORDER BY",
    "SELECT * WHERE { VALUES ?x { 1 2 } VALUES ?x { (1) } }", "SELECT * WHERE { GRAPH { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . FILTER EXISTS }", "SELECT (SUM(?nope) AS ?x) {} HAVING (?x)",
    "SELECT * WHERE { ?s ?p ?o } OFFSET 9999999999", "SELECT * WHERE { ?s <<?a ?b ?c>> ?o }",
    "SELECT * WHERE { ?s ?p \"\"\"unterminated }", "# only a comment", "   \n\t  ",
]
UPDATES_AND_FETCHES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }", "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR ALL", "DROP ALL", "DROP DEFAULT", "CREATE GRAPH <urn:g>", "ADD DEFAULT TO <urn:g>", "MOVE DEFAULT TO <urn:g>",
    "COPY DEFAULT TO <urn:g>", "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    f"LOAD <{HOST}/data.ttl>", f"LOAD SILENT <{HOST}/data.ttl> INTO GRAPH <urn:g>", "load <file:///etc/passwd>",
    f"SELECT * WHERE {{ SERVICE <{HOST}/sparql> {{ ?s ?p ?o }} }}",
    f"select * where {{ service silent <{HOST}/sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ \\u0053ERVICE <{HOST}/sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE ?endpoint {{ ?s ?p ?o }} VALUES ?endpoint {{ <{HOST}/sparql> }} }}",
    f"SELECT * FROM <{HOST}/data.ttl> WHERE {{ ?s ?p ?o }} LIMIT 1",
    f"SELECT * FROM NAMED <{HOST}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 1",
    f"DESCRIBE <{HOST}/resource>", f"SELECT * WHERE {{ ?s ?p ?o }} # \n INSERT DATA {{ <urn:a> <urn:b> <urn:c> }}",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]
HUGE = [
    ("nested-groups-5000", "SELECT * WHERE " + _deep(5000, "{", "}", " ?s ?p ?o ")),
    ("nested-parens-5000", "SELECT * WHERE { FILTER(" + _deep(5000, "(", ")", "1") + ") }"),
    ("nested-not-exists-300", "SELECT * WHERE { ?s ?p ?o " + _deep(300, "FILTER NOT EXISTS { ", " }", "?s ?p ?o") + " }"),
    ("nested-lists-5000", "SELECT * WHERE { ?s ?p " + _deep(5000, "(", ")", "1") + " }"),
    ("nested-blank-nodes-5000", "SELECT * WHERE { ?s ?p " + _deep(5000, "[ <urn:p> ", " ]", "1") + " }"),
    ("many-unions", "SELECT * WHERE { " + " UNION ".join(f"{{ ?s <urn:p{i}> ?o }}" for i in range(800)) + " }"),
    ("long-values", "SELECT * WHERE { VALUES ?x { " + " ".join(f'"{i}"' for i in range(3000)) + " } }"),
    ("long-literal", "SELECT * WHERE { BIND('" + "a" * 19_000 + "' AS ?x) }"),
    ("over-the-length-limit", "SELECT * WHERE { BIND('" + "a" * 30_000 + "' AS ?x) }"),
    ("runaway-cross-product", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"),
]


def _corpus():
    cases = []
    for i, text in enumerate(BAD_SPARQL):
        cases.append((f"bad-sparql-{i}-get", "GET", "/sparql", {"params": {"query": text}}))
        cases.append((f"bad-sparql-{i}-post", "POST", "/sparql", {"data": text.encode("utf-8", "surrogatepass"),
                                                                  "headers": {"Content-Type": SPARQL_QUERY}}))
    for i, text in enumerate(UPDATES_AND_FETCHES):
        cases.append((f"update-or-fetch-{i}-get", "GET", "/sparql", {"params": {"query": text}}))
        cases.append((f"update-or-fetch-{i}-form", "POST", "/sparql", {"data": {"query": text}}))
        cases.append((f"update-or-fetch-{i}-update-param", "POST", "/sparql", {"data": {"update": text}}))
        cases.append((f"update-or-fetch-{i}-update-type", "POST", "/sparql", {
            "data": text.encode(), "headers": {"Content-Type": "application/sparql-update"}}))
    for name, text in HUGE:
        cases.append((f"huge-{name}", "POST", "/sparql", {"data": text.encode(), "headers": {"Content-Type": SPARQL_QUERY}}))
    injections = ["> } ; DROP ALL ; { <x", "id/x> } INSERT DATA { <a> <b> <c> } #", "<script>alert(1)</script>",
                  "javascript:alert(1)", "file:///etc/passwd", f"{HOST}/x", "\" . ?s ?p ?o . \"", "?x", "$x",
                  "id/lewisham/body/mace\r\nX-Injected: 1", "id/\u0000", "a" * 20_000, "%00", "../../etc/passwd",
                  "id/lewisham/body/mace' || true || '", "\U0001F4A9", "%ED%A0%BD", ""]
    for i, value in enumerate(injections):
        for query, param in (("members-of-body", "body"), ("ceased-organisations", "asof"),
                             ("changes-over-time", "entity"), ("accountability-chain", "start")):
            cases.append((f"injection-{i}-{query}-api", "GET", f"/api/queries/{query}", {"params": {param: value}}))
        cases.append((f"injection-{i}-page", "GET", "/queries/members-of-body", {"params": {"body": value}}))
        cases.append((f"injection-{i}-entity", "GET", "/entity", {"params": {"iri": value}}))
    cases += [
        ("param-unknown", "GET", "/api/queries/members-of-body", {"params": {"nope": "1"}}),
        ("param-repeated", "GET", "/api/queries/members-of-body?body=a&body=b", {}),
        ("param-name-injection", "GET", "/api/queries/members-of-body", {"params": {"body} DROP ALL {": "x"}}),
        ("query-name-traversal", "GET", "/api/queries/..%2F..%2Fpyproject", {}),
        ("query-name-unknown", "GET", "/api/queries/" + "x" * 5000, {}),
        ("page-name-traversal", "GET", "/queries/..%2Fscrutiny%2Fcheck", {}),
        ("explore-unknown-view", "GET", "/explore/..%2F..%2Fcli.py", {}),
        ("explore-bad-iri", "GET", "/explore/entity", {"params": {"iri": "<script>"}}),
        ("explore-depth", "GET", "/explore/entity", {"params": {"iri": "id/lewisham/body/mace", "depth": "99999999"}}),
        ("scrutiny-bad-date", "GET", "/scrutiny.json", {"params": {"asof": "9999999-99-99"}}),
        ("scrutiny-unknown", "GET", "/scrutiny", {"params": {"x": "<script>"}}),
        ("analysis-unknown", "GET", "/api/analysis", {"params": {"x": "1"}}),
        ("id-very-long", "GET", "/id/" + "a/" * 3000, {}),
        ("id-invalid-utf8", "GET", "/id/%FF%FE", {}),
        ("sparql-invalid-utf8", "GET", "/sparql?query=%FF%FE", {}),
        ("sparql-bad-percent", "GET", "/sparql?query=%ZZ%", {}),
        ("form-invalid-utf8", "POST", "/sparql", {"data": b"query=%FF%FE",
                                                 "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        ("body-invalid-utf8", "POST", "/sparql", {"data": b"ASK {\xff}", "headers": {"Content-Type": SPARQL_QUERY}}),
        ("body-latin1", "POST", "/sparql", {"data": "ASK { ?s ?p 'é' }".encode("latin-1"),
                                            "headers": {"Content-Type": SPARQL_QUERY + "; charset=latin-1"}}),
        ("body-unknown-charset", "POST", "/sparql", {"data": b"ASK {}", "headers": {"Content-Type": SPARQL_QUERY + "; charset=x-nope"}}),
        ("body-utf16", "POST", "/sparql", {"data": "ASK {}".encode("utf-16"),
                                           "headers": {"Content-Type": SPARQL_QUERY + "; charset=utf-16"}}),
        ("body-gzip-claimed", "POST", "/sparql", {"data": b"ASK {}", "headers": {"Content-Type": SPARQL_QUERY,
                                                                                  "Content-Encoding": "gzip"}}),
        ("body-too-large", "POST", "/sparql", {"data": b"#" * 200_000, "headers": {"Content-Type": SPARQL_QUERY}}),
        ("body-multipart", "POST", "/sparql", {"files": {"query": ("q.rq", b"ASK {}")}}),
        ("body-json", "POST", "/sparql", {"json": {"query": "ASK {}"}}),
        ("no-content-type", "POST", "/sparql", {"data": b"ASK {}", "headers": {"Content-Type": ""}}),
        ("accept-garbage", "GET", "/sparql", {"params": {"query": "ASK {}"}, "headers": {"Accept": "*/*;q=abc, ;;;, text/html;q=2"}}),
        ("accept-huge", "GET", "/api/queries/statutory-partners", {"headers": {"Accept": ", ".join(f"x/y{i}" for i in range(3000))}}),
        ("accept-unknown", "GET", "/api/queries/statutory-partners", {"headers": {"Accept": "image/png"}}),
        ("format-traversal", "GET", "/sparql", {"params": {"query": "ASK {}", "format": "../../etc/passwd"}}),
        ("format-many", "GET", "/sparql", {"params": {"query": "ASK {}", "format": ["x"] * 500}}),
        ("graph-uri-bad", "GET", "/sparql", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}),
        ("graph-uri-remote", "GET", "/sparql", {"params": {"query": "SELECT * { ?s ?p ?o } LIMIT 1",
                                                           "default-graph-uri": f"{HOST}/g", "named-graph-uri": f"{HOST}/n"}}),
        ("method-put", "PUT", "/sparql", {"data": b"ASK {}"}),
        ("method-delete", "DELETE", "/api/queries/statutory-partners", {}),
        ("method-patch", "PATCH", "/id/lewisham/body/mace", {}),
        ("method-trace", "TRACE", "/", {}),
        ("options-preflight", "OPTIONS", "/sparql", {"headers": {"Origin": "http://evil.example",
                                                                  "Access-Control-Request-Method": "DELETE"}}),
        ("host-header", "GET", "/sparql", {"headers": {"Host": "evil.example:1\r\nX: y".replace("\r\n", "")}}),
    ]
    for path in ("/static/../pyproject.toml", "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
                 "/static//etc/passwd", "/static/%00", "/static/..\\..\\cli.py", "/static/openapi.json/..%2f..%2fapp.py",
                 "/vendor/codemirror/../../../../etc/passwd", "/vendor/codemirror/lib%2F..%2F..%2F..%2Fsetup.py",
                 "/vendor/codemirror/%2e%2e%2f%2e%2e%2fsetup.py", "/vendor/codemirror/LICENSE%00.js",
                 "/explore/assets/..%2f..%2fcli.py", "/explore/assets/%2e%2e%2fexplorer.js", "/explore/assets/",
                 "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd",
                 "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd"):
        cases.append((f"traversal-{path}", "GET", path, {}))
    return cases


CORPUS = _corpus()


@pytest.fixture(scope="module")
def server(live_server):
    return live_server.url


@pytest.fixture(scope="module")
def baseline(server):
    """The store's fingerprint (quads per graph) and size before the corpus runs."""
    fingerprint = requests.get(server + "/sparql", params={"query": FINGERPRINT}, headers={"Cache-Control": "no-cache",
                                                                                          "Accept": "text/csv"}, timeout=30)
    health = requests.get(server + "/health", timeout=30).json()
    assert fingerprint.status_code == 200 and fingerprint.headers["X-Truncated"] == "false"
    return fingerprint.text, health["triples"]


#: The corpus is an abusive client by design: it comes from an address of its own, so that the service's
#: penalty for its runaway queries falls on it alone and not on the other tests' client (127.0.0.1).
HOSTILE_CLIENT = "127.0.13.1"


def send(server: str, method: str, path: str, kwargs: dict) -> requests.Response:
    session = session_from(HOSTILE_CLIENT)
    if path.startswith(("/static/..", "/vendor/codemirror/..", "/id/..", "//", "/%2e", "/..")):
        # requests would normalise the dots away: send the raw path.
        prepared = requests.Request(method, server + "/").prepare()
        prepared.url = server + path
        return session.send(prepared, timeout=60)
    return session.request(method, server + path, timeout=60, **kwargs)


@pytest.mark.parametrize("case", CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_request_gets_a_clear_refusal_or_a_safe_answer(server, baseline, case):
    _name, method, path, kwargs = case
    response = send(server, method, path, kwargs)
    status = response.status_code
    if status >= 500:
        assert status == 503 and ("limit" in response.text or "busy" in response.text), (status, response.text[:300])
    body = response.text
    assert not any(marker in body for marker in SECRET_MARKERS), body[:300]
    if response.headers.get("Content-Type", "").startswith("text/html"):
        assert "<script>alert(1)</script>" not in body and "X-Injected" not in response.headers
    if status >= 400:
        assert body.strip(), "a refusal says why"
        assert "Traceback" not in body


def test_deep_nesting_is_refused_before_it_reaches_a_worker(server):
    before = requests.get(server + "/health", timeout=10).json()["workers_replaced"]
    for text in (HUGE[0][1], HUGE[1][1], HUGE[3][1]):
        response = requests.post(server + "/sparql", data=text, headers={"Content-Type": SPARQL_QUERY}, timeout=30)
        assert response.status_code == 400 and "levels deep" in response.text
    assert requests.get(server + "/health", timeout=10).json()["workers_replaced"] == before
    # Real queries nest a few levels: far from the limit.
    ok = requests.post(server + "/sparql", data="SELECT * WHERE " + _deep(50, "{", "}", "?s ?p ?o") + " LIMIT 1",
                       headers={"Content-Type": SPARQL_QUERY}, timeout=30)
    assert ok.status_code == 200


def test_reflected_values_are_escaped_in_pages(server):
    page = requests.get(server + "/queries/members-of-body", params={"body": '"><script>alert(1)</script>'}, timeout=30)
    assert page.status_code == 400 and "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text or "&#34;&gt;&lt;script" in page.text


def test_after_the_corpus_nothing_was_contacted_nothing_changed_and_the_server_answers(server, baseline):
    assert LISTENER.connections == 0, "a request made the service open a connection"
    fingerprint = requests.get(server + "/sparql", params={"query": FINGERPRINT},
                               headers={"Cache-Control": "no-cache", "Accept": "text/csv"}, timeout=30)
    for _ in range(3):  # each worker has its own copy: ask more than once
        again = requests.get(server + "/sparql", params={"query": FINGERPRINT},
                             headers={"Cache-Control": "no-cache", "Accept": "text/csv"}, timeout=30)
        assert again.text == baseline[0]
    assert fingerprint.text == baseline[0]
    assert requests.get(server + "/health", timeout=10).json()["triples"] == baseline[1]
    answer = requests.get(server + "/api/queries/statutory-partners", headers={"Cache-Control": "no-cache"}, timeout=30)
    assert answer.status_code == 200 and len(answer.json()["results"]["bindings"]) >= 3
    LISTENER.close()
