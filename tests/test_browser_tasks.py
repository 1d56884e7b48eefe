"""Issue 11's acceptance tasks, end to end in headless Chromium, starting from the home page with only typing and clicking.

1. A governance lead types "mace" in the header's search box, opens MACE, opens its accountability chain,
   sees the ordered chain ending at the three lead representatives and their agencies, clicks a step's
   quote and lands on the source page with those lines highlighted.
2. A governance lead opens "Members and chair of a body", types "partnership group" in the picker, picks
   the body, and reads a table of 23 seats showing names, not IRIs.
3. Both again at a phone's width (390 px), where no page may scroll sideways.

What the pages should show is read from the graph (the named queries), not written into the test.
"""

from __future__ import annotations

import re

import pytest

from axe_support import sideways_overflow
from browser_support import ELEMENT, wait_until

pytestmark = pytest.mark.browser

WIDTHS = {"laptop": None, "phone": 390}
IRI_LIKE = re.compile(r"^(https?://|urn:|id/)|^[a-z]+:[A-Za-z_]\w*$")

#: For each leaf of the drawn chain: the links from the start down to it, and the relation of each step.
CHAIN_PATHS = """
const leaves = [...document.querySelectorAll('.chain-tree li.chain-node')]
  .filter(n => !n.querySelector(':scope > ol.chain-steps') && !n.querySelector(':scope > .muted'));
return leaves.map(leaf => {
  const nodes = [], relations = [];
  for (let n = leaf; n; ) {
    nodes.unshift(n.querySelector(':scope > a').getAttribute('href'));
    const step = n.parentElement.closest('li.chain-step');
    if (step) relations.unshift(step.querySelector(':scope > .relation').textContent.trim());
    n = step ? step.closest('li.chain-node') : null;
  }
  return {nodes, relations};
});"""

def no_sideways_scroll(browser, width) -> None:
    if width:
        assert sideways_overflow(browser) == [], f"{browser.url} scrolls sideways at {width} px"


def path_of(iri: str, kg) -> str:
    return "/" + iri[len(kg.base_iri):]


def click_nav(browser, text: str) -> None:
    """Click a link of the site's navigation, opening the menu first where the navigation is folded (phones)."""
    if browser.run_js("const b = document.querySelector('header button.menu');"
                      "return !!b && b.offsetParent !== null && b.getAttribute('aria-expanded') !== 'true';"):
        browser.click("header button.menu")
    refs = [ref for ref in browser.find_all("header nav a") if browser.command("GET", f"/element/{ref}/text") == text]
    assert refs, f"no link {text!r} in the site's navigation"
    browser.command("POST", f"/element/{refs[0]}/click")


