"""Competency tests: every question in tests/competency/questions.yaml is
answered by a named query, and the answer matches what the source says.

Each case also checks provenance: the rows come with passages, and at least
one passage overlaps the source lines the answer is taken from.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent / "competency"
CASES = yaml.safe_load((HERE / "questions.yaml").read_text(encoding="utf-8"))
SEATS = yaml.safe_load((HERE / "seats.yaml").read_text(encoding="utf-8"))


def _ranges(lines) -> list[tuple[int, int]]:
    out = []
    for item in lines:
        first, _, last = str(item).partition("-")
        out.append((int(first), int(last or first)))
    return out


def _passage_span(kg, passage: str) -> tuple[int, int] | None:
    rows = list(kg.query("SELECT ?passage ?s ?e WHERE { ?passage lscp:startLine ?s ; lscp:endLine ?e }",
                         substitutions={__import__("pyoxigraph").Variable("passage"): __import__("pyoxigraph").NamedNode(passage)}))
    return (int(rows[0]["s"].value), int(rows[0]["e"].value)) if rows else None


def _expand(value, base):
    return value.replace("{base}", base) if isinstance(value, str) else value


@pytest.mark.parametrize("case", CASES, ids=[f"CQ{c['id']}-{c['query']}" for c in CASES])
def test_competency_question(case, kg, run_named, named_queries):
    query = named_queries[case["query"]]
    assert case["id"] in query.answers, f"{case['query']}.rq should declare that it answers CQ{case['id']}"
    rows = run_named(case["query"], **case.get("params", {}))
    assert rows, "the query returned nothing"
    base = kg.base_iri

    if "column" in case:
        got = {r[case["column"]] for r in rows if r[case["column"]] is not None}
        if "values" in case:
            assert got == {_expand(v, base) for v in case["values"]}
        else:
            assert {_expand(v, base) for v in case["includes"]} <= got
    elif case.get("table_seats"):
        check_partnership_group_table(rows)
    else:
        cols = case["columns"]
        got = {tuple(r[c] for c in cols) for r in rows}
        if case.get("ignore_empty"):
            got = {g for g in got if any(v is not None for v in g)}
        expected = {tuple(_expand(v, base) for v in row) for row in case.get("rows", case.get("includes_rows", []))}
        if "rows" in case:
            assert got == expected
        else:
            missing = expected - got
            assert not missing, f"missing rows: {sorted(missing, key=str)}"

    # Provenance: the answer comes with passages, one of them at the cited lines.
    passages = {r["passage"] for r in rows if r.get("passage")}
    assert passages, "the answer carries no passage"
    wanted = _ranges(case["lines"])
    spans = [s for s in (_passage_span(kg, p) for p in passages) if s]
    assert any(s <= hi and lo <= e for (s, e) in spans for (lo, hi) in wanted), f"no passage overlaps lines {case['lines']}: {spans}"


def check_partnership_group_table(rows):
    """The 21 table rows are 21 seats, each with its organisation, representative and role, from its own line."""
    by_line = {}
    for r in rows:
        line = r["passage"].rsplit("/L", 1)[-1]
        if line.isdigit() and 122 <= int(line) <= 142:
            by_line[int(line)] = r
    assert sorted(by_line) == list(range(122, 143))
    for line, organisation, representative, role in SEATS:
        seat = by_line[line]
        assert seat["memberLabel"] == organisation or (line == 142 and seat["memberLabel"] == "London Borough of Lewisham")
        assert seat["roleLabel"] == role
        if representative:
            assert seat["postLabel"].startswith(representative)
        elif line == 140:
            assert seat["representedByLabel"] == "Christ the Rock Ministries"
        else:
            assert seat["post"] is None
    # Besides the table: the Schools Safeguarding Network's chair (L169) and the scrutineer as observer (L237).
    assert len({r["seat"] for r in rows}) == 23


#: Questions about several partnerships, which rightly find nothing in one partnership's data
#: (tests/test_partnerships.py asks them of several).
ACROSS_PARTNERSHIPS = {"people-across-partnerships"}


def test_every_named_query_runs_with_its_defaults(kg, named_queries):
    for name, query in named_queries.items():
        required = [p for p in query.parameters if p.required and p.default is None]
        if required or name in ACROSS_PARTNERSHIPS:
            continue
        result = kg.query(query.sparql, substitutions=query.bind({}, kg.base_iri))
        assert list(result), f"{name} returns nothing with its defaults"


def test_every_competency_question_has_a_case():
    assert {c["id"] for c in CASES} == set(range(1, 23))


@pytest.mark.parametrize("asof,expected", [
    ("2019-06-28", {"Lewisham Safeguarding Children Board": "current", "Lewisham Safeguarding Children Partnership": "not yet started"}),
    ("2019-06-29", {"Lewisham Safeguarding Children Board": "ended", "Lewisham Safeguarding Children Partnership": "current"}),
    ("2023-12-31", {"LSCP Memorandum of Understanding Document 2022-2023": "current"}),
    ("2024-01-01", {"LSCP Memorandum of Understanding Document 2022-2023": "ended"}),
    ("2022-06-30", {"NHS Lewisham Clinical Commissioning Group": "current"}),
    ("2022-07-01", {"NHS Lewisham Clinical Commissioning Group": "ended"}),
])
def test_facts_as_of_a_date(run_named, asof, expected):
    """As-of status at the edges: a year lasts to its last day; a full end date is the first day gone."""
    rows = run_named("facts-as-of", asof=asof)
    status = {r["thingLabel"]: r["status"] for r in rows}
    for label, want in expected.items():
        assert status[label] == want, (label, asof)
