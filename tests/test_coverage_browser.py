"""The coverage page in headless Chromium: axe-core finds no serious WCAG 2.2 A/AA violation at a laptop's width
and at a phone's (390 px), it never scrolls sideways, the filter shows only the lines not in the graph, and a
passage's facts open from its first line. Served over the fictional Northvale of test_coverage and Lewisham."""

from __future__ import annotations

import pytest

from axe_support import assert_accessible, sideways_overflow
from server_support import start_server, stop_server
from test_coverage import write_northvale

pytestmark = pytest.mark.browser
PAGES = {"Northvale": "/source/northvale-arrangements/coverage",
         "Lewisham": "/source/lewisham-our-partnership-arrangements/coverage"}
WIDTHS = {"laptop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = write_northvale(tmp_path_factory.mktemp("northvale"))
    url, process = start_server(["--data", str(folder), "--workers", "1"], folder / "server.log")
    yield url
    stop_server(process)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name", PAGES)
def test_accessible_and_no_sideways_scroll(browser, server, name, width, tmp_path):
    browser.set_viewport(width)
    browser.open(server + PAGES[name])
    browser.wait_for("ul.coverage-lines > li", timeout=20)
    assert_accessible(browser, f"coverage of {name} at {width} px")
    assert sideways_overflow(browser) == [], f"coverage of {name} scrolls sideways at {width} px"
    browser.assert_only_local()
    browser.screenshot(tmp_path / f"coverage-{name}-{width}.png")  # kept by pytest's tmp_path, for a person to look at


def test_reflows_at_320_px(browser, server):
    browser.set_viewport(320)
    browser.open(server + PAGES["Lewisham"] + "?only=missing")
    browser.wait_for("main h1")
    assert sideways_overflow(browser) == []


def test_filter_and_facts(browser, server):
    browser.open(server + PAGES["Northvale"])
    browser.wait_for("ul.coverage-lines > li")
    assert browser.count("ul.coverage-lines > li.cov-cited") == 2
    browser.click("nav.coverage-filter li:nth-child(3) a")
    browser.wait_for("nav.coverage-filter a[aria-current][href*='only=stating']")
    assert browser.count("ul.coverage-lines > li.cov-stating") == 3 and browser.count("ul.coverage-lines > li.cov-partly") == 1
    assert browser.count("ul.coverage-lines > li") == 4
    browser.open(server + PAGES["Northvale"] + "#L5")
    browser.wait_for("#L5 details summary")
    assert not browser.run_js("return document.querySelector('#L5 details').open")
    browser.click("#L5 details summary")
    assert "Northvale Council" in browser.text("#L5 details ul")
