"""Every HTML page names its source, links to it, and states the licence."""

import pytest


@pytest.mark.parametrize("path", ["/", "/queries", "/queries/members-of-body", "/query", "/id/person/ceri-jacob",
                                  "/scrutiny", "/explore/", "/explore/analysis"])
def test_every_page_shows_source_and_licence(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<footer class="site">' in html
    assert "/id/source/lewisham-our-partnership-arrangements" in html
    assert "Our Partnership Arrangements" in html
    assert "MIT licence" in html


def test_explore_and_scrutiny_are_in_the_navigation(client):
    html = client.get("/id/person/ceri-jacob").get_data(as_text=True)
    assert 'href="/explore/"' in html and 'href="/scrutiny"' in html


def test_scrutiny_json_allows_browser_integrators(client):
    response = client.get("/scrutiny.json", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/explore/accountability", "/explore/entity?iri=id/lewisham/body/mace"])
def test_network_views_link_to_the_scrutiny_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'href="/scrutiny"' in response.get_data(as_text=True)
