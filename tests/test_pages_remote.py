"""The people's pages read the same on a remote store (Virtuoso 7.2, published with ``lscp-kg publish``)
as on the embedded one: entity pages, passage pages, the home page's overview, source pages and the
accountability chain's steps."""

from __future__ import annotations

import pytest

import virtuoso_support
from test_remote_store import published, remote_kg, virtuoso  # noqa: F401 - the Virtuoso fixtures

pytestmark = pytest.mark.skipif(not virtuoso_support.virtuoso_available(),
                                reason="Virtuoso Open Source (Debian: apt-get install virtuoso-opensource) is not installed")
PAGES = ("/", "/id/lewisham/body/mace", "/id/person/ceri-jacob", "/id/lewisham/passage/L15a",
         "/source/lewisham-our-partnership-arrangements?lines=144-149", "/queries/accountability-chain?start=id/lewisham/body/mace")


@pytest.fixture(scope="module")
def both(remote_kg, kg):  # noqa: F811
    from lscp_kg.service.app import create_app

    limits = {"QUERY_TIME_LIMIT": 30, "QUERY_WORKERS": 1, "RESPONSE_CACHE_BYTES": 0}
    apps = [create_app({"KNOWLEDGE_GRAPH": graph, **limits}) for graph in (remote_kg, kg)]
    yield [app.test_client() for app in apps]
    for app in apps:
        app.extensions["lscp_kg"].runner.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_is_the_same_on_the_remote_store(both, path):
    remote, local = (client.get(path) for client in both)
    assert remote.status_code == local.status_code == 200
    assert remote.get_data(as_text=True) == local.get_data(as_text=True)


def test_chain_steps_are_the_same_on_the_remote_store(both):
    remote, local = (client.get("/api/queries/accountability-chain", query_string={"start": "id/lewisham/body/mace"}).json
                     for client in both)
    steps = [[(b["step"]["value"], b["from"]["value"], b["to"]["value"]) for b in answer["results"]["bindings"]]
             for answer in (remote, local)]
    assert steps[0] == steps[1] and steps[0]
