"""One format negotiation: every route chooses its format through ``formats.choose_format`` and refuses in one way.

The 406 glue was once copied into five blueprints, and "which formats get
prefixes" decided in four; these tests fail if a copy comes back, and check
that every route with a JSON twin answers an unacceptable ``Accept`` with the
same 406: the same status, ``Vary: Accept``, and a message naming what it offers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lscp_kg.service import formats

SERVICE = Path(formats.__file__).resolve().parent

#: The routes with a JSON twin (the HTML page and its JSON answer are one route, chosen by Accept or ?format=).
JSON_TWINS = ["/scrutiny", "/compare", "/timeline", "/source/northvale-arrangements/coverage",
              "/api/queries/statutory-partners"]


def _sources():
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(SERVICE.glob("*.py"))
            if path.name != "formats.py"}


def test_no_blueprint_makes_its_own_406():
    """Outside formats.py nobody catches NotAcceptable or raises a hand-made 406 after negotiating."""
    copies = []
    for name, text in _sources().items():
        if re.search(r"except\s+\(?[\w, ]*NotAcceptable\b", text):
            copies.append(f"{name}: catches NotAcceptable")
        if re.search(r"HttpError\(\s*406\b", text):
            copies.append(f"{name}: raises HttpError(406, ...) itself (use formats.refuse or formats.choose_format)")
        if re.search(r"\bnegotiate\(", text):
            copies.append(f"{name}: calls negotiate( directly (use formats.choose_format)")
    assert copies == []


def test_prefixes_are_decided_by_the_format():
    """No blueprint decides from a format's name whether it writes prefixed names."""
    decided = [name for name, text in _sources().items()
               if re.search(r"prefixes\s*=\s*[\w.]+\s+if\s+fmt\.", text) or re.search(r"fmt\.name\s+in\s*\(\s*\"turtle\"", text)]
    assert decided == []
    assert [f.name for f in (*formats.GRAPH_FORMATS, formats.TRIG, formats.NQUADS) if f.prefixed] == \
        ["turtle", "rdfxml", "trig"]


def test_choose_format_refuses_with_the_one_406(app):
    with app.test_request_context("/anything", headers={"Accept": "image/png"}):
        with pytest.raises(Exception) as refusal:
            formats.choose_format((formats.HTML, formats.API_JSON))
    assert (refusal.value.status, refusal.value.headers) == (406, {"Vary": "Accept"})
    assert "image/png" in refusal.value.message and "html (text/html)" in refusal.value.message
    with app.test_request_context("/anything", query_string={"format": "json"}, headers={"Accept": "image/png"}):
        assert formats.choose_format((formats.HTML, formats.API_JSON)) is formats.API_JSON  # ?format= wins


@pytest.mark.parametrize("path", JSON_TWINS)
def test_every_json_twin_gives_the_same_406(client, path):
    response = client.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "Accept" in response.headers.get("Vary", "")
    message = response.get_data(as_text=True)
    assert "none of the requested media types (image/png) is offered here; offered: " in message
    assert "json (application/json)" in message


@pytest.mark.parametrize("path", JSON_TWINS)
def test_an_unknown_format_parameter_gives_the_same_406(client, path):
    response = client.get(path, query_string={"format": "png"}, headers={"Accept": "application/json"})
    assert response.status_code == 406 and "Accept" in response.headers.get("Vary", "")
    assert response.get_json()["error"].startswith("format=png is not offered here; offered: ")


def test_sparql_refuses_the_same_way(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                          headers={"Accept": "image/png"})
    assert response.status_code == 406 and "Accept" in response.headers.get("Vary", "")
    assert "none of the requested media types (image/png) is offered here" in response.get_data(as_text=True)
