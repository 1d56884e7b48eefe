"""A query the watch stops is answered in the form its client asked for: a page for a person, JSON or text
for a program.

The watch process writes the 503 itself (the worker that ran the query is killed), so the page a browser gets
is rendered outside any request. It must still be the site's page (header, navigation, plain words) with the
headers every page has, and meet WCAG 2.2 AA at 1280 and 390 px. A private server (time limit 1 s) is used:
each stopped query counts against its client, which must not slow the other modules' server.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest
from axe_support import assert_accessible, sideways_overflow
from server_support import running_server, session_from

from lscp_kg.service.security_headers import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.browser
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(["--time-limit", "1", "--workers", "3"],
                        tmp_path_factory.mktemp("stopped") / "server.log") as (url, _process):
        yield url


@pytest.mark.parametrize("client, accept, media_type", [
    ("127.0.16.1", BROWSER_ACCEPT, "text/html"),
    ("127.0.16.2", "application/json", "application/json"),
    ("127.0.16.3", None, "text/plain"),
])
def test_a_stopped_query_is_answered_in_the_form_asked_for(server, client, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    answer = session_from(client).get(server + "/sparql", params={"query": RUNAWAY}, headers=headers, timeout=30)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert answer.headers["Content-Type"].split(";")[0] == media_type
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["X-Content-Type-Options"] == "nosniff"
    reason = "ran longer than this service's time limit of 1 second"
    if media_type == "text/html":
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY  # the one policy, not a copy
        shown = html.unescape(answer.text)
        assert "Sorry, this could not be answered just now" in shown and reason in shown
        assert 'href="/"' in answer.text and "<nav" in answer.text, "the site's own header and navigation"
    elif media_type == "application/json":
        assert answer.json() == {"error": f"The query was stopped: it {reason}.", "status": 503}
    else:
        assert answer.text == f"The query was stopped: it {reason}.\n"


def test_the_stopped_query_page_reads_well_in_a_browser(server, browser):
    browser.set_viewport(1280)
    browser.open(server + "/sparql?" + urlencode({"query": RUNAWAY}))
    browser.wait_for("main h1", timeout=30)
    assert browser.run_js("return document.querySelector('main h1').textContent") == \
        "Sorry, this could not be answered just now"
    assert_accessible(browser, "the stopped query page at 1280 px")
    browser.set_viewport(390)  # the same page: loading it again would meet the client's penalty (429)
    assert_accessible(browser, "the stopped query page at 390 px")
    assert sideways_overflow(browser) == []
    browser.assert_only_local()
