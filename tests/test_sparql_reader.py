r"""The one SPARQL reader (lscp_kg.sparql_reader), tested against pyoxigraph's own parser.

pyoxigraph has no public parse tree, but it parses a query when ``Store().query(text)`` is called (a syntax error
raises SyntaxError), so the generated queries below are checked three ways:

* pyoxigraph accepts each one (so the pieces are real SPARQL as Oxigraph reads it);
* the reader finds bare words exactly where the generator put keywords, and nowhere else
  (not inside an escaped prefixed name, a string of any quoting style, an IRI, a comment);
* pyoxigraph agrees: spoiling the text at a keyword the reader found makes it refuse the query, while spoiling a
  "SERVICE" the reader says is inside a string, IRI, prefixed name or comment does not.

And whenever pyoxigraph accepts a query with a SERVICE clause, the guard refuses it.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lscp_kg.service.errors import HttpError
from lscp_kg.service.query_guard import check_query, inspect_query
from lscp_kg.sparql_reader import decode_escapes, tokens

PROLOGUE = "PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
EMPTY = ox.Store()


def oxigraph_accepts(text: str) -> bool:
    try:
        EMPTY.query(text)
    except SyntaxError:
        return False
    return True


# --- Pieces whose reading is known: (text, keyword offsets within it) -----------------------------------------

#: Characters of a local name (``\\#``, ``\\?`` and ``\\%`` are left out: twice in one name, they make an invalid IRI).
_LOCAL_REST = ["a", "Z", "0", "_", "-", ":", "%41", "%7e", "\\'", "\\(", "\\)", "\\,", "\\;", "\\.", "\\~",
               "\\!", "\\$", "\\&", "\\*", "\\+", "\\=", "\\/", "\\@", "\\-", "\\_", "é", "SERVICE", "service"]
_LOCAL_FIRST = st.sampled_from([c for c in _LOCAL_REST if c != "-"])


@st.composite
def prefixed_names(draw) -> str:
    """A prefixed name with at most one run of dots inside its local name (Oxigraph refuses ``ex:a.b.c``)."""
    rest = st.lists(st.sampled_from(_LOCAL_REST), max_size=3).map("".join)
    dots = draw(st.sampled_from(["", ".", ".."]))
    tail = (dots + draw(st.sampled_from(_LOCAL_REST)) + draw(rest)) if dots else ""
    return "ex:" + draw(_LOCAL_FIRST) + draw(rest) + tail


_STRING_CHARS = ["a", " ", "#", "{", "}", "<", ">", "(", ")", "SERVICE", "service <http://x/> { }", "\\\\",
                 "\\t", "\\n", "\\u0022", "\\u0027", "\\U0001F600", "é", "?x", "ex:a\\'", "\\'", '\\"']


@st.composite
def strings(draw) -> str:
    style = draw(st.sampled_from(["'", '"', "'''", '"""']))
    other = '"' if "'" in style else "'"
    chars = _STRING_CHARS + [other, other * 3]
    if len(style) == 3:  # long strings hold new lines and up to two of their own quotes in a row
        chars += ["\n", "\r\n", style[0] + "a", style[0] * 2 + "b"]
    body = "".join(draw(st.lists(st.sampled_from(chars), max_size=6)))
    suffix = draw(st.sampled_from(["", "@en", "@en-GB", "^^xsd:string", "^^<http://www.w3.org/2001/XMLSchema#string>"]))
    return style + body + style + suffix


_IRI_CHARS = st.sampled_from(["a", "/", "'", "(", ")", "%20", "~", "!", "$", "&", "*", "+", ",", ";", "=", ":",
                              "@", "?", "\\u0041", "\\U00000042", "é", "SERVICE", "service"])
iris = st.builds(lambda chars, fragment: "<http://example.org/" + "".join(chars) + fragment + ">",
                 st.lists(_IRI_CHARS, max_size=6), st.sampled_from(["", "#", "#a'b", "#SERVICE"]))
