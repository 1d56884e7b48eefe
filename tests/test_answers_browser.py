"""Answers that read well, in Chromium at 1280 and 390 px (issue 17, item 2): a governance lead reads
"ceased organisations" on a phone as one entry per organisation; an empty answer explains itself; seats
sort in number order; no date or word is split across lines; axe finds nothing critical or serious.

Set ``LSCP_KG_SCREENSHOTS=DIR`` to keep a screenshot of each page looked at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from axe_support import assert_accessible, sideways_overflow

pytestmark = pytest.mark.browser

CEASED = "/queries/ceased-organisations"
EMPTY = "/queries/changes-over-time?entity=id/org/nhs-lewisham-ccg"
MEMBERS = "/queries/members-of-body?body=id/lewisham/body/partnership-group"
WIDTHS = {"laptop": 1280, "phone": 390}

#: Each date's text on one line: its box is one line high (a split date takes two or more lines).
DATE_LINES = """
return Array.from(document.querySelectorAll('table.results span.date')).map(el => {
  const range = document.createRange(); range.selectNodeContents(el);
  const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  const oneLine = el.getBoundingClientRect().height <= parseFloat(getComputedStyle(el).lineHeight) + 0.5;
  return {text: el.textContent, lines: oneLine ? tops.size : tops.size + 1};
});"""
#: Words broken inside: a text node whose line boxes start in the middle of a word.
SPLIT_WORDS = """
const split = [];
for (const cell of document.querySelectorAll('table.results td, table.results th')) {
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent;
    for (const match of text.matchAll(/[A-Za-z0-9-]{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index); range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1 && !match[0].includes('-')) { split.push(match[0]); }
    }
  }
}
return split;"""


def look(browser, live_server, path: str, width: int, ready: str = "main h1"):
    browser.set_viewport(width, 900)
    browser.open(live_server.url + path)
    browser.wait_for(ready)
    folder = os.environ.get("LSCP_KG_SCREENSHOTS")
    if folder:
        name = path.strip("/").replace("/", "_").split("?")[0]
        browser.command("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
            "width": width, "height": min(browser.run_js("return document.body.scrollHeight;"), 4000),
            "deviceScaleFactor": 1, "mobile": width < 600}})
        browser.screenshot(Path(folder) / f"{name}-{width}.png")
        browser.set_viewport(width, 900)


@pytest.fixture
def reset_viewport(browser):
    yield browser
    browser.set_viewport(None)


def test_a_governance_lead_reads_ceased_organisations_on_a_phone_one_entry_each(browser, live_server, reset_viewport):
    look(browser, live_server, CEASED, WIDTHS["phone"], "table.results tbody tr")
    entries = browser.run_js("return Array.from(document.querySelectorAll('table.results tbody tr'))"
                             ".map(r => r.cells[0].textContent.trim());")
    assert entries == ["Community Rehabilitation Company", "NHS Lewisham Clinical Commissioning Group"]
    assert "2 entries, one per organisation" in browser.text(".row-count")
    # The CCG's card lists every place the arrangements still name it, in one cell.
    named_in = browser.run_js("return Array.from(document.querySelectorAll('table.results tbody tr')[1]"
                              ".querySelectorAll('td[data-label=\"named in\"] li')).map(li => li.textContent.trim());")
    assert len(named_in) >= 5 and any("seat 2" in n for n in named_in)
    assert sideways_overflow(browser) == []
    assert browser.console_errors() == []


@pytest.mark.parametrize("width", WIDTHS.values())
def test_no_date_or_word_is_split(browser, live_server, reset_viewport, width):
    for path in (CEASED, "/queries/facts-as-of"):
        look(browser, live_server, path, width, "table.results tbody tr")
        dates = browser.run_js(DATE_LINES)
        assert dates, path
        assert [d for d in dates if d["lines"] != 1] == [], (path, width)
        assert browser.run_js(SPLIT_WORDS) == [], (path, width)


def test_an_empty_answer_explains_itself_and_offers_the_next_question(browser, live_server, reset_viewport):
    look(browser, live_server, EMPTY, WIDTHS["laptop"], ".empty-answer")
    text = browser.text(".empty-answer")
    assert "No answer for NHS Lewisham Clinical Commissioning Group" in text
    assert "NHS South East London Integrated Care Board" in text and "1 July 2022" in text
    assert "a cited source" in text
    browser.click(".empty-answer a[href*='ceased-organisations']")
    browser.wait_for("table.results tbody tr")
    assert "NHS Lewisham Clinical Commissioning Group" in browser.text("table.results")


def test_seats_sort_in_number_order(browser, live_server, reset_viewport):
    look(browser, live_server, MEMBERS, WIDTHS["laptop"], "table.results th button.sort")
    numbers = "return Array.from(document.querySelectorAll('table.results tbody tr'))" \
              ".map(r => (r.cells[0].textContent.match(/seat (\\d+)/) || [])[1]).filter(Boolean).map(Number);"
    assert browser.run_js(numbers) == sorted(browser.run_js(numbers))
    browser.run_js("document.querySelector('table.results thead th button.sort').click();")  # sort by seat
    ascending = browser.run_js(numbers)
    assert ascending == sorted(ascending) and len(ascending) > 10
    browser.run_js("document.querySelector('table.results thead th button.sort').click();")
    assert browser.run_js(numbers) == sorted(ascending, reverse=True)
    assert browser.count("table.results button.copy-iri") == 0  # no copy control in every cell


@pytest.mark.parametrize("width", WIDTHS.values())
@pytest.mark.parametrize("path", [CEASED, EMPTY])
def test_question_pages_are_accessible(browser, live_server, reset_viewport, width, path):
    look(browser, live_server, path, width)
    assert_accessible(browser, f"{path} at {width} px")
