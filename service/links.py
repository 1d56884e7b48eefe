"""Every IRI shown on a page links to its entity page, and every quote to its lines in the source.

IRIs under ``<base>id/`` have a path of their own (``/id/...``); any other IRI
(legislation.gov.uk, ontology terms) resolves at ``/entity?iri=...``. A source
document's page is ``/source/<name>`` for documents under ``<base>id/source/``,
else ``/source?doc=<IRI>`` (its coverage: ``/source/<name>/coverage``, else ``&view=coverage``); a passage's
lines are ``...?lines=144-149#L144`` (the server marks the lines, and the browser scrolls to the first without JavaScript).
"""

from __future__ import annotations

import re

from flask import url_for

from lscp_kg.namespaces import curie
from lscp_kg.source_texts import sources_for
from lscp_kg.service.state import service_state

_PLAIN_PATH = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@/-]+$")


def entity_url(iri: str) -> str:
    """The service URL of an IRI's entity page."""
    local = service_state().kg.base_iri + "id/"
    if iri.startswith(local) and _PLAIN_PATH.match(iri[len(local):]):
        return url_for("entities.by_path", rest=iri[len(local):])
    return url_for("entities.by_iri", iri=iri)


def _source_name(document: str) -> str | None:
    """NAME of a document ``<base>id/source/NAME`` that has a path of its own, else None."""
    local = service_state().kg.base_iri + "id/source/"
    tail = document[len(local):] if document.startswith(local) else ""
    return tail if tail and _PLAIN_PATH.match(tail) and "/" not in tail else None


def source_url(document: str, start: int | None = None, end: int | None = None) -> str:
    """The URL of a source document's page, at a line span if given."""
    name = _source_name(document)
    lines = {} if start is None else {"lines": f"{start}-{end or start}" if (end or start) != start else str(start)}
    if name:
        url = url_for("source_pages.document", name=name, **lines)
    else:
        url = url_for("source_pages.by_iri", doc=document, **lines)
    return url + (f"#L{start}" if start is not None else "")


def coverage_url(document: str, **query) -> str:
    """The URL of a source document's coverage page (what the graph leaves out of it): ``/source/NAME/coverage``,
    else ``/source?doc=<IRI>&view=coverage``; ``query`` adds parameters (``only="stating"``, ``format="json"``)."""
    name = _source_name(document)
    if name:
        return url_for("source_pages.coverage", name=name, **query)
    return url_for("source_pages.by_iri", doc=document, view="coverage", **query)


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
