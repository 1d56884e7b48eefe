"""The one rule for the query service's links to entities and sources, shared by the service and the pictures.

An IRI under ``<base>id/`` whose rest needs no escaping has a path of its own
(``/id/...``); any other IRI (legislation.gov.uk, ontology terms, an IRI with
``#``, spaces, ``%`` or non-ASCII letters) resolves at ``/entity?iri=...``. A
source document under ``<base>id/source/`` is ``/source/NAME``, any other
``/source?doc=<IRI>``; its coverage is ``.../coverage`` or ``&view=coverage``; a
passage's lines are ``?lines=144-149#L144``.

One escaping rule: a value in a query string is percent-encoded, leaving only
the unreserved characters and ``:/@`` readable (so an IRI stays legible and
never carries a space, quote, ``#``, ``&`` or angle bracket unencoded). HTML
escaping is the templates' job. ``root`` is where the service is mounted (the
request's script root, or ``--service-url`` for standalone pictures).

>>> entity_href("https://lscp-kg.example.org/id/lewisham/body/mace", "https://lscp-kg.example.org/")
'/id/lewisham/body/mace'
>>> entity_href("http://www.legislation.gov.uk/id/ukpga/2004/31", "https://lscp-kg.example.org/", "https://kg.example/")
'https://kg.example/entity?iri=http://www.legislation.gov.uk/id/ukpga/2004/31'
>>> entity_href('https://b/id/a b#"<é>', "https://b/")
'/entity?iri=https://b/id/a%20b%23%22%3C%C3%A9%3E'
>>> source_href("https://b/id/source/arrangements", "https://b/", 144, 149)
'/source/arrangements?lines=144-149#L144'
>>> coverage_href("http://other/doc", "https://b/", only="stating")
'/source?doc=http://other/doc&view=coverage&only=stating'
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

#: the characters a path under ``/id/`` may hold as they are (nothing there needs escaping or decoding)
PLAIN_PATH = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@/-]+$")
#: besides the unreserved characters, what a query-string value keeps readable
_QUERY_SAFE = ":/@"


def query_string(pairs) -> str:
    """``a=1&b=2`` from a mapping or (name, value) pairs, by the one escaping rule (None values left out).

    >>> query_string({"iri": "http://x/a&b=c d", "depth": 1, "skip": None})
    'iri=http://x/a%26b%3Dc%20d&depth=1'
    """
    items = pairs.items() if hasattr(pairs, "items") else pairs
    return urlencode([(k, v) for k, v in items if v is not None], safe=_QUERY_SAFE, quote_via=quote)


def _with_query(path: str, pairs) -> str:
    query = query_string(pairs)
    return f"{path}?{query}" if query else path


def _root(root: str) -> str:
    return (root or "").rstrip("/")


def entity_href(iri: str, base_iri: str, root: str = "", **query) -> str:
    """The entity page of ``iri`` (see the module docstring), under ``root``; ``query`` adds parameters.

    >>> entity_href("http://x/a", "https://b/", format="turtle")
    '/entity?iri=http://x/a&format=turtle'
    """
    local = base_iri + "id/"
    if base_iri and iri.startswith(local) and PLAIN_PATH.match(iri[len(local):]):
        return _with_query(f"{_root(root)}/id/{iri[len(local):]}", query)
    return _with_query(f"{_root(root)}/entity", {"iri": iri, **query})


def source_name(document: str, base_iri: str) -> str | None:
    """NAME of a document ``<base>id/source/NAME`` that has a path of its own, else None.

    >>> source_name("https://b/id/source/a", "https://b/"), source_name("https://b/id/source/a/b", "https://b/")
    ('a', None)
    """
    local = base_iri + "id/source/"
    tail = document[len(local):] if base_iri and document.startswith(local) else ""
    return tail if tail and PLAIN_PATH.match(tail) and "/" not in tail else None


def _lines(start: int | None, end: int | None) -> str | None:
    if start is None:
        return None
    return str(start) if (end or start) == start else f"{start}-{end}"


def source_href(document: str, base_iri: str, start: int | None = None, end: int | None = None,
                root: str = "") -> str:
    """A source document's page, at a line span if given (the browser scrolls to ``#L<start>``)."""
    name = source_name(document, base_iri)
    lines = {"lines": _lines(start, end)}
    if name:
        href = _with_query(f"{_root(root)}/source/{name}", lines)
    else:
        href = _with_query(f"{_root(root)}/source", {"doc": document, **lines})
    return href + (f"#L{start}" if start is not None else "")


def coverage_href(document: str, base_iri: str, root: str = "", **query) -> str:
    """A source document's coverage page; ``query`` adds parameters (``only="stating"``, ``format="json"``)."""
    name = source_name(document, base_iri)
    if name:
        return _with_query(f"{_root(root)}/source/{name}/coverage", query)
    return _with_query(f"{_root(root)}/source", {"doc": document, "view": "coverage", **query})
