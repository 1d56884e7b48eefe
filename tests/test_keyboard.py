"""Everything works with the keyboard alone (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.3, 2.4.7), in headless Chromium.

Real key events (``browser.press`` / ``browser.type``, W3C WebDriver actions) go to whatever has the
focus; nothing is clicked. The tests tab through the header (skip link, navigation, search box),
search and open a hit, open a question and choose its parameter in the picker with the arrow keys,
run the SPARQL editor, and check that the editor does not trap the focus. Each stop on the way must
show where the focus is.
"""

from __future__ import annotations


import pytest

from browser_support import wait_until
from query_page_support import assert_answer_shows, editor_value, open_query_page

pytestmark = pytest.mark.browser

MACE = "/id/lewisham/body/mace"


def tab_to(browser, wanted, limit: int = 80, key: str = "Tab") -> list[dict]:
    """Press Tab until ``wanted(focused)`` holds; returns the stops on the way (the last is the one wanted)."""
    stops = []
    for _ in range(limit):
        browser.press(key)
        stops.append(browser.focused())
        if wanted(stops[-1]):
            return stops
    raise AssertionError(f"{key} never reached the element wanted; stops: {[(s['tag'], s['text'][:30]) for s in stops]}")


def in_main(browser) -> bool:
    return browser.run_js("return document.querySelector('main').contains(document.activeElement);")


def test_skip_link_comes_first_and_moves_the_focus_to_the_content(browser, live_server):
    browser.open(live_server.url + "/queries")
    browser.wait_for("main h1")
    browser.press("Tab")
    first = browser.focused()
    assert first["tag"] == "a" and first["href"] == "#main" and "Skip" in first["text"], first
    assert first["outline"], "the skip link shows that it has the focus"
    assert browser.run_js("const r = document.activeElement.getBoundingClientRect(); return r.left >= 0 && r.width > 0;"), \
        "the focused skip link is on screen"
    browser.press("Enter")
    browser.press("Tab")
    assert in_main(browser), f"after the skip link, Tab goes into the content, not {browser.focused()}"


def test_header_navigation_and_search_box_by_keyboard(browser, live_server):
    browser.open(live_server.url + "/")
    browser.wait_for("main h1")
    stops = tab_to(browser, lambda f: f["tag"] == "input" and f["name"] == "q")
    named = [s["text"] for s in stops if s["tag"] == "a"]
    for page in ("Questions", "Compare", "Explore", "Scrutiny"):
        assert page in named, f"{page} not reached by Tab in the header: {named}"
    # the integrators' entries are grouped under one disclosure, reached by Tab (issue 17)
    assert any(s["tag"] == "summary" and s["text"] == "For developers" for s in stops), stops
    assert all(s["outline"] for s in stops), [s for s in stops if not s["outline"]]
    assert browser.run_js("return !!document.activeElement.closest('header [role=search]');"), "the search box is in the header"

    browser.type("mace")
    browser.press("Enter")
    wait_until(browser, "return location.pathname === '/search' && document.querySelectorAll('main a').length > 0;")
    tab_to(browser, lambda f: f["tag"] == "a" and f["href"] == MACE)
    browser.press("Enter")
    wait_until(browser, f"return location.pathname === '{MACE}';")
    assert "MACE" in browser.text("main h1") or "Child Exploitation" in browser.text("main h1")
    browser.assert_only_local()


def test_open_a_question_and_choose_its_body_with_the_arrow_keys(browser, live_server):
    browser.open(live_server.url + "/")
    browser.wait_for("main h1")
    tab_to(browser, lambda f: f["tag"] == "a" and f["text"] == "Questions")
    browser.press("Enter")
    wait_until(browser, "return location.pathname === '/queries';")
    tab_to(browser, lambda f: f["tag"] == "a" and f["text"] == "Members and chair of a body", limit=150)
    browser.press("Enter")
    wait_until(browser, "return location.pathname === '/queries/members-of-body';")

    tab_to(browser, lambda f: f["id"] == "param-body")
    assert browser.focused()["role"] == "combobox"
    browser.press("Control+a", "Backspace")
    browser.type("partnership group")
    wait_until(browser, "return document.querySelectorAll('#param-body-options [role=option]').length > 0;")
    browser.press("ArrowDown")
    chosen = browser.run_js("return document.querySelector('#param-body-options [aria-selected=true]').textContent;")
    assert "Partnership Group" in chosen
    browser.press("Enter")  # chooses the option; the list closes
    assert browser.run_js("return document.getElementById('param-body-options').hidden;")
    browser.press("Enter")  # submits the form
    wait_until(browser, "return new URLSearchParams(location.search).get('body') !== null && "
                        "document.querySelectorAll('main table tbody tr').length > 0;")
    assert browser.run_js("return new URLSearchParams(location.search).get('body');").endswith("/body/partnership-group")
    assert browser.count("main table tbody tr") == 23


