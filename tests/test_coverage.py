"""Coverage (lscp_kg/coverage.py, `lscp-kg coverage`, /source/<name>/coverage): every line of a source is in the
graph, deliberately not modelled, blank, structural or states something the graph does not say.

Northvale is a FICTIONAL partnership written here, with one line of each kind; the worked example and
Lewisham are built by the tests from their YAML."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lscp_kg.cli import main
from lscp_kg.coverage import coverage_of, find_document
from lscp_kg.coverage_lines import NAVIGATION, classify
from lscp_kg.store import load_knowledge_graph
from lscp_kg.locations import SHIPPED_DATA_DIR

EXAMPLE = Path(__file__).parent / "fixtures" / "worked-example"
LEWISHAM_TEXT = SHIPPED_DATA_DIR / "lewisham" / "sources" / "our-partnership-arrangements.txt"
NORTHVALE_TEXT = """Northvale Safeguarding Children Partnership

Who we are

Our statutory safeguarding partners are Northvale Council and Northvale Police.

The partnership meets four times a year.

  •
Back to top
https://northvale.example.org/arrangements

Organisation Representative
Northvale Council Director of Children's Services
Northvale Police Superintendent

This page was made with a fictional website builder.

Northvale Council hosts the partnership. It also runs a website for young people.
"""
NORTHVALE_YAML = """# A FICTIONAL partnership for the coverage tests.
partnership: northvale
source:
  id: northvale-arrangements
  label: Northvale arrangements (fictional)
  text: sources/northvale.txt
passages:
- quote: Northvale Safeguarding Children Partnership
  line: 1
  facts:
  - partnership: northvale
    type: safeguarding-partnership
    label: Northvale Safeguarding Children Partnership
    area: northvale
  - area: northvale
    type: local-authority-area
    label: Northvale
- quote: Our statutory safeguarding partners are Northvale Council and Northvale Police.
  facts:
  - organisation: northvale-council
    type: local-authority
    label: Northvale Council
  - partnership: northvale
    safeguarding_partner: northvale-council
- quote: This page was made with a fictional website builder.
  not_modelled: The web page's footer, not the arrangements.
- quote: Northvale Council hosts the partnership.
  facts:
  - partnership: northvale
    description: Hosted by Northvale Council
"""
#: What each line of Northvale is, by number (the rest are blank).
NORTHVALE_LINES = {1: "cited", 3: "structural", 5: "cited", 7: "stating", 9: "structural", 10: "structural",
                   11: "structural", 13: "structural", 14: "stating", 15: "stating", 17: "not-modelled", 19: "partly"}
DOCUMENT = "https://lscp-kg.example.org/id/source/northvale-arrangements"


def write_northvale(folder: Path, yaml_text: str = NORTHVALE_YAML) -> Path:
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / "northvale.txt").write_text(NORTHVALE_TEXT, encoding="utf-8")
    (folder / "partnership.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def northvale(tmp_path_factory) -> Path:
    return write_northvale(tmp_path_factory.mktemp("northvale"))


@pytest.fixture(scope="module")
def northvale_kg(northvale):
    return load_knowledge_graph([northvale])


def test_every_line_gets_its_status(northvale_kg):
    report = coverage_of(northvale_kg, DOCUMENT)
    assert {line.number: line.status for line in report.lines if line.status != "blank"} == NORTHVALE_LINES
    assert report.counts() == {"cited": 2, "partly": 1, "not-modelled": 1, "stating": 3, "structural": 5, "blank": 7}
    assert report.remaining() == 4 and report.lines[18].left_out == ("It also runs a website for young people.",)
    assert [(line.number, line.why) for line in report.with_status("structural")] == [
        (3, "heading"), (9, "no words"), (10, "navigation"), (11, "page address"), (13, "table header")]
    (marked,) = report.with_status("not-modelled")
    assert marked.reason == "The web page's footer, not the arrangements." and marked.passages


def test_cited_lines_carry_their_passage_and_its_statements(northvale_kg):
    report = coverage_of(northvale_kg, DOCUMENT)
    line = report.lines[4]
    assert line.status == "cited" and line.passages == ("https://lscp-kg.example.org/id/northvale/passage/L5",)
    passage = report.passages[line.passages[0]]
    assert (passage.start, passage.end) == (5, 5)
    predicates = {s.predicate.rsplit("#", 1)[-1] for s in passage.statements}
    assert "safeguardingPartner" in predicates
    # the passage's own description (quote, lines, source, partnership) is not counted as a fact of the source
    assert not {"startLine", "source", "partnershipContext", "value"} & predicates


def test_another_partnership_citing_the_document_changes_nothing(northvale, northvale_kg, tmp_path):
    """A passage of another partnership that claims to quote Northvale's document does not cover its lines."""
    intruder = tmp_path / "intruder.trig"
    intruder.write_text("""@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://lscp-kg.example.org/id/elsewhere/passage/L7> {
  <https://lscp-kg.example.org/id/elsewhere/passage/L7> a lscp:SourcePassage ;
      lscp:source <https://lscp-kg.example.org/id/source/northvale-arrangements> ;
      lscp:partnershipContext <https://lscp-kg.example.org/id/partnership/elsewhere> ;
      lscp:startLine 7 ; lscp:endLine 7 ; prov:value "The partnership meets four times a year." .
  <https://lscp-kg.example.org/id/partnership/elsewhere> rdfs:label "Elsewhere (fictional)" .
}
""", encoding="utf-8")
    alone = coverage_of(northvale_kg, DOCUMENT).to_dict()
    together = coverage_of(load_knowledge_graph([northvale, intruder]), DOCUMENT).to_dict()
    assert json.dumps(together, sort_keys=True) == json.dumps(alone, sort_keys=True)


