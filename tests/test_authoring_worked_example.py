"""The guide's worked example (the fictional Wexcombe partnership), written only in YAML against its
source text: it is the guide's own text, and it builds, validates, serves, answers every named query,
shows on the pages and views and gets its scrutiny section, with no code change."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from lscp_kg.authoring import compile_file
from lscp_kg.authoring.reference import reference_markdown
from lscp_kg.cli import main
from lscp_kg.named_queries import load_named_queries
from lscp_kg.store import load_knowledge_graph
from lscp_kg.validation import validate_graph
from server_support import start_server, stop_server

EXAMPLE = Path(__file__).parent / "fixtures" / "worked-example"
GUIDE = Path(__file__).parent.parent / "docs" / "adding-a-partnership.md"
PARTNERSHIP = "id/partnership/wexcombe"
#: The worked example's entity for each parameter of the named queries (by parameter name, or query/parameter).
PARAMETERS = {
    "partnership": PARTNERSHIP, "body": "id/wexcombe/body/leadership-group",
    "what-reports-to/body": "id/wexcombe/body/case-review-group",
    "body-remit/body": "id/wexcombe/body/three-areas-exploitation-group",
    "start": "id/wexcombe/body/case-review-group", "person": "id/person/amira-okafor",
    "programme": "id/wexcombe/families-together", "series": "id/wexcombe/doc/yearly-reports",
    "target": "id/wexcombe/body/leadership-group", "subject": "id/wexcombe/body/case-review-group",
    "post": "id/wexcombe/post/independent-scrutineer", "entity": PARTNERSHIP,
    "source-of-fact/entity": "id/person/amira-okafor",
}
#: Named queries that rightly find nothing for a partnership alone (people in more than one partnership).
EMPTY_FOR_ONE_PARTNERSHIP = {"people-across-partnerships"}


def guide_block(name: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(rf"<!-- worked-example: {re.escape(name)} -->\n```[a-z]+\n(.*?)```\n", text, re.S)
    assert found, f"the guide has no block for {name}"
    return found.group(1)


def test_the_guide_holds_the_example_and_is_marked_fictional():
    assert guide_block("partnership.yaml") == (EXAMPLE / "partnership.yaml").read_text(encoding="utf-8")
    assert guide_block("sources/wexcombe.txt") == (EXAMPLE / "sources" / "wexcombe.txt").read_text(encoding="utf-8")
    text = GUIDE.read_text(encoding="utf-8")
    assert "**Wexcombe, is fictional**" in text and "FICTIONAL" in guide_block("partnership.yaml")


def test_the_guide_field_reference_is_current():
    assert reference_markdown() in GUIDE.read_text(encoding="utf-8")


def test_the_guide_covers_every_scrutiny_rule():
    text = GUIDE.read_text(encoding="utf-8")
    rules = {re.search(r"^#\+ id: (\S+)", p.read_text(encoding="utf-8"), re.M).group(1)
             for p in (Path(__file__).parent.parent / "queries" / "scrutiny").glob("*.rq") if not p.name.startswith("_")}
    assert {rule for rule in rules if rule not in text} == set()


def test_builds_deterministically_and_validates():
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(EXAMPLE / "partnership.yaml")])
    assert first.exit_code == 0 and first.stdout_bytes == runner.invoke(main, ["build", str(EXAMPLE)]).stdout_bytes
    report = validate_graph(load_knowledge_graph([EXAMPLE]))
    assert report.ok, report.as_text()
    graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in compile_file(EXAMPLE / "partnership.yaml")}
    assert {"L1", "L9-13", "L25b", "L37b", "health-and-care-act-2022-wexshire-ccg"} <= graphs


def test_scrutiny_section_of_its_own():
    result = CliRunner().invoke(main, ["scrutinise", "--data", str(EXAMPLE), "--partnership", PARTNERSHIP,
                                       "--as-of", "2025-06-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    [section] = report["partnerships"]
    assert section["label"] == "Wexcombe Safeguarding Children Partnership"
    status = {r["id"]: r["status"] for r in section["requirements"]}
    checked = ("SP-DEF", "LSP", "DSP", "CHAIR", "IS", "IS-FUNC", "YR", "THRESH", "PUB", "RA", "FUND", "EDU",
               "LCSPR", "RR", "TRAIN")
    assert {rule: status[rule] for rule in checked} == {rule: "pass" for rule in checked}
    assert section["summary"]["must"] == 0 and section["summary"]["should"] == 0
    # Its one finding is the source issue its curators recorded.
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("SOURCE-ISSUE", "note")]


def test_without_its_partners_the_partner_checks_fail_and_say_why(tmp_path):
    """The same example with the statutory partners left out (a steward's first draft): LSP, DSP and SP-DEF
    fail, with findings that say no partner organisation is named."""
    import shutil

    draft = tmp_path / "wexcombe"
    shutil.copytree(EXAMPLE, draft)
    text = (draft / "partnership.yaml").read_text(encoding="utf-8")
    line = ("    safeguarding_partner: [wexcombe-borough-council, hollinvale-district-council, wexshire-constabulary, "
            "nhs-wexshire-icb]\n")
    assert line in text
    (draft / "partnership.yaml").write_text(text.replace(line, ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["scrutinise", "--data", str(draft), "--partnership", PARTNERSHIP,
                                       "--as-of", "2025-06-01", "--format", "json"])
    report = json.loads(result.output)
    status = {r["id"]: r["status"] for r in report["partnerships"][0]["requirements"]}
    assert (status["LSP"], status["DSP"], status["SP-DEF"]) == ("fail", "fail", "fail")
    messages = {f["rule"]: f["message"] for f in report["findings"]}
    assert "name no safeguarding partner organisation" in messages["LSP"]
    assert "name no safeguarding partner organisation" in messages["DSP"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    # A generous time limit: this test is about the data working everywhere, not about speed on a busy machine.
    url, process = start_server(["--data", str(EXAMPLE), "--time-limit", "120"],
                                tmp_path_factory.mktemp("served") / "server.log", timeout=180)
    yield url
    stop_server(process)


def _get(url: str, path: str, **params) -> requests.Response:
    return requests.get(url + path, params=params, timeout=60)


def test_every_named_query_answers_and_partnership_ones_return_its_facts(served):
    empty = []
    for name, query in sorted(load_named_queries().items()):
        params = {}
        for parameter in query.parameters:
            value = PARAMETERS.get(f"{name}/{parameter.name}", PARAMETERS.get(parameter.name))
            if value and parameter.type == "iri":
                params[parameter.name] = value
        response = _get(served, f"/api/queries/{name}", **params)
        assert response.status_code == 200, (name, response.text[:300])
        rows = response.json()["results"]["bindings"]
        if params and name not in EMPTY_FOR_ONE_PARTNERSHIP and not rows:
            empty.append(name)
        if "partnership" in params:
            assert "wexcombe" in response.text, name
            assert "lewisham" not in json.dumps(rows).lower(), name
    assert empty == []


def test_pages_show_its_facts(served):
    for path, expected in (("/", "Wexcombe Safeguarding Children Partnership"),
                           (f"/{PARTNERSHIP}", "Wexcombe Borough Council"),
                           ("/id/wexcombe/body/leadership-group", "every six weeks"),
                           ("/id/person/amira-okafor", "Chair of the Wexcombe Safeguarding Children Partnership"),
                           ("/id/org/nhs-wexshire-ccg", "Health and Care Act 2022"),
                           ("/source/wexcombe-arrangements", "The Leadership Group meets every six weeks."),
                           ("/queries/meeting-frequencies?partnership=" + PARTNERSHIP, "Case Review Group")):
        response = _get(served, path)
        assert response.status_code == 200, path
        assert expected in response.text.replace("&#39;", "'").replace("&amp;", "&"), path


def test_scrutiny_page_for_the_partnership(served):
    response = _get(served, "/scrutiny", partnership=PARTNERSHIP, asof="2025-06-01")
    assert response.status_code == 200
    assert "Wexcombe Safeguarding Children Partnership" in response.text
    everyone = _get(served, "/scrutiny")
    assert everyone.status_code == 200 and "Wexcombe" in everyone.text and "Lewisham" in everyone.text


def test_views_draw_it(served):
    views = {"structure": {}, "accountability": {}, "reporting": {}, "priorities": {}, "legislation": {},
             "report-path": {}, "seats": {"body": "id/wexcombe/body/leadership-group"},
             "entity": {"iri": PARTNERSHIP}, "path": {"from": "id/person/amira-okafor", "to": PARTNERSHIP}}
    for name, params in views.items():
        response = _get(served, f"/explore/{name}", **params)
        assert response.status_code == 200, (name, response.text[:300])
        assert "Wexcombe" in response.text, name


def test_converts_back_from_trig_with_every_new_field(tmp_path):
    """The TriG the example builds converts back to YAML that compiles to the same graph (the converter checks
    it), with each passage's page address as url: rather than Turtle."""
    import shutil

    from lscp_kg.authoring.from_trig import convert

    shutil.copytree(EXAMPLE / "sources", tmp_path / "sources")
    (tmp_path / "wexcombe.trig").write_bytes(CliRunner().invoke(main, ["build", str(EXAMPLE)]).stdout_bytes)
    text = convert([tmp_path / "wexcombe.trig"], "wexcombe", tmp_path / "partnership.yaml")
    assert text.count("url: https://wexcombe.example.org/") == 9
    for written in ("chair_rotation_period: P2Y", "chair_model: rotating", "scrutiny_model: independent-scrutineer",
                    "additional_partner:", "signatory:", "either_of:", "as_of:", "revised:", "updated:", "leads:"):
        assert written in text, written