def test_sparql_editor_by_keyboard_runs_with_control_enter_and_lets_the_focus_go(browser, live_server):
    open_query_page(browser, live_server)
    tab_to(browser, lambda f: browser.run_js("return !!document.activeElement.closest('.CodeMirror');"))
    assert browser.focused()["label"], "the editor's input has a name for screen readers"
    browser.press("Control+a", "Backspace")
    browser.type("SELECT ?name WHERE { ?body a lscp:Subgroup ; rdfs:label ?name } ORDER BY ?name")
    assert "lscp:Subgroup" in editor_value(browser)
    browser.press("Escape")  # closes an autocompletion list, if one opened
    browser.press("Control+Enter")
    assert_answer_shows(browser, "Multi-Agency Child Exploitation")


def test_tab_moves_out_of_the_sparql_editor_both_ways(browser, live_server):
    """No keyboard trap (WCAG 2.1.2): Tab and Shift+Tab leave the editor and change nothing in it."""
    open_query_page(browser, live_server)
    in_editor = "return !!document.activeElement.closest('.CodeMirror');"
    tab_to(browser, lambda f: browser.run_js(in_editor))
    before = editor_value(browser)
    browser.press("Tab")
    assert not browser.run_js(in_editor), browser.focused()
    assert browser.focused()["text"] == "Run"
    browser.press("Shift+Tab")
    assert browser.run_js(in_editor)
    browser.press("Shift+Tab")
    assert not browser.run_js(in_editor), browser.focused()
    assert editor_value(browser) == before


def test_run_button_by_keyboard(browser, live_server):
    open_query_page(browser, live_server)
    tab_to(browser, lambda f: f["tag"] == "button" and f["text"] == "Run")
    browser.press("Enter")
    browser.wait_for("#results table tbody tr")


def test_result_table_filter_and_sort_by_keyboard(browser, live_server):
    """The answer's table: type in its filter box, then sort a column with its heading's button."""
    browser.open(live_server.url + "/queries/members-of-body")
    browser.wait_for("main table tbody tr")
    shown = "[...document.querySelectorAll('main table tbody tr')].filter(r => r.offsetParent !== null).length"
    everything = browser.run_js(f"return {shown};")
    tab_to(browser, lambda f: f["tag"] == "input" and (f["id"] or "").startswith("table-filter"), limit=150)
    browser.type("chair")
    wait_until(browser, f"return {shown} < {everything};")
    assert browser.run_js(f"return {shown};") > 0
    browser.press("Control+a", "Backspace")
    wait_until(browser, f"return {shown} === {everything};")

    tab_to(browser, lambda f: f["tag"] == "button" and browser.run_js(
        "return !!document.activeElement.closest('th[aria-sort]');"))
    heading = "return document.activeElement.closest('th').getAttribute('aria-sort');"
    browser.press("Enter")
    assert browser.run_js(heading) == "ascending"
    browser.press("Space")
    assert browser.run_js(heading) == "descending"


def test_network_view_by_keyboard_select_and_expand_a_node(browser, live_server):
    """The explorer: Tab to the picture, move to a node with an arrow key, Enter selects it (the details
    panel shows it and its quote), and its Expand button adds its neighbours to the picture."""
    browser.open(live_server.url + "/explore/entity?iri=id/lewisham/body/mace&depth=1")
    browser.wait_for("#network[data-state=rendered]", timeout=20)
    tab_to(browser, lambda f: f["id"] == "network", limit=120)
    opened = browser.text("#counts")
    # Move away from MACE (whose neighbours are all shown already) to one of its neighbours. The layout places
    # nodes differently from run to run, so try each direction in turn: one of them always has a neighbour.
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"] * 2:
        browser.press(key, "Enter")
        wait_until(browser, "return !!document.querySelector('#details blockquote, #details q');")
        if "MACE" not in browser.text("#details"):
            break
    else:
        raise AssertionError("the arrow keys never moved from MACE to another node")
    counts = browser.text("#counts")
    assert counts == opened, "selecting a node changes nothing on the picture"
    tab_to(browser, lambda f: f["tag"] == "button" and f["text"] == "Expand", limit=60)
    browser.press("Enter")
    wait_until(browser, "return document.getElementById('counts').textContent !== arguments[0];", 15, counts)
    browser.assert_only_local()


def test_folded_navigation_on_a_phone_opens_from_the_keyboard(browser, live_server):
    """At 390 px the navigation folds behind "Menu": the button is reached by Tab and opens with Enter,
    and its links are then next in the tab order."""
    browser.set_viewport(390)
    browser.open(live_server.url + "/")
    browser.wait_for("main h1")
    stops = tab_to(browser, lambda f: f["tag"] == "button" and f["text"] == "Menu")
    assert not [s for s in stops if s["text"] == "Questions"], "folded links are not in the tab order"
    assert browser.run_js("return document.activeElement.getAttribute('aria-expanded');") == "false"
    browser.press("Enter")
    assert browser.run_js("return document.activeElement.getAttribute('aria-expanded');") == "true"
    browser.press("Tab")
    assert browser.focused()["text"] == "Questions"
    browser.press("Enter")
    wait_until(browser, "return location.pathname === '/queries';")
