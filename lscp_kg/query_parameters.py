"""A named query's parameters: their types, and a raw value turned into an RDF term.

A value comes from a form, a URL or JSON as text (or a boolean); each type has
one converter that checks it and builds the pyoxigraph term, or raises
:class:`ParameterError` naming the parameter. The header that declares the
parameters is described in :mod:`lscp_kg.named_queries`.

>>> Parameter("n", "integer").to_term(" 42 ", "http://x/")
<Literal value=42 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
>>> Parameter("n", "integer").to_term("forty-two", "http://x/")
Traceback (most recent call last):
lscp_kg.query_parameters.ParameterError: parameter 'n': expected a whole number
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any, Callable

import pyoxigraph as ox

PARAMETER_TYPES = ("iri", "date", "string", "integer", "boolean")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LONGEST_STRING = 10_000


class ParameterError(ValueError):
    """A parameter value of the wrong kind; names the parameter. ``suggestions`` are entities
    (``{"iri", "label", "kind"}``) the value may have meant; ``ambiguous`` when a name matched several."""

    def __init__(self, parameter: str, message: str, suggestions: tuple = (), ambiguous: bool = False):
        self.parameter, self.detail, self.suggestions, self.ambiguous = parameter, message, tuple(suggestions), ambiguous
        super().__init__(f"parameter {parameter!r}: {message}")


def _iri(name: str, text: str, base_iri: str) -> ox.NamedNode:
    """An absolute IRI as it is; anything else relative to the base."""
    if not text or _IRI_FORBIDDEN.search(text):
        raise ParameterError(name, "expected an IRI (no spaces, quotes or angle brackets)")
    iri = text if _ABSOLUTE_IRI.match(text) else base_iri + text.lstrip("/")
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise ParameterError(name, f"expected an IRI: {error}") from None


def _date(name: str, text: str, _base_iri: str) -> ox.Literal:
    try:
        return ox.Literal(_dt.date.fromisoformat(text).isoformat(), datatype=ox.NamedNode(_XSD + "date"))
    except ValueError:
        raise ParameterError(name, "expected a date as YYYY-MM-DD") from None


def _integer(name: str, text: str, _base_iri: str) -> ox.Literal:
    if not re.fullmatch(r"[+-]?\d{1,18}", text):
        raise ParameterError(name, "expected a whole number")
    return ox.Literal(str(int(text)), datatype=ox.NamedNode(_XSD + "integer"))


def _boolean(name: str, text: str, _base_iri: str) -> ox.Literal:
    if text.lower() not in ("true", "false", "1", "0"):
        raise ParameterError(name, "expected true or false")
    return ox.Literal("true" if text.lower() in ("true", "1") else "false", datatype=ox.NamedNode(_XSD + "boolean"))


def _string(name: str, text: str, _base_iri: str) -> ox.Literal:
    if len(text) > _LONGEST_STRING:
        raise ParameterError(name, "value is too long")
    return ox.Literal(text)


#: The converter of each parameter type: (parameter name, text, base IRI) -> term.
_CONVERTERS: dict[str, Callable[[str, str, str], ox.NamedNode | ox.Literal]] = {
    "iri": _iri, "date": _date, "integer": _integer, "boolean": _boolean, "string": _string}


def _as_text(raw: Any) -> str:
    """A raw value as the text its converter reads (a JSON boolean as ``true``/``false``)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw).strip()


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
        return _CONVERTERS.get(self.type, _string)(self.name, _as_text(raw), base_iri)

    def describe(self) -> dict:
        described = {"name": self.name, "type": self.type, "description": self.description,
                     "required": self.required, "default": self.default}
        if self.type == "iri":
            described["class"] = list(self.classes)
        return described
