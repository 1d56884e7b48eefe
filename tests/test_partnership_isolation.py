"""Partnerships side by side (issue 16): adding a partnership never changes another partnership's answers.

Real partnerships share organisations (a police force or an integrated care board serves many of them) and,
now and then, a person. The fictional partnerships of ``tests/fixtures/partnerships`` do so on purpose:
Eastmoor and Westmoor share Moorland Police, NHS Moorland Integrated Care Board and Sam Okoro; Twin Rivers
covers two areas and has an Alex Morgan who is not Westmoor's; Southvale is a joint children's and adults'
partnership inside a pan-area arrangement. For every partnership, every named query (with every parameter
value that partnership's data offers, up to a few of each kind) and the whole scrutiny report must be the
same bytes whether or not each other fixture is loaded, and must rest only on that partnership's passages.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.scrutiny import run_scrutiny
from lscp_kg.scrutiny_render import render_text
from lscp_kg.store import load_knowledge_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "partnerships"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if (p / "partnership.yaml").is_file())
LSCP = "https://lscp-kg.example.org/ontology#"
ASOF = "2026-06-01"
#: How many entities of a kind each question is asked about, per partnership (enough to meet every shape).
PER_KIND = 3

CONTEXTS = f"SELECT ?g ?p WHERE {{ ?g <{LSCP}partnershipContext> ?p }}"
PARTNERSHIPS = f"""SELECT DISTINCT ?p WHERE {{ ?g <{LSCP}partnershipContext> ?p }} ORDER BY ?p"""
CANDIDATES = f"""SELECT DISTINCT ?e ?partnership ?class WHERE {{
  GRAPH ?g {{ ?e a ?type }} ?g <{LSCP}partnershipContext> ?partnership .
  ?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class .
}} ORDER BY ?e"""
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"


def _load(names):
    return load_knowledge_graph([FIXTURES / name / "partnership.yaml" for name in names])


@pytest.fixture(scope="module")
def everything():
    return _load(FIXTURE_NAMES)


@pytest.fixture(scope="module")
def queries():
    # Loaded without a graph: only literal defaults, never a default resolved from what happens to be loaded.
    return load_named_queries()


def _partnerships(kg) -> list[str]:
    return [row["p"].value for row in kg.query(PARTNERSHIPS)]


def _candidates(kg, classes: tuple[str, ...], partnership: str) -> list[str]:
    found: list[str] = []
    for cls in classes:
        if cls == OWL_THING:
            sparql = CANDIDATES.replace("?type <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class .", "").replace(
                " ?class WHERE", " WHERE")
            subs = {ox.Variable("partnership"): ox.NamedNode(partnership)}
        else:
            sparql, subs = CANDIDATES, {ox.Variable("partnership"): ox.NamedNode(partnership),
                                        ox.Variable("class"): ox.NamedNode(cls)}
        rows = [row["e"].value for row in kg.query(sparql, substitutions=subs) if isinstance(row["e"], ox.NamedNode)]
        found += [iri for iri in rows if iri not in found][:PER_KIND]
    return found


def _calls(query, kg, partnership: str) -> list[dict]:
    """The parameter sets to ask a question with for one partnership: its partnership, and each entity of
    each other parameter's kinds that the partnership's data names (one parameter varied at a time)."""
    base = {p.name: partnership for p in query.parameters if p.name == "partnership"}
    calls = []
    for param in query.parameters:
        if param.name == "partnership" or param.type != "iri":
            continue
        for value in _candidates(kg, param.classes, partnership):
            calls.append({**base, param.name: value})
    required = [p for p in query.parameters if p.required and p.name not in base and p.type == "iri"]
    if not required:
        calls.insert(0, dict(base))
    return [c for c in calls if all(p.name in c for p in required)]


def _own_rows(answer: bytes, partnership: str, across_partnerships: bool) -> bytes:
    """A question asked across partnerships (no partnership given) that answers a ``partnership`` column:
    the rows of this partnership are its answer (the side-by-side question has one row per partnership)."""
    data = json.loads(answer) if across_partnerships else None
    if not data or "partnership" not in data.get("head", {}).get("vars", []):
        return answer
    data["results"]["bindings"] = [b for b in data["results"]["bindings"]
                                   if b.get("partnership", {}).get("value") == partnership]
    return json.dumps(data, sort_keys=True).encode()


def _answers(kg, queries, partnership: str, calls_from) -> dict:
    answers = {}
    for name, query in sorted(queries.items()):
        for call in _calls(query, calls_from, partnership):
            sparql, subs = query.prepare(call, kg.base_iri)
            result = kg.query(sparql, substitutions=subs)
            key = (name, tuple(sorted(call.items())))
            answers[key] = _own_rows(result.serialize(format=ox.QueryResultsFormat.JSON), partnership,
                                     "partnership" not in call)
    report = run_scrutiny(kg, asof=ASOF, partnership=partnership)
    answers[("scrutiny", "json")] = repr(report.to_dict()).encode()
    answers[("scrutiny", "text")] = render_text(report, verbose=True).encode()
    return answers


@pytest.mark.parametrize("added", FIXTURE_NAMES)
def test_adding_a_partnership_changes_no_other_answer(added, everything, queries):
    without = _load([n for n in FIXTURE_NAMES if n != added])
    for partnership in _partnerships(without):
        before = _answers(without, queries, partnership, without)
        after = _answers(everything, queries, partnership, without)
        changed = sorted(f"{key[0]} {dict(key[1]) if isinstance(key[1], tuple) else key[1]}"
                         for key in before if before[key] != after[key])
        assert not changed, f"adding {added} changed {partnership}'s answers: {changed[:10]}"
        assert len(before) > len(queries), "every question was asked at least once"


def test_answers_rest_only_on_the_partnerships_own_passages(everything, queries):
    """Every passage or citation an answer cites is in the asking partnership's context."""
    context = {row["g"].value: row["p"].value for row in everything.query(CONTEXTS)}
    for partnership in _partnerships(everything):
        for name, query in sorted(queries.items()):
            for call in _calls(query, everything, partnership):
                sparql, subs = query.prepare(call, everything.base_iri)
                result = everything.query(sparql, substitutions=subs)
                if isinstance(result, bool) or not hasattr(result, "variables"):
                    continue
                names = [v.value for v in result.variables]
                for row in result:
                    cited = {row[n].value for n in names if isinstance(row[n], ox.NamedNode)} & context.keys()
                    foreign = {g for g in cited if context[g] != partnership}
                    assert not foreign, f"{name} {call} for {partnership} rests on {sorted(foreign)}"


