"""Headless Chromium for browser tests, recording every request a page makes.

Debian's ``chromium`` is driven through its ``chromedriver`` with the plain
W3C WebDriver HTTP API (``requests`` only: no browser or driver download).
Every request a page makes is read back from Chromium's performance log
(``Network.requestWillBeSent``), so a test can assert that nothing left
127.0.0.1. As a safety net, Chromium runs behind a dead proxy and a host
resolver that resolves nothing but 127.0.0.1, so a page that tries to reach
another host is recorded but never gets there. ``alert``/``confirm``/``prompt``
are replaced before any page script runs, so a call is recorded, not shown.

Use the fixtures (``tests/conftest.py`` loads this module and exposes them;
test modules may also ``import browser_support`` for the helpers)::

    pytestmark = pytest.mark.browser

    def test_page(browser, live_server):
        browser.open(live_server.url + "/query")
        browser.wait_for("table.results tbody tr")
        assert browser.dialogs() == []
        browser.assert_only_local()      # every URL on 127.0.0.1 (data:, blob:, about: allowed)

``chromium`` (session) is one browser for the whole run; ``browser`` hands it
to a test with a fresh request record and leaves ``about:blank`` after it.
The tests skip, saying why, only when chromium or chromedriver is not installed.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
LOCAL_HOSTS = ("127.0.0.1",)
HARMLESS_SCHEMES = ("data", "blob", "about")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C WebDriver element reference key
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900",
    "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    # Nothing may leave the machine: names other than 127.0.0.1 do not resolve, and every non-loopback
    # request goes to a proxy port where nothing listens (Chromium never proxies loopback).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--proxy-server=http://127.0.0.1:9",
]
#: WebDriver's codes of the keys that are not characters.
KEYS = {"Tab": "\ue004", "Enter": "\ue007", "Shift": "\ue008", "Control": "\ue009", "Alt": "\ue00a",
        "Escape": "\ue00c", "Space": "\ue00d", "End": "\ue010", "Home": "\ue011", "ArrowLeft": "\ue012",
        "ArrowUp": "\ue013", "ArrowRight": "\ue014", "ArrowDown": "\ue015", "Backspace": "\ue003"}
RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = function (message) { window.__dialogs.push(name + ":" + message); return null; };
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_local(url: str, hosts=LOCAL_HOSTS) -> bool:
    """True for URLs on the given hosts and for data:, blob: and about: URLs.

    >>> is_local("http://127.0.0.1:5000/static/x.js"), is_local("https://cdn.example.org/x.js")
    (True, False)
    >>> is_local("data:image/png;base64,AAAA"), is_local("//127.0.0.1.evil.example/")
    (True, False)
    """
    parts = urlsplit(url)
    return parts.scheme in HARMLESS_SCHEMES or (parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in hosts)


def wait_until(browser, script: str, timeout: float = 10.0, *args):
    """Run ``script`` (with ``args``) until it returns something true, and return that; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = browser.run_js(script, *args)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s, still false: {script} (page {browser.url})")
        time.sleep(0.05)


