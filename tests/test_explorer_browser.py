"""The network explorer in headless Chromium, as a scrutineer uses it: select and read the
details panel, expand, focus, hubs not followed, the analysis marks, a finding's view, a
shared link that reopens the same picture, the path pickers, the keyboard, 390 px, and a file
opened from disk (exports and hostile labels: tests/test_explorer_exports.py).

Uses the shared Chromium of ``tests/browser_support.py`` and the service in this process
(``tests/explorer_support.py``).
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from lscp_kg.cli import main as cli
from lscp_kg.visualisations.neighbourhood import neighbours
from lscp_kg.visualisations.projection import project
from lscp_kg.visualisations.views import build_view

from browser_support import wait_until
from explorer_support import MACE, RENDERED, graph, keys, node_point, open_view, pointer, shown, site  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_click_on_mace_opens_the_details_panel_with_its_quote_and_stays(browser, site, iri, graph):
    url = f"{site}/explore/entity?iri={MACE}&depth=2"
    open_view(browser, url)
    pointer(browser, *node_point(browser, iri(MACE)))
    browser.wait_for("#details h2")
    time.sleep(0.4)
    assert browser.url == url
    panel = browser.text("#details")
    attrs = graph.nodes[iri(MACE)]
    assert panel.startswith(attrs["label"]) and attrs["type_label"] in panel
    assert "Partnership: " + attrs["partnership_labels"][0] in panel
    assert attrs["sources"][0]["quote"].split("\n")[0] in panel
    lines = browser.run_js("return [...document.querySelectorAll('#details blockquote a.lines')].map(a => a.getAttribute('href'))")
    assert lines and all(h.startswith("/source") and "#L" in h for h in lines)
    assert requests.get(site + lines[0], timeout=10).status_code == 200


def test_double_click_expands_and_focus_at_depth_one_leaves_only_the_neighbours(browser, site, iri, graph):
    open_view(browser, f"{site}/explore/reporting")
    before = shown(browser)
    assert not neighbours(graph, iri(MACE)) <= before
    pointer(browser, *node_point(browser, iri(MACE)), clicks=2)
    wait_until(browser, "return new URLSearchParams(location.search).getAll('expand').length === 1")
    after = shown(browser)
    assert after == before | neighbours(graph, iri(MACE))
    assert parse_qs(urlsplit(browser.url).query)["expand"] == [iri(MACE)]
    browser.run_js("window.lscpExplorer.select(arguments[0])", iri(MACE))
    browser.select("#focus-depth", "1")
    browser.click('#details button[data-action="focus"]')
    assert shown(browser) == {iri(MACE)} | neighbours(graph, iri(MACE))


def test_the_keyboard_moves_between_nodes_selects_and_expands(browser, site, iri, graph):
    open_view(browser, f"{site}/explore/entity?iri={MACE}&depth=1")
    browser.run_js("document.getElementById('network').focus()")
    keys(browser, "\ue007")  # Enter: the node nearest the centre
    first = browser.run_js("return document.getElementById('network').dataset.selected")
    assert first in shown(browser)
    keys(browser, "\ue014")  # ArrowRight
    moved = browser.run_js("return document.getElementById('network').dataset.selected")
    assert moved and moved != first
    body = next(n for n in neighbours(graph, iri(MACE)) if graph.nodes[n]["type"] == "body")
    browser.run_js("window.lscpExplorer.select(arguments[0])", body)
    keys(browser, "e")
    wait_until(browser, "return location.search.includes('expand=')")
    assert neighbours(graph, body) <= shown(browser)
    browser.run_js("window.lscpExplorer.select(arguments[0])", iri(MACE))
    before = shown(browser)
    keys(browser, "h")
    assert shown(browser) == before - {iri(MACE)}


def test_the_mace_neighbourhood_without_hubs_is_small_and_mace_is_highlighted(browser, site, iri, graph):
    open_view(browser, f"{site}/explore/entity?iri={MACE}&depth=2")
    drawn = shown(browser)
    assert iri(MACE) in drawn and len(drawn) < 30
    node = browser.run_js("return window.lscpExplorer.nodes.get(arguments[0])", iri(MACE))
    assert node["marks"][0] == "highlighted" and node["borderWidth"] >= 4 and node["shadow"]["enabled"]
    assert browser.count('#marks-legend li[data-mark="highlighted"]') == 1
    partnership = next(n for n, t in graph.nodes(data="type") if t == "partnership")
    assert partnership in drawn  # shown, not followed
    browser.run_js("window.beforeReload = true")
    browser.click("#follow-hubs")  # the page reloads with the hubs followed
    assert wait_until(browser, "return !window.beforeReload && location.search.includes('hubs=1') && "
                               "!!document.querySelector('#network[data-state=rendered]')")
    assert len(shown(browser)) > len(drawn) and partnership in shown(browser)


def test_labels_are_at_least_12_px_at_the_starting_zoom(browser, site):
    for view in ("structure", "reporting", "accountability", f"entity?iri={MACE}&depth=2"):
        open_view(browser, f"{site}/explore/{view}")
        sizes = browser.run_js("""const x = window.lscpExplorer, s = x.network.getScale();
            const threshold = x.network.body.nodes[x.nodeView.getIds()[0]].options.scaling.label.drawThreshold;
            return {threshold: threshold, drawn: x.drawnLabels(), important: x.nodeView.get()
                    .filter(n => n.importance === 'important').map(n => ({label: n.label, px: x.styled(n).font.size * s}))};""")
        assert sizes["threshold"] - 1 >= 12  # smaller labels are not drawn at all
        assert sizes["important"] and min(i["px"] for i in sizes["important"]) >= 12, view
        assert {i["label"] for i in sizes["important"]} <= set(sizes["drawn"]), view


def test_the_reporting_view_marks_every_body_the_analysis_lists(browser, site, runner):
    report = json.loads(runner.invoke(cli, ["analyse", "--format", "json"]).output)
    listed = {f["entities"][0]["iri"] for c in report["checks"] if c["check"] == "bodies-without-reporting-line"
              for f in c["findings"]}
    assert listed
    open_view(browser, f"{site}/explore/reporting")
    marked = set(browser.run_js("return window.lscpExplorer.nodes.get({filter: n => n.marks.includes('no-reporting-line')}).map(n => n.id)"))
    assert marked == listed and listed <= shown(browser)
    assert "Body with no reporting line" in browser.text("#marks-legend")


def test_a_findings_link_from_scrutiny_opens_a_view_with_all_its_entities_highlighted(browser, site, graph):
    browser.open(f"{site}/scrutiny")
    links = browser.run_js("""return [...document.querySelectorAll('.finding')].map(a => ({
        href: (a.querySelector('a.network') || {}).href,
        entities: [...a.querySelectorAll('ul.iris code, p.entities a[title]')].map(e => e.title || e.textContent)}))
        .filter(f => f.href);""")
    several = [f for f in links if len({e for e in f["entities"] if e in graph}) >= 2]
    assert several, "a finding about several entities of the network"
    finding = several[0]
    open_view(browser, finding["href"])
    wanted = {e for e in finding["entities"] if e in graph}
    highlighted = set(browser.run_js("return window.lscpExplorer.nodeView.get({filter: n => n.marks[0] === 'highlighted'}).map(n => n.id)"))
    assert highlighted == wanted and wanted <= shown(browser)


def test_a_shared_url_restores_the_same_nodes_and_filters(browser, site, iri):
    open_view(browser, f"{site}/explore/structure")
    browser.click('#node-types input[data-key="post"]')
    browser.click('#edge-types input[data-key="lscp:supportedBy"]')
    browser.run_js("return window.lscpExplorer.expand(arguments[0])", iri(MACE))
    wait_until(browser, "return location.search.includes('expand=')")
    browser.run_js("window.lscpExplorer.hide(arguments[0])", iri("id/lewisham/body/concern-hub"))
    link = browser.url
    nodes, filters = shown(browser), browser.run_js(
        "return [...document.querySelectorAll('#legend input')].map(b => b.dataset.key + '=' + b.checked)")
    browser.open("about:blank")
    open_view(browser, link)
    assert shown(browser) == nodes and iri("id/lewisham/body/concern-hub") not in nodes
    assert browser.text("#unhide") == "Show the 1 hidden node"
    assert browser.run_js("return [...document.querySelectorAll('#legend input')].map(b => b.dataset.key + '=' + b.checked)") == filters
    assert browser.run_js("return window.lscpExplorer.edgeView.get({filter: e => e.relation === 'lscp:supportedBy'}).length") == 0
    text = browser.run_js("return document.getElementById('text-alternative').textContent")
    assert "Post (" in text  # the text alternative, from the server, describes the same picture


def test_the_path_view_picks_its_ends_by_name_and_numbers_its_steps(browser, site):
    browser.open(f"{site}/explore/")
    browser.wait_for("#path-from-name")
    for field, name in (("#path-from-name", "Multi-Agency Child"), ("#path-to-name", "Ceri Jacob")):
        element = browser.find_all(field)[0]
        browser.command("POST", f"/element/{element}/value", {"text": name})
        browser.wait_for(f"{field[:-5]}-list li[role=option]")
        keys(browser, "\ue015", "\ue007")  # ArrowDown, Enter
    browser.click("form[action$='/explore/path'] button")
    browser.wait_for(RENDERED, timeout=20)
    assert "/explore/path?from=" in browser.url
    steps = browser.run_js("return [...document.querySelectorAll('#path-steps li')].map(li => [li.dataset.step, li.textContent])")
    assert [int(n) for n, _ in steps] == list(range(1, len(steps) + 1))
    assert steps and all("lines" in text for _, text in steps)


def test_at_390_px_the_picture_fills_the_width_and_the_panels_fold(browser, site):
    browser.command("POST", "/window/rect", {"width": 390, "height": 844})
    try:
        open_view(browser, f"{site}/explore/reporting")
        box = browser.run_js("""return {picture: document.getElementById('network').getBoundingClientRect().width,
            page: document.documentElement.clientWidth, controls: document.getElementById('controls-panel').open,
            details: document.getElementById('details-panel').open, scroll: document.documentElement.scrollWidth};""")
        assert abs(box["picture"] - box["page"]) <= 1 and box["scroll"] <= box["page"]
        assert box["controls"] is False and box["details"] is False
    finally:
        browser.command("POST", "/window/rect", {"width": 1400, "height": 900})


def test_a_standalone_file_still_expands_from_disk(browser, runner, tmp_path, iri, graph):
    out = tmp_path / "reporting.html"
    assert runner.invoke(cli, ["visualise", "reporting", "-o", str(out)]).exit_code == 0
    open_view(browser, out.as_uri())
    before = shown(browser)
    browser.run_js("return window.lscpExplorer.expand(arguments[0])", iri(MACE))
    wait_until(browser, "return location.search.includes('expand=')")
    assert shown(browser) == before | neighbours(graph, iri(MACE))
    assert [u for u in browser.requested() if not u.startswith(("file://", "data:", "blob:"))] == []
    assert browser.console_errors() == []


def test_the_whole_structure_opens_at_the_bodies(browser, site, kg):
    view = build_view(project(kg), "structure")
    open_view(browser, f"{site}/explore/structure")
    kinds = set(browser.run_js("return window.lscpExplorer.nodeView.get().map(n => n.type)"))
    assert kinds <= {"body", "subgroup", "partnership"} and {"body", "subgroup"} <= kinds
    assert browser.run_js("return document.querySelector('#node-types input[data-key=\"seat\"]').checked") is False
    browser.click('#node-types input[data-key="seat"]')
    assert "seat" in set(browser.run_js("return window.lscpExplorer.nodeView.get().map(n => n.type)"))
    assert len(shown(browser)) < view.graph.number_of_nodes()


def test_zoom_fit_layout_and_reset_buttons(browser, site, iri):
    open_view(browser, f"{site}/explore/reporting")
    first, scale = shown(browser), browser.run_js("return window.lscpExplorer.network.getScale()")
    browser.click("#zoom-in")
    assert browser.run_js("return window.lscpExplorer.network.getScale()") > scale
    browser.click("#fit")
    inside = browser.run_js("""const x = window.lscpExplorer, box = document.getElementById('network');
        return x.nodeView.getIds().every(id => { const p = x.network.canvasToDOM(x.network.getPosition(id));
            return p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight; });""")
    assert inside
    before = browser.run_js("return window.lscpExplorer.network.getPositions()")
    browser.select("#layout", "hierarchical")
    assert browser.run_js("return window.lscpExplorer.network.getPositions()") != before
    assert "layout=hierarchical" in browser.url
    browser.run_js("return window.lscpExplorer.expand(arguments[0])", iri(MACE))
    wait_until(browser, "return location.search.includes('expand=')")
    assert shown(browser) > first
    browser.click("#reset")
    assert shown(browser) == first and urlsplit(browser.url).query == ""
    assert browser.run_js("return window.lscpExplorer.network.getPositions()") == before