@pytest.mark.parametrize("text, status", [
    ("Probation Area Manager", "stating"),                 # a table row inside a block
    ("Contact Us", "structural"),                          # a heading between blank lines
    ("Response from the Metropolitan Police:", "stating"),  # a colon: a lead-in that says something
    ("young childHow we will work as a Partnership", "stating"),  # not starting with a capital: not taken for a heading
    ("HTTP://EXAMPLE.ORG/page", "structural"),
    ("Home > About us > Our arrangements", "structural"),
    ("Home > The partnership meets monthly.", "stating"),
    ("Email: team@example.org", "stating"),
])
def test_the_classifier_errs_towards_stating(text, status):
    previous = "Organisation Representative" if text == "Probation Area Manager" else ""
    following = "Housing Director of Housing" if text == "Probation Area Manager" else ""
    assert classify(text, previous, following)[0] == status


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(lambda s: any(c.isalpha() for c in s)),
       st.sampled_from([".", "?", "!", ";", ":"]), st.text(max_size=40), st.text(max_size=40))
def test_a_line_with_a_sentence_mark_is_never_hidden(words, mark, previous, following):
    """Whatever surrounds it, a line of words with a sentence mark in it is stating, unless it is a bare web address."""
    line = words.replace("\n", " ") + mark
    status, why = classify(line, previous, following)
    assert status == "stating" or (status, why) in {("structural", "page address"), ("structural", "navigation")}
    if why == "navigation":  # only a phrase of the list, with a full stop or colon after it
        assert " ".join(line.strip().strip(".:>»›|").split()).lower() in NAVIGATION
    assert classify(line, previous, following) == (status, why)  # deterministic


