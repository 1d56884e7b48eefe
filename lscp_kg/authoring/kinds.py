"""The kinds of fact an authoring file can state, and how an entry of a kind becomes triples.

Each kind (person, body, seat, ...) has a namespace for its names, the classes
its ``type`` can name, and fields; each field is one RDF property. Kinds are
data: the groups live in ``kinds_*.py`` (with the fields several kinds have, declared below),
``kind_registry.py`` collects them, and the JSON Schema is generated from them.

>>> from lscp_kg.authoring.kind_registry import KINDS
>>> kind = KINDS["person"]
>>> [f.key for f in kind.fields][:3]
['type', 'label', 'name_used']
>>> kind.field("holds").predicate
'http://www.w3.org/ns/org#holds'
>>> ns = Namespaces("https://x.org/", "wexcombe")
>>> [(p.rsplit("#", 1)[1], o.value) for p, o in KINDS["chairing-rule"].field("rotation").objects("P1Y6M", ns)]
[('chairRotationPeriod', 'P1Y6M')]
>>> [(f.key, f.doc) for f in period(end="When it ended.")]
[('start', ''), ('end', 'When it ended.')]
>>> entry = {"partnership": "wexcombe", "type": "joint-safeguarding-partnership"}
>>> sorted(t.object.value.rsplit("#", 1)[1] for t, *_ in compile_entry(entry, KINDS["partnership"], ns))
['JointSafeguardingPartnership', 'SafeguardingPartnership']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

import pyoxigraph as ox

from ..namespaces import PREFIXES
from .terms import Namespaces, TermError, literal_value

RDF_TYPE = PREFIXES["rdf"] + "type"
LSCP, ORG, DCT, RDFS, SCHEMA = (PREFIXES[k] for k in ("lscp", "org", "dcterms", "rdfs", "schema"))
FREQ = PREFIXES["freq"]
XSD_DURATION = PREFIXES["xsd"] + "duration"
#: The value kinds whose values are names (IRIs), not literals.
NAMED_VALUES = ("ref", "term", "frequency")
_N = r"\d+(?:[.,]\d+)?"  # a number of units; ISO 8601 allows a decimal fraction, with a point or a comma
#: Any ISO 8601 duration in the designator form: P2Y, P4M, P1Y6M, P6W, P10D, PT12H, P1DT12H, P0.5Y.
#: At least one component; a T only before hours, minutes or seconds.
DURATION = re.compile(rf"^P(?=\d|T\d)(?:{_N}Y)?(?:{_N}M)?(?:{_N}W)?(?:{_N}D)?(?:T(?=\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?$")
#: How the docs and the schema describe a duration (one wording, used by every field that takes one).
DURATION_WORDS = ("an ISO 8601 duration: P6W (six weeks), P4M (four months), P2Y (two years), P1Y6M, P10D, PT12H")
#: The DCMI frequency terms, as written (``three-times-a-year``) and as named in the vocabulary.
FREQUENCIES = {re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name): FREQ + name for name in (
    "annual", "semiannual", "threeTimesAYear", "bimonthly", "monthly", "semimonthly", "threeTimesAMonth",
    "biweekly", "weekly", "semiweekly", "threeTimesAWeek", "daily", "quarterly", "biennial", "triennial",
    "continuous", "irregular")}


@dataclass(frozen=True)
class Field:
    """One property of a kind. ``value``: ref, term, frequency, duration, text, date, integer, number or boolean."""

    key: str
    predicate: str
    value: str = "ref"
    target: str = "local"  # the namespace of a bare name in a ref field
    doc: str = ""
    terms: tuple[tuple[str, str], ...] = ()  # (written, IRI) for a term field
    interval: str | None = None  # frequency fields: the property of an ISO 8601 duration

    def objects(self, written, ns: Namespaces) -> list[tuple[str, ox.NamedNode | ox.Literal]]:
        """(predicate, object) pairs for one written value; raises TermError with what to write."""
        if self.value in NAMED_VALUES:
            return [self._named_object(written, ns)]
        if self.value == "duration":
            if not isinstance(written, str) or not DURATION.match(written):
                raise TermError(f"{written!r} is not a duration: write {DURATION_WORDS}")
            return [(self.predicate, _duration(written))]
        return [(self.predicate, ns.literal(written, self.value))]

    def _terms(self) -> dict[str, str]:
        """The names a term or frequency field takes, and their IRIs."""
        return FREQUENCIES if self.value == "frequency" else dict(self.terms)

    def _named_object(self, written, ns: Namespaces) -> tuple[str, ox.NamedNode | ox.Literal]:
        """A ref, term or frequency: a name of the field's terms, a reference, or a frequency's interval."""
        if not isinstance(written, str):
            raise TermError(f"expected a name, got {written!r}")
        terms = self._terms()
        if self.value == "frequency" and self.interval and DURATION.match(written):
            return self.interval, _duration(written)
        if written in terms:
            return self.predicate, ox.NamedNode(terms[written])
        if self.value != "ref" and ":" not in written and "/" not in written:
            names = ", ".join(terms) + (f", or {DURATION_WORDS}" if self.interval else "")
            raise TermError(f"{written!r} is not one of: {names}")
        return self.predicate, ns.resolve(written, self.target)

    def written(self, obj, ns: Namespaces):
        """The written form of an object of this field's predicate, or None if this field cannot say it."""
        if isinstance(obj, ox.Literal):
            return self._written_literal(obj)
        if self.value not in NAMED_VALUES or not isinstance(obj, ox.NamedNode):
            return None
        name = next((name for name, iri in self._terms().items() if iri == obj.value), None)
        if name is not None:
            return name
        short = ns.shorten(obj, self.target)
        return short if short != obj.value or "://" in short else None

    def _written_literal(self, obj: ox.Literal):
        is_duration = obj.datatype.value == XSD_DURATION and DURATION.match(obj.value)
        if is_duration and (self.interval or self.value == "duration"):
            return obj.value
        if self.value == "duration" or self.value in NAMED_VALUES:
            return None
        return literal_value(obj, self.value)


