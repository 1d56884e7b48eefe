"""IRIs and literals of the authoring format: how a written value becomes an RDF term, and back.

A reference is written as one of:

* a bare name (``ceri-jacob``): in the namespace of the kind the field points to,
  e.g. ``person`` -> ``id/person/ceri-jacob``;
* a path with a slash, relative to ``id/`` (``org/ofsted``, ``lewisham/post/chair``);
* a prefixed name with a known prefix (``lscp:ChairRole``, ``freq:monthly``);
* an Act's legislation.gov.uk path (``ukpga/2004/31``), or a full IRI.

>>> ns = Namespaces("https://x.org/", "wexcombe")
>>> ns.resolve("ceri-jacob", "person").value
'https://x.org/id/person/ceri-jacob'
>>> ns.resolve("chair", "post").value
'https://x.org/id/wexcombe/post/chair'
>>> ns.shorten(ox.NamedNode("https://x.org/id/org/ofsted"), "post")
'org/ofsted'
>>> str(ns.literal("2022", "date"))
'"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>'
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..namespaces import PREFIXES, curie

XSD = PREFIXES["xsd"]
LEGISLATION = "http://www.legislation.gov.uk/id/"
#: Shared across partnerships ({p} is the partnership's own name).
SHARED = {"partnership": "id/partnership/", "org": "id/org/", "person": "id/person/", "area": "id/area/",
          "doc": "id/doc/", "source": "id/source/", "citation": "id/citation/", "frequency": "id/frequency/"}
#: Per partnership.
LOCAL = {"passage": "id/{p}/passage/", "post": "id/{p}/post/", "seat": "id/{p}/seat/", "body": "id/{p}/body/",
         "responsibility": "id/{p}/responsibility/", "aim": "id/{p}/aim/", "concept": "id/{p}/concept/",
         "our-doc": "id/{p}/doc/", "issue": "id/{p}/issue/", "local": "id/{p}/"}
#: Terms of the ontology: ``police`` in a sector field is ``lscp:sector-police``.
VOCABULARY = {"sector": PREFIXES["lscp"] + "sector-", "function": PREFIXES["lscp"] + "function-",
              "lscp": PREFIXES["lscp"], "freq": PREFIXES["freq"]}
#: legislation.gov.uk paths: ukpga/2004/31, uksi/2018/789, ukpga/2004/31/section/16B.
LEGISLATION_PATH = re.compile(r"^(ukpga|uksi|asp|asc|anaw|nia|wsi|ssi|nisr|ukla)/\d{4}/[\w/-]+$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
#: An entity's name: lower-case words joined by hyphens (docs/adding-a-partnership.md, section 3). Passages,
#: citations and source documents keep NAME (``L15b``, ``children-act-2004-s16B``): nothing links to them by hand.
ENTITY_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LOOSE_NAMES = ("passage", "citation", "source")
CURIE = re.compile(r"^([A-Za-z][\w-]*):([^/\s]*)$")
DATE_FORMS = ((re.compile(r"^\d{4}$"), "gYear"), (re.compile(r"^\d{4}-\d{2}$"), "gYearMonth"),
              (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date"))


class TermError(ValueError):
    """A value that cannot be read as the term its field expects (the message says what to write)."""


def name_for(text: str) -> str:
    """The name a text would have under the naming rule: lower case, words joined by hyphens.

    >>> name_for("Bad_Name"), name_for("Ofsted (2019)")
    ('bad-name', 'ofsted-2019')
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "name"


def _check_name(name: str, loose: bool, written: str) -> None:
    """Refuse a name that breaks the IRI rules, saying what to write instead."""
    if (NAME if loose else ENTITY_NAME).match(name):
        return
    where = f" in {written!r}" if name != written else ""
    if loose:
        raise TermError(f"{name!r}{where} is not a name: use letters, digits and hyphens (e.g. 'L15b')")
    raise TermError(f"{name!r}{where} is not a name: names are lower-case letters and digits joined by hyphens "
                    f"(write {name_for(name)!r})")


