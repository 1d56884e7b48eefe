"""The explorer as the scrutineer's instrument (issue 17): every network a finding links to opens
bounded (30 nodes or fewer, each labelled, the rest one click away); the explorer stays inside the
site's page; expanding shows what it brought; labels stay readable at every zoom; on a phone the
picture fits the screen and the details open as a sheet over it.

The browser tests use the shared Chromium (``tests/browser_support.py``) and the service in this
process (``tests/explorer_support.py``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from lscp_kg.service.explore import FINDING_VIEW_LIMIT
from lscp_kg.visualisations.neighbourhood import neighbours

from axe_support import assert_accessible, sideways_overflow
from browser_support import wait_until
from explorer_support import RENDERED, graph, node_point, open_view, pointer, shown, site  # noqa: F401

NODE = shutil.which("node") or shutil.which("nodejs")
STATE_SCRIPT = Path(__file__).resolve().parent.parent / "visualisations" / "static" / "explorer-state.js"
GROUP = "id/lewisham/body/partnership-group"
PARTNERSHIP = "id/partnership/lewisham"


@pytest.fixture(scope="module")
def patient(kg):
    """A client with time for the scrutiny report (the session's app has a 2 s limit, for the limit tests)."""
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, "QUERY_WORKERS": 1, "QUERY_TIME_LIMIT": 120})
    yield application
    application.extensions["lscp_kg"].runner.close()


