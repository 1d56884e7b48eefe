"""The timeline in headless Chromium: a scrutineer reads the chair's timeline at 1280 px and at 390 px (the
current and the former chair, each one click from their source lines), axe-core finds no critical or serious
WCAG 2.2 A/AA violation, nothing scrolls sideways on a phone, and the source lines are reached with the
keyboard alone. The time axis is drawn above the list at desktop width and left out on a phone."""

from __future__ import annotations

import pytest

from axe_support import assert_accessible, sideways_overflow
from browser_support import wait_until

pytestmark = pytest.mark.browser

WIDTHS = {"laptop": 1280, "phone": 390}
CHAIR = "/timeline?entity=id/lewisham/post/partnership-chair"


def _open(browser, url: str, width: int) -> None:
    browser.set_viewport(width)
    browser.open(url)
    browser.wait_for("main h1", timeout=60)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_reading_the_chairs_timeline(browser, live_server, width):
    _open(browser, live_server.url + CHAIR, width)
    assert browser.text("main h1") == "Timeline: Chair of the Lewisham Safeguarding Children Partnership"
    entries = browser.run_js("return [...document.querySelectorAll('ol.timeline.undated > li')].map(li => li.innerText);")
    assert len(entries) == 2
    assert any(e.startswith("Ceri Jacob chairs the Lewisham Safeguarding Children Partnership now") for e in entries)
    assert any(e.startswith("Richard McDonagh chaired the Lewisham Safeguarding Children Partnership before Ceri Jacob")
               and "do not say when" in e for e in entries)
    assert sideways_overflow(browser) == [], f"the chair's timeline scrolls sideways at {width} px"
    assert not browser.console_errors()
    browser.assert_only_local()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", [CHAIR, "/timeline", "/timeline?entity=id/org/nhs-lewisham-ccg"])
def test_no_critical_or_serious_violations(browser, live_server, path, width):
    _open(browser, live_server.url + path, width)
    assert_accessible(browser, f"{path} at {width} px")
    assert sideways_overflow(browser) == [], f"{path} scrolls sideways at {width} px"


def test_the_axis_is_above_the_list_on_a_desktop_and_left_out_on_a_phone(browser, live_server):
    _open(browser, live_server.url + "/timeline", 1280)
    years = browser.run_js("return [...document.querySelectorAll('.timeline-axis li')].map(li => li.innerText.slice(-4));")
    assert years[0] == "2019" and years == sorted(years) and len(years) >= 5
    assert browser.run_js("return getComputedStyle(document.querySelector('.timeline-axis')).display;") == "flex"
    _open(browser, live_server.url + "/timeline", 390)
    assert browser.run_js("return getComputedStyle(document.querySelector('.timeline-axis')).display;") == "none"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_from_the_former_chair_to_the_source_lines_with_the_keyboard(browser, live_server, width):
    _open(browser, live_server.url + CHAIR, width)
    for _ in range(80):
        browser.press("Tab")
        focused = browser.focused()
        if focused["tag"] == "a" and focused["text"] == "source, lines 358 to 360":
            break
    else:
        raise AssertionError(f"Tab never reached the former chair's source lines; last {browser.focused()}")
    assert focused["outline"], "the link shows that it has the focus"
    browser.press("Enter")
    wait_until(browser, "return location.search.includes('lines=358-360');", 20)
    browser.wait_for("main h1", timeout=60)
    marked = browser.run_js("return [...document.querySelectorAll('.line.marked .text')].map(e => e.innerText).join(' ');")
    assert "former Chair of Lewisham Children Safeguarding Partnership" in marked