numbers = st.sampled_from(["1", "0.5", ".5", "1e3", "1.E-2", "+7", "-3", "12.0"])
comments = st.lists(st.sampled_from(["a", " ", "SERVICE <http://x/> { ?s ?p ?o }", "'", '"""', "<", "{", "\\"]),
                    max_size=5).map(lambda parts: "#" + "".join(parts) + "\n")
separators = st.one_of(st.sampled_from([" ", "\n", "\t", "\r\n", "  "]), comments)
expression_terms = st.one_of(prefixed_names(), strings(), iris, numbers, st.just("?o"))
terms = st.one_of(expression_terms, st.sampled_from(["$o", "_:b§", "[]", "()"]))  # § as below: one group per label


@st.composite
def patterns(draw) -> tuple[str, list[int]]:
    """One pattern element and the offsets of the keywords in it."""
    sep = draw(separators)
    kind = draw(st.sampled_from(["triple", "a", "filter", "compare", "bind", "optional"]))
    if kind == "triple":
        return f"{draw(prefixed_names())}{sep}ex:p{sep}{draw(terms)}{sep}.", []
    if kind == "a":
        text = f"?s{sep}"
        return f"{text}a{sep}{draw(prefixed_names())}{sep}.", [len(text)]
    if kind == "filter":  # a comparison without spaces: "<" compares here, it does not open an IRI
        op = draw(st.sampled_from(["<", "<=", ">", "!=", "="]))
        return f"FILTER(?a{op}?b||{draw(strings())}<{draw(strings())})", [0]
    if kind == "compare":
        return f"FILTER((1){draw(st.sampled_from(['<', '<=']))}2)", [0]
    if kind == "bind":
        prefix = f"BIND({draw(expression_terms)}{sep}"
        return f"{prefix}AS{sep}?v§)", [0, len(prefix)]  # § becomes the element's number: one BIND per variable
    inner = f"OPTIONAL{sep}{{{sep}?s{sep}{draw(iris)}{sep}{draw(terms)}{sep}}}"
    return inner, [0]


@st.composite
def queries(draw, with_service: bool) -> tuple[str, list[int]]:
    """A whole query and the offsets of its keywords; with a SERVICE clause in some spelling if asked."""
    text, keywords = PROLOGUE, [0, PROLOGUE.index("PREFIX", 1)]
    keywords.append(len(text))
    text += "SELECT * "
    keywords.append(len(text))
    text += "WHERE {\n"
    elements = draw(st.lists(patterns(), min_size=1, max_size=4))
    position = draw(st.integers(0, len(elements)))
    for index in range(len(elements) + 1):
        if with_service and index == position:
            spelling = draw(st.sampled_from(["SERVICE", "service", "Service", "sErViCe"]))
            silent = draw(st.sampled_from(["", "SILENT ", "silent "]))
            target = draw(st.sampled_from(["<http://127.0.0.1:9/sparql>", "?endpoint"]))
            keywords.append(len(text))
            if silent:
                keywords.append(len(text) + len(spelling) + 1)
            text += f"{spelling} {silent}{target} {{ ?s ?p ?o }}{draw(separators)}"
        if index < len(elements):
            element, offsets = elements[index]
            keywords += [len(text) + offset for offset in offsets]
            text += element.replace("§", str(index)) + draw(separators)
    return text + "}", keywords


def _words(text: str) -> list[int]:
    return [t.start for t in tokens(text) if t.kind == "word"]


def _spoil(text: str, at: int) -> str:
    return text[:at] + "Q" + text[at + 1:]


# --- The differential tests ---------------------------------------------------------------------------------------

@given(queries(with_service=False), st.data())
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_keywords_are_where_oxigraph_reads_them(query, data):
    text, keywords = query
    assert oxigraph_accepts(text), text
    assert _words(text) == keywords, text
    assert not {"service", "load"} & {t.text.lower() for t in tokens(text) if t.kind == "word"}
    at = data.draw(st.sampled_from(keywords))
    assert not oxigraph_accepts(_spoil(text, at)), f"oxigraph does not read a keyword at {at}: {text}"
    hidden = [i for i in range(len(text)) if text.startswith(("SERVICE", "service"), i) and i not in keywords]
    for i in hidden:  # inside a string, IRI, prefixed name or comment: the same letters mean nothing
        assert oxigraph_accepts(_spoil(text, i)), text


