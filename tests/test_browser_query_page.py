"""The query page in headless Chromium: the editor highlights SPARQL, an example named query runs
and shows a result table of links, the URL can be shared, and nothing is fetched from another host."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

pytestmark = pytest.mark.browser
SCREENSHOT = os.environ.get("LSCP_KG_SCREENSHOT")  # a path: keep a picture of the page for a person to look at


def test_example_named_query_runs_and_shows_a_table(browser, live_server):
    browser.open(live_server.url + "/query")
    browser.wait_for(".CodeMirror")  # the editor component loaded from the service
    assert browser.count(".CodeMirror .cm-keyword") > 0, "SPARQL keywords are highlighted"

    browser.select("#example", "statutory-partners")
    assert "safeguardingPartner" in browser.run_js("return document.querySelector('.CodeMirror').CodeMirror.getValue();")
    browser.click("#run")
    rows = browser.wait_for("#results table.results tbody tr")

    expected = requests.get(live_server.url + "/api/queries/statutory-partners", timeout=10).json()
    assert rows == len(expected["results"]["bindings"]) > 0
    text = browser.text("#results table.results")
    assert "London Borough of Lewisham" in text
    links = browser.run_js("return Array.from(document.querySelectorAll('#results a')).map(a => a.href);")
    assert any("/id/org/london-borough-of-lewisham" in href for href in links)

    shared = parse_qs(urlsplit(browser.url).query)["query"][0]
    assert "safeguardingPartner" in shared  # the address bar now holds the query
    downloads = browser.run_js("return Array.from(document.querySelectorAll('#downloads a[data-format]')).map(a => a.href);")
    assert any("format=csv" in href for href in downloads)

    assert browser.dialogs() == []
    assert browser.console_errors() == []
    browser.screenshot(SCREENSHOT) if SCREENSHOT else None
    browser.assert_only_local()
    assert any(url.endswith("/vendor/codemirror/lib/codemirror.js") for url in browser.requested())


def test_shared_url_runs_the_query_on_opening(browser, live_server):
    from urllib.parse import quote

    query = "SELECT ?label WHERE { <https://lscp-kg.example.org/id/partnership/lewisham> rdfs:label ?label }"
    browser.open(f"{live_server.url}/query?query={quote(query)}")
    browser.wait_for("#results table.results tbody tr")
    assert "Lewisham Safeguarding Children Partnership" in browser.text("#results table.results")
    browser.assert_only_local()


def test_syntax_error_is_shown_as_text(browser, live_server):
    browser.open(live_server.url + "/query")
    browser.wait_for(".CodeMirror")
    browser.run_js("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT <img src=x onerror=alert(1)> WHERE {');")
    browser.click("#run")
    browser.wait_for("#results pre.error")
    assert "SPARQL syntax error" in browser.text("#results pre.error")
    assert browser.count("#results img") == 0
    assert browser.dialogs() == []
    browser.assert_only_local()
