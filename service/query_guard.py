r"""Look at a SPARQL text before it runs: its form, and whether it must be refused.

The text is read with the project's one SPARQL reader
(:mod:`lscp_kg.sparql_reader`), which follows the grammar's terminals as
Oxigraph does, so a keyword is only ever a bare word. That is enough to find

* the query form (the first bare word after ``BASE``/``PREFIX``/``VERSION``);
* SPARQL Update (``INSERT``, ``LOAD``, ``DROP`` ... are never query words);
* ``SERVICE``, which would make the engine send an HTTP request to another host;
* ``FROM``/``FROM NAMED``, so that a query's own dataset clause is honoured
  (the store's default is the union of all graphs, which would ignore it);
* a query too big for the engine: Oxigraph's parser and evaluator recurse once
  per level of nesting, per operator of an expression and per ``BIND``,
  ``OPTIONAL``, ``UNION``... of a pattern, and a few thousand of them overflow a
  worker's stack (see :class:`ShapeLimits`), so such a query is refused first.

What a store following SPARQL 1.1 to the letter would read after decoding
code point escapes (``\u0053ERVICE``) is checked as well, and a backslash
outside strings, IRIs and prefixed names is refused (it is not SPARQL).

>>> inspect_query("PREFIX s: <http://x/service> SELECT ?service WHERE { ?s s:service 'SERVICE' } # SERVICE")
QueryShape(form='select', update=False, service=False, dataset=False)
>>> inspect_query(r"PREFIX ex: <http://x/> SELECT * { ex:a\' ?p ?o . service <http://x/sparql> { ?s ?p ?o } }").service
True
>>> inspect_query("LOAD <http://example.org/data.ttl>")
QueryShape(form=None, update=True, service=False, dataset=False)
>>> inspect_query("SELECT * FROM <http://example.org/g> { ?s ?p ?o }").dataset
True
"""

from __future__ import annotations

from dataclasses import dataclass

from lscp_kg.service.errors import HttpError
from lscp_kg.sparql_reader import Token, decode_escapes, glued_keyword, tokens

QUERY_FORMS = frozenset({"select", "ask", "construct", "describe"})
PROLOGUE_WORDS = frozenset({"base", "prefix", "version"})
UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"})


@dataclass(frozen=True)
class ShapeLimits:
    """How big a query may be, measured on its tokens before it runs: the one place these limits live.

    Measured with pyoxigraph 0.5.13 in a process with an 8 MiB stack (the
    worker's), a query dies (SIGSEGV, stack overflow) at about: 850 nested
    ``FILTER NOT EXISTS``, 950 nested function calls, 2,200 nested groups, 2,500
    nested sub-selects, 4,700 nested parentheses, 2,600 chained BINDs, MINUS or
    projected expressions, 6,600 UNIONs, 11,000 path alternatives, 7,000 terms
    added in one expression, 9,400 ``&&`` or ``!``. Each limit is 4-10 times
    below that, and far above real queries (the shipped named queries and
    scrutiny rules stay under 10 levels, 10 operators and 60 pattern operators).
    Long VALUES blocks, IN lists and CONCAT arguments (30,000) do no harm.
    """

    #: deepest nesting of braces, parentheses and brackets
    nesting: int = 200
    #: operators (``+ - * / && || ! = != < > <= >= IN``) in one expression
    expression_operators: int = 1000
    #: pattern operators in the whole query (``BIND OPTIONAL UNION MINUS GRAPH FILTER VALUES AS``, groups,
    #: the ``/`` and ``|`` of property paths)
    pattern_operators: int = 500


LIMITS = ShapeLimits()
_EXPRESSION_OPERATORS = frozenset({"+", "-", "*", "/", "&&", "||", "!", "=", "!=", "<", ">", "<=", ">="})
_PATTERN_WORDS = frozenset({"bind", "optional", "union", "minus", "graph", "filter", "values", "service", "as"})


@dataclass(frozen=True)
class QueryShape:
    form: str | None  # "select", "ask", "construct", "describe"; None if not a query we recognise
    update: bool
    service: bool
    dataset: bool = False  # has FROM / FROM NAMED


def _shape(toks: list[Token]) -> QueryShape:
    words = [t.text.lower() for t in toks if t.kind == "word"]
    first = next((w for w in words if w not in PROLOGUE_WORDS), None)
    # Oxigraph's keywords need no boundary: SERVICESILENT, trueSERVICE and SERVICEex:e all call a service.
    service = any(glued_keyword(t) == "service" for t in toks)
    update = any(w.startswith(tuple(UPDATE_WORDS)) for w in words)  # LOADSILENT too: no keyword starts so
    return QueryShape(form=first if first in QUERY_FORMS else None, update=update, service=service,
                      dataset="from" in words)


def inspect_query(text: str, toks: list[Token] | None = None) -> QueryShape:
    """The form of a query and whether it asks for an update or a remote service (also once escapes are decoded)."""
    shape = _shape(tokens(text) if toks is None else toks)
    decoded = decode_escapes(text)
    if decoded != text:
        other = _shape(tokens(decoded))
        shape = QueryShape(shape.form or other.form, shape.update or other.update, shape.service or other.service,
                           shape.dataset or other.dataset)
    return shape


@dataclass(frozen=True)
class QuerySize:
    """What :class:`ShapeLimits` bounds, as measured on one query."""

    nesting: int
    expression_operators: int  # in the biggest expression
    pattern_operators: int


