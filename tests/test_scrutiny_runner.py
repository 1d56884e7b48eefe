"""The scrutiny runner: rule files, message templates, as-of dates, the requirements as data, JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lscp_kg.query_files import QueryFileError
from lscp_kg.query_parameters import ParameterError
from lscp_kg.scrutiny import RULES_DIR, RuleFileError, load_rules, parse_asof, run_scrutiny

PREFIXES = "PREFIX lscp: <https://lscp-kg.example.org/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def write_rule(folder, name, header, query):
    path = folder / f"{name}.rq"
    path.write_text("".join(f"#+ {line}\n" for line in header.strip().splitlines()) + PREFIXES + query, encoding="utf-8")
    return path


HEADER = """title: Every partnership, by name
id: TEST
kind: consistency
severity: note
requirement: id/requirement/pub
entities: [partnership]
group_by: [area]
messages:
  fail: "{partnership|count} partnership(s) in {area}: {partnership}; missing: {nothing}; as of {asof}"
params:
  asof: {type: date}"""


def test_shipped_rules_load_with_unique_ids_and_known_requirements(kg):
    rules = load_rules()
    assert len(rules) >= 20 and len({r.id for r in rules}) == len(rules)
    requirements = {r["iri"] for r in run_scrutiny(kg, "2026-11-26", rules=[]).requirements}
    for rule in rules:
        assert kg.iri(rule.requirement) in requirements, f"{rule.id} checks an unknown requirement"
        assert "asof" in {p.name for p in rule.query.parameters}


def test_rules_are_not_listed_as_ordinary_named_queries(named_queries):
    assert all(query.path.parent != RULES_DIR for query in named_queries.values())


def test_messages_join_values_count_them_and_mark_missing_ones(tmp_path, kg):
    rule = write_rule(tmp_path, "test", HEADER, "SELECT ?asof ?partnership ?area ?nothing WHERE { ?partnership a lscp:SafeguardingPartnership ; lscp:area ?area }")
    (result,) = run_scrutiny(kg, "2024-02-29", rules=load_rules(tmp_path)).results
    assert result.message == ("1 partnership(s) in Lewisham: Lewisham Safeguarding Children Partnership; "
                              "missing: (none); as of 2024-02-29")
    assert result.entities == [{"iri": kg.iri("id/partnership/lewisham"),
                                "label": "Lewisham Safeguarding Children Partnership"}]
    assert (result.severity, result.passed, result.requirement["id"]) == ("note", False, "PUB")


def test_severity_of_a_requirement_check_comes_from_the_requirement_data(tmp_path, kg):
    header = HEADER.replace("severity: note", "severity: requirement").replace("id/requirement/pub", "id/requirement/yr-send")
    write_rule(tmp_path, "test", header, "SELECT ?asof ?partnership ?area WHERE { ?partnership a lscp:SafeguardingPartnership ; lscp:area ?area }")
    (result,) = run_scrutiny(kg, "2024-01-01", rules=load_rules(tmp_path)).results
    assert result.severity == "note"  # YR-SEND is unverified, so the data make it a note


@pytest.mark.parametrize("header, error", [
    (HEADER.replace("id: TEST\n", ""), "header needs id"),
    (HEADER.replace("severity: note", "severity: urgent"), "severity"),
    (HEADER.replace("params:\n  asof: {type: date}", ""), "asof"),
    (HEADER.replace("title: Every partnership, by name\n", ""), "title"),
])
def test_bad_rule_headers_are_refused_with_the_file_named(tmp_path, header, error):
    path = write_rule(tmp_path, "bad", header, "SELECT ?asof WHERE {}")
    with pytest.raises(QueryFileError, match=error) as caught:
        load_rules(tmp_path)
    assert str(path) in str(caught.value)


def test_duplicate_rule_ids_are_refused(tmp_path):
    write_rule(tmp_path, "one", HEADER, "SELECT ?asof WHERE {}")
    write_rule(tmp_path, "two", HEADER, "SELECT ?asof WHERE {}")
    with pytest.raises(RuleFileError, match="'TEST' is used by"):
        load_rules(tmp_path)


def test_columns_named_in_the_header_must_be_projected(tmp_path, kg):
    write_rule(tmp_path, "test", HEADER, "SELECT ?asof ?area WHERE { ?p lscp:area ?area }")
    with pytest.raises(RuleFileError, match="partnership"):
        run_scrutiny(kg, "2024-01-01", rules=load_rules(tmp_path))


def test_as_of_defaults_to_today_and_refuses_other_text():
    assert parse_asof(None) == dt.date.today().isoformat()
    assert parse_asof(dt.date(2023, 1, 2)) == "2023-01-02"
    for bad in ("2023-02-30", "yesterday", "2023-1-2x", "'; DROP"):
        with pytest.raises(ParameterError, match="YYYY-MM-DD"):
            parse_asof(bad)


def test_requirements_are_data_with_citations_and_honest_about_uncertainty(kg):
    requirements = {r["id"]: r for r in run_scrutiny(kg, "2026-11-26", rules=[]).requirements}
    assert {"SP-DEF", "ARR-DUTY", "RA", "LSP", "DSP", "LSP-SIGN", "CHAIR", "IS", "IS-FUNC", "YR", "YR-SEND", "PUB",
            "EDU", "FUND", "LCSPR", "RR", "THRESH", "TRAIN"} == set(requirements)
    for req in requirements.values():
        assert req["citation"] and req["sources"] and req["text"], req["id"]
        assert req["severity"] in ("must", "should", "note")
        if req["severity"] == "must":
            assert req["binding"] in ("statute", "statutory guidance: must"), req["id"]
    assert "http://www.legislation.gov.uk/id/ukpga/2004/31/section/16E" in requirements["SP-DEF"]["sources"]
    for marked_unverified in ("CHAIR", "YR-SEND"):
        assert requirements[marked_unverified]["severity"] != "must"
        assert requirements[marked_unverified]["uncertainty"]


def test_report_json_has_the_documented_shape(kg):
    data = json.loads(json.dumps(run_scrutiny(kg, "2026-11-26").to_dict()))
    assert data["asof"] == "2026-11-26"
    assert set(data["summary"]) == {"must", "should", "note", "passes"}
    finding = data["findings"][0]
    assert set(finding) == {"id", "rule", "title", "kind", "severity", "outcome", "passed", "message",
                            "requirement", "entities", "evidence", "partnership"}
    assert finding["partnership"]["label"] == "Lewisham Safeguarding Children Partnership"
    assert data["partnership"] is None
    (section,) = data["partnerships"]
    assert set(section) == {"iri", "label", "summary", "requirements"} and section["summary"] == data["summary"]
    assert {r["id"]: r["status"] for r in section["requirements"]} == {r["id"]: r["status"] for r in data["requirements"]}
    assert all(set(r["by_partnership"]) == {section["iri"]} for r in data["requirements"])
    assert set(finding["requirement"]) == {"iri", "id", "label", "citation", "cited_part", "uncertainty"}
    evidence = [e for f in data["findings"] for e in f["evidence"]]
    assert {"graph", "kind", "quote", "start_line", "end_line", "source", "citation"} <= set(evidence[0])
    assert len({f["id"] for f in data["findings"] + data["passes"]}) == len(data["findings"]) + len(data["passes"])
