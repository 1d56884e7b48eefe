"""Fragments of SPARQL that scrutiny rules share, written once.

A rule writes ``{{name ?arg ...}}`` where the fragment goes; the rule loader
(:func:`lscp_kg.scrutiny.parse_rule_file`) replaces it with the fragment's
text from ``queries/scrutiny/_fragments.rq``, each parameter ``?{param}`` in
that text becoming the variable given (``?{param}Start`` becomes
``?organisationStart`` for ``?organisation``). Fragments may use other
fragments. Only variables are passed, so no value is ever written into a
query: parameters such as ``?asof`` are still bound with ``substitutions``.

In the fragments file, a line ``#= name ?param ...`` starts a fragment; lines
starting with ``#`` are comments (what the fragment means, for people); the
other lines, up to the next ``#=``, are its text.

>>> fragments = parse_fragments('''
... #= started ?date
... # Begun by the as-of date.
... (SUBSTR(STR(?asof), 1, STRLEN(STR(?{date}))) >= STR(?{date}))
... #= exists ?thing
... OPTIONAL { ?{thing} schema:startDate ?{thing}Start } FILTER ({{started ?{thing}Start}})
... ''')
>>> expand("SELECT ?asof ?x WHERE { ?x a ?t . {{exists ?x}} }", fragments)
'SELECT ?asof ?x WHERE { ?x a ?t . OPTIONAL { ?x schema:startDate ?xStart } FILTER ((SUBSTR(STR(?asof), 1, STRLEN(STR(?xStart))) >= STR(?xStart))) }'
>>> expand("{{exists}}", fragments)
Traceback (most recent call last):
...
lscp_kg.scrutiny_fragments.FragmentError: line 1: {{exists}} needs 1 variable (?thing), not 0
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .query_files import QUERIES_DIR, QueryFileError

FRAGMENTS_FILE = QUERIES_DIR / "scrutiny" / "_fragments.rq"
#: ``{{name ?a ?b}}``: a fragment name (lower case, hyphens), then variables. A SPARQL group such as
#: ``{{ ?s ?p ?o }}`` never matches: a fragment's name comes first.
_USE = re.compile(r"\{\{\s*([a-z][a-z0-9-]*)((?:\s+\?[A-Za-z_]\w*)*)\s*\}\}")
_DEFINITION = re.compile(r"^#=\s*([a-z][a-z0-9-]*)((?:\s+\?[A-Za-z_]\w*)*)\s*$")
_PLACEHOLDER = re.compile(r"\?\{([A-Za-z_]\w*)\}")
_DEPTH = 8


class FragmentError(QueryFileError):
    """A fragment used wrongly (unknown name, wrong number of variables) or defined wrongly."""


@dataclass(frozen=True)
class Fragment:
    name: str
    params: tuple[str, ...]
    text: str

    def fill(self, args: list[str]) -> str:
        """The text with each ``?{param}`` replaced by the variable passed for it."""
        names = dict(zip(self.params, args))

        def variable(match: re.Match) -> str:
            if match.group(1) not in names:
                raise FragmentError(f"fragment {self.name!r} uses ?{{{match.group(1)}}}, which is not one of its parameters")
            return "?" + names[match.group(1)]

        return _PLACEHOLDER.sub(variable, self.text)


def parse_fragments(text: str, source: str = "fragments") -> dict[str, Fragment]:
    """Every fragment of a fragments file, by name."""
    found: dict[str, Fragment] = {}
    name, params, body = None, (), []

    def close():
        if name is not None:
            found[name] = Fragment(name, params, "\n".join(body).strip())

    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#="):
            close()
            match = _DEFINITION.match(line)
            if not match:
                raise FragmentError(f"{source}:{number}: write a fragment's first line as '#= name ?param ...'")
            name, params, body = match.group(1), tuple(v.lstrip("?") for v in match.group(2).split()), []
            if name in found:
                raise FragmentError(f"{source}:{number}: fragment {name!r} is defined twice")
        elif name is not None and not line.lstrip().startswith("#"):
            body.append(line)
    close()
    return found


@functools.lru_cache(maxsize=2)
def _fragments_of(path: Path, _mtime: int) -> dict[str, Fragment]:
    return parse_fragments(path.read_text(encoding="utf-8"), str(path))


def load_fragments(path: Path = FRAGMENTS_FILE) -> dict[str, Fragment]:
    """The shipped fragments (read again when the file changes)."""
    return _fragments_of(path, path.stat().st_mtime_ns)


def expand(sparql: str, fragments: dict[str, Fragment]) -> str:
    """The query with every ``{{name ?var ...}}`` replaced by its fragment (fragments inside too)."""

    def one(match: re.Match) -> str:
        name, args = match.group(1), [v.lstrip("?") for v in match.group(2).split()]
        line = sparql.count("\n", 0, match.start()) + 1
        fragment = fragments.get(name)
        if fragment is None:
            raise FragmentError(f"line {line}: no fragment {{{{{name}}}}}; known: {', '.join(sorted(fragments))}")
        if len(args) != len(fragment.params):
            wanted = " ".join("?" + p for p in fragment.params)
            raise FragmentError(f"line {line}: {{{{{name}}}}} needs {len(fragment.params)} variable"
                                f"{'s' if len(fragment.params) != 1 else ''} ({wanted}), not {len(args)}")
        return fragment.fill(args)

    for _ in range(_DEPTH):
        expanded = _USE.sub(one, sparql)
        if expanded == sparql:
            return expanded
        sparql = expanded
    raise FragmentError(f"fragments nested more than {_DEPTH} deep (does one include itself?)")
