"""Fragments the scrutiny rules share (queries/scrutiny/_fragments.rq): written once,
expanded by the rule loader, never a value pasted into a query, errors that name the line."""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox
import pytest

from lscp_kg.scrutiny import RULES_DIR, RuleFileError, load_rules, run_scrutiny
from lscp_kg.scrutiny_fragments import FRAGMENTS_FILE, load_fragments

PREFIXES = "PREFIX lscp: <https://lscp-kg.example.org/ontology#>\nPREFIX schema: <https://schema.org/>\n"
HEADER = """title: Partnerships that existed on the date
id: TEST
kind: consistency
severity: note
requirement: id/requirement/pub
entities: [partnership]
messages:
  fail: "{partnership} existed on {asof}"
params:
  asof: {type: date}"""


def write_rule(folder, query: str):
    path = folder / "test.rq"
    path.write_text("".join(f"#+ {line}\n" for line in HEADER.splitlines()) + PREFIXES + query, encoding="utf-8")
    return path


def rule_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(RULES_DIR.glob("*.rq")) if not p.name.startswith("_")}


def test_the_fragments_file_is_not_a_rule():
    assert FRAGMENTS_FILE.parent == RULES_DIR
    assert all(rule.query.path != FRAGMENTS_FILE for rule in load_rules())


def test_a_rule_includes_a_fragment_and_runs_it(tmp_path, kg):
    write_rule(tmp_path, "SELECT ?asof ?partnership WHERE { {{partnership-on-date ?partnership}} }")
    (rule,) = load_rules(tmp_path)
    assert "{{" not in rule.query.sparql and "?partnershipStart" in rule.query.sparql
    (result,) = run_scrutiny(kg, "2026-11-26", rules=[rule]).results
    assert result.message == "Lewisham Safeguarding Children Partnership existed on 2026-11-26"
    # Before the partnership began (its start date in the data), it did not exist.
    assert run_scrutiny(kg, "2010-01-01", rules=[rule]).results == []


def test_the_as_of_date_is_still_bound_never_written_into_the_query(kg):
    for rule in load_rules():
        bound = rule.query.bind({"asof": "2024-05-01"}, kg.base_iri)
        assert bound == {ox.Variable("asof"): ox.Literal("2024-05-01", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))}
        assert "2024-05-01" not in rule.query.sparql and "{{" not in rule.query.sparql, rule.id


@pytest.mark.parametrize("use, error", [
    ("{{no-such-fragment ?partnership}}", r"line \d+: no fragment \{\{no-such-fragment\}\}"),
    ("{{partnership-on-date}}", r"line \d+: \{\{partnership-on-date\}\} needs 1 variable \(\?partnership\), not 0"),
    ("{{exists ?partnership}}", r"needs 2 variables \(\?thing \?partnership\), not 1"),
])
def test_a_fragment_used_wrongly_is_refused_with_the_file_and_line(tmp_path, use, error):
    path = write_rule(tmp_path, "SELECT ?asof ?partnership WHERE {\n  " + use + "\n}")
    with pytest.raises(RuleFileError, match=error) as caught:
        load_rules(tmp_path)
    assert str(path) in str(caught.value)


def test_every_fragment_is_used_and_says_what_it_means():
    text = FRAGMENTS_FILE.read_text(encoding="utf-8")
    used = set(re.findall(r"\{\{([a-z][a-z0-9-]*)", "\n".join(rule_texts().values()) + text))
    for name in load_fragments():
        assert name in used, f"fragment {name!r} is used by no rule"
        comment = text.split(f"#= {name} ", 1)[1].splitlines()[1]
        assert comment.startswith("# "), f"fragment {name!r} has no comment saying what it means"


def test_the_date_comparisons_are_written_only_in_the_fragments():
    for name, text in rule_texts().items():
        assert "STRLEN" not in text and "STR(?asof) >" not in text, f"{name} writes a date comparison out"


def test_no_rule_repeats_another_s_lines_word_for_word():
    """Four lines in a row (not counting comments, braces and blank lines) in two rule files are a fragment
    still to be written once."""
    seen: dict[tuple, set] = defaultdict(set)
    for name, text in rule_texts().items():
        lines = [line.strip() for line in text.split("\nSELECT", 1)[1].splitlines()]
        lines = [line for line in lines if line and not line.startswith("#") and line.strip("{} ")]
        for i in range(len(lines) - 3):
            seen[tuple(lines[i:i + 4])].add(name)
    repeated = {lines: names for lines, names in seen.items() if len(names) > 1}
    assert repeated == {}