def page_data(page: bytes) -> dict:
    found = re.search(rb'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S)
    assert found, "the page carries its network"
    return json.loads(found.group(1))


def finding_networks(app, kg) -> list[str]:
    """Every network view of a finding: of the Lewisham scrutiny report and of the analyses, as their pages
    link them, and for every finding whatever the pages show."""
    from lscp_kg.scrutiny import run_scrutiny
    from lscp_kg.service.explore import report_with_views
    from lscp_kg.service.scrutiny_pages import network_href

    client = app.test_client()
    with app.test_request_context():
        links = [network_href([e["iri"] for e in f["entities"]]) for f in run_scrutiny(kg).to_dict()["findings"]]
        links += [f["view"] for c in report_with_views()["checks"] for f in c["findings"]]
    links = [href for href in links if href]
    for page in ("/scrutiny", "/explore/analysis"):
        answer = client.get(page)
        assert answer.status_code == 200, page
        links += [html.unescape(h) for h in re.findall(r'href="(/explore/entity\?[^"]*)"', answer.data.decode())]
    return sorted(set(links))


def test_every_findings_network_opens_bounded_on_its_entities_and_labelled(patient, kg):
    client = patient.test_client()
    links = finding_networks(patient, kg)
    assert len(links) > 20, "the report and the analyses link their findings to networks"
    for href in links:
        answer = client.get(href)
        assert answer.status_code == 200, href
        data = page_data(answer.data)
        hidden = set(data["state"]["hide_kinds"])
        drawn = [n for n in data["nodes"] if n["type"] not in hidden]
        assert len(drawn) <= FINDING_VIEW_LIMIT, f"{href} opens with {len(drawn)} nodes"
        assert all(n["label"].strip() for n in drawn), href
        asked = set(parse_qs(urlsplit(href).query)["iri"])
        highlighted = {n["id"] for n in drawn if "highlighted" in n.get("marks", [])}
        assert asked <= highlighted, f"{href}: the finding's entities are in the picture, highlighted"


def test_the_partnerships_network_opens_at_30_nodes_and_shows_all_in_one_click(client, kg, graph):
    page = client.get(f"/explore/entity?iri={PARTNERSHIP}&depth=1&limit=30")
    data = page_data(page.data)
    around = neighbours(graph, kg.iri(PARTNERSHIP))
    assert len(data["nodes"]) == 30 < len(around) + 1
    kinds = [n["type"] for n in data["nodes"] if n["id"] != kg.iri(PARTNERSHIP)]
    assert kinds.count("body") + kinds.count("subgroup") == sum(
        1 for n in around if graph.nodes[n]["type"] in ("body", "subgroup")), "bodies first"
    text = page.data.decode()
    link = re.search(r'<a id="show-all" href="([^"]+)">Show all (\d+) neighbours</a>', text)
    assert link and int(link.group(2)) == len(around)
    every = page_data(client.get(html.unescape(link.group(1))).data)
    assert {n["id"] for n in every["nodes"]} == around | {kg.iri(PARTNERSHIP)}
    assert 'id="show-all"' not in client.get(html.unescape(link.group(1))).data.decode()


def test_a_neighbourhood_opens_bounded_unless_asked_for_all(client, kg, graph):
    around = neighbours(graph, kg.iri(PARTNERSHIP))
    assert len(page_data(client.get(f"/explore/entity?iri={PARTNERSHIP}").data)["nodes"]) == 30
    assert len(page_data(client.get(f"/explore/entity?iri={PARTNERSHIP}&limit=0").data)["nodes"]) == len(around) + 1


def test_a_bad_limit_is_a_clear_400(client):
    answer = client.get(f"/explore/entity?iri={PARTNERSHIP}&limit=many")
    assert answer.status_code == 400 and b"limit" in answer.data


def test_the_explorer_keeps_the_sites_header_navigation_and_search(client):
    for path in ("/explore/structure", f"/explore/entity?iri={GROUP}"):
        page = client.get(path).data.decode()
        header = re.search(r'<header class="site">.*?</header>', page, re.S)
        assert header, path
        assert 'action="/search"' in header.group(0) and ">Explore</a>" in header.group(0)
        assert page.count("<main") == 1 and page.count("<h1") == 1


@pytest.mark.skipif(NODE is None, reason="needs Node.js (apt-get install nodejs) to run the page script")
def test_the_status_of_an_expansion_counts_what_it_brought_by_kind():
    script = """const window = {}; eval(require("fs").readFileSync(process.argv[1], "utf8")); const S = window.lscpState;
    const seat = i => ({id: "s" + i, type: "seat", type_label: "Seat"}), post = i => ({id: "p" + i, type: "post", type_label: "Post"});
    const added = [...Array(23).keys()].map(seat).concat([...Array(7).keys()].map(post));
    process.stdout.write(JSON.stringify([S.expansionSummary("Partnership Group", added, 31, 0, []),
      S.expansionSummary("MACE", [], 4, 2, ["Seat"]), S.plural("Body", 2), S.plural("Person", 3), S.plural("Legislation", 2),
      S.kindsToShow(added, new Set(["seat", "person"]), [])]));"""
    out = json.loads(subprocess.run([NODE, "-e", script, str(STATE_SCRIPT)], capture_output=True, text=True,
                                    check=True, timeout=60).stdout)
    assert out[0] == "Added 30: 23 seats, 7 posts, around Partnership Group (highlighted)."
    assert out[1].startswith("Nothing to add around MACE: its 4 neighbours are already shown")
    assert out[1].endswith("Ticking Seat in the legend also shows 2 other nodes of that kind.")
    assert out[2:5] == ["bodies", "people", "legislation"]
    assert out[5] == ["seat"]


# ---- in Chromium ------------------------------------------------------------------------------

def visible_count(browser) -> int:
    return browser.run_js("return window.lscpExplorer.nodeView.getIds().length")


@pytest.mark.browser
def test_a_scrutineer_expands_a_node_and_sees_its_neighbours(browser, site, iri, graph):
    open_view(browser, f"{site}/explore/structure")
    before, drawn_before = visible_count(browser), shown(browser)
    browser.run_js("return window.lscpExplorer.expand(arguments[0])", iri(GROUP))
    wait_until(browser, "return document.getElementById('toolbar-status').textContent.startsWith('Added')")
    status = browser.text("#toolbar-status")
    added = int(re.match(r"Added (\d+):", status).group(1))
    others = re.search(r"also shows (\d+) other nodes?", status)
    assert added > 0 and visible_count(browser) == before + added + (int(others.group(1)) if others else 0), status
    assert neighbours(graph, iri(GROUP)) <= shown(browser)
    assert added == len(neighbours(graph, iri(GROUP)) - drawn_before)
    kinds = {graph.nodes[n]["type"] for n in neighbours(graph, iri(GROUP))}
    ticked = set(browser.run_js("return [...document.querySelectorAll('#node-types input:checked')].map(b => b.dataset.key)"))
    assert kinds <= ticked
    for kind in browser.run_js("return window.lscpExplorer.lastExpansion.kinds"):
        label = graph.nodes[next(n for n in neighbours(graph, iri(GROUP)) if graph.nodes[n]["type"] == kind)]["type_label"]
        assert f"{label.lower()}" in status.lower()
    fresh = browser.run_js("return window.lscpExplorer.nodes.get(window.lscpExplorer.lastExpansion.neighbours).map(n => n.shadow.enabled)")
    assert fresh and all(fresh), "the new nodes are highlighted"
    assert set(parse_qs(urlsplit(browser.url).query)["expand"]) == {iri(GROUP)}


@pytest.mark.browser
def test_labels_remain_after_ticking_a_kind_and_pressing_fit(browser, site, graph):
    open_view(browser, f"{site}/explore/structure")
    browser.click('#node-types input[data-key="seat"]')
    browser.click("#fit")
    wait_until(browser, "return window.lscpExplorer.drawnLabels().length > 0")
    drawn = set(browser.run_js("return window.lscpExplorer.drawnLabels()"))
    bodies = set(browser.run_js("""return window.lscpExplorer.nodeView.get({filter: n => ['body', 'subgroup',
        'partnership'].includes(n.type)}).map(n => n.label)"""))
    assert bodies and bodies <= drawn, "the bodies and the partnership keep their labels"
    seats = browser.run_js("return window.lscpExplorer.nodeView.get({filter: n => n.type === 'seat'}).length")
    assert seats and len(drawn) < visible_count(browser), "minor labels wait until one zooms in"
    browser.run_js("window.lscpExplorer.zoom(4)")
    wait_until(browser, "return window.lscpExplorer.drawnLabels().length > arguments[0]", 10, len(drawn))


@pytest.mark.browser
def test_the_must_findings_network_opens_with_every_node_labelled(browser, site):
    browser.open(f"{site}/scrutiny")
    href = browser.run_js("""const a = document.querySelector('.severity-must a.network') ||
        document.querySelector('a.network[href*="partnership%2Flewisham"], a.network[href*="partnership/lewisham"]');
        return a && a.href;""")
    assert href, "the must finding links to its network"
    open_view(browser, href)
    count = visible_count(browser)
    assert 0 < count <= FINDING_VIEW_LIMIT
    wait_until(browser, "return window.lscpExplorer.drawnLabels().length === arguments[0]", 10, count)
    assert browser.count("header.site nav a") >= 3 and browser.count("header.site input[type=search]") == 1


@pytest.mark.browser
def test_the_tooltip_hides_on_click_and_escape_clears_the_selection(browser, site, iri):
    open_view(browser, f"{site}/explore/entity?iri={GROUP}&depth=1&limit=30")
    x, y = node_point(browser, iri(GROUP))
    browser.command("POST", "/actions", {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                                                      "actions": [{"type": "pointerMove", "x": int(x), "y": int(y)},
                                                                  {"type": "pause", "duration": 600}]}]})
    browser.command("DELETE", "/actions")
    assert wait_until(browser, "return !document.querySelector('.explorer-tip').hidden")
    pointer(browser, x, y)
    browser.wait_for("#details h2")
    assert browser.run_js("return document.querySelector('.explorer-tip').hidden")
    browser.run_js("document.getElementById('network').focus()")
    browser.press("Escape")
    assert not browser.run_js("return document.getElementById('network').dataset.selected || null")
    assert browser.count("#details h2") == 0


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_on_a_phone_the_picture_fits_and_the_details_are_a_sheet_over_it(browser, site, iri, width):
    browser.set_viewport(width)
    open_view(browser, f"{site}/explore/entity?iri={GROUP}&depth=1&limit=30")
    box = browser.run_js("const r = document.getElementById('network').getBoundingClientRect(); "
                         "return {left: r.left, right: r.right, vw: document.documentElement.clientWidth};")
    assert box["left"] >= 0 and box["right"] <= box["vw"] + 0.5
    assert sideways_overflow(browser) == []
    browser.run_js("document.getElementById('network').scrollIntoView({block: 'start'})")
    pointer(browser, *node_point(browser, iri(GROUP)))
    browser.wait_for("#details h2")
    sheet = browser.run_js("""const r = document.getElementById('details-panel').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, vh: window.innerHeight,
                vw: document.documentElement.clientWidth, focused: !!document.activeElement.closest('#details-panel'),
                sheet: document.getElementById('details-panel').classList.contains('as-sheet')};""")
    if width == 390:
        assert sheet["sheet"] and sheet["focused"], "a sheet with the focus in it"
        assert 0 <= sheet["top"] < sheet["bottom"] <= sheet["vh"] + 0.5 and sheet["right"] <= sheet["vw"] + 0.5
    assert_accessible(browser, f"network view with a node selected at {width} px")
    if width == 390:
        browser.press("Escape")
        assert not browser.run_js("return document.getElementById('details-panel').open")
        assert browser.run_js("return document.activeElement.id") == "network"


@pytest.mark.browser
def test_show_all_brings_every_neighbour_into_the_same_picture(browser, site, iri, graph):
    open_view(browser, f"{site}/explore/entity?iri={PARTNERSHIP}")
    assert visible_count(browser) == FINDING_VIEW_LIMIT
    browser.click("#show-all")
    wait_until(browser, "return document.getElementById('toolbar-status').textContent.startsWith('Added')")
    assert shown(browser) == neighbours(graph, iri(PARTNERSHIP)) | {iri(PARTNERSHIP)}
    assert parse_qs(urlsplit(browser.url).query)["expand"] == [iri(PARTNERSHIP)]
    assert not browser.run_js("return document.getElementById('show-all').offsetParent")
