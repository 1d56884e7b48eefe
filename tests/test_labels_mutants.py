"""The one label function (lscp_kg/labels.py) on a small graph made for it: each step of the order of
preference (language, property, text), names drawn for one partnership, and relations read both ways.

Written to kill the mutants that survived the mutation run (docs/mutation-testing.md). Each test builds its
own graph, so no name is remembered from another test.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lscp_kg.labels import Labels, choose_name, is_english, labels_of, local_name, name_key, words
from lscp_kg.namespaces import LSCP, PREFIXES
from lscp_kg.store import graph_from_quads

EX = "http://example.org/"
RDFS_LABEL, SKOS, FOAF, TITLE, SCHEMA, USED = (PREFIXES[p] + n for p, n in (
    ("rdfs", "label"), ("skos", "prefLabel"), ("foaf", "name"), ("dcterms", "title"), ("schema", "name"),
    ("lscp", "nameUsed")))
CONTEXT, INVERSE_LABEL, INVERSE_OF = LSCP + "partnershipContext", LSCP + "inverseLabel", PREFIXES["owl"] + "inverseOf"


def quad(subject: str, prop: str, value, graph: str | None = None) -> ox.Quad:
    obj = value if isinstance(value, (ox.Literal, ox.NamedNode)) else ox.Literal(value)
    return ox.Quad(ox.NamedNode(EX + subject), ox.NamedNode(prop), obj,
                   ox.NamedNode(EX + graph) if graph else ox.DefaultGraph())


def labels_of_graph(*quads: ox.Quad) -> Labels:
    return Labels(graph_from_quads(quads))


@pytest.mark.parametrize("statements, name", [
    ([(RDFS_LABEL, "Alpha Group Long Name"), (SKOS, "AG")], "Alpha Group Long Name"),
    ([(SKOS, "b"), (FOAF, "a")], "b"),
    ([(FOAF, "b"), (TITLE, "a")], "b"),
    ([(TITLE, "b"), (SCHEMA, "a")], "b"),
    ([(SCHEMA, "b"), (USED, "a")], "b"),
    ([(USED, "used")], "used"),
    ([(RDFS_LABEL, "b"), (RDFS_LABEL, "a"), (RDFS_LABEL, "B")], "B"),  # code-point order
    ([(RDFS_LABEL, ox.Literal("Grŵp", language="cy")), (FOAF, ox.Literal("Group", language="en-GB"))], "Group"),
    ([(RDFS_LABEL, ox.Literal("Grŵp", language="cy")), (USED, ox.Literal("Used", language="EN"))], "Used"),
    ([(RDFS_LABEL, ox.Literal("Grŵp", language="cy")), (SKOS, ox.Literal("Gruppe", language="de"))], "Grŵp"),
    ([(RDFS_LABEL, ox.NamedNode(EX + "not-a-name")), (SKOS, "Name")], "Name"),  # only literals name
    ([(RDFS_LABEL, ox.NamedNode(EX + "not-a-name"))], None),
    ([(EX + "otherProperty", "Other")], None),
])
def test_one_entity_one_name_in_every_way_of_asking(statements, name):
    quads = [quad("e", prop, value) for prop, value in statements]
    assert labels_of_graph(*quads).label(EX + "e") == name
    assert labels_of_graph(*quads).names([EX + "e"]) == {EX + "e": name}
    assert labels_of_graph(*quads).names() == ({EX + "e": name} if name else {})
    assert choose_name([(prop, ox.Literal(v) if isinstance(v, str) else v) for prop, v in statements]) == name


@pytest.mark.parametrize("tag, english", [(None, True), ("", True), ("en", True), ("EN", True), ("en-GB", True),
                                          ("En-gb", True), ("eng", False), ("cy", False), ("fr-en", False)])
def test_is_english(tag, english):
    assert is_english(tag) is english


def test_name_key_is_language_then_property_then_text():
    assert name_key(RDFS_LABEL, ox.Literal("x")) == (False, 0, "x")
    assert name_key(USED, ox.Literal("x", language="cy")) == (True, 5, "x")
    assert name_key(EX + "p", ox.Literal("x")) == (False, 6, "x")
    assert choose_name([]) is None


def test_label_answers_none_for_no_iri_or_a_bad_one():
    labels = labels_of_graph(quad("e", RDFS_LABEL, "E"))
    assert labels.label(None) is None and labels.label("") is None and labels.label("not an iri") is None
    assert labels.label(EX + "e") == "E" and labels.label(EX + "e") == "E"  # remembered
    assert labels.label(EX + "nameless") is None


def test_label_after_a_bulk_read_gives_the_same_names():
    labels = labels_of_graph(quad("e", SKOS, "AG"), quad("e", RDFS_LABEL, "Alpha"), quad("f", USED, "F"))
    assert labels.names() == {EX + "e": "Alpha", EX + "f": "F"}
    assert [labels.label(EX + n) for n in ("e", "f", "g")] == ["Alpha", "F", None]


PARTNERSHIP_GRAPHS = (
    quad("graph-p", CONTEXT, ox.NamedNode(EX + "p")), quad("graph-q", CONTEXT, ox.NamedNode(EX + "q")),
    quad("x", RDFS_LABEL, "X of P", "graph-p"), quad("x", RDFS_LABEL, "X of Q", "graph-q"),
    quad("x", RDFS_LABEL, "X common", "common"),
    quad("y", RDFS_LABEL, "Y of Q only", "graph-q"),
    quad("z", SKOS, "Z of P", "graph-p"), quad("z", RDFS_LABEL, "Z common"),
    quad("w", RDFS_LABEL, ox.Literal("W of P", language="cy"), "graph-p"), quad("w", RDFS_LABEL, "W common"),
)
NAMES_FOR = {
    None: {"x": "X common", "y": "Y of Q only", "z": "Z common", "w": "W common"},
    "p": {"x": "X of P", "y": None, "z": "Z of P", "w": "W of P"},  # its own graphs first, whatever their rank
    "q": {"x": "X of Q", "y": "Y of Q only", "z": "Z common", "w": "W common"},
    "r": {"x": "X common", "y": None, "z": "Z common", "w": "W common"},  # common data only
}


@pytest.mark.parametrize("partnership", NAMES_FOR)
def test_a_partnership_names_from_its_own_graphs_then_the_common_data(partnership):
    scope = EX + partnership if partnership else None
    expected = {EX + k: v for k, v in NAMES_FOR[partnership].items()}
    iris = sorted(expected) + [EX + "unnamed"]
    few = labels_of_graph(*PARTNERSHIP_GRAPHS).names(iris, partnership=scope)  # a few IRIs, nothing read before
    assert few == {**expected, EX + "unnamed": None}
    labels = labels_of_graph(*PARTNERSHIP_GRAPHS)
    assert labels.names(partnership=scope) == {iri: name for iri, name in expected.items() if name}  # all at once
    assert labels.names(iris, partnership=scope) == few  # and again, from what was read
    assert labels_of(labels.kg, iris, scope) == {iri: name for iri, name in expected.items() if name}


@pytest.mark.parametrize("iri, name", [
    ("http://x/ns#heldSince", "heldSince"), ("http://x/a/b/", "b"), ("http://x/a#", "a"), ("urn", "urn"),
    ("/", "/"), ("http://x/a/b#c/d", "d"), ("http://x/ns#hasX", "hasX"),
])
def test_local_name(iri, name):
    assert local_name(iri) == name


@pytest.mark.parametrize("name, spoken", [("representedBy", "represented by"), ("hasURL", "has url"),
                                          ("a1B", "a1 b"), ("Chair", "chair"), ("x", "x")])
def test_words(name, spoken):
    assert words(name) == spoken


def test_relations_are_named_by_label_or_by_their_local_name():
    labels = labels_of_graph(quad("reportsTo", RDFS_LABEL, "is accountable to"))
    assert labels.relation(EX + "reportsTo") == "is accountable to"
    assert labels.relation(EX + "heldSince") == "held since"


def test_a_relation_read_backwards():
    labels = labels_of_graph(
        quad("reportsTo", RDFS_LABEL, "reports to"),
        quad("reportsTo", INVERSE_LABEL, ox.Literal("yn adrodd", language="cy")),
        quad("reportsTo", INVERSE_LABEL, "is reported to by"),
        quad("chairs", INVERSE_OF, ox.NamedNode(EX + "chairedBy")), quad("chairedBy", RDFS_LABEL, "chaired by"),
        quad("memberOf", RDFS_LABEL, "member of"), quad("hasMember", INVERSE_OF, ox.NamedNode(EX + "memberOf")),
        quad("advises", INVERSE_OF, ox.Literal("not a property")),
        quad("heldSince", PREFIXES["rdfs"] + "range", ox.NamedNode(EX + "Date")),  # not an inverse
        quad("form", EX + "asks", ox.NamedNode(EX + "heldSince")),  # nor this
        # English first, whatever the order of the texts and of the statements
        quad("leads", INVERSE_LABEL, ox.Literal("a arweinir gan", language="cy")),
        quad("leads", INVERSE_LABEL, "is led by"),
        quad("funds", INVERSE_LABEL, "is funded by"),
        quad("funds", INVERSE_LABEL, ox.Literal("z ariennir gan", language="cy")),
    )
    assert labels.inverse(EX + "reportsTo") == "is reported to by"  # English first
    assert labels.inverse(EX + "chairs") == "chaired by"  # its owl:inverseOf
    assert labels.inverse(EX + "chairedBy") == "chairs"  # stated the other way round
    assert labels.inverse(EX + "memberOf") == "has member"
    assert labels.inverse(EX + "advises") == "is advises of"
    assert labels.inverse(EX + "heldSince") == "is held since of"
    assert (labels.inverse(EX + "leads"), labels.inverse(EX + "funds")) == ("is led by", "is funded by")
    assert labels.inverse(EX + "chairs") == "chaired by"  # remembered