class WebDriverError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium session: open pages, find and click, run scripts, read back requests."""

    def __init__(self, chromium: str = CHROMIUM, chromedriver: str = CHROMEDRIVER, extra_args: tuple[str, ...] = ()):
        port = free_port()
        self.driver = subprocess.Popen([chromedriver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.base + "/status", timeout=1).json()["value"]["ready"]:
                    break
            except (requests.ConnectionError, KeyError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.driver.kill()
                raise WebDriverError("chromedriver did not start")
            time.sleep(0.1)
        capabilities = {"browserName": "chrome", "unhandledPromptBehavior": "ignore", "pageLoadStrategy": "normal",
                        "goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"},
                        "goog:chromeOptions": {"binary": chromium, "args": CHROMIUM_ARGS + list(extra_args)}}
        answer = requests.post(self.base + "/session", json={"capabilities": {"alwaysMatch": capabilities}}, timeout=60).json()
        if "sessionId" not in answer.get("value", {}):
            self.driver.kill()
            raise WebDriverError(f"no browser session: {answer.get('value')}")
        self.session = f"{self.base}/session/{answer['value']['sessionId']}"
        self.command("POST", "/goog/cdp/execute", {"cmd": "Page.addScriptToEvaluateOnNewDocument",
                                                   "params": {"source": RECORD_DIALOGS}})
        self._requests: list[str] = []

    # -- WebDriver plumbing -----------------------------------------------------------------
    def command(self, method: str, path: str, body: dict | None = None):
        answer = requests.request(method, self.session + path, json=body if body is not None else {}, timeout=60).json()
        value = answer.get("value")
        if isinstance(value, dict) and "error" in value:
            raise WebDriverError(f"{path}: {value['error']}: {str(value.get('message', ''))[:300]}")
        return value

    def close(self) -> None:
        try:
            requests.delete(self.session, timeout=10)
        finally:
            self.driver.terminate()
            self.driver.wait(timeout=10)

    # -- pages --------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Load a page; the request record starts afresh with it."""
        self.requested()
        self._requests = []
        self.command("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        return self.command("GET", "/url")

    def run_js(self, script: str, *args):
        """Run ``script`` (a function body; ``arguments[0]``... are ``args``) and return its value."""
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find_all(self, css: str) -> list[str]:
        return [e[ELEMENT] for e in self.command("POST", "/elements", {"using": "css selector", "value": css})]

    def count(self, css: str) -> int:
        return len(self.find_all(css))

    def text(self, css: str) -> str:
        elements = self.find_all(css)
        if not elements:
            raise WebDriverError(f"no element matches {css!r}")
        return self.command("GET", f"/element/{elements[0]}/text")

    def click(self, css: str) -> None:
        elements = self.find_all(css)
        if not elements:
            raise WebDriverError(f"no element matches {css!r}")
        self.command("POST", f"/element/{elements[0]}/click")

    def select(self, css: str, value: str) -> None:
        """Choose an option of a <select> as a person would (the change event fires)."""
        done = self.run_js("const s = document.querySelector(arguments[0]); if (!s) return false;"
                           "s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));"
                           "return s.value === arguments[1];", css, value)
        if not done:
            raise WebDriverError(f"cannot select {value!r} in {css!r}")

    def wait_for(self, css: str, timeout: float = 10.0, count: int = 1) -> int:
        """Wait until at least ``count`` elements match ``css``; returns how many do."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.count(css)
            if found >= count:
                return found
            if time.monotonic() > deadline:
                raise WebDriverError(f"after {timeout} s, {found} element(s) match {css!r} (wanted {count}); "
                                     f"page {self.url}")
            time.sleep(0.05)

    # -- the keyboard, as a person uses it (W3C WebDriver actions: real key events to the focused element) --
    def press(self, *keys: str) -> None:
        """Press keys one after another; ``"Control+Enter"`` holds the first while pressing the second.

        Names are those of :data:`KEYS` ("Tab", "Shift+Tab", "Enter", "Escape", "ArrowDown", " ", ...).
        """
        actions = []
        for key in keys:
            held = [KEYS.get(part, part) for part in key.split("+")] if len(key) > 1 else [key]
            actions += [{"type": "keyDown", "value": k} for k in held]
            actions += [{"type": "keyUp", "value": k} for k in reversed(held)]
        self.command("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})

    def type(self, text: str) -> None:
        """Type text into whatever has the focus, one key at a time."""
        self.command("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": kind, "value": ch} for ch in text for kind in ("keyDown", "keyUp")]}]})

    def focused(self) -> dict:
        """What has the keyboard focus: tag, id, name, text (or value), href, role, and whether its outline shows."""
        return self.run_js("""const e = document.activeElement || document.body, s = getComputedStyle(e);
            return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), role: e.getAttribute('role'),
                    text: ((e.value !== undefined && e.tagName !== 'BUTTON' ? e.value : e.innerText) || '').trim().slice(0, 200),
                    label: e.getAttribute('aria-label'), href: e.getAttribute('href'),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none'};""")

    def set_viewport(self, width: int | None, height: int = 844) -> None:
        """Emulate a screen ``width`` CSS px wide (a phone: 390, the page's viewport meta applies);
        ``None`` returns to the window's own size. Kept across page loads until changed."""
        if width is None:
            self.command("POST", "/goog/cdp/execute", {"cmd": "Emulation.clearDeviceMetricsOverride", "params": {}})
        else:
            self.command("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride", "params": {
                "width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}})

    def dialogs(self) -> list[str]:
        """alert/confirm/prompt/print calls the page made (a script injection would show here)."""
        return self.run_js("return window.__dialogs || [];")

    def screenshot(self, path: Path) -> Path:
        Path(path).write_bytes(base64.b64decode(self.command("GET", "/screenshot")))
        return Path(path)

    # -- what the page did ----------------------------------------------------------------------
    def _log(self, kind: str) -> list[dict]:
        return self.command("POST", "/se/log", {"type": kind}) or []

    def requested(self) -> list[str]:
        """Every URL requested since :meth:`open` (documents, scripts, styles, images, fetches, sockets)."""
        for entry in self._log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self._requests.append(message["params"]["request"]["url"])
            elif message["method"] == "Network.webSocketCreated":
                self._requests.append(message["params"]["url"])
        return list(self._requests)

    def foreign_requests(self, hosts=LOCAL_HOSTS) -> list[str]:
        return [url for url in self.requested() if not is_local(url, hosts)]

    def assert_only_local(self, hosts=LOCAL_HOSTS) -> None:
        foreign = self.foreign_requests(hosts)
        assert not foreign, f"the page asked another host for: {foreign}"

    def console_errors(self) -> list[str]:
        """SEVERE messages of the page's console (script errors, refused loads)."""
        return [e["message"] for e in self._log("browser") if e.get("level") == "SEVERE"]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session; skips when Debian's chromium/chromedriver are missing."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("headless browser tests need Debian's chromium and chromium-driver (apt-get install chromium "
                    "chromium-driver; .ci/run installs them)")
    session = Chromium()
    yield session
    session.close()


@pytest.fixture
def browser(chromium):
    """The session's Chromium with a fresh request record; ``about:blank`` after the test."""
    chromium.open("about:blank")
    chromium.console_errors()  # forget earlier pages' messages
    yield chromium
    chromium.set_viewport(None)
    chromium.open("about:blank")