def test_cli_text_json_csv(northvale):
    runner = CliRunner()
    text = runner.invoke(main, ["coverage", "--data", str(northvale), "--source", "northvale-arrangements"])
    assert text.exit_code == 0, text.output
    assert "Northvale arrangements (fictional)" in text.output and "3 state something and are not in the graph" in text.output
    assert "line 7: The partnership meets four times a year." in text.output
    assert "line 14: Northvale Council Director of Children's Services" in text.output
    assert "line 17: This page was made with a fictional website builder. — The web page's footer" in text.output
    assert "1 in the graph only in part" in text.output and "line 19: “It also runs a website for young people.”" in text.output
    found = json.loads(runner.invoke(main, ["coverage", "--data", str(northvale), "--source", DOCUMENT,
                                            "--format", "json"]).output)
    (document,) = found["documents"]
    assert document["counts"]["stating"] == 3 and [u["line"] for u in document["uncited_stating"]] == [7, 14, 15]
    assert [(u["line"], u["left_out"]) for u in document["partly"]] == [(19, ["It also runs a website for young people."])]
    assert document["not_modelled"] == [{"line": 17, "text": "This page was made with a fictional website builder.",
                                         "reason": "The web page's footer, not the arrangements."}]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        main, ["coverage", "--data", str(northvale), "--source", "northvale-arrangements", "--format", "csv"]).output)))
    assert [(int(r["line"]), r["status"]) for r in rows] == [
        (n, s) for n, s in sorted(NORTHVALE_LINES.items()) if s != "cited"]
    assert rows[0] == {"document": DOCUMENT, "line": "3", "status": "structural", "why": "heading", "text": "Who we are"}
    assert rows[-1]["status"] == "partly" and rows[-1]["why"] == "It also runs a website for young people."


def test_cli_fail_on_uncited_and_unknown_source(northvale, tmp_path):
    runner = CliRunner()
    args = ["coverage", "--data", str(northvale), "--source", "northvale-arrangements", "--fail-on-uncited"]
    assert runner.invoke(main, args).exit_code == 1
    marked = NORTHVALE_YAML + "".join(f"- quote: {quote}\n  id: mark-{n}\n  not_modelled: {reason}\n" for n, (quote, reason) in enumerate((
        ("The partnership meets four times a year.", "Left out on purpose for this test."),
        ("Northvale Council Director of Children's Services", "A seat, left out on purpose for this test."),
        ("Northvale Police Superintendent", "A seat, left out on purpose for this test."),
        ("It also runs a website for young people.", "Left out on purpose for this test."))))
    done = write_northvale(tmp_path / "done", marked)
    result = runner.invoke(main, ["coverage", "--data", str(done), "--source", "northvale-arrangements", "--fail-on-uncited"])
    assert result.exit_code == 0, result.output
    assert "Every line that states something is in the graph or marked not modelled." in result.output
    unknown = runner.invoke(main, ["coverage", "--data", str(northvale), "--source", "no-such-source"])
    assert unknown.exit_code == 2 and "'no-such-source' is not a source document" in unknown.output
    assert "northvale-arrangements" in unknown.output  # the documents there are


def test_worked_example_counts_and_a_line_added_to_it(tmp_path):
    """The guide's example: every line accounted for; a statement added to its text is found as not in the graph."""
    kg = load_knowledge_graph([EXAMPLE])
    report = coverage_of(kg, find_document(kg, "wexcombe-arrangements"))
    text = (EXAMPLE / "sources" / "wexcombe.txt").read_text(encoding="utf-8").splitlines()
    assert len(report.lines) == len(text) and sum(report.counts().values()) == len(text)
    assert report.lines[0].status == "cited" and report.counts()["cited"] > report.counts()["structural"]
    header = next(line for line in report.lines if line.text == "Organisation Representative")
    assert (header.status, header.why) == ("structural", "table header")
    copy = tmp_path / "worked-example"
    shutil.copytree(EXAMPLE, copy)
    added = "The partnership also meets the young people's forum every spring."
    with open(copy / "sources" / "wexcombe.txt", "a", encoding="utf-8") as source:
        source.write("\n" + added + "\n")
    result = CliRunner().invoke(main, ["coverage", "--data", str(copy), "--source", "wexcombe-arrangements",
                                       "--format", "json"])
    (document,) = json.loads(result.output)["documents"]
    assert {"line": len(text) + 2, "text": added} in document["uncited_stating"]
    assert document["counts"]["stating"] == report.counts()["stating"] + 1


