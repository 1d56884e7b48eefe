"""Bad bytes in a request get a clear 400: a query that is not UTF-8, however it is sent."""

from __future__ import annotations

import pytest

QUERY = "ASK {}"


@pytest.mark.parametrize("request_kwargs", [
    {"path": "/sparql?query=ASK%20%7B%7D%FF"},
    {"path": "/sparql?query=%C3%28", "method": "GET"},
    {"path": "/sparql", "method": "POST", "data": b"query=ASK%20%7B%20%7D%FF",
     "content_type": "application/x-www-form-urlencoded"},
    {"path": "/sparql?default-graph-uri=%FF", "method": "POST", "data": b"query=ASK%20%7B%7D",
     "content_type": "application/x-www-form-urlencoded"},
    {"path": "/sparql", "method": "POST", "data": b"ASK { \xff }", "content_type": "application/sparql-query"},
], ids=["get", "get-truncated-sequence", "form-body", "form-url-parameter", "direct-post"])
def test_a_query_that_is_not_utf8_is_refused(client, request_kwargs):
    response = client.open(**request_kwargs)
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize("charset", ["UTF-16", "utf-16le", "iso-8859-1", "nonsense"])
def test_a_direct_query_in_another_charset_is_refused(client, charset):
    """The W3C protocol tests expect application/sparql-query in any charset but UTF-8 refused, even when
    the bytes decode in the charset named (as UTF-16 text does)."""
    body = QUERY.encode("utf-16" if charset.lower().startswith("utf-16") else "latin-1")
    response = client.post("/sparql", data=body, content_type=f"application/sparql-query; charset={charset}")
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
    assert client.post("/sparql", data=QUERY.encode(), content_type="application/sparql-query; charset=utf-8").status_code == 200


def test_utf8_queries_still_answer(client):
    assert client.get("/sparql?query=ASK%20%7B%20BIND(%22%C3%A9%22%20AS%20%3Fx)%20%7D").status_code == 200
    assert client.post("/sparql", data={"query": "ASK { BIND('é' AS ?x) }"}).status_code == 200


def test_over_real_http_too(live_server):
    """Through gunicorn, whose query string and body reach Flask as the client sent them."""
    import requests

    url = live_server.url + "/sparql"
    assert requests.get(url + "?query=ASK%20%7B%7D%FF", timeout=30).status_code == 400
    form = requests.post(url, data=b"query=ASK%20%7B%7D%FF", timeout=30,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400 and "UTF-8" in form.text
    assert requests.get(url, params={"query": "ASK { BIND('é' AS ?x) }"}, timeout=30).status_code == 200