def click_element(browser, ref: str) -> None:
    browser.command("POST", f"/element/{ref}/click")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_search_mace_open_its_chain_and_follow_a_quote_to_its_lines(browser, live_server, kg, run_named, width):
    leads = {(path_of(r["leadPost"], kg), path_of(r["agency"], kg)) for r in run_named("lead-representatives")}
    assert len({agency for _, agency in leads}) == 3
    mace = "/id/lewisham/body/mace"
    browser.set_viewport(width)
    browser.open(live_server.url + "/")
    browser.wait_for("main h1")
    no_sideways_scroll(browser, width)

    browser.click("header [role=search] input[name=q]")
    browser.type("mace")
    browser.press("Enter")
    wait_until(browser, "return location.pathname === '/search' && !!document.querySelector(arguments[0]);", 15,
               f'main a[href="{mace}"]')
    no_sideways_scroll(browser, width)
    browser.click(f'main a[href="{mace}"]')

    wait_until(browser, "return location.pathname === arguments[0];", 15, mace)
    assert "MACE" in browser.text("main h1")
    no_sideways_scroll(browser, width)
    browser.click('main a[href^="/queries/accountability-chain"]')

    browser.wait_for(".chain-tree li.chain-node", timeout=20)
    no_sideways_scroll(browser, width)
    paths = browser.run_js(CHAIN_PATHS)
    assert paths, "the chain has steps"
    ends = {(p["nodes"][-2], p["nodes"][-1]) for p in paths}
    assert ends == leads, "the chain ends at the three lead representatives and the agencies they stay accountable for"
    for path in paths:
        assert path["nodes"][0] == mace, "the chain starts at MACE"
        assert path["relations"][0] == "reports to" and path["relations"][-1] == "accountable for", path["relations"]
        assert "delegated by" in path["relations"], path["relations"]
        assert len(path["nodes"]) == len(path["relations"]) + 1 >= 4

    # A step's quote: open it, then follow it to its lines in the source.
    quotes = browser.find_all(".chain-tree .chain-steps details.quote")
    with_link = [ref for ref in quotes if browser.command("POST", f"/element/{ref}/elements",
                                                          {"using": "css selector", "value": "a.source-link"})]
    assert with_link, "the steps' quotes link to their source lines"
    quote = with_link[0]
    click_element(browser, browser.command("POST", f"/element/{quote}/element", {"using": "css selector", "value": "summary"})[ELEMENT])
    text = " ".join(browser.command("GET", f"/element/{quote}/text").split())
    link = browser.command("POST", f"/element/{quote}/element", {"using": "css selector", "value": "a.source-link"})
    click_element(browser, link[ELEMENT])

    wait_until(browser, "return location.pathname.startsWith('/source') && !!document.querySelector('.line.marked');")
    marked = browser.run_js("return [...document.querySelectorAll('.line.marked')].map(l => l.id);")
    target = browser.run_js("return location.hash.slice(1);")
    assert target in marked, f"the page opens at the first highlighted line ({target} among {marked})"
    shown = " ".join(browser.run_js("return [...document.querySelectorAll('.line.marked .text')].map(t => t.textContent).join(' ');").split())
    quoted = re.sub(r"^quote\s*", "", text).replace("source lines", "").strip()
    assert quoted[:60] in shown, f"the highlighted lines hold the quote: {quoted[:60]!r} not in {shown[:200]!r}"
    wait_until(browser, "const r = document.getElementById(location.hash.slice(1)).getBoundingClientRect();"
                        "return document.readyState === 'complete' && r.bottom > 0 && r.top < innerHeight;")  # in view
    no_sideways_scroll(browser, width)
    browser.assert_only_local()
    assert browser.dialogs() == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_members_of_the_partnership_group_by_name_in_the_picker(browser, live_server, kg, run_named, width):
    body = kg.base_iri + "id/lewisham/body/partnership-group"
    expected = run_named("members-of-body", body=body)
    assert len({row["seat"] for row in expected}) == 23
    browser.set_viewport(width)
    browser.open(live_server.url + "/")
    browser.wait_for("main h1")
    click_nav(browser, "Questions")
    wait_until(browser, "return location.pathname === '/queries';")
    no_sideways_scroll(browser, width)
    refs = [ref for ref in browser.find_all("main a") if browser.command("GET", f"/element/{ref}/text") == "Members and chair of a body"]
    assert refs, "the questions page lists 'Members and chair of a body'"
    click_element(browser, refs[0])

    wait_until(browser, "return location.pathname === '/queries/members-of-body';")
    browser.click("#param-body")
    browser.press("Control+a", "Backspace")
    browser.type("partnership group")
    browser.wait_for("#param-body-options [role=option]")
    options = [ref for ref in browser.find_all("#param-body-options [role=option]")
               if "Partnership Group" in browser.command("GET", f"/element/{ref}/text")]
    assert options, "the picker offers the Partnership Group"
    click_element(browser, options[0])
    assert "Partnership Group" in browser.run_js("return document.getElementById('param-body').value;")
    browser.click("form.params button[type=submit]")

    wait_until(browser, "return new URLSearchParams(location.search).get('body') === arguments[0] && "
                        "document.querySelectorAll('main table tbody tr').length > 0;", 20, body)
    no_sideways_scroll(browser, width)
    rows = browser.run_js("return [...document.querySelectorAll('main table tbody tr')].map(tr => "
                          "[...tr.querySelectorAll('td')].map(td => (td.querySelector('a') || td).textContent.trim()));")
    assert len(rows) == 23, f"{len(rows)} rows, not one per seat"
    cells = [cell for row in rows for cell in row if cell]
    assert not [c for c in cells if IRI_LIKE.search(c)], "cells show names, not IRIs"
    text = browser.text("main table")
    names = {row[key] for row in expected for key in ("memberLabel", "postLabel", "holderLabel") if row.get(key)}
    missing = [name for name in names if name not in text]
    assert not missing, f"names of the seats not shown: {missing[:5]}"
    assert text.count(body) == 0
    browser.assert_only_local()
