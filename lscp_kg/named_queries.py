"""Named queries: the ``.rq`` files in ``queries/``, with typed parameters.

Each file starts with ``#+`` header lines holding YAML (in the spirit of
grlc's decorators): a title, a description, the competency questions it
answers, and its parameters. A parameter ``x`` is the SPARQL variable ``?x``;
its value is bound as an RDF term with pyoxigraph's ``substitutions``, never
pasted into the query text. pyoxigraph only substitutes variables that the
query projects, so every parameter must appear in the SELECT clause.

    #+ title: Members and chair of a body
    #+ description: Every seat on a body, with its member, post and role.
    #+ answers: [9]
    #+ params:
    #+   body: {type: iri, class: lscp:Body, default: {only: lscp:PartnershipGroup},
    #+          description: "The body (IRI, absolute or relative to the base)"}

Parameter types: ``iri`` (absolute, or relative to the graph's base IRI),
``date`` (YYYY-MM-DD), ``string``, ``integer``, ``boolean``. An ``iri``
parameter names the kinds it takes in ``class`` (one or a list, CURIEs or
IRIs; subclasses count; ``owl:Thing`` for anything): forms offer entities of
those kinds by name, and a resolver (:mod:`lscp_kg.name_resolution`) turns a
name into its IRI. A default is a value, or is resolved against the loaded
data (:func:`lscp_kg.name_resolution.resolve_defaults`): ``{only: true}`` the
only entity of the parameter's class, ``{only: CLASS}`` the only one of that
class, ``{label: "..."}`` the one entity of the class with that name; none
when the data has none or several. ``#+ home: {section, key, columns, ended}``
puts the answer on the home page (:mod:`lscp_kg.home_sections`).

>>> queries = load_named_queries()
>>> "statutory-partners" in queries
True
>>> queries["statutory-partners"].title
'The statutory safeguarding partners'
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox
import yaml

from .home_sections import HomeSection, home_section
from .sparql_terms import values_block

try:
    from lscp_kg import queries as _queries_package

    QUERIES_DIR = Path(_queries_package.__file__).resolve().parent
except ImportError:  # pragma: no cover - source tree not installed
    QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"

PARAMETER_TYPES = ("iri", "date", "string", "integer", "boolean")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class ParameterError(ValueError):
    """A parameter value of the wrong kind; names the parameter. ``suggestions`` are entities
    (``{"iri", "label", "kind"}``) the value may have meant; ``ambiguous`` when a name matched several."""

    def __init__(self, parameter: str, message: str, suggestions: tuple = (), ambiguous: bool = False):
        self.parameter, self.detail, self.suggestions, self.ambiguous = parameter, message, tuple(suggestions), ambiguous
        super().__init__(f"parameter {parameter!r}: {message}")


class QueryFileError(ValueError):
    """A query file whose header cannot be read."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "string"
    description: str = ""
    required: bool = False
    default: Any = None
    #: the kinds (class IRIs) an ``iri`` parameter takes, and a default still to be resolved against the data
    classes: tuple[str, ...] = ()
    default_rule: tuple[str, str] | None = None

    def to_term(self, raw: Any, base_iri: str) -> ox.NamedNode | ox.Literal:
        """Turn a raw value (from a form, URL or JSON) into an RDF term.

        >>> Parameter("d", "date").to_term("2024-05-01", "http://x/")
        <Literal value=2024-05-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
        >>> Parameter("b", "iri").to_term("id/a", "http://x/")
        <NamedNode value=http://x/id/a>
        """
        text = str(raw).strip() if not isinstance(raw, bool) else ("true" if raw else "false")
        if self.type == "iri":
            if not text or _IRI_FORBIDDEN.search(text):
                raise ParameterError(self.name, "expected an IRI (no spaces, quotes or angle brackets)")
            iri = text if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text) else base_iri + text.lstrip("/")
            try:
                return ox.NamedNode(iri)
            except ValueError as error:
                raise ParameterError(self.name, f"expected an IRI: {error}") from None
        if self.type == "date":
            try:
                return ox.Literal(_dt.date.fromisoformat(text).isoformat(), datatype=ox.NamedNode(_XSD + "date"))
            except ValueError:
                raise ParameterError(self.name, "expected a date as YYYY-MM-DD") from None
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", text):
                raise ParameterError(self.name, "expected a whole number")
            return ox.Literal(str(int(text)), datatype=ox.NamedNode(_XSD + "integer"))
        if self.type == "boolean":
            if text.lower() not in ("true", "false", "1", "0"):
                raise ParameterError(self.name, "expected true or false")
            return ox.Literal("true" if text.lower() in ("true", "1") else "false", datatype=ox.NamedNode(_XSD + "boolean"))
        if len(text) > 10_000:
            raise ParameterError(self.name, "value is too long")
        return ox.Literal(text)

    def describe(self) -> dict:
        described = {"name": self.name, "type": self.type, "description": self.description,
                     "required": self.required, "default": self.default}
        if self.type == "iri":
            described["class"] = list(self.classes)
        return described


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = ()
    answers: tuple[int, ...] = ()
    path: Path | None = field(default=None, compare=False)
    #: who asks it (governance-lead, scrutineer, integrator), its topic and a one-line summary, for the questions page
    audience: tuple[str, ...] = ()
    topic: str = ""
    summary: str = ""
    #: how parameters reach the engine (``#+ bind:``): pyoxigraph's ``substitutions``, or ``values-first``
    bind_style: str = "substitutions"
    #: where the home page shows its answer (``#+ home:``), or None
    home: HomeSection | None = None

    def prepare(self, raw: Mapping[str, Any], base_iri: str, resolve=None) -> tuple[str, dict]:
        """The text to run and its substitutions, bound the way this query is fastest (``#+ bind:``).

        ``substitutions`` (the default) hands the terms to pyoxigraph; ``values-first`` puts the same terms,
        written by pyoxigraph, in a ``VALUES`` block that opens the WHERE clause, which Oxigraph applies
        before the rest (it does not push a substituted variable into UNION branches or OPTIONAL parts).

        >>> q = NamedQuery("q", "Q", "", "SELECT ?x ?l WHERE { ?x rdfs:label ?l }",
        ...                (Parameter("x", "iri", classes=("http://www.w3.org/2002/07/owl#Thing",)),),
        ...                bind_style="values-first")
        >>> q.prepare({"x": "id/a"}, "http://e/")
        ('SELECT ?x ?l WHERE { VALUES (?x) { (<http://e/id/a>) } ?x rdfs:label ?l }', {})
        """
        bound = self.bind(raw, base_iri, resolve)
        if self.bind_style != "values-first" or not bound:
            return self.sparql, bound
        return values_first(self.sparql, bound), {}

    def bind(self, raw: Mapping[str, Any], base_iri: str, resolve=None) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Check and convert parameter values; unknown names are refused.

        ``resolve(parameter, text)``, when given, turns the value of an ``iri``
        parameter (an IRI or a name) into the NamedNode of an entity of its kind,
        or raises :class:`ParameterError` with suggestions.

        >>> q = load_named_queries()["members-of-body"]
        >>> q.bind({"body": "id/lewisham/body/mace"}, "http://x/")
        {<Variable value=body>: <NamedNode value=http://x/id/lewisham/body/mace>}
        """
        known = {p.name: p for p in self.parameters}
        for name in raw:
            if name not in known:
                raise ParameterError(name, f"unknown parameter; this query takes {', '.join(known) or 'none'}")
        bound = {}
        for param in self.parameters:
            value = raw.get(param.name)
            if value is None or value == "":
                value = param.default
            if value is None or value == "":
                if param.required and resolve is not None and param.type == "iri":
                    resolve(param, "")  # raises, with the entities to choose from
                if param.required:
                    raise ParameterError(param.name, "is required")
                continue
            if resolve is not None and param.type == "iri" and not isinstance(value, bool):
                bound[ox.Variable(param.name)] = resolve(param, str(value))
            else:
                bound[ox.Variable(param.name)] = param.to_term(value, base_iri)
        return bound

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "answers": list(self.answers), "parameters": [p.describe() for p in self.parameters],
                "audience": list(self.audience), "topic": self.topic, "summary": self.summary}


BIND_STYLES = ("substitutions", "values-first")


def values_first(sparql: str, bound: Mapping) -> str:
    """The query with ``bound`` terms as a ``VALUES`` block first in its outermost WHERE clause
    (written by :func:`lscp_kg.sparql_terms.values_block`)."""
    from .sparql_reader import tokens

    depth, after_where, opening = 0, False, None
    for token in tokens(sparql):
        if token.text == "{":
            if depth == 0 and (after_where or opening is None):
                opening = token
                if after_where:
                    break
            depth += 1
        elif token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.text.upper() == "WHERE":
            after_where = True
    if opening is None:
        raise ValueError("the query has no WHERE clause to put the parameters in")
    return f"{sparql[:opening.end]} {values_block(bound)}{sparql[opening.end:]}"


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its ``#+`` YAML header."""
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        raise QueryFileError(f"{path}: header is not valid YAML: {error}") from None
    if not isinstance(meta, dict) or "title" not in meta:
        raise QueryFileError(f"{path}: header needs at least '#+ title: ...'")
    params = []
    for name, spec in (meta.get("params") or {}).items():
        spec = spec or {}
        if not _NAME.match(name):
            raise QueryFileError(f"{path}: parameter name {name!r} is not a SPARQL variable name")
        if spec.get("type", "string") not in PARAMETER_TYPES:
            raise QueryFileError(f"{path}: parameter {name!r} has unknown type {spec.get('type')!r}")
        default, rule = spec.get("default"), None
        if isinstance(default, dict):
            rule, default = _default_rule(path, name, default), None
        classes = _classes(path, name, spec.get("class"))
        if spec.get("type", "string") == "iri" and not classes:
            raise QueryFileError(f"{path}: IRI parameter {name!r} needs the kind it takes, e.g. 'class: lscp:Body' "
                                 "(owl:Thing for anything)")
        params.append(Parameter(name, spec.get("type", "string"), str(spec.get("description", "")),
                                bool(spec.get("required", False)), None if default is None else str(default),
                                classes, rule))
    answers = meta.get("answers") or []
    try:
        home = home_section(path, meta.get("home"))
    except ValueError as error:
        raise QueryFileError(str(error)) from None
    if meta.get("bind", "substitutions") not in BIND_STYLES:
        raise QueryFileError(f"{path}: 'bind: {meta.get('bind')}' is not one of {', '.join(BIND_STYLES)}")
    return NamedQuery(name=path.stem, title=str(meta["title"]), description=str(meta.get("description", "")).strip(),
                      sparql=text, parameters=tuple(params), answers=tuple(int(a) for a in answers), path=path,
                      audience=tuple(str(a) for a in _as_list(meta.get("audience"))), topic=str(meta.get("topic") or ""),
                      summary=str(meta.get("summary") or "").strip(), bind_style=meta.get("bind", "substitutions"), home=home)


def _as_list(value) -> list:
    return [] if value is None else (list(value) if isinstance(value, (list, tuple)) else [value])


def _classes(path: Path, name: str, spec) -> tuple[str, ...]:
    """The ``class:`` of a parameter as absolute IRIs (CURIEs of the known prefixes expanded)."""
    from .namespaces import PREFIXES

    found = []
    for item in ([] if spec is None else spec if isinstance(spec, list) else [spec]):
        prefix, _, local = str(item).partition(":")
        if prefix in PREFIXES:
            found.append(PREFIXES[prefix] + local)
        elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", str(item)):
            found.append(str(item))
        else:
            raise QueryFileError(f"{path}: parameter {name!r} has class {item!r}: give a CURIE of a known prefix "
                                 f"({', '.join(sorted(PREFIXES))}) or an absolute IRI")
    return tuple(found)


def _default_rule(path: Path, name: str, spec: dict) -> tuple[str, str]:
    if set(spec) == {"only"}:
        only = spec["only"]
        return ("only", "" if only is True else _classes(path, name, only)[0])
    if set(spec) == {"label"} and isinstance(spec["label"], str):
        return ("label", spec["label"])
    raise QueryFileError(f"{path}: parameter {name!r} has default {spec!r}: give a value, {{only: true}}, "
                         "{only: CLASS} or {label: \"a name\"}")


def load_named_queries(directory: Path = QUERIES_DIR, kg=None) -> dict[str, NamedQuery]:
    """All named queries in a folder, by name (the file name without ``.rq``); with ``kg``, their
    defaults resolved against its data (see :func:`lscp_kg.name_resolution.resolve_defaults`)."""
    queries = {q.name: q for q in (parse_query_file(p) for p in sorted(Path(directory).glob("*.rq")))}
    if kg is not None:
        from .name_resolution import resolve_defaults

        queries = resolve_defaults(queries, kg)
    return queries
