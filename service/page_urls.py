"""Every IRI shown on a page links to its entity page, and every quote to its lines in the source.

IRIs under ``<base>id/`` have a path of their own (``/id/...``); any other IRI
(legislation.gov.uk, ontology terms) resolves at ``/entity?iri=...``. A source
document's page is ``/source/<name>`` for documents under ``<base>id/source/``,
else ``/source?doc=<IRI>`` (its coverage: ``/source/<name>/coverage``, else ``&view=coverage``); a passage's
lines are ``...?lines=144-149#L144`` (the server marks the lines, and the browser scrolls to the first without JavaScript).
The rule and its one escaping live in :mod:`lscp_kg.entity_links` (the pictures use it too); this module adds
the request's mount point and the loaded graph's base IRI.
"""

from __future__ import annotations

from flask import has_request_context, request

from lscp_kg import entity_links
from lscp_kg.namespaces import curie
from lscp_kg.source_texts import sources_for
from lscp_kg.service.state import service_state


def _root() -> str:
    """Where the service is mounted (its links are built under it)."""
    return request.script_root if has_request_context() else ""


def entity_url(iri: str, **query) -> str:
    """The service URL of an IRI's entity page; ``query`` adds parameters (``format="turtle"``)."""
    return entity_links.entity_href(iri, service_state().kg.base_iri, _root(), **query)


def own_iri(path: str) -> str:
    """The IRI whose own path is ``/id/<path>`` (the inverse of :func:`entity_url` for IRIs under ``<base>id/``)."""
    return service_state().kg.base_iri + "id/" + path


def source_url(document: str, start: int | None = None, end: int | None = None) -> str:
    """The URL of a source document's page, at a line span if given."""
    return entity_links.source_href(document, service_state().kg.base_iri, start, end, _root())


def coverage_url(document: str, **query) -> str:
    """The URL of a source document's coverage page (what the graph leaves out of it): ``/source/NAME/coverage``,
    else ``/source?doc=<IRI>&view=coverage``; ``query`` adds parameters (``only="stating"``, ``format="json"``)."""
    return entity_links.coverage_href(document, service_state().kg.base_iri, _root(), **query)


def quote_url(passage: str | None) -> str | None:
    """The URL of a passage's lines in its source document (None if the IRI is not a passage)."""
    found = sources_for(service_state().kg).passage(passage)
    return source_url(found.document, found.start, found.end) if found else None


def short_iri(iri: str) -> str:
    """An IRI as a person can read it: ``lscp:ChairRole``, ``id/person/ceri-jacob``."""
    base = service_state().kg.base_iri
    if iri.startswith(base + "id/"):
        return iri[len(base):]
    return curie(iri)
