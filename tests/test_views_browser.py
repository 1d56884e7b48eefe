"""The network views in headless Chromium: they draw their nodes, the legend
filters and the search finds, clicking selects a node without leaving the page, nothing is
fetched from another host, and hostile labels run no script. The explorer's own
controls (expand, focus, marks, exports, shared links) are in tests/test_explorer_*.py.

Uses the shared headless Chromium of ``tests/browser_support.py`` (every
request read back from the performance log, dialogs recorded instead of shown)
and the ``live_server`` of ``tests/conftest.py``; a second server, in this
process, serves the graph with the hostile test data added.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import requests
from explorer_support import node_point

from lscp_kg.cli import main as cli
from lscp_kg.visualisations.projection import project
from lscp_kg.visualisations.views import FIXED_VIEWS, build_view

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
HOSTILE_BODY = "https://lscp-kg.example.org/id/test/body/hostile"
RENDERED = "#network[data-state=rendered]"


def serve(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def hostile_site():
    """The service over the shipped graph plus tests/fixtures/hostile, on 127.0.0.1."""
    from lscp_kg.service.app import create_app

    server = serve(create_app({"TESTING": True, "VALIDATE": False, "DATA": [HOSTILE]}))
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def rendered(browser) -> dict:
    browser.wait_for(RENDERED, timeout=20)
    return browser.run_js("""
        const x = window.lscpExplorer;
        return {drawn: x.network.body.data.nodes.length, positioned: Object.keys(x.network.getPositions()).length,
                ids: x.nodeView.getIds(), legend: document.querySelectorAll('#node-types .legend-row').length,
                relations: document.querySelectorAll('#edge-types .legend-row').length};""")


def pointer(browser, x: float, y: float, click: bool = False) -> None:
    moves = [{"type": "pointerMove", "x": int(x) + 2, "y": int(y)}, {"type": "pointerMove", "x": int(x), "y": int(y)}]
    if click:
        moves += [{"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]
    browser.command("POST", "/actions", {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                                                      "actions": moves}]})
    browser.command("DELETE", "/actions")


def search(browser, text: str) -> None:
    browser.run_js("document.getElementById('search').value = arguments[0];"
                   "document.getElementById('search-form').requestSubmit();", text)


def no_dialog_open(browser) -> bool:
    answer = requests.get(browser.session + "/alert/text", timeout=10).json()["value"]
    return isinstance(answer, dict) and answer.get("error") == "no such alert"


@pytest.mark.parametrize("name", FIXED_VIEWS)
def test_each_view_draws_its_nodes_and_legend_and_fetches_nothing_elsewhere(browser, live_server, kg, name):
    expected = build_view(project(kg), name)
    browser.open(f"{live_server.url}/explore/{name}")
    page = rendered(browser)
    first = {n for n, t in expected.graph.nodes(data="type") if t not in expected.hidden_kinds}
    assert page["drawn"] == page["positioned"] == len(first) > 0
    assert set(page["ids"]) == first
    assert page["legend"] == len({t for _, t in expected.graph.nodes(data="type")})
    assert page["relations"] == len({k for *_, k in expected.graph.edges(keys=True)})
    browser.assert_only_local()
    assert browser.console_errors() == []  # no script error, nothing refused by the content security policy


def test_search_selects_and_focuses_a_node(browser, live_server, iri):
    browser.open(f"{live_server.url}/explore/structure")
    rendered(browser)
    search(browser, "multi-agency child exploitation")
    mace = iri("id/lewisham/body/mace")
    assert browser.run_js("return window.lscpExplorer.network.getSelectedNodes()") == [mace]
    assert browser.run_js("return document.getElementById('network').dataset.selected") == mace
    assert "Multi-Agency Child Exploitation (MACE)" in browser.text("#details")
    search(browser, "no such thing anywhere")
    assert "No shown node matches" in browser.text("#search-status")


def test_legend_filters_hide_a_kind_of_node_and_a_relation(browser, live_server):
    browser.open(f"{live_server.url}/explore/accountability")
    before = rendered(browser)["drawn"]
    persons = browser.run_js("return window.lscpExplorer.nodes.get({filter: n => n.type === 'person'}).length")
    assert persons > 0
    browser.click('#node-types input[data-key="person"]')
    assert browser.run_js("return window.lscpExplorer.network.body.data.nodes.length") == before - persons
    browser.click('#edge-types input[data-key="org:reportsTo"]')
    assert browser.run_js("return window.lscpExplorer.edgeView.get({filter: e => e.relation === 'org:reportsTo'}).length") == 0


def test_clicking_a_node_selects_it_and_its_panel_opens_its_page(browser, live_server, iri):
    browser.open(f"{live_server.url}/explore/reporting")
    rendered(browser)
    pointer(browser, *node_point(browser, iri("id/lewisham/body/mace")), click=True)
    browser.wait_for("#details h2")
    time.sleep(0.5)  # a navigation, had there been one, would have started by now
    assert browser.url == f"{live_server.url}/explore/reporting"
    assert browser.run_js("return window.lscpExplorer.network.getSelectedNodes()") == [iri("id/lewisham/body/mace")]
    browser.click("#details a.open-page")
    deadline = time.monotonic() + 10
    while not browser.url.endswith("/id/lewisham/body/mace") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert browser.url == f"{live_server.url}/id/lewisham/body/mace"


def test_path_view_lists_each_step_with_relation_and_quote(browser, live_server):
    browser.open(f"{live_server.url}/explore/path?from=id/lewisham/body/mace&to=id/person/ceri-jacob")
    assert rendered(browser)["drawn"] >= 4
    steps = browser.run_js("return [...document.querySelectorAll('#path-steps li')].map(li => li.textContent)")
    assert any("reports to" in s and "Four subgroups will report to" in s for s in steps)


def test_hostile_labels_and_quotes_show_as_text_and_run_nothing(browser, hostile_site):
    for path in ("/explore/structure", "/explore/reporting", "/explore/accountability",
                 f"/explore/entity?iri={HOSTILE_BODY}&depth=2", f"/explore/path?from={HOSTILE_BODY}&to=id/person/ceri-jacob",
                 "/explore/analysis"):
        browser.open(hostile_site + path)
        if not path.endswith("analysis"):
            rendered(browser)
            pointer(browser, *node_point(browser, HOSTILE_BODY))
            search(browser, "<img src=x onerror=alert(1)>")
            assert browser.text("#details").startswith("<img src=x onerror=alert(1)>")
        time.sleep(0.3)
        assert browser.dialogs() == [] and no_dialog_open(browser), path
        assert browser.count("img, svg, iframe, [onerror], [onload]") == 0, path
        assert browser.count('script:not([src]):not([type="application/json"])') == 0, path
        browser.assert_only_local()
        assert browser.console_errors() == [], path  # the policy had nothing to block either


def test_hostile_tooltip_is_text(browser, hostile_site):
    browser.open(f"{hostile_site}/explore/entity?iri={HOSTILE_BODY}")
    rendered(browser)
    pointer(browser, *node_point(browser, HOSTILE_BODY))
    browser.wait_for(".explorer-tip:not([hidden])")
    deadline = time.monotonic() + 10
    while "onerror" not in browser.run_js("return document.querySelector('.explorer-tip').textContent") and time.monotonic() < deadline:
        time.sleep(0.1)
    tip = browser.run_js("return document.querySelector('.explorer-tip').textContent")
    assert "<img src=x onerror=alert(1)>" in tip and "<script>alert('quote')</script>" in tip
    assert browser.count(".explorer-tip img, .explorer-tip script, .explorer-tip b") == 0
    assert browser.dialogs() == []


def test_standalone_file_opens_from_disk_with_no_network(browser, runner, tmp_path):
    out = tmp_path / "hostile-entity.html"
    result = runner.invoke(cli, ["visualise", "entity", "--iri", "id/test/body/hostile", "--depth", "2",
                                 "--data", str(HOSTILE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    browser.open(out.as_uri())
    assert rendered(browser)["drawn"] >= 5
    assert [u for u in browser.requested() if not u.startswith(("file://", "data:"))] == []
    assert browser.dialogs() == [] and browser.console_errors() == []
    assert browser.count("img, svg, iframe, [onerror]") == 0
