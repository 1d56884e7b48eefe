"""WCAG 2.2 AA in a real browser: axe-core finds no critical and no serious violation on any kind of page.

Each page type is opened in headless Chromium (``browser_support``), given time
to draw what its scripts draw (the editor, a result table, a network), and then
checked by axe-core (``axe_support``: the WCAG 2.0/2.1/2.2 A and AA rules), at a
laptop's width and at a phone's (390 px). A failure lists each rule broken, its
impact and the selectors of the elements that break it. Every page is also
checked to load nothing from another host, and to reflow at 320 px, the narrowest
width WCAG 1.4.10 asks for, without scrolling sideways.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import requests

from axe_support import assert_accessible, sideways_overflow
from page_table_support import read_table

pytestmark = pytest.mark.browser

MACE = "id/lewisham/body/mace"
QUERY = "SELECT ?body ?label WHERE { ?body a lscp:Subgroup ; rdfs:label ?label } ORDER BY ?label"

#: (name, path, what shows that the page is ready), from the table beside the fixtures; ``page_path`` fills the
#: path's other placeholders.
PAGES = [(name, path.replace("{query}", quote(QUERY)), ready)
         for name, path, ready in read_table("accessibility-pages.tsv")]
#: The pages that answer with an error status (the rest answer 200).
STATUS = {"not found": 404, "unmatched name, with suggestions": 400}
WIDTHS = {"laptop": None, "phone": 390}


def page_path(path: str, kg, get_json) -> str:
    """A page's path with its placeholder filled: ``{source}``, ``{coverage}``, ``{finding}`` (the scrutiny
    report's first "should" finding's evidence, which opens the finding's folded details); ``get_json(path)``
    asks the service."""
    if path == "{source}":
        return source_page(None, kg)
    if path == "{coverage}":
        return source_page(None, kg).split("?")[0] + "/coverage"
    if "{finding}" in path:
        should = [f for f in get_json("/scrutiny.json")["findings"] if f["severity"] == "should"]
        return path.replace("{finding}", should[0]["id"] + "-evidence") if should else path.replace("#{finding}", "")
    return path


def live_json(live_server):
    return lambda path: requests.get(live_server.url + path, timeout=120).json()


def source_page(live_server, kg) -> str:
    """The page of the first source document, at its first passage's lines (as a quote links to it)."""
    rows = kg.query("SELECT ?doc WHERE { ?doc a lscp:SourceDocument } ORDER BY ?doc LIMIT 1")
    document = next(iter(rows))["doc"].value
    local = kg.base_iri + "id/source/"
    path = f"/source/{document[len(local):]}" if document.startswith(local) else f"/source?doc={quote(document)}"
    return path + ("&" if "?" in path else "?") + "lines=3-5#L3"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("name, path, ready", PAGES, ids=[page[0] for page in PAGES])
def test_no_critical_or_serious_violations(browser, live_server, kg, name, path, ready, width):
    path = page_path(path, kg, live_json(live_server))
    status = requests.get(live_server.url + path, timeout=120).status_code
    assert status == STATUS.get(name, 200), f"{path} answered {status}"
    browser.set_viewport(width)
    browser.open(live_server.url + path)
    browser.wait_for(ready, timeout=20)
    assert_accessible(browser, f"{name} ({path}) at {width or 'laptop'} px")
    assets = ("/static/", "/vendor/", "/explore/assets/")
    assert not [m for m in browser.console_errors() if any(a in m for a in assets)], "every style and script loads"
    browser.assert_only_local()


@pytest.mark.parametrize("name, path, ready", PAGES, ids=[page[0] for page in PAGES])
def test_reflows_at_320_px_without_scrolling_sideways(browser, live_server, kg, name, path, ready):
    path = page_path(path, kg, live_json(live_server))
    browser.set_viewport(320)
    browser.open(live_server.url + path)
    browser.wait_for(ready, timeout=20)
    assert sideways_overflow(browser) == [], f"{name} ({path}) scrolls sideways at 320 px"


