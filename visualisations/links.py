"""Where an entity's page lives in the query service.

IRIs under the base are served at their own path (``/id/...``); any other IRI
(an Act on legislation.gov.uk, say) at ``/entity?iri=...``.

>>> entity_href("https://lscp-kg.example.org/id/lewisham/body/mace", "https://lscp-kg.example.org/")
'/id/lewisham/body/mace'
>>> entity_href("http://www.legislation.gov.uk/id/ukpga/2004/31", "https://lscp-kg.example.org/")
'/entity?iri=http%3A%2F%2Fwww.legislation.gov.uk%2Fid%2Fukpga%2F2004%2F31'
"""

from __future__ import annotations

from urllib.parse import quote


def entity_href(iri: str, base_iri: str, service_url: str = "") -> str:
    """The entity page of ``iri``, relative to the service root (or under ``service_url``)."""
    if iri.startswith(base_iri) and iri[len(base_iri):].startswith("id/"):
        path = "/" + quote(iri[len(base_iri):], safe="/-_.~")
    else:
        path = "/entity?iri=" + quote(iri, safe="")
    return service_url.rstrip("/") + path
