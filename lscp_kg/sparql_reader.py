r"""The one SPARQL reader of the project: a lexer that follows the SPARQL 1.1 grammar's terminals.

pyoxigraph has no public parser, so whoever must look at a query before it
runs (the service's query guard, the rewriting for a remote store) reads it
with :func:`tokens`. Comments, strings (all four quoting styles, with their
escapes), IRIs, prefixed names (``PN_LOCAL`` with ``%HH`` and ``\'``-style
escapes), blank nodes, variables, numbers and language tags are single
tokens, so a keyword is only ever a bare ``word``.

As in Oxigraph, code point escapes (``\u0053``) are read inside strings and
IRIs only: elsewhere a backslash is not SPARQL (kind ``other``).

``<`` is the one context-dependent terminal: it opens an IRI, except inside an
expression right after an operand, where it compares (``?a<?b``), as in
Oxigraph's grammar. So each bracket's *scope* is tracked: ``expr`` (an
expression's parentheses), ``list`` (a collection, a VALUES row, a path group),
``group`` (braces), ``values`` and ``row`` (a VALUES data block and its rows)
or ``bnode`` (a blank node's brackets); every token carries
the scope it is in (an opening bracket, the scope it opens).

>>> [t.text for t in tokens(r"PREFIX ex: <http://x/> SELECT * { ex:a\' ex:b 'x' } # SERVICE")]
['PREFIX', 'ex:', '<http://x/>', 'SELECT', '*', '{', "ex:a\\'", 'ex:b', "'x'", '}']
>>> [(t.kind, t.text) for t in tokens("FILTER(?a<?b)SERVICE#>")]
[('word', 'FILTER'), ('punct', '('), ('var', '?a'), ('punct', '<'), ('var', '?b'), ('punct', ')'), ('word', 'SERVICE')]
>>> [(t.kind, t.text) for t in tokens("?s<p>?o")]
[('var', '?s'), ('iri', '<p>'), ('var', '?o')]
"""

from __future__ import annotations

import re
from typing import NamedTuple

_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
                  "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_VARNAME_TAIL = _PN_CHARS_U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_CHARS = _VARNAME_TAIL + "\\-"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
# Oxigraph's PN_LOCAL allows one run of dots inside a local name (``ex:a.b``, not ``ex:a.b.c``, which it reads
# as ``ex:a.b`` then ``.``): stricter than the grammar, and what decides where its next keyword starts.
_PN_LOCAL_CHAR = f"(?:[{_PN_CHARS}:]|{_PLX})"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX}){_PN_LOCAL_CHAR}*(?:\\.+{_PN_LOCAL_CHAR}+)?"
_EXPONENT = r"[eE][+-]?[0-9]+"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

# Tried in this order at each position; the first that matches is the token.
_TERMINALS = [
    ("comment", r"\#[^\n\r]*"),
    ("string", r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''" r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
               r"|'(?:[^'\\\n\r]|\\.)*'" r'|"(?:[^"\\\n\r]|\\.)*"'),
    ("iri", f"<(?:[^<>\"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*>"),
    ("var", f"[?$][{_PN_CHARS_U}0-9][{_VARNAME_TAIL}]*"),
    ("bnode", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("number", f"(?:[0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+){_EXPONENT}|[0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+"),  # "1." as Oxigraph
    ("word", r"[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|<<|>>|[{}()\[\].,;*+\-/|^!=<>?]"),
    ("other", r"."),
]
# White space before a token is part of its match (and the whole match when nothing follows).
_LEXER = re.compile("[ \t\r\n]*(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _TERMINALS) + ")?",
                    re.DOTALL)
_COMPARISON = re.compile(r"<=?")
_OPERAND_KINDS = frozenset({"var", "string", "langtag", "number", "iri", "pname", "bnode"})
#: Words after which a parenthesis is a collection or a VALUES row, not an expression.
_LIST_WORDS = frozenset({"values", "a", "true", "false"})
#: Keywords that may be glued to a prefixed name after them (Oxigraph's keywords need no boundary:
#: ``FILTERex:f(...)`` is ``FILTER ex:f(...)``), so that a parenthesis after it opens an expression.
_GLUED_BEFORE_CALL = ("filter", "having", "by", "orderby", "groupby")
#: Keywords that, glued to what follows, change how the text after them reads (see :func:`glued_keyword`).
GLUE_KEYWORDS = ("service", "select", *_GLUED_BEFORE_CALL)


def glued_keyword(token: "Token") -> str | None:
    """The keyword a bare word or a prefixed name's prefix begins with, which Oxigraph may read on its own.

    >>> glued_keyword(Token("pname", "FILTERex:f", 0, 10)), glued_keyword(Token("word", "trueSERVICE", 0, 11))
    ('filter', 'service')
    """
    if token.kind not in ("word", "pname"):
        return None
    head = token.text.lower().partition(":")[0] if token.kind == "pname" else token.text.lower()
    if token.kind == "word" and "service" in head:  # after true/false, a SERVICE needs no space: trueSERVICE
        return "service"
    return next((k for k in GLUE_KEYWORDS if head.startswith(k)), None)