class Namespaces:
    """Resolves written names against a base IRI and a partnership name."""

    def __init__(self, base_iri: str, partnership: str):
        self.base, self.partnership = base_iri, partnership

    def namespace(self, key: str) -> str:
        if key == "legislation":
            return LEGISLATION
        if key in VOCABULARY:
            return VOCABULARY[key]
        path = SHARED.get(key) or LOCAL[key].format(p=self.partnership)
        return self.base + path

    def resolve(self, written: str, key: str) -> ox.NamedNode:
        written = str(written).strip()
        if "://" in written:
            return ox.NamedNode(written)
        curie = CURIE.match(written)
        if curie and curie.group(1) in PREFIXES:
            return ox.NamedNode(PREFIXES[curie.group(1)] + curie.group(2))
        if curie:
            raise TermError(f"unknown prefix {curie.group(1)!r} in {written!r}; known prefixes: {', '.join(PREFIXES)}")
        if "/" in written:
            if LEGISLATION_PATH.match(written):
                return ox.NamedNode(LEGISLATION + written)
            segments = written.strip("/").split("/")
            for before, segment in zip(["", *segments], segments):
                _check_name(segment, before in LOOSE_NAMES, written)
            return ox.NamedNode(self.base + "id/" + "/".join(segments))
        _check_name(written, key in LOOSE_NAMES, written)
        return ox.NamedNode(self.namespace(key) + written)

    def shorten(self, node: ox.NamedNode, key: str) -> str:
        """The shortest written form that resolves back to ``node``."""
        iri = node.value
        namespace = self.namespace(key)
        if iri.startswith(LEGISLATION) and LEGISLATION_PATH.match(iri[len(LEGISLATION):]):
            return iri[len(LEGISLATION):]
        if iri.startswith(namespace) and NAME.match(iri[len(namespace):]):
            return iri[len(namespace):]
        if iri.startswith(self.base + "id/"):
            rest = iri[len(self.base) + 3:]
            if rest and all(NAME.match(part) for part in rest.split("/")) and "/" in rest:
                return rest
        return curie(iri)

    def literal(self, value, kind: str) -> ox.Literal:
        """A literal of a field's value kind: text, date, integer, number or boolean."""
        if kind == "text":
            if not isinstance(value, str):
                raise TermError(f"expected a text, got {value!r}; put it in double quotes")
            return ox.Literal(value)
        if kind == "date":
            text = str(value)
            for pattern, datatype in DATE_FORMS:
                if pattern.match(text):
                    return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))
            raise TermError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        if kind == "boolean":
            if not isinstance(value, bool):
                raise TermError(f"expected true or false, got {value!r}")
            return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
        if kind in ("integer", "number"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TermError(f"expected a number, got {value!r}")
            if isinstance(value, int):
                return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
            return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "decimal"))
        raise TermError(f"unknown value kind {kind!r}")


def _date_reader(datatype: str):
    pattern = next(p for p, d in DATE_FORMS if d == datatype)
    return lambda value: (int(value) if datatype == "gYear" else value) if pattern.match(value) else None


def _integer(value: str) -> int | None:
    return int(value) if re.fullmatch(r"-?[1-9]\d*|0", value) else None


#: (field value kind, XSD datatype) -> the written form of a literal's lexical value, or None when
#: ``Namespaces.literal`` would not write it so (a date of the wrong shape, an integer with a leading zero).
_WRITTEN_FORMS = {
    ("text", "string"): lambda value: value,
    **{("date", datatype): _date_reader(datatype) for _, datatype in DATE_FORMS},
    ("boolean", "boolean"): lambda value: value == "true" if value in ("true", "false") else None,
    ("integer", "integer"): _integer,
    ("number", "integer"): _integer,
}


def literal_value(literal: ox.Literal, kind: str):
    """The written form of a literal, if ``literal(written, kind)`` gives it back exactly; else None.

    >>> literal_value(ox.Literal("2022", datatype=ox.NamedNode(XSD + "gYear")), "date")
    2022
    >>> literal_value(ox.Literal("07", datatype=ox.NamedNode(XSD + "integer")), "integer") is None
    True
    """
    datatype = literal.datatype.value[len(XSD):] if literal.datatype.value.startswith(XSD) else None
    written = None if literal.language else _WRITTEN_FORMS.get((kind, datatype))
    return written(literal.value) if written else None
