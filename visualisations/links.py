"""Where an entity's page lives in the query service: :func:`lscp_kg.entity_links.entity_href`, the one rule.

Standalone pictures (``lscp-kg visualise --service-url``) link under that URL;
pictures served by the service under its mount point.

>>> entity_href("http://www.legislation.gov.uk/id/ukpga/2004/31", "https://lscp-kg.example.org/", "https://kg.example")
'https://kg.example/entity?iri=http://www.legislation.gov.uk/id/ukpga/2004/31'
"""

from __future__ import annotations

from lscp_kg.entity_links import entity_href

__all__ = ["entity_href"]
