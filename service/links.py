"""Kept for the modules not yet moved to :mod:`~lscp_kg.service.page_urls` (``scoping.py``, ``explore.py``,
``scrutiny.py`` and two tests import ``entity_url``/``quote_url`` from here); delete it once they have.

The service's URLs of entity pages, sources and quotes are :mod:`~lscp_kg.service.page_urls`, built by the one
builder of links, :mod:`lscp_kg.entity_links`.
"""

from lscp_kg.service.page_urls import coverage_url, entity_url, quote_url, short_iri, source_url  # noqa: F401