def test_the_fixtures_share_what_they_are_meant_to_share(everything):
    """The fixtures really overlap: otherwise the tests above would prove nothing."""
    shared = everything.query(f"""SELECT ?org (COUNT(DISTINCT ?p) AS ?n) WHERE {{
        GRAPH ?g {{ ?partnership <{LSCP}safeguardingPartner> ?org }} ?g <{LSCP}partnershipContext> ?p }}
        GROUP BY ?org HAVING (COUNT(DISTINCT ?p) > 1)""")
    orgs = {row["org"].value.rsplit("/", 1)[-1] for row in shared}
    assert {"moorland-police", "nhs-moorland-icb"} <= orgs
    person = everything.iri("id/person/sam-okoro")
    posts = everything.query(f"""SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ <{person}> <http://www.w3.org/ns/org#holds> ?post }}
        ?g <{LSCP}partnershipContext> ?p }}""")
    assert len(list(posts)) == 2
    namesakes = everything.query("""SELECT ?x WHERE { ?x a <http://xmlns.com/foaf/0.1/Person> ;
        <http://www.w3.org/2000/01/rdf-schema#label> "Alex Morgan" }""")
    assert len(list(namesakes)) == 2, "two people named Alex Morgan, not merged"
    southvale = everything.iri("id/partnership/southvale")
    shapes = everything.query(f"""ASK {{ <{southvale}> a <{LSCP}JointSafeguardingPartnership> ;
        <{LSCP}sitsWithin> ?parent ; <{LSCP}additionalPartner> ?education ; <{LSCP}chairRotationPeriod> ?period .
        ?parent a <{LSCP}PanAreaArrangement> . ?education <{LSCP}sector> <{LSCP}sector-education> }}""")
    assert shapes, "Southvale is a joint partnership in a pan-area arrangement with an education partner and a rotating chair"
    assert list(itertools.islice(_partnerships(everything), 1)), "the partnerships are loaded"