def test_lewisham_every_line_accounted_for():
    kg = load_knowledge_graph()
    report = coverage_of(kg, find_document(kg, "lewisham-our-partnership-arrangements"))
    text = LEWISHAM_TEXT.read_text(encoding="utf-8")
    assert [line.text for line in report.lines] == text.split("\n")[: len(report.lines)]
    counts = report.counts()
    assert sum(counts.values()) == len(report.lines) and counts["cited"] > 150 and counts["blank"] > 100
    first = report.lines[0]
    assert first.status == "cited" and first.text == "Lewisham Safeguarding Children Partnership"
    for line in report.with_status("cited"):
        assert any(report.passages[p].statements for p in line.passages), line
    for line in report.with_status("not-modelled"):
        assert line.reason, line


# --- The page -----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(northvale_kg):
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "KNOWLEDGE_GRAPH": northvale_kg, "QUERY_WORKERS": 1})
    yield application.test_client()
    application.extensions["lscp_kg"].runner.close()


def test_page_has_the_summary_and_every_line_not_blank(client):
    response = client.get("/source/northvale-arrangements/coverage")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers and response.headers.get("Vary") == "Accept"
    assert re.search(r"<strong>3</strong> <span><a href=\"[^\"]*only=stating\">state something and are not in the graph", page)
    assert "<strong>2</strong> <span>are in the graph" in page and "<strong>1</strong> <span>is deliberately not modelled" in page
    assert "<strong>1</strong> <span><a href=\"/source/northvale-arrangements/coverage?only=stating\">is in the graph only in part" in page
    assert "3</strong> lines of the source\n  state something" in page
    items = re.findall(r'<li class="cov-([a-z-]+)" id="L(\d+)">', page)
    assert {int(n): s for s, n in items} == NORTHVALE_LINES
    assert "Not modelled, on purpose:</span> The web page&#39;s footer" in page
    assert 'href="/id/northvale/passage/L5">the passage of line 5</a> (' in page
    assert "https://lscp-kg.example.org/id/" not in page.split("<main", 1)[1].split("</main>", 1)[0]  # names, not IRIs
    source = client.get("/source/northvale-arrangements").get_data(as_text=True)
    assert 'href="/source/northvale-arrangements/coverage">What the graph leaves out of it</a>' in source
    listed = client.get("/source").get_data(as_text=True)
    assert '(<a href="/source/northvale-arrangements/coverage">what the graph leaves out of it</a>)' in listed


def test_page_filters(client):
    page = client.get("/source/northvale-arrangements/coverage?only=stating").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'<li class="cov-(?:stating|partly)" id="L(\d+)">', page)] == [7, 14, 15, 19]
    assert not re.search(r'<li class="cov-(?!stating|partly)', page)
    assert "Not in any quote:\n        “It also runs a website for young people.”\n        The rest is in <a" in page
    missing = client.get("/source/northvale-arrangements/coverage?only=missing").get_data(as_text=True)
    assert sorted(int(n) for n in re.findall(r'<li class="cov-[a-z-]+" id="L(\d+)">', missing)) == [
        n for n, s in sorted(NORTHVALE_LINES.items()) if s != "cited"]
    assert 'aria-current="page">Only lines not wholly in the graph' in missing


def test_json_twin(client):
    by_accept = client.get("/source/northvale-arrangements/coverage", headers={"Accept": "application/json"})
    by_path = client.get("/source/northvale-arrangements/coverage.json")
    by_iri = client.get(f"/source?doc={DOCUMENT}&view=coverage&format=json")
    assert by_accept.json == by_path.json == by_iri.json
    data = by_path.json
    assert data["counts"]["stating"] == 3 and len(data["lines"]) == 19
    assert data["lines"][6] == {"line": 7, "status": "stating", "text": "The partnership meets four times a year.",
                                "passages": [], "why": "states something"}
    passage = next(p for p in data["passages"] if p["start"] == 5)
    assert passage["href"] == "/id/northvale/passage/L5"
    partner = next(s for s in passage["statements"] if s["predicate"].endswith("safeguardingPartner"))
    assert (partner["subject_label"], partner["object_label"]) == ("Northvale Safeguarding Children Partnership",
                                                                  "Northvale Council")
    only = client.get("/source/northvale-arrangements/coverage.json?only=stating").json
    assert [line["line"] for line in only["lines"]] == [7, 14, 15, 19]
    assert only["lines"][-1]["left_out"] == ["It also runs a website for young people."]