@given(queries(with_service=True))
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_whenever_oxigraph_accepts_a_service_clause_the_guard_refuses_it(query):
    text, keywords = query
    assert oxigraph_accepts(text), text
    assert _words(text) == keywords, text
    with pytest.raises(HttpError) as refused:
        check_query(text, 100_000)
    assert refused.value.status == 400 and "SERVICE" in refused.value.message


@pytest.mark.parametrize("spelling", ["SERVICE", "service", "SeRvIcE", r"\u0053ERVICE", r"SERV\u0049CE",
                                      r"\U00000053ERVICE", "ſERVICE", "SERVİCE"])
@pytest.mark.parametrize("before", ["", r"ex:a\' ex:b ex:c . ", "FILTER(1<2)", "FILTER(?a<?b)", "?s ?p '''a\\''' . ",
                                    '?s ?p "\\"" . ', "# x\n"])
def test_service_in_every_spelling_is_refused_whether_or_not_oxigraph_reads_it(spelling, before):
    text = f"{PROLOGUE}SELECT * WHERE {{ {before}{spelling} <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(HttpError) as refused:
        check_query(text, 100_000)
    assert refused.value.status == 400
    if oxigraph_accepts(text):
        assert "SERVICE" in refused.value.message


def test_oxigraph_reads_code_point_escapes_in_strings_and_iris_only():
    """What the reader assumes: no escape processing before parsing, as SPARQL 1.1 section 19.2 would have it."""
    assert oxigraph_accepts(r'SELECT * WHERE { ?s ?p "\u0022" }')  # an escaped quote does not end the string
    assert oxigraph_accepts(r"SELECT * WHERE { ?s ?p <http://x/\u0041> }")
    assert not oxigraph_accepts(r"SELECT * WHERE { \u0053ERVICE <http://x/> { } }")
    assert not oxigraph_accepts(r"S\u0045LECT * WHERE { }")
    assert not oxigraph_accepts(r"PREFIX ex: <http://x/> SELECT * WHERE { ex:a\u0041 ?p ?o }")
    assert [t.kind for t in tokens(r'"\u0022" <http://x/\u0041>')] == ["string", "iri"]
    assert decode_escapes(r"\u0053ERVICE") == "SERVICE"


# --- The bypass of issue 10, and the reader's terminals --------------------------------------------------------

BYPASS = PROLOGUE + "SELECT * WHERE { ex:a\\' ex:b ex:c . SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def test_the_escaped_quote_bypass_is_refused():
    assert oxigraph_accepts(BYPASS)
    assert [t.text for t in tokens(BYPASS) if t.kind == "pname"][-3:] == ["ex:a\\'", "ex:b", "ex:c"]
    with pytest.raises(HttpError) as refused:
        check_query(BYPASS, 100_000)
    assert refused.value.status == 400 and "SERVICE" in refused.value.message


GLUED = [  # Oxigraph's keywords need no boundary, and its local names allow one run of dots
    "SELECT * WHERE {{ SERVICESILENT {h} {{ }} }}", "SELECT * WHERE {{ ?s ?p trueSERVICE {h} {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ex:a.b.SERVICE {h} {{ }} }}", "SELECT * WHERE {{ ?s ?p 1.SERVICE {h} {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o.SERVICE {h} {{ }} }}", "SELECT * WHERE {{ SERVICEex:x {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTERex:f(?a<?b)SERVICE#>\n{h} {{ }} }}", "SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n{h} {{ }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(?a<?b)SERVICE#>\n{h} {{ }} }}",
]


@pytest.mark.parametrize("template", GLUED)
def test_glued_and_hidden_service_clauses_that_oxigraph_reads_are_refused(template):
    text = PROLOGUE.replace("ex: <http://example.org/>", "ex: <http://127.0.0.1:9/>") + template.format(
        h="<http://127.0.0.1:9/sparql>")
    with pytest.raises(HttpError) as refused:
        check_query(text, 100_000)
    assert refused.value.status == 400
    assert "SERVICE" in refused.value.message or "'<'" in refused.value.message


