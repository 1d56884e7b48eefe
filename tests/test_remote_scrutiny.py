"""Scrutiny on a real Virtuoso gives the same findings as on the embedded store.

The whole scrutiny (every rule in ``queries/scrutiny/``, through
:func:`lscp_kg.scrutiny.run_scrutiny`) runs on the embedded store and on a
private Virtuoso (tests/virtuoso_support.py) holding the same graph, for
several as-of dates. Three graphs: the shipped Lewisham graph, Lewisham with
a partnership that shares its police force and ICB (each judged on its own
graphs), and the small scrutiny test graphs with every flaw added (so each
rule has something to find). Skipped only where Virtuoso is not installed (CI installs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lscp_kg.backends import store_settings
from lscp_kg.backends.remote import RemoteBackend
from lscp_kg.publish import publish
from lscp_kg.scrutiny import ScrutinyReport, run_scrutiny
from lscp_kg.store import load_knowledge_graph
from lscp_kg.locations import SHIPPED_DATA_DIR

HERE = Path(__file__).resolve().parent
SCRUTINY_FIXTURES = HERE / "fixtures" / "scrutiny"


import virtuoso_support  # noqa: E402 - tests/ is on the path (pyproject's pythonpath)
from test_scrutiny_context import RIVERSIDE_TRIG  # noqa: E402

pytestmark = pytest.mark.skipif(not virtuoso_support.virtuoso_available(),
                                reason="Virtuoso Open Source (Debian: apt-get install virtuoso-opensource) is not installed")

def _with_riverside(folder: Path):
    """Lewisham and a partnership sharing its police force and ICB (tests/test_scrutiny_context.py)."""
    riverside = folder / "riverside.trig"
    riverside.write_text(RIVERSIDE_TRIG, encoding="utf-8")
    return load_knowledge_graph([riverside])


#: Each graph, loaded given a folder of its own.
GRAPHS = {
    "lewisham": lambda folder: load_knowledge_graph(),
    "sharing-organisations": _with_riverside,
    "test-graphs": lambda folder: load_knowledge_graph(
        [SHIPPED_DATA_DIR / "common", SCRUTINY_FIXTURES / "exampleshire.trig", SCRUTINY_FIXTURES / "bareshire.trig",
         SCRUTINY_FIXTURES / "flaws"], include_shipped=False),
}
#: Before the 2018 Act's partnerships, around the ICBs' start (2022-07-01), later, and once the test
#: partnerships' later reporting years are over (YR finds years missing).
ASOF_DATES = ["2019-06-30", "2022-07-01", "2024-05-01", "2026-11-26", "2028-01-01"]


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def both_stores(request, tmp_path_factory):
    """(embedded graph, the same graph published to its own Virtuoso and read through the remote backend).

    One server per graph: Virtuoso 7.2's answers can depend on what the store held before (its plans
    follow its statistics), so each graph is published to a fresh store, as a store would be set up.
    """
    embedded = GRAPHS[request.param](tmp_path_factory.mktemp("graph"))
    server = virtuoso_support.VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in server.publisher_environment.items():
                patch.setenv(name, value)
            publish(embedded, RemoteBackend(server.query_url, server.update_url))
        remote = load_knowledge_graph(settings=store_settings(store=f"sparql+{server.query_url}"))
        assert len(remote) == len(embedded)
        yield embedded, remote
    finally:
        server.stop()


def outcomes(report: ScrutinyReport) -> dict:
    """What a report says, in a form that does not depend on the order rows came in."""
    # Evidence: each passage, and each citation by its text (the runner keeps one graph per citation text,
    # the first in row order, and rows come in the store's order).
    results = sorted((r.rule, r.severity, r.outcome, r.passed, tuple(sorted(e["iri"] for e in r.entities)),
                      tuple(sorted(e["graph"] if e["kind"] == "passage" else e["citation"] for e in r.evidence)))
                     for r in report.results)
    return {"summary": report.summary(), "results": results,
            "requirements": sorted((q["iri"], q["status"], tuple(q["rules"])) for q in report.requirements)}


def scrutiny_outcomes(kg, asof: str) -> dict:
    """The whole scrutiny: every rule in queries/scrutiny/."""
    return outcomes(run_scrutiny(kg, asof))


@pytest.mark.parametrize("asof", ASOF_DATES)
def test_scrutiny_gives_the_same_findings_on_virtuoso(both_stores, asof):
    embedded, remote = both_stores
    expected, got = scrutiny_outcomes(embedded, asof), scrutiny_outcomes(remote, asof)
    differing = sorted({r[0] for r in set(expected["results"]) ^ set(got["results"])})
    assert differing == [], f"rules answered differently on Virtuoso: {differing}"
    assert got == expected


def test_the_test_graphs_give_every_rewritten_rule_something_to_find():
    """So that the comparison above cannot pass by finding nothing on either store."""
    report = run_scrutiny(GRAPHS["test-graphs"](None), "2024-05-01")
    assert {"NAMES", "NAME-KINDS", "OUTDATED-TERMS", "CEASED-ORG", "CHAIR-OUTSIDE", "SP-DEF"} <= {f.rule for f in report.findings}
    assert "SP-DEF" in {p.rule for p in report.passes}
