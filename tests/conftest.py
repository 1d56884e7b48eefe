"""Shared fixtures: the loaded graph and the named queries.

The service's fixtures (``app``, ``client``, ``runner``, ``live_server``) live
beside them once the service exists; every test that needs the graph uses the
one session-wide load below rather than loading its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.store import KnowledgeGraph, load_knowledge_graph

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """The ontology and the shipped data, loaded once per test session (read-only)."""
    return load_knowledge_graph()


@pytest.fixture(scope="session")
def named_queries():
    return load_named_queries()


@pytest.fixture(scope="session")
def iri(kg):
    """Absolute IRI of a path relative to the base: ``iri("id/person/ceri-jacob")``."""
    return kg.iri


@pytest.fixture
def run_named(kg, named_queries):
    """Run a named query with parameters; returns a list of {variable: value string} rows."""

    def run(name: str, **params):
        query = named_queries[name]
        result = kg.query(query.sparql, substitutions=query.bind(params, kg.base_iri))
        if isinstance(result, bool) or not hasattr(result, "variables"):
            return bool(result)
        names = [v.value for v in result.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]

    return run
