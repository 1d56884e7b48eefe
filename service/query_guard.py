"""Look at a SPARQL text before it runs: its form, and whether it must be refused.

pyoxigraph has no public parser, and rdflib's differs from Oxigraph's, so a
small tokenizer reads the text the way a SPARQL lexer does: comments,
strings, IRIs, variables and prefixed names are single tokens, so a keyword
is only ever a bare word. That is enough to find

* the query form (the first bare word after ``BASE``/``PREFIX``/``VERSION``);
* SPARQL Update (``INSERT``, ``LOAD``, ``DROP`` ... are never query words);
* ``SERVICE``, which would make Oxigraph send an HTTP request to another host;
* ``FROM``/``FROM NAMED``, so that a query's own dataset clause is honoured
  (the store's default is the union of all graphs, which would ignore it);
* how deeply brackets nest: thousands of levels would overflow the parser's stack and kill a worker.

Code point escapes (``\\u0053ERVICE``) are checked decoded as well.

>>> inspect_query("PREFIX s: <http://x/service> SELECT ?service WHERE { ?s s:service 'SERVICE' } # SERVICE")
QueryShape(form='select', update=False, service=False, dataset=False)
>>> inspect_query("select * { service <http://example.org/sparql> { ?s ?p ?o } }").service
True
>>> inspect_query("LOAD <http://example.org/data.ttl>")
QueryShape(form=None, update=True, service=False, dataset=False)
>>> inspect_query("SELECT * FROM <http://example.org/g> { ?s ?p ?o }").dataset
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lscp_kg.service.errors import HttpError

QUERY_FORMS = frozenset({"select", "ask", "construct", "describe"})
PROLOGUE_WORDS = frozenset({"base", "prefix", "version"})
#: Deepest nesting of braces, parentheses and brackets accepted (real queries stay under 20).
MAX_NESTING = 200
UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"})

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<word>[\w\\%.-]*:[\w\\%.:-]*|\w[\w-]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class QueryShape:
    form: str | None  # "select", "ask", "construct", "describe"; None if not a query we recognise
    update: bool
    service: bool
    dataset: bool = False  # has FROM / FROM NAMED


def bare_words(text: str) -> list[str]:
    """The keywords and other bare words of a SPARQL text, lower-cased, in order.

    >>> bare_words('SELECT ?x { ?x a "INSERT" ; ex:load <urn:drop> }')
    ['select', 'a']
    """
    words = []
    for match in _TOKEN.finditer(text):
        word = match.group("word")
        if word and ":" not in word:
            words.append(word.lower())
    return words


def decode_escapes(text: str) -> str:
    r"""Replace ``\uXXXX`` and ``\UXXXXXXXX`` code point escapes.

    >>> decode_escapes(r"\u0053ERVICE")
    'SERVICE'
    """

    def replace(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:  # beyond the last code point: leave it for the parser to refuse
            return match.group(0)

    return _ESCAPE.sub(replace, text)


def _shape(text: str) -> QueryShape:
    words = bare_words(text)
    first = next((w for w in words if w not in PROLOGUE_WORDS), None)
    return QueryShape(form=first if first in QUERY_FORMS else None, update=any(w in UPDATE_WORDS for w in words),
                      service="service" in words, dataset="from" in words)


def inspect_query(text: str) -> QueryShape:
    """The form of a query and whether it asks for an update or a remote service."""
    shape = _shape(text)
    decoded = decode_escapes(text)
    if decoded != text:
        other = _shape(decoded)
        shape = QueryShape(shape.form or other.form, shape.update or other.update, shape.service or other.service,
                           shape.dataset or other.dataset)
    return shape


def nesting_depth(text: str) -> int:
    """How deeply groups, expressions and collections nest (brackets in strings, IRIs and comments do not count).

    >>> nesting_depth("SELECT * { { ?s ?p ?o FILTER((1)) } } # {{{{")
    4
    """
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        token = match.group("other")
        if token in ("{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("}", ")", "]"):
            depth -= 1
    return deepest


def check_query(text: str, max_length: int) -> QueryShape:
    """Refuse, with a clear status and message, a query this read-only, offline service must not run."""
    if not text.strip():
        raise HttpError(400, "The query is empty: send a SPARQL query in the 'query' parameter.")
    if len(text) > max_length:
        raise HttpError(413, f"The query is {len(text)} characters long; this service accepts at most {max_length}.")
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        # Oxigraph's parser recurses once per level: thousands of levels overflow a worker's stack.
        raise HttpError(400, f"The query nests groups or expressions {depth} levels deep; this service accepts at most "
                             f"{MAX_NESTING}.")
    shape = inspect_query(text)
    if shape.update:
        raise HttpError(400, "SPARQL Update is not accepted: this endpoint is read-only "
                             "(INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE and COPY are refused).")
    if shape.service:
        raise HttpError(400, "SERVICE (federated query) is not allowed: this service never contacts another host.")
    return shape