def _clause_mode(word: str, current: str | None) -> str | None:
    """The clause a bare word starts: a projection (SELECT), conditions (GROUP/ORDER BY, HAVING), or neither."""
    if word.startswith("select"):  # also SELECTDISTINCT, which Oxigraph reads as SELECT DISTINCT
        return "projection"
    if word.startswith(("by", "having")) or "by" in word and word.startswith(("order", "group")):
        return "condition"
    if word.startswith(("where", "from", "limit", "offset", "values")):
        return None
    return current


class Token(NamedTuple):  # a tuple: a long query has tens of thousands of them
    kind: str  # iri, pname, bnode, var, string, langtag, number, word, punct, other
    text: str
    start: int
    end: int
    scope: str = "group"  # group, expr, list, bnode: the bracket it is in (for an opening bracket, the one it opens)


def _paren_scope(scope: str, mode: str | None, previous: list[Token]) -> str:
    """What a "(" opens here: an expression, a VALUES row, or a list (collection, VALUES variables, path group)."""
    if scope == "expr":
        return "expr"
    if scope == "values":
        return "row"
    if scope != "group" or not previous:
        return "list"
    last = previous[-1]
    if last.kind == "word":
        return "list" if last.text.lower() in _LIST_WORDS else "expr"
    if last.kind in ("iri", "pname"):  # a function call after FILTER or in a clause; else a collection object
        before = previous[-2].text.lower() if len(previous) > 1 else ""
        glued = last.kind == "pname" and last.text.lower().startswith(_GLUED_BEFORE_CALL)
        return "expr" if mode or glued or before.startswith(_GLUED_BEFORE_CALL) else "list"
    return "expr" if mode else "list"


def _after_values(previous: list[Token]) -> bool:
    """Whether a "{" opens a VALUES data block (``VALUES ?x {``, ``VALUES (?x ?y) {``)."""
    index = len(previous) - 1
    if index >= 0 and previous[index].text == ")":
        while index >= 0 and previous[index].text != "(":
            index -= 1
    return index >= 1 and previous[index - 1].kind == "word" and previous[index - 1].text.lower() == "values"


def _ends_operand(token: Token) -> bool:
    return token.kind in _OPERAND_KINDS or token.text == ")" or (token.kind == "word" and
                                                                   token.text.lower() in ("true", "false"))


def tokens(text: str, keep_comments: bool = False) -> list[Token]:
    """The significant tokens of a SPARQL text, in order (no white space; comments only if asked).

    >>> [t.text for t in tokens('SELECT ?x { ?x a "}" } # {')]
    ['SELECT', '?x', '{', '?x', 'a', '"}"', '}']
    >>> [(t.text, t.scope) for t in tokens("SELECT (1<2 AS ?x) { ?s ?p (1 2) }") if t.text == "("]
    [('(', 'expr'), ('(', 'list')]
    """
    found: list[Token] = []
    stack: list[list] = [["group", None]]  # [scope, clause mode] per open bracket
    pos = 0
    while pos < len(text):
        match = _LEXER.match(text, pos)
        if match.lastgroup is None:  # only white space is left
            break
        kind, token_text, start, pos = _token_at(text, match, stack[-1][0], found)
        if kind == "comment" and not keep_comments:
            continue
        found.append(Token(kind, token_text, start, pos, _track_brackets(stack, kind, token_text, found)))
    return found


def _token_at(text: str, match: re.Match, scope: str, found: list[Token]) -> tuple[str, str, int, int]:
    """The token a lexer match found, ``(kind, text, start, end)``; in an expression, a "<" after an operand
    compares (``<`` or ``<=``) instead of opening an IRI."""
    kind = match.lastgroup
    start = match.start(kind)
    if text[start] == "<" and scope == "expr" and found and _ends_operand(found[-1]):
        comparison = _COMPARISON.match(text, start)
        return "punct", comparison.group(0), start, comparison.end()
    return kind, match.group(kind), start, match.end()


def _track_brackets(stack: list[list], kind: str, token_text: str, found: list[Token]) -> str:
    """Follow a token's effect on the open brackets and the clause mode; its scope (for an opening bracket,
    the scope it opens)."""
    scope, mode = stack[-1]
    if kind in ("word", "pname") and scope == "group":
        stack[-1][1] = _clause_mode(token_text.lower().partition(":")[0], mode)  # a word has no ":"
        return scope
    if token_text in ("(", "[", "{"):
        if token_text == "{" and scope == "group":
            stack[-1][1] = None  # a projection ends where its WHERE group begins
        opened = _opened_scope(token_text, scope, mode, found)
        stack.append([opened, None])
        return opened
    if token_text in (")", "]", "}") and len(stack) > 1:
        stack.pop()
    return scope


def _opened_scope(bracket: str, scope: str, mode: str | None, previous: list[Token]) -> str:
    """The scope an opening bracket opens (see the module's docstring)."""
    if bracket == "(":
        return _paren_scope(scope, mode, previous)
    if bracket == "[":
        return "expr" if scope == "expr" else "bnode"
    return "values" if _after_values(previous) else "group"


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    r"""The text with ``\uXXXX`` and ``\UXXXXXXXX`` replaced, as SPARQL 1.1 (section 19.2) would before parsing.

    Oxigraph reads such escapes inside strings and IRIs only; other stores may
    follow the letter of the specification, so what they would see is checked too.

    >>> decode_escapes(r"\u0053ERVICE \U0001F600")
    'SERVICE 😀'
    """

    def replace(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:  # beyond the last code point: leave it for the parser to refuse
            return match.group(0)

    return _ESCAPE.sub(replace, text)