def _duration(written: str) -> ox.Literal:
    return ox.Literal(written, datatype=ox.NamedNode(XSD_DURATION))


def text(key: str, predicate: str, doc: str = "") -> Field:
    return Field(key, predicate, "text", doc=doc)


def ref(key: str, predicate: str, target: str = "local", doc: str = "") -> Field:
    return Field(key, predicate, "ref", target, doc)


def date(key: str, predicate: str, doc: str = "") -> Field:
    return Field(key, predicate, "date", doc=doc)


def term(key: str, predicate: str, terms: dict[str, str], doc: str = "", target: str = "local") -> Field:
    return Field(key, predicate, "term", target, doc, tuple(terms.items()))


def boolean(key: str, predicate: str, doc: str = "") -> Field:
    return Field(key, predicate, "boolean", doc=doc)


def duration(key: str, predicate: str, doc: str = "") -> Field:
    return Field(key, predicate, "duration", doc=(doc + " " if doc else "") + "Write " + DURATION_WORDS + ".")


COMMON_FIELDS = (
    text("label", RDFS + "label", "The name the graph shows for it (one per thing)."),
    text("name_used", LSCP + "nameUsed", "A name the source uses for it, in the source's words."),
    text("described_as", LSCP + "describedAs", "How the source describes it, when it does not name it."),
    text("description", DCT + "description", "A short description in the source's terms."),
    text("comment", RDFS + "comment", "A note about it (what the source does not say, for example)."),
    ref("references", DCT + "references", "local", "Something its wording refers to."),
    text("as_written", LSCP + "asWritten", "The source's own words for a value given here in a normalised form, "
         "e.g. 'seven' beside 7, 'November 2022' beside 2022-11, 'every two years' beside P2Y."),
    date("as_of", LSCP + "asOf", "The date the source says this statement is 'as of' ('Membership as of June 2024')."),
)


