"""Short pages that open long ones (issue 17): the scrutiny report opens on a summary, a long entity page
opens with its long groups folded, and nothing a person reads unopened is an IRI or a rule code.

The heights are measured in headless Chromium (``browser_support``) at 1280 px, with Lewisham alone (the
live server) and with the scrutiny test partnerships loaded beside it (a second server, ``--data``).
Set ``LSCP_SCREENSHOTS`` to a folder to keep a PNG of each page measured.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from server_support import start_server, stop_server

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "scrutiny"
SCRUTINY = "/scrutiny?asof=2026-11-26"
MAX_HEIGHT = 6000
#: What a page shows unopened: the text of the main content outside closed <details> (their summaries count).
VISIBLE_TEXT = """
const main = document.querySelector('main');
const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
const parts = [];
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  const closed = parent.closest('details:not([open])');
  if (closed && !parent.closest('summary')) continue;
  if (parent.closest('.visually-hidden, script, style, template')) continue;
  if (parent.getClientRects().length === 0) continue;
  parts.push(node.textContent);
}
return parts.join(' ').replace(/\\s+/g, ' ');
"""
IRI = re.compile(r"https?://\S+|\bid/[a-z-]+/\S+")
RULE_CODE = re.compile(r"\b[A-Z]{2,}(?:-[A-Z]+)+\b")  # CEASED-ORG, PERIOD-ENDED, SOURCE-ISSUE


@pytest.fixture(scope="module")
def fixtures_server(tmp_path_factory):
    """``lscp-kg serve`` with the scrutiny test partnerships loaded beside Lewisham."""
    log = tmp_path_factory.mktemp("short-pages") / "server.log"
    data = [str(FIXTURES / name) for name in ("exampleshire.trig", "flaws", "bareshire.trig", "northshire.trig")]
    try:
        url, process = start_server([*sum((["--data", d] for d in data), []), "--time-limit", "120"], log)
    except RuntimeError as error:
        pytest.fail(str(error))
    yield url
    stop_server(process)


def _screenshot(browser, name: str) -> None:
    folder = os.environ.get("LSCP_SCREENSHOTS")
    if folder:
        browser.run_js("document.documentElement.style.height = 'auto';")
        browser.screenshot(Path(folder) / f"{name}.png")


def page_height(browser) -> int:
    return browser.run_js("return Math.ceil(document.documentElement.scrollHeight);")


def visible_text(browser) -> str:
    return browser.run_js(VISIBLE_TEXT)


def _open(browser, url: str, width: int | None = 1280) -> None:
    browser.set_viewport(width)
    browser.open(url)
    browser.wait_for("main h1", timeout=120)


@pytest.mark.parametrize("server", ["lewisham", "with the scrutiny fixtures"])
def test_scrutiny_page_opens_short_at_1280_px(browser, live_server, fixtures_server, server):
    base = live_server.url if server == "lewisham" else fixtures_server
    _open(browser, base + SCRUTINY)
    height = page_height(browser)
    _screenshot(browser, f"scrutiny-{server.replace(' ', '-')}-1280")
    assert height < MAX_HEIGHT, f"/scrutiny is {height} px tall at 1280 px with {server}"


def test_each_must_and_should_finding_is_one_line_with_network_and_evidence(browser, live_server):
    _open(browser, live_server.url + SCRUTINY)
    lines = browser.run_js("""
      return [...document.querySelectorAll('li.finding.severity-must, li.finding.severity-should')].map(li => ({
        id: li.id, line: li.querySelector(':scope > p.line').innerText,
        network: !!li.querySelector(':scope > p.line a.network'),
        evidence: (li.querySelector(':scope > p.line a.evidence-link') || {}).hash || null,
        folded: !li.querySelector(':scope > details').open}));""")
    assert len(lines) == 10  # Lewisham on 2026-11-26: 1 must, 9 should
    for finding in lines:
        assert finding["network"], finding
        assert finding["evidence"] == f"#{finding['id']}-evidence", finding
        assert finding["folded"], finding
        assert not RULE_CODE.search(finding["line"]) and not IRI.search(finding["line"]), finding["line"]
    assert lines[0]["line"].startswith("Must A yearly report for every 12-month period")


def test_a_finding_s_details_open_on_demand(browser, live_server):
    _open(browser, live_server.url + SCRUTINY)
    first = browser.run_js("return document.querySelector('li.finding.severity-should').id;")
    assert "replaced by integrated care boards" not in visible_text(browser)
    browser.click(f"#{first} > p.line a.evidence-link")  # the evidence link opens the folded details at the quotes
    assert browser.run_js(f"return document.querySelector('#{first} > details').open;")
    browser.click(f"#{first} > details > summary")  # and the summary folds them again
    assert not browser.run_js(f"return document.querySelector('#{first} > details').open;")
    browser.run_js(f"document.querySelector('#{first} > details > summary').focus();")
    browser.press("Enter")  # from the keyboard
    assert browser.run_js(f"return document.querySelector('#{first} > details').open;")
    assert "in the source" in browser.text(f"#{first}")


def test_notes_are_summarised_by_kind_and_open(browser, live_server):
    _open(browser, live_server.url + SCRUTINY)
    summary = browser.text("details.notes > summary")
    assert summary.startswith("16 notes:"), summary
    assert "11 × issues in the source recorded by the data's curators" in summary
    assert browser.run_js("return [...document.querySelectorAll('details.notes li.finding')]"
                          ".every(li => !li.checkVisibility());")
    browser.click("details.notes > summary")
    assert browser.count("details.notes h5") == 3


def test_scrutiny_page_shows_no_iri_or_rule_code_unopened(browser, live_server):
    _open(browser, live_server.url + SCRUTINY)
    text = visible_text(browser)
    assert not IRI.findall(text), IRI.findall(text)[:5]
    assert not RULE_CODE.findall(text), RULE_CODE.findall(text)[:5]
    first = browser.run_js("return document.querySelector('li.finding').id;")
    browser.click(f"#{first} > details > summary")
    browser.click(f"#{first} details.technical > summary")  # the codes are there, on request
    assert RULE_CODE.search(browser.text(f"#{first} details.technical")) or "YR" in browser.text(f"#{first} details.technical")


# Entity pages on a phone.

LONG_ENTITY = "/id/partnership/lewisham"
ENTITY_PAGES = ["/id/partnership/lewisham", "/id/person/ceri-jacob", "/id/lewisham/body/partnership-group",
                "/id/lewisham/families-first-pathfinder", "/id/lewisham/passage/L275", "/id/org/metropolitan-police"]


def test_long_groups_are_folded_on_a_phone_and_open_with_the_keyboard(browser, live_server):
    _open(browser, live_server.url + LONG_ENTITY, 390)
    groups = browser.run_js("""return [...document.querySelectorAll('dl.facts div.fact')].map(div => ({
        relation: div.querySelector('dt').innerText,
        shown: [...div.querySelectorAll('dd > ul > li')].filter(li => li.getClientRects().length).length,
        hidden: div.querySelectorAll('dd > details.more-values li').length,
        summary: (div.querySelector('dd > details.more-values > summary .when-folded') || {}).innerText || null}));""")
    folded = [g for g in groups if g["hidden"]]
    assert folded, "the partnership's long groups (39 aims, 15 relevant agencies) are folded"
    for group in groups:
        assert group["shown"] <= 5, group
    for group in folded:
        assert group["shown"] == 3 and group["summary"] == f"Show all {group['shown'] + group['hidden']}", group
    # Tab to the first "Show all N" and open it with Enter: its values show, and the summary says "Show fewer".
    browser.run_js("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    first = browser.run_js("""const s = document.querySelector('dl.facts details.more-values > summary');
        s.id = 'first-fold'; return s.innerText;""")
    for _ in range(400):
        browser.press("Tab")
        if browser.focused().get("id") == "first-fold":
            break
    else:
        pytest.fail(f"Tab never reaches {first!r}")
    browser.press("Enter")
    assert browser.run_js("return document.getElementById('first-fold').parentElement.open;")
    assert browser.text("#first-fold .when-open") == "Show fewer" and not browser.text("#first-fold .when-folded")
    assert browser.run_js("""return [...document.getElementById('first-fold').parentElement.querySelectorAll('li')]
        .every(li => li.getClientRects().length > 0);""")


def test_a_citation_into_the_folded_sources_opens_them(browser, live_server):
    _open(browser, live_server.url + LONG_ENTITY, 390)
    number = browser.run_js("""const a = [...document.querySelectorAll('a.cite')].find(a =>
        document.querySelector(a.hash).closest('details.more-sources')); a.id = 'late-cite'; return a.hash;""")
    assert not browser.run_js("return document.querySelector('details.more-sources').open;")
    browser.click("#late-cite")
    assert browser.run_js("return document.querySelector('details.more-sources').open;"), number


@pytest.mark.parametrize("path", ENTITY_PAGES)
def test_entity_pages_show_no_iri_unopened(browser, live_server, path):
    _open(browser, live_server.url + path, 390)
    text = visible_text(browser)
    assert not IRI.findall(text), IRI.findall(text)[:5]
    assert browser.run_js("return document.documentElement.scrollWidth;") <= 390
    _screenshot(browser, "entity" + path.replace("/", "-") + "-390")


def test_a_passage_is_named_by_its_words_and_a_relation_said_once(client):
    page = client.get("/id/person/ceri-jacob").get_data(as_text=True)
    relations = re.findall(r"<dt[^>]*>([^<]+)</dt>", page)
    assert len(relations) == len(set(relations)), relations
    assert "holds or held" in relations and "holds" not in relations
    holds = page[page.index(">holds or held</dt>"):].split("</dd>")[0]
    assert ">Chair of the Lewisham Safeguarding Children Partnership</a>" in holds
    assert ">Ceri Jacob, current Partnership chair</a>" in holds  # the post holding, in the same group
    passage = client.get(LONG_ENTITY).get_data(as_text=True)  # it is the context of its passages
    assert re.search(r">Lines? \d+(–\d+)? of Our Partnership Arrangements</a>", passage)
    assert not re.search(r">id/lewisham/passage/L\d+<", passage)


def test_seats_are_in_number_order(client):
    """Issue 17 item 9: "seat 2" before "seat 10" (the values of a group in natural order)."""
    page = client.get("/id/lewisham/body/partnership-group").get_data(as_text=True)
    group = page[page.index(">has seat</dt>"):].split("</dd>")[0]
    numbers = [int(n) for n in re.findall(r">Partnership Group seat (\d+):", group)]
    assert len(numbers) > 10 and numbers == sorted(numbers), numbers
