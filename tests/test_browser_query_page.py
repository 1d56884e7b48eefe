"""The query page in headless Chromium: the editor highlights SPARQL, an example named query runs
and shows a result table of links, the URL can be shared, Ctrl+Enter runs, Ctrl+Space completes
prefixes, classes and properties, an unknown prefix gets a one-line message, and nothing is fetched
from another host."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from query_page_support import assert_answer_shows, editor_value, open_query_page, set_query

pytestmark = pytest.mark.browser
SCREENSHOT = os.environ.get("LSCP_KG_SCREENSHOT")  # a path: keep a picture of the page for a person to look at


def test_example_named_query_runs_and_shows_a_table(browser, live_server):
    open_query_page(browser, live_server)  # the editor component loaded from the service
    assert browser.count(".CodeMirror .cm-keyword") > 0, "SPARQL keywords are highlighted"

    browser.select("#example", "statutory-partners")
    assert "safeguardingPartner" in editor_value(browser)
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


def press(browser, *keys: str) -> None:
    """Key presses through WebDriver actions (modifiers held down while the last key is pressed)."""
    actions = [{"type": "keyDown", "value": k} for k in keys] + [{"type": "keyUp", "value": k} for k in reversed(keys)]
    browser.command("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
    browser.command("DELETE", "/actions")


CONTROL, ENTER, SPACE = "\ue009", "\ue007", "\ue00d"


def test_ctrl_enter_runs_the_query(browser, live_server):
    open_query_page(browser, live_server)
    set_query(browser, "SELECT ?label WHERE { ?p a lscp:SafeguardingPartnership ; rdfs:label ?label }")
    browser.run_js("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus(); cm.setCursor(cm.lineCount(), 0);")
    press(browser, CONTROL, ENTER)
    browser.wait_for("#results table.results tbody tr")
    assert "Safeguarding Children Partnership" in browser.text("#results table.results")
    assert "query=" in browser.url


def test_ctrl_space_completes_classes_and_properties_of_the_ontology(browser, live_server):
    open_query_page(browser, live_server)
    set_query(browser, "SELECT * WHERE { ?b a lscp:Sub")
    browser.run_js("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus();"
                   "cm.setCursor({line: 0, ch: cm.getLine(0).length});")
    press(browser, CONTROL, SPACE)
    browser.wait_for(".CodeMirror-hints li")
    offered = browser.run_js("return Array.from(document.querySelectorAll('.CodeMirror-hints li')).map(li => li.textContent);")
    assert any(o.startswith("lscp:Subgroup") for o in offered), offered
    press(browser, ENTER)
    assert editor_value(browser).startswith(
        "SELECT * WHERE { ?b a lscp:Subgroup")
    set_query(browser, "SELECT * WHERE { ?b org:rep")
    browser.run_js("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus();"
                   "cm.setCursor({line: 0, ch: cm.getLine(0).length});")
    press(browser, CONTROL, SPACE)
    browser.wait_for(".CodeMirror-hints li")
    assert "org:reportsTo" in browser.text(".CodeMirror-hints")


def test_an_unknown_prefix_gets_one_line_naming_it(browser, live_server):
    open_query_page(browser, live_server)
    set_query(browser, "SELECT * WHERE { ?s ex:name ?o }")
    browser.click("#run")
    browser.wait_for("#results pre.error")
    message = browser.text("#results pre.error")
    assert "unknown prefix 'ex:'" in message and "\n" not in message.strip() and "expected one of" not in message


def test_shared_url_runs_the_query_on_opening(browser, live_server):
    from urllib.parse import quote

    query = "SELECT ?label WHERE { <https://lscp-kg.example.org/id/partnership/lewisham> rdfs:label ?label }"
    browser.open(f"{live_server.url}/query?query={quote(query)}")
    assert_answer_shows(browser, "Lewisham Safeguarding Children Partnership", "#results table.results")


def test_syntax_error_is_shown_as_text(browser, live_server):
    open_query_page(browser, live_server)
    browser.run_js("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT <img src=x onerror=alert(1)> WHERE {');")
    browser.click("#run")
    browser.wait_for("#results pre.error")
    assert "SPARQL syntax error" in browser.text("#results pre.error")
    assert browser.count("#results img") == 0
    assert browser.dialogs() == []
    browser.assert_only_local()
