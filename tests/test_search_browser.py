"""The pickers of question forms in headless Chromium, driven with the keyboard alone: type, arrows, Escape, Enter.

They offer only entities of the parameter's kind, show the current value by its name, send the chosen
entity's IRI, and show hostile labels as text.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from browser_support import wait_until

pytestmark = pytest.mark.browser
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
OPTIONS = "#param-body-options [role=option]"


def picker_state(browser) -> dict:
    return browser.run_js("""const input = document.getElementById('param-body'), list = document.getElementById('param-body-options');
        const chosen = list.querySelector('[aria-selected=true]');
        return {expanded: input.getAttribute('aria-expanded'), hidden: list.hidden, value: input.value,
                active: input.getAttribute('aria-activedescendant'), chosen: chosen && chosen.id,
                sent: document.querySelector('form.params input[type=hidden][name=body]').value,
                options: Array.from(list.querySelectorAll('[role=option]')).map(o => o.firstChild.textContent)};""")


def focus_picker(browser, url: str, name: str = "body") -> None:
    browser.open(url)
    browser.wait_for(f"#param-{name}[role=combobox]")
    wait_until(browser, "return !!document.querySelector(arguments[0]);", 10,
               f"form.params input[type=hidden][name={name}]")
    browser.run_js("const i = document.getElementById(arguments[0]); i.focus(); i.select();", f"param-{name}")


def typing_offers_matches(browser) -> dict:
    """Typing opens the list of matches; the text is sent as typed until an entity is chosen."""
    browser.type("multi agency chi")
    browser.wait_for(OPTIONS)
    state = picker_state(browser)
    assert state["options"][0] == "Multi-Agency Child Exploitation (MACE)" and state["expanded"] == "true"
    assert state["sent"] == "multi agency chi"  # typed, not chosen: sent as typed, the server resolves it
    return state


def arrows_wrap(browser, state: dict) -> None:
    browser.press("ArrowDown")
    state = picker_state(browser)
    assert state["active"] == state["chosen"] and state["chosen"].endswith("-option-0")
    browser.press("ArrowUp")  # from the first, up wraps to the last
    assert picker_state(browser)["chosen"].endswith(f"-option-{len(state['options']) - 1}")
    browser.press("ArrowDown")  # and down wraps back to the first
    assert picker_state(browser)["chosen"].endswith("-option-0")


def escape_closes_keeping_the_text(browser) -> None:
    browser.press("Escape")
    closed = picker_state(browser)
    assert closed["hidden"] and closed["expanded"] == "false" and closed["active"] is None
    assert closed["value"] == "multi agency chi"  # Escape closes the list, the text stays


def enter_chooses(browser, kg) -> None:
    browser.press("ArrowDown")  # reopens the list
    assert not picker_state(browser)["hidden"]
    browser.press("ArrowDown", "Enter")
    chosen = picker_state(browser)
    assert chosen["value"] == "Multi-Agency Child Exploitation (MACE)" and chosen["hidden"]
    assert chosen["sent"] == kg.iri("id/lewisham/body/mace")
    assert "Chosen: Multi-Agency Child Exploitation (MACE)" in browser.run_js(
        "return document.querySelector('[data-picker-status]').textContent;")


def enter_again_submits(browser, kg) -> None:
    browser.press("Enter")  # the list is closed: Enter submits the form
    wait_until(browser, "return location.search.includes('body=');")
    assert parse_qs(urlsplit(browser.url).query)["body"] == [kg.iri("id/lewisham/body/mace")]
    browser.wait_for("#param-body[role=combobox]")
    assert picker_state(browser)["value"] == "Multi-Agency Child Exploitation (MACE)"


def test_picker_by_keyboard_alone(browser, live_server, kg):
    focus_picker(browser, live_server.url + "/queries/members-of-body")
    start = picker_state(browser)
    assert start["value"] == "Lewisham Safeguarding Children Partnership Group"  # the current value, by its name
    assert start["sent"] == "id/lewisham/body/partnership-group" and start["expanded"] == "false" and start["hidden"]
    arrows_wrap(browser, typing_offers_matches(browser))
    escape_closes_keeping_the_text(browser)
    enter_chooses(browser, kg)
    enter_again_submits(browser, kg)
    assert browser.dialogs() == [] and browser.console_errors() == []
    browser.assert_only_local()


def test_picker_offers_only_entities_of_the_parameter_s_kind(browser, live_server):
    focus_picker(browser, live_server.url + "/queries/members-of-body")
    browser.type("Pinaki")  # a person: not a body
    wait_until(browser, "return document.querySelector('[data-picker-status]').textContent !== '';")
    assert picker_state(browser)["options"] == []
    assert browser.run_js("return document.querySelector('[data-picker-status]').textContent;") == "No matching name."
    focus_picker(browser, live_server.url + "/queries/person", "person")
    browser.type("Pinaki Goshal")
    browser.wait_for("#param-person-options [role=option]")
    assert browser.run_js("return document.querySelector('#param-person-options [role=option]').firstChild.textContent;") \
        == "Pinaki Ghoshal"
    browser.assert_only_local()


@pytest.fixture(scope="module")
def hostile_site():
    from test_views_browser import serve

    from lscp_kg.service.app import create_app

    app = create_app({"TESTING": True, "VALIDATE": False, "DATA": [HOSTILE], "QUERY_WORKERS": 1})
    server = serve(app)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["lscp_kg"].runner.close()


def test_hostile_labels_stay_text_in_the_picker_and_the_search_page(browser, hostile_site):
    focus_picker(browser, hostile_site + "/queries/members-of-body")
    browser.type("img onerror")
    browser.wait_for(OPTIONS)
    assert picker_state(browser)["options"][0] == "<img src=x onerror=alert(1)>"
    browser.press("ArrowDown", "Enter")
    assert picker_state(browser)["value"] == "<img src=x onerror=alert(1)>"
    assert browser.count("form.params img, form.params script, form.params svg") == 0
    browser.open(hostile_site + "/search?q=script+alert")
    browser.wait_for("main h1")
    assert browser.count("main img, main svg, main iframe, main script") == 0
    assert browser.dialogs() == []
    browser.assert_only_local()
