"""The Flask application factory of the query service.

>>> from lscp_kg.service.app import create_app
>>> app = create_app({"TESTING": True})
>>> app.test_client().get("/health").json["status"]
'ok'

Config keys (besides Flask's own and those of :mod:`limits`):

``KNOWLEDGE_GRAPH`` an already loaded :class:`KnowledgeGraph` (else it is loaded);
``DATA`` extra data files or folders; ``BASE_IRI`` the base of entity IRIs;
``QUERIES_DIR`` the folder of named queries (default: the shipped ``queries/``);
``CORS_ORIGINS`` origins that browsers may call the API from (default ``("*",)``);
``CACHE_MAX_AGE`` and ``RESPONSE_CACHE_BYTES``, see :mod:`cache`;
``VALIDATE`` (default True) refuses data that fails validation (:class:`InvalidData`, with every problem) before
anything is served, however the app is started; False serves it with a notice on every page (a remote store was
validated by ``lscp-kg publish``).
"""

from __future__ import annotations

from typing import Mapping

from flask import Flask

from lscp_kg.labels import labels_of
from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_files import QUERIES_DIR
from lscp_kg.namespaces import DEFAULT_BASE_IRI
from lscp_kg.service.cache import register_response_cache
from lscp_kg.service.errors import register_error_handlers
from lscp_kg.service.guarded_runner import GuardedRunner
from lscp_kg.service.limits import Limits
from lscp_kg.service.request_log import register_request_log
from lscp_kg.service.security_headers import register_security_headers
from lscp_kg.service.state import ServiceState
from lscp_kg.store import load_knowledge_graph
from lscp_kg.validation_cache import validate_once


class InvalidData(ValueError):
    """The data does not validate; ``report`` names each problem with its file, line and fix."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.as_text())


def create_app(config: Mapping | None = None) -> Flask:
    """Build the service: load the graph and named queries, set limits, register the blueprints."""
    app = Flask(__name__)
    app.config.from_mapping(BASE_IRI=DEFAULT_BASE_IRI, DATA=(), QUERIES_DIR=None, CORS_ORIGINS=("*",),
                            MAX_CONTENT_LENGTH=Limits.max_request_bytes)
    app.config.from_mapping(config or {})
    kg = app.config.get("KNOWLEDGE_GRAPH") or load_knowledge_graph(app.config["DATA"], base_iri=app.config["BASE_IRI"])
    validating = app.config.get("VALIDATE", True) and not kg.is_remote
    app.config["DATA_NOT_VALIDATED"] = not app.config.get("VALIDATE", True)
    if validating:
        report = validate_once(kg)
        if report is not None and not report.ok:
            raise InvalidData(report)
    limits = Limits.from_config(app.config)
    app.config["MAX_CONTENT_LENGTH"] = limits.max_request_bytes
    runner = GuardedRunner(kg, limits)
    origins = tuple(app.config["CORS_ORIGINS"])
    app.extensions["lscp_kg"] = ServiceState(kg=kg, named_queries=load_named_queries(app.config["QUERIES_DIR"] or QUERIES_DIR, kg=kg),
                                             limits=limits, runner=runner, cors_origins=origins)

    register_error_handlers(app)
    register_request_log(app)
    register_security_headers(app, origins)
    from lscp_kg.service import (compare, entities, explore, explore_export, page_urls, pages, queries, scrutiny_pages,
                                 search_pages, source_pages, sparql, timeline)

    for blueprint in (sparql.bp, queries.bp, entities.bp, pages.bp, explore.bp, explore_export.bp, scrutiny_pages.bp,
                      source_pages.bp, search_pages.bp, compare.bp, timeline.bp):
        app.register_blueprint(blueprint)
    app.jinja_env.globals.update(entity_url=page_urls.entity_url, short_iri=page_urls.short_iri,
                                 source_url=page_urls.source_url, quote_url=page_urls.quote_url,
                                 source_documents=source_documents(kg))
    if kg.data_may_change:  # a shared store gets new versions under us: no answers kept in memory (ETags still hold)
        app.config["RESPONSE_CACHE_BYTES"] = 0
    register_response_cache(app, kg.fingerprint().encode())
    return app


def source_documents(kg) -> list[dict]:
    """The documents the facts come from, for the footer of every page (as Datasette shows its source)."""
    documents = [row["doc"].value for row in kg.query("SELECT DISTINCT ?doc WHERE { ?doc a lscp:SourceDocument }")]
    named = labels_of(kg, documents)  # the one name of lscp_kg.labels
    return [{"iri": iri, "label": label} for iri, label in sorted(named.items(), key=lambda item: (item[1], item[0]))]