def test_what_the_glued_cases_rely_on_is_what_oxigraph_does():
    assert all(oxigraph_accepts(PROLOGUE + t.format(h="<http://x/>")) for t in GLUED if "FILTERex" not in t)
    assert not oxigraph_accepts(PROLOGUE + "SELECT * WHERE { ex:a.b.c ex:p ?o }")  # one run of dots only
    assert oxigraph_accepts(PROLOGUE + "SELECT * WHERE { ex:a..b ex:p ?o }")


def test_a_comparison_without_spaces_does_not_hide_a_service_clause():
    text = PROLOGUE + "SELECT * WHERE { FILTER(1<2)SERVICE#>\n<http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert oxigraph_accepts(text)
    assert "SERVICE" in [t.text for t in tokens(text)]
    assert inspect_query(text).service


@pytest.mark.parametrize("text, expected", [
    ("ex:a.b. ex:c:d ex:%41%42 ex:\\~x : ex:a.b.c", [
        ("pname", "ex:a.b"), ("punct", "."), ("pname", "ex:c:d"), ("pname", "ex:%41%42"), ("pname", "ex:\\~x"),
        ("pname", ":"), ("pname", "ex:a.b"), ("punct", "."), ("word", "c")]),
    ("'''a''b'''\"\"\"c\"\"d\"\"\"'e\\'f'\"g\\\"h\"", [("string", "'''a''b'''"), ("string", '"""c""d"""'),
                                                    ("string", "'e\\'f'"), ("string", '"g\\"h"')]),
    ('"a"@en-GB "1"^^xsd:int', [("string", '"a"'), ("langtag", "@en-GB"), ("string", '"1"'), ("punct", "^^"),
                                ("pname", "xsd:int")]),
    ("1 1.5 .5 1e3 1.E-2 1.", [("number", "1"), ("number", "1.5"), ("number", ".5"), ("number", "1e3"),
                               ("number", "1.E-2"), ("number", "1.")]),  # "1." is a decimal to Oxigraph
    ("?a $b _:c.d [] ( )", [("var", "?a"), ("var", "$b"), ("bnode", "_:c.d"), ("punct", "["), ("punct", "]"),
                            ("punct", "("), ("punct", ")")]),
    ("?s<http://x/a>?o . FILTER(?a<=?b&&?c!=1)", [
        ("var", "?s"), ("iri", "<http://x/a>"), ("var", "?o"), ("punct", "."), ("word", "FILTER"), ("punct", "("),
        ("var", "?a"), ("punct", "<="), ("var", "?b"), ("punct", "&&"), ("var", "?c"), ("punct", "!="),
        ("number", "1"), ("punct", ")")]),
    ("SELECT (?a<?b AS ?c) WHERE { ?s ?p (<http://x/> ?o) }", [
        ("word", "SELECT"), ("punct", "("), ("var", "?a"), ("punct", "<"), ("var", "?b"), ("word", "AS"),
        ("var", "?c"), ("punct", ")"), ("word", "WHERE"), ("punct", "{"), ("var", "?s"), ("var", "?p"),
        ("punct", "("), ("iri", "<http://x/>"), ("var", "?o"), ("punct", ")"), ("punct", "}")]),
    ("\\u0053ERVICE", [("other", "\\"), ("word", "u0053ERVICE")]),
])
def test_terminals(text, expected):
    assert [(t.kind, t.text) for t in tokens(text)] == expected


def test_comments_are_kept_only_when_asked():
    text = "SELECT * # a comment { SERVICE\nWHERE {}"
    assert [t.text for t in tokens(text)] == ["SELECT", "*", "WHERE", "{", "}"]
    assert "# a comment { SERVICE" in [t.text for t in tokens(text, keep_comments=True)]


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_the_reader_covers_every_character_of_any_text(text):
    """Every character is white space, a comment or inside exactly one token: nothing is skipped or read twice."""
    covered = 0
    for token in tokens(text, keep_comments=True):
        assert text[covered:token.start].strip(" \t\r\n") == ""
        assert token.end > token.start
        covered = token.end
    assert text[covered:].strip(" \t\r\n") == ""