class _Meter:
    """Counts, token by token, what :func:`measure` reports."""

    def __init__(self):
        self.depth = self.deepest = self.expression_depth = self.operators = self.biggest = self.pattern = 0

    def open(self, token: Token) -> None:
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)
        if token.scope == "expr":
            self.expression_depth += 1
            if self.expression_depth == 1:
                self.operators = 0
        elif token.text == "{":
            self.pattern += 1

    def close(self, token: Token) -> None:
        self.depth -= 1
        if token.scope == "expr" and token.text == ")" and self.expression_depth:
            self.expression_depth -= 1
            self.biggest = max(self.biggest, self.operators)

    def count(self, token: Token) -> None:
        text, word = token.text, token.kind == "word"
        if (word and text.lower() in _PATTERN_WORDS) or (text in ("/", "|") and token.scope in ("group", "list", "bnode")):
            self.pattern += 1
        elif self.expression_depth and token.scope == "expr" and (
                text in _EXPRESSION_OPERATORS or (word and text.lower() == "in")):
            self.operators += 1

    def size(self) -> QuerySize:
        return QuerySize(self.deepest, max(self.biggest, self.operators if self.expression_depth else 0), self.pattern)


def measure(toks: list[Token]) -> QuerySize:
    """Nesting, the biggest expression and the pattern operators of a query's tokens.

    >>> measure(tokens("SELECT * { { ?s ?p ?o FILTER((1 + 2 * 3 < 4)) } BIND(!true AS ?x) } # {{{{"))
    QuerySize(nesting=4, expression_operators=3, pattern_operators=5)
    """
    meter = _Meter()
    for token in toks:
        if token.text in ("{", "(", "["):
            meter.open(token)
        elif token.text in ("}", ")", "]"):
            meter.close(token)
        else:
            meter.count(token)
    return meter.size()


_OPERAND_ENDS = frozenset({"var", "string", "langtag", "number", "iri", "pname", "bnode"})


def check_unambiguous(toks: list[Token]) -> None:
    """Refuse (400) the two constructs that SPARQL engines may read in more than one way.

    * a declared prefix whose name begins with a keyword (``PREFIX FILTERex:``):
      Oxigraph reads ``FILTERex:f(...)`` as ``FILTER ex:f(...)`` where it can;
    * inside parentheses, an IRI right after another term holding ``#``, a quote
      or "service": as an expression, ``?a<?b)#>`` is a comparison and a comment.
    """
    for index, token in enumerate(toks):
        if token.kind == "pname" and index and toks[index - 1].kind == "word" and \
                toks[index - 1].text.lower() == "prefix" and glued_keyword(token):
            raise HttpError(400, f"The prefix name {token.text!r} begins with the SPARQL keyword "
                                 f"{glued_keyword(token).upper()}, which engines may read as that keyword: "
                                 f"please rename the prefix.")
        if token.kind == "iri" and token.scope in ("list", "expr") and index and (
                toks[index - 1].kind in _OPERAND_ENDS or toks[index - 1].text == ")") and (
                any(c in token.text for c in "#'\"") or "service" in token.text.lower()):
            raise HttpError(400, f"The IRI {token.text} at character {token.start + 1} follows another term inside "
                                 f"parentheses, where '<' may also be read as 'less than': put a space after '<' in a "
                                 f"comparison, or write the IRI with a prefix.")


def check_size(toks: list[Token], limits: ShapeLimits = LIMITS) -> None:
    """Refuse (400) a query past :class:`ShapeLimits`, saying which measure and by how much."""
    size = measure(toks)
    if size.nesting > limits.nesting:
        raise HttpError(400, f"The query nests groups or expressions {size.nesting:,} levels deep; this service "
                             f"accepts at most {limits.nesting:,}.")
    if size.expression_operators > limits.expression_operators:
        raise HttpError(400, f"The query has {size.expression_operators:,} operators in one expression (about "
                             f"{size.expression_operators + 1:,} terms); this service accepts at most "
                             f"{limits.expression_operators:,} operators in one expression.")
    if size.pattern_operators > limits.pattern_operators:
        raise HttpError(400, f"The query has {size.pattern_operators:,} groups, BIND, OPTIONAL, UNION, MINUS, GRAPH, "
                             f"FILTER, VALUES and AS clauses and path steps; this service accepts at most "
                             f"{limits.pattern_operators:,} in one query.")


def check_query(text: str, max_length: int) -> QueryShape:
    """Refuse, with a clear status and message, a query this read-only, offline service must not run."""
    if not text.strip():
        raise HttpError(400, "The query is empty: send a SPARQL query in the 'query' parameter.")
    if len(text) > max_length:
        raise HttpError(413, f"The query is {len(text)} characters long; this service accepts at most {max_length}.")
    toks = tokens(text)
    shape = inspect_query(text, toks)
    if shape.update:
        raise HttpError(400, "SPARQL Update is not accepted: this endpoint is read-only "
                             "(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY are refused).")
    if shape.service:
        raise HttpError(400, "SERVICE (federated query) is not allowed: this service never contacts another host.")
    stray = next((t for t in toks if t.kind == "other" and (t.text == "\\" or t.text.isalpha())), None)
    if stray is not None:  # not SPARQL, and a store that reads escapes or folds case might read a keyword here
        raise HttpError(400, f"SPARQL syntax error: unexpected {stray.text!r} at character {stray.start + 1}, outside a "
                             f"string, IRI or prefixed name (keywords are ASCII; code point escapes such as \\u0041 are "
                             f"read in strings and IRIs only).")
    check_unambiguous(toks)
    check_size(toks)
    return shape
