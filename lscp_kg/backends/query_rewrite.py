"""Rewrite a query so that a plain SPARQL 1.1 endpoint answers it as pyoxigraph would.

pyoxigraph takes the base IRI, default prefixes and parameter values beside
the query text; SPARQL 1.1 has no such thing, so the remote store gets

* an explicit prologue: ``BASE`` and the project's ``PREFIX`` lines (only the
  prefixes the query does not declare itself);
* the parameters as a ``VALUES`` block at the top of the ``WHERE`` group, and
  as constants in the patterns (see :func:`_constant_edits`), built from
  pyoxigraph's serialisation of each term (``str(NamedNode)`` is ``<iri>``,
  ``str(Literal)`` a correctly escaped literal), never from raw user text.

The text is read with :mod:`.sparql_text` (so braces or keywords inside
strings, IRIs and comments never count).

>>> import pyoxigraph as ox
>>> def bound(text, substitutions):
...     return prepare(text, substitutions, None, {}).text(None, None)
>>> bound("SELECT ?x ?l WHERE { ?x <http://x/label> ?l }", {ox.Variable("x"): ox.NamedNode("http://x/a")})
'SELECT ?x ?l WHERE { VALUES (?x) { (<http://x/a>) }\\n <http://x/a> <http://x/label> ?l }'
>>> bound("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } # }", {ox.Variable("s"): ox.Literal('a"b')})
'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { ("a\\\\"b") }\\n "a\\\\"b" ?p ?o } # }'
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import pyoxigraph as ox

from lscp_kg.sparql_terms import iri_term, sparql_term, values_block

from .sparql_text import QueryOutline, QueryRefused, Token, matching_close, outline, tokens


def term_text(term) -> str:
    """A term in SPARQL syntax: :func:`lscp_kg.sparql_terms.sparql_term`, or a Virtuoso blank node.

    >>> term_text(ox.Literal("2024-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return sparql_term(term)
    if isinstance(term, ox.BlankNode) and term.value.startswith(VIRTUOSO_BNODE):
        # A blank node Virtuoso returned earlier: Virtuoso reads <nodeID://...> as that node.
        return f"<nodeID://{term.value[len(VIRTUOSO_BNODE):]}>"
    raise QueryRefused(f"{term!r} cannot be sent to a remote store as a parameter value")


#: Prefix of the blank node labels made from Virtuoso's ``nodeID://`` identifiers.
VIRTUOSO_BNODE = "nodeID_"


def _values_edit(text: str, toks: list[Token], info: QueryOutline, block: str) -> list[tuple[int, int, str]]:
    """Where the VALUES block goes, as (start, end, replacement) edits of the text."""
    if info.where_open is None:
        return [(len(text), len(text), f"\n{block}")]
    opening = toks[info.where_open]
    after = toks[info.where_open + 1] if info.where_open + 1 < len(toks) else None
    if after is not None and after.kind == "word" and after.text.lower() == "select":
        closing = toks[matching_close(toks, info.where_open)]
        return [(opening.end, opening.end, f" {block} {{"), (closing.start, closing.start, "}")]
    return [(opening.end, opening.end, f" {block}\n")]


_CLAUSE_ENDS = {"having", "limit", "offset", "order", "group", "values", "where"}


def _constant_edits(toks: list[Token], info: QueryOutline, substitutions: dict) -> list[tuple[int, int, str]]:
    """Write each parameter's term in place of its variable inside the WHERE group.

    Some stores (Virtuoso) evaluate a property path only from a constant start,
    and pyoxigraph substitutes inside sub-queries too, so the patterns get the
    constant; the VALUES block still binds the variable for the projection.
    A sub-select that projects the variable projects ``(term AS ?v)`` (Virtuoso
    joins a projected but unbound variable as if it had no match). Left as
    variables where SPARQL needs one: ``AS ?v``, ``BOUND(?v)``, VALUES headers,
    GROUP BY / ORDER BY.
    """
    if info.where_open is None:
        return []
    terms = {variable.value: term_text(term) for variable, term in substitutions.items()}
    edits, mode, parens = [], None, 0
    for i in range(info.where_open + 1, matching_close(toks, info.where_open)):
        tok = toks[i]
        mode, parens = _clause_after(tok, toks[i - 1], mode, parens)
        if _stays_a_variable(toks, i, terms, mode):
            continue
        term = terms[tok.text[1:]]
        if mode != "projection":
            edits.append((tok.start, tok.end, term))
        elif parens == 0:
            edits.append((tok.start, tok.end, f"({term} AS {tok.text})"))
    return edits


def _clause_after(tok: Token, before: Token, mode: str | None, parens: int) -> tuple[str | None, int]:
    """Where the query is once ``tok`` is read: mode None (patterns), "projection" (a sub-select's, with its
    parenthesis depth) or "keep" (VALUES headers, GROUP BY / ORDER BY: variables stay)."""
    word = tok.text.lower() if tok.kind == "word" else None
    if word == "select":
        return "projection", 0
    if word == "values" or (word == "by" and before.text.lower() in ("group", "order")):
        return "keep", parens
    if tok.text in ("{", "}") or (mode and word in _CLAUSE_ENDS):
        return None, parens
    if tok.text in ("(", ")"):
        return mode, parens + (1 if tok.text == "(" else -1)
    return mode, parens


def _stays_a_variable(toks: list[Token], i: int, terms: dict[str, str], mode: str | None) -> bool:
    """Whether token ``i`` is left as it is: not a bound variable, or where SPARQL needs a variable."""
    tok, before = toks[i], toks[i - 1]
    if tok.kind != "var" or tok.text[1:] not in terms or mode == "keep":
        return True
    return before.text.lower() == "as" or (before.text == "(" and toks[i - 2].text.lower() == "bound")


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _binding_edits(text: str, toks: list[Token], info: QueryOutline, substitutions: dict | None) -> list:
    """The edits that bind the parameters by a VALUES block (see the module docstring).

    At the top of the WHERE group, the values are bound before any BIND or
    OPTIONAL reads them, as with pyoxigraph's substitution. A WHERE group
    that is a single sub-select is wrapped in a group first (VALUES cannot sit
    beside it); a query without a WHERE group gets a trailing VALUES clause.
    """
    if not substitutions:
        return []
    return (_values_edit(text, toks, info, values_block(substitutions, write=term_text))
            + _constant_edits(toks, info, substitutions))


def prologue(info: QueryOutline, base_iri: str | None, prefixes: dict[str, str] | None) -> str:
    """BASE and PREFIX lines for what the query does not declare itself.

    >>> prologue(outline("PREFIX ex: <http://y/> SELECT * { ?s ex:p ?o }"), "http://b/", {"ex": "http://x/", "rdfs": "http://r/"})
    'BASE <http://b/>\\nPREFIX rdfs: <http://r/>\\n'
    """
    lines = [f"BASE {iri_term(base_iri)}"] if base_iri and info.base is None else []
    lines += [f"PREFIX {name}: {iri_term(iri)}" for name, iri in (prefixes or {}).items() if name not in info.declared_prefixes]
    return "".join(line + "\n" for line in lines)


@dataclass(frozen=True)
class PreparedQuery:
    """A query checked and ready to send; :meth:`text` adds the dataset the caller chose.

    >>> q = prepare("SELECT ?s FROM <g> WHERE { ?s ?p ?o }", None, "http://b/", {})
    >>> q.form, q.query_from, q.query_from_named
    ('select', ('http://b/g',), ())
    >>> q.text(["http://b/u"], None).splitlines()
    ['BASE <http://b/>', 'SELECT ?s  ', 'FROM <http://b/u>', 'WHERE { ?s ?p ?o }']
    """

    form: str
    uses_graph: bool
    query_from: tuple[str, ...]
    query_from_named: tuple[str, ...]
    _head: str
    _body: str
    _dataset_at: int

    def text(self, default_graphs: list[str] | None, named_graphs: list[str] | None) -> str:
        """The text to send, with these FROM / FROM NAMED graphs (None: none of that kind)."""
        clauses = ([f"FROM {iri_term(g)}" for g in default_graphs or ()]
                   + [f"FROM NAMED {iri_term(g)}" for g in named_graphs or ()])
        dataset = "".join(f"\n{clause}" for clause in clauses) + ("\n" if clauses else "")
        at = self._dataset_at
        return self._head + self._body[:at] + dataset + self._body[at:]


def _expand(token: Token, base: str | None, prefixes: dict[str, str]) -> str:
    if token.kind == "iri":
        return urljoin(base or "", token.text[1:-1])
    prefix, _, local = token.text.partition(":")
    return prefixes[prefix] + local


def prepare(text: str, substitutions: dict | None, base_iri: str | None,
            prefixes: dict[str, str] | None) -> PreparedQuery:
    """Check a query and rewrite it for a remote store; :class:`QueryRefused` for what must not be sent.

    The query's own FROM / FROM NAMED clauses are taken out (and reported as
    ``query_from``/``query_from_named``): the caller decides the dataset, as
    pyoxigraph's options do.
    """
    if "\x00" in text:
        raise QueryRefused("the query contains a NUL character")
    info = outline(text)
    if info.form is None:
        raise QueryRefused("only SELECT, ASK, CONSTRUCT and DESCRIBE queries are sent to the store")
    if info.service:
        raise QueryRefused("SERVICE (federated query) is not allowed: the service never contacts another host")
    known = {**(prefixes or {}), **info.declared_prefixes}
    undeclared = info.used_prefixes - set(known)
    if undeclared:
        raise QueryRefused(f"undefined prefix {', '.join(sorted(p + ':' for p in undeclared))}")
    toks = tokens(text)
    base = urljoin(base_iri or "", info.base) if info.base is not None else base_iri
    edits = [(start, end, "") for _, _, start, end in info.dataset_clauses]
    marker = "\x00"  # where the dataset goes: found again after the other edits
    edits.append((info.dataset_at, info.dataset_at, marker))
    edits += _binding_edits(text, toks, info, substitutions)
    body = _apply(text, edits)
    query_from = tuple(_expand(t, base, known) for named, t, _, _ in info.dataset_clauses if not named)
    query_from_named = tuple(_expand(t, base, known) for named, t, _, _ in info.dataset_clauses if named)
    at = body.index(marker)
    return PreparedQuery(info.form, info.uses_graph, query_from, query_from_named,
                         prologue(info, base_iri, prefixes), body[:at] + body[at + 1:], at)
