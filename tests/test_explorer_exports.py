"""The explorer's exports and its safety in headless Chromium: PNG, SVG, GraphML and JSON
download and parse (the picture's size, the nodes on screen; the report picture's title, key, source
note, labels and PDF are read in test_report_pictures.py), hostile labels stay text in the
panel, the text alternative and the exports, and axe-core finds no serious violation with the
panel and the text open.

Downloads go to a temporary folder through Chromium's DevTools download setting.
"""

from __future__ import annotations

import json
import struct
import time
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from explorer_support import MACE, open_view, shown, site  # noqa: F401

pytestmark = pytest.mark.browser


def downloads_to(browser, folder) -> None:
    browser.command("POST", "/goog/cdp/execute", {"cmd": "Browser.setDownloadBehavior",
                                                  "params": {"behavior": "allow", "downloadPath": str(folder)}})


def downloaded(folder, name: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = folder / name
        if path.exists() and path.stat().st_size > 0 and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded")


def test_png_svg_graphml_and_json_exports_download_and_parse(browser, site, tmp_path, iri):
    open_view(browser, f"{site}/explore/entity?iri={MACE}&depth=2")
    downloads_to(browser, tmp_path)
    on_screen = shown(browser)
    for kind in ("png", "svg", "graphml", "json"):  # the picture at the export menu's first size (test_report_pictures.py: others)
        browser.click(f'button[data-export="{kind}"]')
    png = downloaded(tmp_path, "entity.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1600, 1200)
    svg = ET.parse(downloaded(tmp_path, "entity.svg")).getroot()
    assert (svg.get("width"), svg.get("height")) == ("1600", "1200")
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}g[@class='node']")) == len(on_screen)
    graphml = nx.read_graphml(downloaded(tmp_path, "entity.graphml"))
    assert set(graphml.nodes) == on_screen and graphml.nodes[iri(MACE)]["type"] == "subgroup"
    data = json.loads(downloaded(tmp_path, "entity.json").read_text())
    assert {n["id"] for n in data["nodes"]} == on_screen and data["edges"]


def test_hostile_labels_stay_text_in_the_panel_text_alternative_and_exports(browser, tmp_path):
    from test_views_browser import HOSTILE, HOSTILE_BODY, serve

    from lscp_kg.service.app import create_app

    server = serve(create_app({"TESTING": True, "VALIDATE": False, "DATA": [HOSTILE]}))
    try:
        open_view(browser, f"http://127.0.0.1:{server.server_port}/explore/entity?iri={HOSTILE_BODY}&depth=1")
        downloads_to(browser, tmp_path)
        browser.run_js("window.lscpExplorer.select(arguments[0])", HOSTILE_BODY)
        assert browser.text("#details h2") == "<img src=x onerror=alert(1)>"
        assert "<img src=x onerror=alert(1)>" in browser.run_js("return document.getElementById('text-alternative').textContent")
        for kind in ("svg", "graphml"):
            browser.click(f'button[data-export="{kind}"]')
        svg = ET.parse(downloaded(tmp_path, "entity.svg")).getroot()
        titles = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}title")]
        assert "<img src=x onerror=alert(1)>" in titles
        assert not [e for e in svg.iter() if e.tag.split("}")[-1] in ("img", "script", "foreignObject")]
        assert nx.read_graphml(downloaded(tmp_path, "entity.graphml")).nodes[HOSTILE_BODY]["label"] == "<img src=x onerror=alert(1)>"
        assert browser.dialogs() == [] and browser.count("#explorer img, #explorer script") == 0
        browser.assert_only_local()
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", ["/explore/path?from=id/lewisham/body/mace&to=id/person/ceri-jacob",
                                  "/explore/structure", f"/explore/entity?iri={MACE}&iri=id/person/ceri-jacob&depth=0"])
def test_the_explorer_with_its_panel_open_has_no_serious_accessibility_violation(browser, site, iri, path):
    from axe_support import assert_accessible

    open_view(browser, site + path)
    browser.run_js("window.lscpExplorer.select(arguments[0])", iri(MACE))
    browser.run_js("document.getElementById('text-details').open = true")
    assert_accessible(browser, path)