@pytest.mark.parametrize("path, status", [
    ("/source/northvale-arrangements/coverage?only=everything", 400),
    ("/source/northvale-arrangements/coverage?lines=3", 400),
    ("/source/no-such-document/coverage", 404),
    ("/source/no-such-document/coverage.json", 404),
    (f"/source?doc={DOCUMENT}&view=pictures", 400),
])
def test_bad_requests_get_a_clear_4xx(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert b"Traceback" not in response.data


def test_a_source_whose_text_is_missing(tmp_path):
    """A document whose text file is not there: the command names it (exit 2), the page answers 404, never a 500."""
    (tmp_path / "lost.trig").write_text("""@prefix lscp: <https://lscp-kg.example.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://lscp-kg.example.org/id/source/lost> {
  <https://lscp-kg.example.org/id/source/lost> a lscp:SourceDocument ; rdfs:label "A lost page (fictional)" ;
      lscp:textFile "sources/lost.txt" .
}
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["coverage", "--data", str(tmp_path), "--source", "lost"])
    assert result.exit_code == 2 and "the text of A lost page (fictional) is not available" in result.output
    listed = CliRunner().invoke(main, ["coverage", "--data", str(tmp_path), "--format", "json"])
    assert listed.exit_code == 0 and "lost" not in listed.output  # every source with its text, and only those
    from lscp_kg.service.app import create_app

    application = create_app({"TESTING": True, "VALIDATE": False, "DATA": [tmp_path], "QUERY_WORKERS": 1})
    try:
        response = application.test_client().get("/source/lost/coverage")
        assert response.status_code == 404 and b"A lost page (fictional) is not available" in response.data
    finally:
        application.extensions["lscp_kg"].runner.close()


def test_reports_kept_are_bounded(northvale_kg):
    from lscp_kg import coverage

    reports = coverage.reports_for(northvale_kg)
    first = reports.get(DOCUMENT)
    assert reports.get(DOCUMENT) is first  # made once
    for n in range(coverage.KEPT_REPORTS):
        reports._made[f"other-{n}"] = first
    assert reports.get(DOCUMENT) is first  # the most recent again, and the oldest other dropped
    assert len(reports._made) == coverage.KEPT_REPORTS and DOCUMENT in reports._made and "other-0" not in reports._made


def test_not_acceptable(client):
    response = client.get("/source/northvale-arrangements/coverage", headers={"Accept": "image/png"})
    assert response.status_code == 406


# --- A remote store ------------------------------------------------------------------------------------------------

def test_same_coverage_on_a_remote_store(kg, tmp_path):
    """Lewisham published to Virtuoso (lscp-kg publish) gives the coverage the embedded store gives, line for line
    and statement for statement (with their names)."""
    import virtuoso_support

    if not virtuoso_support.virtuoso_available():
        pytest.skip("Virtuoso Open Source (Debian: apt-get install virtuoso-opensource) is not installed")
    from test_remote_store import store_args

    from lscp_kg.backends import store_settings
    from lscp_kg.labels import labels_for

    server = virtuoso_support.VirtuosoServer(tmp_path).start()
    try:
        published = CliRunner().invoke(main, ["publish", *store_args(server)], env=server.publisher_environment)
        assert published.exit_code == 0, published.output
        remote = load_knowledge_graph(settings=store_settings(store=f"sparql+{server.query_url}"))
        document = find_document(kg, "lewisham-our-partnership-arrangements")
        local = coverage_of(kg, document).to_dict(labels=labels_for(kg))
        there = coverage_of(remote, document).to_dict(labels=labels_for(remote))
        for mine, theirs in zip(local["passages"], there["passages"]):
            assert theirs == mine
        assert there == local and local["passages"]
    finally:
        server.stop()
