"""What the explorer's browser tests share: the service in this process, the projection,
opening a view and waiting for its first frame, pointing, clicking and typing as a person does,
and reading what the picture shows.
"""

from __future__ import annotations

import pytest

from lscp_kg.visualisations.projection import project

RENDERED = "#network[data-state=rendered]"
MACE = "id/lewisham/body/mace"


@pytest.fixture(scope="module")
def site():
    """The service over the shipped data, in this process, on 127.0.0.1."""
    from test_views_browser import serve

    from lscp_kg.service.app import create_app

    server = serve(create_app({"TESTING": True, "QUERY_TIME_LIMIT": 120}))  # the scrutiny report, on a busy machine
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def graph(kg):
    return project(kg)


def open_view(browser, url: str) -> None:
    browser.open(url)
    browser.wait_for(RENDERED, timeout=20)


def shown(browser) -> set[str]:
    return set(browser.run_js("return window.lscpExplorer.nodeView.getIds()"))


def node_point(browser, node: str) -> tuple[float, float]:
    """Where a node is drawn, in viewport coordinates: the picture is first scrolled into view (the site's header
    is above it) and centred on the node."""
    return browser.run_js("""document.getElementById('network').scrollIntoView({block: 'center'});
        const x = window.lscpExplorer; x.network.moveTo({position: x.network.getPosition(arguments[0])});
        const p = x.network.canvasToDOM(x.network.getPosition(arguments[0]));
        const box = document.getElementById('network').getBoundingClientRect(); return [box.left + p.x, box.top + p.y];""", node)


def pointer(browser, x: float, y: float, clicks: int = 1) -> None:
    moves = [{"type": "pointerMove", "x": int(x), "y": int(y)}]
    for _ in range(clicks):
        moves += [{"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]
    browser.command("POST", "/actions", {"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
                                                      "actions": moves}]})
    browser.command("DELETE", "/actions")


def keys(browser, *pressed: str) -> None:
    actions = []
    for key in pressed:
        actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
    browser.command("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
    browser.command("DELETE", "/actions")
