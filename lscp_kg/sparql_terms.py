"""The one writer of RDF terms into SPARQL text.

Queries are bound with pyoxigraph's ``substitutions`` wherever they can be;
this module is for the places that must write a value into the text itself
(a ``VALUES`` block that must come first, a remote store that takes only text,
the query page's example). The term is written by pyoxigraph's own
serialisation (N-Triples form: ``<iri>``, ``"text"@lang``,
``"text"^^<datatype>``), which escapes quotes, backslashes and line breaks, so
no user text ever reaches the query unescaped.

>>> import pyoxigraph as ox
>>> sparql_term(ox.Literal('say "}" \\\\ # now'))
'"say \\\\"}\\\\" \\\\\\\\ # now"'
>>> sparql_term(ox.Literal("chair", language="en"))
'"chair"@en'
>>> values_block({ox.Variable("x"): ox.NamedNode("http://x/a"), ox.Variable("n"): ox.Literal("1")})
'VALUES (?x ?n) { (<http://x/a> "1") }'
"""

from __future__ import annotations

from typing import Mapping

import pyoxigraph as ox


def sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    """A named node or literal as SPARQL text; anything else (a blank node, a plain string) is refused.

    >>> sparql_term(ox.NamedNode("http://www.legislation.gov.uk/id/ukpga/2004/31"))
    '<http://www.legislation.gov.uk/id/ukpga/2004/31>'
    >>> sparql_term("http://x/a")
    Traceback (most recent call last):
    TypeError: only a pyoxigraph NamedNode or Literal is written into a query, not 'http://x/a'
    """
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)
    raise TypeError(f"only a pyoxigraph NamedNode or Literal is written into a query, not {term!r}")


def iri_term(iri: str) -> str:
    """An IRI given as text, checked by pyoxigraph and written as ``<iri>`` (ValueError if it is not an IRI).

    >>> iri_term("http://b/")
    '<http://b/>'
    >>> iri_term("http://b/> } DROP ALL {")
    Traceback (most recent call last):
    ValueError: Invalid IRI code point '>'
    """
    return sparql_term(ox.NamedNode(iri))


def values_block(bound: Mapping, write=sparql_term) -> str:
    """``VALUES (?a ?b) { (term term) }`` for one row of bound variables; ``write`` writes each term
    (a remote store's writer also accepts the blank nodes that store returned)."""
    names = " ".join(str(ox.Variable(getattr(v, "value", v))) for v in bound)
    row = " ".join(write(term) for term in bound.values())
    return f"VALUES ({names}) {{ ({row}) }}"
