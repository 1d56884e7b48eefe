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
    #+   body: {type: iri, default: "id/lewisham/body/partnership-group",
    #+          description: "The body (IRI, absolute or relative to the base)"}

Parameter types: ``iri`` (absolute, or relative to the graph's base IRI),
``date`` (YYYY-MM-DD), ``string``, ``integer``, ``boolean``.

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
    """A parameter value of the wrong kind; names the parameter."""

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
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
        return {"name": self.name, "type": self.type, "description": self.description,
                "required": self.required, "default": self.default}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = ()
    answers: tuple[int, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def bind(self, raw: Mapping[str, Any], base_iri: str) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Check and convert parameter values; unknown names are refused.

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
                if param.required:
                    raise ParameterError(param.name, "is required")
                continue
            bound[ox.Variable(param.name)] = param.to_term(value, base_iri)
        return bound

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "answers": list(self.answers), "parameters": [p.describe() for p in self.parameters]}


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
        default = spec.get("default")
        params.append(Parameter(name, spec.get("type", "string"), str(spec.get("description", "")),
                                bool(spec.get("required", False)), None if default is None else str(default)))
    answers = meta.get("answers") or []
    return NamedQuery(name=path.stem, title=str(meta["title"]), description=str(meta.get("description", "")).strip(),
                      sparql=text, parameters=tuple(params), answers=tuple(int(a) for a in answers), path=path)


def load_named_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """All named queries in a folder, by name (the file name without ``.rq``)."""
    return {q.name: q for q in (parse_query_file(p) for p in sorted(Path(directory).glob("*.rq")))}
