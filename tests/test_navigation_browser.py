"""The site navigation in Chromium (issue 17): the people's entries shown, the developers' entries one click away
under "For developers" on a laptop and inside the folded menu on a phone, with no sideways scroll."""

from __future__ import annotations

import pytest

from browser_support import wait_until

pytestmark = pytest.mark.browser

SHOWN = "return (e => !!e && e.checkVisibility())(document.querySelector(arguments[0]));"
DEVELOPER_LINK = "header.site details.developers a[href='/query']"


def test_developers_entries_open_on_request_and_lead_to_their_pages(browser, live_server):
    browser.set_viewport(1280, 900)
    browser.open(live_server.url + "/queries")
    browser.wait_for("main h1")
    assert browser.run_js(SHOWN, "header.site nav a[href='/scrutiny']")
    assert not browser.run_js(SHOWN, DEVELOPER_LINK), "the developers' links are folded at first"
    browser.click("header.site details.developers summary")
    assert browser.run_js(SHOWN, DEVELOPER_LINK)
    browser.click(DEVELOPER_LINK)
    wait_until(browser, "return location.pathname === '/query';")
    assert browser.console_errors() == []


def test_on_a_phone_the_developers_entries_are_inside_the_menu(browser, live_server):
    browser.set_viewport(390, 844)
    browser.open(live_server.url + "/")
    browser.wait_for("header.site.js-menu")
    assert not browser.run_js(SHOWN, "header.site details.developers summary"), "folded with the menu"
    browser.click("header.site button.menu")
    browser.click("header.site details.developers summary")
    assert browser.run_js(SHOWN, DEVELOPER_LINK)
    box = browser.run_js("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                         "return [r.left, r.right, document.documentElement.scrollWidth];", DEVELOPER_LINK)
    assert box[0] >= 0 and box[1] <= 390 and box[2] <= 390, box
