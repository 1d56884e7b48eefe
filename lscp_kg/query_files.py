"""The query-file reader: one ``.rq`` file and its ``#+`` YAML header, checked, as a :class:`NamedQuery`.

The header's fields are described in :mod:`lscp_kg.named_queries`; each is
checked here, and a header that cannot be read raises :class:`QueryFileError`
naming the file and what to write instead.

>>> read_header("#+ title: Chairs\\n#+ answers: [1, 2]\\nSELECT * { ?s ?p ?o }")
{'title': 'Chairs', 'answers': [1, 2]}
>>> query = parse_query_file(QUERIES_DIR / "members-of-body.rq")
>>> query.parameters[0].name, query.parameters[0].default_rule
('body', ('only', 'https://lscp-kg.example.org/ontology#PartnershipGroup'))
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .home_sections import HomeSection, home_section
from .namespaces import PREFIXES
from .query_binding import BIND_STYLES, NamedQuery
from .query_parameters import PARAMETER_TYPES, Parameter

try:  # the queries folder ships as the package lscp_kg.queries
    from lscp_kg import queries as _queries_package

    QUERIES_DIR = Path(_queries_package.__file__).resolve().parent
except ImportError:  # pragma: no cover - source tree not installed
    QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ABSOLUTE_WITH_AUTHORITY = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class QueryFileError(ValueError):
    """A query file whose header cannot be read."""


def read_header(text: str) -> Any:
    """The YAML of a query file's ``#+`` lines (None when it has none); yaml.YAMLError when it is not YAML."""
    lines = (line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+"))
    return yaml.safe_load("\n".join(lines))


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its ``#+`` YAML header."""
    text = path.read_text(encoding="utf-8")
    meta = _header(path, text)
    parameters, home, bind_style = _parameters(path, meta.get("params") or {}), _home(path, meta), _bind_style(path, meta)
    return NamedQuery(name=path.stem, title=str(meta["title"]), description=str(meta.get("description", "")).strip(),
                      sparql=text, parameters=parameters, answers=tuple(int(a) for a in meta.get("answers") or []),
                      path=path, audience=tuple(str(a) for a in _as_list(meta.get("audience"))),
                      topic=str(meta.get("topic") or ""), summary=str(meta.get("summary") or "").strip(),
                      bind_style=bind_style, home=home)


def _header(path: Path, text: str) -> dict:
    """The header as a mapping with at least a title."""
    try:
        meta = read_header(text) or {}
    except yaml.YAMLError as error:
        raise QueryFileError(f"{path}: header is not valid YAML: {error}") from None
    if not isinstance(meta, dict) or "title" not in meta:
        raise QueryFileError(f"{path}: header needs at least '#+ title: ...'")
    return meta


def _parameters(path: Path, specs: dict) -> tuple[Parameter, ...]:
    return tuple(_parameter(path, name, spec or {}) for name, spec in specs.items())


def _parameter(path: Path, name: str, spec: dict) -> Parameter:
    """One ``params:`` entry: a SPARQL variable name, a known type, an ``iri``'s kinds, a value or a rule as default."""
    kind = spec.get("type", "string")
    if not _NAME.match(name):
        raise QueryFileError(f"{path}: parameter name {name!r} is not a SPARQL variable name")
    if kind not in PARAMETER_TYPES:
        raise QueryFileError(f"{path}: parameter {name!r} has unknown type {spec.get('type')!r}")
    default, rule = spec.get("default"), None
    if isinstance(default, dict):
        rule, default = _default_rule(path, name, default), None
    classes = _classes(path, name, spec.get("class"))
    if kind == "iri" and not classes:
        raise QueryFileError(f"{path}: IRI parameter {name!r} needs the kind it takes, e.g. 'class: lscp:Body' "
                             "(owl:Thing for anything)")
    return Parameter(name, kind, str(spec.get("description", "")), bool(spec.get("required", False)),
                     None if default is None else str(default), classes, rule)


def _home(path: Path, meta: dict) -> HomeSection | None:
    try:
        return home_section(path, meta.get("home"))
    except ValueError as error:
        raise QueryFileError(str(error)) from None


def _bind_style(path: Path, meta: dict) -> str:
    style = meta.get("bind", "substitutions")
    if style not in BIND_STYLES:
        raise QueryFileError(f"{path}: 'bind: {meta.get('bind')}' is not one of {', '.join(BIND_STYLES)}")
    return style


def _as_list(value) -> list:
    return [] if value is None else (list(value) if isinstance(value, (list, tuple)) else [value])


def _classes(path: Path, name: str, spec) -> tuple[str, ...]:
    """The ``class:`` of a parameter as absolute IRIs (CURIEs of the known prefixes expanded)."""
    found = []
    for item in _as_list(spec):
        prefix, _, local = str(item).partition(":")
        if prefix in PREFIXES:
            found.append(PREFIXES[prefix] + local)
        elif _ABSOLUTE_WITH_AUTHORITY.match(str(item)):
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
