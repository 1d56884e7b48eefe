"""The scale benchmark's synthetic data (benchmarks/synthetic.py) is valid data of the project's shape:
it validates (shapes and provenance), is labelled synthetic, and the named queries answer it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from lscp_kg.store import load_knowledge_graph
from lscp_kg.validation import validate_graph

_spec = importlib.util.spec_from_file_location(
    "benchmark_synthetic", Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
sys.modules["benchmark_synthetic"] = synthetic
_spec.loader.exec_module(synthetic)

YEARS = 6


@pytest.fixture(scope="module")
def synthetic_kg(tmp_path_factory):
    made = synthetic.generate(2, YEARS, tmp_path_factory.mktemp("synthetic"), first_year=2016)
    return load_knowledge_graph([made.folder])


def test_generation_is_deterministic(tmp_path):
    first = synthetic.generate(1, 4, tmp_path / "a").files[0].read_text()
    second = synthetic.generate(1, 4, tmp_path / "b").files[0].read_text()
    assert first == second


def test_synthetic_data_validates_with_verified_provenance(synthetic_kg):
    report = validate_graph(synthetic_kg)
    assert report.ok, report.as_text()


def test_everything_synthetic_is_labelled_and_namespaced(synthetic_kg):
    rows = synthetic_kg.query("""SELECT DISTINCT ?s ?label WHERE { GRAPH ?g { ?s rdfs:label ?label }
        FILTER(STRSTARTS(STR(?g), STR(<id/synthetic->))) }""")
    rows = [(r["s"].value, r["label"].value) for r in rows]
    assert len(rows) > 200
    outside = [s for s, _ in rows if "/id/synthetic-" not in s and not s.startswith("http://www.legislation.gov.uk/")]
    assert not outside
    unlabelled = [label for s, label in rows if "synthetic" not in label.lower() and "/source/" not in s]
    assert not unlabelled
    quotes = synthetic_kg.query("SELECT ?q WHERE { GRAPH ?g { ?g prov:value ?q } FILTER(CONTAINS(STR(?g), 'synthetic')) }")
    assert all(r["q"].value.startswith(synthetic.MARK) for r in quotes)


def test_each_post_has_one_current_holder_and_consecutive_holdings(synthetic_kg):
    rows = synthetic_kg.query("""SELECT ?post ?start ?end ?status WHERE {
        ?h a lscp:PostHolding ; lscp:heldPost ?post ; schema:startDate ?start ; lscp:holdingStatus ?status
        OPTIONAL { ?h schema:endDate ?end } FILTER(CONTAINS(STR(?post), 'synthetic')) } ORDER BY ?post ?start""")
    by_post: dict[str, list] = {}
    for r in rows:
        by_post.setdefault(r["post"].value, []).append((r["start"].value, r["end"] and r["end"].value, r["status"].value))
    assert len(by_post) > 60
    changed = 0
    for post, holdings in by_post.items():
        current = [h for h in holdings if h[2].endswith("CurrentHolding")]
        assert len(current) == 1 and current[0] == holdings[-1] and current[0][1] is None, post
        for (start, end, _), (next_start, _, _) in zip(holdings, holdings[1:]):
            assert start < end < next_start, post
        changed += len(holdings) > 1
    assert changed > len(by_post) // 2, "most posts change hands over the years"
    holders = synthetic_kg.query("""SELECT ?p (COUNT(DISTINCT ?post) AS ?n) WHERE { ?h lscp:holder ?p ; lscp:heldPost ?post }
        GROUP BY ?p HAVING (COUNT(DISTINCT ?post) > 1)""")
    assert len(list(holders)) > 0, "some people move between posts"


@pytest.mark.parametrize("name", ["accountability-chain", "statutory-partners", "delegated-officers", "lead-representatives",
                                  "members-of-body", "reporting-lines", "report-path", "reports", "priorities",
                                  "chair-of-partnership", "person", "changes-over-time", "source-issues"])
def test_named_queries_answer_for_a_synthetic_partnership(synthetic_kg, named_queries, name):
    query = named_queries[name]
    params = synthetic.sample_parameters(2)[name]
    result = synthetic_kg.query(query.sparql, substitutions=query.bind(params, synthetic_kg.base_iri))
    rows = list(result)
    assert rows
    # The answer is about partnership 2 and comes from its passages.
    assert all("/id/synthetic-2/passage/" in r["passage"].value for r in rows)


def test_members_of_the_partnership_group_are_21_table_seats_and_subgroup_chairs(synthetic_kg, named_queries):
    query = named_queries["members-of-body"]
    rows = synthetic_kg.query(query.sparql, substitutions=query.bind(synthetic.sample_parameters(1)["members-of-body"],
                                                                     synthetic_kg.base_iri))
    seats = {r["seat"].value for r in rows}
    assert len([s for s in seats if "/seat/group-" in s and "subgroup" not in s]) == 21
    assert len([s for s in seats if "subgroup" in s]) == len(synthetic.SUBGROUPS)
