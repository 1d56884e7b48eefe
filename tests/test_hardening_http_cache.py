"""Revalidation and the response cache (lscp_kg.service.cache): integrators who poll get ETags and 304s,
repeats are served from memory, and nothing that varies (format, origin, errors, POSTs) is mixed up."""

from __future__ import annotations

import logging

import pytest

from lscp_kg.service.cache import ResponseCache

NAMED = "/api/queries/members-of-body?body=id/lewisham/body/executive-partnership"


def test_answer_carries_validators_and_revalidates_to_304(client):
    first = client.get(NAMED)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    again = client.get(NAMED, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    # A different validator gets the whole answer again.
    other = client.get(NAMED, headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.data == first.data


def test_repeat_is_served_from_the_cache_with_the_same_bytes_and_headers(client):
    url = "/sparql?query=" + "SELECT%20%3Fl%20WHERE%20%7B%20%3Fs%20rdfs%3Alabel%20%3Fl%20%7D%20LIMIT%203"
    first = client.get(url, headers={"Accept": "text/csv"})
    second = client.get(url, headers={"Accept": "text/csv"})
    assert second.headers.get("X-Cache") == "hit"
    assert second.data == first.data and second.mimetype == "text/csv"
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["X-Truncated"] == first.headers["X-Truncated"]


def test_formats_are_never_mixed_up(client):
    url = "/api/queries/statutory-partners"
    as_json = client.get(url, headers={"Accept": "application/json"})
    as_csv = client.get(url, headers={"Accept": "text/csv"})
    as_json_again = client.get(url, headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json" and as_csv.mimetype == "text/csv"
    assert as_json_again.data == as_json.data and as_csv.data != as_json.data
    assert as_json.headers["ETag"] != as_csv.headers["ETag"]


def test_no_cache_request_is_answered_afresh(client):
    client.get(NAMED)
    fresh = client.get(NAMED, headers={"Cache-Control": "no-cache"})
    assert fresh.status_code == 200 and "X-Cache" not in fresh.headers
    fresh = client.get(NAMED, headers={"Pragma": "no-cache"})
    assert "X-Cache" not in fresh.headers


@pytest.mark.parametrize("url", ["/api/queries/members-of-body?body=not%20an%20iri",
                                 "/api/queries/no-such-query", "/sparql?query=SELEC%20nothing"])
def test_errors_are_not_cached_and_carry_no_validators(client, url):
    for _ in range(2):
        response = client.get(url)
        assert 400 <= response.status_code < 500
        assert "ETag" not in response.headers and "X-Cache" not in response.headers
        assert "public" not in response.headers.get("Cache-Control", "")


def test_posts_and_pages_that_depend_on_state_are_not_cached(client):
    for _ in range(2):
        posted = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
        assert posted.status_code == 200 and "X-Cache" not in posted.headers and "ETag" not in posted.headers
        health = client.get("/health")
        assert "X-Cache" not in health.headers and "ETag" not in health.headers
        described = client.get("/sparql", headers={"Accept": "text/turtle"})
        assert "X-Cache" not in described.headers


def test_cache_hits_are_logged_as_queries(client, caplog):
    client.get("/api/queries/reports")
    with caplog.at_level(logging.INFO, logger="lscp_kg.service.queries"):
        client.get("/api/queries/reports")
    lines = [r.getMessage() for r in caplog.records if "query=named:reports" in r.getMessage()]
    assert lines and "status=200" in lines[-1] and lines[-1].endswith("cached=true")


def _tiny_app(bodies: dict):
    def app(environ, start_response):
        body = bodies[environ["PATH_INFO"]]
        environ["lscp_kg.cacheable"] = True
        start_response("200 OK", [("Content-Type", "text/plain"), ("ETag", f'"{len(body)}"')])
        return [body]
    return app


def _get(cache, path, **extra):
    seen = {}
    body = b"".join(cache({"REQUEST_METHOD": "GET", "PATH_INFO": path, **extra},
                          lambda status, headers, exc_info=None: seen.update(status=status, headers=dict(headers))))
    return seen["status"], seen["headers"], body


def test_cache_stays_within_its_byte_budget_least_recently_used_out():
    bodies = {f"/{i}": bytes([65 + i]) * 100 for i in range(10)}
    cache = ResponseCache(_tiny_app(bodies), "v1", max_bytes=800)  # an entry may be at most 100 bytes
    for i in range(10):
        _get(cache, f"/{i}")
    assert cache._size <= 800
    assert _get(cache, "/9")[1].get("X-Cache") == "hit"
    assert "X-Cache" not in _get(cache, "/0")[1], "the oldest answer was evicted"


def test_an_answer_larger_than_an_eighth_of_the_budget_is_not_kept():
    cache = ResponseCache(_tiny_app({"/big": b"x" * 200}), "v1", max_bytes=800)
    for _ in range(2):
        status, headers, body = _get(cache, "/big")
        assert status == "200 OK" and body == b"x" * 200 and "X-Cache" not in headers


def test_cache_can_be_turned_off():
    cache = ResponseCache(_tiny_app({"/a": b"x"}), "v1", max_bytes=0)
    assert all("X-Cache" not in _get(cache, "/a")[1] for _ in range(3))
