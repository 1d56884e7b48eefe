"""Outline a SPARQL text for rewriting, read with the project's one SPARQL reader.

:func:`outline` finds what rewriting a query for a remote store needs
(:mod:`.query_rewrite`): the prologue's prefixes and base, the query form, the
dataset clauses and the brace that opens the WHERE group. The tokens come from
:mod:`lscp_kg.sparql_reader`, so braces or keywords inside strings, IRIs,
prefixed names and comments never count.

>>> [t.text for t in tokens('SELECT ?x { ?x a "}" } # {')]
['SELECT', '?x', '{', '?x', 'a', '"}"', '}']
"""

from __future__ import annotations

from dataclasses import dataclass

from lscp_kg.sparql_reader import Token, glued_keyword, tokens

__all__ = ["QUERY_FORMS", "QueryOutline", "QueryRefused", "Token", "matching_close", "outline", "tokens"]
QUERY_FORMS = ("select", "ask", "construct", "describe")


class QueryRefused(SyntaxError):
    """A query the remote store must not be sent (not a query, SERVICE, an undeclared prefix)."""


@dataclass(frozen=True)
class QueryOutline:
    """What the rewriting needs to know about a query."""

    form: str | None  # select, ask, construct, describe; None if the text is not a query
    declared_prefixes: dict[str, str]
    used_prefixes: frozenset[str]
    base: str | None  # the query's own BASE
    service: bool
    uses_graph: bool  # a GRAPH pattern: only then do named graphs matter
    where_open: int | None  # token index of the "{" opening the WHERE group, None if there is none
    dataset_at: int  # character offset where FROM clauses belong
    #: the query's own FROM (False) and FROM NAMED (True) clauses: (named, IRI token, start, end)
    dataset_clauses: tuple[tuple[bool, Token, int, int], ...] = ()


def matching_close(toks: list[Token], open_index: int) -> int:
    depth = 0
    for i in range(open_index, len(toks)):
        if toks[i].text == "{":
            depth += 1
        elif toks[i].text == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryRefused("unbalanced braces in the query")


def _first_group(toks: list[Token], start: int) -> int | None:
    """Index of the first "{" outside parentheses from ``start`` (projection expressions may hold EXISTS { })."""
    parens = 0
    for i in range(start, len(toks)):
        text = toks[i].text
        if text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
        elif text == "{" and parens == 0:
            return i
    return None


_AFTER_DATASET = {"where", "order", "limit", "offset", "group", "having", "values"}


def outline(text: str) -> QueryOutline:
    """Read the prologue, the form, the dataset clauses and the WHERE group of a query.

    >>> o = outline("PREFIX ex: <http://x/> SELECT * FROM ex:g WHERE { ?s ex:p ?o . ?s rdfs:label ?l }")
    >>> o.form, sorted(o.declared_prefixes), sorted(o.used_prefixes), o.where_open, o.dataset_at
    ('select', ['ex'], ['ex', 'rdfs'], 8, 42)
    >>> [(named, token.text) for named, token, _, _ in o.dataset_clauses]
    [(False, 'ex:g')]
    """
    toks = tokens(text)
    declared, base, form, form_index = _prologue(toks)
    used, service, uses_graph = _what_the_body_uses(toks[form_index:])
    search_from, where_open = _where_group(toks, form, form_index)
    stop = where_open if where_open is not None else len(toks)
    clauses, dataset_at = _dataset_clauses(text, toks, search_from, stop + (1 if stop < len(toks) else 0))
    return QueryOutline(form, declared, used, base, service, uses_graph, where_open, dataset_at, clauses)


def _word(tok: Token) -> str | None:
    return tok.text.lower() if tok.kind == "word" else None


def _prologue(toks: list[Token]) -> tuple[dict[str, str], str | None, str | None, int]:
    """The declared prefixes, the BASE, and the query form with its token index (len(toks) if none)."""
    declared: dict[str, str] = {}
    base = None
    i = 0
    while i < len(toks):
        word = _word(toks[i])
        if word == "prefix" and i + 2 < len(toks) and toks[i + 1].kind == "pname":
            declared[toks[i + 1].text.split(":", 1)[0]] = toks[i + 2].text[1:-1]
            i += 3
        elif word == "base" and i + 1 < len(toks):
            base = toks[i + 1].text[1:-1]
            i += 2
        else:
            return declared, base, (word if word in QUERY_FORMS else None), (i if word in QUERY_FORMS else len(toks))
    return declared, base, None, len(toks)


def _what_the_body_uses(toks: list[Token]) -> tuple[frozenset[str], bool, bool]:
    """The prefixes used, whether there is a SERVICE, whether there is a GRAPH pattern."""
    used = frozenset(tok.text.split(":", 1)[0] for tok in toks if tok.kind == "pname")
    service = any(glued_keyword(tok) == "service" for tok in toks)  # SERVICE, SERVICESILENT, SERVICEex:e ...
    return used, service, any(_word(tok) == "graph" for tok in toks)


def _where_group(toks: list[Token], form: str | None, form_index: int) -> tuple[int, int | None]:
    """Where the dataset clauses may start (after a CONSTRUCT template), and the "{" of the WHERE group."""
    search_from = form_index + 1
    if form in ("select", "ask", "describe"):
        return search_from, _first_group(toks, search_from)
    if form == "construct" and form_index + 1 < len(toks) and toks[form_index + 1].text == "{":
        search_from = matching_close(toks, form_index + 1) + 1
        return search_from, _first_group(toks, search_from)
    return search_from, None


def _dataset_clauses(text: str, toks: list[Token], start: int, stop: int) -> tuple[tuple, int]:
    """The FROM / FROM NAMED clauses between ``start`` and ``stop``, and the offset where such clauses belong."""
    clauses, parens = [], 0
    for j in range(start, stop):
        tok = toks[j]
        parens += (tok.text == "(") - (tok.text == ")")
        word = _word(tok) if parens == 0 else None
        if word == "from" and j + 1 < len(toks):
            named = _word(toks[j + 1]) == "named"
            iri = toks[j + 2 if named else j + 1]
            clauses.append((named, iri, tok.start, iri.end))
        elif word in _AFTER_DATASET or (tok.text == "{" and parens == 0):
            return tuple(clauses), tok.start
    return tuple(clauses), len(text)
