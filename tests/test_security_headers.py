"""Every HTML response, error pages included, carries the content security policy (set in one place), and HTML
built from the data (pyLODE's ontology documentation) keeps hostile labels as text."""

from __future__ import annotations

import pytest

from lscp_kg.service.security_headers import CONTENT_SECURITY_POLICY, sanitise_html

HTML = {"Accept": "text/html"}
PAGES = [  # (path, expected status): every page type, and its not-found and bad-request answers
    ("/", 200), ("/query", 200), ("/queries", 200), ("/queries/lead-representatives", 200),
    ("/queries/no-such-query", 404), ("/queries/members-of-body?body=%3Cnot%20an%20iri%3E", 400),
    ("/id/partnership/lewisham", 200), ("/id/no/such/thing", 404), ("/entity?iri=", 400), ("/ontology", 200),
    ("/explore/", 200), ("/explore/analysis", 200), ("/explore/no-such-view", 404),
    ("/explore/entity?iri=id/lewisham/body/mace&depth=two", 400), ("/explore/entity?iri=id/nothing/here", 404),
    ("/scrutiny", (200, 503)), ("/scrutiny?asof=not-a-date", 400), ("/source", 200), ("/source/no-such-source", 404),
    ("/search?q=mace", 200), ("/no-such-page", 404), ("/sparql?query=SELEC", 406),
]


@pytest.mark.parametrize("path, status", PAGES)
def test_every_html_answer_has_the_content_security_policy(client, path, status):
    response = client.get(path, headers=HTML)
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), response.status_code
    assert response.mimetype == "text/html", f"{path} answers {response.mimetype}, not a page"
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy.startswith("default-src ") and "script-src 'self'" in policy and "frame-ancestors" in policy, path
    assert "unsafe-eval" not in policy and "http" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_error_pages_of_the_views_and_scrutiny_are_html_with_the_policy(client):
    for path in ("/explore/no-such-view", "/scrutiny?asof=not-a-date"):
        response = client.get(path, headers=HTML)
        assert response.mimetype == "text/html" and response.status_code in (400, 404)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'


def test_a_hostile_label_in_the_ontology_documentation_comes_out_as_text(tmp_path):
    """pyLODE's HTML for an ontology whose label is hostile, through sanitise_html: no element, no handler."""
    from pylode import OntPub

    ontology = tmp_path / "hostile.ttl"
    label = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    ontology.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .\n"
        f'<http://x/o> a owl:Ontology ; dcterms:title "T" ; dcterms:description "{label}" .\n'
        f'<http://x/o#C> a owl:Class ; rdfs:label "{label}" ; skos:definition "{label}" ; rdfs:isDefinedBy <http://x/o> .\n',
        encoding="utf-8")
    raw = OntPub(ontology=str(ontology)).make_html()
    assert _elements(raw, "script", "img", "svg"), "pyLODE itself lets the hostile label through as markup"
    clean = sanitise_html(raw)
    assert not _elements(clean, "script", "img", "svg", "iframe")
    assert not [(tag, name) for tag, attrs in _all_elements(clean) for name, _ in attrs if name.lower().startswith("on")]
    assert 'id="' in clean and "<h" in clean  # pyLODE's structure stays


def _all_elements(html: str) -> list[tuple[str, list]]:
    """Every element a browser's parser would build from this HTML, with its attributes."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

        handle_startendtag = handle_starttag

    Collect().feed(html)
    return found


def _elements(html: str, *tags: str) -> list[str]:
    return [tag for tag, _ in _all_elements(html) if tag in tags]


def test_the_policy_is_set_in_one_place():
    """One place for security headers (issue 19): no other module of the service sets a Content-Security-Policy
    (the standalone files written by the command line carry their own, in a meta element, with script hashes)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    setters = [str(path.relative_to(root)) for folder in ("service", "visualisations", "lscp_kg")
               for path in (root / folder).rglob("*.py")
               if 'headers["Content-Security-Policy"]' in path.read_text(encoding="utf-8")
               or "CONTENT_SECURITY_POLICY =" in path.read_text(encoding="utf-8")]
    assert setters == ["service/security_headers.py"]