# Fields several kinds have: each property declared once here, with the kind's own words where they differ.
AIM = ref("aim", LSCP + "aim", "aim")
FUNDING = ref("funding", LSCP + "funding")
RESPONSIBILITY = ref("responsibility", LSCP + "hasResponsibility", "responsibility")
SCRUTINISED_BY = ref("scrutinised_by", LSCP + "scrutinisedBy", "post")
#: How an organisation or a service ended without a change event: by a date at the latest, its functions passed on.
WOUND_UP = (date("ceased_no_later_than", LSCP + "ceasedNoLaterThan"),
            ref("functions_transferred_to", LSCP + "functionsTransferredTo", "org"))


def area(doc: str = "") -> Field:
    """The local authority area it covers (lscp:area)."""
    return ref("area", LSCP + "area", "area", doc)


def period(start: str = "", end: str = "") -> tuple[Field, Field]:
    """When it began and ended (schema:startDate, schema:endDate), each said in the kind's words."""
    return date("start", SCHEMA + "startDate", start), date("end", SCHEMA + "endDate", end)


def replaced(target: str, doc: str) -> Field:
    """What it replaced (lscp:replaced), of any kind; a bare name is in the ``target`` namespace."""
    return ref("replaced", LSCP + "replaced", target, doc)


def meetings(doc: str) -> tuple[Field, Field]:
    """How often it meets (a DCMI frequency term, or the interval between meetings), and the source's words."""
    return (Field("meets", LSCP + "meetingFrequency", "frequency", doc=doc, interval=LSCP + "meetingInterval"),
            text("meets_as_stated", LSCP + "meetingFrequencyAsStated", "The source's words for how often it meets."))


@dataclass(eq=False)  # kinds are compared by identity (used as set members)
class Kind:
    """A kind of thing an authoring entry can describe."""

    name: str
    namespace: str  # key of terms.SHARED / terms.LOCAL / "legislation"
    classes: dict[str, str]
    fields_own: list[Field]
    doc: str
    group: str = ""
    #: Classes a class entails, stated too so that questions asking for the broader class find it
    #: (a joint children's and adults' partnership is a safeguarding partnership).
    implies: dict[str, tuple[str, ...]] = dc_field(default_factory=dict)
    fields: list[Field] = dc_field(init=False)

    def __post_init__(self):
        type_field = Field("type", RDF_TYPE, "term", "local", "What it is: " + ", ".join(self.classes) + ".",
                           tuple(self.classes.items()))
        self.fields = [type_field, *COMMON_FIELDS, *self.fields_own]

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)

    def subject(self, written: str, ns: Namespaces) -> ox.NamedNode:
        return ns.resolve(written, self.namespace)


def compile_entry(entry: dict, kind: Kind, ns: Namespaces):
    """Yield (triple or None, key, index in the key's list or None, message): the entry's triples, and a
    message for each value that fails."""
    subject = kind.subject(entry[kind.name], ns)
    for key, value in entry.items():
        if key == kind.name:
            continue
        field = kind.field(key)
        if field is None:
            yield None, key, None, f"{key!r} is not a field of {kind.name}; its fields are: {', '.join(f.key for f in kind.fields)}"
            continue
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            try:
                for predicate, obj in field.objects(item, ns):
                    yield ox.Triple(subject, ox.NamedNode(predicate), obj), key, index, None
                    for implied in kind.implies.get(obj.value, ()) if predicate == RDF_TYPE else ():
                        yield ox.Triple(subject, ox.NamedNode(RDF_TYPE), ox.NamedNode(implied)), key, index, None
            except TermError as error:
                yield None, key, index, f"{kind.name} {entry[kind.name]!r}, {key}: {error}"
