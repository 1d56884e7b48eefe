"""The home page with many partnerships loaded, in headless Chromium: the chooser (names by first letter, the
filter's answer) and one partnership's overview pass axe-core's WCAG 2.2 A/AA checks at a laptop's width and at
390 px, reflow at 320 px without scrolling sideways, and the chooser's filter and names lead to an overview.

One server: Lewisham, two scrutiny fixtures and 17 synthetic partnerships, 20 names (enough to be grouped by letter).
"""

from __future__ import annotations

import pytest

from axe_support import assert_accessible, sideways_overflow
from browser_support import wait_until
from page_support import SCRUTINY_FIXTURES, synthetic_benchmark
from server_support import start_server, stop_server

pytestmark = pytest.mark.browser

PAGES = {"chooser": "/", "chooser filtered": "/?q=shire",
         "a partnership's overview": "/?partnership=id/partnership/bareshire"}


@pytest.fixture(scope="module")
def twenty(tmp_path_factory):
    """The URL of a server over twenty partnerships."""
    made = synthetic_benchmark().generate(17, 1, tmp_path_factory.mktemp("home-synthetic"))
    data = [SCRUTINY_FIXTURES / "exampleshire.trig", SCRUTINY_FIXTURES / "bareshire.trig", made.folder]
    try:
        url, process = start_server([*(f"--data={path}" for path in data), "--no-validate", "--workers", "1"],
                                    tmp_path_factory.mktemp("home-server") / "server.log", timeout=180)
    except RuntimeError as error:
        pytest.fail(str(error))
    yield url
    stop_server(process)


@pytest.fixture
def visit(browser, twenty):
    """``visit(path, width)``: the browser on a page of the twenty partnerships' server, once its heading shows."""
    def at_width(path: str, width: int):
        browser.set_viewport(width)
        browser.open(twenty + path)
        browser.wait_for("main h1", timeout=120)
        return browser
    return at_width


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", PAGES)
def test_the_home_pages_are_accessible(visit, name, width):
    browser = visit(PAGES[name], width)
    assert_accessible(browser, f"{name} ({PAGES[name]}) at {width} px")
    browser.assert_only_local()


@pytest.mark.parametrize("name", PAGES)
def test_the_home_pages_reflow_at_320_px(visit, name):
    assert sideways_overflow(visit(PAGES[name], 320)) == [], f"{name} scrolls sideways at 320 px"


def test_the_chooser_groups_twenty_names_by_letter_and_leads_to_an_overview(visit):
    browser = visit("/", 390)
    letters = browser.run_js("return [...document.querySelectorAll('nav.chooser h3')].map(h => h.textContent);")
    assert letters == ["B", "E", "L", "S"]
    names = browser.run_js("return [...document.querySelectorAll('nav.chooser li a')].map(a => a.textContent);")
    assert len(names) == 20 and names[3:6] == [f"Synthetic Borough {n} Safeguarding Children Partnership (synthetic)"
                                               for n in (1, 2, 3)]  # numbers by value, as /compare sorts them
    browser.click("#home-q")  # the filter is a plain form: typing and Enter send it
    browser.type("bare")
    browser.press("Enter")
    wait_until(browser, "return location.search.includes('q=bare');", 30)
    browser.wait_for("main h1", timeout=60)
    assert browser.run_js("return [...document.querySelectorAll('nav.chooser li a')].map(a => a.textContent);") == \
        ["Bareshire Safeguarding Children Partnership"]
    browser.click("nav.chooser li a")
    wait_until(browser, "return location.search.includes('partnership=');", 30)
    browser.wait_for("section.overview", timeout=120)
    assert browser.text("main h1") == "Bareshire Safeguarding Children Partnership"
