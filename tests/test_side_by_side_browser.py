"""/compare in headless Chromium: axe-core finds no critical or serious WCAG 2.2 A/AA violation at a laptop's
width and at 390 px, nothing scrolls sideways at 390 px (cards, not a table), and the partnerships are sorted
with the keyboard alone. Two servers: Lewisham and the three scrutiny fixtures (findings shown), and the same
with 30 synthetic partnerships beside them (two pages; a short time limit, so the findings say "not available")."""

from __future__ import annotations

from pathlib import Path

import pytest

from axe_support import assert_accessible, sideways_overflow
from browser_support import wait_until
from conftest import FIXTURES
from page_support import synthetic_benchmark
from server_support import start_server, stop_server

pytestmark = pytest.mark.browser

SCRUTINY_FIXTURES = [FIXTURES / "scrutiny" / f"{name}.trig" for name in ("exampleshire", "northshire", "bareshire")]
WIDTHS = {"laptop": 1280, "phone": 390}


def _serve(tmp_path_factory, name: str, data: list[Path], time_limit: float):
    options = [option for path in data for option in ("--data", str(path))]
    log = tmp_path_factory.mktemp(name) / "server.log"
    try:
        return start_server([*options, "--no-validate", "--time-limit", str(time_limit), "--workers", "1"], log,
                            timeout=120)
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    """Lewisham and the scrutiny fixtures; a time limit the whole report fits in on a busy machine."""
    url, process = _serve(tmp_path_factory, "compare-four", SCRUTINY_FIXTURES, 120)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Thirty-four partnerships; the report of so many does not fit in a 2 s limit."""
    synthetic = synthetic_benchmark()
    made = synthetic.generate(30, 2, tmp_path_factory.mktemp("compare-synthetic"))
    url, process = _serve(tmp_path_factory, "compare-many", [*SCRUTINY_FIXTURES, made.folder], 2)
    yield url
    stop_server(process)


def _open(browser, url: str, width: int) -> None:
    browser.set_viewport(width)
    browser.open(url)
    browser.wait_for("main h1", timeout=120)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("which, path", [("four", "/compare"), ("four", "/compare?sort=must&q=shire"),
                                         ("many", "/compare?sort=bodies&page=2"), ("many", "/compare?q=nowhere")])
def test_no_critical_or_serious_violations(browser, request, which, path, width):
    url = request.getfixturevalue(which)
    _open(browser, url + path, width)
    assert_accessible(browser, f"{path} with {which} partnerships at {width} px")
    assert not browser.console_errors()
    browser.assert_only_local()


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("which, path", [("four", "/compare"), ("many", "/compare?page=2")])
def test_cards_at_390_px_without_scrolling_sideways(browser, request, which, path, width):
    _open(browser, request.getfixturevalue(which) + path, width)
    assert sideways_overflow(browser) == [], f"{path} scrolls sideways at {width} px"
    layout = browser.run_js("""const row = document.querySelector('table.compare tbody tr');
        return {head: getComputedStyle(document.querySelector('table.compare thead')).position,
                row: getComputedStyle(row).display, width: row.getBoundingClientRect().width,
                label: getComputedStyle(row.querySelector('td'), '::before').content};""")
    assert layout["head"] == "absolute" and layout["row"] == "block", "each partnership is a card"
    assert layout["width"] <= width and layout["label"] == '"Findings"', layout
    _open(browser, request.getfixturevalue(which) + path, 1280)
    assert browser.run_js("return getComputedStyle(document.querySelector('table.compare tbody tr')).display;") == "table-row"


def _tab_to(browser, wanted, limit: int = 80) -> dict:
    for _ in range(limit):
        browser.press("Tab")
        focused = browser.focused()
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the element wanted; last {browser.focused()}")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_sorting_with_the_keyboard(browser, four, width):
    _open(browser, four + "/compare", width)
    link = _tab_to(browser, lambda f: f["tag"] == "a" and f["text"].startswith("must findings"))
    assert link["outline"], "the sort link shows that it has the focus"
    browser.press("Enter")
    wait_until(browser, "return location.search.includes('sort=must');", 20)
    browser.wait_for("main h1", timeout=60)
    counts = browser.run_js("""return [...document.querySelectorAll('table.compare tbody td[data-label=Findings] a')]
        .map(a => parseInt(a.textContent));""")
    assert len(counts) == 4 and counts == sorted(counts, reverse=True), counts
    assert browser.text("nav.compare-sort a[aria-current]").startswith("must findings (most first)")
    # the same link again turns the order
    _tab_to(browser, lambda f: f["tag"] == "a" and f["text"].startswith("must findings"))
    browser.press("Enter")
    wait_until(browser, "return location.search.includes('order=asc');", 20)
    browser.wait_for("main h1", timeout=60)
    again = browser.run_js("""return [...document.querySelectorAll('table.compare tbody td[data-label=Findings] a')]
        .map(a => parseInt(a.textContent));""")
    assert again == sorted(counts), again


def test_filter_and_pages_with_the_keyboard(browser, many):
    _open(browser, many + "/compare", 390)
    _tab_to(browser, lambda f: f["id"] == "compare-q")
    browser.type("borough 1")
    browser.press("Enter")
    wait_until(browser, "return location.search.includes('q=borough');", 20)
    browser.wait_for("main h1", timeout=60)
    names = browser.run_js("return [...document.querySelectorAll('table.compare tbody th a')].map(a => a.textContent);")
    assert names and all("Borough 1" in n for n in names), names
    _open(browser, many + "/compare", 1280)
    _tab_to(browser, lambda f: f["tag"] == "a" and f["text"] == "Next page")
    browser.press("Enter")
    wait_until(browser, "return location.search.includes('page=2');", 20)
    browser.wait_for("main h1", timeout=60)
    assert "page 2 of 2" in browser.text("#compare-count")
