"""The pages in headless Chromium: at 390 px (a phone) no page scrolls sideways and the navigation
folds behind a button; result tables sort and filter; a source page marks and scrolls to a range of
lines; from an entity page to its accountability chain and on to the source lines of a step."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/", "/queries", "/queries/members-of-body?body=id/lewisham/body/partnership-group",
    "/queries/accountability-chain?start=id/lewisham/body/mace", "/queries/source-of-fact",
    "/query?query=" + quote("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 40"), "/query",
    "/id/lewisham/body/mace", "/id/lewisham/passage/L15a", "/id/person/ceri-jacob",
    "/source/lewisham-our-partnership-arrangements?lines=144-149", "/scrutiny", "/ontology", "/search?q=mace",
]


@pytest.fixture
def phone(browser):
    """A phone's screen: 390 CSS px wide, the page's viewport meta applied (browser_support.set_viewport)."""
    browser.set_viewport(PHONE["width"], PHONE["height"])
    yield browser
    browser.set_viewport(None)


def test_no_page_scrolls_sideways_at_390_px(phone, live_server):
    wide = {}
    for path in PAGES:
        phone.open(live_server.url + path)
        phone.wait_for("footer.site")
        widths = phone.run_js("return [document.documentElement.scrollWidth, window.innerWidth];")
        assert widths[1] == PHONE["width"], path
        assert not phone.run_js("return document.title.startsWith('Error');"), f"{path}: {phone.text('main')[:200]}"
        if widths[0] > widths[1]:
            wide[path] = widths
    assert wide == {}, f"pages wider than the screen (scrollWidth, innerWidth): {wide}"
    phone.assert_only_local()


def test_members_table_turns_into_cards_on_a_phone(phone, live_server):
    phone.open(live_server.url + "/queries/members-of-body?body=id/lewisham/body/partnership-group")
    phone.wait_for("table.results tbody tr", count=23)
    shown = phone.run_js("const td = document.querySelector('table.results td');"
                         "return [getComputedStyle(td).display, getComputedStyle(td, '::before').content];")
    assert shown[0] == "grid" and shown[1].strip('"') == "seat"


def test_navigation_folds_behind_a_menu_button_on_a_phone(phone, live_server):
    phone.open(live_server.url + "/queries")
    phone.wait_for("header.site.js-menu")
    visible = "return getComputedStyle(document.querySelector(arguments[0])).display !== 'none';"
    assert phone.run_js(visible, "header.site button.menu")
    assert not phone.run_js(visible, "#site-nav")
    phone.click("header.site button.menu")
    assert phone.run_js(visible, "#site-nav")
    assert phone.run_js("return document.querySelector('header.site button.menu').getAttribute('aria-expanded');") == "true"
    assert phone.console_errors() == []


def test_result_table_filters_and_sorts(browser, live_server):
    browser.open(live_server.url + "/queries/members-of-body?body=id/lewisham/body/partnership-group")
    browser.wait_for("table.results th button.sort")
    rows = "return Array.from(document.querySelectorAll('table.results tbody tr')).filter(r => !r.hidden).length;"
    assert browser.run_js(rows) == 23
    browser.run_js("const i = document.querySelector('.table-tools input'); i.value = 'police';"
                   "i.dispatchEvent(new Event('input'));")
    assert 0 < browser.run_js(rows) < 23
    assert "rows match" in browser.text(".table-tools [role=status]")
    browser.run_js("const i = document.querySelector('.table-tools input'); i.value = '';"
                   "i.dispatchEvent(new Event('input'));")
    column = browser.run_js("return Array.from(document.querySelectorAll('table.results thead th'))"
                            ".findIndex(th => th.textContent.trim() === 'member');")
    browser.run_js("document.querySelectorAll('table.results thead th button.sort')[arguments[0]].click();", column)
    names = browser.run_js("return Array.from(document.querySelectorAll('table.results tbody tr'))"
                           ".map(r => r.cells[arguments[0]].textContent.replace('copy IRI', '').trim().toLowerCase());", column)
    assert names == sorted(names) and len(set(names)) > 3
    assert browser.run_js("return document.querySelectorAll('table.results thead th')[arguments[0]]"
                          ".getAttribute('aria-sort');", column) == "ascending"
    assert browser.count("table.results button.copy-iri") == 0  # copying an identifier: once, in the technical details
    assert browser.console_errors() == []


def test_a_fragment_range_marks_the_lines_and_scrolls_to_the_first(browser, live_server):
    browser.open(live_server.url + "/source/lewisham-our-partnership-arrangements#L200-L203")
    browser.wait_for(".source-text .line.marked", count=4)
    marked = browser.run_js("return Array.from(document.querySelectorAll('.line.marked')).map(l => l.id);")
    assert marked == ["L200", "L201", "L202", "L203"]
    top = browser.run_js("return document.getElementById('L200').getBoundingClientRect().top;")
    assert 0 <= top < browser.run_js("return window.innerHeight;")


def test_from_an_entity_to_its_chain_and_to_the_source_lines_of_a_step(browser, live_server):
    browser.open(live_server.url + "/id/lewisham/body/mace")
    browser.wait_for("ul.entity-links a")
    link = browser.run_js("return Array.from(document.querySelectorAll('ul.entity-links a'))"
                          ".find(a => a.href.indexOf('/queries/accountability-chain') >= 0).href;")
    browser.open(link)
    browser.wait_for("section.chain li.chain-node")
    chain = browser.text("section.chain")
    for name in ("Multi-Agency Child Exploitation (MACE)", "LSCP Executive Partnership", "Metropolitan Police",
                 "London Borough of Lewisham", "NHS South East London Integrated Care Board"):
        assert name in chain
    browser.run_js("document.querySelector('section.chain details.quote').open = true;")
    browser.click("section.chain details.quote a.source-link")
    browser.wait_for(".source-text .line.marked")
    assert "/source/" in browser.url and "#L" in browser.url
    first = browser.run_js("return document.querySelector('.line.marked').id;")
    assert browser.url.endswith("#" + first)
    assert browser.dialogs() == [] and browser.console_errors() == []
    browser.assert_only_local()
