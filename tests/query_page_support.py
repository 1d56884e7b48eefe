"""The query page in the browser, for the tests that drive it: open it, read or set the SPARQL editor, and
check that an answer shows."""

from __future__ import annotations

#: the SPARQL editor (CodeMirror), there once the page's scripts have run
EDITOR = ".CodeMirror"


def open_query_page(browser, live_server) -> None:
    """Open /query and wait for its editor (loaded from the service)."""
    browser.open(live_server.url + "/query")
    browser.wait_for(EDITOR)


def editor_value(browser) -> str:
    return browser.run_js("return document.querySelector('.CodeMirror').CodeMirror.getValue();")


def set_query(browser, text: str) -> None:
    browser.run_js("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0]);", text)


def assert_answer_shows(browser, text: str, table: str = "#results table") -> None:
    """Wait for a row of the answer ``table``; ``text`` is in it, and the page fetched nothing from another host."""
    browser.wait_for(f"{table} tbody tr")
    assert text in browser.text(table)
    browser.assert_only_local()
