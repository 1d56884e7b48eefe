"""The ontology is valid and precise: it parses, every lscp: term used anywhere
is declared with a label and a comment, and every term of a reused W3C
vocabulary exists in that vocabulary (checked against rdflib's closed
namespaces, which are generated from the published vocabularies)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS

from lscp_kg.namespaces import LSCP
from lscp_kg.locations import ONTOLOGY_DIR, SHIPPED_DATA_DIR
from lscp_kg.rdf_files import ontology_files

REPO = Path(__file__).resolve().parent.parent
CHECKED = {"org": ORG, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "foaf": FOAF, "schema": SDO}
DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.SymmetricProperty, ORG.Role,
                   SKOS.Concept, SKOS.ConceptScheme, OWL.Ontology}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def _used_iris() -> set[str]:
    """Every IRI used in the ontology, shapes, data files and queries."""
    used: set[str] = set()
    for path in list(ONTOLOGY_DIR.glob("*.ttl")) + list(SHIPPED_DATA_DIR.rglob("*.trig")):
        dataset = rdflib.Dataset()
        dataset.parse(path, format="trig" if path.suffix == ".trig" else "turtle", publicID="https://lscp-kg.example.org/")
        for quad in dataset.quads((None, None, None, None)):
            used.update(str(t) for t in quad[:3] if isinstance(t, rdflib.URIRef))
    for path in (REPO / "queries").rglob("*.rq"):
        text = path.read_text(encoding="utf-8")
        prefixes = dict(re.findall(r"PREFIX\s+(\w*):\s*<([^>]+)>", text))
        body = re.sub(r'"[^"\n]*"', '""', re.sub(r"#[^\n]*", "", text))
        for prefix, local in re.findall(r"\b(\w+):([A-Za-z][\w-]*)", body):
            if prefix in prefixes:
                used.add(prefixes[prefix] + local)
    return used


def test_ontology_parses_and_declares_itself(ontology):
    assert (rdflib.URIRef("https://lscp-kg.example.org/ontology"), RDF.type, OWL.Ontology) in ontology


def test_every_lscp_term_used_is_declared_with_label_and_comment(ontology):
    declared = {str(s) for s, o in ontology.subject_objects(RDF.type) if o in DECLARING_TYPES}
    used = {iri for iri in _used_iris() if iri.startswith(LSCP)}
    assert used - declared == set(), "lscp: terms used but not declared"
    for term in declared:
        if term.startswith(LSCP):
            node = rdflib.URIRef(term)
            assert ontology.value(node, RDFS.label), f"{term} has no rdfs:label"
            kinds = set(ontology.objects(node, RDF.type))
            if kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
                assert ontology.value(node, RDFS.comment), f"{term} has no rdfs:comment"


@pytest.mark.parametrize("prefix", sorted(CHECKED))
def test_reused_vocabulary_terms_exist(prefix):
    namespace = CHECKED[prefix]
    base = str(namespace)
    misspelt, checked = [], 0
    for iri in _used_iris():
        if iri.startswith(base) and iri != base:
            checked += 1
            try:
                namespace[iri[len(base):]]
            except (AttributeError, KeyError):
                misspelt.append(iri)
    assert checked, f"no {prefix}: term found to check"
    assert not misspelt, f"not in the {prefix}: vocabulary: {sorted(misspelt)}"


def test_a_misspelt_term_would_be_caught():
    with pytest.raises(AttributeError):
        ORG["reportTo"]


def test_properties_have_declared_domains_and_ranges(ontology):
    known_external = {str(ns) for ns in CHECKED.values()} | {str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#"}
    declared = {str(s) for s, o in ontology.subject_objects(RDF.type) if o == OWL.Class}
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        for axis in (RDFS.domain, RDFS.range):
            for cls in ontology.objects(prop, axis):
                assert str(cls) in declared or any(str(cls).startswith(ns) for ns in known_external), f"{prop} {axis} {cls}"


def test_every_object_property_reads_backwards_in_plain_english(ontology):
    """Pages show the statements that refer to an entity, so every relation needs its inverse wording."""
    inverse = rdflib.URIRef(LSCP + "inverseLabel")
    missing = sorted(str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if ontology.value(p, inverse) is None)
    assert missing == []


@pytest.mark.parametrize("term", [
    "JointSafeguardingPartnership", "AdultsDuty", "PanAreaArrangement", "sitsWithin", "additionalPartner",
    "chairModel", "chairRotationPeriod", "chairRotatesAmong", "scrutinyModel", "independent", "leads", "signatory",
    "asOf", "revised", "asWritten", "eitherOf", "Alternatives", "concernsAdults", "IndependentChairModel",
    "PartnerOfficerChairModel", "RotatingChairModel", "IndependentScrutineerModel", "ScrutinyPanelModel"])
def test_the_agreed_vocabulary_for_partnership_shapes_is_declared(ontology, term):
    node = rdflib.URIRef(LSCP + term)
    assert set(ontology.objects(node, RDF.type)) & DECLARING_TYPES, term
    assert ontology.value(node, RDFS.label) and (ontology.value(node, RDFS.comment) or ontology.value(node, SKOS.definition))


def test_the_chair_and_scrutiny_models_are_skos_schemes_of_their_own(ontology):
    for scheme, members in ((LSCP + "ChairModels", {"IndependentChairModel", "PartnerOfficerChairModel", "RotatingChairModel"}),
                            (LSCP + "ScrutinyModels", {"IndependentScrutineerModel", "ScrutinyPanelModel"})):
        top = {str(c)[len(LSCP):] for c in ontology.objects(rdflib.URIRef(scheme), SKOS.hasTopConcept)}
        assert top == members
        assert all((rdflib.URIRef(LSCP + m), SKOS.inScheme, rdflib.URIRef(scheme)) in ontology for m in members)


def test_a_joint_partnership_is_a_partnership_and_a_pan_area_arrangement_is_not(ontology):
    joint, pan = rdflib.URIRef(LSCP + "JointSafeguardingPartnership"), rdflib.URIRef(LSCP + "PanAreaArrangement")
    partnership = rdflib.URIRef(LSCP + "SafeguardingPartnership")
    assert partnership in set(ontology.transitive_objects(joint, RDFS.subClassOf))
    assert partnership not in set(ontology.transitive_objects(pan, RDFS.subClassOf))