def test_network_view_with_a_node_selected_and_its_panel_open(browser, live_server):
    """The explorer's state after a selection (details panel filled, quote shown) passes too."""
    browser.open(f"{live_server.url}/explore/entity?iri={MACE}")
    browser.wait_for("#network[data-state=rendered]", timeout=20)
    browser.click("#search")
    browser.type("MACE")
    browser.press("Enter")
    browser.wait_for("#details blockquote", timeout=10)
    assert_accessible(browser, "network view with MACE selected")
    browser.assert_only_local()


def test_every_page_has_a_title_of_its_own_and_one_main_heading(client, kg):
    """WCAG 2.4.2 and 1.3.1: a title saying what the page is (an error said first), and one h1."""
    titles = {}
    for name, path, _ in PAGES:
        path = page_path(path.split("#")[0], kg, lambda p: client.get(p).json)
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
        assert title.split(" · ")[0].strip(), f"{name}: the title says nothing: {title!r}"
        assert len(re.findall(r"<h1[\s>]", html)) == 1, f"{name} has not exactly one h1"
        titles[name] = title
    assert titles["unmatched name, with suggestions"].startswith("Error: ")
    assert titles["not found"] != titles["home"] and titles["query page"] != titles["questions"]


def test_standalone_network_file_from_lscp_kg_visualise(browser, runner, tmp_path):
    """A view written to a file (``lscp-kg visualise``) and opened from disk passes too."""
    from lscp_kg.cli import main as cli

    out = tmp_path / "reporting.html"
    result = runner.invoke(cli, ["visualise", "reporting", "-o", str(out)])
    assert result.exit_code == 0, result.output
    browser.open(out.as_uri())
    browser.wait_for("#network[data-state=rendered]", timeout=20)
    assert_accessible(browser, f"lscp-kg visualise reporting ({out.name})")
    assert [u for u in browser.requested() if not u.startswith(("file://", "data:"))] == []


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_standalone_scrutiny_report_file(browser, runner, tmp_path, width):
    """The report ``lscp-kg scrutinise --format html`` writes, for sending to a partnership, passes and reflows."""
    from lscp_kg.cli import main as cli

    result = runner.invoke(cli, ["scrutinise", "--format", "html"])
    assert result.exit_code == 0, result.output[-2000:]
    out = tmp_path / "scrutiny.html"
    out.write_text(result.output, encoding="utf-8")
    browser.set_viewport(width)
    browser.open(out.as_uri())
    browser.wait_for("main h1")
    assert_accessible(browser, f"scrutiny report file at {width or 'laptop'} px")
    assert sideways_overflow(browser) == []
    assert [u for u in browser.requested() if not u.startswith(("file://", "data:"))] == []


def test_axe_is_the_newest_installed_and_checks_label_in_name(browser, live_server):
    """The run uses the newest axe-core installed (npm's current release when .ci/run has put it in .axe/), and
    Label in Name (WCAG 2.5.3) is among its rules: a control whose accessible name omits its visible words fails."""
    from axe_support import axe_script_path, axe_scripts, axe_version, run_axe

    browser.open(live_server.url + "/")
    browser.wait_for("main h1")
    browser.run_js("""const b = document.createElement('button'); b.id = 'mismatch';
        b.setAttribute('aria-label', 'Close the panel'); b.textContent = 'Search everything';
        document.querySelector('main').append(b);""")
    found = {v["id"]: v for v in run_axe(browser)}
    assert "label-content-name-mismatch" in found, sorted(found)
    assert found["label-content-name-mismatch"]["nodes"][0]["target"] == ["#mismatch"]
    version = browser.run_js("return axe.version;")
    assert tuple(int(n) for n in version.split(".")) == max(axe_version(p) for p in axe_scripts())
    assert axe_version(axe_script_path()) >= (4, 12)
