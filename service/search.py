"""Kept for one caller only: ``service/queries.py`` imports :func:`choices_page` from here.

The search pages are :mod:`~lscp_kg.service.search_pages` (this name sat beside :mod:`lscp_kg.search`, the
search itself); delete this module once ``queries.py`` imports ``choices_page`` from ``search_pages``.
"""

from lscp_kg.service.search_pages import choices_page  # noqa: F401
