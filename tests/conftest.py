"""Shared fixtures: the loaded graph and the named queries.

The service's fixtures (``app``, ``client``, ``runner``, ``live_server``) live
beside them once the service exists; every test that needs the graph uses the
one session-wide load below rather than loading its own.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.store import KnowledgeGraph, load_knowledge_graph

# Validation passes are remembered per version of the data (lscp_kg.validation_cache): in a folder of this run's
# own, shared with the servers the tests start, so that no earlier run's memory decides anything here.
os.environ.setdefault("LSCP_KG_CACHE_DIR", tempfile.mkdtemp(prefix="lscp-kg-test-cache-"))

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """The ontology and the shipped data, loaded once per test session (read-only)."""
    return load_knowledge_graph()


@pytest.fixture(scope="session")
def named_queries(kg):
    """The named queries, their defaults resolved against the shipped data (as the service does)."""
    return load_named_queries(kg=kg)


@pytest.fixture(scope="session")
def iri(kg):
    """Absolute IRI of a path relative to the base: ``iri("id/person/ceri-jacob")``."""
    return kg.iri


@pytest.fixture
def run_named(kg, named_queries):
    """Run a named query with parameters; returns a list of {variable: value string} rows."""

    def run(name: str, **params):
        query = named_queries[name]
        sparql, substitutions = query.prepare(params, kg.base_iri)  # bound as the service binds it (#+ bind:)
        result = kg.query(sparql, substitutions=substitutions)
        if isinstance(result, bool) or not hasattr(result, "variables"):
            return bool(result)
        names = [v.value for v in result.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]

    return run


# --- The query service ------------------------------------------------------------------------
# ``app`` is session-wide because it starts query worker processes; tests must not change it.

import subprocess  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from server_support import start_server, stop_server  # noqa: E402

#: Limits of the test app and the live server: small, so that the limit tests are quick.
SERVICE_TEST_LIMITS = {"QUERY_TIME_LIMIT": 2.0, "QUERY_ROW_CAP": 500, "MAX_CONTENT_LENGTH": 64 * 1024,
                       "MAX_QUERY_LENGTH": 20_000, "QUERY_WORKERS": 4}


@pytest.fixture(scope="session")
def app(kg):
    """The Flask app over the session's graph, with the small test limits above."""
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": kg, **SERVICE_TEST_LIMITS})
    yield application
    application.extensions["lscp_kg"].runner.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    """Runs ``lscp-kg`` commands in-process: ``runner.invoke(main, ["query", "ASK {}"])``."""
    from click.testing import CliRunner

    return CliRunner()


@dataclass
class LiveServer:
    """A real ``lscp-kg serve`` (gunicorn) on a free 127.0.0.1 port; ``url`` has no trailing slash."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        """What the server wrote so far (gunicorn's lines and one line per query)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Start ``lscp-kg serve --port 0`` in a subprocess with the test limits; stop it after the session."""
    log_path = tmp_path_factory.mktemp("live-server") / "server.log"
    limits = SERVICE_TEST_LIMITS
    try:
        url, process = start_server(
            ["--time-limit", str(limits["QUERY_TIME_LIMIT"]), "--row-cap", str(limits["QUERY_ROW_CAP"]),
             "--max-request-bytes", str(limits["MAX_CONTENT_LENGTH"]),
             "--max-query-length", str(limits["MAX_QUERY_LENGTH"]), "--workers", str(limits["QUERY_WORKERS"])], log_path)
    except RuntimeError as error:
        pytest.fail(str(error))
    yield LiveServer(url, process, log_path)
    stop_server(process)


# --- Headless Chromium (tests/browser_support.py), for every area's browser tests --------------
from browser_support import browser, chromium  # noqa: E402,F401 - fixtures, shared by every test module
